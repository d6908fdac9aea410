"""Every input kind ``marsad ingest`` reads, in one stream of articles and problems.

``.txt`` (+ sidecar) and ``.jsonl`` go through ``marsad.io.iter_articles``; ``.html``/``.htm``
pages through trafilatura; ``.xml``/``.rss``/``.atom`` files and ``--feed`` URLs through
feedparser. Directories are walked recursively, hidden files skipped, in sorted order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from marsad.io import ArticleInput, InputProblem, iter_articles
from marsad.ingest.web import WebArticle

TEXT_SUFFIXES = (".txt", ".jsonl")
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")


def iter_sources(paths: Iterable[str | Path], feeds: Iterable[str] = ()) -> Iterator[ArticleInput | InputProblem]:
    """Articles (and problems) of files, directories, ``-`` (stdin) and live feed URLs; never raises."""
    for raw in paths:
        path = Path(raw)
        if str(raw) != "-" and path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                yield InputProblem(str(path), "directory holds no articles (.txt, .jsonl, .html, .xml feeds)")
            for f in files:
                yield from _read_path(f)
        else:
            yield from _read_path(path, raw)
    if feeds:
        from marsad.ingest.feeds import articles_from_feed_url, http_fetcher

        fetch, close = http_fetcher()
        try:
            for url in feeds:
                yield from articles_from_feed_url(url, fetch)
        finally:
            close()


def _read_path(path: Path, raw: str | Path | None = None) -> Iterator[ArticleInput | InputProblem]:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES + FEED_SUFFIXES and path.is_file():
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield InputProblem(str(path), f"cannot read file: {exc.strerror or exc}")
            return
        if suffix in HTML_SUFFIXES:
            from marsad.ingest.html import article_from_html

            yield article_from_html(data, origin=str(path), default_id=path.stem)
        else:
            from marsad.ingest.feeds import articles_from_feed

            yield from articles_from_feed(data, origin=str(path), stem=path.stem)
        return
    yield from iter_articles([raw if raw is not None else path])


__all__ = ["iter_sources", "WebArticle"]
