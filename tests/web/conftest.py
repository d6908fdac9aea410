"""Web fixtures: a SQLite store filled with the test corpus, the app over it, a TestClient."""

from __future__ import annotations

import os
import uuid

import pytest
from fastapi.testclient import TestClient

from marsad.store.db import open_store
from marsad.web.app import create_app
from tests.conftest import require
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


PG_URL = os.environ.get("MARSAD_TEST_PG_URL")


@pytest.fixture(scope="module")
def pg_client() -> TestClient:
    """A read client over the corpus stored in a fresh PostgreSQL database (dropped afterwards)."""
    import sqlalchemy as sa

    require(bool(PG_URL), "PostgreSQL not available (set MARSAD_TEST_PG_URL)")
    name = f"marsad_web_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        with open_store(url) as store:
            fill(store)
        app = create_app(url, token="")
        with TestClient(app) as c:
            yield c
        app.state.marsad.store.close()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
