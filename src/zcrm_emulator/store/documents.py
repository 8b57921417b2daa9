"""Tables that keep a Zoho object in a JSON ``data`` column per org row: the reads they share, and
``SettingsDocuments``, the one repository of every named settings resource (custom links,
unsubscribe links, and next webhooks, workflow rules, field updates, tags, custom views)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, delete, func, insert, select, update


def list_data(
    conn: Connection, table: Table, org_id: str, *where: ColumnElement[bool], order_by: tuple[Any, ...] = ()
) -> list[dict[str, Any]]:
    query = select(table.c.data).where(table.c.org_id == org_id, *where).order_by(*(order_by or (table.c.id,)))
    return [row.data for row in conn.execute(query)]


def get_data(conn: Connection, table: Table, org_id: str, row_id: str) -> dict[str, Any] | None:
    return conn.execute(select(table.c.data).where(table.c.org_id == org_id, table.c.id == row_id)).scalar_one_or_none()


def latest_modified(conn: Connection, table: Table, org_id: str, *where: ColumnElement[bool]) -> int | None:
    latest: int | None = conn.execute(
        select(func.max(table.c.modified_ms)).where(table.c.org_id == org_id, *where)
    ).scalar_one()
    return latest


def name_key(name: str) -> str:
    """How a settings document's name is compared: trimmed, case-folded."""
    return name.strip().casefold()


@dataclass(frozen=True)
class Stored:
    id: str
    scope_id: str  # the org or module its name is unique within
    data: dict[str, Any]


@dataclass(frozen=True)
class SettingsDocuments:
    """A settings resource kept as one Zoho object per row (``data``) whose name is unique, regardless
    of case, within a scope: the org (unsubscribe links) or one module (custom links). Its table has
    ``id``, ``org_id``, the scope column, ``name_key``, ``modified_ms`` and ``data``; the unique
    constraint on (scope, name_key) guards concurrent writers too (store/uniques.py)."""

    table: Table
    scope: str = "org_id"

    def _scope(self) -> ColumnElement[Any]:
        return self.table.c[self.scope]

    def list(self, conn: Connection, org_id: str, scope_id: str | None = None) -> list[dict[str, Any]]:
        within = () if scope_id is None or self.scope == "org_id" else (self._scope() == scope_id,)
        return list_data(conn, self.table, org_id, *within)

    def get(self, conn: Connection, org_id: str, doc_id: str) -> Stored | None:
        table = self.table
        row = conn.execute(
            select(table.c.id, self._scope(), table.c.data).where(table.c.org_id == org_id, table.c.id == doc_id)
        ).first()
        return Stored(row[0], row[1], row[2]) if row is not None else None

    def count(self, conn: Connection, scope_id: str) -> int:
        return int(conn.execute(select(func.count()).where(self._scope() == scope_id)).scalar_one())

    def name_taken(self, conn: Connection, scope_id: str, name: str, *, except_id: str | None = None) -> bool:
        table = self.table
        query = select(table.c.id).where(self._scope() == scope_id, table.c.name_key == name_key(name))
        if except_id is not None:
            query = query.where(table.c.id != except_id)
        return conn.execute(query.limit(1)).first() is not None

    def insert(self, conn: Connection, org_id: str, scope_id: str, data: dict[str, Any], now_ms: int) -> None:
        values = {"id": data["id"], "org_id": org_id, self.scope: scope_id, "name_key": name_key(data["name"])}
        conn.execute(insert(self.table).values(**values, modified_ms=now_ms, data=data))

    def save(self, conn: Connection, doc_id: str, data: dict[str, Any], now_ms: int) -> None:
        conn.execute(
            update(self.table)
            .where(self.table.c.id == doc_id)
            .values(name_key=name_key(data["name"]), modified_ms=now_ms, data=data)
        )

    def delete(self, conn: Connection, doc_id: str) -> None:
        conn.execute(delete(self.table).where(self.table.c.id == doc_id))


@dataclass(frozen=True)
class OrgSetting:
    """An org-wide setting that is one object per org (business hours, the fiscal year), kept in
    ``org_settings`` under its ``name``: read, and written whole."""

    table: Table
    name: str

    def get(self, conn: Connection, org_id: str) -> dict[str, Any] | None:
        table = self.table
        query = select(table.c.data).where(table.c.org_id == org_id, table.c.name == self.name)
        found: dict[str, Any] | None = conn.execute(query).scalar_one_or_none()
        return found

    def put(self, conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
        table = self.table
        where = (table.c.org_id == org_id, table.c.name == self.name)
        if conn.execute(update(table).where(*where).values(data=data, modified_ms=now_ms)).rowcount == 0:
            conn.execute(insert(table).values(org_id=org_id, name=self.name, data=data, modified_ms=now_ms))
