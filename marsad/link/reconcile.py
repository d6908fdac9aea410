"""Reconcile the claims about one event: every claim kept, one consensus per measure, conflicts flagged.

The consensus rule, per (measure, weapon):
1. Source tier: an official source (air force, ministry, mayor, army, armed group's own
   statement …) outranks a media source (an outlet or agency), which outranks a figure
   attributed to nobody. Tiers come from ``marsad/data/store/sources.yaml``.
2. Within the best tier, the latest claim wins (publication time, then ingestion order):
   tolls are revised upwards as bodies are found, so a later official figure is a revision.
3. Ranges stay ranges: the consensus keeps its qualifier ("at least 1", "about 10") and
   ``low``/``high`` bound the value by what all best-tier claims allow together
   (their intersection; the winner's own bounds when they contradict one another).
Two claims conflict when their bounds do not overlap ("exactly 539" vs "exactly 550"; "about
10" = 9–11 does not conflict with 11). A conflict on a casualty measure where the higher
figure came later is labelled a revision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Iterable

TIER = {"official": 3, "media": 2, "other": 2, "unattributed": 1}
CASUALTIES = ("killed", "injured", "missing", "displaced")
INF = math.inf


@dataclass(frozen=True)
class Claim:
    """One figure as reported by one article."""

    id: str
    measure: str
    weapon: str | None
    value: int
    qualifier: str
    source: tuple[str, ...]
    source_kind: str
    outlet: str | None
    article_id: str
    sentence: str | None
    published: datetime | None
    order: int = 0  # ingestion order, for ties

    def bounds(self) -> tuple[float, float]:
        """The values this claim allows."""
        v = self.value
        match self.qualifier:
            case "approx":
                slack = max(1, round(0.1 * v))
                return v - slack, v + slack
            case "at_least":
                return v, INF
            case "more_than":
                return v + 1, INF
            case "up_to":
                return 0, v
            case "less_than":
                return 0, v - 1
        return v, v

    def rank(self) -> tuple:
        return (TIER.get(self.source_kind, 1), self.published or datetime.min, self.order)


def consensus(claims: Iterable[Claim]) -> list[dict]:
    """Consensus and conflicts per (measure, weapon), in a stable order."""
    groups: dict[tuple[str, str | None], list[Claim]] = {}
    for c in claims:
        groups.setdefault((c.measure, c.weapon), []).append(c)
    out = []
    for (measure, weapon), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        bounds = [c.bounds() for c in group]
        best = max(group, key=Claim.rank)
        tier = TIER.get(best.source_kind, 1)
        top = [b for c, b in zip(group, bounds) if TIER.get(c.source_kind, 1) == tier]
        low, high = best.bounds()
        lo = max(b[0] for b in top)
        hi = min(b[1] for b in top)
        if lo <= hi:
            low, high = lo, hi
        out.append({
            "measure": measure, "weapon": weapon,
            "value": best.value, "qualifier": best.qualifier,
            "low": _num(low), "high": _num(high),
            "claim_id": best.id, "source": list(best.source), "source_kind": best.source_kind,
            "outlet": best.outlet, "n_claims": len(group),
            "values": sorted({c.value for c in group}),
            **_conflicts(group, bounds),
        })
    return out


MAX_CONFLICTS = 50  # conflicting value pairs listed per measure; the rest are only counted


def _conflicts(group: list[Claim], bounds: list[tuple[float, float]]) -> dict:
    """The conflicts of one measure: ``conflicts`` (value pairs whose bounds do not overlap, each
    shown by the first claim of either value, at most ``MAX_CONFLICTS``), ``n_conflicts`` (all such
    pairs) and ``conflicted_claims`` (every claim on either side of one).

    Claims are grouped by their bounds first, so an event reported a thousand times costs the
    square of its distinct values, not of its claims.
    """
    none = {"conflicts": [], "n_conflicts": 0, "conflicted_claims": []}
    if max(lo for lo, _ in bounds) <= min(hi for _, hi in bounds):
        return none  # intervals that all overlap pairwise share a point: no conflict
    classes: dict[tuple[float, float], list[Claim]] = {}
    for c, b in zip(group, bounds):
        classes.setdefault(b, []).append(c)
    keys = list(classes)
    found, total, conflicted = [], 0, set()
    for i, (a_lo, a_hi) in enumerate(keys):
        for b_lo, b_hi in keys[i + 1:]:
            if a_hi < b_lo or b_hi < a_lo:
                total += 1
                conflicted.update((keys[i], (b_lo, b_hi)))
                if len(found) < MAX_CONFLICTS:
                    found.append(_conflict(classes[keys[i]][0], classes[(b_lo, b_hi)][0]))
    if not total:
        return none
    return {"conflicts": found, "n_conflicts": total,
            "conflicted_claims": [c.id for c, b in zip(group, bounds) if b in conflicted]}


def _conflict(a: Claim, b: Claim) -> dict:
    low, high = (a, b) if a.value < b.value else (b, a)
    revision = (
        a.measure in CASUALTIES and low.published is not None and high.published is not None
        and high.published > low.published
    )
    return {
        "type": "revision" if revision else "disagreement",
        "claims": [low.id, high.id], "values": [low.value, high.value],
        "outlets": [low.outlet, high.outlet],
    }


def _num(x: float) -> int | None:
    return None if x in (INF, -INF) else int(x)


def totals(rows: list[dict]) -> dict[str, int | None]:
    """Event totals per measure from consensus rows: the sum over weapon kinds, or the weaponless figure if larger."""
    out: dict[str, int | None] = {}
    for measure in ("launched", "intercepted", "killed", "injured"):
        per_weapon = sum(r["value"] for r in rows if r["measure"] == measure and r["weapon"])
        general = max((r["value"] for r in rows if r["measure"] == measure and not r["weapon"]), default=0)
        out[measure] = max(per_weapon, general) or None
    return out


@lru_cache(maxsize=1)
def _source_words() -> dict[str, tuple[str, ...]]:
    import yaml
    from importlib import resources

    spec = yaml.safe_load(resources.files("marsad.data.store").joinpath("sources.yaml").read_text("utf-8"))
    return {kind: tuple(w.lower() for w in words) for kind, words in spec.items()}


def source_kind(names: Iterable[str] | None) -> str:
    """``official`` | ``media`` | ``other`` | ``unattributed`` for a figure's source names."""
    names = [n.lower() for n in (names or []) if n]
    if not names:
        return "unattributed"
    words = _source_words()
    padded = [f" {n} " for n in names]
    for kind in ("official", "media"):
        if any(f" {w} " in p or p.strip().startswith(w) for w in words[kind] for p in padded):
            return kind
    return "other"


def as_datetime(value: datetime | date | None) -> datetime | None:
    """A publication date or time as a datetime (dates at midnight)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, datetime.min.time())
