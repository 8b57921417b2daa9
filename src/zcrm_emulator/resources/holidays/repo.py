"""SQL for holidays: one row per holiday, the wire object in ``data``; ``calendar`` ("business" or a
shift's id), ``date`` and ``year`` beside it for the lists, the yearly limit and duplicates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from zcrm_emulator.resources.holidays import rules
from zcrm_emulator.store.documents import name_key
from zcrm_emulator.store.schema import holidays


def get(conn: Connection, org_id: str, holiday_id: str) -> dict[str, Any] | None:
    query = select(holidays.c.data).where(holidays.c.org_id == org_id, holidays.c.id == holiday_id)
    found: dict[str, Any] | None = conn.execute(query).scalar_one_or_none()
    return found


def page_of(
    conn: Connection,
    org_id: str,
    *,
    year: int | None,
    business: bool | None,
    calendar: str | None,
    offset: int,
    limit: int,
) -> list[dict[str, Any]]:
    """The org's holidays by date, filtered by year, by type (business holidays are the business
    calendar's, shift holidays every other's) and by calendar; ``limit`` rows from ``offset``."""
    query = select(holidays.c.data).where(holidays.c.org_id == org_id)
    if year is not None:
        query = query.where(holidays.c.year == year)
    if business is not None:
        in_business = holidays.c.calendar == rules.BUSINESS_CALENDAR
        query = query.where(in_business if business else ~in_business)
    if calendar is not None:
        query = query.where(holidays.c.calendar == calendar)
    query = query.order_by(holidays.c.date, holidays.c.id).offset(offset).limit(limit)
    return [row.data for row in conn.execute(query)]


def count_in_year(conn: Connection, org_id: str, calendar: str, year: int, *, except_id: str | None = None) -> int:
    query = select(func.count()).where(
        holidays.c.org_id == org_id, holidays.c.calendar == calendar, holidays.c.year == year
    )
    if except_id is not None:
        query = query.where(holidays.c.id != except_id)
    return int(conn.execute(query).scalar_one())


def taken(conn: Connection, org_id: str, calendar: str, day: str, name: str, *, except_id: str | None = None) -> bool:
    """Another holiday of the calendar has this name (regardless of case) on this date."""
    query = select(holidays.c.id).where(
        holidays.c.org_id == org_id,
        holidays.c.calendar == calendar,
        holidays.c.date == day,
        holidays.c.name_key == name_key(name),
    )
    if except_id is not None:
        query = query.where(holidays.c.id != except_id)
    return conn.execute(query.limit(1)).first() is not None


def _columns(calendar: str, data: dict[str, Any], now_ms: int) -> dict[str, Any]:
    return {
        "calendar": calendar,
        "date": data["date"],
        "year": data["year"],
        "name_key": name_key(data["name"]),
        "modified_ms": now_ms,
        "data": data,
    }


def insert_holiday(conn: Connection, org_id: str, calendar: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(insert(holidays).values(id=data["id"], org_id=org_id, **_columns(calendar, data, now_ms)))


def save(conn: Connection, calendar: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(update(holidays).where(holidays.c.id == data["id"]).values(**_columns(calendar, data, now_ms)))


def delete_holiday(conn: Connection, holiday_id: str) -> None:
    conn.execute(delete(holidays).where(holidays.c.id == holiday_id))


def delete_calendar(conn: Connection, org_id: str, calendar: str) -> None:
    """A deleted shift's holidays go with it."""
    conn.execute(delete(holidays).where(holidays.c.org_id == org_id, holidays.c.calendar == calendar))
