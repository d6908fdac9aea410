"""Read (and delete) functions over the store: what the CLI, the REST API and the web pages show.

Every function takes an open ``Store`` (``open_store(path_or_url)``) and returns plain,
JSON-serialisable dicts and lists (dates as ISO strings), so the three front ends stay thin.

    store = open_store("marsad.db")
    for ev in list_events(store, date_from="2025-07-01", date_to="2025-07-07", weapon="drone"):
        print(ev["id"], ev["date"], ev["launched"])
    event = get_event(store, ev["id"])      # claims, consensus, conflicts, reference check, articles
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from marsad.store import search as _search
from marsad.store import tables as t
from marsad.store.db import Store, StoreError, open_store
from marsad.store.ingest import delete_article

__all__ = [
    "open_store", "Store", "StoreError", "list_events", "count_events", "get_event", "get_article",
    "list_articles", "list_entities", "get_entity", "places_hit", "timeline", "search", "delete_article",
    "stats", "list_problems",
]

DateLike = date | str | None


def _d(value: DateLike) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _row(mapping) -> dict:  # type: ignore[no-untyped-def]
    return {k: jsonable(v) for k, v in dict(mapping).items()}


def _json_has(column: sa.Column, value: str) -> sa.ColumnElement[bool]:
    """``value`` is an element of a JSON list column (same SQL on SQLite and PostgreSQL)."""
    return sa.cast(column, sa.Text).like(f'%"{value.replace(chr(34), "")}"%')


def event_filters(*, date_from: DateLike = None, date_to: DateLike = None, kind: str | None = None,
                   country: str | None = None, actor: str | None = None, place: str | None = None,
                   weapon: str | None = None, conflicts_only: bool = False) -> list[sa.ColumnElement[bool]]:
    e = t.events.c
    conds: list[sa.ColumnElement[bool]] = []
    if _d(date_from):
        conds.append(e.date >= _d(date_from))
    if _d(date_to):
        conds.append(e.date <= _d(date_to))
    if kind:
        conds.append(e.kind == kind)
    if country:
        in_place = sa.select(t.attack_places.c.event_id).where(t.attack_places.c.country == country)
        conds.append(sa.or_(e.target == country, e.attacker == country, e.id.in_(in_place),
                            _json_has(e.participants, country)))
    if actor:
        conds.append(sa.or_(e.attacker == actor, e.target == actor, _json_has(e.participants, actor)))
    if place:
        hit = sa.select(t.attack_places.c.event_id).where(
            sa.or_(t.attack_places.c.name == place, t.attack_places.c.entity_id == place))
        conds.append(e.id.in_(hit))
    if weapon:
        conds.append(_json_has(e.weapons, weapon))
    if conflicts_only:
        conds.append(e.id.in_(sa.select(t.figures.c.event_id).where(t.figures.c.event_id.isnot(None))
                              .group_by(t.figures.c.event_id, t.figures.c.measure, t.figures.c.weapon)
                              .having(sa.func.count(sa.distinct(t.figures.c.value)) > 1)))
    return conds


_EVENT_COLS = ("id", "kind", "date", "attacker", "target", "locations", "weapons", "type", "participants",
               "status", "largest", "n_articles", "launched", "intercepted", "killed", "injured")


def list_events(store: Store, *, date_from: DateLike = None, date_to: DateLike = None, kind: str | None = None,
                country: str | None = None, actor: str | None = None, place: str | None = None,
                weapon: str | None = None, conflicts_only: bool = False, with_articles: bool = False,
                limit: int = 100, offset: int = 0) -> list[dict]:
    """Events (newest first) matching the filters; each with its totals, conflict count and,
    with ``with_articles``, the ids of the articles that report it.

    ``country`` matches target, attacker, a place's country or a participant; ``actor`` the attacker,
    target or a participant; ``place`` a place name or entity id; ``weapon`` a weapon kind.
    """
    conds = event_filters(date_from=date_from, date_to=date_to, kind=kind, country=country, actor=actor,
                           place=place, weapon=weapon, conflicts_only=conflicts_only)
    cols = [t.events.c[c] for c in _EVENT_COLS] + [t.events.c.summary]
    query = (sa.select(*cols).where(*conds)
             .order_by(t.events.c.date.desc().nulls_last(), t.events.c.id).limit(limit).offset(offset))
    with store.read() as conn:
        rows = conn.execute(query).mappings().all()
        out = []
        for r in rows:
            ev = {c: jsonable(r[c]) for c in _EVENT_COLS}
            ev["conflicts"] = (r["summary"] or {}).get("conflicts", 0)
            if with_articles:
                ev["articles"] = _event_article_ids(conn, r["id"])
            out.append(ev)
    return out


def count_events(store: Store, **filters: Any) -> int:
    """How many events ``list_events`` would return without limit/offset (same filters)."""
    conds = event_filters(**filters)
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(t.events).where(*conds)).scalar() or 0)


def _event_article_ids(conn: Connection, event_id: str) -> list[str]:
    ids = set(conn.execute(sa.select(t.attacks.c.article_id).where(t.attacks.c.event_id == event_id)).scalars())
    ids |= set(conn.execute(sa.select(t.diplomacy.c.article_id).where(t.diplomacy.c.event_id == event_id)).scalars())
    return sorted(ids)


def _claims(conn: Connection, event_id: str) -> list[dict]:
    f, a = t.figures, t.articles
    rows = conn.execute(
        sa.select(f.c.id, f.c.measure, f.c.weapon, f.c.value, f.c.qualifier, f.c.source, f.c.source_kind,
                  f.c.in_quote, f.c.sentence, f.c.span_start, f.c.span_end, f.c.article_id, f.c.attack_id,
                  a.c.outlet, a.c.title, a.c.url, a.c.published, a.c.published_at)
        .join(a, a.c.id == f.c.article_id).where(f.c.event_id == event_id)
        .order_by(f.c.measure, f.c.weapon, a.c.published, f.c.id)
    ).mappings().all()
    return [_row(r) for r in rows]


def get_event(store: Store, event_id: str) -> dict | None:
    """One event with everything an analyst checks: every claim (value, qualifier, source, outlet,
    article, sentence, publication time), the consensus per measure and its conflicts, the reference
    check against Air Force records, the "largest attack" check, places and the linked articles."""
    from marsad.link.reference import check_event

    with store.read() as conn:
        row = conn.execute(sa.select(t.events).where(t.events.c.id == event_id)).mappings().first()
        if row is None:
            return None
        summary = row["summary"] or {}
        ev = {c: jsonable(row[c]) for c in _EVENT_COLS}
        ev["articles"] = _articles_of(conn, event_id)
        if row["kind"] == "diplomacy":
            ev["reports"] = [_row(r) for r in conn.execute(
                sa.select(t.diplomacy.c.id, t.diplomacy.c.article_id, t.diplomacy.c.participants, t.diplomacy.c.status,
                          t.diplomacy.c.sentence, t.articles.c.outlet, t.articles.c.published)
                .join(t.articles, t.articles.c.id == t.diplomacy.c.article_id)
                .where(t.diplomacy.c.event_id == event_id).order_by(t.diplomacy.c.id)).mappings()]
            return ev
        claims = _claims(conn, event_id)
        ev["claims"] = claims
        ev["consensus"] = summary.get("consensus", [])
        ev["conflicts"] = [c for r in ev["consensus"] for c in r["conflicts"]]
        ev["n_conflicts"] = sum(r.get("n_conflicts", len(r["conflicts"])) for r in ev["consensus"])
        ev["places"] = _places(conn, sa.and_(t.attack_places.c.event_id == event_id))
        ev["reference"] = check_event(conn, row["date"], claims)
        night = (ev["reference"] or {}).get("night")
        ev["largest_check"] = _largest_check(conn, row, night) if row["largest"] else None
        return ev


def _articles_of(conn: Connection, event_id: str) -> list[dict]:
    ids = _event_article_ids(conn, event_id)
    if not ids:
        return []
    a = t.articles.c
    rows = conn.execute(sa.select(a.id, a.title, a.outlet, a.url, a.published, a.published_at, a.duplicate_of)
                        .where(a.id.in_(ids)).order_by(a.published, a.id)).mappings().all()
    return [_row(r) for r in rows]


def _largest_check(conn: Connection, row, night: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Was any earlier event (same target) bigger than one said to be the largest?

    Earlier means dated before the event — or before the reference night it matched when the
    text gives no date; an event with neither is compared with the events stored before it.
    """
    e = t.events.c
    conds = [e.kind == "attack", e.id != row["id"], e.launched.isnot(None)]
    when = row["date"] or (date.fromisoformat(night) if night else None)
    conds.append(e.date < when if when else e.created_at < row["created_at"])
    if row["target"]:
        conds.append(e.target == row["target"])
    prior = conn.execute(sa.select(e.id, e.date, e.launched).where(*conds)
                         .order_by(e.launched.desc()).limit(1)).mappings().first()
    if prior is None:
        return {"status": "unchecked", "message": "no earlier event with a launched count is stored"}
    ours = row["launched"] or 0
    status = "consistent" if ours >= prior["launched"] else "contradicted"
    return {"status": status, "launched": ours, "previous_max": prior["launched"],
            "previous_event": prior["id"], "previous_date": jsonable(prior["date"])}


def _places(conn: Connection, cond: sa.ColumnElement[bool]) -> list[dict]:
    p = t.attack_places.c
    rows = conn.execute(
        sa.select(p.name, p.entity_id, p.country, sa.func.max(p.lat).label("lat"), sa.func.max(p.lon).label("lon"),
                  sa.func.count(sa.distinct(p.event_id)).label("n_events"))
        .where(cond).group_by(p.name, p.entity_id, p.country).order_by(p.name)
    ).mappings().all()
    return [_row(r) for r in rows]


def get_article(store: Store, article_id: str) -> dict | None:
    """One article: metadata, raw text, the stored report, its events, its near-copies."""
    with store.read() as conn:
        row = conn.execute(sa.select(t.articles).where(t.articles.c.id == article_id)).mappings().first()
        if row is None:
            return None
        out = {k: jsonable(row[k]) for k in ("id", "url", "outlet", "title", "published", "published_at", "text",
                                              "report", "origin", "warnings", "ingested_at", "duplicate_of", "similarity")}
        events = set(conn.execute(sa.select(t.attacks.c.event_id).where(t.attacks.c.article_id == article_id)).scalars())
        events |= set(conn.execute(sa.select(t.diplomacy.c.event_id).where(t.diplomacy.c.article_id == article_id)).scalars())
        out["events"] = sorted(e for e in events if e)
        out["copies"] = list(conn.execute(sa.select(t.articles.c.id).where(t.articles.c.duplicate_of == article_id)
                                          .order_by(t.articles.c.id)).scalars())
        return out


def list_articles(store: Store, *, outlet: str | None = None, date_from: DateLike = None, date_to: DateLike = None,
                  limit: int = 100, offset: int = 0) -> list[dict]:
    """Article metadata (no text), newest first."""
    a = t.articles.c
    conds = []
    if outlet:
        conds.append(a.outlet == outlet)
    if _d(date_from):
        conds.append(a.published >= _d(date_from))
    if _d(date_to):
        conds.append(a.published <= _d(date_to))
    with store.read() as conn:
        rows = conn.execute(sa.select(a.id, a.title, a.outlet, a.url, a.published, a.duplicate_of, a.ingested_at)
                            .where(*conds).order_by(a.published.desc().nulls_last(), a.id)
                            .limit(limit).offset(offset)).mappings().all()
    return [_row(r) for r in rows]


def list_entities(store: Store, *, type: str | None = None, q: str | None = None,
                  limit: int = 100, offset: int = 0) -> list[dict]:
    """Entities by number of articles mentioning them; ``q`` matches the canonical name (case-insensitive)."""
    e, m = t.entities.c, t.mentions.c
    conds = []
    if type:
        conds.append(e.type == type)
    if q:
        conds.append(sa.func.lower(e.name).like(f"%{q.lower()}%"))
    n = sa.func.count(m.article_id).label("n_articles")
    with store.read() as conn:
        rows = conn.execute(sa.select(e.id, e.name, e.type, e.lat, e.lon, n).outerjoin(t.mentions, m.entity_id == e.id)
                            .where(*conds).group_by(e.id, e.name, e.type, e.lat, e.lon)
                            .order_by(n.desc(), e.name).limit(limit).offset(offset)).mappings().all()
    return [_row(r) for r in rows]


def get_entity(store: Store, entity_id: str, *, limit: int = 200) -> dict | None:
    """An entity with the events of the articles mentioning it (as actor, place or participant), its quotes and articles."""
    with store.read() as conn:
        row = conn.execute(sa.select(t.entities).where(t.entities.c.id == entity_id)).mappings().first()
        if row is None:
            return None
        out = _row(row)
        articles = sa.select(t.mentions.c.article_id).where(t.mentions.c.entity_id == entity_id)
        ev_ids = set(conn.execute(sa.select(t.attacks.c.event_id).where(t.attacks.c.article_id.in_(articles))).scalars())
        ev_ids |= set(conn.execute(sa.select(t.diplomacy.c.event_id).where(t.diplomacy.c.article_id.in_(articles))).scalars())
        ev_ids.discard(None)
        cols = [t.events.c[c] for c in _EVENT_COLS]
        out["events"] = [_row(r) for r in conn.execute(
            sa.select(*cols).where(t.events.c.id.in_(ev_ids)).order_by(t.events.c.date.desc().nulls_last(), t.events.c.id)
            .limit(limit)).mappings()]
        out["quotes"] = [_row(r) for r in conn.execute(
            sa.select(t.quotes.c.id, t.quotes.c.article_id, t.quotes.c.text, t.quotes.c.speaker, t.articles.c.outlet,
                      t.articles.c.published)
            .join(t.articles, t.articles.c.id == t.quotes.c.article_id)
            .where(t.quotes.c.speaker_entity_id == entity_id).order_by(t.articles.c.published, t.quotes.c.id)
            .limit(limit)).mappings()]
        out["articles"] = sorted(conn.execute(articles).scalars())
        return out


def places_hit(store: Store, *, date_from: DateLike = None, date_to: DateLike = None,
               country: str | None = None) -> list[dict]:
    """Places named as hit by attack events, with coordinates (when known) and how many events hit them."""
    p = t.attack_places.c
    conds: list[sa.ColumnElement[bool]] = [p.event_id.isnot(None)]
    if _d(date_from) or _d(date_to):
        conds.append(p.event_id.in_(sa.select(t.events.c.id).where(*event_filters(date_from=date_from, date_to=date_to))))
    if country:
        conds.append(p.country == country)
    with store.read() as conn:
        return _places(conn, sa.and_(*conds))


def timeline(store: Store, *, date_from: DateLike = None, date_to: DateLike = None, country: str | None = None,
             actor: str | None = None, place: str | None = None, weapon: str | None = None) -> list[dict]:
    """Per day: attack events, launched, intercepted, killed and injured (sums of event consensus totals)."""
    e = t.events.c
    conds = event_filters(date_from=date_from, date_to=date_to, kind="attack", country=country, actor=actor,
                           place=place, weapon=weapon) + [e.date.isnot(None)]
    query = (sa.select(e.date, sa.func.count().label("events"),
                       *(sa.func.coalesce(sa.func.sum(e[m]), 0).label(m) for m in ("launched", "intercepted", "killed", "injured")))
             .where(*conds).group_by(e.date).order_by(e.date))
    with store.read() as conn:
        return [_row(r) for r in conn.execute(query).mappings()]


def search(store: Store, text: str, *, limit: int = 20, offset: int = 0) -> list[dict]:
    """Articles containing every word of ``text`` (normalised Arabic, clitics stripped), best first."""
    terms = _search.query_terms(text)
    if not terms:
        return []
    with store.read() as conn:
        if store.dialect == "sqlite":
            match = " AND ".join('"' + w.replace('"', "") + '"' for w in terms)
            ids = conn.execute(sa.text(
                "SELECT article_id FROM article_search WHERE article_search MATCH :m ORDER BY rank LIMIT :l OFFSET :o"),
                {"m": match, "l": limit, "o": offset}).scalars().all()
        else:
            ids = conn.execute(sa.text(
                "SELECT article_id FROM article_search, plainto_tsquery('simple', :q) query "
                "WHERE to_tsvector('simple', body) @@ query "
                "ORDER BY ts_rank(to_tsvector('simple', body), query) DESC, article_id LIMIT :l OFFSET :o"),
                {"q": " ".join(terms), "l": limit, "o": offset}).scalars().all()
        if not ids:
            return []
        a = t.articles.c
        rows = {r["id"]: r for r in conn.execute(
            sa.select(a.id, a.title, a.outlet, a.url, a.published, a.text).where(a.id.in_(ids))).mappings()}
    out = []
    for i in ids:
        r = rows.get(i)
        if r:
            item = _row(r)
            item["snippet"] = _snippet(item.pop("text"), terms)
            out.append(item)
    return out


def _snippet(text: str, terms: list[str], width: int = 160) -> str:
    """The raw text around the first place a term occurs (located on the normalised text)."""
    from marsad.text.normalize import normalize_with_offsets

    norm, offsets = normalize_with_offsets(text)
    pos = min((i for i in (norm.find(w) for w in terms) if i >= 0), default=0)
    raw = offsets[pos] if offsets and pos < len(offsets) else 0
    start = max(0, raw - width // 2)
    return ("…" if start else "") + text[start:start + width].strip() + ("…" if start + width < len(text) else "")


def stats(store: Store) -> dict:
    """Counts of articles (and near-copies), events by kind, claims, entities, reference records, problems."""
    with store.read() as conn:
        def count(table: sa.Table, *conds: sa.ColumnElement[bool]) -> int:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table).where(*conds)).scalar() or 0)

        return {
            "articles": count(t.articles), "copies": count(t.articles, t.articles.c.duplicate_of.isnot(None)),
            "attack_events": count(t.events, t.events.c.kind == "attack"),
            "diplomacy_events": count(t.events, t.events.c.kind == "diplomacy"),
            "claims": count(t.figures), "entities": count(t.entities), "quotes": count(t.quotes),
            "reference_records": count(t.reference_records), "problems": count(t.problems),
        }


def list_problems(store: Store, *, limit: int = 100, offset: int = 0) -> list[dict]:
    """Input problems recorded by ingests, newest first."""
    p = t.problems.c
    with store.read() as conn:
        return [_row(r) for r in conn.execute(sa.select(p.origin, p.message, p.created_at)
                                              .order_by(p.id.desc()).limit(limit).offset(offset)).mappings()]
