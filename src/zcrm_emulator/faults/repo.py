"""The faults table (``emulator_faults``): rules with their counts, shared by every worker on the store."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from zcrm_emulator.faults.rules import Fault, from_stored
from zcrm_emulator.store.schema import emulator_faults as t


def add(conn: Connection, fault: Fault) -> None:
    conn.execute(insert(t).values(id=fault.id, created_ms=fault.created_ms, matched=0, fired=0, data=fault.spec()))


def all_faults(conn: Connection) -> list[Fault]:
    rows = conn.execute(select(t).order_by(t.c.created_ms, t.c.id)).all()
    return [from_stored(r.id, r.created_ms, r.matched, r.fired, r.data) for r in rows]


def find(conn: Connection, fault_id: str) -> Fault | None:
    row = conn.execute(select(t).where(t.c.id == fault_id)).first()
    return None if row is None else from_stored(row.id, row.created_ms, row.matched, row.fired, row.data)


def remove(conn: Connection, fault_id: str) -> bool:
    return conn.execute(delete(t).where(t.c.id == fault_id)).rowcount > 0


def clear(conn: Connection) -> int:
    return conn.execute(delete(t)).rowcount


def set_counts(conn: Connection, fault_id: str, matched: int, fired: int) -> None:
    conn.execute(update(t).where(t.c.id == fault_id).values(matched=matched, fired=fired))
