"""SQL of registered functions (store/schema.py ``functions``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from zcrm_emulator.store.schema import functions


@dataclass(frozen=True)
class Registered:
    id: str
    org_id: str
    name: str
    zapikey: str
    data: dict[str, Any]


def _row(row: Any) -> Registered:
    return Registered(row.id, row.org_id, row.name, row.zapikey, {**row.data, "zapikey": row.zapikey})


def by_name(conn: Connection, org_id: str, name: str) -> Registered | None:
    row = conn.execute(select(functions).where(functions.c.org_id == org_id, functions.c.name == name)).first()
    return _row(row) if row is not None else None


def by_id(conn: Connection, org_id: str, function_id: str) -> Registered | None:
    row = conn.execute(select(functions).where(functions.c.org_id == org_id, functions.c.id == function_id)).first()
    return _row(row) if row is not None else None


def by_zapikey(conn: Connection, zapikey: str) -> Registered | None:
    row = conn.execute(select(functions).where(functions.c.zapikey == zapikey)).first()
    return _row(row) if row is not None else None


def list_all(conn: Connection, org_id: str) -> list[Registered]:
    query = select(functions).where(functions.c.org_id == org_id).order_by(functions.c.name)
    return [_row(row) for row in conn.execute(query)]


def insert_one(conn: Connection, registered: Registered, now_ms: int) -> None:
    conn.execute(
        insert(functions).values(
            id=registered.id,
            org_id=registered.org_id,
            name=registered.name,
            zapikey=registered.zapikey,
            modified_ms=now_ms,
            data=registered.data,
        )
    )


def replace(conn: Connection, function_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(update(functions).where(functions.c.id == function_id).values(data=data, modified_ms=now_ms))


def set_zapikey(conn: Connection, function_id: str, zapikey: str, now_ms: int) -> None:
    conn.execute(update(functions).where(functions.c.id == function_id).values(zapikey=zapikey, modified_ms=now_ms))


def remove(conn: Connection, org_id: str, name: str) -> bool:
    result = conn.execute(delete(functions).where(functions.c.org_id == org_id, functions.c.name == name))
    return result.rowcount > 0
