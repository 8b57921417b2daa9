"""SQL for layouts: one row per layout (a fresh module gets its "Standard" layout on first use);
the row keeps the layout's own keys and its sections, whose fields are filled in when read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select, update

from zcrm_emulator import ids
from zcrm_emulator.resources.layouts.rules import STORED_SECTIONS, default_sections
from zcrm_emulator.store import uniques
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
    ``layout_associations`` (so field metadata and layouts agree), else a newly allocated id.
    Workers reading a fresh module's layouts at once all answer with the one stored first."""
    found = _standard(conn, module_id)
    if found is not None:
        return found
    layout_id = _associated_id(fields) or ids.allocate(conn, org_id)[0]
    sections = [
        {**section, "id": section_id}
        for section, section_id in zip(
            default_sections(), ids.allocate(conn, org_id, len(default_sections())), strict=True
        )
    ]
    data = {**template, "id": layout_id, "name": STANDARD, STORED_SECTIONS: sections}
    statement = uniques.insert(conn, layouts).values(
        id=layout_id, org_id=org_id, module_id=module_id, name=STANDARD, modified_ms=now_ms, data=data
    )
    if conn.execute(statement.on_conflict_do_nothing().returning(layouts.c.id)).first() is not None:
        return LayoutRow(layout_id, module_id, STANDARD, now_ms, data)
    stored = _standard(conn, module_id)
    assert stored is not None  # the insert gave way to it
    return stored


def get_layout(conn: Connection, module_id: str, layout_id: str) -> LayoutRow | None:
    row = conn.execute(select(layouts).where(layouts.c.module_id == module_id, layouts.c.id == layout_id)).first()
    return LayoutRow(row.id, row.module_id, row.name, row.modified_ms, row.data) if row is not None else None


def save_layout(conn: Connection, layout_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(update(layouts).where(layouts.c.id == layout_id).values(data=data, modified_ms=now_ms))


def delete_layout(conn: Connection, layout_id: str) -> None:
    conn.execute(delete(layouts).where(layouts.c.id == layout_id))


def _standard(conn: Connection, module_id: str) -> LayoutRow | None:
    row = conn.execute(select(layouts).where(layouts.c.module_id == module_id, layouts.c.name == STANDARD)).first()
    return LayoutRow(row.id, row.module_id, row.name, row.modified_ms, row.data) if row is not None else None


def _associated_id(fields: list[dict[str, Any]]) -> str | None:
    for field in fields:
        for association in field.get("layout_associations") or []:
            if association.get("name") == STANDARD and association.get("id"):
                return str(association["id"])
    return None
