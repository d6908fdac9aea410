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


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text with whitespace collapsed: equal for trivially different copies."""
    return hashlib.sha256(" ".join(normalize(text).split()).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _prototype():  # type: ignore[no-untyped-def]
    """A MinHash whose permutations are reused (drawing them costs more than hashing an article)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint64) of the text's word 3-shingles (CRC-32 hashed: stable across runs)."""
    from datasketch import MinHash

    proto = _prototype()
    words = _WORD.findall(normalize(text))
    grams = {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(max(1, len(words) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32, permutations=proto.permutations, scheme=proto.scheme)
    mh.update_batch(list(grams))
    return mh.hashvalues.astype(np.uint64)


def bands(sig: np.ndarray) -> list[str]:
    """The LSH band keys of a signature."""
    return [
        f"{b}:{hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
        for b in range(BANDS)
    ]


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype(np.uint64).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))
