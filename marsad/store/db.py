"""Opening a store: a SQLite file by default, PostgreSQL by URL, the same code for both.

``open_store("marsad.db")`` / ``open_store("postgresql+psycopg://…")`` returns a ``Store``
whose schema is brought to the latest Alembic revision on open. Writers are serialised
(SQLite: ``BEGIN IMMEDIATE`` under WAL with a busy timeout; PostgreSQL: a transaction-level
advisory lock), so two ``marsad ingest`` processes never link the same report twice; readers
never wait for writers.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

DEFAULT_DB = "marsad.db"
ENV_VAR = "MARSAD_DB"
BUSY_TIMEOUT_MS = 60_000
# Arbitrary constant naming marsad's writer lock among PostgreSQL advisory locks.
_PG_WRITE_LOCK = 0x6D61727361


class StoreError(RuntimeError):
    """The store cannot be opened or used (the message names the database and the problem)."""


def database_url(db: str | os.PathLike | None = None) -> str:
    """The SQLAlchemy URL of ``db`` (a URL, or a file path for SQLite), defaulting to ``$MARSAD_DB`` or ``marsad.db``."""
    value = str(db) if db is not None else os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in value:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    return f"sqlite:///{Path(value).expanduser()}"


@dataclass
class Store:
    """An open database: its engine and how to start read and write transactions."""

    engine: Engine
    url: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A serialised write transaction (commits on success, rolls back on any error)."""
        with self.engine.connect() as conn:
            with conn.begin():
                self.lock_writers(conn)
                yield conn

    def lock_writers(self, conn: Connection) -> None:
        """Make the open transaction of ``conn`` the only writer (SQLite's BEGIN IMMEDIATE already is)."""
        if self.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction that never blocks writers."""
        with self.engine.connect().execution_options(marsad_read=True) as conn:
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(db: str | os.PathLike | None = None, *, migrate: bool = True) -> Store:
    """Open (and create or upgrade) the store at ``db``: a path, a SQLAlchemy URL, or ``$MARSAD_DB``.

    Raises ``StoreError`` naming the database when it cannot be reached.
    """
    url = database_url(db)
    try:
        engine = _engine(url)
        store = Store(engine=engine, url=url)
        if migrate:
            upgrade(store)
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot open database {_safe(url)}: {exc.orig or exc}") from None
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"not a database URL or path: {_safe(url)} ({exc})") from None
    return store


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_hooks(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_hooks(engine: Engine) -> None:
    """WAL, busy timeout, foreign keys, and explicit BEGIN (IMMEDIATE for writers)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # let the "begin" hook below emit BEGIN
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # A deferred BEGIN that later writes can fail with SQLITE_BUSY without waiting;
        # IMMEDIATE takes the write lock up front, honouring the busy timeout.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("marsad_read") else "BEGIN IMMEDIATE")


def upgrade(store: Store) -> None:
    """Bring the schema to the latest migration (inside the writer lock, so concurrent opens are safe)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with store.write() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _safe(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url
