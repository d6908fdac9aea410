"""Page load times of ``marsad serve`` over a large store: server render time and browser load time.

    python bench/web_load.py --articles 10000                 # build a 10k store, serve it, measure
    python bench/web_load.py --db /tmp/web10k.db --runs 20     # reuse a store built before

The store is filled with ``marsad.link.synthetic.variants`` of the dev + seed articles (realistic
rewordings: new nights, scaled counts, several outlets per event), each extracted by the real
pipeline so the article pages have everything highlighted. The server is ``marsad serve`` in a
subprocess. For each page: the server time (median / p95 over ``--runs`` requests with httpx,
request to last byte) and the browser time in headless Chromium (``performance`` navigation entry:
``responseEnd``, ``domContentLoaded``, ``load``, median over ``--runs`` fresh loads, cache disabled).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def build(db: Path, n: int, extract: bool = True) -> float:
    """Fill ``db`` with ``n`` variants, extracted (or with the generator's own reports: figures and
    places but no spans, entities or quotes); returns the seconds it took."""
    from marsad import extract_document
    from marsad.link.synthetic import load_bases, variants
    from marsad.store.db import open_store
    from marsad.store.ingest import ingest
    from tests.conftest import DEV, SEEDS

    t0 = time.perf_counter()
    with open_store(db) as store:
        made: dict[str, object] = {}

        def articles():  # type: ignore[no-untyped-def]
            for a, report, _ in variants(load_bases(DEV, SEEDS), n):
                made[a.id] = report
                yield a

        summary = ingest(store, articles(), extract=extract_document if extract else lambda _, m: made.pop(m.id),
                         embed=False)
    print(f"built {db}: {dict(summary.counts)} in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return time.perf_counter() - t0


def pages(db: Path) -> dict[str, str]:
    """The URLs measured, chosen from the store: the busiest event, an article of it, the top place."""
    from marsad.store import queries
    from marsad.store.db import open_store
    from marsad.store import tables as t
    import sqlalchemy as sa

    with open_store(db) as store:
        with store.read() as conn:
            ev = conn.execute(sa.select(t.events.c.id, t.events.c.date).where(t.events.c.kind == "attack")
                              .order_by(t.events.c.n_articles.desc()).limit(1)).first()
        event = queries.get_event(store, ev.id)
        article = event["articles"][0]["id"]
        entity = (queries.list_entities(store, type="LOC", limit=1) or queries.list_entities(store, limit=1) or [None])[0]
        first = queries.timeline(store)[0]["date"]
    urls = {
        "timeline (all)": "/",
        "timeline (war + weapon + month)": f"/?country=Ukraine&weapon=drone&date_from={first[:8]}01&date_to={first[:8]}28",
        "events list": "/events",
        "event (busiest)": f"/events/{ev.id}",
        "article (highlighted)": f"/articles/{article}",
        "entities list": "/entities",
        "map": "/map",
        "search": "/search?q=" + "الدفاعات الجوية",
        "api events": "/api/events?limit=100",
    }
    if entity:  # a store of the generator's own reports has no entities
        urls["entity (most mentioned place)"] = f"/entities/{entity['id']}"
    return urls


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                            env={**os.environ, "MARSAD_API_TOKEN": ""})
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("marsad serve did not start")


def _ms(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {"median": round(statistics.median(values), 1), "p95": round(values[min(len(values) - 1, int(0.95 * len(values)))], 1)}


def server_times(base: str, urls: dict[str, str], runs: int) -> dict[str, dict]:
    import httpx

    out = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, url in urls.items():
            client.get(url)  # warm caches (basemap, lexicons)
            times, size = [], 0
            for _ in range(runs):
                t0 = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                size = len(r.content)
                assert r.status_code == 200, (url, r.status_code)
            out[name] = {**_ms(times), "kb": round(size / 1024, 1)}
    return out


def browser_times(base: str, urls: dict[str, str], runs: int) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, url in urls.items():
            if url.startswith("/api/"):
                continue
            resp, dcl, load = [], [], []
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 1360, "height": 900})
                page = ctx.new_page()
                page.goto(base + url, wait_until="load")
                nav = page.evaluate("JSON.parse(JSON.stringify(performance.getEntriesByType('navigation')[0]))")
                resp.append(nav["responseEnd"] - nav["startTime"])
                dcl.append(nav["domContentLoadedEventEnd"] - nav["startTime"])
                load.append(nav["loadEventEnd"] - nav["startTime"])
                ctx.close()
            out[name] = {"response_end": _ms(resp)["median"], "dom_content_loaded": _ms(dcl)["median"],
                         "load": _ms(load)["median"]}
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--db", type=Path, help="an existing store to measure (else a new one is built in a temp dir)")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-extract", dest="extract", action="store_false",
                    help="store the generator's reports instead of extracting (fast; no spans, entities, quotes)")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    args = ap.parse_args()
    tmp = None
    db = args.db
    build_s = None
    if db is None or not db.exists():
        if db is None:
            tmp = tempfile.TemporaryDirectory(prefix="marsad-web-bench-")
            db = Path(tmp.name) / "bench.db"
        build_s = build(db, args.articles, args.extract)
    urls = pages(db)
    port = _free_port()
    proc = serve(db, port)
    try:
        base = f"http://127.0.0.1:{port}"
        server = server_times(base, urls, args.runs)
        browser = browser_times(base, urls, max(3, args.runs // 2))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    from marsad.store import queries
    from marsad.store.db import open_store

    with open_store(db) as store:
        stats = queries.stats(store)
    result = {"stats": stats, "build_seconds": build_s, "server_ms": server, "browser_ms": browser, "urls": urls}
    print(f"store: {stats['articles']} articles, {stats['attack_events']} attack events, {stats['claims']} claims")
    print(f"{'page':34} {'server median':>13} {'p95':>7} {'KB':>7} {'browser responseEnd':>20} {'DOMContentLoaded':>17} {'load':>7}")
    for name in urls:
        s, b = server[name], browser.get(name)
        shown = (f"{b['response_end']:>18.1f}ms {b['dom_content_loaded']:>15.1f}ms {b['load']:>5.1f}ms" if b
                 else f"{'— (JSON, no page)':>20}")
        print(f"{name:34} {s['median']:>11.1f}ms {s['p95']:>5.1f}ms {s['kb']:>7.1f} {shown}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
