"""Hot statements, executed on the driver's cursor.

SQLAlchemy's execution path (parameter processing, result objects, events) costs some 20-30 µs per
statement and a few µs per row of an executemany: more than SQLite spends on a one-row lookup. The
statements every CRM call runs, and the bulk inserts of records, are still written as Core
expressions; ``Prepared`` compiles each once per dialect and then hands the SQL text and plain
parameters straight to the DBAPI cursor of the caller's connection, inside the caller's transaction.
Only for statements whose columns and parameters are plain values: nothing converts them on the way
in or out (a JSON column takes ``store.engine.json_text(value)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # parameter names in placeholder order; None for named placeholders
    fixed: dict[str, Any]

    def bind(self, params: Mapping[str, Any]) -> Any:
        """The driver's parameters for one execution: the fixed values plus ``params``, as a tuple in
        placeholder order (positional paramstyles) or as a mapping (named ones)."""
        values = {**self.fixed, **params} if self.fixed else params
        return values if self.order is None else tuple(values[name] for name in self.order)


class Prepared:
    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _sql(self, conn: Connection) -> _Compiled:
        dialect = conn.dialect
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            sql = self.statement.compile(dialect=dialect)
            # Positional paramstyles (SQLite's qmark) take a tuple in the compiled order; named ones a dict.
            order = tuple(sql.positiontup) if sql.positional and sql.positiontup is not None else None
            # Values written into the expression (``calls + 1``, a JSON path) are bind parameters with a
            # value already; they go through their type's processing once, here.
            processors = getattr(sql, "_bind_processors", {})
            fixed = {
                name: processors[name](value) if name in processors else value
                for name, value in sql.params.items()
                if value is not None
            }
            compiled = self._compiled[dialect.name] = _Compiled(str(sql), order, fixed)
        return compiled

    def _execute(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        compiled = self._sql(conn)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(compiled.sql, compiled.bind(params))
        return cursor

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> Sequence[tuple[Any, ...]]:
        cursor = self._execute(conn, params)
        try:
            return cursor.fetchall()  # type: ignore[no-any-return]
        finally:
            cursor.close()

    def first(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        rows = self.rows(conn, params)
        return rows[0] if rows else None

    def run(self, conn: Connection, params: Mapping[str, Any]) -> None:
        self._execute(conn, params).close()

    def run_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """One ``executemany`` of the statement over ``rows`` (e.g. the records of one insert call)."""
        if not rows:
            return
        compiled = self._sql(conn)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(compiled.sql, [compiled.bind(row) for row in rows])
        finally:
            cursor.close()
