"""SQL for roles (one row per role, its wire object in ``data``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import roles


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return documents.latest_modified(conn, roles, org_id)


def list_roles(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, roles, org_id)


def get_role(conn: Connection, org_id: str, role_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, roles, org_id, role_id)
