"""Reference records (Ukrainian Air Force daily counts) and the check of events against them.

``load_air_force_csv`` reads ``missile_attacks_daily.csv`` (one row per reporting window and
weapon model: launched, destroyed, not_reach_goal …), maps each model to a marsad weapon kind
(``marsad/data/store/weapon_models.yaml``) and stores it once (a row hash makes reloading a
no-op). A record's *night* is the date its window ends on: the 18:00–08:00 wave ending on
18 May is the night of 18 May, like an article's "overnight" attack dated to that morning.

``check_event`` compares an event's claims with the national records of its night: launched ↔
launched, intercepted ↔ destroyed, lost ↔ not_reach_goal; a generic "missile" figure is compared
with all missile kinds together, a weaponless figure ("air targets") with every weapon. An
undated event is matched to the night (among those with one of its launched counts, e.g. 273
drones) whose records agree with the most of its claims, when one night stands out.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from marsad.store import tables as t

MEASURE_COLUMN = {"launched": "launched", "intercepted": "destroyed", "lost": "not_reach_goal"}
REQUIRED = ("time_start", "time_end", "model", "launched")


class ReferenceFormatError(ValueError):
    """The file is not in the Air Force format (the message names the file and what is missing)."""


@lru_cache(maxsize=1)
def _models() -> dict:
    import yaml

    return yaml.safe_load(resources.files("marsad.data.store").joinpath("weapon_models.yaml").read_text("utf-8"))


def weapon_kind(model: str) -> str | None:
    """marsad's weapon kind of an Air Force model name ("Shahed-136/131" → drone; mixed missiles → missile)."""
    spec = _models()
    table = {k.lower(): v for k, v in spec["models"].items()}
    kinds = set()
    for part in (p.strip().lower() for p in model.split(" and ") if p.strip()):
        kind = table.get(part) or next((v for pat, v in spec["patterns"].items() if pat in part), "missile")
        kinds.add(kind)
    if len(kinds) == 1:
        return kinds.pop()
    return "missile" if kinds <= set(spec["missile_kinds"]) else None


def _count(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "", "nan", "NaN") else None
    except ValueError:
        return None


def _time(value: str) -> datetime | None:
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def load_air_force_csv(conn: Connection, path: str | Path) -> tuple[int, int, list[str]]:
    """Store the rows of an Air Force CSV; returns (rows added, rows already stored, problems by line)."""
    path = Path(path)
    national = tuple(p.lower() for p in _models()["national_posts"])
    added = known = 0
    problems: list[str] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceFormatError(f"{path}: not an Air Force daily CSV (missing columns: {', '.join(missing)})")
        have = set(conn.execute(sa.select(t.reference_records.c.row_hash)).scalars())
        batch = []
        for row in reader:
            line = reader.line_num
            start, end = _time(row["time_start"]), _time(row["time_end"])
            if end is None or not row.get("model"):
                problems.append(f"{path}:{line}: no window end or model; row skipped")
                continue
            digest = hashlib.sha256("\x1f".join(str(row.get(k, "")) for k in reader.fieldnames or []).encode()).hexdigest()
            if digest in have:
                known += 1
                continue
            have.add(digest)
            post = (row.get("source") or "").strip()
            batch.append({
                "row_hash": digest, "dataset": path.name, "time_start": start, "time_end": end,
                "night": end.date(), "model": row["model"].strip(), "weapon": weapon_kind(row["model"]),
                "scope": "national" if post.lower().startswith(national) else "regional",
                "target": (row.get("target") or "")[:500], "launched": _count(row.get("launched")),
                "destroyed": _count(row.get("destroyed")), "not_reach_goal": _count(row.get("not_reach_goal")),
                "still_attacking": _count(row.get("still_attacking")), "post": post[:500],
            })
        if batch:
            conn.execute(t.reference_records.insert(), batch)
            added = len(batch)
    return added, known, problems


def night_totals(conn: Connection, night: date) -> dict:
    """Per weapon kind, the national records' launched / destroyed / not_reach_goal sums for one night."""
    rows = conn.execute(sa.select(t.reference_records).where(
        t.reference_records.c.night == night, t.reference_records.c.scope == "national")).mappings().all()
    totals: dict[str, dict[str, int]] = {}
    for r in rows:
        kind = r["weapon"] or "missile"
        slot = totals.setdefault(kind, {"launched": 0, "destroyed": 0, "not_reach_goal": 0, "models": []})
        for col in ("launched", "destroyed", "not_reach_goal"):
            slot[col] += r[col] or 0
        slot["models"].append(f"{r['model']} {r['launched'] or 0}/{r['destroyed'] or 0}")
    return totals


def _record_for(totals: dict, measure: str, weapon: str | None) -> tuple[int, list[str]] | None:
    col = MEASURE_COLUMN[measure]
    missile_kinds = set(_models()["missile_kinds"])
    if weapon is None:
        kinds = list(totals)
    elif weapon == "missile":
        kinds = [k for k in totals if k in missile_kinds]
    else:
        kinds = [k for k in totals if k == weapon]
    if not kinds:
        return None
    return sum(totals[k][col] for k in kinds), [m for k in kinds for m in totals[k]["models"]]


def candidate_nights(conn: Connection, claims: list[dict]) -> set[date]:
    """Nights whose national records launched exactly a claimed count (≥ 10) of the claimed weapon."""
    nights: set[date] = set()
    for c in claims:
        if c["measure"] != "launched" or c["value"] < 10 or c["weapon"] is None:
            continue
        cond = t.reference_records.c.weapon == c["weapon"]
        if c["weapon"] == "missile":
            cond = t.reference_records.c.weapon.in_(_models()["missile_kinds"])
        nights.update(conn.execute(sa.select(t.reference_records.c.night).where(
            cond, t.reference_records.c.scope == "national", t.reference_records.c.launched == c["value"])).scalars())
    return nights


def check_event(conn: Connection, event_date: date | None, claims: list[dict]) -> dict | None:
    """The reference check of one event's claims, or None when no record covers it.

    Returns ``{"night", "matched_by", "records": {kind: totals}, "checks": [...]}`` where each check
    says whether a claim agrees with the record; a disagreement within the claim's own hedge
    ("about 10" vs 11) is flagged with ``within_qualifier``.
    """
    if event_date:
        night, matched_by = event_date, "date"
    else:
        # Undated: the night whose records agree with the most claims, when one night stands out.
        scored = sorted(((sum(c["agrees"] for c in _checks(night_totals(conn, n), claims)), n)
                         for n in candidate_nights(conn, claims)), reverse=True)
        if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
            return None
        night, matched_by = scored[0][1], "figures"
    totals = night_totals(conn, night)
    if not totals:
        return None
    checks = _checks(totals, claims)
    return {"night": night.isoformat(), "matched_by": matched_by,
            "records": totals, "checks": checks, "disagreements": sum(1 for c in checks if not c["agrees"])}


def _checks(totals: dict, claims: list[dict]) -> list[dict]:
    """One check per count claim that a record covers."""
    from marsad.link.reconcile import Claim

    checks = []
    for c in claims:
        if c["measure"] not in MEASURE_COLUMN:
            continue
        found = _record_for(totals, c["measure"], c["weapon"])
        if found is None:
            continue
        record, models = found
        low, high = Claim(id="", measure=c["measure"], weapon=c["weapon"], value=c["value"], qualifier=c["qualifier"],
                          source=(), source_kind="", outlet=None, article_id="", sentence=None, published=None).bounds()
        checks.append({
            "claim_id": c["id"], "measure": c["measure"], "weapon": c["weapon"], "claimed": c["value"],
            "qualifier": c["qualifier"], "outlet": c.get("outlet"), "record": record, "models": models,
            "agrees": c["value"] == record, "within_qualifier": low <= record <= high,
        })
    return checks
