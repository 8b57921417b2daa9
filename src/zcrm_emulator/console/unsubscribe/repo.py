"""SQL of the hosted unsubscribe pages: the emulator's signing key for recipient tokens.

The key is made once per database (random, 32 bytes) and kept in ``emulator_state``, so every worker
sharing the database signs and verifies alike, and URLs stay valid across restarts and org resets.
"""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from zcrm_emulator.store.schema import emulator_state

SECRET_KEY = "unsubscribe.signing_key"


def signing_secret(conn: Connection) -> bytes:
    """The signing key, created on first use. Workers racing to create it all read back the one
    stored first (``ON CONFLICT DO NOTHING``)."""
    stored = _read(conn)
    if stored is None:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(emulator_state).values(key=SECRET_KEY, value=secrets.token_hex(32))
        conn.execute(statement.on_conflict_do_nothing(index_elements=[emulator_state.c.key]))
        stored = _read(conn)
    if stored is None:  # the row was just written in this transaction
        raise RuntimeError("the unsubscribe signing key could not be stored")
    return bytes.fromhex(stored)


def _read(conn: Connection) -> str | None:
    return conn.execute(select(emulator_state.c.value).where(emulator_state.c.key == SECRET_KEY)).scalar_one_or_none()
