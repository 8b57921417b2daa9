"""SQL of custom views: a module's views in their order, one view by id, new views of a module, a
view's new state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from zcrm_emulator.store.schema import custom_views, orgs


def list_views(conn: Connection, org_id: str, module_id: str) -> list[dict[str, Any]]:
    query = (
        select(custom_views.c.data)
        .where(custom_views.c.org_id == org_id, custom_views.c.module_id == module_id)
        .order_by(custom_views.c.sequence, custom_views.c.id)
    )
    return [row.data for row in conn.execute(query)]


def get_view(conn: Connection, org_id: str, module_id: str, view_id: str) -> dict[str, Any] | None:
    query = select(custom_views.c.data).where(
        custom_views.c.org_id == org_id, custom_views.c.module_id == module_id, custom_views.c.id == view_id
    )
    data: dict[str, Any] | None = conn.execute(query).scalar_one_or_none()
    return data


def org_time_zone(conn: Connection, org_id: str) -> str:
    """The org's time zone: the day ``${TODAY}`` and the other date tokens of a view's criteria mean."""
    data = conn.execute(select(orgs.c.data).where(orgs.c.id == org_id)).scalar_one()
    return str(data.get("time_zone") or "UTC")


def add_views(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(custom_views), rows)


def save_view(conn: Connection, view_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(update(custom_views).where(custom_views.c.id == view_id).values(data=data, modified_ms=now_ms))
