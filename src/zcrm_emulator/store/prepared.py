"""Hot statements, executed on the driver's cursor: the one exception to "SQL through Core".

SQLAlchemy's execution path (its cache key, parameter processing, result objects, events) costs
3 times SQLite's own work on a one-row lookup and half again on a 100-row insert (bench/prepared.py,
bench/RESULTS.md). The statements every CRM call runs, and the bulk inserts of records, are still
written as Core expressions; ``Prepared`` compiles each once per dialect (public SQLAlchemy API
only) and then hands the SQL text and plain parameters straight to the DBAPI cursor of the caller's
connection, inside the caller's transaction. Result columns go through their type's result
processor (a JSON column comes back decoded on every dialect) and rows are named tuples, so
``row.id`` reads as with Core. Bind parameters are passed as they are: a JSON value is written as
``store.engine.json_text(value)``.

Every hot statement is named, and the names are this closed list (a test runs each on both stores):
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import Connection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

HOT_STATEMENTS = frozenset(
    {
        "admission",  # admission.py: every CRM call with a token (token, credits, stamps)
        "access token by hash",  # accounts/repo.py: tokens a fault targets
        "credits: standing",  # usage/repo.py: calls made with a key (a function's zapikey)
        "credits: catch up",  # usage/repo.py: the first call of a minute
        "credits: add",  # usage/repo.py: held debits written
        "orgs: exists",  # usage/repo.py: held debits written
        "ids: reserve",  # ids: every create
        "modules: find",  # resources/modules/repo.py: every records call
        "modules: list stamp",  # resources/modules/repo.py: the module list's freshness
        "fields: version",  # resources/fields/repo.py: every records call
        "records: people stamp",  # record_model/repo.py: every records call
        "records: one by id",  # record_model/repo.py: GET one record
        "records: insert",  # record_model/repo.py: every records insert
        "records: list page",  # record_model/repo.py: GET /{module} without filters but conversion
        "records: save page token",  # record_model/repo.py: every list call with a next page
        "records: insert keys",  # record_model/repo.py: every records insert
        "records: insert words",  # record_model/repo.py: every records insert
        "search: one-phrase page",  # resources/search/repo.py: search by email
        "state: get",  # store/state.py: the clock offset, every 100 ms
        "lock: advisory",  # store/locks.py: PostgreSQL's serialized checks
    }
)

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # parameter names in placeholder order; None for named placeholders
    fixed: dict[str, Any]
    row_type: Any  # a namedtuple class over the result columns (None for statements returning nothing)
    processors: tuple[Processor | None, ...] | None  # per result column; None when no column needs one

    def bind(self, params: Mapping[str, Any]) -> Any:
        """The driver's parameters for one execution: the fixed values plus ``params``, as a tuple in
        placeholder order (positional paramstyles) or as a mapping (named ones)."""
        values = {**self.fixed, **params} if self.fixed else params
        return values if self.order is None else tuple(values[name] for name in self.order)

    def shape(self, raw: Sequence[Any]) -> list[Any]:
        make = self.row_type._make
        processors = self.processors
        if processors is None:
            return [make(row) for row in raw]
        return [
            make(
                [value if fn is None or value is None else fn(value) for fn, value in zip(processors, row, strict=True)]
            )
            for row in raw
        ]


def _compile(statement: ClauseElement, dialect: Any) -> _Compiled:
    sql = statement.compile(dialect=dialect)
    assert isinstance(sql, SQLCompiler)  # a Core statement compiles to SQL (positions, binds below)
    # Positional paramstyles (SQLite's qmark) take a tuple in the compiled order; named ones a dict.
    order = tuple(sql.positiontup) if sql.positional and sql.positiontup is not None else None
    # Values written into the expression (``calls + 1``, a JSON path) are bind parameters with a value
    # already; they go through their type's bind processing once, here.
    fixed = {}
    for name, value in sql.params.items():
        if value is not None:
            process = sql.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            fixed[name] = process(value) if process is not None else value
    # A SELECT's columns or a DML statement's RETURNING, keyed as Core keys the rows.
    exported = getattr(statement, "exported_columns", None)
    if not exported:
        return _Compiled(str(sql), order, fixed, None, None)
    row_type = namedtuple("Row", list(exported.keys()), rename=True)  # type: ignore[misc]
    processors = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None) for column in exported)
    return _Compiled(str(sql), order, fixed, row_type, processors if any(processors) else None)


class Prepared:
    """A statement run on the driver's cursor. ``name``: one of ``HOT_STATEMENTS`` (a test holds the
    package to that list); every instance is kept in ``made`` with its count of ``runs``."""

    made: ClassVar[list[Prepared]] = []

    def __init__(self, statement: ClauseElement, *, name: str) -> None:
        self.statement = statement
        self.name = name
        self.runs = 0
        self._compiled: dict[str, _Compiled] = {}
        Prepared.made.append(self)

    def _sql(self, conn: Connection) -> _Compiled:
        dialect = conn.dialect
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _compile(self.statement, dialect)
        return compiled

    def _execute(self, conn: Connection, params: Mapping[str, Any]) -> tuple[_Compiled, Any]:
        compiled = self._sql(conn)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(compiled.sql, compiled.bind(params))
        self.runs += 1
        return compiled, cursor

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Every result row, as named tuples with each column's type processing applied."""
        compiled, cursor = self._execute(conn, params)
        try:
            return compiled.shape(cursor.fetchall())
        finally:
            cursor.close()

    def first(self, conn: Connection, params: Mapping[str, Any]) -> Any | None:
        rows = self.rows(conn, params)
        return rows[0] if rows else None

    def run(self, conn: Connection, params: Mapping[str, Any]) -> None:
        self._execute(conn, params)[1].close()

    def run_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """One ``executemany`` of the statement over ``rows`` (e.g. the records of one insert call)."""
        if rows:
            compiled = self._sql(conn)
            self._executemany(conn, compiled.sql, [compiled.bind(row) for row in rows])

    def run_tuples(self, conn: Connection, names: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> None:
        """``run_many`` over rows given as tuples of the parameters ``names``, in that order: the bulk
        inserts of every records write, where building a mapping per row costs more than SQLite's
        insert. With a positional paramstyle and ``names`` in placeholder order, the tuples go to the
        driver as they are."""
        if not rows:
            return
        compiled = self._sql(conn)
        if compiled.fixed or compiled.order != names:
            self.run_many(conn, [dict(zip(names, row, strict=True)) for row in rows])
        else:
            self._executemany(conn, compiled.sql, rows)

    def _executemany(self, conn: Connection, sql: str, parameters: Sequence[Any]) -> None:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(sql, parameters)
        finally:
            cursor.close()
        self.runs += 1
