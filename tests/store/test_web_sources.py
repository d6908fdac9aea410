"""HTML pages, RSS files and live feed URLs (a local HTTP server on 127.0.0.1) into articles and the store."""

from __future__ import annotations

import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from marsad.ingest import WebArticle, iter_sources
from marsad.io import ArticleInput, InputProblem
from marsad.schema import Report
from marsad.store import queries
from marsad.store.ingest import ingest

WEB = Path(__file__).resolve().parent.parent / "data" / "web"


def _empty_report(text, meta) -> Report:
    return Report(id=meta.id, title=meta.title)


def test_html_page_main_text_and_metadata():
    (item,) = list(iter_sources([WEB / "kyiv-night.html"]))
    assert isinstance(item, WebArticle)
    assert item.id == "kyiv-night"
    assert item.meta.title == "هجوم واسع بالمسيرات على كييف"
    assert item.meta.outlet == "صحيفة المرصد"
    assert item.meta.url == "https://marsad.example/news/kyiv-night"
    assert item.meta.published == date(2025, 6, 10)
    assert "أطلقت روسيا 120 طائرة مسيرة" in item.text
    assert "الرئيسية" not in item.text and "أسعار الذهب" not in item.text and "الحقوق" not in item.text


def test_html_page_without_an_arabic_article_is_a_problem():
    (item,) = list(iter_sources([WEB / "nav-only.html"]))
    assert isinstance(item, InputProblem)
    assert item.origin.endswith("nav-only.html")


def test_rss_file_entries(tmp_path):
    feed = tmp_path / "wire.xml"
    feed.write_text((WEB / "wire.xml").read_text("utf-8").replace("PORT", "9"), encoding="utf-8")
    items = list(iter_sources([feed]))
    assert len(items) == 2 and all(isinstance(i, WebArticle) for i in items)
    kherson, teaser = items
    assert kherson.meta.outlet == "وكالة المرصد للأنباء"
    assert kherson.meta.url == "https://wire.example/kherson-shelling"
    assert kherson.meta.published == date(2025, 6, 10) and kherson.published_at.hour == 9
    assert kherson.text.startswith("قتل شخصان وأصيب خمسة آخرون") and "\n" in kherson.text
    assert any("short summary" in w for w in teaser.warnings)


def test_directory_mixes_text_html_and_feeds(tmp_path):
    (tmp_path / "a.txt").write_text("قتل ثلاثة أشخاص في قصف على مدينة خاركيف، بحسب حاكم المقاطعة.", encoding="utf-8")
    (tmp_path / "page.html").write_text((WEB / "kyiv-night.html").read_text("utf-8"), encoding="utf-8")
    (tmp_path / "feed.rss").write_text((WEB / "wire.xml").read_text("utf-8"), encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    ids = [i.id for i in iter_sources([tmp_path]) if isinstance(i, ArticleInput)]
    assert ids[0] == "a" and "page" in ids and len(ids) == 4


class _Site(BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        body = self.pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body or b"not found")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    port = server.server_address[1]
    _Site.pages = {
        "/feed.xml": (WEB / "wire.xml").read_text("utf-8").replace("PORT", str(port)).encode("utf-8"),
        "/news/odesa": (WEB / "odesa.html").read_bytes(),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def test_feed_url_fetches_teaser_entries_and_stores_them(site, store):
    summary = ingest(store, iter_sources([], feeds=[f"{site}/feed.xml", f"{site}/missing.xml"]), extract=_empty_report)
    assert summary.counts["added"] == 2
    assert [p.origin for p in summary.problems] == [f"{site}/missing.xml"]
    assert "404" in summary.problems[0].message
    odesa = [a for a in queries.list_articles(store) if a["url"].endswith("/news/odesa")]
    assert len(odesa) == 1
    full = queries.get_article(store, odesa[0]["id"])
    assert "أطلقت 48 طائرة مسيرة" in full["text"] and full["published_at"].startswith("2025-06-10T06:00")
    # fetching the same feed again stores nothing new
    again = ingest(store, iter_sources([], feeds=[f"{site}/feed.xml"]), extract=_empty_report)
    assert again.counts["duplicate"] == 2 and again.counts["added"] == 0
