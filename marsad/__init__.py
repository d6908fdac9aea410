"""marsad (مرصد): source-attributed conflict-event records from Arabic news.

    >>> from marsad import extract
    >>> report = extract(text, published="2025-07-04")
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from marsad.document import ArticleMeta, Document
from marsad.schema import Report

__version__ = "0.1.0"
__all__ = ["extract", "extract_document", "analyse", "Report", "Document", "ArticleMeta", "__version__"]


@lru_cache(maxsize=1)
def _pipeline():
    from marsad.pipeline import Pipeline, default_stages

    return Pipeline(default_stages())


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def analyse(text: str, meta: ArticleMeta | None = None) -> Document:
    """Run the full pipeline and return the annotated ``Document`` (tokens, mentions, …)."""
    doc = Document(text=text, meta=meta or ArticleMeta())
    return _pipeline()(doc)


def extract_document(text: str, meta: ArticleMeta | None = None) -> Report:
    """Extract the report of one article given its metadata."""
    from marsad.report import build_report

    return build_report(analyse(text, meta))


def extract(
    text: str,
    published: date | str | None = None,
    *,
    id: str = "article",
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
) -> Report:
    """Extract attacks, figures, diplomacy, quotes and entities from one Arabic article."""
    meta = ArticleMeta(id=id, published=_as_date(published), url=url, outlet=outlet, title=title)
    return extract_document(text, meta)
