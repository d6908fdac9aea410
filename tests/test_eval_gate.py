"""Eval gate: the seeds stay fully right; dev and example scores stay above tests/eval_baseline.json.

Record new floors with ``python -m marsad.eval.gate --record`` (``--allow-lower`` to accept a drop),
or run this file with MARSAD_UPDATE_BASELINE=1, which records instead of comparing (never in CI).
"""

from __future__ import annotations

import json
import os

import pytest

from marsad.eval.gate import BASELINE, GATED, GATED_SETS, below_floors, load_floors, record, seed_failures
from tests.conftest import SEEDS, require

UPDATE = os.environ.get("MARSAD_UPDATE_BASELINE") == "1"


@pytest.fixture(scope="module")
def scores():
    """Scores of the seeds and of every gated set, extracted once for the module."""
    from marsad.eval.evaluate import evaluate

    for path in (SEEDS, *GATED_SETS.values()):
        require(path.is_dir(), f"gold articles not found at {path}")
    return {"seeds": evaluate(SEEDS)} | {name: evaluate(path) for name, path in GATED_SETS.items()}


def test_baseline_regeneration_is_off_in_ci() -> None:
    if os.environ.get("CI", "").lower() in ("1", "true"):
        assert not UPDATE, "MARSAD_UPDATE_BASELINE must not be set in CI"


def test_baseline_has_floors_for_every_gated_set() -> None:
    sets = json.loads(BASELINE.read_text("utf-8"))["sets"]
    assert set(sets) == set(GATED_SETS)
    for name, entry in sets.items():
        assert set(entry["floors"]) <= set(GATED), name
        assert {"figures.f1", "figures.source", "attacks.f1", "quotes.f1", "entities.f1"} <= set(entry["floors"]), name


def test_seeds_are_fully_right(scores) -> None:
    failures = seed_failures(scores["seeds"])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(GATED_SETS))
def test_scores_stay_above_their_floors(scores, name: str) -> None:
    if UPDATE:
        floors, lowered = record({name: scores[name]}, allow_lower=True)
        pytest.skip(f"recorded {len(floors[name])} floors for {name}" + (f"; lowered {lowered}" if lowered else ""))
    failures = below_floors(scores[name].metrics(), load_floors(name))
    assert not failures, f"{name} scores fell below the baseline:\n" + "\n".join(failures + scores[name].notes)


@pytest.mark.parametrize("name", ["seeds", *sorted(GATED_SETS)])
def test_every_article_is_extracted(scores, name: str) -> None:
    failed = [n for n in scores[name].notes if "extraction failed" in n]
    assert not failed, "\n".join(failed)


def test_gate_flags_a_drop_and_refuses_to_record_it(tmp_path, scores) -> None:
    floors = {k: 1.0 for k in GATED}
    metrics = {k: 0.5 for k in GATED} | {"diplomacy.status": None}
    assert len(below_floors(metrics, floors)) == len(GATED) - 1
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"sets": {"dev": {"floors": {"figures.f1": 1.01}}, "other": {"floors": {"quotes.f1": 0.5}}}}))
    with pytest.raises(ValueError, match="--allow-lower"):
        record({"dev": scores["dev"]}, path=path)
    assert load_floors("dev", path) == {"figures.f1": 1.01}  # nothing written on refusal
    new, lowered = record({"dev": scores["dev"]}, allow_lower=True, path=path)
    assert lowered == [f"dev figures.f1: 1.010 -> {new['dev']['figures.f1']:.3f}"]
    assert load_floors("dev", path) == new["dev"] and load_floors("other", path) == {"quotes.f1": 0.5}
