"""SQL for modules (standard and custom alike: a custom module is a row, not code)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import fields, modules


@dataclass(frozen=True)
class ModuleRef:
    id: str
    api_name: str
    generated_type: str
    scope_name: str | None
    data: dict[str, Any]

    @property
    def api_supported(self) -> bool:
        return bool(self.data.get("api_supported"))


def _ref(row: Any) -> ModuleRef:
    return ModuleRef(row.id, row.api_name, row.generated_type, row.scope_name, row.data)


def list_modules(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, modules, org_id, order_by=(modules.c.sequence, modules.c.id))


def find(conn: Connection, org_id: str, key: str) -> ModuleRef | None:
    """A module by id (all digits) or api_name (case-sensitive, as Zoho's paths are)."""
    column = modules.c.id if key.isdigit() else modules.c.api_name
    row = conn.execute(select(modules).where(modules.c.org_id == org_id, column == key)).first()
    return _ref(row) if row is not None else None


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return documents.latest_modified(conn, modules, org_id)


def field_summaries(conn: Connection, module_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(fields.c.id, fields.c.api_name).where(fields.c.module_id == module_id).order_by(fields.c.sequence)
    )
    return [{"api_name": row.api_name, "id": row.id} for row in rows]
