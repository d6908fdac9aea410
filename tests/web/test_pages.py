"""Dashboard pages (server-rendered HTML and their JSON twins) and the highlighter."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from marsad.schema import Report
from marsad.web.highlight import Mark, highlight, marks_of
from marsad.web.pages import labels, safe_url
from tests.web.corpus import HOSTILE_BITS, KYIV_A, hostile


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(html)
    return p.tags


PAGES = ["/", "/events", "/articles", "/articles/kyiv-a", "/entities", "/entities/Q1899", "/map", "/search?q=كييف", "/paste"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_rtl_arabic_with_the_bundled_font_and_no_outside_resources(client, url):
    r = client.get(url)
    assert r.status_code == 200
    assert '<html lang="ar" dir="rtl">' in r.text
    for tag, attrs in tags(r.text):
        for key in ("src", "href", "action"):
            value = attrs.get(key) or ""
            assert not re.match(r"^(https?:)?//", value) or tag == "a", f"{url}: {tag} {key}={value} loads from outside"
        assert not any(k.startswith("on") for k in attrs), f"{url}: inline handler on <{tag}>"
        assert "style" not in attrs, f"{url}: inline style on <{tag}> (blocked by the CSP)"
        if tag == "script":
            assert attrs.get("src") == "/static/app.js"
    assert "/fonts/NotoSansArabic.ttf" in client.get("/static/style.css").text


def test_every_page_has_a_json_twin_equal_to_the_api(client, filled_db):
    kyiv = filled_db[1]["kyiv-a"][0]
    assert client.get(f"/events/{kyiv}?format=json").json() == client.get(f"/api/events/{kyiv}").json()
    assert client.get("/articles/kyiv-a?format=json").json() == client.get("/api/articles/kyiv-a").json()
    assert client.get("/entities/Q1899?format=json").json() == client.get("/api/entities/Q1899").json()
    assert client.get("/map?format=json").json() == client.get("/api/places").json()
    api_events = client.get("/api/events?kind=attack&limit=50").json()
    assert client.get("/events?kind=attack&format=json").json() == [
        {k: v for k, v in e.items() if k != "articles"} for e in api_events]
    twin = client.get("/?country=Ukraine&format=json").json()
    assert twin["timeline"] == client.get("/api/timeline?country=Ukraine").json()
    assert twin["filters"]["country"] == "Ukraine"
    assert [h["id"] for h in client.get("/search?q=كييف&format=json").json()] == \
        [h["id"] for h in client.get("/api/search?q=كييف").json()]
    page = client.get("/?country=Ukraine").text
    assert 'href="/?country=Ukraine&amp;format=json"' in page


def test_timeline_charts_and_filters(client, filled_db):
    page = client.get("/", params={"country": "Ukraine", "weapon": "drone"}).text
    assert page.count('<figure class="chart"') == 3
    bars = [a for t, a in tags(page) if t == "rect" and "bar" in (a.get("class") or "")]
    assert {a["class"] for a in bars} >= {"bar s-events", "bar s-launched", "bar s-intercepted", "bar s-killed"}
    links = [a["href"] for t, a in tags(page) if t == "a" and (a.get("href") or "").startswith("/events?")]
    assert any("date_from=2025-08-12" in h and "country=Ukraine" in h for h in links)
    assert "Khan Yunis" not in page.split("أحدث الأحداث")[1], "filtered out: Gaza is not Ukraine"
    bad = client.get("/", params={"date_from": "أمس"})
    assert bad.status_code == 200 and "تاريخ غير صالح" in bad.text


def test_event_page_shows_every_claim_with_outlet_source_and_sentence(client, filled_db):
    kyiv = filled_db[1]["kyiv-a"][0]
    page = client.get(f"/events/{kyiv}").text
    assert "وكالة الشرق" in page and "صحيفة الغد" in page
    assert "Ukrainian Air Force" in page and "Kyiv City Military Administration" in page
    assert "وأن الدفاعات الجوية أسقطت 97 منها" in page
    assert page.count('class="flag bad"') == 2, "intercepted 97/95 and killed 2/3 are flagged"
    rows = [a for t, a in tags(page) if t == "tr" and a.get("data-claim")]
    assert len(rows) == 7
    assert sum("conflict" in (a.get("class") or "") for a in rows) == 4
    assert 'href="/articles/kyiv-a"' in page and 'href="/articles/kyiv-b"' in page


def test_article_page_highlights_figures_sources_entities_quotes_dates_and_warnings(client):
    page = client.get("/articles/kyiv-a").text
    marks = [a for t, a in tags(page) if t == "mark"]
    figures = {a["data-value"]: a for a in marks if a.get("data-kind") == "figure"}
    assert set(figures) == {"120", "97", "2", "14"}
    assert figures["97"]["data-measure"] == "intercepted" and "Ukrainian Air Force" in figures["97"]["data-source"]
    kinds = {a["data-kind"] for a in marks}
    assert kinds == {"figure", "source", "entity", "quote", "date", "warning"}
    assert any(a.get("data-code") == "caption" for a in marks)
    assert any("credit" in (a.get("class") or "") for a in marks), "the photo agency in the credit line"
    assert "سطر تعليق صورة" in page


def test_hostile_article_is_escaped_everywhere(client, filled_db):
    for url in ("/articles/hostile", "/entities/evil", "/articles", f"/events/{filled_db[1]['hostile'][0]}",
                "/search?q=مريب", "/"):
        page = client.get(url).text
        found = tags(page)
        assert [a for t, a in found if t == "script"] == [{"src": "/static/app.js", "defer": None}], url
        assert not [t for t, a in found if t in ("img", "textarea")], url
        assert not [a for t, a in found if t == "svg" and "ltr" not in (a.get("class") or "")], "only our charts"
        assert not any(k.startswith("on") for _, a in found for k in a), url
        assert not any((a.get("href") or "").lower().startswith("javascript:") for _, a in found), url
    page = client.get("/articles/hostile").text
    assert "&lt;script&gt;alert(&#34;x1&#34;)&lt;/script&gt;" in page
    assert "رابط غير آمن" in page, "a javascript: URL is shown as text, never as a link"


def test_paste_box_extracts_and_highlights_without_storing(client):
    text = ("أعلنت القوات الجوية الأوكرانية أن روسيا أطلقت 83 طائرة مسيرة على أوكرانيا الليلة الماضية. "
            + HOSTILE_BITS[3])
    r = client.post("/paste", data={"text": text, "published": "2025-08-17"})
    assert r.status_code == 200
    marks = [a for t, a in tags(r.text) if t == "mark" and a.get("data-kind") == "figure"]
    assert "83" in {a["data-value"] for a in marks}
    assert "&lt;/textarea&gt;&lt;script&gt;" in r.text
    assert len([t for t, _ in tags(r.text) if t == "textarea"]) == 1
    assert client.get("/api/stats").json()["articles"] == 6
    twin = client.post("/paste?format=json", data={"text": text, "published": "2025-08-17"}).json()
    assert any(f["value"] == 83 for a in twin["attacks"] for f in a["figures"])
    assert client.post("/paste", data={"text": "  "}).status_code == 422
    assert "تاريخ غير صالح" in client.post("/paste", data={"text": text, "published": "x"}).text


def test_map_draws_the_vendored_basemap_and_places(client):
    page = client.get("/map").text
    found = tags(page)
    assert sum(1 for t, _ in found if t == "path") > 20, "Natural Earth countries around the places"
    circles = {a["data-name"] for t, a in found if t == "circle"}
    assert circles == {"Kyiv", "Kharkiv", "Khan Yunis", "Odesa"}
    assert 'href="/entities/Q1899"' in page


def test_unknown_pages_are_html_404_and_api_404_is_json(client):
    r = client.get("/events/ev-unknown")
    assert r.status_code == 404 and "ev-unknown" in r.text and r.headers["content-type"].startswith("text/html")
    assert client.get("/api/events/ev-unknown").headers["content-type"] == "application/json"


def test_highlight_nests_crossing_spans_and_escapes():
    text = "قال <b>بوتين</b> إن 5 صواريخ"
    marks = [Mark(4, 16, "entity", "x"), Mark(12, 22, "quote", "y"), Mark(20, 21, "figure", "z", data=(("value", "5"),))]
    html = str(highlight(text, [Mark(m.start, m.end, m.kind, m.tip, m.classes, m.data, i) for i, m in enumerate(marks)]))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.count("<mark") == html.count("</mark>") == 4, "the quote is split where it crosses the entity"
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">") == text
    assert 'data-value="5"' in html


def test_marks_are_clipped_and_deduplicated():
    article, report = hostile()
    marks = marks_of(report, 50, labels())
    assert all(0 <= m.start < m.end <= 50 for m in marks)
    full = marks_of(Report.model_validate(report.model_dump()), len(article.text), labels())
    assert len({(m.start, m.end, m.kind) for m in full}) == len(full)


def test_safe_url_only_links_http():
    assert safe_url("https://example.org/a") == "https://example.org/a"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "", None):
        assert safe_url(bad) is None


def test_article_text_round_trips_through_the_highlight(client):
    page = client.get("/articles/kyiv-a").text
    body = page.split('id="article-text">', 1)[1].split("</article>", 1)[0]
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == KYIV_A
