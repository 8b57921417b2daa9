"""Which schema revisions the code brings and which a database is at, without importing Alembic.

Alembic costs some 0.2 s of imports; a start-up on a database already at the code's heads (nearly
every start) needs none of it. The code's heads are read from the migration files themselves: each
declares ``revision`` and ``down_revision`` as literals, and a head is a revision no other one
revises. A database's heads are the rows of its ``alembic_version`` table, read with plain SQL.
"""

from __future__ import annotations

import ast
from functools import cache
from importlib import resources

from sqlalchemy import Connection

VERSION_TABLE = "alembic_version"


def _declared(source: str) -> dict[str, object]:
    """The module-level ``revision`` and ``down_revision`` literals of one migration file."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("revision", "down_revision"):
                found[name] = ast.literal_eval(node.value)
    return found


def _as_set(value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return {value}
    if isinstance(value, (tuple, list)):
        return {str(item) for item in value}
    raise ValueError(f"unexpected down_revision {value!r}")


@cache
def code_heads() -> frozenset[str]:
    """The revisions a fully migrated database is at (every branch's head)."""
    folder = resources.files("zcrm_emulator.store") / "migrations" / "versions"
    revisions: set[str] = set()
    revised: set[str] = set()
    for entry in folder.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        declared = _declared(entry.read_text(encoding="utf-8"))
        revision = declared.get("revision")
        if not isinstance(revision, str):
            raise ValueError(f"migration {entry.name} declares no revision")
        revisions.add(revision)
        revised |= _as_set(declared.get("down_revision"))
    return frozenset(revisions - revised)


def has_version_table(conn: Connection) -> bool:
    if conn.dialect.name == "postgresql":
        return conn.exec_driver_sql(f"SELECT to_regclass('{VERSION_TABLE}') IS NOT NULL").scalar_one() is True
    found = conn.exec_driver_sql(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{VERSION_TABLE}'")
    return found.first() is not None


def database_heads(conn: Connection) -> frozenset[str] | None:
    """The revisions the database is at; None when it has never been migrated (no version table)."""
    if not has_version_table(conn):
        return None
    return frozenset(str(row[0]) for row in conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}"))
