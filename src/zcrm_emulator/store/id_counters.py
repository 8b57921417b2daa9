"""SQL for the per-org id counters (ids.py composes the ids)."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select, update

from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import id_counters

# Every write call reserves ids: prepared (through Core it cost more than SQLite's work).
_RESERVE = Prepared(
    update(id_counters)
    .where(id_counters.c.org_id == bindparam("org_id"))
    .values(next_suffix=id_counters.c.next_suffix + bindparam("count"))
    .returning(id_counters.c.next_suffix),
    name="ids: reserve",
)


def reserve(conn: Connection, org_id: str, count: int) -> int:
    """Move the org's counter ``count`` on; returns its new value (the reserved suffixes end there)."""
    return int(_RESERVE.rows(conn, {"org_id": org_id, "count": count})[0].next_suffix)


def current(conn: Connection, org_id: str) -> int:
    return int(conn.execute(select(id_counters.c.next_suffix).where(id_counters.c.org_id == org_id)).scalar_one())
