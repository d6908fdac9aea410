"""Alembic environment: migrations run on the connection ``marsad.store.db.upgrade`` passes in."""

from alembic import context

from marsad.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("marsad migrations run through marsad.store.db.upgrade(), which supplies the connection")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
