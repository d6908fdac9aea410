"""Diplomacy: phone calls, meetings, sanctions and threats, aid suspensions and deliveries,
ceasefire proposals — each with its participants and status.

A trigger from ``data/lexicons/diplomacy.yaml`` opens a participant window around it (a few
words before, the rest of its clause after); the entity mentions in that window are the
participants (people first: a title such as "الرئيس الروسي" stands for its holder when the
knowledge base knows one). The source that reports an event ("أعلن البيت الأبيض …") is a
participant only when the event would otherwise lack one. For sanctions and aid the first
participant is the actor and the second the target / recipient. Mentions of the same event
(the same call reported three times) are merged into one item.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from marsad.document import Document, Mention
from marsad.extractors.attribution import cues_of_sentence
from marsad.extractors.scan import PatternSet, finditer_at, word_spans, word_starts
from marsad.pipeline import stage
from marsad.schema import Diplomacy, Span
from marsad.text.normalize import normalize

_PROCLITICS = r"(?<!\w)[وف]?[بلك]?"
_SKIP_KINDS = frozenset(("credit", "dateline", "boilerplate", "caption"))
DIRECTED = frozenset(("sanction_threat", "sanctions", "aid_suspension", "aid_delivery"))
_BEFORE_WORDS = 8
_AFTER_WORDS = 10
_ADJ_AFTER_WORDS = 2  # "عقوبات أمريكية": an adjective right after the trigger names the actor
_STATUS_BEFORE_WORDS = 8
_PLANNED_LATER_WORDS = 8  # a future verb this far after the trigger plans it ("مفاوضات … ستعقد")
_VENUE = re.compile(r"(?<!\w)[وف]?في\s*$")  # "في موسكو": where the event happens, not who takes part
_REFUSED_BEFORE_WORDS = 3


def _alt(patterns: list[str]) -> str:
    return "(?:" + "|".join(normalize(p) for p in patterns) + ")"


@dataclass(frozen=True)
class Lexicon:
    combined: re.Pattern  # every trigger, one named group per type, most specific type first
    trigger_set: PatternSet  # the same triggers, to find where ``combined`` can match in one pass
    planned_before: re.Pattern
    planned_after: re.Pattern
    planned_later: re.Pattern
    refused_before: re.Pattern
    irrealis: re.Pattern
    soft_breaks: re.Pattern
    topic: re.Pattern
    dependent: re.Pattern
    target_prep: re.Pattern


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled diplomacy lexicon (loaded once)."""
    raw = yaml.safe_load(resources.files("marsad.data.lexicons").joinpath("diplomacy.yaml").read_text("utf-8"))

    def words(patterns: list[str], proclitics: bool = True) -> re.Pattern:
        return re.compile((_PROCLITICS + "(?:ال)?" if proclitics else r"(?<!\w)") + _alt(patterns) + r"(?!\w)")

    prefix = _PROCLITICS + "(?:ال)?"
    bodies = {t: _alt(ps) for t, ps in raw["triggers"].items()}
    return Lexicon(
        combined=re.compile("|".join(f"(?P<{t}>{prefix}{body})" for t, body in bodies.items())),
        trigger_set=PatternSet(prefix, list(bodies.values())),
        planned_before=words(raw["planned_before"]),
        planned_after=words(raw["planned_after"]),
        planned_later=words(raw["planned_later"]),
        refused_before=words(raw["refused_before"]),
        irrealis=words(raw["irrealis_before"]),
        soft_breaks=words(raw["soft_breaks"]),
        topic=words(raw["topic_words"]),
        dependent=re.compile(r"(?<!\w)[وف]?(?:ال)?" + _alt(raw["dependent_heads"]) + r"\s*$"),
        target_prep=re.compile(r"(?<!\w)[وف]?" + _alt(raw["target_prepositions"]) + r"\s*$"),
    )


def _kb():
    try:
        from marsad.kb import get_kb  # type: ignore[attr-defined]
    except ImportError:
        try:
            from marsad.kb.store import get_kb
        except ImportError:
            return None
    try:
        return get_kb()
    except Exception:  # a missing/broken KB must not stop extraction
        return None


@dataclass
class _Participant:
    name: str
    entity_id: str | None
    start: int  # raw
    is_source: bool = False
    is_country: bool = False
    adjective_of_trigger: bool = False
    after_prep: bool = False  # introduced by على/ضد/إلى/لـ: a target, not an actor


@dataclass
class _Event:
    type: str
    participants: list[_Participant]
    status: str
    start: int
    end: int
    sentence: str
    explicit_target: bool = False
    mentions: int = 1
    spans: list[tuple[int, int]] = field(default_factory=list)


class _View:
    """Norm/raw offsets and word boundaries of one document."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.norm, self.n2r = doc.norm, doc.norm_to_raw
        self.words, self.starts = word_spans(doc), word_starts(doc)
        self.mentions = sorted((m for m in doc.mentions if not m.in_credit), key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.quote_spans = sorted((q.start, q.end) for q in doc.quotations)

    def n(self, raw: int) -> int:
        return bisect.bisect_left(self.n2r, raw)

    def r(self, norm: int) -> int:
        return self.n2r[norm] if norm < len(self.n2r) else len(self.doc.text)

    def in_quote(self, raw: int) -> bool:
        k = bisect.bisect_right(self.quote_spans, (raw, 1 << 60)) - 1
        return k >= 0 and self.quote_spans[k][0] <= raw < self.quote_spans[k][1]

    def mentions_in(self, a: int, b: int) -> list[Mention]:
        lo, hi = bisect.bisect_left(self.mention_starts, a), bisect.bisect_left(self.mention_starts, b)
        return self.mentions[lo:hi]


def _window_before(v: _View, pos: int, lo: int, n: int) -> int:
    """Norm start of the ``n`` words before norm ``pos`` (not before ``lo``, stopping at hard breaks and soft break words)."""
    lex = lexicon()
    k = bisect.bisect_left(v.starts, pos) - 1
    start, count = pos, 0
    while k >= 0 and count < n:
        x, y = v.words[k]
        if x < lo or v.norm[x] in ".;:?!":
            break
        if v.norm[x].isalnum() or v.norm[x] == "_":
            m = lex.soft_breaks.match(v.norm, x)
            if m and m.end() >= y:
                break
            count += 1
        start = x
        k -= 1
    return start


def _window_after(v: _View, pos: int, hi: int, n: int) -> int:
    """Norm end of the clause after norm ``pos``: up to ``n`` words, a break, a topic word or a comma
    that is not an apposition."""
    lex = lexicon()
    k = bisect.bisect_left(v.starts, pos)
    end, count = pos, 0
    while k < len(v.words) and count < n:
        x, y = v.words[k]
        if x >= hi or v.norm[x] in ".;:?!":
            break
        if v.norm[x] == ",":
            nxt = k + 1
            if nxt < len(v.words) and v.mentions_in(v.r(v.words[nxt][0]) - 1, v.r(v.words[nxt][0]) + 2):
                k += 1
                continue
            break
        if v.norm[x].isalnum() or v.norm[x] == "_":
            m = lex.soft_breaks.match(v.norm, x) or lex.topic.match(v.norm, x)
            if m and m.end() >= y:
                break
            count += 1
        end = y
        k += 1
    return end


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Country names known without the KB (the attribution lexicon's demonym table)."""
    from marsad.extractors.attribution import lexicon as attribution_lexicon

    return frozenset(attribution_lexicon().demonyms)


def _participant(v: _View, m: Mention, kb) -> _Participant | None:
    """The participant a mention denotes (a title by its holder when known), or None for places."""
    name, eid = m.name, m.entity_id
    if m.origin == "title" and kb is not None and eid and not eid.startswith("office:"):
        holder = kb.get(eid)
        if holder is not None:
            name = holder.name
    if not name:
        return None
    is_country = bool(kb is not None and kb.is_country(eid)) or name in _country_names()
    if m.type == "LOC" and not is_country and not m.adjectival:
        return None
    return _Participant(name, eid, m.start, is_country=is_country or m.adjectival)


def _sources_spans(doc: Document, sent_index: int) -> list[tuple[int, int]]:
    return [(c.end, c.phrase_end) for c in cues_of_sentence(doc, sent_index) if c.source is not None]


def _event(v: _View, doc: Document, etype: str, a: int, b: int, ns: int, ne: int,
           sources: list[tuple[int, int]], kb) -> _Event | None:
    lex = lexicon()
    w0 = _window_before(v, a, ns, _BEFORE_WORDS)
    before_text = v.norm[_window_before(v, a, ns, _STATUS_BEFORE_WORDS):a]
    if lex.irrealis.search(before_text):
        return None
    w1 = _window_after(v, b, ne, _AFTER_WORDS)
    ra, rb = v.r(w0), v.r(w1 - 1) + 1 if w1 > w0 else v.r(w0)
    trig_ra, trig_rb = v.r(a), v.r(b - 1) + 1
    adj_end = v.r(_window_after(v, b, ne, _ADJ_AFTER_WORDS) - 1) + 1 if b < ne else trig_rb
    people: list[_Participant] = []
    target: _Participant | None = None
    for m in _heads(v.mentions_in(ra, rb)):
        if m.adjectival and not (trig_rb - 1 <= m.start < adj_end):
            continue
        before_m = v.norm[max(0, v.n(m.start) - 12):v.n(m.start)]
        if lex.dependent.search(before_m) or (not m.adjectival and m.type != "PER" and _VENUE.search(before_m)):
            continue
        p = _participant(v, m, kb)
        if p is None and etype in DIRECTED and m.type == "LOC" and m.start >= trig_rb and kb is not None:
            country = kb.get(kb.country_id(m.entity_id))  # "عقوبات على موسكو": the capital stands for its country
            if country is not None:
                p = _Participant(country.name, country.id, m.start, is_country=True)
        if p is None:
            continue
        p.is_source = any(x <= m.start < y for x, y in sources)
        p.adjective_of_trigger = m.adjectival
        p.after_prep = _after_target_prep(v, m)
        if etype in DIRECTED and m.start >= trig_rb and target is None and _after_target_prep(v, m):
            target = p
        people.append(p)
    if etype in DIRECTED and target is None:
        target = _late_target(v, doc, rb, v.r(ne - 1) + 1 if ne > 0 else rb, kb)
        if target is not None:
            people.append(target)
    people = _dedupe(people)
    if etype not in DIRECTED:
        people = _call_participants(v, people, ns, a, kb)
        if len(people) < 2:
            return None
    else:
        people = _directed(people, target, trig_ra, trig_rb)
        if people is None:
            return None
    status = _status(v, w0, a, b, ne)
    sent = doc.sentence_at(trig_ra)
    sentence = doc.text[sent.start:sent.end].strip() if sent else ""
    return _Event(etype, people, status, trig_ra, trig_rb, sentence, explicit_target=target is not None,
                  spans=[(trig_ra, trig_rb)])


def _heads(mentions: list[Mention]) -> list[Mention]:
    """The mentions that can name a participant: not one nested in another ("مجلس السيادة" in
    "رئيس مجلس السيادة"), nor a title right before the person holding it ("رئيس مجلس السيادة
    عبد الفتاح البرهان": the person takes part)."""
    out = []
    for m in mentions:
        if any(n is not m and n.start <= m.start and m.end <= n.end and (n.end - n.start) > (m.end - m.start)
               for n in mentions):
            continue
        if m.origin == "title" and any(n.type == "PER" and n.origin != "title" and 0 <= n.start - m.end <= 2
                                       for n in mentions):
            continue
        out.append(m)
    return out


def _after_target_prep(v: _View, m: Mention) -> bool:
    """True when a target/recipient preposition (على، ضد، إلى، لـ) introduces the mention."""
    before = v.norm[max(0, v.n(m.start) - 8):v.n(m.start)]
    return bool(lexicon().target_prep.search(before)) or v.norm[v.n(m.start) - 1:v.n(m.start)] == "ل"


def _late_target(v: _View, doc: Document, start: int, end: int, kb) -> _Participant | None:
    """A recipient named later in the sentence ("…، بما في ذلك صواريخ الدفاع الجوي إلى أوكرانيا")."""
    for m in v.mentions_in(start, end):
        if m.adjectival or not _after_target_prep(v, m):
            continue
        p = _participant(v, m, kb)
        if p is not None and p.is_country:
            return p
    return None


def _dedupe(people: list[_Participant]) -> list[_Participant]:
    out: list[_Participant] = []
    for p in people:
        if any(q.name == p.name or (p.entity_id and q.entity_id == p.entity_id) for q in out):
            continue
        out.append(p)
    return out


_WITH_BEFORE = re.compile(r"(?<!\w)مع(?: \w+){0,3} ?$")  # "مع الرئيس الأمريكي <name>": the counterpart


def _call_participants(v: _View, people: list[_Participant], ns: int, a: int, kb) -> list[_Participant]:
    """Participants of a call/meeting: reporters only if needed, the sentence's earlier subject if one is missing."""
    own = [p for p in people if not p.is_source]
    if len(own) < 2:
        own = people
    if len(own) == 1 and (own[0].start >= v.r(a) or _WITH_BEFORE.search(v.norm[max(0, v.n(own[0].start) - 30):v.n(own[0].start)])):
        # "على أن يتبعها اتصال مع زيلينسكي", "قال زيلينسكي إنه سيناقش مع ترامب في اتصال": the caller is
        # the nearest person named earlier in the sentence
        for m in reversed(v.mentions_in(v.r(ns), min(v.r(a), own[0].start))):
            if m.type == "PER" and not m.adjectival:
                p = _participant(v, m, kb)
                if p is not None and p.name != own[0].name:
                    own = [p, own[0]]
                    break
    people_first = [p for p in own if not p.is_country]
    countries = [p for p in own if p.is_country]
    # a person outranks the country of their title ("أمير قطر الشيخ تميم" → the emir, not Qatar)
    return people_first + countries if len(people_first) < 2 else people_first


def _directed(people: list[_Participant], target: _Participant | None, trig_start: int, trig_end: int) -> list[_Participant] | None:
    """``[actor, target]`` of a sanction / aid event, or None without both.

    The actor is an adjective right after the trigger ("عقوبات أمريكية"), else the nearest
    participant before it, else the first inside it ("هدد ترامب مؤخرا عقوبات"), else a country after it.
    """
    named = [p for p in people if p.adjective_of_trigger and p is not target]
    candidates = [p for p in people if p is not target and not p.adjective_of_trigger and not p.after_prep]
    before = [p for p in candidates if p.start < trig_start]
    inside = [p for p in candidates if trig_start <= p.start < trig_end]
    after = [p for p in people if p.start >= trig_end and p is not target]
    # before the trigger: the nearest non-reporter, else the reporter ("أعلنت ألمانيا تسليم أوكرانيا …");
    # inside it, the first (the subject of "هدد ترامب مؤخرا بعقوبات"; "تسليم أوكرانيا" names the recipient)
    actor = next(iter(named), None) or next((p for p in reversed(before) if not p.is_source), None) or \
        next(reversed(before), None) or next(iter(inside), None)
    if actor is None:
        actor = next((p for p in after if p.is_country), None)
    if target is None:
        target = next((p for p in people if p is not actor and p.start >= trig_start), None) or \
            next((p for p in people if p is not actor), None)
    if actor is None or target is None or actor.name == target.name:
        return None
    return [actor, target]


def _status(v: _View, w0: int, a: int, b: int, ne: int) -> str:
    lex = lexicon()
    before = v.norm[w0:a]
    close = v.norm[_window_before(v, a, w0, _REFUSED_BEFORE_WORDS):a]
    if lex.refused_before.search(close):
        return "refused"
    after = v.norm[b:_window_after(v, b, ne, 3)]
    later = v.norm[b:_window_after(v, b, ne, _PLANNED_LATER_WORDS)]
    if lex.planned_before.search(before) or lex.planned_after.search(after) or lex.planned_later.search(later) \
            or re.search(r"(?<!\w)[وف]?س[يت]", v.norm[a:a + 3]):
        return "planned"
    return "happened"


def _same_event(x: _Event, y: _Event, kb) -> bool:
    if x.type != y.type:
        return False
    xs, ys = {p.name for p in x.participants}, {p.name for p in y.participants}
    if x.type in DIRECTED:
        return any(_same_actor(p, q, kb) for p, q in zip(x.participants, y.participants))
    return xs <= ys or ys <= xs


def _same_actor(p: _Participant, q: _Participant, kb) -> bool:
    """Same participant, or a leader and their country ("Donald Trump" ~ "United States")."""
    if p.name == q.name:
        return True
    if kb is None or not (p.is_country or q.is_country) or p.is_country == q.is_country:
        return False
    a, b = kb.country_id(p.entity_id), kb.country_id(q.entity_id)
    return a is not None and a == b


def _merge(events: list[_Event], kb) -> list[_Event]:
    """One item per distinct event: same type and participant set (or same actor/target for directed
    events), merged until nothing changes (a merge can make two earlier items the same)."""
    while True:
        merged = _merge_once(events, kb)
        if len(merged) == len(events):
            return merged
        events = merged


def _merge_once(events: list[_Event], kb) -> list[_Event]:
    out: list[_Event] = []
    for ev in events:
        same = next((o for o in out if _same_event(o, ev, kb)), None)
        if same is None:
            out.append(ev)
            continue
        same.mentions += ev.mentions
        same.spans.extend(ev.spans)
        if ev.type in DIRECTED and ev.explicit_target and not same.explicit_target:
            same.participants, same.explicit_target = ev.participants, True
        elif ev.type not in DIRECTED and len(ev.participants) < len(same.participants):
            same.participants = ev.participants
    return out


def extract_diplomacy(doc: Document) -> list[Diplomacy]:
    """The diplomatic events of an analysed document, one per distinct event."""
    lex = lexicon()
    triggers = list(finditer_at(lex.combined, doc.norm, lex.trigger_set.starts(doc.norm)))
    if not triggers:
        return []
    v = _View(doc)
    kb = _kb()
    events: list[_Event] = []
    sent_starts = [s.start for s in doc.sentences]
    sources: dict[int, list[tuple[int, int]]] = {}
    for m in triggers:
        ra = v.r(m.start())
        si = bisect.bisect_right(sent_starts, ra) - 1
        if si < 0 or doc.sentences[si].kind in _SKIP_KINDS or v.in_quote(ra):
            continue
        sent = doc.sentences[si]
        if si not in sources:
            sources[si] = _sources_spans(doc, si)
        ev = _event(v, doc, m.lastgroup or "", m.start(), m.end(), v.n(sent.start), v.n(sent.end), sources[si], kb)
        if ev is not None:
            events.append(ev)
    out = []
    for n, ev in enumerate(_merge(events, kb), 1):
        out.append(Diplomacy(
            id=f"{doc.meta.id}:d{n}",
            type=ev.type,  # type: ignore[arg-type]
            participants=[p.name for p in ev.participants],
            participant_ids=[p.entity_id for p in ev.participants],
            status=ev.status,  # type: ignore[arg-type]
            span=Span(start=ev.start, end=ev.end),
            sentence=ev.sentence,
        ))
    return out


@stage("diplomacy", requires=["sentences", "mentions", "entities", "dates"], assigns=["diplomacy"])
def diplomacy_stage(doc: Document) -> None:
    doc.diplomacy = extract_diplomacy(doc)
