"""SQL of related records: the org's modules and lookup fields (what its related lists are made
of), the filters that pick a parent's related records out of the records table, and the
many-to-many links (``related_links``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.store.schema import fields, modules, records, related_links


def org_modules(conn: Connection, org_id: str) -> list[ModuleRef]:
    rows = conn.execute(
        select(modules.c.id, modules.c.api_name, modules.c.generated_type, modules.c.scope_name, modules.c.data)
        .where(modules.c.org_id == org_id)
        .order_by(modules.c.sequence, modules.c.id)
    )
    return [ModuleRef(row.id, row.api_name, row.generated_type, row.scope_name, row.data) for row in rows]


def lookup_fields(conn: Connection, org_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(module id, field) of every lookup field of the org, in field order."""
    rows = conn.execute(
        select(fields.c.module_id, fields.c.data)
        .where(fields.c.org_id == org_id, fields.c.data["data_type"].as_string() == "lookup")
        .order_by(fields.c.module_id, fields.c.sequence)
    )
    return [(row.module_id, row.data) for row in rows]


# --- which records are related ------------------------------------------------------------------


def looking_up(field: str, parent_id: str) -> ColumnElement[bool]:
    """Records whose lookup ``field`` holds ``parent_id`` (a filter for record_model.list_records)."""
    matches: ColumnElement[bool] = records.c.data[field].as_string() == parent_id
    return matches


def _column(side: str) -> Any:
    return related_links.c.a_id if side == "a" else related_links.c.b_id


def linked(relation: str, parent_side: str, parent_id: str) -> ColumnElement[bool]:
    """Records linked to ``parent_id`` through ``relation`` (the parent on ``parent_side``)."""
    child = "b" if parent_side == "a" else "a"
    chosen = select(_column(child)).where(related_links.c.relation == relation, _column(parent_side) == parent_id)
    return records.c.id.in_(chosen)


# --- links ----------------------------------------------------------------------------------------


def link_data(
    conn: Connection, relation: str, parent_side: str, parent_id: str, child_ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Each linked child's link values, by child id."""
    if not child_ids:
        return {}
    child = "b" if parent_side == "a" else "a"
    rows = conn.execute(
        select(_column(child).label("child_id"), related_links.c.data).where(
            related_links.c.relation == relation,
            _column(parent_side) == parent_id,
            _column(child).in_(list(child_ids)),
        )
    )
    return {row.child_id: row.data for row in rows}


def save_link(
    conn: Connection,
    org_id: str,
    relation: str,
    a_id: str,
    b_id: str,
    values: Mapping[str, Any],
    now_ms: int,
) -> None:
    """Link a and b, or merge ``values`` into their link's values (a second PUT updates it)."""
    found = conn.execute(
        select(related_links.c.data).where(
            related_links.c.relation == relation, related_links.c.a_id == a_id, related_links.c.b_id == b_id
        )
    ).first()
    if found is not None:
        conn.execute(
            update(related_links)
            .where(related_links.c.relation == relation, related_links.c.a_id == a_id, related_links.c.b_id == b_id)
            .values(data={**found.data, **values}, modified_ms=now_ms)
        )
        return
    row = {
        "relation": relation,
        "a_id": a_id,
        "b_id": b_id,
        "org_id": org_id,
        "created_ms": now_ms,
        "modified_ms": now_ms,
        "data": dict(values),
    }
    dialect = conn.dialect.name
    if dialect == "postgresql":  # two workers linking the same pair: the second merges nothing new
        conn.execute(postgresql.insert(related_links).values(row).on_conflict_do_nothing())
    else:
        conn.execute(sqlite.insert(related_links).values(row).on_conflict_do_nothing())


def delete_link(conn: Connection, relation: str, a_id: str, b_id: str) -> bool:
    """Remove the link of a and b; False when there was none."""
    result = conn.execute(
        delete(related_links).where(
            related_links.c.relation == relation, related_links.c.a_id == a_id, related_links.c.b_id == b_id
        )
    )
    return bool(result.rowcount)
