"""All four text stages on every seed and dev article from ../shared: no error, spans inside the text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from marsad.document import ArticleMeta, Document
from marsad.pipeline import Pipeline
from marsad.text.dates import dates_stage
from marsad.text.normalize import normalize_stage
from marsad.text.numbers import numbers_stage
from marsad.text.segment import segment_stage
from marsad.text.tokens import tokenize_stage
from tests.conftest import DEV, SEEDS, require

TEXT_STAGES = Pipeline([normalize_stage, segment_stage, tokenize_stage, numbers_stage, dates_stage])


def run_text(text: str, published: date | None = None) -> Document:
    """The four text stages on ``text`` (shared by the other test_text_* modules)."""
    return TEXT_STAGES(Document(text, ArticleMeta(published=published)))


def _articles() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) + sorted(DEV.glob("*.txt"))


def _published(path: Path) -> date | None:
    gold = path.with_name(path.stem + ".gold.json")
    if gold.exists():
        value = json.loads(gold.read_text("utf-8")).get("published")
        return date.fromisoformat(value) if value else None
    return None


def _run(path: Path) -> Document:
    doc = Document(path.read_text("utf-8"), ArticleMeta(id=path.stem, published=_published(path)))
    return TEXT_STAGES(doc)


def test_shared_articles_exist(shared_dir):
    require(len(_articles()) >= 2, "no seed/dev articles found")


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.stem)
def test_text_stages_on_article(path: Path):
    doc = _run(path)
    n = len(doc.text)
    assert doc.sentences and doc.tokens
    for group in (doc.sentences, doc.quotations, doc.tokens, doc.numbers, doc.dates):
        starts = [x.start for x in group]
        assert starts == sorted(starts)
        for x in group:
            assert 0 <= x.start <= x.end <= n
    for s in doc.sentences:
        span = doc.text[s.start:s.end]
        assert span == span.strip() and span
    for a, b in zip(doc.sentences, doc.sentences[1:]):
        assert a.end <= b.start
    # every non-space character of the text lies in some sentence (bullets excepted)
    covered = bytearray(n)
    for s in doc.sentences:
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    missing = {doc.text[i] for i in range(n) if not covered[i] and not doc.text[i].isspace()}
    assert missing <= {"•"}
    for t in doc.tokens:
        assert t.start <= t.stem_start <= t.stem_end <= t.end
    for w in doc.warnings:
        assert w.start is not None and 0 <= w.start < w.end <= n


def test_seed_000_shape(shared_dir):
    doc = _run(SEEDS / "seed-000.txt")
    kinds = [s.kind for s in doc.sentences]
    assert kinds[0] == "dateline" and doc.text[doc.sentences[0].start:doc.sentences[0].end] == "لندن –"
    assert kinds.count("caption") == 3 and kinds.count("credit") == 3
    values = [(n.value, n.qualifier) for n in doc.numbers if not n.implicit]
    assert (539, "exact") in values and (10, "approx") in values and (23, "exact") in values
    assert (1, "at_least") in values
