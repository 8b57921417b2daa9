"""SQL for tags (one row per tag, its wire object in ``data``, names unique per module)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import tag_mass_delete_jobs, tags

TAGS = documents.SettingsDocuments(tags, scope="module_id")


def in_module(conn: Connection, org_id: str, module_id: str) -> list[dict[str, Any]]:
    """The module's tags, oldest first."""
    return TAGS.list(conn, org_id, module_id)


def by_name_keys(conn: Connection, module_id: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The module's tags whose case-folded names are among ``keys``, by that key."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    query = select(tags.c.name_key, tags.c.data).where(tags.c.module_id == module_id, tags.c.name_key.in_(wanted))
    return {row.name_key: row.data for row in conn.execute(query)}


def by_ids(conn: Connection, module_id: str, tag_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The module's tags among ``tag_ids``, by id."""
    wanted = sorted(set(tag_ids))
    if not wanted:
        return {}
    query = select(tags.c.id, tags.c.data).where(tags.c.module_id == module_id, tags.c.id.in_(wanted))
    return {row.id: row.data for row in conn.execute(query)}


def save_job(conn: Connection, org_id: str, job: dict[str, Any], now_ms: int) -> None:
    conn.execute(insert(tag_mass_delete_jobs).values(id=job["job_id"], org_id=org_id, created_ms=now_ms, data=job))


def get_job(conn: Connection, org_id: str, job_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, tag_mass_delete_jobs, org_id, job_id)
