"""Is this attack report about that event? Hard rules first, then weighed evidence.

Hard rules (a "no" whatever else agrees):
- targets differ, or attackers differ (when both are known);
- both dates come from the text and differ: two nights on the same city are two events;
- a date taken from the publication date is before the attack's date or more than one day
  after it (an attack is reported the same day or the next).
Evidence (summed; a link needs ``THRESHOLD``):
- same date (+2) or one day apart (+1); both undated: nothing;
- a distinctive count repeated exactly (launched/intercepted/lost/hit ≥ 10): +3;
- places overlap (+2), or are disjoint when both named (−2);
- weapon kinds overlap (+1);
- figures: +1 per measure with a value repeated exactly, −1 per measure where all exact values
  differ (in all at most +2 and at least −1: tolls get revised, outlets round);
- the same count for the same weapon differs by more than half (e.g. 273 vs 539): −2
  (different figures within that range are conflicting claims about one event, not two events);
- content words of the reports' sentences overlap (Jaccard × 3).
An event with no date of its own is joined only on a distinctive repeated count.
"""

from __future__ import annotations

from marsad.link.signature import AttackSig, EventSig

THRESHOLD = 4.0
_COUNTS = ("launched", "intercepted", "lost", "hit")


def link_score(new: AttackSig, ev: EventSig) -> float | None:
    """The evidence that ``new`` reports event ``ev``, or ``None`` when a hard rule forbids the link."""
    if new.target and ev.target and new.target != ev.target:
        return None
    if new.attacker and ev.attacker and new.attacker != ev.attacker:
        return None
    score = 0.0
    ev_date = ev.date
    if new.date and ev_date:
        if new.date_exact and ev.exact_dates:
            if new.date not in ev.exact_dates:
                return None
            score += 2
        else:
            gap = _date_gap(new, ev)
            if gap is None:
                return None
            score += 2 if gap == 0 else 1
    strong = _strong_match(new, ev)
    if (not new.date or not ev_date) and not strong:
        return None
    if strong:
        score += 3
    if new.places and ev.places:
        score += 2 if new.places & ev.places else -2
    if new.weapons & ev.weapons:
        score += 1
    if _counts_far_apart(new, ev):
        score -= 2
    score += _figure_agreement(new, ev)
    if new.tokens and ev.tokens:
        score += 3 * len(new.tokens & ev.tokens) / len(new.tokens | ev.tokens)
    return score


def _date_gap(new: AttackSig, ev: EventSig) -> int | None:
    """Days between the report and the event when compatible (a publication date may trail
    the attack's date by one day, never precede it), else ``None``."""
    assert new.date is not None
    if new.date_exact:  # the event is dated only by publication
        lags = [(p - new.date).days for p in ev.published_dates]
    elif ev.exact_dates:
        lags = [(new.date - d).days for d in ev.exact_dates]
    else:  # both dated by publication only: all reports within one day of each other, no chains
        span = ev.published_dates | {new.date}
        return (max(span) - min(span)).days if (max(span) - min(span)).days <= 1 else None
    ok = [lag for lag in lags if 0 <= lag <= 1]
    return min(ok) if ok else None


def _strong_match(new: AttackSig, ev: EventSig) -> bool:
    for k, vals in new.figures.items():
        if not k.startswith(_COUNTS):
            continue
        theirs = {v for v, _ in ev.figures.get(k, ())}
        if any(v >= 10 and v in theirs for v, _ in vals):
            return True
    return False


def _figure_agreement(new: AttackSig, ev: EventSig) -> float:
    """+1 per shared measure whose value is repeated exactly, −1 per shared measure where every
    exact value differs; capped to ±2 (tolls get revised, so disagreement is weak evidence)."""
    total = 0
    for k, vals in new.figures.items():
        theirs = [(v, q) for v, q in ev.figures.get(k, ())]
        if not theirs:
            continue
        if {v for v, _ in vals} & {v for v, _ in theirs}:
            total += 1
        elif all(q == "exact" for _, q in vals + theirs):
            total -= 1
    return max(-1, min(2, total))


def _counts_far_apart(new: AttackSig, ev: EventSig) -> bool:
    for k, vals in new.figures.items():
        if not k.startswith("launched"):
            continue
        theirs = [v for v, _ in ev.figures.get(k, ())]
        if theirs and all(abs(v - t) > 0.5 * max(v, t) for v, _ in vals for t in theirs):
            return True
    return False
