"""Unique constraints as clients meet them: which one a failed write broke, on SQLite and PostgreSQL.

The rules find duplicates first (the ``taken`` callbacks of the resources' specs). A constraint fires
only when another worker committed the same key after this transaction checked (PostgreSQL runs
calls side by side; SQLite's write calls take turns), and then the write is tried again: the rule
sees the other row and refuses with its own details (``batch.attempt``). ``CLIENT_KEYS`` names the
input key behind each constraint a client can reach, for the DUPLICATE_DATA of a write that still
breaks one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, PrimaryKeyConstraint, Table, UniqueConstraint
from sqlalchemy.dialects import postgresql, sqlite

from zcrm_emulator.store.schema import metadata

PG_UNIQUE_VIOLATION = "23505"  # SQLSTATE unique_violation
SQLITE_UNIQUE = "UNIQUE constraint failed: "  # SQLite's message for unique indexes and primary keys


@dataclass(frozen=True)
class Unique:
    """A unique constraint or primary key: its table and columns, in the schema's order."""

    table: str
    columns: tuple[str, ...]

    @property
    def client_key(self) -> str | None:
        """The key of a client's input that this constraint keeps unique; None when no client
        input reaches it (generated ids and hashes)."""
        return CLIENT_KEYS.get(self)


CLIENT_KEYS: dict[Unique, str] = {
    Unique("modules", ("org_id", "api_name")): "api_name",
    Unique("fields", ("module_id", "api_name")): "api_name",
    Unique("custom_links", ("module_id", "name_key")): "name",
    Unique("sharing_rules", ("module_id", "name_key")): "name",
    Unique("unsubscribe_links", ("org_id", "name_key")): "name",
    Unique("tags", ("module_id", "name_key")): "name",
    Unique("users", ("org_id", "email")): "email",
    Unique("layouts", ("module_id", "name")): "name",
    Unique("currencies", ("org_id", "iso_code")): "iso_code",
    Unique("variables", ("org_id", "name_key")): "name",
    Unique("variables", ("org_id", "api_name_key")): "api_name",
}

# Constraint names (the schema's naming convention, which the migrations follow) -> constraints:
# PostgreSQL reports the name.
_BY_NAME: dict[str, Unique] = {
    str(constraint.name): Unique(table.name, tuple(column.name for column in constraint.columns))
    for table in metadata.tables.values()
    for constraint in table.constraints
    if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint)
}


def violated(error: BaseException) -> Unique | None:
    """The unique constraint a failed statement broke; None when ``error`` is anything else. Takes
    SQLAlchemy's ``IntegrityError`` and the bare driver errors ``store/prepared.py`` statements raise."""
    cause = getattr(error, "orig", None) or error
    if isinstance(cause, sqlite3.IntegrityError):
        return _from_sqlite(str(cause))
    if getattr(cause, "sqlstate", None) == PG_UNIQUE_VIOLATION:  # psycopg
        diag = getattr(cause, "diag")  # noqa: B009 - psycopg's Error, typed by the driver alone
        return _BY_NAME.get(diag.constraint_name or "") or Unique(diag.table_name or "", ())
    return None


def _from_sqlite(message: str) -> Unique | None:
    """``UNIQUE constraint failed: modules.org_id, modules.api_name`` -> that constraint."""
    if not message.startswith(SQLITE_UNIQUE):
        return None
    qualified = [name.strip().partition(".") for name in message.removeprefix(SQLITE_UNIQUE).split(",")]
    return Unique(qualified[0][0], tuple(column for _, _, column in qualified))


def insert(conn: Connection, table: Table) -> Any:
    """The dialect's INSERT into ``table``, which can say what a conflict does (``ON CONFLICT``):
    for writes where a key another worker just took is not an error."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
