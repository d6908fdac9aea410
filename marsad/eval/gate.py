"""The eval gate: seeds must be perfect, dev and example scores must not fall below their recorded floors.

The gated sets are the shared dev set and the bundled examples (``examples/*.gold.json``, articles
written for this project and annotated by hand: a small set nobody tunes the extractors on).
Floors live in ``tests/eval_baseline.json``. ``python -m marsad.eval.gate`` compares the current
scores with them; ``--record`` writes the current scores as the new floors, and lowering an
existing floor needs ``--allow-lower`` (so a regression cannot be recorded away by accident).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

from marsad.eval.score import EvalResult

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "tests" / "eval_baseline.json"
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "data" / "seeds"
DEV = SHARED / "data" / "dev"
EXAMPLES = ROOT / "examples"
GATED_SETS = {"dev": DEV, "examples": EXAMPLES}
# Both seeds must stay fully right on these (quotes/entities F1 leave optional gold items out).
SEED_REQUIRED = ("figures.f1", "attacks.f1", "diplomacy.f1", "quotes.f1", "entities.f1")
# Metrics with a floor: per-layer F1 and the attribute accuracies users rely on.
GATED = (
    "figures.f1", "figures.qualifier", "figures.source",
    "attacks.f1", "attacks.date", "attacks.attacker", "attacks.target", "attacks.locations", "attacks.weapons",
    "diplomacy.f1", "diplomacy.status",
    "quotes.f1", "quotes.speaker",
    "entities.f1", "entities.type",
)
_PLACES = 3


def floor_of(value: float) -> float:
    """``value`` rounded *down* to three decimals, so float noise never fails a freshly recorded floor."""
    return math.floor(value * 10**_PLACES + 1e-9) / 10**_PLACES


def _load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8")) if path.is_file() else {"sets": {}}


def load_floors(name: str = "dev", path: Path = BASELINE) -> dict[str, float]:
    """The recorded floors of gated set ``name`` (empty when none are recorded yet)."""
    floors = _load(path)["sets"].get(name, {}).get("floors", {})
    return {k: float(v) for k, v in floors.items() if v is not None}


def below_floors(metrics: dict[str, float | None], floors: dict[str, float]) -> list[str]:
    """One line per gated metric whose current value is below its floor (a metric with nothing judged is skipped)."""
    out = []
    for key, floor in floors.items():
        value = metrics.get(key)
        if value is not None and value + 1e-9 < floor:
            out.append(f"{key}: {value:.4f} < floor {floor:.3f}")
    return out


def seed_failures(result: EvalResult) -> list[str]:
    """One line per seed metric below 1.0, followed by the errors of the articles concerned."""
    out = []
    metrics = result.metrics()
    for key in SEED_REQUIRED:
        if (metrics[key] or 0.0) < 1.0:
            out.append(f"seeds {key} = {metrics[key]:.4f}, required 1.0")
    if out:
        out += [f"  {art.id}: {e}" for art in result.articles for e in art.errors if e.split(":")[0] in {k.split(".")[0] for k in SEED_REQUIRED}]
        out += [f"  {n}" for n in result.notes]
    return out


def record(results: dict[str, EvalResult], *, allow_lower: bool = False, path: Path = BASELINE) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Write the current scores of each named set as its floors; returns ``(floors per set, lowered)``.

    Sets not in ``results`` keep their floors. Raises ``ValueError`` listing the floors that
    would go down unless ``allow_lower`` (then nothing is written).
    """
    from marsad import __version__

    data = _load(path)
    new_sets: dict[str, dict[str, float]] = {}
    lowered: list[str] = []
    for name, result in results.items():
        metrics = result.metrics()
        old = load_floors(name, path)
        new_sets[name] = {k: floor_of(metrics[k]) for k in GATED if metrics.get(k) is not None}
        lowered += [f"{name} {k}: {old[k]:.3f} -> {v:.3f}" for k, v in new_sets[name].items() if k in old and v < old[k]]
    if lowered and not allow_lower:
        raise ValueError("recording would lower floors (pass --allow-lower to accept):\n  " + "\n  ".join(lowered))
    sets = dict(data.get("sets", {}))
    sets.update({name: {"articles": len(results[name].articles), "floors": floors} for name, floors in new_sets.items()})
    out = {
        "about": "Floors for tests/test_eval_gate.py; record with `python -m marsad.eval.gate --record`.",
        "marsad_version": __version__,
        "sets": sets,
    }
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return new_sets, lowered


def main(argv: list[str] | None = None) -> int:
    """Compare (or ``--record``) the current seed and dev scores with the baseline; the exit code says pass/fail."""
    from marsad.eval.evaluate import evaluate
    from marsad.eval.score import format_table

    ap = argparse.ArgumentParser(prog="python -m marsad.eval.gate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--record", action="store_true", help="write the current dev scores as the new floors")
    ap.add_argument("--allow-lower", action="store_true", help="with --record: accept floors that go down")
    args = ap.parse_args(argv)

    seeds = evaluate(SEEDS)
    results = {name: evaluate(path) for name, path in GATED_SETS.items()}
    for name, result in results.items():
        print(f"{name}:\n{format_table(result)}\n")
    problems = seed_failures(seeds)
    if args.record:
        try:
            floors, lowered = record(results, allow_lower=args.allow_lower)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"recorded floors for {', '.join(floors)} in {BASELINE}" + (f" (lowered: {', '.join(lowered)})" if lowered else ""))
    else:
        for name, result in results.items():
            problems += [f"{name} {p}" for p in below_floors(result.metrics(), load_floors(name))]
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
