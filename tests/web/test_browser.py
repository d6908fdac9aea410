"""The real pages in headless Chromium (Debian ``chromium`` driven by Playwright; never ``playwright install``).

Screenshots go to ``$MARSAD_SCREENSHOTS`` when set (to look at them), else to a temporary directory.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from marsad.web.app import create_app
from tests.conftest import require

pytestmark = pytest.mark.browser
CHROMIUM = Path(os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(filled_db):
    """The app served by uvicorn on a free local port, in a thread."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(filled_db[0], token=""), host="127.0.0.1", port=port,
                                       log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records every request URL, every dialog and every console error."""
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="ar")
    pg = context.new_page()
    pg.requests, pg.dialogs, pg.errors = [], [], []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    out = Path(os.environ.get("MARSAD_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _only_local(pg, server: str) -> None:  # type: ignore[no-untyped-def]
    outside = [u for u in pg.requests if not (u.startswith(server) or u.startswith("data:"))]
    assert not outside, f"requests outside the server: {outside}"


def test_timeline_to_event_to_article_with_highlighted_figure(page, server, shots):
    page.goto(server + "/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("figure.chart").count() == 3
    page.screenshot(path=str(shots / "timeline.png"), full_page=True)

    page.locator("table.events tr", has_text="Kyiv").locator("a.ev-link").click()
    page.wait_for_url("**/events/ev-*")
    assert page.locator("table.claims tr.conflict").count() == 4
    page.screenshot(path=str(shots / "event.png"), full_page=True)

    page.locator("table.claims a.claim-article", has_text="وكالة الشرق").first.click()
    page.wait_for_url("**/articles/kyiv-a")
    figure = page.locator('mark.hl-figure[data-value="97"]')
    assert figure.count() == 1
    assert figure.inner_text() == "97"
    assert figure.get_attribute("data-measure") == "intercepted"
    figure.hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    assert "اعتُرض: 97" in tip.inner_text() and "Ukrainian Air Force" in tip.inner_text()
    page.screenshot(path=str(shots / "article.png"), full_page=True)
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"')")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Noto Sans Arabic') && f.status === 'loaded')")
    assert not page.errors
    _only_local(page, server)


def test_hostile_article_renders_inert(page, server, shots):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(server + "/articles/hostile")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("mark.hl").first.hover()
    for mark in page.locator("mark.hl").all():
        mark.hover()
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.evaluate("[...document.scripts].map(s => s.getAttribute('src'))") == ["/static/app.js"]
    assert page.locator("img, iframe, object, embed, textarea").count() == 0
    assert page.evaluate("[...document.querySelectorAll('svg')].filter(s => !s.classList.contains('ltr')).length") == 0
    assert page.evaluate("[...document.querySelectorAll('a')].filter(a => a.href.startsWith('javascript:')).length") == 0
    assert "<script>alert(\"x1\")</script>" in page.locator("h1").inner_text()
    assert page.locator('mark.hl-figure[data-value="77"]').count() == 1
    page.screenshot(path=str(shots / "hostile.png"), full_page=True)
    assert violations == [], "nothing even tried to run"
    _only_local(page, server)


def test_paste_box_with_hostile_text(page, server, shots):
    page.goto(server + "/paste")
    text = ("أعلنت القوات الجوية الأوكرانية أن روسيا أطلقت 83 طائرة مسيرة على أوكرانيا الليلة الماضية، "
            "وأسقطت الدفاعات 70 منها.\n</textarea><script>alert('paste')</script><img src=x onerror=alert('img')>")
    page.fill("textarea[name=text]", text)
    page.fill("input[name=published]", "2025-08-17")
    page.click("form.paste button[type=submit]")
    page.wait_for_selector("article.text")
    assert page.dialogs == []
    assert page.locator('mark.hl-figure[data-value="83"]').count() == 1
    assert page.input_value("textarea[name=text]") == text.replace("\r\n", "\n")
    assert page.locator("img").count() == 0
    page.screenshot(path=str(shots / "paste.png"), full_page=True)
    _only_local(page, server)


def test_map_is_drawn_offline(page, server, shots):
    page.goto(server + "/map")
    assert page.locator("path.land").count() > 20
    assert page.locator("circle.place").count() == 4
    box = page.locator("figure.map svg").bounding_box()
    assert box and box["width"] > 600 and box["height"] > 300
    page.locator('circle.place[data-name="Kharkiv"]').click()
    page.wait_for_url("**/entities/Q42308")
    assert "Kharkiv" in page.locator("h1").inner_text()
    page.goto(server + "/map")
    page.screenshot(path=str(shots / "map.png"), full_page=True)
    _only_local(page, server)
