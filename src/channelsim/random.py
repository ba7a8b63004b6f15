"""Named random streams whose draws are indexed by person uid.

Each draw is a counter-based hash of (run seed, stream name, day, uid, slot), so a person's
number for a decision does not depend on who else draws that day. Two runs that differ only
in a policy therefore share every draw they have in common (common random numbers), which is
what makes paired comparisons precise.

A run's streams are the names its processes declare; the engine gives each a key (seed and
name hashed) in a namedtuple, so a kernel reading an undeclared stream does not compile.
Kernels draw with `unit(uid, day_base(key, day))`; `Stream` draws the same numbers in Python.
"""

from __future__ import annotations

import hashlib
import math

import numba
import numpy as np

from . import compiled  # noqa: F401  (numba's cache is set up before any kernel)

_GOLDEN, _M1, _M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
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


@numba.njit(inline="always")
def day_base(key: np.uint64, day, slot=0) -> np.uint64:
    """A stream's key for one day and slot: kernels pass it to `unit(uid, base)`."""
    x = key ^ (np.uint64(day) * _U_M2 + np.uint64(slot) * _U_M1)
    x ^= x >> _S30
    x *= _U_M1
    x ^= x >> _S27
    x *= _U_M2
    return x ^ (x >> _S31)


@numba.njit(cache=True, nogil=True)
def _day_base(key: np.uint64, day: int, slot: int) -> np.uint64:
    return day_base(key, day, slot)


@numba.njit(cache=True, nogil=True)
def units(uids: np.ndarray, base: np.uint64) -> np.ndarray:
    """unit(uid, base) for each uid, in a loop of its own: numba makes it vector
    instructions (~1 cycle a draw, against ~10 for a draw inside a loop doing other work)."""
    out = np.empty(uids.shape[0])
    for i in range(uids.shape[0]):
        out[i] = unit(uids[i], base)
    return out


@numba.njit(cache=True, nogil=True)
def units_of(owner: np.ndarray, uids: np.ndarray, base: np.uint64) -> np.ndarray:
    """unit(owner[uid], base) for each uid: a draw shared by everyone with the same owner
    (a group's members), the owners gathered first so the draws stay a loop of their own."""
    owners = np.empty(uids.shape[0], dtype=owner.dtype)
    for i in range(uids.shape[0]):
        owners[i] = owner[np.uintp(uids[i])]
    return units(owners, base)


@numba.njit(cache=True, nogil=True)
def drawn_below(uids: np.ndarray, base: np.uint64, chance: float) -> np.ndarray:
    """The uids whose draw unit(uid, base) is below `chance`, in their order: for a daily
    chance that few take, the draws come first (vector instructions), so the loop that
    follows visits only those who drew it."""
    u = units(uids, base)
    out = np.empty(uids.shape[0], dtype=uids.dtype)
    k = 0
    for i in range(uids.shape[0]):
        out[k] = uids[i]
        k += u[i] < chance
    return out[:k]


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


@numba.njit(inline="always")
def poisson_on(key: np.uint64, day, lam: float, slot=0) -> int:
    """One Poisson count for a stream, day and slot (uids 0 and 1 give its uniforms), for
    aggregate events such as the day's arrivals."""
    base = day_base(key, day, slot)
    return _poisson(unit(0, base), unit(1, base), lam)


@numba.njit(cache=True, nogil=True)
def _poisson_at(key: np.uint64, day: int, lam: float, slot: int) -> int:
    return poisson_on(key, day, lam, slot)


_LAG_OFFSET = 1 << 20  # innovations of days before the start keep nonnegative indices


@numba.njit(inline="always")
def persistent_unit(key: np.uint64, day, weights: np.ndarray) -> float:
    """A uniform draw for the day that remembers earlier days': the normal quantile of
    sum_k weights[k] * e(day - k), where e are independent standard normals of the stream
    (slot 1) and the weights have unit norm, so every day's draw is uniform but neighbours
    are correlated. One weight gives the independent draw unit(0, day_base(key, day))."""
    if weights.shape[0] == 1:
        return unit(0, day_base(key, day))
    z = 0.0
    for k in range(weights.shape[0]):
        base = day_base(key, np.uint64(day - k + _LAG_OFFSET), 1)
        u1, u2 = unit(0, base), unit(1, base)
        z += weights[k] * np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)
    return 0.5 * math.erfc(-z / np.sqrt(2.0))


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
        # numba hands back a Python int: typed again, so kernels see an unsigned key
        return np.uint64(_day_base(np.uint64(self.key), int(day), int(slot)))

    def uniform(self, day: int, uids: np.ndarray, slot: int = 0) -> np.ndarray:
        """Uniform [0, 1) draws, one per uid, for this stream, day and slot."""
        return units(np.asarray(uids), self.base(day, slot))

    def poisson(self, day: int, lam: float, slot: int = 0) -> int:
        """One Poisson count for this stream and day (uid 0 and 1 of the slot serve as its
        uniforms), for aggregate events such as the day's arrivals."""
        return int(_poisson_at(np.uint64(self.key), int(day), float(lam), int(slot)))
