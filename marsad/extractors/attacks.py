"""Attacks and their figures.

Reads counts (``doc.numbers``), sentences, dates and entity mentions, and produces
``schema.Attack`` objects: each figure with its measure, weapon, value, qualifier and the
source its own sentence attributes it to. Reports of the same fact (headline and body) are
merged; a sentence that dates a different day starts a new attack.

All patterns live in ``data/lexicons/attacks.yaml``; this module only combines them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from marsad.document import DateMention, Document, NumberMention, Sentence, Warning_
from marsad.pipeline import stage
from marsad.schema import Attack, Figure, Place, Span
from marsad.text.normalize import normalize

FIGURE_SENTENCE_KINDS = {"headline", "body"}
WEAPON_MEASURES = {"launched", "intercepted", "lost", "hit"}
PERSON_MEASURES = {"killed", "injured", "missing", "displaced"}
MAX_PRE_DISTANCE = 9  # words between a trigger and the count it governs
MAX_POST_DISTANCE = 5
WEAPON_FAMILY = {"ballistic_missile": "missile", "cruise_missile": "missile", "missile": "missile"}

# A pattern may follow Arabic proclitics (و ف + ب ل ك + ال/ل) and must start at a word start.
_PROCLITICS = r"(?<!\w)[وف]?[بلك]?(?:ال|ل)?"


def _compile(patterns: list[str], proclitics: bool = True) -> re.Pattern | None:
    if not patterns:
        return None
    parts = []
    for p in patterns:
        p = normalize(p)
        p = p[:-1] + r"(?!\w)" if p.endswith("$") else p
        parts.append(f"(?:{p})")
    prefix = _PROCLITICS if proclitics else r"(?<!\w)"
    return re.compile(prefix + "(?:" + "|".join(parts) + ")")


@dataclass(frozen=True)
class Lexicon:
    pre: dict[str, re.Pattern]
    post: dict[str, re.Pattern]
    noun: dict[str, re.Pattern]
    counted: list[tuple[re.Pattern, str | None]]
    weapon_mentions: list[tuple[re.Pattern, str]]
    drone_context: re.Pattern
    mixed: re.Pattern
    subset: re.Pattern
    all_of_them: re.Pattern
    attack_words: re.Pattern
    anaphora: re.Pattern
    largest: list[re.Pattern]
    origin: re.Pattern
    speech: re.Pattern
    rocket_actors: frozenset[str]
    breaks: re.Pattern = field(default=re.compile(r"[;:]|(?<!\w)(?:بينما|فيما|في حين|كما|وكان|وقد)(?!\w)"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled attacks lexicon (loaded once)."""
    raw = yaml.safe_load(resources.files("marsad.data.lexicons").joinpath("attacks.yaml").read_text("utf-8"))
    measures = raw["measures"]

    def by_measure(kind: str) -> dict[str, re.Pattern]:
        return {m: rx for m, spec in measures.items() if (rx := _compile(spec.get(kind) or []))}

    def counted(items: list[dict]) -> list[tuple[re.Pattern, str | None]]:
        return [(re.compile(_PROCLITICS + "(?:" + normalize(it["pattern"]) + ")"), it["weapon"]) for it in items]

    return Lexicon(
        pre=by_measure("pre"),
        post=by_measure("post"),
        noun=by_measure("noun"),
        counted=counted(raw["counted"]),
        weapon_mentions=counted(raw["weapon_mentions"]),
        drone_context=_compile(raw["drone_context"]),
        mixed=_compile(raw["mixed_casualties"]),
        subset=_compile(raw["subset_cues"]),
        all_of_them=_compile(raw["all_of_them"]),
        attack_words=_compile(raw["attack_words"]),
        anaphora=_compile(raw["attack_anaphora"]),
        largest=[re.compile(normalize(p)) for p in raw["largest"]],
        origin=_compile(raw["origin_cues"], proclitics=False),
        speech=_compile(raw["speech_verbs"]),
        rocket_actors=frozenset(raw["rocket_actors"]),
    )


# --------------------------------------------------------------------------- figures


@dataclass
class Candidate:
    """A figure found in one sentence, before attacks are assembled."""

    measure: str
    weapon: str | None
    value: int
    qualifier: str
    start: int  # raw offsets of the count
    end: int
    sentence: Sentence
    sentence_index: int


class _View:
    """Offsets helpers over one document: raw↔norm and word counting."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.word_starts = [t.start for t in doc.tokens if not t.is_punct]

    def n(self, raw: int) -> int:
        """Normalised index of raw offset ``raw``."""
        return bisect.bisect_left(self.doc.norm_to_raw, raw)

    def words_between(self, raw_a: int, raw_b: int) -> int:
        if raw_b <= raw_a:
            return 0
        return bisect.bisect_left(self.word_starts, raw_b) - bisect.bisect_left(self.word_starts, raw_a)


def _noun_after(lex: Lexicon, norm: str, pos: int, limit: int) -> tuple[re.Match | None, str | None]:
    """The counted noun at ``pos`` (skipping "من"/"من هذه"), as (match, weapon-or-person)."""
    m = re.compile(r"\s*(?:(?:من|من بين|من هذه|من هذه ال)\s+)?").match(norm, pos)
    start = m.end() if m else pos
    for rx, weapon in lex.counted:
        hit = rx.match(norm, start, min(len(norm), start + limit))
        if hit:
            return hit, weapon
    return None, None


def _measure_from_noun(lex: Lexicon, noun_text: str) -> str | None:
    for measure, rx in lex.noun.items():
        if rx.match(noun_text):
            return measure
    return None


def _compatible(measure: str, category: str | None) -> bool:
    if category == "person":
        return measure in PERSON_MEASURES
    if category is None:
        return True
    return measure in WEAPON_MEASURES


def _sentence_figures(doc: Document, view: _View, idx: int, sent: Sentence, numbers: list[NumberMention]) -> list[Candidate]:
    lex = lexicon()
    ns, ne = view.n(sent.start), view.n(sent.end)
    norm = doc.norm
    text = norm[ns:ne]
    triggers: list[tuple[str, str, int, int]] = []  # (measure, kind, norm start, norm end)
    for kind, table in (("pre", lex.pre), ("post", lex.post)):
        for measure, rx in table.items():
            for m in rx.finditer(text):
                triggers.append((measure, kind, ns + m.start(), ns + m.end()))
    breaks = [ns + m.start() for m in lex.breaks.finditer(text)]
    drone_ctx = bool(lex.drone_context.search(text))
    out: list[Candidate] = []
    last_weapon: str | None = None
    for num in numbers:
        if num.value is None or num.vague or num.value <= 0:
            continue
        p, q = view.n(num.start), view.n(num.end)
        before = norm[max(ns, p - 14):p]
        if lex.subset.search(before) or lex.mixed.search(before) or re.search(r"(?<!\w)ضد\s*$", before):
            continue  # "بينهم طفلان", "مقتل وإصابة 44", "ضربة ضد صاروخين"
        noun, category = _noun_after(lex, norm, q, 60)
        if noun is None and num.implicit:
            noun, category = _noun_after(lex, norm, p, 60)
        if noun is not None and lex.mixed.match(norm, noun.start()):
            continue  # "44 مدنيا سقطوا قتلى وجرحى": two measures in one count
        if noun is not None and lex.mixed.search(norm, noun.end(), min(ne, noun.end() + 30)):
            continue
        noun_end = noun.end() if noun else q
        measure = _measure_from_noun(lex, norm[noun.start():noun.end()].lstrip("وفبلك")) if noun else None
        if measure is None:
            measure = _choose_trigger(view, triggers, breaks, p, noun_end, category)
        if measure is None:
            continue
        weapon = _weapon_for(category, measure, drone_ctx, last_weapon, noun is None)
        if weapon:
            last_weapon = weapon
        if num.implicit and not _implicit_ok(view, triggers, p, measure):
            continue
        out.append(Candidate(measure, weapon, num.value, num.qualifier or "exact", num.start, num.end, sent, idx))
    # "قبل أن يتم إسقاطها جميعا": everything launched was intercepted.
    if lex.all_of_them.search(text):
        for c in [c for c in out if c.measure == "launched"]:
            out.append(Candidate("intercepted", c.weapon, c.value, c.qualifier, c.start, c.end, sent, idx))
    return out


def _choose_trigger(view: _View, triggers, breaks, p: int, noun_end: int, category: str | None) -> str | None:
    """The measure of the nearest compatible trigger governing a count at norm ``p``."""
    doc = view.doc
    best: tuple[int, str] | None = None
    raw_p = doc.norm_to_raw[p] if p < len(doc.norm_to_raw) else len(doc.text)
    for measure, kind, ts, te in triggers:
        if not _compatible(measure, category):
            continue
        if kind == "pre" and te <= p:
            if any(te <= b < p for b in breaks):
                continue
            d = view.words_between(doc.norm_to_raw[te - 1] + 1, raw_p)
            if d <= MAX_PRE_DISTANCE and (best is None or d < best[0]):
                best = (d, measure)
        elif kind == "post" and ts >= noun_end:
            d = view.words_between(doc.norm_to_raw[min(noun_end, len(doc.norm_to_raw) - 1)], doc.norm_to_raw[ts])
            if d <= MAX_POST_DISTANCE and (best is None or d + 1 < best[0]):
                best = (d + 1, measure)
    return best[1] if best else None


def _implicit_ok(view: _View, triggers, p: int, measure: str) -> bool:
    """A singular/dual noun counts only right after (or before) its trigger."""
    doc = view.doc
    raw_p = doc.norm_to_raw[p]
    for m, kind, ts, te in triggers:
        if m != measure:
            continue
        if kind == "pre" and te <= p and view.words_between(doc.norm_to_raw[te - 1] + 1, raw_p) <= 2:
            return True
        if kind == "post" and ts > p and view.words_between(raw_p, doc.norm_to_raw[ts]) <= 4:
            return True
    return False


def _weapon_for(category: str | None, measure: str, drone_ctx: bool, last: str | None, bare: bool) -> str | None:
    """The weapon kind of a count: its noun's, or for a bare "39 منها" the previous count's."""
    if measure in PERSON_MEASURES or category == "person":
        return None
    if category == "aircraft_or_drone":
        return "drone" if drone_ctx else "aircraft"
    if category is None:
        return last if bare else None
    return category


# --------------------------------------------------------------------------- attacks


@dataclass
class _Draft:
    figures: list[Candidate] = field(default_factory=list)
    sentence_ids: set[int] = field(default_factory=set)
    date_key: object = None
    date: DateMention | None = None


def _event_dates(doc: Document, view: _View, sent: Sentence) -> list[DateMention]:
    """Dates in a sentence that date the event, not its announcement."""
    lex = lexicon()
    out = []
    for d in doc.dates:
        if not (sent.start <= d.start < sent.end):
            continue
        ns = view.n(sent.start)
        head = doc.norm[ns:view.n(d.start)]
        tail = doc.norm[view.n(d.end):view.n(sent.end)]
        verbs = list(lex.speech.finditer(head))
        # "أعلن X صباح اليوم أن …": the date sits between a speech verb and its complement.
        if verbs and re.match(r"\s*[,،]?\s*(?:\S+\s+){0,3}?(?:ان|انه|انها|عن)(?!\w)", tail) and \
                view.words_between(doc.norm_to_raw[ns + verbs[-1].end() - 1], d.start) <= 10:
            continue
        out.append(d)
    return out


_WEEKDAYS = ("السبت", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه")


def _date_key(doc: Document, view: _View, d: DateMention) -> object:
    """A comparable key: the resolved date, else the weekday or wording (unanchored articles)."""
    if d.value is not None:
        return (d.value, d.overnight)
    surface = doc.norm[view.n(d.start):view.n(d.end)]
    for w in _WEEKDAYS:
        if w in surface:
            return w
    return surface.strip()


def _group(doc: Document, view: _View, cands: list[Candidate]) -> list[_Draft]:
    lex = lexicon()
    drafts: list[_Draft] = []
    by_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        by_sentence.setdefault(c.sentence_index, []).append(c)
    for idx in sorted(by_sentence):
        sent = doc.sentences[idx]
        dates = _event_dates(doc, view, sent)
        key = _date_key(doc, view, dates[0]) if dates else None
        text = doc.norm[view.n(sent.start):view.n(sent.end)]
        anaphoric = bool(lex.anaphora.search(text))
        cur = drafts[-1] if drafts else None
        new = cur is None or (
            key is not None and key != cur.date_key and not (cur.date_key is None and anaphoric)
            and not (anaphoric and _same_day(key, cur.date_key))
        )
        if new:
            cur = _Draft(date_key=key, date=dates[0] if dates else None)
            drafts.append(cur)
        elif key is not None and cur.date_key is None:
            cur.date_key, cur.date = key, dates[0]
        cur.figures.extend(by_sentence[idx])
        cur.sentence_ids.add(idx)
    return drafts


def _same_day(a: object, b: object) -> bool:
    return isinstance(a, tuple) and isinstance(b, tuple) and abs((a[0] - b[0]).days) <= 1


def _merge_repeats(doc: Document, figs: list[Candidate]) -> list[tuple[Candidate, object]]:
    """One figure per (measure, weapon, value): prefer the attributed, then the exact report."""
    from marsad.extractors.attribution import source_for

    # a generic "missile" count repeated with a specific kind takes the specific kind
    specific = {(c.measure, c.value): c.weapon for c in figs if c.weapon in ("ballistic_missile", "cruise_missile")}
    chosen: dict[tuple, tuple[Candidate, object]] = {}
    for c in figs:
        if c.weapon == "missile" and (c.measure, c.value) in specific:
            c.weapon = specific[(c.measure, c.value)]
        key = (c.measure, c.weapon, c.value)
        src = source_for(doc, c.start, c.end)
        old = chosen.get(key)
        if old is None or (src is not None, c.qualifier == "exact") > (old[1] is not None, old[0].qualifier == "exact"):
            chosen[key] = (c, src)
    return sorted(chosen.values(), key=lambda cs: cs[0].start)


def _kb():
    from marsad.kb import get_kb

    return get_kb()


def _attack_mentions(doc: Document, sentence_ids: set[int]):
    spans = [(doc.sentences[i].start, doc.sentences[i].end) for i in sorted(sentence_ids)]
    return [m for m in doc.mentions if any(s <= m.start < e for s, e in spans)]


def _words_before(doc: Document, view: _View, raw: int, n: int) -> str:
    """The normalised text of the ``n`` words before raw offset ``raw``."""
    k = bisect.bisect_left(view.word_starts, raw)
    start = view.word_starts[max(0, k - n)] if k else raw
    return doc.norm[view.n(start):view.n(raw)]


_TITLE_BEFORE = re.compile(r"(?<!\w)[وفبلك]?(?:ال)?(?:حاكم|عمده|محافظ|والي|رئيس بلديه|رئيس|بلديه|اداره|سلطات|وزير|سفير|قائد|مسؤول|مسؤولو)\S*\s+(?:\S+\s+)?$")
_TARGET_BEFORE = re.compile(r"(?<!\w)(?:علي|ضد|باتجاه|نحو|استهدف\S*|استهداف|مهاجمه|قصف\S*|ضرب\S*)\s+(?:\S+\s+)?$")


def _attack_attributes(doc: Document, view: _View, draft: _Draft, sources: list) -> dict:
    """attacker, target, locations, weapons and claims of one attack draft."""
    lex = lexicon()
    kb = _kb()
    mentions = _attack_mentions(doc, draft.sentence_ids)
    source_spans = [(s.span.start, s.span.end) for s in sources if s is not None and getattr(s, "span", None)]
    actor_score: dict[str, float] = {}
    target_votes: dict[str, float] = {}
    places: list = []
    for m in mentions:
        if m.entity_id is None or m.in_credit or any(a <= m.start < b for a, b in source_spans):
            continue
        before = _words_before(doc, view, m.start, 3)
        is_origin = bool(re.search(r"(?<!\w)(?:من|صنع|انطلاقا من|من صنع)\s*$", before)) or \
            doc.norm[view.n(m.end):view.n(m.end) + 6].startswith((" الصنع", "-الصنع"))
        if is_origin:
            continue
        actor = kb.actor_of(m.entity_id)
        is_target = bool(_TARGET_BEFORE.search(before))
        if m.type == "LOC" and not m.adjectival and not _TITLE_BEFORE.search(before):
            if not kb.is_country(m.entity_id):
                places.append(m)
            elif is_target:
                target_votes[m.name] = target_votes.get(m.name, 0) + 2
        if actor:
            if is_target:
                target_votes[actor] = target_votes.get(actor, 0) + 1
                continue
            near_attack = bool(lex.attack_words.search(_words_before(doc, view, m.start, 4)))
            actor_score[actor] = actor_score.get(actor, 0) + (2 if near_attack or m.adjectival else 1)
    # most specific places: drop a region when a place inside it is named
    place_ents = _dedupe_places(kb, places)
    for p in place_ents:
        country = kb.country_of(p.entity_id)
        if country:
            target_votes[country] = target_votes.get(country, 0) + 3
    target = max(target_votes, key=target_votes.get) if target_votes else None
    actor_score.pop(target, None)
    attacker = max(actor_score, key=actor_score.get) if actor_score else None
    weapons = {c.weapon for c in draft.figures if c.weapon}
    claims = []
    for i in draft.sentence_ids:
        s = doc.sentences[i]
        text = doc.norm[view.n(s.start):view.n(s.end)]
        for rx, weapon in lex.weapon_mentions:
            if rx.search(text):
                weapons.add(weapon)
        if any(rx.search(text) for rx in lex.largest):
            claims = ["largest"]
    if attacker in lex.rocket_actors and "missile" in weapons:
        weapons.discard("missile")
        weapons.add("rocket")
    # a specific missile kind makes the generic word redundant
    if weapons & {"ballistic_missile", "cruise_missile", "rocket"}:
        weapons.discard("missile")
    return {"attacker": attacker, "target": target, "places": place_ents, "weapons": weapons, "claims": claims}


def _dedupe_places(kb, places: list) -> list:
    seen: dict[str, object] = {}
    for m in places:
        seen.setdefault(m.entity_id, m)
    ids = set(seen)
    keep = []
    for eid, m in seen.items():
        if kb.is_region(eid) and any(o != eid and kb.within(o, eid) for o in ids):
            continue
        keep.append(m)
    return keep


def _claim_sentences(doc: Document, view: _View) -> list[int]:
    lex = lexicon()
    out = []
    for i, s in enumerate(doc.sentences):
        if s.kind in FIGURE_SENTENCE_KINDS:
            text = doc.norm[view.n(s.start):view.n(s.end)]
            if any(rx.search(text) for rx in lex.largest):
                out.append(i)
    return out


def _source_fields(src) -> dict:
    if src is None:
        return {"source": None}
    return {
        "source": list(src.names),
        "source_entity_id": getattr(src, "entity_id", None),
        "source_span": Span(start=src.span.start, end=src.span.end) if getattr(src, "span", None) else None,
    }


def extract_attacks(doc: Document) -> list[Attack]:
    """The attacks of an analysed document, each with its figures."""
    view = _View(doc)
    numbers = doc.numbers
    cands: list[Candidate] = []
    starts = [n.start for n in numbers]
    for idx, sent in enumerate(doc.sentences):
        if sent.kind not in FIGURE_SENTENCE_KINDS:
            continue
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        if lo < hi:
            cands.extend(_sentence_figures(doc, view, idx, sent, numbers[lo:hi]))
    drafts = _group(doc, view, cands)
    claim_sents = _claim_sentences(doc, view)
    if drafts and claim_sents:
        # a "largest" claim belongs to the attack its sentence describes, else the first attack
        for i in claim_sents:
            owner = next((d for d in drafts if i in d.sentence_ids), drafts[0])
            owner.sentence_ids.add(i)
    caption_date = _caption_date(doc)
    attacks: list[Attack] = []
    for n, draft in enumerate(drafts, 1):
        merged = _merge_repeats(doc, draft.figures)
        attrs = _attack_attributes(doc, view, draft, [s for _, s in merged])
        attack_id = f"{doc.meta.id}:a{n}"
        figures = []
        for k, (c, src) in enumerate(merged, 1):
            if src is None:
                doc.warnings.append(Warning_("unattributed_figure", f"no source found for {c.measure} {c.value}", c.start, c.end))
            figures.append(Figure(
                id=f"{attack_id}:f{k}", measure=c.measure, weapon=c.weapon, value=c.value, qualifier=c.qualifier,
                span=Span(start=c.start, end=c.end), sentence=doc.text[c.sentence.start:c.sentence.end],
                sentence_span=Span(start=c.sentence.start, end=c.sentence.end),
                in_quote=any(q.start <= c.start < q.end for q in doc.quotations), **_source_fields(src),
            ))
        date = draft.date.value if draft.date is not None else None
        if date is None and n == 1 and draft.date is None:
            date = caption_date
        kb = _kb()
        attacks.append(Attack(
            id=attack_id,
            date=date.isoformat() if date else None,
            attacker=attrs["attacker"],
            target=attrs["target"],
            locations=[m.name for m in attrs["places"]],
            places=[Place(name=m.name, entity_id=m.entity_id, span=Span(start=m.start, end=m.end),
                          **kb.coordinates(m.entity_id)) for m in attrs["places"]],
            weapons=sorted(attrs["weapons"]),
            claims=attrs["claims"],
            figures=figures,
            spans=[Span(start=doc.sentences[i].start, end=doc.sentences[i].end) for i in sorted(draft.sentence_ids)],
        ))
    return attacks


def _caption_date(doc: Document):
    """The date a caption gives, used when the story itself dates nothing (wire photos do)."""
    if doc.meta.published is not None:
        return None
    for d in doc.dates:
        s = doc.sentence_at(d.start)
        if s is not None and s.kind == "caption" and d.value is not None:
            return d.value
    return None


@stage("attacks", requires=["sentences", "numbers", "dates", "mentions", "entities", "quotations"], assigns=["attacks"])
def attacks_stage(doc: Document) -> None:
    doc.attacks = extract_attacks(doc)
