"""Small SQL helpers shared by the writers, the same for SQLite and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Connection


@lru_cache(maxsize=None)
def _insert_ignoring(dialect: str, table: sa.Table) -> sa.Insert:
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql if dialect == "postgresql" else sqlite).insert(table).on_conflict_do_nothing()


def insert_new(conn: Connection, table: sa.Table, rows: list[dict]) -> None:
    """Insert the rows whose primary key is not stored yet, in one statement (``ON CONFLICT DO NOTHING``)."""
    if rows:
        conn.execute(_insert_ignoring(conn.dialect.name, table), rows)
