"""Golden files: the full report of every bundled example, compared field by field with tests/golden/.

Timings and the version string are stripped. After an intended change of the extractors, regenerate with
``MARSAD_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff before committing.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from marsad.io import ArticleInput, iter_articles

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
GOLDEN = Path(__file__).resolve().parent / "golden"
REGEN = os.environ.get("MARSAD_REGEN_GOLDEN") == "1"
VOLATILE = ("timings_ms", "marsad_version")


def report_of(path: Path) -> dict:
    """The example's report as JSON data, read exactly as `marsad extract` reads it, minus volatile fields."""
    from marsad import extract_document

    [article] = iter_articles([path])
    assert isinstance(article, ArticleInput), article
    data = extract_document(article.text, article.meta).model_dump(mode="json")
    for key in VOLATILE:
        data.pop(key, None)
    return data


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_regeneration_is_off_in_ci() -> None:
    if os.environ.get("CI", "").lower() in ("1", "true"):
        assert not REGEN, "MARSAD_REGEN_GOLDEN must not be set in CI"


def test_every_example_has_a_sidecar_and_a_golden_file() -> None:
    assert len(EXAMPLES) >= 3
    for path in EXAMPLES:
        assert path.with_name(path.stem + ".meta.json").is_file(), path
        assert REGEN or (GOLDEN / f"{path.stem}.json").is_file(), f"no golden file for {path.name}"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_report_matches_golden(path: Path) -> None:
    golden = GOLDEN / f"{path.stem}.json"
    actual = _dump(report_of(path))
    if REGEN:
        golden.write_text(actual, encoding="utf-8")
        return
    expected = golden.read_text("utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"golden/{golden.name}", "current report", n=2))
        pytest.fail(f"report of {path.name} differs from its golden file "
                    f"(MARSAD_REGEN_GOLDEN=1 to accept an intended change):\n{diff[:6000]}")
