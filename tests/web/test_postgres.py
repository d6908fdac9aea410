"""The API and pages on PostgreSQL (the same corpus; search uses PostgreSQL's text search there)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.postgres


def test_events_claims_and_conflicts(pg_client):
    (kyiv,) = pg_client.get("/api/events", params={"place": "Kyiv"}).json()
    assert kyiv["n_articles"] == 2 and kyiv["launched"] == 120
    event = pg_client.get(f"/api/events/{kyiv['id']}").json()
    assert {c["value"] for c in event["claims"] if c["measure"] == "intercepted"} == {95, 97}
    page = pg_client.get(f"/events/{kyiv['id']}").text
    assert page.count('class="flag bad"') == 2


def test_arabic_search_and_highlighted_article(pg_client):
    assert [h["id"] for h in pg_client.get("/api/search", params={"q": "الاداره العسكريه"}).json()] == ["kyiv-b"]
    assert 'data-value="97"' in pg_client.get("/articles/kyiv-a").text
    hostile = pg_client.get("/articles/hostile").text
    assert "&lt;script&gt;alert(" in hostile and "<script>alert(" not in hostile


def test_timeline_map_and_filters(pg_client):
    days = {d["date"]: d for d in pg_client.get("/api/timeline", params={"weapon": "drone"}).json()}
    assert set(days) == {"2025-08-10", "2025-08-12", "2025-08-14"}
    assert pg_client.get("/").status_code == 200
    assert 'data-name="Khan Yunis"' in pg_client.get("/map").text
    assert "Gaza Strip" in pg_client.get("/").text, "filter options list the targets"
