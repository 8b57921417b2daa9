"""SQL for global picklists (one row per set, its wire object and options in ``data``) and the
fields built on them (read from the fields table, which keeps each field's object whole)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import fields, global_picklists, modules


def list_picklists(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, global_picklists, org_id)


def get_picklist(conn: Connection, org_id: str, picklist_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, global_picklists, org_id, picklist_id)


def insert_picklist(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    key = documents.name_key(data["display_label"])
    conn.execute(
        insert(global_picklists).values(id=data["id"], org_id=org_id, name_key=key, modified_ms=now_ms, data=data)
    )


def save_picklist(conn: Connection, data: dict[str, Any], now_ms: int) -> None:
    values = {"name_key": documents.name_key(data["display_label"]), "data": data, "modified_ms": now_ms}
    conn.execute(update(global_picklists).where(global_picklists.c.id == data["id"]).values(**values))


def delete_picklist(conn: Connection, picklist_id: str) -> None:
    conn.execute(delete(global_picklists).where(global_picklists.c.id == picklist_id))


def org_fields(conn: Connection, org_id: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every field of the org with ``{id, api_name, plural_label, module_name}`` of its module, in
    module and field order."""
    rows = conn.execute(
        select(modules.c.id, modules.c.api_name, modules.c.data, fields.c.data.label("field"))
        .join(modules, modules.c.id == fields.c.module_id)
        .where(fields.c.org_id == org_id)
        .order_by(modules.c.sequence, fields.c.sequence)
    )
    return [
        (
            {
                "id": row.id,
                "api_name": row.api_name,
                "plural_label": row.data.get("plural_label") or row.api_name,
                "module_name": row.data.get("module_name") or row.api_name,
            },
            row.field,
        )
        for row in rows
    ]
