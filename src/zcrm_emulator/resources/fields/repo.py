"""SQL for field metadata: each field's Zoho object is stored whole in ``fields.data``, ordered by
``sequence`` (standard fields from the standard org data, custom fields from whoever creates them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import fields, modules


def list_fields(conn: Connection, module_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(select(fields.c.data).where(fields.c.module_id == module_id).order_by(fields.c.sequence))
    return [row.data for row in rows]


def get_field(conn: Connection, module_id: str, field_id: str) -> dict[str, Any] | None:
    return conn.execute(
        select(fields.c.data).where(fields.c.module_id == module_id, fields.c.id == field_id)
    ).scalar_one_or_none()


def latest_modified(conn: Connection, module_id: str) -> int | None:
    """When any field of the module last changed (epoch ms), for ``If-Modified-Since``."""
    latest: int | None = conn.execute(
        select(func.max(fields.c.modified_ms)).where(fields.c.module_id == module_id)
    ).scalar_one()
    return latest


# The stamp every records call reads (services' memo): prepared once (store/prepared.py).
_VERSION = Prepared(
    select(
        func.count(),
        func.coalesce(func.max(fields.c.modified_ms), 0),
        select(modules.c.modified_ms).where(modules.c.id == bindparam("module_id")).scalar_subquery(),
    ).where(fields.c.module_id == bindparam("module_id")),
    name="fields: version",
)


def version(conn: Connection, module_id: str) -> tuple[int, int, int]:
    """(field count, latest field change, module change): differs whenever a field is added, edited
    or removed, or the module itself changes — the stamp of anything derived from them."""
    count, latest, module_changed = _VERSION.rows(conn, {"module_id": module_id})[0]
    return int(count), int(latest), int(module_changed or 0)
