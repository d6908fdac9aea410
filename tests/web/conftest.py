"""Web fixtures: a SQLite store filled with the test corpus, the app over it, a TestClient."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from marsad.store.db import open_store
from marsad.web.app import create_app
from tests.web.corpus import fill

TOKEN = "test-token-0123456789"


@pytest.fixture(scope="session")
def filled_db(tmp_path_factory) -> tuple[str, dict[str, list[str]]]:
    """A store file with the test corpus (shared read-only by most tests), and each article's events."""
    path = tmp_path_factory.mktemp("web") / "marsad.db"
    with open_store(path) as store:
        events = fill(store)
    return str(path), events


@pytest.fixture(scope="session")
def client(filled_db) -> TestClient:
    """A client for read tests (no write token configured: writes disabled)."""
    with TestClient(create_app(filled_db[0], token="")) as c:
        yield c


@pytest.fixture
def writable(tmp_path) -> TestClient:
    """A client over a fresh copy of the corpus with the write token configured."""
    path = tmp_path / "marsad.db"
    with open_store(path) as store:
        fill(store)
    with TestClient(create_app(str(path), token=TOKEN)) as c:
        yield c
