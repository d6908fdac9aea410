"""The REST API over a store filled with the test corpus."""

from __future__ import annotations

import csv
import io
import json

from tests.web.conftest import TOKEN
from tests.web.corpus import KYIV_A


def test_events_list_with_filters(client, filled_db):
    _, events = filled_db
    kyiv = events["kyiv-a"][0]
    assert events["kyiv-b"] == [kyiv], "the two reports of the same night are one event"
    r = client.get("/api/events", params={"weapon": "drone", "date_from": "2025-08-10", "date_to": "2025-08-10"})
    assert r.status_code == 200
    (ev,) = r.json()
    assert ev["id"] == kyiv and ev["launched"] == 120 and ev["n_articles"] == 2
    assert sorted(ev["articles"]) == ["kyiv-a", "kyiv-b"]
    assert {e["id"] for e in client.get("/api/events", params={"actor": "Israel"}).json()} == set(events["gaza"])
    assert {e["kind"] for e in client.get("/api/events", params={"kind": "diplomacy"}).json()} == {"diplomacy"}


def test_bad_filters_are_422_not_500(client):
    assert client.get("/api/events", params={"date_from": "10/08/2025"}).status_code == 422
    assert client.get("/api/events", params={"limit": 0}).status_code == 422
    assert client.get("/api/events", params={"kind": "battle"}).status_code == 422
    assert client.get("/api/export/xlsx").status_code == 422


def test_event_claims_conflicts_and_consensus(client, filled_db):
    kyiv = filled_db[1]["kyiv-a"][0]
    ev = client.get(f"/api/events/{kyiv}").json()
    intercepted = {c["outlet"]: c["value"] for c in ev["claims"] if c["measure"] == "intercepted"}
    assert intercepted == {"وكالة الشرق": 97, "صحيفة الغد": 95}
    assert any(sorted(c["values"]) == [95, 97] for c in ev["conflicts"])
    claims = client.get(f"/api/events/{kyiv}/claims").json()
    assert claims == ev["claims"]
    sentence = next(c["sentence"] for c in claims if c["value"] == 14)
    assert "وأصيب 14 آخرون" in sentence


def test_unknown_ids_are_404(client):
    for url in ("/api/events/ev-nope", "/api/events/ev-nope/claims", "/api/articles/nope", "/api/entities/Q0"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "nope" in r.json()["detail"] or "Q0" in r.json()["detail"]


def test_article_has_text_and_stored_report(client):
    a = client.get("/api/articles/kyiv-a").json()
    assert a["text"] == KYIV_A
    fig = a["report"]["attacks"][0]["figures"][0]
    assert KYIV_A[fig["span"]["start"]:fig["span"]["end"]] == "120"
    assert a["outlet"] == "وكالة الشرق"
    listed = client.get("/api/articles", params={"outlet": "وكالة الشرق"}).json()
    assert {x["id"] for x in listed} == {"kyiv-a", "kharkiv", "call"}
    assert all("text" not in x for x in listed)


def test_entities_and_places(client):
    kyiv = client.get("/api/entities/Q1899").json()
    assert kyiv["name"] == "Kyiv" and set(kyiv["articles"]) == {"kyiv-a", "kyiv-b"}
    trump = client.get("/api/entities/Q22686").json()
    assert [q["text"] for q in trump["quotes"]] == ["كانت مكالمة جيدة لكنها لم تحقق تقدماً"]
    people = client.get("/api/entities", params={"type": "PER"}).json()
    assert {"Vitali Klitschko", "Donald Trump"} <= {e["name"] for e in people}
    places = {p["name"]: p for p in client.get("/api/places").json()}
    assert places["Kyiv"]["lat"] == 50.45 and places["Kyiv"]["n_events"] == 1
    assert set(places) == {"Kyiv", "Kharkiv", "Khan Yunis", "Odesa"}
    assert {p["name"] for p in client.get("/api/places", params={"country": "Palestine"}).json()} == {"Khan Yunis"}


def test_timeline_per_day(client):
    days = {d["date"]: d for d in client.get("/api/timeline", params={"country": "Ukraine"}).json()}
    assert set(days) == {"2025-08-10", "2025-08-12", "2025-08-14"}
    assert days["2025-08-12"]["launched"] == 40 and days["2025-08-12"]["intercepted"] == 31


def test_search_is_arabic_aware(client):
    # Written without hamza and with ه for ة: still finds "الإدارة العسكرية" and "وأفادت".
    hits = client.get("/api/search", params={"q": "الاداره العسكريه"}).json()
    assert [h["id"] for h in hits] == ["kyiv-b"]
    assert "العسكرية" in hits[0]["snippet"]
    assert {h["id"] for h in client.get("/api/search", params={"q": "خاركيف"}).json()} == {"kharkiv"}
    assert client.get("/api/search", params={"q": ""}).status_code == 422


def test_exports(client, filled_db):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export/csv").text)))
    kyiv = next(r for r in rows if r["event_id"] == filled_db[1]["kyiv-a"][0])
    assert kyiv["location"] == "Kyiv" and kyiv["fatalities"] == "3" and kyiv["launched"] == "120"
    claims = list(csv.DictReader(io.StringIO(client.get("/api/export/claims.csv").text)))
    assert {c["value"] for c in claims if c["measure"] == "intercepted" and c["event_id"] == kyiv["event_id"]} == {"95", "97"}
    lines = client.get("/api/export/jsonl").text.splitlines()
    assert len(lines) == len(rows) and json.loads(lines[0])["id"]
    geo = client.get("/api/export/geojson", params={"date_from": "2025-08-11", "date_to": "2025-08-11"}).json()
    assert [f["properties"]["place"] for f in geo["features"]] == ["Khan Yunis"]
    assert geo["features"][0]["geometry"]["coordinates"] == [34.31, 31.34]


def test_writes_disabled_without_configured_token(client):
    r = client.post("/api/articles", json={"id": "x", "text": "نص"}, headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and "--token" in r.json()["detail"]
    assert client.delete("/api/articles/kyiv-a").status_code == 403
    assert client.get("/api/articles/kyiv-a").status_code == 200


def test_writes_need_the_right_token(writable):
    assert writable.delete("/api/articles/kharkiv").status_code == 401
    assert writable.delete("/api/articles/kharkiv", headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert writable.delete("/api/articles/kharkiv", headers=auth).status_code == 204
    assert writable.get("/api/articles/kharkiv").status_code == 404
    assert writable.delete("/api/articles/kharkiv", headers=auth).status_code == 404
    assert writable.get("/api/events", params={"place": "Kharkiv"}).json() == []


def test_ingest_through_the_api(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    article = {"id": "zap", "published": "2025-08-15", "outlet": "وكالة الشرق",
               "text": "أعلنت القوات الجوية الأوكرانية أن روسيا أطلقت 64 طائرة مسيرة على زابوريجيا ليلة الخميس."}
    r = writable.post("/api/articles", json=article, headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "added" and r.json()["article_id"] == "zap"
    assert writable.get("/api/articles/zap").json()["text"] == article["text"]
    again = writable.post("/api/articles", json=article, headers=auth)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert writable.post("/api/articles", json={**article, "text": ""}, headers=auth).status_code == 422


def test_extract_on_the_fly(client):
    text = "قالت القوات الجوية الأوكرانية إن روسيا أطلقت 58 طائرة مسيرة على أوكرانيا الليلة الماضية، أسقط منها 41."
    r = client.post("/api/extract", json={"text": text, "published": "2025-08-16"})
    assert r.status_code == 200
    report = r.json()
    values = {(f["measure"], f["value"]) for a in report["attacks"] for f in a["figures"]}
    assert ("launched", 58) in values
    assert client.get("/api/stats").json()["articles"] == 6, "extracting stores nothing"
    assert client.post("/api/extract", json={"text": ""}).status_code == 422


def test_security_headers_on_api_and_pages(client):
    for url in ("/api/events", "/", "/openapi.json", "/static/style.css"):
        csp = client.get(url).headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp


def test_openapi_documents_the_api_only(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/articles", "/api/search", "/api/export/{fmt}",
            "/api/extract", "/api/timeline", "/api/places", "/api/entities/{entity_id}"} <= set(paths)
    assert not [p for p in paths if not p.startswith("/api/")]
    assert "security" in paths["/api/articles"]["post"] and "security" not in paths["/api/articles"]["get"]
