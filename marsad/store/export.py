"""Exports of the event record: ACLED-style CSV (+ a claims CSV), JSONL, GeoJSON points of places hit."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterator, TextIO

import sqlalchemy as sa

from marsad.store import queries
from marsad.store import tables as t
from marsad.store.db import Store

EVENT_COLUMNS = (
    "event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
    "location", "latitude", "longitude", "fatalities", "source", "notes",
    # marsad's own columns after ACLED's
    "launched", "intercepted", "injured", "n_articles", "articles", "conflicts", "largest",
)
CLAIM_COLUMNS = (
    "event_id", "claim_id", "article_id", "outlet", "published", "measure", "weapon", "value", "qualifier",
    "source", "source_kind", "is_consensus", "sentence", "url",
)
PAGE = 500
_ADMIN1 = (" oblast", " governorate", " province", " region", " state")
_AIR = {"drone", "aircraft", "guided_bomb"}
FORMATS = ("csv", "jsonl", "geojson")


def iter_events(store: Store, **filters: Any) -> Iterator[dict]:
    """Every event matching the filters, in full (``queries.get_event``), page by page."""
    offset = 0
    while True:
        page = queries.list_events(store, limit=PAGE, offset=offset, **filters)
        for ev in page:
            full = queries.get_event(store, ev["id"])
            if full:
                yield full
        if len(page) < PAGE:
            return
        offset += PAGE


def _sub_event_type(ev: dict) -> str:
    if ev["kind"] == "diplomacy":
        return ev.get("type") or ""
    weapons = set(ev.get("weapons") or [])
    if weapons & _AIR:
        return "Air/drone strike"
    if weapons:
        return "Shelling/artillery/missile attack"
    return "Remote explosive/landmine/IED" if not ev.get("attacker") else "Attack"


def acled_row(ev: dict) -> dict:
    """One export row for an event (ACLED column names where they fit)."""
    places = [p for p in ev.get("places") or [] if p.get("lat") is not None]
    located = places[0] if places else None
    locations = ev.get("locations") or []
    participants = [p if isinstance(p, str) else p[0] for p in ev.get("participants") or []]
    is_attack = ev["kind"] == "attack"
    consensus = ev.get("consensus") or []
    notes = "; ".join(
        f"{c['measure']} {c['weapon'] or ''} {_hedged(c)} ({', '.join(c['source']) or 'unattributed'}, {c['outlet'] or '?'})".replace("  ", " ")
        for c in consensus
    ) if is_attack else "; ".join(r.get("sentence") or "" for r in ev.get("reports", [])[:1])
    return {
        "event_id": ev["id"], "event_date": ev.get("date") or "",
        "event_type": "Explosions/Remote violence" if is_attack else "Strategic developments",
        "sub_event_type": _sub_event_type(ev),
        "actor1": ev.get("attacker") if is_attack else (participants[0] if participants else ""),
        "actor2": ev.get("target") if is_attack else (participants[1] if len(participants) > 1 else ""),
        "country": (located or {}).get("country") or (ev.get("target") if is_attack else "") or "",
        "admin1": next((x for x in locations if x.lower().endswith(_ADMIN1)), ""),
        "location": (located or {}).get("name") or (locations[0] if locations else ""),
        "latitude": (located or {}).get("lat", ""), "longitude": (located or {}).get("lon", ""),
        "fatalities": ev.get("killed") or 0,
        "source": "; ".join(sorted({a["outlet"] for a in ev.get("articles", []) if a.get("outlet")})),
        "notes": notes,
        "launched": ev.get("launched") or "", "intercepted": ev.get("intercepted") or "",
        "injured": ev.get("injured") or "", "n_articles": ev.get("n_articles") or 0,
        "articles": " ".join(a["id"] for a in ev.get("articles", [])),
        "conflicts": ev.get("n_conflicts", 0) if is_attack else 0,
        "largest": bool(ev.get("largest")),
    }


def _hedged(c: dict) -> str:
    sign = {"approx": "~", "at_least": "≥", "more_than": ">", "up_to": "≤", "less_than": "<"}.get(c["qualifier"], "")
    return f"{sign}{c['value']}"


def claim_rows(ev: dict) -> Iterator[dict]:
    """One row per claim of an event, marking the claim the consensus chose."""
    chosen = {c["claim_id"] for c in ev.get("consensus") or []}
    for c in ev.get("claims") or []:
        yield {
            "event_id": ev["id"], "claim_id": c["id"], "article_id": c["article_id"], "outlet": c.get("outlet") or "",
            "published": c.get("published_at") or c.get("published") or "", "measure": c["measure"],
            "weapon": c.get("weapon") or "", "value": c["value"], "qualifier": c["qualifier"],
            "source": "; ".join(c.get("source") or []), "source_kind": c["source_kind"],
            "is_consensus": c["id"] in chosen, "sentence": c.get("sentence") or "", "url": c.get("url") or "",
        }


def export(store: Store, fmt: str, out: Path, **filters: Any) -> dict[str, int]:
    """Write the export ``fmt`` to ``out`` (CSV also writes ``<out stem>.claims.csv``); returns counts."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        claims_path = out.with_name(out.stem + ".claims.csv")
        n_events = n_claims = 0
        with out.open("w", newline="", encoding="utf-8") as fe, claims_path.open("w", newline="", encoding="utf-8") as fc:
            we, wc = csv.DictWriter(fe, EVENT_COLUMNS), csv.DictWriter(fc, CLAIM_COLUMNS)
            we.writeheader()
            wc.writeheader()
            for ev in iter_events(store, **filters):
                we.writerow(acled_row(ev))
                n_events += 1
                for row in claim_rows(ev):
                    wc.writerow(row)
                    n_claims += 1
        return {"events": n_events, "claims": n_claims}
    with out.open("w", encoding="utf-8") as fh:
        if fmt == "jsonl":
            n = 0
            for ev in iter_events(store, **filters):
                fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
                n += 1
            return {"events": n}
        return {"features": _write_geojson(store, fh, **filters)}


def _write_geojson(store: Store, fh: TextIO, **filters: Any) -> int:
    """A FeatureCollection with one Point per (attack event, place hit) that has coordinates."""
    conds = queries.event_filters(**filters) + [t.events.c.kind == "attack"]
    p, e = t.attack_places.c, t.events.c
    query = (sa.select(e.id, e.date, e.attacker, e.target, e.weapons, e.launched, e.intercepted, e.killed, e.injured,
                       e.n_articles, p.name, p.entity_id, p.country, sa.func.max(p.lat).label("lat"),
                       sa.func.max(p.lon).label("lon"))
             .join(t.events, e.id == p.event_id).where(p.lat.isnot(None), p.lon.isnot(None), *conds)
             .group_by(e.id, e.date, e.attacker, e.target, e.weapons, e.launched, e.intercepted, e.killed, e.injured,
                       e.n_articles, p.name, p.entity_id, p.country)
             .order_by(e.date, e.id, p.name))
    features = []
    with store.read() as conn:
        for r in conn.execute(query).mappings():
            props = {k: queries.jsonable(r[k]) for k in ("date", "attacker", "target", "weapons", "launched",
                                                          "intercepted", "killed", "injured", "n_articles",
                                                          "entity_id", "country")}
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(float(r["lon"]), 5), round(float(r["lat"]), 5)]},
                "properties": {"event_id": r["id"], "place": r["name"], **props},
            })
    json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
    return len(features)
