"""Attribution: who a claim or a quotation is attributed to.

One mechanism serves figures (``source_for``) and quotes (``speaker_for_quotation``). Every
sentence is scanned once for attribution cues (data in ``data/lexicons/attribution.yaml``):

- prepositional cues (وفقًا لـ، بحسب، نقلًا عن، وفق ما أفادت به …): the source follows the cue;
  a cue opening its clause covers what follows, a trailing cue covers the clause before it;
- speech / report verbs (قال، أعلنت، أفاد …): the subject follows the verb ("قال الجيش إن") or
  precedes it ("القوات الجوية أكدت أنها"); a verb without a subject ("وأضاف أن") and adverbial
  participles ("قائلًا") continue the previous speaker of the sentence or of the sentence before.

The subject phrase is resolved from the entity mentions inside it (people before offices before
organisations), titles ("حاكم منطقة X" → "Governor of X Oblast"), spokesperson phrases (→ the
person and the organisation), generic sources ("مصادر عسكرية لبنانية" → "Lebanese military
sources") and anaphora ("الوزارة" → the ministry named before). A sentence without a cue has no
source: sources are never carried to unrelated sentences.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from marsad.document import Document, Mention, Quotation
from marsad.extractors.scan import PatternSet, word_spans, word_starts
from marsad.schema import Span
from marsad.text.normalize import normalize, normalize_with_offsets

SourceKind = Literal["person", "office", "org", "generic", "outlet", "place"]
CueKind = Literal["prep", "verb", "participle"]

_PROCLITICS = r"(?<!\w)[وف]?[بلك]?"
_CUE_KINDS = ("prep", "participle", "verb", "weak")  # the patterns of ``Lexicon.cues``, in order
_SKIP_KINDS = frozenset(("credit", "dateline", "boilerplate"))
_MAX_PHRASE_WORDS = 10
_MAX_BACK_WORDS = 7
_CONTINUATION_SENTENCES = 2  # a subject-less verb may continue a speaker this many sentences back
_REGION_SUFFIXES = (" Oblast", " Governorate", " Province", " State", " Region", " Krai")


@dataclass(slots=True)
class Source:
    """Who a claim is attributed to: acceptable canonical names (most specific first)."""

    names: list[str]
    entity_id: str | None
    span: Span
    kind: SourceKind = "org"
    offices: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Cue:
    """An attribution cue in a sentence, with the raw range of text it covers."""

    start: int
    end: int
    kind: CueKind
    forward: bool  # covers what follows (else the clause before it)
    scope_start: int
    scope_end: int
    phrase_end: int  # raw end of the subject phrase (where the reported content starts)
    source: Source | None


# --------------------------------------------------------------------------- lexicon


def _alternation(patterns: list[str]) -> str:
    parts = []
    for p in patterns:
        p = normalize(p)
        parts.append(p[:-1] + r"(?!\w)" if p.endswith("$") else p)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class Lexicon:
    cues: PatternSet  # prepositional cues, participles, speech verbs, weak speech verbs (in this order)
    stops: re.Pattern
    titles: list[tuple[str, re.Pattern]]
    title_set: PatternSet  # the patterns of ``titles``, scanned together
    office_names: dict[str, str]
    region_anaphora: re.Pattern
    generic_heads: list[tuple[str, re.Pattern]]
    qualifiers: list[tuple[str, re.Pattern]]
    anaphora: list[tuple[str, re.Pattern]]
    outlet_heads: re.Pattern
    demonyms: dict[str, str]
    institutions: dict[str, str]
    anaphor_words: dict[str, str]
    honorific: re.Pattern
    institution_heads: re.Pattern
    pronoun_subject: re.Pattern


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled attribution lexicon (loaded once)."""
    raw = yaml.safe_load(resources.files("marsad.data.lexicons").joinpath("attribution.yaml").read_text("utf-8"))

    def cue(patterns: list[str]) -> re.Pattern:
        return re.compile(_PROCLITICS + _alternation(patterns))

    def word(patterns: list[str]) -> re.Pattern:
        return re.compile(r"(?<!\w)" + _alternation(patterns))

    def named(spec: dict[str, list[str]], proclitics: bool = False) -> list[tuple[str, re.Pattern]]:
        return [(k, re.compile(_PROCLITICS + "(?:ال)?" + _alternation(v)) if proclitics else word(v)) for k, v in spec.items()]

    title_set = PatternSet(_PROCLITICS + "(?:ال)?", [_alternation(v) for v in raw["titles"].values()])
    return Lexicon(
        cues=PatternSet(_PROCLITICS, [_alternation(raw[k]) for k in ("prep_cues", "participles", "speech_verbs", "weak_speech_verbs")]),
        stops=cue(raw["phrase_stops"]),
        titles=list(zip(raw["titles"], title_set.patterns)),
        title_set=title_set,
        office_names=raw["office_names"],
        region_anaphora=word(raw["region_anaphora"]),
        generic_heads=named(raw["generic_heads"], proclitics=True),
        qualifiers=named(raw["generic_qualifiers"], proclitics=True),
        anaphora=named(raw["anaphora"], proclitics=True),
        outlet_heads=cue(raw["outlet_heads"]),
        demonyms=raw["demonyms"],
        institutions=raw["institutions"],
        anaphor_words={k: normalize(v) for k, v in raw["anaphor_words"].items()},
        institution_heads=cue(raw["institution_heads"]),
        pronoun_subject=re.compile(_alternation(raw["pronoun_subjects"])),
        honorific=re.compile(r"[وف]?(?:ال)?" + _alternation(raw["honorifics"])),
    )


# --------------------------------------------------------------------------- knowledge base adapter


def _kb() -> Any:
    """The knowledge base, or None while it is unavailable (the resolver then uses its own data)."""
    try:
        from marsad.kb import get_kb  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        return get_kb()
    except Exception:  # a missing/broken KB must not stop attribution
        return None


def _kb_office(kind: str, title: str, place_id: str | None, place_name: str | None) -> tuple[str | None, str | None, str | None]:
    """``(office name, holder name, holder id)`` of a title over a place (KB first, then the lexicon)."""
    kb = _kb()
    office = getattr(kb, "office", None) if kb is not None else None
    if office is not None and place_id is not None:
        try:
            res = office(title, place_id)
        except Exception:
            res = None
        if res:
            if isinstance(res, str):
                return res, None, None
            if isinstance(res, tuple):
                name, holder = (res + (None, None))[:2]
                return name, getattr(holder, "name", holder), getattr(holder, "id", None)
            holder = getattr(res, "holder", None)
            hname = getattr(holder, "name", holder) if holder is not None else getattr(res, "holder_name", None)
            hid = getattr(holder, "id", None) if holder is not None else getattr(res, "holder_id", None)
            return getattr(res, "name", None), hname, hid
    template = lexicon().office_names.get(kind)
    if template and place_name:
        return template.format(place=place_name), None, None
    return None, None, None


def _demonym(country: str | None, country_id: str | None) -> str | None:
    """English adjective of a country ("Lebanon" → "Lebanese")."""
    if not country:
        return None
    kb = _kb()
    if kb is not None and country_id is not None and hasattr(kb, "demonym"):
        dem = kb.demonym(country_id)
        if isinstance(dem, str) and dem:
            return dem
    return lexicon().demonyms.get(country)


def _institution(doc: Document, kind: str) -> tuple[str | None, str | None]:
    """``(name, id)`` of a generic institution ("سلاح الجو") of the article's dominant country."""
    country, country_id = _dominant_country(doc)
    if country is None:
        return None, None
    kb = _kb()
    inst = getattr(kb, "institution", None) if kb is not None else None
    if inst is not None and country_id is not None:
        try:
            res = inst(country_id, kind)
        except Exception:
            res = None
        if res:
            if isinstance(res, str):
                return res, None
            return getattr(res, "name", None), getattr(res, "id", None)
    template = lexicon().institutions.get(kind)
    dem = _demonym(country, country_id)
    if template and dem:
        return template.format(demonym=dem, country=country), None
    return None, None


def _dominant_country(doc: Document) -> tuple[str | None, str | None]:
    """``(name, id)`` of the country the article is mostly about (KB when it knows, else mention counts)."""
    kb = _kb()
    if kb is not None:
        try:
            from marsad.kb.gazetteer import dominant_theatre
        except ImportError:
            dominant_theatre = None
        tid = dominant_theatre(doc, kb) if dominant_theatre is not None else None
        if tid:
            return getattr(kb.get(tid), "name", None), tid
    demonyms = lexicon().demonyms
    counts: Counter[tuple[str, str | None]] = Counter()
    for m in doc.mentions:
        if m.type == "LOC" and m.name in demonyms and not m.in_credit:
            counts[(m.name, m.entity_id)] += 1
    if not counts:
        return None, None
    (name, eid), _ = counts.most_common(1)[0]
    return name, eid


# --------------------------------------------------------------------------- per-document analysis


class _Ctx:
    """Offsets and word boundaries of one document, shared by every lookup."""

    def __init__(self, doc: Document):
        self.doc = doc
        if doc.norm and len(doc.norm_to_raw) == len(doc.norm):
            self.norm, self.n2r = doc.norm, doc.norm_to_raw
            self.words, self.word_starts = word_spans(doc), word_starts(doc)
        else:
            self.norm, self.n2r = normalize_with_offsets(doc.text)
            self.words = [m.span() for m in re.finditer(r"\w+|[^\w\s]", self.norm)]
            self.word_starts = [a for a, _ in self.words]
        self.mentions = sorted((m for m in doc.mentions if not m.in_credit), key=lambda m: (m.start, -m.end))
        self.mention_starts = [m.start for m in self.mentions]
        self.quotations = sorted(doc.quotations, key=lambda q: q.start)
        self.quotation_starts = [q.start for q in self.quotations]
        self.history: list[Source] = []

    def n(self, raw: int) -> int:
        """Norm index of raw offset ``raw``."""
        return bisect.bisect_left(self.n2r, raw)

    def r(self, norm: int) -> int:
        """Raw offset of norm index ``norm`` (end-exclusive positions map past the last char)."""
        if norm >= len(self.n2r):
            return len(self.doc.text)
        return self.n2r[norm]

    def r_end(self, norm_end: int) -> int:
        return self.n2r[norm_end - 1] + 1 if norm_end > 0 else 0

    def in_quotation(self, raw: int) -> bool:
        k = bisect.bisect_right(self.quotation_starts, raw) - 1
        return k >= 0 and self.quotations[k].start <= raw < self.quotations[k].end

    def mentions_in(self, a: int, b: int) -> list[Mention]:
        """Mentions starting inside raw ``[a, b)``."""
        lo = bisect.bisect_left(self.mention_starts, a)
        hi = bisect.bisect_left(self.mention_starts, b)
        return self.mentions[lo:hi]


def _sentences(doc: Document) -> list[tuple[int, int, str]]:
    if doc.sentences:
        return [(s.start, s.end, s.kind) for s in doc.sentences]
    return [(0, len(doc.text), "body")]


@dataclass
class _Analysis:
    key: tuple
    cues: list[list[Cue]]
    sentence_starts: list[int]


def _analysis(doc: Document) -> _Analysis:
    """Cues of every sentence (computed once per document and cached on it)."""
    key = (len(doc.text), len(doc.sentences), len(doc.mentions), len(doc.quotations), id(doc.mentions))
    cached = doc.__dict__.get("_attribution")
    if cached is not None and cached.key == key:
        return cached
    ctx = _Ctx(doc)
    sents = _sentences(doc)
    cues: list[list[Cue]] = []
    last_source: tuple[int, Source] | None = None
    for idx, (s_start, s_end, kind) in enumerate(sents):
        if kind in _SKIP_KINDS:
            cues.append([])
            continue
        inherited = last_source[1] if last_source and idx - last_source[0] <= _CONTINUATION_SENTENCES else None
        found = _sentence_cues(ctx, s_start, s_end, inherited)
        cues.append(found)
        for c in found:
            if c.source is not None:
                last_source = (idx, c.source)
    _link_offices(ctx)
    result = _Analysis(key, cues, [s[0] for s in sents])
    doc.__dict__["_attribution"] = result
    return result


def _sentence_cues(ctx: _Ctx, s_start: int, s_end: int, inherited: Source | None) -> list[Cue]:
    """The attribution cues of one sentence, in order, with their resolved sources."""
    lex = lexicon()
    ns, ne = ctx.n(s_start), ctx.n(s_end)
    text = ctx.norm[ns:ne]
    spans: list[tuple[int, int, CueKind]] = []
    taken: list[tuple[int, int]] = []
    for kind, found in zip(_CUE_KINDS, lex.cues.spans_each(text)):
        for a, b in found:
            a, b = ns + a, ns + b
            if any(a < tb and ta < b for ta, tb in taken) or ctx.in_quotation(ctx.r(a)):
                continue
            taken.append((a, b))
            spans.append((a, b, kind))  # type: ignore[arg-type]
    spans.sort()
    out: list[Cue] = []
    for a, b, kind in spans:
        cue = _make_cue(ctx, a, b, kind, ns, ne, out, inherited)
        if cue is not None:
            out.append(cue)
            if cue.source is not None:
                ctx.history.append(cue.source)
    return out


def _word_index(ctx: _Ctx, norm_pos: int) -> int:
    return bisect.bisect_left(ctx.word_starts, norm_pos)


def _any_word_between(ctx: _Ctx, a: int, b: int) -> bool:
    """Whether norm ``[a, b)`` holds a letter/digit word."""
    return any(ctx.norm[x].isalnum() or ctx.norm[x] == "_" for x, _ in ctx.words[_word_index(ctx, a):_word_index(ctx, b)])


def _make_cue(ctx: _Ctx, a: int, b: int, kind: str, ns: int, ne: int, before: list[Cue], inherited: Source | None) -> Cue | None:
    lex = lexicon()
    phrase_end = _phrase_end(ctx, b, ne)
    if kind in ("verb", "weak") and (_addressee(ctx, b) or _called_upon(ctx, a, b, phrase_end)):
        phrase_end = b  # "أوضح لترمب أن …", "قال للصحفيين", "دعت مجلس الأمن إلى …": the one spoken to, not the speaker
    source = _resolve(ctx, b, phrase_end) if phrase_end > b else None
    if source is None and phrase_end > b:
        source = _unresolved(ctx, b, phrase_end)
    own_source = source is not None
    if kind == "weak":
        # weak verbs (وصف، دعا، حذر …) report speech only when a complement or a quotation follows
        nxt = ctx.norm[phrase_end:min(ne, phrase_end + 40)].split(".")[0]
        if not _COMPLEMENT_OR_QUOTE.search(nxt):
            return None
        kind = "verb"
    initial = not _any_word_between(ctx, ns, a) or bool(_CLAUSE_RESUMES.match(ctx.norm[phrase_end:phrase_end + 12]))
    if kind == "prep":
        forward = initial
        if lex.pronoun_subject.fullmatch(ctx.norm[_skip_space(ctx, b):phrase_end]):
            # "بحسب قوله": the speaker already named in the sentence
            prev = [c.source for c in before if c.source is not None]
            source = prev[-1] if prev else inherited
    else:
        forward = True
        if kind == "verb" and _after_qad(ctx, a):
            # "وكان X قد اتهم …": the subject stands before قد, what follows the verb is its object
            source = _resolve_backward(ctx, a, ns, before) or source
        elif source is None and kind == "verb":
            source = _resolve_backward(ctx, a, ns, before)
        if source is None:
            prev = [c.source for c in before if c.source is not None]
            source = prev[-1] if prev else inherited
    raw_a, raw_b = ctx.r(a), ctx.r_end(b)
    if forward:
        scope = (raw_a, ctx.r_end(ne) if ne > ns else raw_b)
    else:
        prev_start = before[-1].start if before else ctx.r(ns)
        scope = (prev_start, raw_a)
    subject_end = ctx.r_end(phrase_end) if phrase_end > b else raw_b
    if own_source and source is not None and raw_b < source.span.end <= subject_end:
        subject_end = source.span.end
    return Cue(raw_a, raw_b, kind, forward, scope[0], scope[1], subject_end, source)  # type: ignore[arg-type]


_SPEAKS_FOR = re.compile(r"(?<!\w)(?:باسم|بلسان)\s+")
_CALLING_VERB = re.compile(r"[وف]?(?:دعا|دعت|دعوا|يدعو|تدعو|طالب|طالبت|طالبوا|يطالب|تطالب|حث|حثت|ناشد|ناشدت)$")
_CALLED_TO = re.compile(r"\s*(?:الي|الى|ب)")


def _called_upon(ctx: _Ctx, a: int, b: int, phrase_end: int) -> bool:
    """"دعت مجلس الأمن إلى …", "طالب المجتمع الدولي بـ…": the phrase after a calling verb, followed
    by إلى / بـ, names who is called upon, not the caller."""
    return phrase_end > b and bool(_CALLING_VERB.search(ctx.norm[a:b])) and bool(_CALLED_TO.match(ctx.norm, phrase_end))


_CLAUSE_RESUMES = re.compile(r"\s*,?\s*(?:فان|فانه|فانها|فقد)(?!\w)")  # "وبحسب X، فإن …"
_QAD_BEFORE = re.compile(r"(?<!\w)(?:قد|لقد)\s*$")
_AUXILIARY = re.compile(r"[وف]?(?:كان|كانت|قد|لقد)")
_WORDS = re.compile(r"\w+")
_COMPLEMENT_OR_QUOTE = re.compile(r"(?<!\w)(?:ان|انه|انها|انهم|انهما|بان|بانه|بانها|بانهم)(?!\w)|[:“«\"]")


def _phrase_end(ctx: _Ctx, start: int, limit: int) -> int:
    """Norm end of the subject phrase starting at ``start`` (stops at complementizers, prepositions, punctuation)."""
    lex = lexicon()
    i = _word_index(ctx, start)
    end = start
    count = 0
    k = i - 1
    partial = k >= 0 and ctx.words[k][0] < start < ctx.words[k][1]  # the cue ended inside a word: "وفقا للبيان"
    if partial:
        i = k
    while i < len(ctx.words) and count < _MAX_PHRASE_WORDS:
        x, y = ctx.words[i]
        if partial:
            x, partial = start, False
        if x >= limit:
            break
        tok = ctx.norm[x:y]
        if tok in ("“", "”", "«", "»", '"', "(", ")"):
            i += 1
            continue
        if tok == ",":
            nxt = ctx.norm[y:y + 40].lstrip()
            if count and (any(p.match(nxt) for _, p in lex.titles) or _mention_at(ctx, ctx.r(_skip_space(ctx, y)), "PER")):
                i += 1
                continue
            break
        if not tok[0].isalnum() and tok[0] != "_":
            break
        if count and lex.stops.match(ctx.norm, x) and lex.stops.match(ctx.norm, x).end() >= y:
            break
        if not count and lex.stops.match(ctx.norm, x) and lex.stops.match(ctx.norm, x).end() >= y and not _mention_at(ctx, ctx.r(x)):
            break
        end = y
        count += 1
        i += 1
    return end


def _after_qad(ctx: _Ctx, pos: int) -> bool:
    """True when the verb at norm ``pos`` follows the particle قد / لقد."""
    return bool(_QAD_BEFORE.search(ctx.norm[max(0, pos - 6):pos]))


def _addressee(ctx: _Ctx, pos: int) -> bool:
    """True when the word after a speech verb is introduced by the preposition لـ (لترمب، للصحفيين)."""
    pos = _skip_space(ctx, pos)
    if not ctx.norm.startswith("ل", pos):
        return False
    if ctx.norm.startswith("لل", pos):
        return True
    raw = ctx.r(pos)
    return any(m.start in (raw + 1, raw + 2) for m in ctx.mentions_in(raw, raw + 3))


def _skip_space(ctx: _Ctx, pos: int) -> int:
    while pos < len(ctx.norm) and ctx.norm[pos].isspace():
        pos += 1
    return pos


def _mention_at(ctx: _Ctx, raw: int, type_: str | None = None) -> Mention | None:
    """A mention starting at (or within two characters of) raw ``raw``."""
    for m in ctx.mentions_in(raw - 2, raw + 3):
        if type_ is None or m.type == type_:
            return m
    return None


def _resolve_backward(ctx: _Ctx, verb_start: int, ns: int, before: list[Cue]) -> Source | None:
    """The subject before a verb ("القوات الجوية الأوكرانية أكدت أن …", "وكانت صحيفة X، أفادت")."""
    lex = lexicon()
    lo = max(ns, ctx.n(before[-1].phrase_end) if before else ns)
    k = _word_index(ctx, verb_start) - 1
    start = verb_start
    count = 0
    while k >= 0 and count < _MAX_BACK_WORDS:
        x, y = ctx.words[k]
        if x < lo:
            break
        tok = ctx.norm[x:y]
        if tok in ("“", "”", "«", "»", '"', "(", ")", ","):
            k -= 1
            continue
        if not tok[0].isalnum() and tok[0] != "_":
            break
        if _AUXILIARY.fullmatch(tok):
            if count:
                break
            k -= 1
            continue
        m = lex.stops.match(ctx.norm, x)
        if m and m.end() >= y:
            break
        start = x
        count += 1
        k -= 1
    if start >= verb_start:
        return None
    end = verb_start
    while end > start and not (ctx.norm[end - 1].isalnum() or ctx.norm[end - 1] in "”»\")"):
        end -= 1
    return _resolve(ctx, start, end)


# --------------------------------------------------------------------------- subject phrases


def _resolve(ctx: _Ctx, a: int, b: int) -> Source | None:
    """The source named by norm phrase ``[a, b)``, or None when it names nobody."""
    lex = lexicon()
    a = _skip_space(ctx, a)
    phrase = ctx.norm[a:b]
    ra, rb = ctx.r(a), ctx.r_end(b)
    mentions = _head_chain(ctx, ctx.mentions_in(ra - 2, rb))
    persons = [m for m in mentions if m.type == "PER" and not m.adjectival]
    orgs = [m for m in mentions if m.type == "ORG" and not m.adjectival]
    places = [m for m in mentions if m.type == "LOC" and not m.adjectival]
    adjs = [m for m in mentions if m.adjectival]
    present = [kp for kp, hit in zip(lex.titles, lex.title_set.matching(phrase)) if hit]  # titles in the phrase
    title = next(((k, m) for k, p in present if (m := p.match(phrase))), None)
    if title is None:
        title = next(((k, m) for k, p in present if (m := p.search(phrase))), None)
    span = Span(start=ra, end=rb)

    generic = next((k for k, p in lex.generic_heads if p.match(phrase)), None)
    if generic and not persons and not orgs:
        # "المصادر" alone refers back to sources named before; "مصادر عسكرية" introduces new ones
        bare = phrase.startswith("ال") and len(phrase.split()) == 1
        back = _anaphor(ctx, phrase, ra) if bare else None
        return back or _generic(ctx, generic, phrase, places + adjs, span)

    real = [m for m in persons if m.origin != "title"]
    titled = [m for m in persons if m.origin == "title"
              and not any(p.name and m.name and p.name in m.name for p in real)]  # not "Governor of <the person>"
    if real or titled:
        offices: list[str] = []
        extra: list[str] = []
        if titled:
            t = titled[0]
            offices.append(t.name or ctx.doc.text[t.start:t.end])
            holder, org = _title_holder_and_org(t)
            if real and holder and holder != real[0].name:
                holder = None  # the office's listed holder is not the person named here
            extra += [n for n in (holder, org) if n]
        else:
            offices = _offices(ctx, title, places + adjs, phrase, real[0])
            if title and title[0] == "spokesperson" and not orgs:
                org_src = _anaphor(ctx, phrase, ra)
                extra += list(org_src.names) if org_src is not None else []
        extra += [o.name for o in orgs if o.name]
        if real:
            person = real[0]
            names = [person.name or ctx.doc.text[person.start:person.end], *offices, *extra]
            return Source(list(dict.fromkeys(names)), person.entity_id, _upto(span, [*real, *titled, *orgs]), "person", offices)
        t = titled[0]
        eid = t.entity_id if t.entity_id and not t.entity_id.startswith("office:") else None
        return Source(list(dict.fromkeys([*offices, *extra])), eid, _upto(span, [*titled, *orgs]), "office", offices)

    if title and title[0] != "spokesperson" and title[1].start() <= 2:
        offices = _offices(ctx, title, places + adjs, phrase, None)
        if offices:
            return Source(list(offices), None, span, "office", offices)

    if orgs:
        org = orgs[0]
        return Source([org.name or ctx.doc.text[org.start:org.end]], org.entity_id, _upto(span, [org]), "org")

    speaks_for = _SPEAKS_FOR.search(phrase) if title and title[0] == "spokesperson" else None
    if speaks_for and len(phrase[speaks_for.end():].split()) >= 2:
        # "المتحدث باسم المنسقية العامة للنازحين": a body the knowledge base does not list
        # ("باسم الوزارة" alone refers back to one named before)
        unlisted = _unresolved(ctx, a + speaks_for.end(), b)
        if unlisted is not None:
            return unlisted
    anaphor = _anaphor(ctx, phrase, ra)
    if anaphor is not None:
        return Source(list(anaphor.names), anaphor.entity_id, span, anaphor.kind, list(anaphor.offices))

    outlet = lex.outlet_heads.match(phrase)
    if outlet:
        latin = re.search(r"[a-z][a-z .&'-]*[a-z]", phrase[outlet.end():])
        if latin:
            la, lb = outlet.end() + latin.start() + a, outlet.end() + latin.end() + a
            return Source([ctx.doc.text[ctx.r(la):ctx.r_end(lb)]], None, span, "outlet")

    if places and places[0].start - ra <= 3:
        loc = places[0]
        return Source([loc.name or ctx.doc.text[loc.start:loc.end]], loc.entity_id, _upto(span, [loc]), "place")
    return None


def _unresolved(ctx: _Ctx, a: int, b: int) -> Source | None:
    """An institution the KB does not know ("مركز عمليات طوارئ الصحة العامة"), named by its Arabic text."""
    a = _skip_space(ctx, a)
    if not lexicon().institution_heads.match(ctx.norm, a):
        return None
    ra, rb = ctx.r(a), ctx.r_end(b)
    inside = ctx.mentions_in(ra, rb)
    if inside:  # "وزارة الخارجية السورية الهجوم": the name ends with its last known word, the object follows
        rb = max(m.end for m in inside)
    return Source([ctx.doc.text[ra:rb].strip(" ،,")], None, Span(start=ra, end=rb), "org")


def _head_chain(ctx: _Ctx, mentions: list[Mention]) -> list[Mention]:
    """The first mention of a phrase and those chained to it by apposition or honorifics
    ("أفيخاي أدرعي، الناطق بلسان الجيش"، "حاكم منطقة زابوريجيا إيفان فيدوروف") — not the
    object after it ("أعلن البيت الأبيض إجراء ترمب مكالمة")."""
    if not mentions:
        return []
    lex = lexicon()
    chain = [mentions[0]]
    for m in mentions[1:]:
        if m.start < chain[-1].end:
            chain.append(m)
            continue
        gap = ctx.norm[ctx.n(chain[-1].end):ctx.n(m.start)]
        words = _WORDS.findall(gap)
        if all(lex.honorific.fullmatch(w) for w in words) or \
                ("," in gap and len(words) <= 5 and any(p.search(gap) for _, p in lex.titles)):
            chain.append(m)
        else:
            break
    return chain


def _upto(span: Span, used: list[Mention]) -> Span:
    """The phrase span cut after the last mention the source was built from."""
    end = max((m.end for m in used), default=span.end)
    return Span(start=span.start, end=min(span.end, end) if end > span.start else span.end)


def _title_holder_and_org(t: Mention) -> tuple[str | None, str | None]:
    """Holder name and, for a spokesperson, organisation name of a KB title mention.

    The KB gives a title mention the holder's id when it knows the holder, else
    ``office:ROLE:OF_ID``; the organisation of a spokesperson is read back from either.
    """
    kb = _kb()
    if kb is None or not t.entity_id:
        return None, None
    role = of_id = None
    holder = None
    if t.entity_id.startswith("office:"):
        parts = t.entity_id.split(":", 2)
        if len(parts) == 3:
            role, of_id = parts[1], parts[2]
    else:
        ent = kb.get(t.entity_id)
        holder = getattr(ent, "name", None)
        for o in getattr(ent, "offices", ()) or ():
            if t.name and isinstance(o, dict) and o.get("of"):
                role, of_id = o.get("role"), o.get("of")
                if role == "spokesperson":
                    break
    org = None
    if role == "spokesperson" and of_id:
        org = getattr(kb.get(of_id), "name", None)
    return holder, org


def _offices(ctx: _Ctx, title: tuple[str, re.Match] | None, places: list[Mention], phrase: str, person: Mention | None) -> list[str]:
    """Office names a title in the phrase denotes ("حاكم منطقة زابوريجيا" → "Governor of Zaporizhzhia Oblast")."""
    if title is None or title[0] == "spokesperson":
        return []
    kind, m = title
    places = [p for p in places if p.type == "LOC" and (person is None or p.name != person.name)]
    place: Mention | None = places[0] if places else None
    if place is None and (lexicon().region_anaphora.search(phrase, m.end()) or kind in ("governor", "mayor")):
        place = _article_region(ctx)
    if place is None:
        return []
    name, holder, _ = _kb_office(kind, normalize(m.group(0)).strip(), place.entity_id, place.name)
    out = [n for n in (name, holder) if n and (person is None or n != person.name)]
    return out


def _article_region(ctx: _Ctx) -> Mention | None:
    """The region the article is about: the most mentioned oblast/province (then the first named)."""
    regions: Counter[str] = Counter()
    first: dict[str, Mention] = {}
    region_word = re.compile(r"(?:منطقه|مقاطعه|ولايه|محافظه|اقليم|اوبلاست)\s*$")
    for m in ctx.mentions:
        if m.type != "LOC" or m.adjectival or not m.name:
            continue
        before = ctx.norm[max(0, ctx.n(m.start) - 10):ctx.n(m.start)]
        if m.name.endswith(_REGION_SUFFIXES) or region_word.search(before):
            regions[m.name] += 1
            first.setdefault(m.name, m)
    if not regions:
        return None
    return first[regions.most_common(1)[0][0]]


def _generic(ctx: _Ctx, head: str, phrase: str, countries: list[Mention], span: Span) -> Source:
    """A generic source: "مصادر رسمية وعسكرية لبنانية" → "Lebanese official and military sources" (+ variants)."""
    lex = lexicon()
    quals: list[str] = []
    for word in phrase.split()[1:6]:
        for q, p in lex.qualifiers:
            if p.match(word) and q not in quals:
                quals.append(q)
    country = next((m for m in countries if m.name), None)
    dem = _demonym(country.name, country.entity_id) if country else None
    noun = {"sources": "sources", "source": "source", "officials": "officials", "official": "official",
            "authorities": "authorities"}[head]
    singular = {"sources": "source", "officials": "official"}.get(head)

    def label(qs: list[str], n: str) -> str:
        q = " and ".join(qs) if len(qs) <= 2 else ", ".join(qs[:-1]) + " and " + qs[-1]
        return " ".join(x for x in (dem, q, n) if x)

    names = [label(quals, noun)]
    for q in quals if len(quals) > 1 else []:
        names.append(label([q], noun))
    if singular:
        names += [label(quals, singular)] + ([label([q], singular) for q in quals] if len(quals) > 1 else [])
    return Source(list(dict.fromkeys(names)), None, span, "generic")


def _anaphor(ctx: _Ctx, phrase: str, raw_pos: int) -> Source | None:
    """A definite head ("الوزارة"، "المركز"، "سلاح الجو"، "المصادر") resolved to what it refers back to."""
    lex = lexicon()
    kind = None
    for k, p in lex.anaphora:
        m = p.search(phrase)
        if m and m.start() <= 20:
            kind = k
            break
    if kind is None:
        return None
    if kind == "sources":
        return next((s for s in reversed(ctx.history) if s.kind == "generic"), None)
    if kind == "spokesperson":
        return next((s for s in reversed(ctx.history) if s.kind == "person"), None)
    if kind == "statement":
        return next((s for s in reversed(ctx.history) if s.kind in ("org", "office", "person")), None)
    if kind in ("governor", "mayor"):
        region = _article_region(ctx)
        if region is None:
            return None
        name, holder, hid = _kb_office(kind, kind, region.entity_id, region.name)
        if name is None:
            return None
        names = [n for n in (name, holder) if n]
        return Source(names, hid, Span(start=raw_pos, end=raw_pos), "office", [name])
    word = lex.anaphor_words.get(kind)
    if word:
        for m in reversed(ctx.mentions):
            if m.start >= raw_pos or m.type != "ORG" or m.adjectival:
                continue
            surface = ctx.norm[ctx.n(m.start):ctx.n(m.end)]
            if word in surface:
                return Source([m.name or ctx.doc.text[m.start:m.end]], m.entity_id, Span(start=m.start, end=m.end), "org")
        for s in reversed(ctx.history):
            surface = ctx.norm[ctx.n(s.span.start):ctx.n(s.span.end)]
            if word in surface and s.kind in ("org", "person"):
                return s
    name, eid = _institution(ctx.doc, kind)
    if name:
        return Source([name], eid, Span(start=raw_pos, end=raw_pos), "org")
    return None


def _link_offices(ctx: _Ctx) -> None:
    """Complete sources across the article: an office gets its holder named elsewhere, a person their office."""
    holder_of: dict[str, str] = {}
    offices_of: dict[str, list[str]] = {}
    for s in ctx.history:
        if s.kind == "person" and s.offices:
            for o in s.offices:
                holder_of.setdefault(o, s.names[0])
            offices_of.setdefault(s.entity_id or s.names[0], list(s.offices))
    for s in ctx.history:
        if s.kind == "office":
            for o in list(s.offices):
                h = holder_of.get(o)
                if h and h not in s.names:
                    s.names.append(h)
        elif s.kind == "person" and not s.offices:
            extra = offices_of.get(s.entity_id or s.names[0], [])
            s.names += [o for o in extra if o not in s.names]


# --------------------------------------------------------------------------- public API


def cues_of_sentence(doc: Document, sentence_index: int) -> list[Cue]:
    """The attribution cues of one sentence (with scopes and resolved sources)."""
    return _analysis(doc).cues[sentence_index]


def _sentence_index(doc: Document, an: _Analysis, offset: int) -> int:
    return bisect.bisect_right(an.sentence_starts, offset) - 1


def source_for(doc: Document, start: int, end: int) -> Source | None:
    """The source the claim at raw ``[start, end)`` is attributed to by its own sentence, or None.

    Among the cues of the claim's sentence whose scope covers the claim, the nearest one wins
    (a trailing "، وفقًا لـX" covers the clause before it; "قال X إن …" what follows).
    """
    if start < 0 or end < start or end > len(doc.text):
        raise ValueError(f"source_for: span [{start}, {end}) is outside the text of {doc.meta.id!r} ({len(doc.text)} chars)")
    an = _analysis(doc)
    idx = _sentence_index(doc, an, start)
    if idx < 0:
        return None
    best: tuple[int, Source] | None = None
    for c in an.cues[idx]:
        if c.source is None:
            continue
        if c.forward and c.start <= start < c.scope_end:
            dist = start - c.end
        elif not c.forward and c.scope_start <= start and end <= c.start:
            dist = c.start - end
        else:
            continue
        if best is None or dist < best[0]:
            best = (dist, c.source)
    return best[1] if best else None


def speaker_for_quotation(doc: Document, quotation: Quotation, previous: tuple[Quotation, Source | None] | None = None) -> Source | None:
    """The speaker of a quotation, or None.

    In order: a cue after the quotation ("“…”، قال X" / "بحسب قوله"); the nearest cue before
    it in its sentence whose reported content contains it (its subject phrase ends before the
    quotation: "وقال الناطق …: “…”", "وكتب زيلنسكي: “…”"); the speaker of ``previous`` when
    this quotation continues it with no words in between (“…”. “…”).
    """
    an = _analysis(doc)
    idx = _sentence_index(doc, an, quotation.start)
    if idx < 0:
        return None
    cues = an.cues[idx]
    after = _cue_after(doc, cues, quotation)
    if after is not None:
        return after
    best: Cue | None = None
    for c in cues:
        if c.forward and c.end <= quotation.start and c.phrase_end <= quotation.start and quotation.start < c.scope_end:
            best = c
    if best is not None and best.source is not None:
        return best.source
    if previous is not None:
        prev_q, prev_src = previous
        gap = doc.text[prev_q.end:quotation.start]
        if not re.search(r"\w", gap):
            return prev_src
    return None


def _cue_after(doc: Document, cues: list[Cue], q: Quotation) -> Source | None:
    """A cue right after the closing mark ("“…”، قال X", "“…”، بحسب قوله")."""
    for c in cues:
        if c.start < q.end or c.source is None:
            continue
        gap = doc.text[q.end:c.start]
        if len(gap) <= 4 and not re.search(r"\w", gap):
            return c.source
        break
    return None


def governing_cue(doc: Document, quotation: Quotation) -> Cue | None:
    """The cue whose reported content contains the quotation (before it) or that follows it directly."""
    an = _analysis(doc)
    idx = _sentence_index(doc, an, quotation.start)
    if idx < 0:
        return None
    best = None
    for c in an.cues[idx]:
        if c.forward and c.end <= quotation.start and c.phrase_end <= quotation.start:
            best = c
        elif c.start >= quotation.end:
            gap = doc.text[quotation.end:c.start]
            if best is None and len(gap) <= 4 and not re.search(r"\w", gap):
                return c
            break
    return best
