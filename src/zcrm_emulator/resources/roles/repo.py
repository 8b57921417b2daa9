"""SQL for roles (one row per role, its wire object in ``data``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import roles


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return documents.latest_modified(conn, roles, org_id)


def list_roles(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, roles, org_id)


def get_role(conn: Connection, org_id: str, role_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, roles, org_id, role_id)


def _stamp(conn: Connection, org_id: str, now_ms: int) -> int:
    """Past every role's: an If-Modified-Since read sees each change."""
    return max(now_ms, (latest_modified(conn, org_id) or 0) + 1)


def insert_role(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        insert(roles).values(id=data["id"], org_id=org_id, modified_ms=_stamp(conn, org_id, now_ms), data=data)
    )


def save_role(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        update(roles).where(roles.c.id == data["id"]).values(modified_ms=_stamp(conn, org_id, now_ms), data=data)
    )


def delete_role(conn: Connection, role_id: str) -> None:
    conn.execute(delete(roles).where(roles.c.id == role_id))
