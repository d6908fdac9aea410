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
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from marsad.document import DateMention, Document, NumberMention, Sentence, Warning_
from marsad.extractors.attribution import cues_of_sentence, source_for
from marsad.extractors.scan import PatternSet, Prefiltered
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


def _norm_pattern(pattern: str) -> str:
    """Normalise the Arabic of a regex, leaving escapes such as ``\\S`` intact."""
    return "".join(part if part.startswith("\\") else normalize(part)
                   for part in re.split(r"(\\.)", pattern))


def _body(patterns: list[str]) -> str:
    """One alternation of normalised lexicon patterns (a final ``$`` means "at a word end")."""
    parts = []
    for p in patterns:
        p = _norm_pattern(p)
        p = p[:-1] + r"(?!\w)" if p.endswith("$") else p
        parts.append(f"(?:{p})")
    return "(?:" + "|".join(parts) + ")"


def _compile(patterns: list[str], proclitics: bool = True) -> re.Pattern | None:
    if not patterns:
        return None
    prefix = _PROCLITICS if proclitics else r"(?<!\w)"
    return re.compile(prefix + _body(patterns))


# lexicon lists scanned over whole sentences, in the order of ``_Cues``' first fields
_SENTENCE_CUES = ("attack_words", "attack_anaphora", "drone_context", "rocket_context", "all_of_them",
                  "weapon_mention_exclusions")


@dataclass(frozen=True)
class Lexicon:
    pre: dict[str, re.Pattern]
    noun: re.Pattern  # one named group per measure, tried in order
    triggers: PatternSet  # every pre and post trigger, scanned together
    trigger_keys: list[tuple[str, str]]  # (kind, measure) of each pattern of ``triggers``
    counted: re.Pattern  # the counted nouns, one group ``c<i>`` each, tried in order
    counted_weapons: list[str | None]  # the weapon (or "person") of counted noun ``i``
    weapon_mentions: PatternSet
    weapon_kinds: list[str]  # the weapon of each pattern of ``weapon_mentions``
    weapon_exclusions: re.Pattern | None
    mixed: re.Pattern
    subset: re.Pattern
    singular_triggers: re.Pattern
    bare_followers: re.Pattern
    attack_words: re.Pattern
    counter: re.Pattern  # "في المقابل" at a sentence start: the other side's attack
    own_forces: re.Pattern  # "قواتها": the reporting body's own side
    weak_actor_heads: re.Pattern  # "مسيرة أوكرانية": the drone's operator, when nothing else says
    sentence_cues: PatternSet  # the sentence-level cues of ``_Cues``, in its order
    actor_heads: re.Pattern
    admin_words: re.Pattern
    not_hit_place: re.Pattern
    speech_place: re.Pattern
    largest: Prefiltered
    speech: re.Pattern
    definite_singular: PatternSet
    definite_measures: list[str]  # the measure of each pattern of ``definite_singular``
    rocket_actors: frozenset[str]
    target_territories: frozenset[str]
    breaks: re.Pattern  # a trigger before one of these does not govern a count after it


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled attacks lexicon (loaded once)."""
    raw = yaml.safe_load(resources.files("marsad.data.lexicons").joinpath("attacks.yaml").read_text("utf-8"))
    measures = raw["measures"]

    def by_measure(kind: str) -> dict[str, re.Pattern]:
        return {m: rx for m, spec in measures.items() if (rx := _compile(spec.get(kind) or []))}

    trigger_keys = [(kind, m) for kind in ("pre", "post") for m, spec in measures.items() if spec.get(kind)]

    def first_of(named: list[tuple[str, str]]) -> re.Pattern:
        """One alternation of ``(name, regex)`` pairs, each in its own named group (first match wins)."""
        return re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in named))

    counted_prefix = _PROCLITICS.removeprefix(r"(?<!\w)")

    return Lexicon(
        pre=by_measure("pre"),
        noun=first_of([(m, rx.pattern) for m, rx in by_measure("noun").items()]),
        triggers=PatternSet(_PROCLITICS, [_body(measures[m][kind]) for kind, m in trigger_keys]),
        trigger_keys=trigger_keys,
        counted=first_of([(f"c{i}", counted_prefix + "(?:" + _norm_pattern(it["pattern"]) + ")") for i, it in enumerate(raw["counted"])]),
        counted_weapons=[it["weapon"] for it in raw["counted"]],
        weapon_mentions=PatternSet(_PROCLITICS, ["(?:" + _norm_pattern(it["pattern"]) + ")" for it in raw["weapon_mentions"]]),
        weapon_kinds=[it["weapon"] for it in raw["weapon_mentions"]],
        weapon_exclusions=_compile(raw["weapon_mention_exclusions"]),
        mixed=_compile(raw["mixed_casualties"]),
        subset=_compile(raw["subset_cues"]),
        singular_triggers=_compile(raw["singular_triggers"]),
        bare_followers=re.compile(r"\s*(?:[^\w\s]|$|و|(?:" + "|".join(normalize(w) for w in raw["bare_followers"]) + r")(?!\w))"),
        attack_words=_compile(raw["attack_words"]),
        breaks=re.compile(r"[;:]|(?<!\w)(?:" + "|".join(normalize(w) for w in raw["trigger_breaks"]) + r")(?!\w)"),
        own_forces=_compile(raw["own_forces"]),
        weak_actor_heads=_compile(raw["weak_actor_heads"]),
        counter=re.compile(r"\W*(?:" + "|".join(normalize(w) for w in raw["counter_cues"]) + r")(?!\w)"),
        sentence_cues=PatternSet(_PROCLITICS, [_body(raw[key]) for key in _SENTENCE_CUES]),
        actor_heads=re.compile(r"(?<!\w)[وفبلك]?(?:" + "|".join(normalize(w) for w in raw["actor_heads"]) + r")\s+$"),
        admin_words=_compile(raw["admin_words"]),
        not_hit_place=re.compile(r"(?<!\w)[وفبلك]?(?:" + "|".join(normalize(w) for w in raw["not_hit_place"]) + r")\s+(?:\S+\s+)?$"),
        speech_place=_compile(raw["speech_place_cues"]),
        largest=Prefiltered("|".join(f"(?:{_norm_pattern(p)})" for p in raw["largest"])),
        speech=_compile(raw["speech_verbs"]),
        definite_singular=PatternSet(_PROCLITICS, [_norm_pattern(p) for p in raw["definite_singular"].values()]),
        definite_measures=list(raw["definite_singular"]),
        rocket_actors=frozenset(raw["rocket_actors"]),
        target_territories=frozenset(raw["target_territories"]),
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


@dataclass(frozen=True)
class _Cues:
    """What the text of one sentence contains (scanned once, see ``_View.cues``)."""

    attack: bool  # an attack word
    anaphoric: bool  # "الهجوم الذي": it refers back to an attack described before
    drones: bool  # a drone word: "طائرة" counts drones
    rockets: bool  # fired from Lebanon / Gaza, or stopped by Iron Dome: missiles are rockets
    all_of_them: bool  # "قبل أن يتم إسقاطها جميعا"
    alarm: bool  # an alarm phrase ("صافرات الغارات"): its raid words name no weapon
    largest: bool  # a "largest attack" claim


class _View:
    """Offsets helpers over one document: raw↔norm, word counting and per-sentence cues."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.kb = _kb()
        self.word_starts = [t.start for t in doc.tokens if not t.is_punct]
        self.sentence_starts = [s.start for s in doc.sentences]
        self._cues: dict[int, _Cues] = {}
        self._weapons: dict[int, frozenset[str]] = {}
        self._before: dict[tuple[int, int], str] = {}
        self._sentence_norms: dict[tuple[int, int], tuple[int, str]] = {}
        self._countries: dict[int, tuple[set[str], str | None, list[tuple[str, frozenset[str]]]]] = {}
        # per-mention findings (by ``id`` of the mention), shared by every attack of the article
        self.votes: dict[int, tuple[str, str, int] | None] = {}
        self.defends: dict[int, bool] = {}
        self.may_be_hit: dict[int, bool] = {}
        # linked mentions outside credits, with the index of their sentence
        self.linked = [(m, self.sentence_index(m.start)) for m in doc.mentions if m.entity_id and not m.in_credit]
        self.linked_in: dict[int | None, list] = {}  # sentence index → its linked mentions
        for m, i in self.linked:
            self.linked_in.setdefault(i, []).append(m)

    def cues(self, idx: int) -> _Cues:
        """The cues of sentence ``idx``."""
        found = self._cues.get(idx)
        if found is None:
            lex = lexicon()
            _, text = self.sentence_norm(self.doc.sentences[idx])
            found = self._cues[idx] = _Cues(*lex.sentence_cues.matching(text), largest=bool(lex.largest.search(text)))
        return found

    def weapons(self, idx: int) -> frozenset[str]:
        """The weapon kinds the words of sentence ``idx`` name (alarm phrases aside)."""
        found = self._weapons.get(idx)
        if found is None:
            lex = lexicon()
            ns, text = self.sentence_norm(self.doc.sentences[idx])
            for m in self.linked_in.get(idx, ()):  # "قناة المسيرة" names a channel, not a drone
                if m.type in ("ORG", "PER"):
                    a, b = self.n(m.start) - ns, self.n(m.end) - ns
                    text = text[:a] + " " * (b - a) + text[b:]
            clean = lex.weapon_exclusions.sub(" ", text) if lex.weapon_exclusions and self.cues(idx).alarm else text
            found = self._weapons[idx] = frozenset(_named_weapons(lex, clean))
        return found

    def place_facts(self, idx: int) -> tuple[set[str], str | None, list[tuple[str, frozenset[str]]]]:
        """Countries of the places sentence ``idx`` names, the country of a place it opens with
        ("وفي جنوب لبنان، …": a report moving to another front), and its places below the country
        level as (name, the place and its regions)."""
        found = self._countries.get(idx)
        if found is None:
            sent = self.doc.sentences[idx]
            ns, text = self.sentence_norm(sent)
            countries: set[str] = set()
            fronted = None
            places = []
            for m in self.linked_in.get(idx, ()):
                if m.type != "LOC" or m.adjectival:
                    continue
                country = self.kb.country_of(m.entity_id)
                if not country:
                    continue
                countries.add(country)
                if fronted is None and _FRONTED_PLACE.match(text[:self.n(m.start) - ns]):
                    fronted = country
                if not self.kb.is_country(m.entity_id):
                    regions = frozenset(a for a in (m.entity_id, *self.kb.ancestors(m.entity_id)) if not self.kb.is_country(a))
                    entry = self.kb.get(m.entity_id)
                    places.append((entry.name if entry else m.entity_id, regions))
            found = self._countries[idx] = (countries, fronted, places)
        return found

    def sentence_index(self, raw: int) -> int | None:
        """Index of the sentence containing raw offset ``raw``."""
        i = bisect.bisect_right(self.sentence_starts, raw) - 1
        return i if i >= 0 and raw < self.doc.sentences[i].end else None

    def n(self, raw: int) -> int:
        """Normalised index of raw offset ``raw``."""
        return bisect.bisect_left(self.doc.norm_to_raw, raw)

    def r(self, norm: int) -> int:
        """Raw offset of normalised index ``norm``."""
        nr = self.doc.norm_to_raw
        return nr[norm] if norm < len(nr) else len(self.doc.text)

    def words_between(self, raw_a: int, raw_b: int) -> int:
        if raw_b <= raw_a:
            return 0
        return bisect.bisect_left(self.word_starts, raw_b) - bisect.bisect_left(self.word_starts, raw_a)

    def sentence_norm(self, sent: Sentence) -> tuple[int, str]:
        """Normalised start and text of a sentence."""
        found = self._sentence_norms.get((sent.start, sent.end))
        if found is None:
            ns = self.n(sent.start)
            found = self._sentence_norms[sent.start, sent.end] = (ns, self.doc.norm[ns:self.n(sent.end)])
        return found

    def norm_after(self, raw: int, length: int) -> str:
        """The (at most) ``length`` normalised characters from raw offset ``raw`` on."""
        pos = self.n(raw)
        return self.doc.norm[pos:pos + length]

    def words_before(self, raw: int, n: int) -> str:
        """The normalised text of the ``n`` words before raw offset ``raw``."""
        found = self._before.get((raw, n))
        if found is None:
            k = bisect.bisect_left(self.word_starts, raw)
            start = self.word_starts[max(0, k - n)] if k else raw
            found = self._before[raw, n] = self.doc.norm[self.n(start):self.n(raw)]
        return found


_AGAINST_JUST_BEFORE = re.compile(r"(?<!\w)ضد\s*$")  # "ضربة ضد صاروخين"
_AGAINST_WORD_BEFORE = re.compile(r"(?<!\w)ضد\s+$")  # "التحالف الدولي ضد داعش"
# A sentence opening on "وفي <place>" / "أما في <place>" (two words may come between: "وفي بلدة …").
_FRONTED_PLACE = re.compile(r"\W*(?:[وف]?اما\s+)?[وف]?في(?:\s+\S+){0,2}\s*$")
_COMPLEMENT_AHEAD = re.compile(r"\s*[,،(]?\s*(?:\S+\s+){0,3}?(?:ان|انه|انها|عن)(?!\w)")  # "… أن", "… عن"
_HELPER_VERB = re.compile(r"\s+(?:قامت|قام|قد)?\s*")  # "قامت أوكرانيا بـ…"
_FILLER = re.compile(r"\s*(?:(?:من بين|من هذه|من تلك|من|هذه)\s+)?")


def _noun_after(lex: Lexicon, norm: str, pos: int, limit: int) -> tuple[re.Match | None, str | None]:
    """The counted noun at ``pos`` (skipping "من"/"من هذه"), as (match, weapon-or-person).

    A word joined by و starts the next conjunct ("مقتل ثلاثة وإصابة 18"), not the counted noun.
    """
    m = _FILLER.match(norm, pos)
    start = m.end() if m else pos
    if norm.startswith("و", start) and start > pos:
        return None, None
    hit = lex.counted.match(norm, start, min(len(norm), start + limit))
    if hit is None:
        return None, None
    return hit, lex.counted_weapons[int(hit.lastgroup[1:])]  # type: ignore[index]


def _measure_from_noun(lex: Lexicon, noun_text: str) -> str | None:
    hit = lex.noun.match(noun_text)
    return hit.lastgroup if hit else None


def _compatible(measure: str, category: str | None) -> bool:
    if category == "person":
        return measure in PERSON_MEASURES
    if category is None:
        return True
    return measure in WEAPON_MEASURES


def _named_weapons(lex: Lexicon, text: str) -> list[str]:
    """The weapon kinds a text names, most specific first: a raid word is an aircraft's,
    unless the text says a drone carried the raid out."""
    kinds = [w for w, hit in zip(lex.weapon_kinds, lex.weapon_mentions.matching(text)) if hit]
    if "drone_raid" in kinds:
        return ["drone" if k == "drone_raid" else k for k in kinds if k != "air_raid"]
    return ["aircraft" if k == "air_raid" else k for k in kinds]


def _sentence_weapon(lex: Lexicon, text: str) -> str | None:
    """The most specific weapon word of a sentence (for "أسقط إحداها")."""
    return next(iter(_named_weapons(lex, text)), None)


def _sentence_figures(doc: Document, view: _View, idx: int, sent: Sentence, numbers: list[NumberMention]) -> list[Candidate]:
    lex = lexicon()
    ns, text = view.sentence_norm(sent)
    ne = ns + len(text)
    norm = doc.norm
    triggers: list[tuple[str, str, int, int]] = []  # (measure, kind, norm start, norm end)
    for (kind, measure), found in zip(lex.trigger_keys, lex.triggers.spans_each(text)):
        for a, b in found:
            triggers.append((measure, kind, ns + a, ns + b))
    breaks = [ns + m.start() for m in lex.breaks.finditer(text)]
    cues = view.cues(idx)
    out: list[Candidate] = []
    last_weapon: str | None = None
    for num in numbers:
        if num.value is None or num.vague or num.value <= 0:
            continue
        p, q = view.n(num.start), view.n(num.end)
        before = norm[max(ns, p - 14):p]
        if lex.subset.search(before) or lex.mixed.search(before) or _AGAINST_JUST_BEFORE.search(before):
            continue  # "بينهم طفلان", "مقتل وإصابة 44", "ضربة ضد صاروخين"
        # an implicit count ("سيدة", "صاروخين") is its own noun; a number's noun follows it
        noun, category = _noun_after(lex, norm, p if num.implicit else q, 60)
        if noun is None and num.implicit:
            noun, category = _noun_after(lex, norm, q, 60)
        if noun is None and not lex.bare_followers.match(norm, q):
            continue  # "25 عاما", "100 كيلومتر", "سبعة مواقع": counts of something else
        if category == "person" and lex.subset.match(norm, p):
            continue  # "جرح شخصين أحدهما طفل"
        if noun is not None and (lex.mixed.match(norm, noun.start())
                                 or lex.mixed.search(norm, noun.end(), min(ne, noun.end() + 30))):
            continue  # "44 مدنيا سقطوا قتلى وجرحى": two measures in one count
        noun_end = noun.end() if noun else q
        measure = _measure_from_noun(lex, norm[noun.start():noun.end()].lstrip("وفبلك")) if noun else None
        coordinated = measure is None and num.implicit and out and _coordinated(view, out[-1], p)
        if coordinated:
            measure = out[-1].measure  # "بـ31 مسيرة وصاروخ كروز": the conjunct shares the verb
        if measure is None:
            measure = _choose_trigger(view, triggers, breaks, p, noun_end, category)
        if measure is None:
            continue
        if num.implicit and num.value == 1 and not coordinated and not _singular_ok(view, lex, p, measure, triggers):
            continue
        weapon = _weapon_for(category, measure, cues.drones, last_weapon, noun is None)
        if weapon is None and measure in WEAPON_MEASURES:
            weapon = _sentence_weapon(lex, text)
        if weapon and cues.rockets and weapon in ("missile", "artillery"):
            weapon = "rocket"
        if weapon:
            last_weapon = weapon
        out.append(Candidate(measure, weapon, num.value, num.qualifier or "exact", num.start, num.end, sent, idx))
    for measure, found in zip(lex.definite_measures, lex.definite_singular.spans_each(text)):
        for _, end in found:
            noun, weapon = _noun_after(lex, norm, ns + end, 40)
            if noun is not None and weapon not in (None, "person"):
                raw_s, raw_e = view.r(noun.start()), view.r(noun.end() - 1) + 1
                out.append(Candidate(measure, weapon, 1, "exact", raw_s, raw_e, sent, idx))
    # "قبل أن يتم إسقاطها جميعا": everything launched was intercepted.
    if cues.all_of_them:
        for c in [c for c in out if c.measure == "launched"]:
            out.append(Candidate("intercepted", c.weapon, c.value, c.qualifier, c.start, c.end, sent, idx))
    return out


def _coordinated(view: _View, prev: Candidate, p: int) -> bool:
    """Whether the noun at norm ``p`` is joined by و to the previous count, a few words on."""
    doc = view.doc
    return "و" in doc.norm[max(0, p - 1):p + 1] and view.words_between(prev.end, view.r(p)) <= 4


def _choose_trigger(view: _View, triggers, breaks, p: int, noun_end: int, category: str | None) -> str | None:
    """The measure of the nearest compatible trigger governing a count at norm ``p``.

    A trigger before the count wins over one after it ("اعترضت 10 صواريخ أطلقت من لبنان");
    a trigger after it serves only counts with none before ("14 صاروخا سقطت على القاعدة").
    """
    pre: tuple[int, str] | None = None
    post: tuple[int, str] | None = None
    raw_p = view.r(p)
    for measure, kind, ts, te in triggers:
        if not _compatible(measure, category):
            continue
        if kind == "pre" and te <= p:
            if any(te <= b < p for b in breaks):
                continue
            d = view.words_between(view.r(te - 1) + 1, raw_p)
            if d <= MAX_PRE_DISTANCE and (pre is None or d < pre[0]):
                pre = (d, measure)
        elif kind == "post" and ts >= noun_end:
            d = view.words_between(view.r(noun_end), view.r(ts))
            if d <= MAX_POST_DISTANCE and (post is None or d < post[0]):
                post = (d, measure)
    best = pre or post
    return best[1] if best else None


def _singular_ok(view: _View, lex: Lexicon, p: int, measure: str, triggers) -> bool:
    """A singular noun is a count of one only right after a strong verb ("أطلق صاروخا")
    or before its own trigger ("جرح شخص", "شخص قتل")."""
    head = view.words_before(view.r(p), 2)
    if lex.singular_triggers.search(head):
        return True
    return any(m == measure and kind == "post" and ts > p and view.words_between(view.r(p), view.r(ts)) <= 3
               for m, kind, ts, _ in triggers)


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
    sentence_ids: set[int] = field(default_factory=set)  # sentences holding its figures
    context_ids: set[int] = field(default_factory=set)  # dated sentences describing it without figures
    loose_ids: set[int] = field(default_factory=set)  # undated sentences after it, and "largest" claims
    date_key: object = None
    date: DateMention | None = None
    countries: set[str] = field(default_factory=set)  # countries of the places its sentences name
    places: list[tuple[str, frozenset[str]]] = field(default_factory=list)  # (name, regions) of those places
    reply: bool = False  # opened by "في المقابل" or by an armed group announcing its launch: the other side's attack
    announcers: set[str] = field(default_factory=set)  # armed groups announcing launches in its sentences

    def conflicts(self, cands: list[Candidate]) -> bool:
        """Whether these figures give other values for measures this attack already counts."""
        have = {(c.measure, c.weapon): c.value for c in self.figures}
        return any(have.get((c.measure, c.weapon), c.value) != c.value for c in cands)


def _event_dates(doc: Document, view: _View, sent: Sentence) -> list[DateMention]:
    """Dates in a sentence that date the event, not its announcement."""
    lex = lexicon()
    out = []
    ns = view.n(sent.start)
    for d in doc.dates:
        if not (sent.start <= d.start < sent.end) or d.kind == "month":
            continue  # "منذ فبراير 2022" dates a period, not an attack
        head = doc.norm[ns:view.n(d.start)]
        tail = doc.norm[view.n(d.end):view.n(sent.end)]
        verbs = list(lex.speech.finditer(head))
        # "أعلن X صباح اليوم أن …": the date sits between a speech verb and its complement.
        if verbs and _COMPLEMENT_AHEAD.match(tail) and \
                view.words_between(view.r(ns + verbs[-1].end() - 1), d.start) <= 10:
            continue
        out.append(d)
    return out


_WEEKDAYS = ("السبت", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه")
_TODAY = re.compile(r"اليوم|الليله|الليل|ليلا|فجر|صباح|مساء|ظهر")


def _date_key(doc: Document, view: _View, dates: list[DateMention]) -> object:
    """A comparable key: the resolved date, else the weekday or wording (unanchored articles)."""
    for d in sorted(dates, key=lambda d: ("absolute", "month_day").index(d.kind) if d.kind in ("absolute", "month_day") else 2):
        if d.value is not None:
            return d.value
    surfaces = [doc.norm[view.n(d.start):view.n(d.end)] for d in dates]
    for s in surfaces:
        for w in _WEEKDAYS:
            if w in s:
                return w
    for s in surfaces:
        if _TODAY.search(s) and "امس" not in s:
            return "today"
    return surfaces[0].strip() if surfaces else None


def _same_event_day(a: object, b: object) -> bool:
    """Unanchored "today" and a weekday may be the same day; resolved dates a day apart are one night."""
    if a == b:
        return True
    return hasattr(a, "toordinal") and hasattr(b, "toordinal") and abs(a.toordinal() - b.toordinal()) <= 1


def _group(doc: Document, view: _View, cands: list[Candidate]) -> list[_Draft]:
    """Attacks from figures in reading order: a sentence dating another event starts one."""
    drafts: list[_Draft] = []
    by_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        by_sentence.setdefault(c.sentence_index, []).append(c)
    cur: _Draft | None = None
    for idx, sent in enumerate(doc.sentences):
        if sent.kind not in FIGURE_SENTENCE_KINDS:
            continue
        figs = by_sentence.get(idx, [])
        is_attack = bool(figs) or view.cues(idx).attack
        if not is_attack:
            continue
        dates = [d for d in _event_dates(doc, view, sent) if figs or d.kind != "vague"]
        key = _date_key(doc, view, dates)
        group = _announcing_group(doc, view, {idx}) if any(c.measure == "launched" for c in figs) else None
        new_group = group is not None and cur is not None and group not in cur.announcers
        if new_group or (cur is not None and sent.kind != "headline" and lexicon().counter.match(view.sentence_norm(sent)[1])):
            # the other side's attack: "وأعلنت كتائب القسام إطلاق رشقة …", "في المقابل، أعلن حزب الله …"
            cur = _Draft(date_key=key, date=dates[0] if dates else None, reply=True,
                         announcers={group} if new_group else set())
            drafts.append(cur)
            cur.figures.extend(figs)
            (cur.sentence_ids if figs else cur.context_ids).add(idx)
            continue
        if not figs and (key is None or sent.kind == "headline"):
            if cur is not None and sent.kind != "headline":
                cur.loose_ids.add(idx)  # an undated sentence elaborating the attack just described
            continue
        anaphoric = view.cues(idx).anaphoric
        countries, fronted, places = view.place_facts(idx)
        target = None
        if key is not None:
            target = next((d for d in drafts if d.date_key is not None and _same_event_day(key, d.date_key)), None)
            if target is None and cur is not None and cur.date_key is None and (anaphoric or not cur.conflicts(figs)):
                target = cur  # an undated attack (a headline) gets its date here
            if target is None and cur is not None and anaphoric and figs and not cur.conflicts(figs):
                target = cur  # "بعد الهجوم الذي وقع أمس" refers back to the attack described
        else:
            target = cur
        if target is not None and fronted and target.countries and fronted not in target.countries and not anaphoric:
            target = None  # "وفي جنوب لبنان، قُتل …" after a strike in Gaza: another attack
        if target is not None and key is not None and target.date_key is not None and key != target.date_key \
                and not anaphoric and places and target.places and not _related_places(places, target.places):
            target = None  # Thursday in El Fasher, Friday dawn in Port Sudan: a day apart and elsewhere
        if target is None:
            target = _Draft(date_key=key, date=dates[0] if dates else None)
            drafts.append(target)
        elif key is not None and target.date_key is None:
            target.date_key, target.date = key, dates[0] if dates else None
        elif anaphoric and dates and target.date is not None and dates[0].value and target.date.value \
                and dates[0].value < target.date.value:
            target.date = dates[0]  # the attack happened before it was reported
        target.figures.extend(figs)
        if group is not None:
            target.announcers.add(group)
        target.countries |= countries
        target.places += places
        (target.sentence_ids if figs else target.context_ids).add(idx)
        cur = target
    return drafts


def _related_places(a: list[tuple[str, frozenset[str]]], b: list[tuple[str, frozenset[str]]]) -> bool:
    """Whether two lists of places share a place or region below the country, or one's name holds
    the other's ("Kyiv" and "Kyiv Oblast")."""
    return any(ra & rb or na in nb or nb in na for na, ra in a for nb, rb in b)


def _resolve_shells(draft: _Draft) -> None:
    """A bare "قذائف" is a rocket in an attack counting rockets, else an artillery shell."""
    kind = "rocket" if any(c.weapon == "rocket" for c in draft.figures) else "artillery"
    for c in draft.figures:
        if c.weapon == "shell":
            c.weapon = kind


def _merge_repeats(doc: Document, figs: list[Candidate]) -> list[tuple[Candidate, object]]:
    """One figure per (measure, weapon, value), the best report of it (``_report_rank``)."""
    # generic "missile" counts take the kind the attack names, when it names exactly one
    kinds = {c.weapon for c in figs if c.weapon in ("ballistic_missile", "cruise_missile")}
    chosen: dict[tuple, tuple[Candidate, object]] = {}
    for c in figs:
        if c.weapon == "missile" and len(kinds) == 1:
            c.weapon = next(iter(kinds))
        key = (c.measure, c.weapon, c.value)
        src = source_for(doc, c.start, c.end)
        old = chosen.get(key)
        if old is None or _report_rank(c, src) > _report_rank(*old):
            chosen[key] = (c, src)
    return sorted(chosen.values(), key=lambda cs: cs[0].start)


def _report_rank(c: Candidate, src) -> tuple:  # type: ignore[no-untyped-def]
    """Which report of a repeated figure to keep: attributed (to someone rather than a capital:
    "موسكو تعلن …"), then from the story rather than its headline, then exact."""
    return (src is not None, src is not None and src.kind != "place", c.sentence.kind != "headline", c.qualifier == "exact")


def _kb():
    from marsad.kb import get_kb

    return get_kb()


_AT_PLACE = re.compile(r"(?<!\w)(?:في|داخل|وسط)\s+$")
_AGAINST = re.compile(r"(?<!\w)(?:علي|ضد|باتجاه|نحو|استهداف|مهاجمه|لاستهداف|بمهاجمه|لدوله|دوله)\s+(?:\S+\s+)?$")
_ORIGIN_BEFORE = re.compile(r"(?<!\w)(?:من|صنع|انطلاقا من|من صنع|من اراضي)\s*$")
_TITLE_BEFORE = re.compile(r"(?<!\w)[وفبلك]?(?:ال)?(?:حاكم|عمده|محافظ|والي|رئيس|بلديه|اداره|سلطات|وزير|وزاره|سفير|قائد|مسؤول|مسؤولو|مستشفي)\S*\s+(?:\S+\s+)?$")


def _role_votes(doc: Document, view: _View, mentions, defenders: set[str]) -> tuple[dict, dict]:
    """Votes for attacker and target among actor mentions of an attack's sentences."""
    attacker: dict[str, float] = {}
    target: dict[str, float] = {}
    for m in mentions:
        if id(m) not in view.votes:
            view.votes[id(m)] = _vote(doc, view, m)
        vote = view.votes[id(m)]
        if vote is None:
            continue
        role, actor, weight = vote
        if role == "attacker" and actor in defenders:
            continue  # the actor intercepted: not the attacker
        votes = attacker if role == "attacker" else target
        votes[actor] = votes.get(actor, 0) + weight
    return attacker, target


def _vote(doc: Document, view: _View, m) -> tuple[str, str, int] | None:
    """``(role, actor, weight)`` an actor mention votes for, role "attacker" or "target", or None.

    Arabic is verb-subject-object: the actor right after an attack verb ("شنت روسيا") attacks;
    after a preposition or a verbal noun ("على أوكرانيا", "استهداف كييف") it is attacked.
    """
    lex = lexicon()
    kb = view.kb
    actor = kb.actor_of(m.entity_id)
    if not actor:
        return None
    before = view.words_before(m.start, 2)
    if _ORIGIN_BEFORE.search(before) or view.norm_after(m.end, 7).startswith((" الصنع", "-الصنع")):
        return None  # "طائرات من صنع إيران": the weapon's origin, not its user
    if _AGAINST.search(before) and (lex.attack_words.search(window := view.words_before(m.start, 10))
                                    or _sentence_weapon(lex, window)):
        return "target", actor, 2
    if _AT_PLACE.search(view.words_before(m.start, 1)) and kb.is_country(m.entity_id):
        return "target", actor, 1
    if lex.speech.search(before) or lex.speech.match(doc.norm, _after(doc, view, m)):
        return None  # "قامت أوكرانيا بالإعلان": the announcer, not the attacker
    if m.adjectival or _demonym_form(doc, view, m):
        if lex.actor_heads.search(view.words_before(m.start, 1)) or lex.actor_heads.search(before):
            return "attacker", actor, 3
        if lex.weak_actor_heads.search(view.words_before(m.start, 1)):
            return "attacker", actor, 1
        return None
    if _AGAINST_WORD_BEFORE.search(view.words_before(m.start, 1)):
        return None  # "التحالف الدولي ضد داعش": an opponent named, not this attack's actor
    around = view.words_before(m.start, 4) + " " + view.norm_after(m.end, 40)
    if lex.attack_words.search(around):
        return "attacker", actor, 2
    return None


def _after(doc: Document, view: _View, m) -> int:
    """Normalised index of the word after mention ``m`` (skipping one helper verb such as قامت)."""
    pos = view.n(m.end)
    hit = _HELPER_VERB.match(doc.norm[pos:pos + 12])
    return pos + (hit.end() if hit else 0)


def _demonym_form(doc: Document, view: _View, m) -> bool:
    """Whether a country mention is written as its adjective ("روسية", "إسرائيلي")."""
    entry = view.kb.get(m.entity_id)
    if entry is None or not entry.demonyms:
        return False
    surface = doc.norm[view.n(m.start):view.n(m.end)]
    surface = surface[2:] if surface.startswith("ال") else surface
    return surface in _adjective_forms(tuple(entry.demonyms))


_ADJECTIVE_SUFFIXES = ("", "ه", "ين", "ون", "ات", "ان", "تين", "تان")


@lru_cache(maxsize=1024)
def _adjective_forms(demonyms: tuple[str, ...]) -> frozenset[str]:
    """Normalised adjective forms of a country's demonyms ("روسي", "روسيه", "روسيين" …)."""
    return frozenset(normalize(d) + suffix for d in demonyms for suffix in _ADJECTIVE_SUFFIXES)


def _defenders(doc: Document, view: _View, mentions) -> set[str]:
    """Actors that intercepted ("القوات الأوكرانية أسقطت") — not the attacker."""
    kb = view.kb
    rx = lexicon().pre.get("intercepted")
    out = set()
    for m in mentions:
        actor = kb.actor_of(m.entity_id)
        if not actor or rx is None:
            continue
        defends = view.defends.get(id(m))
        if defends is None:
            defends = view.defends[id(m)] = bool(rx.search(view.norm_after(m.end, 12))
                                                 or rx.search(view.words_before(m.start, 2)))
        if defends:
            out.add(actor)
    return out


def _places(doc: Document, view: _View, mentions, attacker: str | None) -> list:
    """Places hit among the mentions: no origins, time zones, titles' places, or directions."""
    lex = lexicon()
    kb = view.kb
    out = []
    for m in mentions:
        ok = view.may_be_hit.get(id(m))
        if ok is None:
            ok = view.may_be_hit[id(m)] = _may_be_hit(view, m)
        if not ok:
            continue
        if attacker and kb.country_of(m.entity_id) == attacker:
            continue  # "ضمتها موسكو": a capital named for its government
        out.append(m)
    seen: dict[str, object] = {}
    for m in out:
        seen.setdefault(m.entity_id, m)
    keep = []
    for eid, m in seen.items():
        surface = doc.norm[view.n(m.start):view.n(m.end)]
        named_as_unit = bool(lex.admin_words.match(surface))
        if kb.is_region(eid) and not named_as_unit and any(o != eid and kb.within(o, eid) for o in seen):
            continue  # "الفاشر بشمال دارفور": the town is the place hit
        keep.append(m)
    return keep


def _may_be_hit(view: _View, m) -> bool:
    """Whether a place mention may name where an attack hit (not an origin, a title's place, a direction)."""
    lex = lexicon()
    if m.type != "LOC" or m.adjectival or view.kb.is_country(m.entity_id):
        return False
    before = view.words_before(m.start, 2)
    return not (_ORIGIN_BEFORE.search(before) or _TITLE_BEFORE.search(before) or lex.not_hit_place.search(before)
                or lex.speech_place.search(view.words_before(m.start, 6)))


def _target_of_places(kb, lex: Lexicon, places: list) -> str | None:
    votes: dict[str, int] = {}
    for p in places:
        names = [kb.get(a).name for a in [p.entity_id, *kb.ancestors(p.entity_id)] if kb.get(a)]
        territory = next((n for n in names if n in lex.target_territories), None)
        country = territory or kb.country_of(p.entity_id)
        if country:
            votes[country] = votes.get(country, 0) + 1
    return max(votes, key=votes.get) if votes else None


def _mentions_in(doc: Document, view: _View, ids: set[int], source_spans: list[tuple[int, int]]) -> list:
    return [m for m, i in view.linked if i in ids and not any(a <= m.start < b for a, b in source_spans)]


def _attack_attributes(doc: Document, view: _View, draft: _Draft, sources: list,
                       article_attacker: Callable[[], str | None], previous: tuple[str | None, str | None]) -> dict:
    """attacker, target, places, weapons and claims of one attack draft (``previous``: the
    attacker and target of the attack before it, for what this one leaves unsaid)."""
    lex = lexicon()
    kb = view.kb
    own_ids = draft.sentence_ids | draft.context_ids
    source_spans = [(s.span.start, s.span.end) for s in sources if s is not None and getattr(s, "span", None)]
    mentions = _mentions_in(doc, view, own_ids, source_spans)
    loose = _mentions_in(doc, view, draft.loose_ids, source_spans)
    attacker_votes, target_votes = _role_votes(doc, view, mentions, _defenders(doc, view, mentions))
    if not attacker_votes:
        attacker_votes, _ = _role_votes(doc, view, loose, _defenders(doc, view, loose))
    attacker = max(attacker_votes, key=attacker_votes.get) if attacker_votes else None
    places = _places(doc, view, mentions, attacker) or _places(doc, view, loose, attacker)
    target = _target_of_places(kb, lex, places)
    if target is None and target_votes:
        target = max(target_votes, key=target_votes.get)
    if attacker is None:
        attacker = _announcing_group(doc, view, own_ids)
    previous_attacker, previous_target = previous
    if target is None and draft.reply and previous_attacker != attacker:
        target = previous_attacker  # a reply hits whoever attacked before
    target = target or previous_target
    if attacker is None and (lead := article_attacker()) and lead != target:
        attacker = lead
    if attacker == target:
        attacker = None
    weapons = {c.weapon for c in draft.figures if c.weapon}
    claims: list[str] = []
    for i in own_ids | draft.loose_ids:
        weapons |= view.weapons(i)
        if view.cues(i).largest:
            claims = ["largest"]
    if attacker in lex.rocket_actors and "missile" in weapons:
        weapons.discard("missile")
        weapons.add("rocket")
    if weapons & {"ballistic_missile", "cruise_missile", "rocket"} and not any(c.weapon == "missile" for c in draft.figures):
        weapons.discard("missile")  # the specific kind makes the generic word redundant, unless missiles are counted
    if "guided_bomb" in weapons:
        weapons.discard("aircraft")  # glide bombs are dropped from aircraft: one weapon
    return {"attacker": attacker, "target": target, "places": places, "weapons": weapons, "claims": claims}


def _announcing_group(doc: Document, view: _View, ids: set[int]) -> str | None:
    """The side announcing the attack itself: an armed group ("أعلنت كتائب القسام إطلاق …"), or a
    body speaking of its own forces ("قالت هيئة الأركان الأوكرانية إن قواتها استهدفت …")."""
    own = lexicon().own_forces
    for idx in sorted(ids):
        own_forces = own is not None and bool(own.search(view.sentence_norm(doc.sentences[idx])[1]))
        for cue in cues_of_sentence(doc, idx):
            entry = view.kb.get(cue.source.entity_id) if cue.source is not None and cue.source.entity_id else None
            if entry is not None and (entry.kind == "armed_group" or own_forces):
                actor = view.kb.actor_of(entry.id)
                if actor:
                    return actor
    return None


def _article_attacker(doc: Document, view: _View) -> str | None:
    """The attacker the article's headline and lead name, used for attacks that name none."""
    lead = {i for i, s in enumerate(doc.sentences[:4]) if s.kind in FIGURE_SENTENCE_KINDS}
    mentions = _mentions_in(doc, view, lead, [])
    votes, _ = _role_votes(doc, view, mentions, set())
    return max(votes, key=votes.get) if votes else None


def _claim_sentences(doc: Document, view: _View) -> list[int]:
    return [i for i, s in enumerate(doc.sentences) if s.kind in FIGURE_SENTENCE_KINDS and view.cues(i).largest]


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
    if not drafts:
        return []
    for d in drafts:
        _resolve_shells(d)
    with_figures = [d for d in drafts if d.figures]
    for i in _claim_sentences(doc, view):
        # a "largest" claim belongs to the attack its sentence describes, else the first one
        owner = next((d for d in drafts if i in d.sentence_ids | d.context_ids), with_figures[0] if with_figures else None)
        if owner is not None:
            owner.loose_ids.add(i)
    caption_date = _caption_date(doc)
    article_attacker = lru_cache(maxsize=1)(lambda: _article_attacker(doc, view))  # only for attacks naming none
    kb = view.kb
    attacks: list[Attack] = []
    previous: tuple[str | None, str | None] = (None, None)
    for n, draft in enumerate(drafts, 1):
        merged = _merge_repeats(doc, draft.figures)
        attrs = _attack_attributes(doc, view, draft, [s for _, s in merged], article_attacker, previous)
        previous = (attrs["attacker"] or previous[0], attrs["target"] or previous[1])
        if not merged and not attrs["places"]:
            continue  # a dated attack sentence naming no place is not worth an event of its own
        attack_id = f"{doc.meta.id}:a{n}"
        figures = []
        for k, (c, src) in enumerate(merged, 1):
            weapon = c.weapon
            if weapon == "missile" and attrs["attacker"] in lexicon().rocket_actors:
                weapon = "rocket"
            if src is None:
                doc.warnings.append(Warning_("unattributed_figure", f"no source found for {c.measure} {c.value}", c.start, c.end))
            figures.append(Figure(
                id=f"{attack_id}:f{k}", measure=c.measure, weapon=weapon, value=c.value, qualifier=c.qualifier,
                span=Span(start=c.start, end=c.end), sentence=doc.text[c.sentence.start:c.sentence.end],
                sentence_span=Span(start=c.sentence.start, end=c.sentence.end),
                in_quote=any(q.start <= c.start < q.end for q in doc.quotations), **_source_fields(src),
            ))
        date = draft.date.value if draft.date is not None else None
        if date is None and draft is (with_figures[0] if with_figures else None):
            date = caption_date
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
            spans=[Span(start=doc.sentences[i].start, end=doc.sentences[i].end)
                   for i in sorted(draft.sentence_ids | draft.context_ids | draft.loose_ids)],
            confidence=1.0 if figures else 0.5,
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
