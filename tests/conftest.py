"""Shared test fixtures: where the real articles live, and how optional services are required in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "data" / "seeds"
DEV = SHARED / "data" / "dev"


def require(condition: bool, reason: str) -> None:
    """Skip when an optional service is missing — but fail in CI (MARSAD_REQUIRE_ALL=1)."""
    if condition:
        return
    if os.environ.get("MARSAD_REQUIRE_ALL") == "1":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    require(SHARED.is_dir(), f"shared data not found at {SHARED}")
    return SHARED
