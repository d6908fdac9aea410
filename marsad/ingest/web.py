"""The article record of web sources: an ``ArticleInput`` that may know its publication time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from marsad.io import ArticleInput


@dataclass(slots=True)
class WebArticle(ArticleInput):
    """An article from an HTML page or a feed entry; ``published_at`` when the source gives a time."""

    published_at: datetime | None = None
