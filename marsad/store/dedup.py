"""Exact and near-duplicate detection: a content hash, and MinHash signatures banded for LSH.

The LSH bands live in the database (``article_bands``), so near-duplicates are found across
runs and processes with one indexed lookup per band instead of comparing all pairs.
With 64 permutations in 16 bands of 4 rows, pairs above Jaccard ≈ 0.5 become candidates;
a candidate is a near-duplicate when its estimated Jaccard reaches ``NEAR_DUPLICATE``.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import lru_cache

import numpy as np

from marsad.text.normalize import normalize

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
NEAR_DUPLICATE = 0.7
SHINGLE = 3
_WORD = re.compile(r"\w+")


def content_hash(text: str, norm: str | None = None) -> str:
    """SHA-256 of the normalised text with whitespace collapsed: equal for trivially different copies.

    ``norm`` is ``normalize(text)`` when the caller has it already.
    """
    norm = normalize(text) if norm is None else norm
    return hashlib.sha256(" ".join(norm.split()).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations ``h -> a*h + b mod 2^32`` of datasketch's ``MinHash(num_perm=64, seed=1)``
    (scheme ``affine32``), drawn the same way, so signatures equal those stored by earlier versions."""
    gen = np.random.RandomState(1)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch pre-mixes every hash with it); wraps modulo 2^32."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(text: str, norm: str | None = None) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint64) of the text's word 3-shingles (CRC-32 hashed: stable across runs).

    All shingles are permuted at once (one numpy pass); the values are those of datasketch's
    ``MinHash(num_perm=64, seed=1, hashfunc=zlib.crc32)``. ``norm`` is ``normalize(text)`` when known.
    """
    words = _WORD.findall(normalize(text) if norm is None else norm)
    grams = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    hashes = np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint32, count=len(grams))
    a, b = _permutations()
    permuted = _fmix32(hashes)[:, None] * a + b
    return permuted.min(axis=0).astype(np.uint64)


def bands(sig: np.ndarray) -> list[str]:
    """The LSH band keys of a signature."""
    return [
        f"{b}:{hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
        for b in range(BANDS)
    ]


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype(np.uint64).tobytes()


def similarities(sig: np.ndarray, stored: list[bytes]) -> np.ndarray:
    """The estimated Jaccard similarity of ``sig`` with each stored signature (``to_bytes``), in one numpy pass."""
    return np.mean(np.frombuffer(b"".join(stored), dtype=np.uint64).reshape(len(stored), -1) == sig, axis=1)
