"""Serializing a count-then-write across every process on the store (the OAuth throttles and caps).

A limit such as "10 access tokens per refresh token per 10 minutes" counts rows and then inserts
one. Two transactions doing that side by side both count the same rows and both insert, one past
the limit. ``serialize`` makes the second wait until the first has committed; it then counts again
and sees the first one's row (PostgreSQL runs each statement on what was committed when it starts).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from zcrm_emulator.store.prepared import Prepared

_ADVISORY_LOCK = Prepared(select(func.pg_advisory_xact_lock(bindparam("key"))), name="lock: advisory")


def lock_key(name: str) -> int:
    """A signed 64-bit key for ``name`` (PostgreSQL's advisory locks take a bigint). Two names
    sharing a key only make their holders wait for each other."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def serialize(conn: Connection, name: str) -> None:
    """Hold ``name`` until the caller's transaction ends; a transaction holding it elsewhere makes
    this one wait. PostgreSQL: a transaction-level advisory lock. SQLite: the database's one write
    lock, held from the start of a write transaction (``Store.tx(writes=True)``) or from its first
    write, and taken here when the transaction has done neither yet (so it holds nothing)."""
    if conn.dialect.name == "postgresql":
        _ADVISORY_LOCK.run(conn, {"key": lock_key(name)})
        return
    driver: Any = conn.connection.driver_connection
    if not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")
