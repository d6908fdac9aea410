"""Articles from RSS/Atom feeds: feed files on disk and live feed URLs (feedparser + httpx).

An entry whose feed carries the full text (``content:encoded``, Atom ``content``) is read from
the feed; an entry with only a teaser is fetched from its link when the feed came from the web.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from typing import Callable, Iterator

from marsad.document import ArticleMeta
from marsad.io import InputProblem, UnreadableInput, decode_article
from marsad.ingest.html import article_from_html
from marsad.ingest.web import WebArticle

USER_AGENT = "marsad/0.1 (+https://github.com/marsad; Arabic conflict-news observatory)"
TIMEOUT_S = 20.0
# Below this many characters a feed entry is a teaser, not the article.
MIN_FULL_TEXT = 400
_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote|tr)>|<br\s*/?>", re.I)

Fetch = Callable[[str], bytes]


def articles_from_feed(
    data: bytes, *, origin: str, stem: str, fetch: Fetch | None = None,
) -> Iterator[WebArticle | InputProblem]:
    """The articles of one feed document; ``fetch(url)`` (if given) reads entries that hold only a teaser."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        why = f": {parsed.bozo_exception}" if parsed.get("bozo") else ""
        yield InputProblem(origin, f"not an RSS/Atom feed or a feed with no entries{why}")
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, start=1):
        yield _entry_article(entry, n, origin=origin, stem=stem, outlet=outlet, fetch=fetch)


def _entry_article(entry, n: int, *, origin: str, stem: str, outlet: str | None, fetch: Fetch | None) -> WebArticle | InputProblem:  # type: ignore[no-untyped-def]
    where = f"{origin}#{n}"
    link = entry.get("link")
    key = link or entry.get("id") or f"{stem}-{n}"
    article_id = f"{stem}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"
    published_at = _entry_time(entry)
    meta = ArticleMeta(
        id=article_id, url=link, outlet=outlet, title=(entry.get("title") or "").strip() or None,
        published=published_at.date() if published_at else None,
    )
    body = _entry_html(entry)
    text = _html_fragment_text(body) if body else ""
    if len(text) < MIN_FULL_TEXT and fetch is not None and link:
        try:
            page = fetch(link)
        except Exception as exc:  # network errors of every kind become a problem for this entry only
            return InputProblem(where, f"cannot fetch {link}: {exc}")
        article = article_from_html(page, origin=where, default_id=article_id, url=link, fallback=meta)
        if isinstance(article, WebArticle) and published_at:
            article.published_at = published_at
        return article
    if not text:
        return InputProblem(where, "feed entry has no text")
    try:
        text, warning = decode_article(text.encode("utf-8"))
    except UnreadableInput as exc:
        return InputProblem(where, f"feed entry: {exc}")
    warnings = [warning] if warning else []
    if len(text) < MIN_FULL_TEXT:
        warnings.append("feed entry holds only a short summary; the article may be longer")
    return WebArticle(id=article_id, text=text, meta=meta, origin=where, warnings=warnings, published_at=published_at)


def _entry_html(entry) -> str:  # type: ignore[no-untyped-def]
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary


def _html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one line per block element."""
    import lxml.html

    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", fragment)
    try:
        root = lxml.html.fromstring(f"<div>{marked}</div>")
    except Exception:
        return ""
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _entry_time(entry) -> datetime | None:  # type: ignore[no-untyped-def]
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    return datetime(*stamp[:6], tzinfo=timezone.utc).replace(tzinfo=None)


def http_fetcher() -> tuple[Fetch, Callable[[], None]]:
    """A fetch function over one pooled httpx client, and the function that closes it."""
    import httpx

    client = httpx.Client(timeout=TIMEOUT_S, follow_redirects=True, headers={"User-Agent": USER_AGENT})

    def fetch(url: str) -> bytes:
        response = client.get(url)
        response.raise_for_status()
        return response.content

    return fetch, client.close


def articles_from_feed_url(url: str, fetch: Fetch) -> Iterator[WebArticle | InputProblem]:
    """The articles of a live feed; the feed and teaser-only entries are read with ``fetch``."""
    try:
        data = fetch(url)
    except Exception as exc:
        yield InputProblem(url, f"cannot fetch feed: {exc}")
        return
    stem = re.sub(r"[^A-Za-z0-9]+", "-", url.split("://", 1)[-1]).strip("-")[:60] or "feed"
    yield from articles_from_feed(data, origin=url, stem=stem, fetch=fetch)
