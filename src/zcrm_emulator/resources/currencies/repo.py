"""SQL of an org's currencies (``currencies``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from zcrm_emulator.store.schema import currencies


def all_of(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    """The org's currencies, the home currency first, then in the order they were added."""
    query = select(currencies.c.data).where(currencies.c.org_id == org_id)
    return [row.data for row in conn.execute(query.order_by(currencies.c.is_base.desc(), currencies.c.id))]


def get(conn: Connection, org_id: str, currency_id: str) -> dict[str, Any] | None:
    query = select(currencies.c.data).where(currencies.c.org_id == org_id, currencies.c.id == currency_id)
    found: dict[str, Any] | None = conn.execute(query).scalar_one_or_none()
    return found


def base(conn: Connection, org_id: str) -> dict[str, Any] | None:
    query = select(currencies.c.data).where(currencies.c.org_id == org_id, currencies.c.is_base.is_(True))
    found: dict[str, Any] | None = conn.execute(query).scalar_one_or_none()
    return found


def iso_taken(conn: Connection, org_id: str, iso_code: str) -> bool:
    query = select(currencies.c.id).where(currencies.c.org_id == org_id, currencies.c.iso_code == iso_code)
    return conn.execute(query.limit(1)).first() is not None


def active_count(conn: Connection, org_id: str) -> int:
    query = select(func.count()).where(currencies.c.org_id == org_id, currencies.c.is_active.is_(True))
    return int(conn.execute(query).scalar_one())


def insert_currency(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        insert(currencies).values(
            id=data["id"],
            org_id=org_id,
            iso_code=data["iso_code"],
            is_base=data["is_base"],
            is_active=data["is_active"],
            modified_ms=now_ms,
            data=data,
        )
    )


def save(conn: Connection, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        update(currencies)
        .where(currencies.c.id == data["id"])
        .values(is_active=data["is_active"], modified_ms=now_ms, data=data)
    )
