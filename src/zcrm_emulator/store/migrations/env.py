"""Alembic environment: run on the connection the Store hands over (never a URL from a file)."""

from alembic import context

from zcrm_emulator.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through zcrm_emulator.store.Store.migrate()")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
