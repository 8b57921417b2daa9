"""SQL for pipelines: one row per pipeline of a Deals layout, its wire object in ``data``; the
name is unique within the layout (``name_key``, case-folded)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import pipelines


def _key(data: dict[str, Any]) -> str:
    return documents.name_key(str(data["display_value"]))


def list_pipelines(conn: Connection, org_id: str, layout_id: str | None = None) -> list[dict[str, Any]]:
    where = () if layout_id is None else (pipelines.c.layout_id == layout_id,)
    return documents.list_data(conn, pipelines, org_id, *where)


def layout_of(conn: Connection, org_id: str, pipeline_id: str) -> str | None:
    found: str | None = conn.execute(
        select(pipelines.c.layout_id).where(pipelines.c.org_id == org_id, pipelines.c.id == pipeline_id)
    ).scalar_one_or_none()
    return found


def latest_modified(conn: Connection, org_id: str, layout_id: str) -> int | None:
    return documents.latest_modified(conn, pipelines, org_id, pipelines.c.layout_id == layout_id)


def _stamp(conn: Connection, layout_id: str, now_ms: int) -> int:
    """Past every pipeline of the layout: an If-Modified-Since read sees each change."""
    latest = conn.execute(select(func.max(pipelines.c.modified_ms)).where(pipelines.c.layout_id == layout_id))
    return max(now_ms, (latest.scalar_one() or 0) + 1)


def insert_pipeline(conn: Connection, org_id: str, layout_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        insert(pipelines).values(
            id=data["id"],
            org_id=org_id,
            layout_id=layout_id,
            name_key=_key(data),
            modified_ms=_stamp(conn, layout_id, now_ms),
            data=data,
        )
    )


def save_pipeline(conn: Connection, layout_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        update(pipelines)
        .where(pipelines.c.id == data["id"])
        .values(name_key=_key(data), modified_ms=_stamp(conn, layout_id, now_ms), data=data)
    )


def delete_pipeline(conn: Connection, pipeline_id: str) -> None:
    conn.execute(delete(pipelines).where(pipelines.c.id == pipeline_id))
