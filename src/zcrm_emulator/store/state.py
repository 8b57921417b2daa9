"""Small key/value state of the emulator itself (clock offset, default org)."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from zcrm_emulator.store import uniques
from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import emulator_state

CLOCK_OFFSET = "clock_offset_ms"  # emulator time minus wall time, shared by every process on the store


# Each process reads the clock offset every 100 ms: prepared once (store/prepared.py).
_GET = Prepared(select(emulator_state.c.value).where(emulator_state.c.key == bindparam("key")), name="state: get")


def get(conn: Connection, key: str) -> str | None:
    row = _GET.first(conn, {"key": key})
    return row.value if row is not None else None


def put(conn: Connection, key: str, value: str) -> None:
    """Set ``key``: one upsert, so workers writing it at once (servers starting together publish
    their settings) each land, the last one winning, instead of one breaking the primary key."""
    statement = uniques.insert(conn, emulator_state).values(key=key, value=value)
    conn.execute(statement.on_conflict_do_update(index_elements=[emulator_state.c.key], set_={"value": value}))
