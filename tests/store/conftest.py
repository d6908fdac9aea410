"""Store fixtures: every store test runs on SQLite and on PostgreSQL (``MARSAD_TEST_PG_URL``)."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from marsad.store.db import open_store
from tests.conftest import require

PG_URL = os.environ.get("MARSAD_TEST_PG_URL")


def _pg_reachable(url: str) -> bool:
    try:
        with sa.create_engine(url).connect():
            return True
    except sa.exc.OperationalError:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh empty database URL: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield str(tmp_path / "marsad.db")
        return
    require(bool(PG_URL) and _pg_reachable(PG_URL), "PostgreSQL not available (set MARSAD_TEST_PG_URL)")
    name = f"marsad_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()
