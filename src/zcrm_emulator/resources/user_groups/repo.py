"""SQL for user groups (one row per group, its wire object and sources in ``data``) and the status of
their deletions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import user_group_deletion_jobs, user_groups


def list_groups(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, user_groups, org_id)


def get_group(conn: Connection, org_id: str, group_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, user_groups, org_id, group_id)


def insert_group(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    values = {"id": data["id"], "org_id": org_id, "name_key": documents.name_key(data["name"]), "data": data}
    conn.execute(insert(user_groups).values(**values, modified_ms=now_ms))


def save_group(conn: Connection, data: dict[str, Any], now_ms: int) -> None:
    values = {"name_key": documents.name_key(data["name"]), "data": data, "modified_ms": now_ms}
    conn.execute(update(user_groups).where(user_groups.c.id == data["id"]).values(**values))


def delete_group(conn: Connection, group_id: str) -> None:
    conn.execute(delete(user_groups).where(user_groups.c.id == group_id))


def insert_job(conn: Connection, org_id: str, job_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(insert(user_group_deletion_jobs).values(id=job_id, org_id=org_id, created_ms=now_ms, data=data))


def get_job(conn: Connection, org_id: str, job_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, user_group_deletion_jobs, org_id, job_id)
