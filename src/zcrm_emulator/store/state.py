"""Small key/value state of the emulator itself (clock offset, default org)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from zcrm_emulator.store.schema import emulator_state

CLOCK_OFFSET = "clock_offset_ms"  # emulator time minus wall time, shared by every process on the store


def get(conn: Connection, key: str) -> str | None:
    return conn.execute(select(emulator_state.c.value).where(emulator_state.c.key == key)).scalar_one_or_none()


def put(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(emulator_state).where(emulator_state.c.key == key))
    conn.execute(insert(emulator_state).values(key=key, value=value))
