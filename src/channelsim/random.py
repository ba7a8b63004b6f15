"""Named random streams whose draws are indexed by person uid.

Each draw is a counter-based hash of (run seed, stream name, day, uid, slot), so a person's
number for a decision does not depend on who else draws that day. Two runs that differ only
in a policy therefore share every draw they have in common (common random numbers), which is
what makes paired comparisons precise.
"""

from __future__ import annotations

import hashlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 2.0**-53


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: a bijective avalanche on uint64 (wraps modulo 2**64)."""
    x = x ^ (x >> _S30)
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def stream_key(seed: int, name: str) -> int:
    digest = hashlib.blake2b(f"{int(seed)}:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class Stream:
    """One decision's random numbers: `uniform(day, uids)` is a pure function of its inputs."""

    def __init__(self, seed: int, name: str):
        self.name = name
        self.key = np.uint64(stream_key(seed, name))

    def _base(self, day: int, slot: int) -> np.uint64:
        with np.errstate(over="ignore"):
            salt = np.uint64(day) * _M2 + np.uint64(slot) * _M1
            return _mix(np.array([self.key ^ salt], dtype=np.uint64))[0]

    def uniform(self, day: int, uids: np.ndarray, slot: int = 0) -> np.ndarray:
        """Uniform [0, 1) draws, one per uid, for this stream, day and slot."""
        base = self._base(day, slot)
        x = np.asarray(uids, dtype=np.uint64) * _GOLDEN
        x += base
        return (_mix(x) >> _S11) * _TO_UNIT

    def generator(self, day: int, slot: int = 0) -> np.random.Generator:
        """A numpy Generator for aggregate (not per-person) draws of this stream and day."""
        return np.random.default_rng([int(self.key), int(day), int(slot)])


class Streams:
    """The run's streams, created on first use by name and seeded from the run seed."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._streams: dict[str, Stream] = {}

    def __getitem__(self, name: str) -> Stream:
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = Stream(self.seed, name)
        return stream

    @property
    def names(self) -> list[str]:
        return sorted(self._streams)
