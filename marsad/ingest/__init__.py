"""marsad.ingest: articles from text/JSONL files (``marsad.io``), HTML pages and RSS/Atom feeds."""

from marsad.ingest.sources import WebArticle, iter_sources

__all__ = ["WebArticle", "iter_sources"]
