"""Eval gate: the seeds stay fully right, dev scores stay above the floors in tests/eval_baseline.json.

Record new floors with ``python -m marsad.eval.gate --record`` (``--allow-lower`` to accept a drop),
or run this file with MARSAD_UPDATE_BASELINE=1, which records instead of comparing (never in CI).
"""

from __future__ import annotations

import json
import os

import pytest

from marsad.eval.gate import BASELINE, GATED, below_floors, load_floors, record, seed_failures
from tests.conftest import DEV, SEEDS, require

UPDATE = os.environ.get("MARSAD_UPDATE_BASELINE") == "1"


@pytest.fixture(scope="module")
def seed_scores():
    from marsad.eval.evaluate import evaluate

    require(SEEDS.is_dir(), f"seed articles not found at {SEEDS}")
    return evaluate(SEEDS)


@pytest.fixture(scope="module")
def dev_scores():
    from marsad.eval.evaluate import evaluate

    require(DEV.is_dir(), f"dev articles not found at {DEV}")
    return evaluate(DEV)


def test_baseline_regeneration_is_off_in_ci() -> None:
    if os.environ.get("CI", "").lower() in ("1", "true"):
        assert not UPDATE, "MARSAD_UPDATE_BASELINE must not be set in CI"


def test_baseline_has_a_floor_for_every_gated_metric() -> None:
    data = json.loads(BASELINE.read_text("utf-8"))
    assert set(data["dev"]["floors"]) <= set(GATED)
    assert {"figures.f1", "figures.source", "quotes.f1", "entities.f1"} <= set(data["dev"]["floors"])


def test_seeds_are_fully_right(seed_scores) -> None:
    failures = seed_failures(seed_scores)
    assert not failures, "\n".join(failures)


def test_dev_scores_stay_above_their_floors(dev_scores) -> None:
    if UPDATE:
        floors, lowered = record(dev_scores, allow_lower=True)
        pytest.skip(f"recorded {len(floors)} floors" + (f"; lowered {lowered}" if lowered else ""))
    failures = below_floors(dev_scores.metrics(), load_floors())
    assert not failures, "dev scores fell below the baseline:\n" + "\n".join(failures + dev_scores.notes)


def test_every_dev_article_is_extracted(dev_scores) -> None:
    failed = [n for n in dev_scores.notes if "extraction failed" in n]
    assert not failed, "\n".join(failed)


def test_gate_logic_flags_a_drop_and_refuses_to_record_it(tmp_path, dev_scores) -> None:
    floors = {k: 1.0 for k in GATED}
    metrics = {k: 0.5 for k in GATED} | {"diplomacy.status": None}
    assert len(below_floors(metrics, floors)) == len(GATED) - 1
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"dev": {"floors": {"figures.f1": 1.01}}}))
    with pytest.raises(ValueError, match="--allow-lower"):
        record(dev_scores, path=path)
    new, lowered = record(dev_scores, allow_lower=True, path=path)
    assert lowered and load_floors(path) == new
