"""Storing articles and their reports, one transaction per article.

``add_article`` writes an article, every item of its report and its event links atomically:
killed mid-way, the database holds the article completely or not at all, and a rerun adds
the rest (articles already stored are recognised by URL or content hash and skipped before
extraction). A near-duplicate (a wire copy with small edits, found by MinHash LSH) is stored
and linked to its original; its figures are not claimed a second time unless they differ
(then it is a revision, and its claims count).
"""

from __future__ import annotations

import gc
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Iterator

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from marsad.document import ArticleMeta
from marsad.io import ArticleInput, InputProblem
from marsad.link import reconcile
from marsad.link.events import choose_diplomacy_event, choose_event, complete_link, participant_key, refresh_diplomacy_event
from marsad.link.signature import AttackSig
from marsad.schema import Report
from marsad.store import dedup, search
from marsad.store import tables as t
from marsad.store.db import Store
from marsad.text.normalize import normalize

Extractor = Callable[[str, ArticleMeta], Report]


@dataclass
class IngestResult:
    """What happened to one article: ``added`` | ``near_duplicate`` | ``revision`` | ``duplicate`` | ``failed``."""

    article_id: str
    origin: str
    status: str
    duplicate_of: str | None = None
    events: list[str] = field(default_factory=list)
    figures: int = 0
    message: str = ""


@dataclass(frozen=True)
class _Seen:
    """What is computed from an article's text before it is stored: its normalised text and content hash."""

    norm: str
    digest: str

    @classmethod
    def of(cls, text: str) -> "_Seen":
        norm = normalize(text)
        return cls(norm, dedup.content_hash(text, norm))


@dataclass
class IngestSummary:
    """Counts of a batch by status, and its problems (unreadable inputs and failed articles)."""

    counts: Counter = field(default_factory=Counter)
    problems: list[InputProblem] = field(default_factory=list)
    events: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Batch:
    """Write transactions that span several articles, each article under its own savepoint.

    A commit every ``size`` articles or ``seconds`` keeps the per-article cost low; a killed
    process loses at most the uncommitted articles, which a rerun adds (they are not stored yet).
    """

    def __init__(self, store: Store, size: int, seconds: float):
        self.store, self.size, self.seconds = store, size, seconds
        self._conn: Connection | None = None
        self._n = 0
        self._since = 0.0

    def conn(self) -> Connection:
        if self._conn is None:
            self._conn = self.store.engine.connect()
            self._conn.begin()
            self.store.lock_writers(self._conn)
            self._n, self._since = 0, time.monotonic()
        return self._conn

    def done(self) -> None:
        self._n += 1
        if self._n >= self.size or time.monotonic() - self._since >= self.seconds:
            self.commit()

    def commit(self) -> None:
        if self._conn is not None:
            self._conn.commit()
            self._conn.close()
            self._conn = None

    def rollback(self) -> None:
        if self._conn is not None:
            self._conn.rollback()
            self._conn.close()
            self._conn = None


def ingest(
    store: Store,
    sources: Iterable[ArticleInput | InputProblem],
    *,
    extract: Extractor | None = None,
    embed: bool = True,
    on_result: Callable[[IngestResult | InputProblem], None] | None = None,
    batch_size: int = 64,
    batch_seconds: float = 1.0,
) -> IngestSummary:
    """Extract and store every article of ``sources``; problems are recorded and the batch goes on.

    Each article is stored atomically (a savepoint); commits happen every ``batch_size`` articles
    or ``batch_seconds``, whichever comes first.
    """
    if extract is None:
        from marsad import extract_document as extract
    summary = IngestSummary()
    batch = _Batch(store, batch_size, batch_seconds)
    # What exists before the batch (models, lexicons, caches) lives on: left out of the cyclic
    # garbage collector's scans, which otherwise walk it again and again (~10% of storage time).
    gc.freeze()
    try:
        for item in sources:
            if isinstance(item, InputProblem):
                result: IngestResult | InputProblem = item
                _record_problem(batch.conn(), item)
                summary.problems.append(item)
            else:
                result = _ingest_one(batch.conn(), item, extract, embed)
                summary.counts[result.status] += 1
                summary.events.update(result.events)
                if result.status == "failed":
                    problem = InputProblem(item.origin, result.message)
                    _record_problem(batch.conn(), problem)
                    summary.problems.append(problem)
            batch.done()
            if on_result:
                on_result(result)
        batch.commit()
    except BaseException:
        batch.rollback()
        raise
    finally:
        gc.unfreeze()
    return summary


def _ingest_one(conn: Connection, article: ArticleInput, extract: Extractor, embed: bool) -> IngestResult:
    """Extract one article (unless already stored) and store it under a savepoint; never raises for a bad article."""
    seen = _Seen.of(article.text)
    known, id_taken = _lookup(conn, seen.digest, article.meta.url, article.id)
    if known:
        return IngestResult(article.id, article.origin, "duplicate", duplicate_of=known, message="already stored")
    try:
        report = extract(article.text, article.meta)
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return IngestResult(article.id, article.origin, "failed",
                            message=f"extraction failed: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})")
    try:
        with conn.begin_nested():
            return _add(conn, article, report, seen, id_taken, embed)
    except Exception as exc:
        return IngestResult(article.id, article.origin, "failed", message=f"could not store: {type(exc).__name__}: {exc}")


_A = t.articles.c
_BY_HASH_OR_ID = sa.select(_A.id, _A.content_hash, _A.url).where(
    sa.or_(_A.content_hash == sa.bindparam("h"), _A.id == sa.bindparam("i")))
_BY_HASH_URL_OR_ID = sa.select(_A.id, _A.content_hash, _A.url).where(
    sa.or_(_A.content_hash == sa.bindparam("h"), _A.url == sa.bindparam("u"), _A.id == sa.bindparam("i")))
_REPORT = sa.select(_A.report).where(_A.id == sa.bindparam("i"))
# Originals sharing a band. "Is an original" is written so that no index can serve it: a plain
# ``duplicate_of IS NULL`` makes SQLite's planner scan every original instead of looking the few
# band-sharing articles up by id.
_IS_ORIGINAL = sa.case((_A.duplicate_of.is_(None), 1), else_=0) == 1
_NEAR = (sa.select(_A.id, _A.minhash)
         .where(_A.id.in_(sa.select(t.article_bands.c.article_id)
                          .where(t.article_bands.c.band.in_(sa.bindparam("bands", expanding=True)))), _IS_ORIGINAL)
         .order_by(_A.ingested_at, _A.id))
_INSERT_SEARCH = sa.text("INSERT INTO article_search (article_id, body) VALUES (:a, :b)")


def _lookup(conn: Connection, digest: str, url: str | None, wanted_id: str) -> tuple[str | None, bool]:
    """In one query: the id of the stored article with this content hash or URL, if any, and
    whether ``wanted_id`` already names a stored article."""
    if url:
        rows = conn.execute(_BY_HASH_URL_OR_ID, {"h": digest, "u": url, "i": wanted_id}).all()
    else:
        rows = conn.execute(_BY_HASH_OR_ID, {"h": digest, "i": wanted_id}).all()
    known = next((r.id for r in rows if r.content_hash == digest or (url and r.url == url)), None)
    return known, any(r.id == wanted_id for r in rows)


def add_article(store: Store, article: ArticleInput, report: Report, *, embed: bool = True) -> IngestResult:
    """Store ``article`` with its (already extracted) ``report`` and link its items to events, atomically."""
    seen = _Seen.of(article.text)
    with store.write() as conn:
        known, id_taken = _lookup(conn, seen.digest, article.meta.url, article.id)
        if known:
            return IngestResult(article.id, article.origin, "duplicate", duplicate_of=known, message="already stored")
        return _add(conn, article, report, seen, id_taken, embed)


def _add(conn: Connection, article: ArticleInput, report: Report, seen: _Seen, id_taken: bool,
         embed: bool) -> IngestResult:
    """Write a new article (not stored yet; ``id_taken``: its id names another article) with its
    report's items and event links."""
    sig = dedup.signature(article.text, seen.norm)
    band_keys = dedup.bands(sig)
    article_id = f"{article.id}~{seen.digest[:8]}" if id_taken else article.id
    original, similarity = _near_duplicate(conn, sig, band_keys)
    status = "added"
    if original:
        same = _stored_figure_set(conn, original) == _figure_set(report)
        status = "near_duplicate" if same else "revision"
    _insert_article(conn, article, article_id, report, seen, sig, band_keys, original, similarity)
    result = IngestResult(article_id, article.origin, status, duplicate_of=original)
    if status == "near_duplicate":
        result.events = _copy_links(conn, article_id, original)
    else:
        result.events, result.figures = _insert_items(conn, article_id, article, report, embed)
    if article_id != article.id:
        result.message = f"id {article.id!r} already names another article; stored as {article_id!r}"
    return result


def _near_duplicate(conn: Connection, sig, band_keys: list[str]) -> tuple[str | None, float | None]:  # type: ignore[no-untyped-def]
    """The original of which this text is a near-copy, with the similarity.

    Only originals are compared (copies point to them), so a family of many copies costs one comparison.
    """
    rows = conn.execute(_NEAR, {"bands": band_keys}).all()
    if not rows:
        return None, None
    sims = dedup.similarities(sig, [r.minhash for r in rows])
    best = len(sims) - 1 - int(np.argmax(sims[::-1]))  # the last of the most similar, in ingestion order
    return (rows[best].id, float(sims[best])) if sims[best] >= dedup.NEAR_DUPLICATE else (None, None)


def _stored_figure_set(conn: Connection, article_id: str) -> set[tuple]:
    """``_figure_set`` of a stored report, read from its JSON (no model validation: the fields are plain values)."""
    data = conn.execute(_REPORT, {"i": article_id}).scalar()
    if not data:
        return set()
    return {(a.get("date") or data.get("published"), f["measure"], f.get("weapon"), f["value"], f.get("qualifier", "exact"))
            for a in data.get("attacks", ()) for f in a.get("figures", ())}


def _figure_set(report: Report) -> set[tuple]:
    """What a copy must share with its original to add nothing: each attack's date (or the
    publication date when the text gives none) and figures."""
    return {(a.date or report.published, f.measure, f.weapon, f.value, f.qualifier)
            for a in report.attacks for f in a.figures}


def _insert_article(conn: Connection, article: ArticleInput, article_id: str, report: Report, seen: _Seen,
                    sig, band_keys: list[str], original: str | None, similarity: float | None) -> None:  # type: ignore[no-untyped-def]
    m = article.meta
    published_at = getattr(article, "published_at", None)
    conn.execute(t.articles.insert(), dict(
        id=article_id, url=m.url, outlet=m.outlet, title=m.title or report.title, published=m.published,
        published_at=published_at, text=article.text, content_hash=seen.digest, minhash=dedup.to_bytes(sig),
        report=report.model_dump(mode="json", exclude={"timings_ms"}), origin=article.origin,
        warnings=list(article.warnings), ingested_at=datetime.utcnow(), duplicate_of=original, similarity=similarity,
    ))
    conn.execute(t.article_bands.insert(), [{"band": b, "article_id": article_id} for b in sorted(set(band_keys))])
    title = normalize(m.title) + " " if m.title else ""
    conn.execute(_INSERT_SEARCH, {"a": article_id, "b": search.index_normalized(title + seen.norm)})


def _copy_links(conn: Connection, article_id: str, original: str) -> list[str]:
    """A near-copy joins its original's events as a member without claims of its own."""
    events = []
    for table, blank in ((t.attacks, {"embedding": None}), (t.diplomacy, {})):
        rows = conn.execute(_ITEMS_OF[table.name], {"a": original}).mappings().all()
        if rows:
            conn.execute(table.insert(), [{**row, "id": f"{article_id}/{row['id'].split('/', 1)[1]}",
                                           "article_id": article_id, **blank} for row in rows])
        events += [row["event_id"] for row in rows if row["event_id"]]
    for ev in set(events):
        _recount(conn, ev)
    return sorted(set(events))


_ITEMS_OF = {table.name: sa.select(table).where(table.c.article_id == sa.bindparam("a"))
             for table in (t.attacks, t.diplomacy)}


def _recount(conn: Connection, event_id: str) -> None:
    n = conn.execute(sa.select(sa.func.count(sa.distinct(t.attacks.c.article_id))).where(t.attacks.c.event_id == event_id)).scalar()
    n = n or conn.execute(sa.select(sa.func.count(sa.distinct(t.diplomacy.c.article_id))).where(t.diplomacy.c.event_id == event_id)).scalar()
    conn.execute(t.events.update().where(t.events.c.id == event_id).values(n_articles=n))


def _unique(ids: set[str], wanted: str) -> str:
    out, n = wanted, 1
    while out in ids:
        n += 1
        out = f"{wanted}.{n}"
    ids.add(out)
    return out


def _insert_items(conn: Connection, article_id: str, article: ArticleInput, report: Report, embed: bool) -> tuple[list[str], int]:
    """Insert the report's attacks, figures, places, diplomacy, quotes and entities; link attacks and diplomacy."""
    used: set[str] = set()
    events: list[str] = []
    n_figures = 0
    published = article.meta.published
    entity_rows, mention_rows = _entities(article_id, report)
    if entity_rows:
        _insert_missing(conn, entity_rows)
        conn.execute(t.mentions.insert(), mention_rows)
    for attack in report.attacks:
        aid = _unique(used, f"{article_id}/{attack.id}")
        context = " ".join(dict.fromkeys(f.sentence for f in attack.figures if f.sentence)) or (report.title or "")
        asig = AttackSig.of(attack, published, context)
        link = choose_event(conn, aid, asig, context, embed=embed)
        conn.execute(t.attacks.insert(), dict(
            id=aid, article_id=article_id, event_id=link.event_id, date=asig.date,
            date_from="text" if asig.date_exact else ("published" if asig.date else "none"),
            attacker=attack.attacker, target=attack.target, locations=list(attack.locations),
            weapons=list(attack.weapons), claims=list(attack.claims), confidence=attack.confidence,
            context=context, embedding=link.embedding,
        ))
        fig_rows = [{
            "id": _unique(used, f"{article_id}/{f.id}"), "attack_id": aid, "article_id": article_id,
            "event_id": link.event_id, "measure": f.measure, "weapon": f.weapon, "value": f.value,
            "qualifier": f.qualifier, "source": f.source, "source_entity_id": f.source_entity_id,
            "source_kind": reconcile.source_kind(f.source), "in_quote": f.in_quote, "sentence": f.sentence,
            "span_start": f.span.start, "span_end": f.span.end, "confidence": f.confidence,
        } for f in attack.figures]
        if fig_rows:
            conn.execute(t.figures.insert(), fig_rows)
            n_figures += len(fig_rows)
        places = {}
        for p in attack.places:
            places.setdefault(p.name, {"entity_id": p.entity_id, "country": p.country, "lat": p.lat, "lon": p.lon})
        for name in attack.locations:
            places.setdefault(name, {"entity_id": None, "country": None, "lat": None, "lon": None})
        if places:
            conn.execute(t.attack_places.insert(), [
                {"attack_id": aid, "name": name, "article_id": article_id, "event_id": link.event_id, **v}
                for name, v in places.items()])
        complete_link(conn, link, asig)
        events.append(link.event_id)
    attack_events = set(events)
    for d in report.diplomacy:
        did = _unique(used, f"{article_id}/{d.id}")
        key = participant_key(d.type, d.participants)[:500]
        event_id = choose_diplomacy_event(conn, did, key, published, attack_events)
        conn.execute(t.diplomacy.insert(), dict(
            id=did, article_id=article_id, event_id=event_id, type=d.type, participants=list(d.participants),
            participant_ids=list(d.participant_ids), participant_key=key, status=d.status,
            sentence=d.sentence, span_start=d.span.start, span_end=d.span.end,
        ))
        refresh_diplomacy_event(conn, event_id)
        events.append(event_id)
    if report.quotes:
        conn.execute(t.quotes.insert(), [{
            "id": _unique(used, f"{article_id}/{q.id}"), "article_id": article_id,
            "speaker": q.speaker[0] if q.speaker else None, "speaker_entity_id": q.speaker_entity_id,
            "text": q.text, "optional": q.optional, "span_start": q.span.start, "span_end": q.span.end,
        } for q in report.quotes])
    return sorted(set(events)), n_figures


def _entities(article_id: str, report: Report) -> tuple[list[dict], list[dict]]:
    entity_rows: dict[str, dict] = {}
    mention_rows: dict[str, dict] = {}
    for e in report.entities:
        entity_rows.setdefault(e.id, {
            "id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases),
            "in_knowledge_base": e.in_knowledge_base, "lat": e.lat, "lon": e.lon,
        })
        m = mention_rows.setdefault(e.id, {"article_id": article_id, "entity_id": e.id, "surface": [], "spans": [],
                                           "role": e.role, "optional": e.optional})
        m["surface"] += [s for s in e.mentions if s not in m["surface"]]
        m["spans"] += [[s.start, s.end] for s in e.spans]
    return list(entity_rows.values()), list(mention_rows.values())


_ENTITY_IDS = sa.select(t.entities.c.id).where(t.entities.c.id.in_(sa.bindparam("ids", expanding=True)))


def _insert_missing(conn: Connection, rows: list[dict]) -> None:
    """Insert the entities not stored yet (shared by articles, so most are; writers are serialised)."""
    have = set(conn.execute(_ENTITY_IDS, {"ids": [r["id"] for r in rows]}).scalars())
    new = [r for r in rows if r["id"] not in have]
    if new:
        conn.execute(t.entities.insert(), new)


def record_problem(store: Store, problem: InputProblem) -> None:
    """Keep an input problem in the store (``ingest_problems``) for later review."""
    with store.write() as conn:
        _record_problem(conn, problem)


def _record_problem(conn: Connection, problem: InputProblem) -> None:
    conn.execute(t.problems.insert().values(origin=problem.origin[:2000], message=problem.message,
                                            created_at=datetime.utcnow()))


def delete_article(store: Store, article_id: str) -> bool:
    """Delete an article and its items; its events are recomputed (or removed when left empty)."""
    with store.write() as conn:
        if conn.execute(sa.select(t.articles.c.id).where(t.articles.c.id == article_id)).scalar() is None:
            return False
        attack_events = set(conn.execute(sa.select(t.attacks.c.event_id).where(
            t.attacks.c.article_id == article_id, t.attacks.c.event_id.isnot(None))).scalars())
        dip_events = set(conn.execute(sa.select(t.diplomacy.c.event_id).where(
            t.diplomacy.c.article_id == article_id, t.diplomacy.c.event_id.isnot(None))).scalars())
        conn.execute(sa.text("DELETE FROM article_search WHERE article_id = :a"), {"a": article_id})
        for table in (t.figures, t.attack_places, t.attacks, t.diplomacy, t.quotes, t.mentions, t.article_bands):
            conn.execute(table.delete().where(table.c.article_id == article_id))
        conn.execute(t.articles.update().where(t.articles.c.duplicate_of == article_id).values(duplicate_of=None))
        conn.execute(t.articles.delete().where(t.articles.c.id == article_id))
        for ev in sorted(attack_events):
            _rebuild_attack_event(conn, ev)
        for ev in sorted(dip_events):
            refresh_diplomacy_event(conn, ev)
        return True


def _rebuild_attack_event(conn: Connection, event_id: str) -> None:
    """Recompute an event's signature from its remaining reports, then its consensus."""
    from marsad.link.events import refresh_attack_event
    from marsad.link.signature import EventSig

    sig = EventSig()
    rows = conn.execute(
        sa.select(t.attacks.c.id, t.attacks.c.article_id, t.articles.c.report, t.articles.c.published)
        .join(t.articles, t.articles.c.id == t.attacks.c.article_id).where(t.attacks.c.event_id == event_id)
    ).all()
    for row in rows:
        item = row.id.split("/", 1)[1]
        for a in Report.model_validate(row.report).attacks:
            if a.id == item:
                sig.absorb(AttackSig.of(a, row.published, ""))
    refresh_attack_event(conn, event_id, sig)


def iter_results(summary: IngestSummary) -> Iterator[tuple[str, int]]:
    """(status, count) pairs of a batch in a fixed order, for summary tables."""
    for status in ("added", "revision", "near_duplicate", "duplicate", "failed"):
        yield status, summary.counts.get(status, 0)
