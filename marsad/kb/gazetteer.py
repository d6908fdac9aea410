"""Knowledge-base mentions: a longest-match gazetteer over ``doc.norm``.

Every KB surface (Arabic spellings, Latin names, country adjectives, title words, generic
institution words) is normalised once and stored in a dict keyed by its first word; matching
walks the article's words, tries each word with and without its proclitics (و ف ب ل ك ال لل),
and keeps the longest name. A second pass composes neighbours: a generic institution word plus
a country ("سلاح الجو" + "الأوكراني" → Ukrainian Air Force), a title plus a place or organisation
("عمدة" + "كييف" → Mayor of Kyiv, with its holder), and resolves context-dependent mentions
(bare "الجيش", ambiguous town names) by the article's dominant theatre.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import is_not

from marsad.document import Document, Mention
from marsad.kb.store import KB, Entry, get_kb
from marsad.pipeline import stage
from marsad.text.normalize import normalize

_WORD = re.compile(r"\w+")
_WORD_SPLIT = re.compile(r"(\w+)")
# what may separate the words of one multi-word name: spaces, quotes, a hyphen ("منطقة " ميكولايف ")
_SOFT_GAP = re.compile(r"[\s\"'“”«»‘’\-]*")
_LATIN = re.compile(r"[a-z]")
_CREDIT_KINDS = frozenset(("credit", "dateline"))
_NO_ENTRY = Entry(id="", name="", type="LOC", kind="")


@dataclass(frozen=True, slots=True)
class Surface:
    """What a normalised surface string means: candidate ids and how it refers to them."""

    words: tuple[str, ...]
    ids: tuple[str, ...]
    flag: str  # name | adj | acr | generic | title | anaphor
    extra: str = ""  # institution kind, title role or anaphor kinds


@dataclass(slots=True)
class Match:
    """A raw gazetteer hit over words ``[wi, wj)`` with its normalised span ``[ns, ne)``."""

    wi: int
    wj: int
    ns: int
    ne: int
    surface: Surface
    entity_id: str | None = None
    name: str | None = None
    adjectival: bool = False
    in_credit: bool = False
    origin: str = "kb"
    confidence: float = 1.0
    dead: bool = False


@dataclass(frozen=True)
class Matcher:
    """Surfaces indexed by first word, each list sorted longest first, plus clitic prefixes."""

    index: dict[str, tuple[Surface, ...]]
    prefixes: tuple[str, ...]
    linkers: frozenset[str]
    region_anaphors: frozenset[str]
    place_cues: frozenset[str]
    org_cues: frozenset[str]
    stop: frozenset[str]
    kb: KB


def _words(s: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalize(s)))


def demonym_forms(stem: str) -> list[str]:
    """Arabic adjective forms of a country stem: روسي → روسي روسية روسيين روسيون (± ال)."""
    base = normalize(stem)
    forms = [base, base + "ه", base + "ين", base + "ون", base + "تين", base + "تان"]
    return forms + ["ال" + f for f in forms]


def _entry_surfaces(e: Entry, lex: dict, stop: frozenset[str]) -> list[tuple[tuple[str, ...], str, str]]:
    out: list[tuple[tuple[str, ...], str, str]] = []
    for s in e.ar:
        out.append((_words(s), "name", ""))
    for s in e.ar_ctx:
        out.append((_words(s), "name", "ctx"))
    prefixes = (lex.get("kind_prefixes") or {}).get(e.kind, ())
    for base in e.ar_base:
        for p in prefixes:
            out.append((_words(f"{p} {base}"), "name", ""))
    for s in (e.name, *e.aliases):
        w = _words(s)
        if w and (len(w) > 1 or len(w[0]) >= 4) and _LATIN.search(w[0]):
            out.append((w, "name", ""))
    for s in e.acronyms:
        out.append((_words(s), "acr", s))
    for stem in e.demonyms:
        out.extend(((f,), "adj", "") for f in demonym_forms(stem))
    for s in e.demonym_forms:
        out.append((_words(s), "adj", ""))
    return [(w, f, x) for w, f, x in out if w and not (len(w) == 1 and w[0] in stop)]


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """Build the gazetteer once from the KB and the lexicon."""
    kb = get_kb()
    lex = kb.lexicon
    stop = frozenset(normalize(w) for w in lex.get("stop_words", ()))
    table: dict[tuple[str, ...], dict] = {}

    def add(words: tuple[str, ...], eid: str | None, flag: str, extra: str = "", auto: bool = False) -> None:
        slot = table.setdefault(words, {"ids": [], "flag": flag, "extra": extra})
        rank = {"acr": 0, "name": 0, "adj": 1, "anaphor": 2, "generic": 3, "title": 4}
        if slot["flag"] == flag == "name" and slot["extra"] != extra and not auto:
            slot["extra"] = ""  # a plain name of another hand-curated entity makes the surface ungated
        if rank[flag] < rank[slot["flag"]]:
            slot.update(ids=[], flag=flag, extra=extra)
        elif rank[flag] > rank[slot["flag"]]:
            return
        if eid is not None and eid not in slot["ids"]:
            slot["ids"].append(eid)

    # hand-curated entries first so they rank before generated twins of the same surface
    for e in sorted(kb, key=lambda e: (e.auto, -e.population)):
        for words, flag, extra in _entry_surfaces(e, lex, stop):
            add(words, e.id, flag, extra, e.auto)
    for kind, words in (lex.get("generic") or {}).items():
        for w in words:
            add(_words(w), None, "generic", kind)
    for role, spec in (lex.get("roles") or {}).items():
        for w in spec.get("ar", ()):
            add(_words(w), None, "title", role)
    for w, kinds in (lex.get("anaphors") or {}).items():
        add(_words(w), None, "anaphor", kinds)
    index: dict[str, list[Surface]] = {}
    for words, slot in table.items():
        surf = Surface(words, tuple(slot["ids"]), slot["flag"], slot["extra"])
        index.setdefault(words[0], []).append(surf)
    frozen = {k: tuple(sorted(v, key=lambda s: -len(s.words))) for k, v in index.items()}
    prefixes = tuple(sorted({normalize(p) for p in lex.get("proclitics", ())}, key=len))
    return Matcher(
        index=frozen, prefixes=prefixes,
        linkers=frozenset(normalize(w) for w in lex.get("linkers", ())),
        region_anaphors=frozenset(normalize(w) for w in lex.get("region_anaphors", ())),
        place_cues=frozenset(normalize(p + w) for w in lex.get("place_cues", ()) for p in ("", "و", "ب", "ف")),
        org_cues=frozenset(normalize(p + w) for w in lex.get("org_cues", ()) for p in ("", "و", "ب", "ف", "ل")),
        stop=stop,
        kb=kb,
    )


def _variants(word: str, prefixes: tuple[str, ...]) -> list[tuple[str, int]]:
    """The word and its clitic-stripped forms, with how many leading chars were stripped."""
    out = [(word, 0)]
    for p in prefixes:
        if word.startswith(p) and len(word) - len(p) >= 2:
            rest = word[len(p):]
            if p.endswith("لل"):
                out.append(("ال" + rest, len(p)))  # ل + ال is written لل
            out.append((rest, len(p)))
    return out


@dataclass(frozen=True, slots=True)
class _Starts:
    """The KB surfaces that can start at one word, as (chars stripped, surface), longest first:
    multi-word ones keyed by their second word, then the one-word ones."""

    by_next: dict[str, tuple[tuple[int, Surface], ...]]
    single: tuple[tuple[int, Surface], ...]


_NO_STARTS = _Starts({}, ())


_STARTS_OF: dict[str, _Starts] = {}  # word → _candidates(word)
_STARTS_OF_MAX = 262144


def _starts_of(words: list[str]) -> list[_Starts]:
    """``_candidates`` of each word, memoised per word: news vocabulary repeats, so most words cost
    one dict look-up (a plain dict: an LRU cache would also relink its entries on every hit)."""
    out = list(map(_STARTS_OF.get, words))
    if None in out:
        if len(_STARTS_OF) > _STARTS_OF_MAX:
            _STARTS_OF.clear()
        for k, w in enumerate(words):
            if out[k] is None:
                out[k] = _STARTS_OF.get(w) or _STARTS_OF.setdefault(w, _candidates(w))
    return out  # type: ignore[return-value]


def _candidates(word: str) -> _Starts:
    """Every KB surface that can start at ``word`` (see ``_Starts``)."""
    m = matcher()
    out = [(strip, s) for var, strip in _variants(word, m.prefixes) for s in m.index.get(var, ())]
    if word in m.stop:  # "الثورة" is a common word: not "ثورة" (a town) after an article either
        out = [(strip, s) for strip, s in out if strip == 0 or len(s.words) > 1]
    if not out:
        return _NO_STARTS
    out.sort(key=lambda c: (-len(c[1].words), c[0]))
    by_next: dict[str, list[tuple[int, Surface]]] = {}
    for c in out:
        if len(c[1].words) > 1:
            by_next.setdefault(c[1].words[1], []).append(c)
    return _Starts({k: tuple(v) for k, v in by_next.items()}, tuple(c for c in out if len(c[1].words) == 1))


@dataclass(frozen=True, slots=True)
class Words:
    """The ``\\w+`` words of a normalised text: their strings, the gaps before them and their offsets."""

    texts: list[str]
    gaps: list[str]  # gaps[i]: the text before word i (gaps[-1]: after the last word)
    bounds: list[int]  # word i spans norm[bounds[2i]:bounds[2i + 1]]

    @classmethod
    def of(cls, norm: str) -> Words:
        parts = _WORD_SPLIT.split(norm)  # gap, word, gap, word, …, gap
        return cls(parts[1::2], parts[0::2], list(accumulate(map(len, parts))))

    def start(self, i: int) -> int:
        return self.bounds[2 * i]

    def end(self, i: int) -> int:
        return self.bounds[2 * i + 1]


def find_matches(doc: Document, m: Matcher | None = None) -> tuple[list[Match], Words]:
    """Longest, non-overlapping gazetteer hits over ``doc.norm`` (before composition), and its words."""
    words = Words.of(doc.norm)
    texts = words.texts
    n = len(texts)
    out: list[Match] = []
    free = 0  # first word not inside an earlier hit
    starts_at = _starts_of(texts)
    for i in compress(range(n), map(is_not, starts_at, repeat(_NO_STARTS))):  # words some surface starts with
        if i < free:
            continue
        starts = starts_at[i]
        multi = starts.by_next.get(texts[i + 1], ()) if i + 1 < n else ()
        for strip, s in (*multi, *starts.single) if multi else starts.single:
            k = len(s.words)
            if k > 1 and (i + k > n or not _rest_matches(words, i, s.words)):
                continue
            if s.flag == "acr" and not _is_upper(doc, words.start(i), words.end(i + k - 1)):
                continue
            out.append(Match(i, i + k, words.start(i) + strip, words.end(i + k - 1), s))
            free = i + k
            break
    return out, words


def _rest_matches(words: Words, i: int, want: tuple[str, ...]) -> bool:
    """Do the words from ``i`` on spell ``want``, with only soft gaps between them?"""
    texts, gaps = words.texts, words.gaps
    for j in range(1, len(want)):
        if texts[i + j] != want[j] or not _SOFT_GAP.fullmatch(gaps[i + j]):
            return False
    return True


def _is_upper(doc: Document, ns: int, ne: int) -> bool:
    s, e = doc.raw_span(ns, ne)
    raw = doc.text[s:e]
    return raw.isupper()


# -- composition ---------------------------------------------------------------------------------

def _country_like(kb: KB, mt: Match) -> str | None:
    """The KB id a following match lends its country/theatre to (for generic and title words)."""
    if mt.entity_id is None or mt.dead:
        return None
    return mt.entity_id


def _adjacent(m: Matcher, texts: list[str], a: Match, b: Match) -> bool:
    """True when ``b`` follows ``a`` directly or after one linking word (في، العامة …)."""
    if b.wi == a.wj:
        return True
    return b.wi == a.wj + 1 and texts[a.wj] in m.linkers


def _pick(kb: KB, ids: tuple[str, ...], theatre: str | None, country: str | None) -> str | None:
    """Choose among ambiguous candidates: the article's theatre/country first, then KB order."""
    if not ids:
        return None
    if len(ids) == 1:
        return ids[0]
    for want in (theatre, country):
        if want is None:
            continue
        for eid in ids:
            if kb.theatre_of(eid) == want or kb.country_id(eid) == want or kb.within(eid, want):
                return eid
    return ids[0]


def _theatre_counts(kb: KB, items) -> Counter:
    """Votes per theatre from place hits (``Match`` or ``Mention``: both carry id/adjectival/in_credit)."""
    counts: Counter = Counter()
    for mt in items:
        eid = mt.entity_id
        e = kb.get(eid)
        if e is None or e.type != "LOC" or mt.in_credit:
            continue
        weight = 0.5 if mt.adjectival else (0.75 if e.kind == "country" else 1.0)
        t = kb.theatre_of(eid)
        if t:
            counts[t] += weight
            c = kb.country_id(eid)
            if c and c != t:
                counts[c] += weight * 0.5
    return counts


def dominant_theatre(doc: Document, kb: KB | None = None) -> str | None:
    """KB id of the article's main theatre (country or region such as gaza-strip), from its place mentions."""
    kb = kb or get_kb()
    counts = _theatre_counts(kb, [mt for mt in doc.mentions if mt.origin != "title"])
    return counts.most_common(1)[0][0] if counts else None


def main_region(doc: Document, kb: KB | None = None) -> str | None:
    """KB id of the region "المنطقة/الولاية" most likely means: the most named oblast/governorate,
    else the region containing the most named town."""
    kb = kb or get_kb()
    return _main_region(kb, [mt for mt in doc.mentions if mt.origin != "title"])


def _main_region(kb: KB, items) -> str | None:
    regions: Counter = Counter()
    for mt in items:
        e = kb.get(mt.entity_id)
        if e is None or e.type != "LOC" or mt.adjectival or e.kind == "country":
            continue
        if e.kind in ("oblast", "governorate", "state", "province", "region"):
            regions[e.id] += 2
        elif e.parent:
            regions[e.parent] += 1
    return regions.most_common(1)[0][0] if regions else None


_AGENCY_KINDS = frozenset(("news_agency", "photo_agency", "media"))
_AGENCY_WORDS_END = re.compile(r"(?:وكاله|انباء)\W*$")
_CREDIT_LABEL_END = re.compile(r"(?:المصدر|تصوير|الصوره)\s*:\s*$")


def _credit_flags(doc: Document, matches: list[Match]) -> None:
    """Mark hits in credit/dateline sentences, parenthesised agency credits and "المصدر:" lines."""
    entry = get_kb().entries.get
    norm, n2r = doc.norm, doc.norm_to_raw
    credit_lines = [(s.start, s.end) for s in doc.sentences if s.kind in _CREDIT_KINDS]  # sentences never overlap
    for mt in matches:
        if credit_lines:
            rs = n2r[mt.ns]
            if any(start <= rs < end for start, end in credit_lines):
                mt.in_credit = True
                continue
        e = entry(mt.surface.ids[0]) if mt.surface.ids else None
        if e is None:
            continue
        before = norm[max(0, mt.ns - 12):mt.ns]
        if e.kind in _AGENCY_KINDS and before.rstrip().endswith("(") and \
                norm[mt.ne:mt.ne + 3].lstrip().startswith(")") and not _AGENCY_WORDS_END.search(before):
            mt.in_credit = True
        elif ":" in before and _CREDIT_LABEL_END.search(before):
            mt.in_credit = True


_DATELINE_AFTER = re.compile(r"\s*(?:[-–—(]|,?\s*\d)")
_DATELINE_GLUE = re.compile(r"\s*,\s*")


def _dateline_flags(doc: Document, matches: list[Match]) -> None:
    """Places opening a paragraph before a date or an agency ("كييف- (د ب أ)") are datelines."""
    norm = doc.norm
    kb = get_kb()
    k = 0
    while k < len(matches):
        mt = matches[k]
        e = kb.get(mt.entity_id)
        if e is None or e.type != "LOC" or norm[norm.rfind("\n", 0, mt.ns) + 1:mt.ns].strip():
            k += 1
            continue
        run = [mt]
        j = k + 1
        while j < len(matches) and _DATELINE_GLUE.fullmatch(norm, run[-1].ne, matches[j].ns) and \
                kb.get(matches[j].entity_id) is not None and kb.get(matches[j].entity_id).type == "LOC":
            run.append(matches[j])
            j += 1
        tail = run[-1].ne
        line_end = norm.find("\n", tail)
        line_end = len(norm) if line_end < 0 else line_end
        if _DATELINE_AFTER.match(norm, tail) or not norm[tail:line_end].strip(" \t.,"):
            for r in run:
                r.in_credit = True
        k = j


def compose(doc: Document, matches: list[Match], words: Words, m: Matcher | None = None) -> list[Match]:
    """Resolve ids and compose generic/title words with the names that follow them."""
    m = m or matcher()
    kb = m.kb
    texts = words.texts
    for mt in matches:
        s = mt.surface
        if s.flag in ("name", "acr", "adj"):
            mt.entity_id = s.ids[0] if s.ids else None
            mt.adjectival = s.flag == "adj"
    _credit_flags(doc, matches)
    counts = _theatre_counts(kb, [mt for mt in matches if len(mt.surface.ids) == 1 and mt.surface.extra != "ctx"
                                  and not (kb.get(mt.entity_id) or _NO_ENTRY).auto])
    theatre = counts.most_common(1)[0][0] if counts else None
    country = kb.country_id(theatre)
    for mt in matches:
        if len(mt.surface.ids) > 1:
            mt.entity_id = _pick(kb, mt.surface.ids, theatre, country)
        e = kb.get(mt.entity_id)
        gated = (e is not None and e.auto and mt.wj - mt.wi == 1) or mt.surface.extra == "ctx"
        if gated and not _in_context(kb, m, texts, mt, e, theatre, country):
            mt.dead = True
    published = doc.meta.published if doc.meta else None
    # right to left, so "هيئة الأركان العامة" + "للجيش الأوكراني" sees the composed army first
    for k in range(len(matches) - 1, -1, -1):
        mt = matches[k]
        flag = mt.surface.flag
        if flag not in ("generic", "title", "anaphor"):
            continue
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        follow = nxt if nxt is not None and not nxt.dead and _adjacent(m, texts, mt, nxt) else None
        if flag == "generic":
            _compose_generic(kb, mt, follow, theatre)
        elif flag == "title":
            _compose_title(kb, m, words, matches, mt, follow, published)
        else:
            _resolve_anaphor(kb, matches, k, follow)
    _dateline_flags(doc, [mt for mt in matches if not mt.dead])
    return [mt for mt in matches if not mt.dead and mt.entity_id is not None]


def _in_context(kb: KB, m: Matcher, texts: list[str], mt: Match, e: Entry | None, theatre: str | None,
                country: str | None) -> bool:
    """Gated names (one-word GeoNames towns, ``ar_ctx`` forms such as صور or كيا) count only in their
    own theatre or after a cue word ("بلدة", "مدينة"; "شركة", "نوع"): they collide with common words."""
    if e is None:
        return False
    prev = texts[mt.wi - 1] if mt.wi else ""
    if prev in (m.place_cues if e.type == "LOC" else m.org_cues) and (len(texts[mt.wi]) >= 5 or not e.auto):
        return True
    home = e.id if e.kind == "country" else e.country
    return home is not None and (home == country or kb.theatre_of(e.id) == theatre)


def _compose_generic(kb: KB, mt: Match, follow: Match | None, theatre: str | None) -> None:
    kind = mt.surface.extra
    owner_entry = kb.get(follow.entity_id) if follow is not None and follow.origin == "kb" else None
    if owner_entry is not None and (owner_entry.type == "LOC" or owner_entry.kind == "armed_forces"):
        owner = kb.theatre_of(follow.entity_id) if not kb.is_country(follow.entity_id) else follow.entity_id
        inst = kb.institution(owner, kind) or kb.institution(kb.country_id(follow.entity_id), kind)
        if inst is not None:
            mt.entity_id, mt.ne = inst.id, follow.ne
            mt.wj = follow.wj
            mt.in_credit = mt.in_credit and follow.in_credit
            follow.dead = True
            return
        if follow.adjectival or kb.is_country(follow.entity_id):
            mt.dead = True  # "وزارة الصحة الصومالية": a country whose institution we do not list
            return
    bare_ok = kind in (kb.lexicon.get("bare_generic_kinds") or ())
    inst = kb.institution(theatre, kind) if theatre and bare_ok else None
    if inst is None:
        mt.dead = True
        return
    mt.entity_id = inst.id
    mt.confidence = 0.6


_REGION_ANAPHOR_REACH = 40  # normalised characters between a place and "حاكم المنطقة" that make it "the region"


def _compose_title(kb: KB, m: Matcher, words: Words, matches: list[Match], mt: Match,
                   follow: Match | None, published) -> None:
    """"عمدة" + "كييف" → an ``origin="title"`` mention of the office (entity id: its holder when known)."""
    role = mt.surface.extra
    of_id = None
    end = None
    if follow is not None and follow.entity_id is not None:
        of_id, end = follow.entity_id, follow
    elif mt.wj < len(words.texts) and words.texts[mt.wj] in m.region_anaphors:
        placed = [p for p in matches if not p.dead and p.origin == "kb" and p.entity_id]
        before = [p for p in placed if p.ns < mt.ns]
        # "وفي دنيبرو، أفاد حاكم المنطقة": a place just before decides, else the article's main region
        near = [p for p in before if mt.ns - p.ns <= _REGION_ANAPHOR_REACH][-1:]
        of_id = _main_region(kb, near) or _main_region(kb, before) or _main_region(kb, placed)
    if of_id is None:
        mt.dead = True
        return
    office = kb.office(role, of_id, published)
    if office is None:
        mt.dead = True
        return
    mt.origin = "title"
    mt.entity_id = office.holder_id or f"office:{role}:{office.of_id}"
    mt.name = office.name
    mt.confidence = 0.9 if end is not None else 0.6
    if end is not None:
        mt.ne, mt.wj = end.ne, end.wj
    else:
        mt.ne, mt.wj = words.end(mt.wj), mt.wj + 1  # "حاكم المنطقة"


def _resolve_anaphor(kb: KB, matches: list[Match], k: int, follow: Match | None) -> None:
    """"الوزارة" / "المركز" / "الإقليم" → the nearest earlier entity of a matching kind."""
    mt = matches[k]
    kinds = set(mt.surface.extra.split("|"))
    want_country = kb.country_id(follow.entity_id) if follow is not None and follow.adjectival else None
    for j in range(k - 1, -1, -1):
        prev = matches[j]
        e = kb.get(prev.entity_id)
        if prev.dead or e is None or prev.origin != "kb":
            continue
        if (e.kind in kinds or e.id in kinds) and (want_country is None or kb.country_id(e.id) == want_country):
            mt.entity_id = e.id
            mt.confidence = 0.7
            if want_country is not None and follow is not None:
                mt.ne, mt.wj = follow.ne, follow.wj
                follow.dead = True
            return
    mt.dead = True


def to_mentions(doc: Document, matches: list[Match], kb: KB | None = None) -> list[Mention]:
    """Mentions in raw offsets, canonical names filled from the KB (titles keep their office name)."""
    kb = kb or get_kb()
    out: list[Mention] = []
    for mt in matches:
        rs, re_ = doc.raw_span(mt.ns, mt.ne)
        e = kb.get(mt.entity_id)
        if mt.origin == "title":
            typ, name = "PER", mt.name
        elif e is not None:
            typ, name = e.type, e.name
        else:
            continue
        out.append(Mention(rs, re_, typ, mt.entity_id, name, mt.origin, mt.adjectival, mt.in_credit, mt.confidence))
    return out


def kb_mentions(doc: Document) -> list[Mention]:
    """All KB mentions of an analysed (normalised, segmented) document, sorted by start."""
    m = matcher()
    matches, words = find_matches(doc, m)
    return to_mentions(doc, compose(doc, matches, words, m), m.kb)


@stage("kb_mentions", requires=["norm", "tokens", "sentences"], assigns=["mentions"])
def kb_mentions_stage(doc: Document) -> None:
    doc.mentions = kb_mentions(doc)
