"""MinHash signatures stay those of datasketch's MinHash(num_perm=64, seed=1, hashfunc=crc32): stored databases stay comparable."""

from __future__ import annotations

import random
import zlib

import numpy as np
import pytest

from marsad.store import dedup
from marsad.text.normalize import normalize

TEXT = "أطلقت روسيا 539 طائرة مسيرة على كييف الليلة الماضية، وفقا لسلاح الجو الأوكراني."


def _texts() -> list[str]:
    rng = random.Random(0)
    words = TEXT.split() + ["كييف", "abc", "123", "٤٥", "وللقوات"]
    return ["", " ", "كلمة", "a b", TEXT, TEXT + " " + TEXT] + [
        " ".join(rng.choice(words) for _ in range(rng.randint(0, 80))) for _ in range(300)]


def test_signature_values_are_pinned():
    assert dedup.signature(TEXT)[:8].tolist() == [410232131, 598174003, 36769776, 765266689,
                                                  472923894, 547079710, 650532991, 647375733]
    assert dedup.signature(TEXT).dtype == np.uint64


def test_signature_equals_datasketch():
    datasketch = pytest.importorskip("datasketch")
    for text in _texts():
        words = dedup._WORD.findall(normalize(text))
        grams = {" ".join(words[i:i + dedup.SHINGLE]).encode("utf-8")
                 for i in range(max(1, len(words) - dedup.SHINGLE + 1))}
        mh = datasketch.MinHash(num_perm=dedup.NUM_PERM, seed=1, hashfunc=zlib.crc32)
        mh.update_batch(list(grams))
        assert dedup.signature(text).tolist() == mh.hashvalues.astype(np.uint64).tolist()
        assert dedup.signature(text, normalize(text)).tolist() == mh.hashvalues.astype(np.uint64).tolist()


def test_similarities_against_stored_signatures():
    a, b = dedup.signature(TEXT), dedup.signature(TEXT + " وأصيب 23 آخرون")
    sims = dedup.similarities(a, [dedup.to_bytes(a), dedup.to_bytes(b)])
    assert sims[0] == 1.0 and sims[1] == float(np.mean(a == b))
