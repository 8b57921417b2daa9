"""SQL for modules (standard and custom alike: a custom module is a row, not code)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, insert, select, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.prepared import Prepared
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


def list_modules(conn: Connection, org_id: str, changed_after_ms: int | None = None) -> list[dict[str, Any]]:
    """Every module of the org in tab order; with ``changed_after_ms``, only those changed after that
    moment in whole seconds (``If-Modified-Since`` carries no milliseconds)."""
    where = []
    if changed_after_ms is not None:
        where.append(modules.c.modified_ms >= (changed_after_ms // 1000 + 1) * 1000)
    return documents.list_data(conn, modules, org_id, *where, order_by=(modules.c.sequence, modules.c.id))


# Every records call finds its module (scope check and service): prepared once (store/prepared.py).
_FIND = {
    column.name: Prepared(
        select(modules.c.id, modules.c.api_name, modules.c.generated_type, modules.c.scope_name, modules.c.data).where(
            modules.c.org_id == bindparam("org_id"), column == bindparam("key")
        ),
        name="modules: find",
    )
    for column in (modules.c.id, modules.c.api_name)
}


def find(conn: Connection, org_id: str, key: str) -> ModuleRef | None:
    """A module by id (all digits) or api_name. Zoho resolves a module's api_name whatever its case
    (``/crm/v2/leads`` is Leads); the exact spelling is looked up first (prepared), any other case
    only when that misses. The ref carries the canonical api_name, which answers echo."""
    if key.isdigit():
        row = _FIND["id"].first(conn, {"org_id": org_id, "key": key})
        return _ref(row) if row is not None else None
    row = _FIND["api_name"].first(conn, {"org_id": org_id, "key": key})
    if row is None:
        row = conn.execute(
            select(modules.c.id, modules.c.api_name, modules.c.generated_type, modules.c.scope_name, modules.c.data)
            .where(modules.c.org_id == org_id, func.lower(modules.c.api_name) == key.lower())
            .order_by(modules.c.id)
            .limit(1)
        ).first()
    return _ref(row) if row is not None else None


def find_by_name(conn: Connection, org_id: str, name: str) -> ModuleRef | None:
    """A module named by api_name only (any case; an all-digit name names none)."""
    return None if name.isdigit() else find(conn, org_id, name)


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return documents.latest_modified(conn, modules, org_id)


@dataclass(frozen=True)
class ListStamp:
    """What the org's module list was built from: any insert changes ``count``, any update raises
    the row's ``modified_ms`` (``save_module`` keeps it strictly increasing), so ``total_ms`` moves."""

    count: int
    latest_ms: int | None
    total_ms: int | None


# Read on every module-list call (the memo's stamp): prepared once (store/prepared.py).
_LIST_STAMP = Prepared(
    select(func.count(), func.max(modules.c.modified_ms), func.sum(modules.c.modified_ms)).where(
        modules.c.org_id == bindparam("org_id")
    ),
    name="modules: list stamp",
)


def list_stamp(conn: Connection, org_id: str) -> ListStamp:
    count, latest, total = _LIST_STAMP.rows(conn, {"org_id": org_id})[0]
    return ListStamp(int(count), latest, int(total) if total is not None else None)


def field_summaries(conn: Connection, module_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(fields.c.id, fields.c.api_name).where(fields.c.module_id == module_id).order_by(fields.c.sequence)
    )
    return [{"api_name": row.api_name, "id": row.id} for row in rows]


# --- writes: custom module create and module update --------------------------------------------


def count_custom(conn: Connection, org_id: str) -> int:
    return conn.execute(
        select(func.count()).where(modules.c.org_id == org_id, modules.c.generated_type == "custom")
    ).scalar_one()


def next_sequence(conn: Connection, org_id: str) -> int:
    """The tab position after the last module's."""
    last: int = conn.execute(
        select(func.coalesce(func.max(modules.c.sequence), 0)).where(modules.c.org_id == org_id)
    ).scalar_one()
    return last + 1


def insert_module(
    conn: Connection,
    org_id: str,
    data: dict[str, Any],
    field_list: list[dict[str, Any]],
    *,
    scope_name: str,
    now_ms: int,
) -> None:
    """A new module row and its field rows, in the caller's transaction."""
    conn.execute(
        insert(modules).values(
            id=data["id"],
            org_id=org_id,
            api_name=data["api_name"],
            generated_type=data["generated_type"],
            sequence=data["sequence_number"],
            scope_name=scope_name,
            modified_ms=now_ms,
            data=data,
        )
    )
    conn.execute(
        insert(fields),
        [
            {
                "id": field["id"],
                "org_id": org_id,
                "module_id": data["id"],
                "api_name": field["api_name"],
                "sequence": sequence,
                "modified_ms": now_ms,
                "data": field,
            }
            for sequence, field in enumerate(field_list)
        ],
    )


def save_module(conn: Connection, module_id: str, data: dict[str, Any], now_ms: int) -> None:
    # Strictly increasing per row, even for two saves in one millisecond or a clock set back:
    # ``list_stamp`` relies on every save moving the row's modified_ms.
    modified = case((modules.c.modified_ms >= now_ms, modules.c.modified_ms + 1), else_=now_ms)
    conn.execute(update(modules).where(modules.c.id == module_id).values(data=data, modified_ms=modified))
