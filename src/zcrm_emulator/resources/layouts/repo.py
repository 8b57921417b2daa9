"""SQL for layouts: one row per layout (a fresh module gets its "Standard" layout on first use);
the row keeps the layout's own keys, its sections are built from the module's fields when read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from zcrm_emulator import ids
from zcrm_emulator.store.schema import layouts

STANDARD = "Standard"


@dataclass(frozen=True)
class LayoutRow:
    id: str
    module_id: str
    name: str
    modified_ms: int
    data: dict[str, Any]


def list_layouts(conn: Connection, module_id: str) -> list[LayoutRow]:
    rows = conn.execute(select(layouts).where(layouts.c.module_id == module_id).order_by(layouts.c.id))
    return [LayoutRow(r.id, r.module_id, r.name, r.modified_ms, r.data) for r in rows]


def ensure_standard(
    conn: Connection, org_id: str, module_id: str, fields: list[dict[str, Any]], template: dict[str, Any], now_ms: int
) -> LayoutRow:
    """The module's Standard layout, created on first use with the id its fields already name in
    ``layout_associations`` (so field metadata and layouts agree), else a newly allocated id."""
    found = conn.execute(select(layouts).where(layouts.c.module_id == module_id, layouts.c.name == STANDARD)).first()
    if found is not None:
        return LayoutRow(found.id, found.module_id, found.name, found.modified_ms, found.data)
    layout_id = _associated_id(fields) or ids.allocate(conn, org_id)[0]
    data = {**template, "id": layout_id, "name": STANDARD}
    conn.execute(
        insert(layouts).values(
            id=layout_id, org_id=org_id, module_id=module_id, name=STANDARD, modified_ms=now_ms, data=data
        )
    )
    return LayoutRow(layout_id, module_id, STANDARD, now_ms, data)


def _associated_id(fields: list[dict[str, Any]]) -> str | None:
    for field in fields:
        for association in field.get("layout_associations") or []:
            if association.get("name") == STANDARD and association.get("id"):
                return str(association["id"])
    return None
