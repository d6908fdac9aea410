"""Articles from HTML pages: main text and metadata (title, date, URL, site name) through trafilatura."""

from __future__ import annotations

from datetime import date, datetime

from marsad.document import ArticleMeta
from marsad.io import InputProblem, UnreadableInput, decode_article, parse_published
from marsad.ingest.web import WebArticle


def article_from_html(
    html: bytes | str,
    *,
    origin: str,
    default_id: str,
    url: str | None = None,
    fallback: ArticleMeta | None = None,
) -> WebArticle | InputProblem:
    """The article of one HTML page, or a problem naming ``origin`` when the page holds no Arabic article.

    Page metadata wins over ``fallback`` (e.g. an RSS entry's title and date) only where present.
    """
    import trafilatura

    if isinstance(html, bytes):
        try:
            html, _ = decode_article(html)
        except UnreadableInput as exc:
            return InputProblem(origin, f"HTML page: {exc}")
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_recall=True)
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        return InputProblem(origin, f"HTML page could not be parsed: {exc}")
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        return InputProblem(origin, "HTML page has no main text (navigation or boilerplate only)")
    try:
        text, warning = decode_article(text.encode("utf-8"))
    except UnreadableInput as exc:
        return InputProblem(origin, f"HTML page: {exc}")
    fb = fallback or ArticleMeta(id=default_id)
    warnings = [warning] if warning else []
    published = fb.published
    if doc.date:
        try:
            published = parse_published(doc.date)
        except ValueError:
            warnings.append(f"page date {doc.date!r} ignored: not an ISO date")
    meta = ArticleMeta(
        id=fb.id or default_id,
        published=published,
        url=doc.url or url or fb.url,
        outlet=doc.sitename or fb.outlet or doc.hostname,
        title=doc.title or fb.title,
    )
    published_at = datetime.combine(published, datetime.min.time()) if isinstance(published, date) else None
    return WebArticle(id=meta.id, text=text, meta=meta, origin=origin, warnings=warnings, published_at=published_at)
