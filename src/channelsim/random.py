"""Named random streams whose draws are indexed by person uid.

Each draw is a counter-based hash of (run seed, stream name, day, uid, slot), so a person's
number for a decision does not depend on who else draws that day. Two runs that differ only
in a policy therefore share every draw they have in common (common random numbers), which is
what makes paired comparisons precise.
"""

from __future__ import annotations

import hashlib

import numba
import numpy as np

_GOLDEN, _M1, _M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_MASK = (1 << 64) - 1
_U_GOLDEN, _U_M1, _U_M2 = np.uint64(_GOLDEN), np.uint64(_M1), np.uint64(_M2)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 2.0**-53


@numba.njit(inline="always")
def unit(uid, base: np.uint64) -> float:
    """SplitMix64 finaliser of (uid * golden + base), top 53 bits scaled to [0, 1).

    For use inside other numba kernels, so a fused process loop draws exactly what
    Stream.uniform would have drawn for the same uid."""
    x = np.uint64(uid) * _U_GOLDEN + base
    x ^= x >> _S30
    x *= _U_M1
    x ^= x >> _S27
    x *= _U_M2
    x ^= x >> _S31
    return (x >> _S11) * _TO_UNIT


@numba.njit(cache=True, nogil=True)
def unit_at(uid: int, base: np.uint64) -> float:
    return unit(uid, base)


@numba.njit(cache=True, nogil=True)
def _uniform_kernel(uids: np.ndarray, base: np.uint64) -> np.ndarray:
    # one pass without temporaries: the numpy form of this arithmetic took five times as
    # long and was the largest item in the engine's profile
    out = np.empty(uids.shape[0])
    for i in range(uids.shape[0]):
        out[i] = unit(uids[i], base)
    return out


@numba.njit(cache=True, nogil=True)
def _below_kernel(uids: np.ndarray, base: np.uint64, p: np.ndarray) -> np.ndarray:
    out = np.empty(uids.shape[0], dtype=np.bool_)
    scalar = p.shape[0] == 1
    for i in range(uids.shape[0]):
        out[i] = unit(uids[i], base) < (p[0] if scalar else p[i])
    return out


@numba.njit(cache=True, nogil=True)
def _poisson(u: float, u2: float, lam: float) -> int:
    """Poisson(lam) by inversion of u; past lam = 400 (where exp(-lam) loses precision) a
    rounded normal from u and u2 (Box-Muller), whose error there is negligible."""
    if lam <= 0.0:
        return 0
    if lam > 400.0:
        z = np.sqrt(-2.0 * np.log1p(-u)) * np.cos(2.0 * np.pi * u2)
        return max(0, int(np.floor(lam + np.sqrt(lam) * z + 0.5)))
    k, p = 0, np.exp(-lam)
    cdf = p
    while u > cdf and k < 10_000:
        k += 1
        p *= lam / k
        cdf += p
    return k


def _mix_int(x: int) -> int:
    """The same finaliser on a Python int, for per-day constants (no numpy call overhead)."""
    x ^= x >> 30
    x = (x * _M1) & _MASK
    x ^= x >> 27
    x = (x * _M2) & _MASK
    return x ^ (x >> 31)


def stream_key(seed: int, name: str) -> int:
    digest = hashlib.blake2b(f"{int(seed)}:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class Stream:
    """One decision's random numbers: `uniform(day, uids)` is a pure function of its inputs."""

    def __init__(self, seed: int, name: str):
        self.name = name
        self.key = stream_key(seed, name)

    def base(self, day: int, slot: int = 0) -> np.uint64:
        """The day's key: kernels pass it to `unit(uid, base)` to draw as `uniform` does."""
        salt = (int(day) * _M2 + int(slot) * _M1) & _MASK
        return np.uint64(_mix_int(self.key ^ salt))

    def uniform(self, day: int, uids: np.ndarray, slot: int = 0) -> np.ndarray:
        """Uniform [0, 1) draws, one per uid, for this stream, day and slot."""
        return _uniform_kernel(np.asarray(uids), self.base(day, slot))

    def below(self, day: int, uids: np.ndarray, p: float | np.ndarray, slot: int = 0) -> np.ndarray:
        """Bernoulli draws: True where this stream's uniform for the uid is below p."""
        probs = np.atleast_1d(np.asarray(p, dtype=np.float64))
        return _below_kernel(np.asarray(uids), self.base(day, slot), probs)

    def poisson(self, day: int, lam: float, slot: int = 0) -> int:
        """One Poisson count for this stream and day (uid 0 and 1 of the slot serve as its
        uniforms), for aggregate events such as the day's arrivals."""
        base = self.base(day, slot)
        return int(_poisson(unit_at(0, base), unit_at(1, base), float(lam)))


class Streams:
    """The run's streams by name, seeded from the run seed. With `declared`, only those names
    exist: a misspelt stream is an error, not a silently independent new one."""

    def __init__(self, seed: int, declared: set[str] | None = None):
        self.seed = int(seed)
        self.declared = declared
        self._streams: dict[str, Stream] = {}

    def __getitem__(self, name: str) -> Stream:
        stream = self._streams.get(name)
        if stream is None:
            if self.declared is not None and name not in self.declared:
                raise KeyError(f"random stream '{name}' is not declared by any process")
            stream = self._streams[name] = Stream(self.seed, name)
        return stream

    @property
    def names(self) -> list[str]:
        return sorted(self._streams)
