"""SQL for field metadata: each field's Zoho object is stored whole in ``fields.data``, ordered by
``sequence`` (standard fields from the standard org data, custom fields from whoever creates them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

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


# --- writes: custom fields ---------------------------------------------------------------------


def next_stamp(conn: Connection, module_id: str, now_ms: int) -> int:
    """The ``modified_ms`` of a field written now: past every field of the module, so ``version``
    moves on every write even within one millisecond or with the clock set back."""
    latest: int = conn.execute(
        select(func.coalesce(func.max(fields.c.modified_ms), 0)).where(fields.c.module_id == module_id)
    ).scalar_one()
    return max(now_ms, latest + 1)


def next_sequence(conn: Connection, module_id: str) -> int:
    last: int = conn.execute(
        select(func.coalesce(func.max(fields.c.sequence), 0)).where(fields.c.module_id == module_id)
    ).scalar_one()
    return last + 1


def insert_field(conn: Connection, org_id: str, module_id: str, data: dict[str, Any], *, modified_ms: int) -> None:
    conn.execute(
        insert(fields).values(
            id=data["id"],
            org_id=org_id,
            module_id=module_id,
            api_name=data["api_name"],
            sequence=next_sequence(conn, module_id),
            modified_ms=modified_ms,
            data=data,
        )
    )


def save_field(conn: Connection, field_id: str, data: dict[str, Any], *, modified_ms: int) -> None:
    conn.execute(update(fields).where(fields.c.id == field_id).values(data=data, modified_ms=modified_ms))


def delete_field(conn: Connection, field_id: str) -> None:
    conn.execute(delete(fields).where(fields.c.id == field_id))
