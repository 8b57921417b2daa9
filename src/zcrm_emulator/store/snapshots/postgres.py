"""Snapshots of a PostgreSQL store: one schema each in the same database (``zcrm_snapshot_<name>``);
and filling a live database from another one (the fresh-org template database).

Why schemas and not ``CREATE DATABASE … TEMPLATE``: cloning a database needs every other connection
to it closed, and a live store has its pool, its other workers and their requests on it. A schema
copy needs no one to leave: the save reads the live tables in one REPEATABLE READ transaction (a
consistent picture while writes go on), and the restore empties and refills the live tables in one
transaction. It locks them all first, as ``TRUNCATE`` would, so other workers' calls wait for the
restore and then see the restored state whole; the tables themselves (and their statements prepared
by psycopg) stay. A restore that deadlocks with another worker's call is retried.

The fresh org comes from another database (the template), and PostgreSQL cannot query across
databases, so a reset streams each table with ``COPY … TO STDOUT`` from the template into
``COPY … FROM STDIN`` of the live database, in the same kind of single transaction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import closing
from typing import Any

import psycopg
from sqlalchemy import Connection, Table, text
from sqlalchemy.exc import DBAPIError, OperationalError

from zcrm_emulator.store import heads, locks, state
from zcrm_emulator.store.engine import Store
from zcrm_emulator.store.schema import metadata
from zcrm_emulator.store.snapshots.base import (
    AlreadyExists,
    NotFound,
    OtherSchema,
    SnapshotInfo,
    checked_name,
)

SCHEMA_PREFIX = "zcrm_snapshot_"
LOCK_TIMEOUT = "30s"  # waiting for other workers' calls to finish before a restore gives up
RESTORE_TRIES = 3
LARGE_TABLE_BYTES = 8 * 1024 * 1024  # emptied by TRUNCATE rather than DELETE (_empty_tables)
Skip = Callable[[Connection], bool]
_SIZES = text(
    "SELECT relname, pg_relation_size(oid) AS size FROM pg_class"
    " WHERE relkind = 'r' AND relname = ANY(:names) AND relnamespace = to_regnamespace(current_schema())"
)
_EXISTS = text("SELECT 1 FROM pg_namespace WHERE nspname = :schema")
_LIST = text(
    r"""
    SELECT n.nspname AS schema, obj_description(n.oid, 'pg_namespace') AS info,
           (SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
            WHERE c.relnamespace = n.oid AND c.relkind = 'r') AS size
    FROM pg_namespace n WHERE n.nspname LIKE 'zcrm\_snapshot\_%'
    """
)


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _tables() -> list[Table]:
    """Every table of the schema, parents before the tables that refer to them."""
    return list(metadata.sorted_tables)


def _columns(table: Table) -> str:
    return ", ".join(_quoted(column.name) for column in table.columns)


class PostgresSnapshots:
    def __init__(self, store: Store) -> None:
        self.store = store

    def save(self, name: str, *, replace: bool = False) -> SnapshotInfo:
        schema = _quoted(SCHEMA_PREFIX + checked_name(name))
        created_ms = time.time_ns() // 1_000_000
        # One REPEATABLE READ transaction: every table as of one moment, while other calls write on.
        consistent = self.store.engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with consistent as conn, conn.begin():
            if self._exists(conn, name):
                if not replace:
                    raise AlreadyExists(name)
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            try:
                conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            except DBAPIError as error:  # saved under this name by another worker meanwhile
                if isinstance(error.orig, psycopg.errors.DuplicateSchema):
                    raise AlreadyExists(name) from None
                raise
            for table in [*(t.name for t in _tables()), heads.VERSION_TABLE]:
                conn.exec_driver_sql(f"CREATE TABLE {schema}.{_quoted(table)} AS TABLE {_quoted(table)}")
            info = json.dumps({"created_ms": created_ms}).replace("'", "''")
            conn.exec_driver_sql(f"COMMENT ON SCHEMA {schema} IS '{info}'")
        return next(info for info in self.list() if info.name == name)

    def restore(self, name: str) -> None:
        schema = _quoted(SCHEMA_PREFIX + checked_name(name))
        with self.store.engine.connect() as conn:
            if not self._exists(conn, name):
                raise NotFound(name)
            saved_at = frozenset(
                str(row[0]) for row in conn.exec_driver_sql(f"SELECT version_num FROM {schema}.{heads.VERSION_TABLE}")
            )
        if saved_at != heads.code_heads():
            raise OtherSchema(name, saved_at)

        def refill(conn: Connection) -> None:
            if not self._exists(conn, name):  # deleted by another worker since the check above
                raise NotFound(name)
            for table in _tables():
                into, columns = _quoted(table.name), _columns(table)
                conn.exec_driver_sql(f"INSERT INTO {into} ({columns}) SELECT {columns} FROM {schema}.{into}")

        replace_content(self.store, refill)

    def list(self) -> list[SnapshotInfo]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(_LIST).all()
        found = []
        for row in rows:
            created_ms = json.loads(row.info).get("created_ms", 0) if row.info else 0
            found.append(SnapshotInfo(row.schema.removeprefix(SCHEMA_PREFIX), int(created_ms), int(row.size)))
        return sorted(found, key=lambda info: info.name)

    def delete(self, name: str) -> None:
        schema = _quoted(SCHEMA_PREFIX + checked_name(name))
        with self.store.engine.begin() as conn:
            if not self._exists(conn, name):
                raise NotFound(name)
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")

    @staticmethod
    def _exists(conn: Connection, name: str) -> bool:
        found = conn.execute(_EXISTS, {"schema": SCHEMA_PREFIX + name})
        return found.first() is not None


def copy_database_into(store: Store, source_url: str, *, unless: Skip | None = None) -> None:
    """Replace the store's whole content with the database at ``source_url`` (same schema heads),
    streamed table by table with ``COPY``; ``state.KEPT_ON_RESTORE`` kept."""

    def refill(conn: Connection) -> None:
        target: Any = conn.connection.driver_connection
        with closing(psycopg.connect(_libpq_url(source_url), autocommit=True)) as source:
            for table in _tables():
                columns = _columns(table)
                name = _quoted(table.name)
                with (
                    source.cursor().copy(f"COPY {name} ({columns}) TO STDOUT (FORMAT BINARY)") as out,
                    target.cursor().copy(f"COPY {name} ({columns}) FROM STDIN (FORMAT BINARY)") as into,
                ):
                    for chunk in out:
                        into.write(chunk)

    replace_content(store, refill, unless=unless)


def empty_content(store: Store, *, unless: Skip | None = None) -> None:
    """Every table emptied (``state.KEPT_ON_RESTORE`` kept): where no template database can be had,
    a reset empties the store and the fresh org is built in place."""
    replace_content(store, lambda conn: None, unless=unless)


def replace_content(store: Store, refill: Callable[[Connection], None], *, unless: Skip | None = None) -> None:
    """Empty every table and ``refill`` them, in one transaction, unless ``unless`` says otherwise
    once no other restore runs; retried when it deadlocks with another worker's call (its locks are
    taken table by table)."""
    for attempt in range(1, RESTORE_TRIES + 1):
        try:
            with store.engine.begin() as conn:
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                locks.serialize(conn, "restore")  # two restores at once take turns
                if unless is not None and unless(conn):
                    return
                kept = state.kept_on_restore(conn)
                _empty_tables(conn)
                refill(conn)
                state.put_all(conn, kept)
                _reset_sequences(conn)
            return
        except OperationalError as error:
            if not isinstance(error.orig, psycopg.errors.DeadlockDetected) or attempt == RESTORE_TRIES:
                raise


def _empty_tables(conn: Connection) -> None:
    """Every table locked until commit as ``TRUNCATE`` would lock it (other workers' calls wait), then
    emptied: row by row where small, by ``TRUNCATE`` where large. ``TRUNCATE`` gives each table and
    index new files, some 160 ms for the standard org's thirty tables against 8 ms of ``DELETE``;
    past a few megabytes deleting row by row is the slower one."""
    tables = _tables()
    names = [table.name for table in tables]
    conn.exec_driver_sql(f"LOCK TABLE {', '.join(map(_quoted, names))} IN ACCESS EXCLUSIVE MODE")
    sizes: dict[str, int] = {row.relname: row.size for row in conn.execute(_SIZES, {"names": names})}
    large = [name for name in names if sizes.get(name, 0) > LARGE_TABLE_BYTES]
    if large:  # CASCADE: the tables referring to them go too (they are emptied anyway)
        conn.exec_driver_sql(f"TRUNCATE {', '.join(map(_quoted, large))} CASCADE")
    for table in reversed(tables):  # the tables that refer to others first
        if table.name not in large:
            conn.exec_driver_sql(f"DELETE FROM {_quoted(table.name)}")


def _reset_sequences(conn: Connection) -> None:
    """Serial ids continue after the largest restored one (no-op for tables without a sequence)."""
    for table in _tables():
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({_quoted(column.name)}) FROM {_quoted(table.name)}), 0) + 1, false)"
            ),
            {"table": table.name, "column": column.name},
        )


def _libpq_url(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://``) as libpq takes it."""
    from sqlalchemy import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
