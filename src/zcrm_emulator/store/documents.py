"""Reads shared by every table that keeps a Zoho object in a JSON ``data`` column per org row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, func, select


def list_data(
    conn: Connection, table: Table, org_id: str, *where: ColumnElement[bool], order_by: tuple[Any, ...] = ()
) -> list[dict[str, Any]]:
    query = select(table.c.data).where(table.c.org_id == org_id, *where).order_by(*(order_by or (table.c.id,)))
    return [row.data for row in conn.execute(query)]


def get_data(conn: Connection, table: Table, org_id: str, row_id: str) -> dict[str, Any] | None:
    return conn.execute(select(table.c.data).where(table.c.org_id == org_id, table.c.id == row_id)).scalar_one_or_none()


def latest_modified(conn: Connection, table: Table, org_id: str, *where: ColumnElement[bool]) -> int | None:
    return conn.execute(select(func.max(table.c.modified_ms)).where(table.c.org_id == org_id, *where)).scalar_one()
