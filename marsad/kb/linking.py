"""Entities: link every mention to a canonical entity and build ``doc.entities``.

Knowledge-base mentions already carry their id. Mentions from the statistical tagger
(``origin="ner"``) are linked in this order, each step stricter than fuzzy guessing:

1. exact normalised surface (with proclitics and the article stripped) among KB surfaces;
2. Latin names through the KB's name/alias index (scorer-style key);
3. a later surname-only or shorter mention to an earlier person/org in the same article
   ("ريزنيشنكو" → "فالنتين ريزنيشنكو"; "محمد الأمين" → "فتح الرحمن محمد الأمين");
4. cross-script consonant skeleton equal to a KB entity of the same type (Arabic ↔ Latin);
5. fuzzy Arabic match (rapidfuzz ``ratio``, names of ≥ 6 letters, same type). Cut-offs were tuned on
   one-edit spelling variants of 400 KB names per type (ي/و/ا dropped or added, ك/ق, غ/ج, ت/ط, س/ص):
   PER 86 links 97% of variants with ~1% false links for names absent from the KB; ORG 92 links
   ~90% with ~2% false links (organisation names share many words); LOC 90 links 93% with ~1%;
6. otherwise a new entity ``new:<slug>`` with its Arabic name and a Latin transliteration; new
   places are geocoded through the precomputed geonames index when the skeleton matches a town
   of the article's theatre (or of any country when the name is long and unique).

Every mention then gets its entity's id and canonical name, so later stages use ``doc.mentions``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from marsad.document import Document, Mention
from marsad.kb.gazetteer import _WORD, dominant_theatre, matcher
from marsad.kb.store import KB, get_kb
from marsad.kb.translit import skeleton, transliterate
from marsad.pipeline import stage
from marsad.schema import Entity
from marsad.text.normalize import normalize

FUZZY_CUTOFF = {"PER": 86.0, "ORG": 92.0, "LOC": 90.0}  # rapidfuzz ratio per type (see module docstring)
FUZZY_MIN_LEN = 6  # shorter names only link exactly (too many near neighbours)
_CREDIT_KINDS = frozenset(("news_agency", "photo_agency", "photographer"))
_LATIN = re.compile(r"[A-Za-z]")
_STRIP = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


@dataclass
class _LinkIndex:
    exact: dict[str, list[str]]  # normalised full surface → ids
    skel: dict[tuple[str, str], list[str]]  # (type, skeleton) → ids
    fuzzy: dict[str, tuple[list[str], list[str]]]  # type → (surfaces, ids)


@lru_cache(maxsize=1)
def _index() -> _LinkIndex:
    m = matcher()
    kb = m.kb
    exact: dict[str, list[str]] = {}
    skel: dict[tuple[str, str], list[str]] = {}
    fuzzy: dict[str, tuple[list[str], list[str]]] = {"PER": ([], []), "ORG": ([], []), "LOC": ([], [])}
    for surfaces in m.index.values():
        for s in surfaces:
            if s.flag not in ("name", "acr"):
                continue
            key = " ".join(s.words)
            for eid in s.ids:
                exact.setdefault(key, []).append(eid) if eid not in exact.get(key, ()) else None
                e = kb.get(eid)
                if e is None:
                    continue
                if not e.auto and len(key.replace(" ", "")) >= FUZZY_MIN_LEN and not _LATIN.search(key):
                    fuzzy[e.type][0].append(key)
                    fuzzy[e.type][1].append(eid)
    for e in kb:
        if e.auto:
            continue
        for n in (e.name, *e.aliases, *e.ar):
            k = skeleton(n)
            if len(k) >= 4:
                ids = skel.setdefault((e.type, k), [])
                if e.id not in ids:
                    ids.append(e.id)
    return _LinkIndex(exact, skel, fuzzy)


@lru_cache(maxsize=1)
def _rejected() -> frozenset[str]:
    """One-word tagger mentions never taken as names: ranks, generic nouns, common words, stop words."""
    kb = get_kb()
    words = [*kb.lexicon.get("ner_reject", ()), *kb.lexicon.get("stop_words", ())]
    f = resources.files("marsad.data.kb").joinpath("common_words.txt")
    if f.is_file():
        words.extend(f.read_text("utf-8").split())
    return frozenset(normalize(w) for w in words)


@lru_cache(maxsize=1)
def _geo_index() -> dict[str, list[list]]:
    """skeleton → [[name, lat, lon, country_code, population], …] from geo_index.json (built offline)."""
    f = resources.files("marsad.data.kb").joinpath("geo_index.json")
    if not f.is_file():
        return {}
    return json.loads(f.read_text("utf-8"))


def _bare(norm: str) -> list[str]:
    """The mention text and its forms without proclitics/article (for exact look-up)."""
    out = [norm]
    for p in _STRIP:
        if norm.startswith(p) and len(norm) - len(p) >= 3:
            out.append(norm[len(p):])
            if p in ("لل",):
                out.append("ال" + norm[len(p):])
    return out


def _words_of(doc: Document, m: Mention) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalize(doc.text[m.start:m.end])))


@dataclass
class _Draft:
    """A new (not-in-KB) entity being assembled from tagger mentions."""

    id: str
    name: str
    type: str
    arabic: str
    words: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None
    translit: str | None = None
    members: list[Mention] = field(default_factory=list)


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-") or "x"


def link_mention(kb: KB, doc: Document, m: Mention, earlier: list[tuple[str, str, tuple[str, ...]]],
                 theatre: str | None) -> str | None:
    """The KB id (or an earlier entity id) a tagger mention refers to, or None for a new entity."""
    idx = _index()
    raw = doc.text[m.start:m.end]
    norm = " ".join(_WORD.findall(normalize(raw)))
    if not norm:
        return None
    home = kb.country_id(theatre)
    typed = [i for v in _bare(norm) for i in idx.exact.get(v, ()) if _type_ok(kb, i, m.type)
             and not (kb.entries[i].auto and " " not in norm and kb.entries[i].country != home)]
    if typed:
        return _prefer(kb, typed, theatre)
    if _LATIN.search(raw) and not re.search(r"[\u0600-\u06ff]", raw):
        e = kb.by_name(raw)
        if e is not None:
            return e.id
    words = tuple(norm.split())
    for eid, typ, ewords in reversed(earlier):
        if typ == m.type and len(words) < len(ewords) and ewords[-len(words):] == words:
            return eid  # surname (or trailing part) of an earlier full name
    if m.type == "PER" and len(words) == 1:
        firsts = {eid for eid, typ, ewords in earlier if typ == "PER" and len(ewords) > 1 and ewords[0] == words[0]}
        if len(firsts) == 1:
            return firsts.pop()  # a first name alone ("فلاديمير، توقف!") for the one person so named
    k = skeleton(raw)
    if len(k) >= 5:
        ids = idx.skel.get((m.type, k))
        if ids:
            return _prefer(kb, ids, theatre)
    if len(norm.replace(" ", "")) >= FUZZY_MIN_LEN and not _LATIN.search(norm):
        return _fuzzy(norm, m.type)
    return None


@lru_cache(maxsize=16384)
def _fuzzy(norm: str, typ: str) -> str | None:
    """The KB id of the closest surface of type ``typ`` above its cut-off (memoised: names recur)."""
    surfaces, ids = _index().fuzzy[typ]
    best = process.extractOne(norm, surfaces, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF.get(typ, 90.0))
    return ids[best[2]] if best is not None else None


def _type_ok(kb: KB, eid: str, typ: str) -> bool:
    e = kb.get(eid)
    return e is not None and (e.type == typ or typ not in ("PER", "ORG", "LOC"))


def _prefer(kb: KB, ids: list[str], theatre: str | None) -> str:
    if theatre:
        for eid in ids:
            if kb.theatre_of(eid) == theatre or kb.within(eid, theatre) or kb.country_id(eid) == theatre:
                return eid
    return ids[0]


def geocode(name: str, theatre_country_iso: str | None) -> tuple[str, float, float] | None:
    """(Latin name, lat, lon) of a town whose skeleton matches ``name``, preferring the theatre's country."""
    k = skeleton(name)
    if len(k) < 4:
        return None
    cands = _geo_index().get(k)
    if not cands:
        return None
    if theatre_country_iso:
        local = [c for c in cands if c[3] == theatre_country_iso]
        if local:
            c = max(local, key=lambda c: c[4])
            return c[0], c[1], c[2]
    if len(k) >= 6 and len({c[3] for c in cands}) == 1:
        c = max(cands, key=lambda c: c[4])
        return c[0], c[1], c[2]
    return None


def _iso_of(kb: KB, theatre: str | None) -> str | None:
    cid = kb.country_id(theatre)
    return (kb.lexicon.get("iso") or {}).get(cid) if cid else None


def _to_link(m: Mention) -> bool:
    """A tagger mention (or an unresolved KB one) that ``resolve_mentions`` links."""
    return m.origin != "title" and (m.origin == "ner" or m.entity_id is None)


def resolve_mentions(doc: Document, kb: KB | None = None) -> dict[str, _Draft]:
    """Link tagger mentions in place (entity_id/name); return the drafts of new entities by id."""
    kb = kb or get_kb()
    ordered = sorted(doc.mentions, key=lambda m: m.start)
    last = max((k for k, m in enumerate(ordered) if _to_link(m)), default=-1)
    if last < 0:
        return {}  # nothing to link: the earlier-entity list below would go unused
    theatre = dominant_theatre(doc, kb)
    iso = _iso_of(kb, theatre)
    earlier: list[tuple[str, str, tuple[str, ...]]] = []
    drafts: dict[str, _Draft] = {}
    for m in ordered[:last + 1]:
        if not _to_link(m):
            if m.entity_id and m.origin != "title":
                e = kb.get(m.entity_id)
                if e is not None:
                    earlier.append((e.id, e.type, _words_of(doc, m)))
            continue
        words = _words_of(doc, m)
        if not words or (len(words) == 1 and any(b in _rejected() for b in _bare(words[0]))):
            continue
        eid = link_mention(kb, doc, m, earlier, theatre)
        if eid is not None and eid in drafts:
            drafts[eid].members.append(m)
            m.entity_id, m.name = eid, drafts[eid].name
            continue
        e = kb.get(eid)
        if e is not None:
            m.entity_id, m.name = e.id, e.name
            earlier.append((e.id, e.type, _words_of(doc, m)))
            continue
        d = _new_draft(doc, m, iso)
        if d.id in drafts:
            d = drafts[d.id]
        else:
            drafts[d.id] = d
        d.members.append(m)
        m.entity_id, m.name = d.id, d.name
        earlier.append((d.id, d.type, d.words))
    return drafts


def _new_draft(doc: Document, m: Mention, iso: str | None) -> _Draft:
    raw = doc.text[m.start:m.end].strip()
    words = _words_of(doc, m)
    if _LATIN.search(raw) and not re.search(r"[\u0600-\u06ff]", raw):
        name, translit = " ".join(w[:1].upper() + w[1:] for w in raw.split()), None
    else:
        name = translit = transliterate(raw)
    lat = lon = None
    if m.type == "LOC":
        hit = geocode(raw, iso)
        if hit is not None:
            name, lat, lon = hit
    return _Draft(id=f"new:{_slug(name)}", name=name, type=m.type, arabic=raw, words=words,
                  lat=lat, lon=lon, translit=translit)


def build_entities(doc: Document, drafts: dict[str, _Draft], kb: KB | None = None) -> list[Entity]:
    """One ``schema.Entity`` per distinct entity, in order of first mention."""
    kb = kb or get_kb()
    groups: dict[str, list[Mention]] = {}
    titles: dict[str, list[Mention]] = {}
    for m in sorted(doc.mentions, key=lambda m: m.start):
        if not m.entity_id or m.entity_id.startswith("office:"):
            continue
        (titles if m.origin == "title" else groups).setdefault(m.entity_id, []).append(m)
    out: list[Entity] = []
    for eid, ms in groups.items():
        if eid in titles:
            ms = sorted(ms + titles[eid], key=lambda m: m.start)  # a title adds to a holder also named
        optional = all(m.adjectival or m.in_credit for m in ms if m.origin != "title")
        surfaces = list(dict.fromkeys(doc.text[m.start:m.end] for m in ms))
        spans = [{"start": m.start, "end": m.end} for m in ms]  # validated into Spans with the Entity
        e = kb.get(eid)
        if e is not None:
            coords = kb.coordinates(eid) if e.type == "LOC" else {}
            role = "credit" if optional and all(m.in_credit for m in ms) and e.kind in _CREDIT_KINDS else None
            out.append(Entity(id=e.id, name=e.name, type=e.type, aliases=list(e.aliases), mentions=surfaces,
                              spans=spans, optional=optional, in_knowledge_base=True,
                              lat=coords.get("lat"), lon=coords.get("lon"), role=role))
            continue
        d = drafts.get(eid)
        if d is None:
            continue
        role = "credit" if all(m.in_credit for m in ms) else None
        out.append(Entity(id=d.id, name=d.name, type=d.type, aliases=[d.arabic], mentions=surfaces, spans=spans,
                          optional=optional, in_knowledge_base=False, transliteration=d.translit,
                          lat=d.lat, lon=d.lon, role=role))
    return out


@stage("entities", requires=["mentions", "sentences"], assigns=["entities"])
def entities_stage(doc: Document) -> None:
    kb = get_kb()
    drafts = resolve_mentions(doc, kb)
    doc.entities = build_entities(doc, drafts, kb)
