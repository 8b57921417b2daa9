"""SQL of COQL: a bound query (``rules.BoundQuery``) compiled to one SQLAlchemy Core statement over
the ``records`` table (SQLite and PostgreSQL alike), never a scan in Python.

Stored forms are the records repo's (``record_model/repo.py``): values in ``data`` by api_name,
datetimes as UTC ``yyyy-MM-ddTHH:mm:ss+00:00`` strings (string order is time order), bigints as
digit strings, lookups and user lookups as ids; system fields in columns.

* A condition on the module's own field is a filter on its row; ``=`` and ``in`` on a key field
  (email and phone fields, unique fields, the duplicate-check fields: ``record_keys``) also go
  through that index, so ``where Email = '…'`` is an index lookup at any table size.
* A condition on a lookup path (``Account_Name.Account_Name = 'Zylker'``) is a semi-join: the
  lookup's id is among the ids of the target module's live records that match (each hop the same
  way, so the target's key index serves too); a user path (``Owner.email``) asks the ``users`` table.
* Text compares case-insensitively; ``!=``, ``not in``, ``not like`` and ``not between`` follow SQL
  (a record without a value matches neither a condition nor its negation); ``is null`` also finds
  empty text and empty multi-select lists.
* ``order by`` puts records without a value first in ascending order (last in descending), on both
  databases, and ends with the id, so pages are stable; no ``order by`` is ``id`` ascending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    FromClause,
    and_,
    cast,
    false,
    func,
    not_,
    or_,
    select,
)

from zcrm_emulator.record_model import RecordRow, normalized_key, record_row
from zcrm_emulator.resources.coql.rules import Bound, BoundQuery, FieldRef, Term
from zcrm_emulator.store.schema import record_keys, records, users

_USER_COLUMNS = {"Owner": "owner_id", "Created_By": "created_by", "Modified_By": "modified_by"}
_TIME_COLUMNS = {
    "Created_Time": "created_ms",
    "Modified_Time": "modified_ms",
    "Last_Activity_Time": "modified_ms",
    "Change_Log_Time__s": "modified_ms",
}


@dataclass(frozen=True)
class Scope:
    """Where a compiled condition stands: the org (user paths) and the counter naming aliases."""

    org_id: str
    names: list[int]

    def alias(self) -> FromClause:
        self.names[0] += 1
        return records.alias(f"t{self.names[0]}")


# --- values of a row ------------------------------------------------------------------------------
def _column(table: FromClause, name: str) -> ColumnElement[Any]:
    column: ColumnElement[Any] = table.c[name]
    return column


def _reference(table: FromClause, field: str) -> ColumnElement[Any]:
    """The id a lookup or user lookup holds."""
    if field in _USER_COLUMNS:
        return _column(table, _USER_COLUMNS[field])
    return _typed(_json(table, field).as_string())


def _json(table: FromClause, field: str) -> Any:
    return _column(table, "data")[field]


def _raw(table: FromClause, ref: FieldRef) -> ColumnElement[Any]:
    """The final field's stored value as SQL compares it (text as stored)."""
    if ref.on_user:
        if ref.field in ("id", "email"):
            return _column(table, ref.field)
        return _typed(_json(table, ref.field).as_string())
    if ref.field == "id":
        return _column(table, "id")
    if ref.field in _USER_COLUMNS:
        return _column(table, _USER_COLUMNS[ref.field])
    if ref.field in _TIME_COLUMNS:
        return _column(table, _TIME_COLUMNS[ref.field])
    value = _json(table, ref.field)
    if ref.kind == "number":
        return _typed(value.as_float())
    if ref.kind == "bigint":
        return cast(value.as_string(), BigInteger)
    if ref.kind == "boolean":
        return _typed(value.as_boolean())
    return _typed(value.as_string())


def _typed(value: Any) -> ColumnElement[Any]:
    typed: ColumnElement[Any] = value
    return typed


def _compared(table: FromClause, ref: FieldRef) -> ColumnElement[Any]:
    raw = _raw(table, ref)
    return func.lower(raw) if ref.kind in ("text", "multi") else raw


def _is_time_column(ref: FieldRef) -> bool:
    return not ref.on_user and ref.field in _TIME_COLUMNS


def _moment(ref: FieldRef, value: Any) -> Any:
    if not isinstance(value, datetime):
        return value
    utc = value.astimezone(UTC)
    if _is_time_column(ref):
        return int(utc.timestamp()) * 1000
    return utc.replace(microsecond=0).isoformat()


# --- conditions -----------------------------------------------------------------------------------
def compile_where(bound: Bound, module_id: str, scope: Scope) -> ColumnElement[bool]:
    return _bound(bound, records, module_id, scope)


def _bound(bound: Bound, table: FromClause, module_id: str, scope: Scope) -> ColumnElement[bool]:
    if isinstance(bound, Term):
        return _term(bound, table, module_id, 0, scope)
    parts = [_bound(part, table, module_id, scope) for part in bound.parts]
    return and_(*parts) if bound.joiner == "and" else or_(*parts)


def _term(term: Term, table: FromClause, module_id: str, level: int, scope: Scope) -> ColumnElement[bool]:
    hops = term.ref.hops
    if level == len(hops):
        return _final(term, table, module_id)
    hop = hops[level]
    if hop.module_id is None:
        inner = _final(term, users, "")
        found = select(users.c.id).where(users.c.org_id == scope.org_id, inner)
    else:
        target = scope.alias()
        inner = _term(term, target, hop.module_id, level + 1, scope)
        found = select(target.c.id).where(target.c.module_id == hop.module_id, target.c.deleted_ms.is_(None), inner)
    reference = _reference(table, hop.field)
    if term.operator == "is null":  # no lookup at all, or one whose value is empty
        return or_(reference.is_(None), reference.in_(found))
    return reference.in_(found)


def _final(term: Term, table: FromClause, module_id: str) -> ColumnElement[bool]:
    ref, operator = term.ref, term.operator
    if operator in ("is null", "is not null"):
        empty = _empty(table, ref)
        return empty if operator == "is null" else not_(empty)
    if operator.endswith("like"):
        matched = _like(table, ref, *term.values)
        return not_(matched) if operator.startswith("not") else matched
    column = _compared(table, ref)
    if ref.kind == "multi":
        return _multi(column, operator, term.values)
    values = [_moment(ref, value) for value in term.values]
    if ref.kind == "number":
        values = [float(value) for value in values]
    if ref.kind == "boolean":
        wanted = bool(values[0]) if operator == "=" else not values[0]
        return column.is_(wanted)
    condition = _compare(column, operator, values)
    if ref.keyed and module_id and operator in ("=", "in") and table is not users:
        condition = and_(_keyed(table, module_id, ref.field, values), condition)
    return condition


def _compare(column: ColumnElement[Any], operator: str, values: Sequence[Any]) -> ColumnElement[bool]:
    if operator == "in":
        return column.in_(list(values))
    if operator == "not in":
        return column.not_in(list(values))
    if operator == "between":
        return and_(column >= values[0], column <= values[1])
    if operator == "not between":
        return or_(column < values[0], column > values[1])
    comparisons: dict[str, ColumnElement[bool]] = {
        "=": column == values[0],
        "!=": column != values[0],
        ">": column > values[0],
        ">=": column >= values[0],
        "<": column < values[0],
        "<=": column <= values[0],
    }
    return comparisons[operator]


def _keyed(table: FromClause, module_id: str, field: str, values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows whose key-index entry holds one of the values: the index lookup that makes the
    equality on an email or unique field cheap (the exact comparison stays beside it)."""
    keys = [key for key in (normalized_key(value) for value in values) if key is not None]
    if not keys:
        return false()
    found = select(record_keys.c.record_id).where(
        record_keys.c.module_id == module_id, record_keys.c.field == field, record_keys.c.value.in_(keys)
    )
    return table.c.id.in_(found)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_LIKE_SHAPES = {"starts": "{}%", "ends": "%{}", "contains": "%{}%", "equals": "{}"}


def _like(table: FromClause, ref: FieldRef, shape: str, text: str) -> ColumnElement[bool]:
    column = _compared(table, ref)
    if ref.kind == "multi":  # the elements of the stored JSON list
        element = _escape(text)
        pattern = {"starts": '%"{}%', "ends": '%{}"%', "contains": "%{}%", "equals": '%"{}"%'}[shape]
        return column.like(pattern.format(element), escape="\\")
    return column.like(_LIKE_SHAPES[shape].format(_escape(text)), escape="\\")


def _multi(column: ColumnElement[Any], operator: str, values: Sequence[Any]) -> ColumnElement[bool]:
    """``=`` on a multi-select: the record holds every listed value (``'a;b'``)."""
    wanted = [part.strip() for part in str(values[0]).split(";") if part.strip()]
    held = and_(*(column.like(f'%"{_escape(part)}"%', escape="\\") for part in wanted)) if wanted else false()
    return held if operator == "=" else not_(held)


def _empty(table: FromClause, ref: FieldRef) -> ColumnElement[bool]:
    raw = _raw(table, ref)
    if not ref.on_user and (ref.field == "id" or ref.field in _USER_COLUMNS or ref.field in _TIME_COLUMNS):
        return false()
    if ref.kind == "text":
        return or_(raw.is_(None), raw == "")
    if ref.kind == "multi":
        return or_(raw.is_(None), raw.in_(["[]", ""]))
    return raw.is_(None)


# --- values for order by and group by --------------------------------------------------------------
def _sort_value(table: FromClause, ref: FieldRef, level: int, scope: Scope) -> ColumnElement[Any]:
    """The value a record is ordered by; a lookup path's is a scalar subquery per hop."""
    if level == len(ref.hops):
        return _compared(table, ref)
    hop = ref.hops[level]
    reference = _reference(table, hop.field)
    if hop.module_id is None:
        return select(_compared(users, ref)).where(users.c.id == reference).scalar_subquery()
    target = scope.alias()
    inner = _sort_value(target, ref, level + 1, scope)
    return select(inner).where(target.c.id == reference).limit(1).scalar_subquery()


def _ordering(value: ColumnElement[Any], descending: bool) -> list[Any]:
    """Empty values first ascending, last descending, on SQLite and PostgreSQL alike."""
    empty = value.is_(None)
    return [empty.asc(), value.desc()] if descending else [empty.desc(), value.asc()]


def _aggregate(function: str, ref: FieldRef) -> ColumnElement[Any]:
    value = _raw(records, ref)
    aggregates: dict[str, ColumnElement[Any]] = {
        "COUNT": func.count(value),
        "SUM": func.sum(value),
        "MAX": func.max(value),
        "MIN": func.min(value),
        "AVG": func.avg(value),
    }
    return aggregates[function]


# --- running the query ---------------------------------------------------------------------------
def live_matching(bound: BoundQuery, scope: Scope) -> list[ColumnElement[bool]]:
    """The filters of the query's records: the module's live records its WHERE accepts."""
    return [
        records.c.module_id == bound.meta.id,
        records.c.deleted_ms.is_(None),
        compile_where(bound.where, bound.meta.id, scope),
    ]


def find(conn: Connection, org_id: str, bound: BoundQuery) -> list[RecordRow]:
    """The page of matching live records (``limit + 1`` of them, to tell whether more follow)."""
    scope = Scope(org_id, [0])
    order: list[Any] = []
    for key in bound.order_by:
        assert key.ref is not None  # aggregate keys only in aggregated queries
        order.extend(_ordering(_sort_value(records, key.ref, 0, scope), key.descending))
    statement = (
        select(records)
        .where(*live_matching(bound, scope))
        .order_by(*order, records.c.id.asc())
        .limit(bound.limit + 1)
        .offset(bound.offset)
    )
    return [record_row(row) for row in conn.execute(statement)]


def aggregate(conn: Connection, org_id: str, bound: BoundQuery) -> list[dict[str, Any]]:
    """The groups (one row without ``group by``): the selected keys and their values."""
    scope = Scope(org_id, [0])
    groups = {ref.text: _raw(records, ref) for ref in bound.group_by}
    columns: list[Any] = []
    labels: dict[str, str] = {}
    for n, item in enumerate(bound.selected):
        label = f"c{n}"
        labels[item.key] = label
        value = groups[item.ref.text] if item.function is None else _aggregate(item.function, item.ref)
        columns.append(value.label(label))
    order: list[Any] = []
    for key in bound.order_by:
        if key.ref is None:
            order.extend(_ordering(columns[list(labels).index(key.key)], key.descending))
        else:
            order.extend(_ordering(groups[key.ref.text], key.descending))
    order.extend(groups.values())
    statement = (
        select(*columns)
        .select_from(records)
        .where(*live_matching(bound, scope))
        .group_by(*groups.values())
        .order_by(*order)
        .limit(bound.limit + 1)
        .offset(bound.offset)
    )
    return [{key: row._mapping[label] for key, label in labels.items()} for row in conn.execute(statement)]
