"""A COQL query's steps on the caller's connection: parse, find the module, bind the query to its
metadata, run the SQL, follow the selected lookup paths and render the values (no HTTP here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.memo import Memo
from zcrm_emulator.record_model import ModuleMeta, Reader, RecordRow
from zcrm_emulator.resources.coql import grammar, repo, rules
from zcrm_emulator.resources.coql.rules import BoundQuery, FieldRef
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.modules.repo import ModuleRef


@dataclass(frozen=True)
class Parsed:
    query: grammar.Query
    module: ModuleRef


def parse(conn: Connection, org_id: str, text: str) -> Parsed:
    """The query's tree and its ``from`` module: INVALID_QUERY for a module the org does not have,
    INVALID_MODULE for one whose records COQL does not serve."""
    query = grammar.parse(text)
    module = modules_repo.find_by_name(conn, org_id, query.module)
    if module is None:
        details = {"reason": "invalid module found", "module": query.module}
        raise ZohoError("INVALID_QUERY", details, Message.INVALID_QUERY)
    if not record_model.serves_records(module):
        raise ZohoError("INVALID_MODULE", {}, Message.COQL_MODULE_NOT_SUPPORTED)
    return Parsed(query, module)


class TargetModules:
    """Lookup targets' metadata, loaded once per call."""

    def __init__(self, conn: Connection, org_id: str, now_ms: int, memo: Memo | None) -> None:
        self.conn, self.org_id, self.now_ms, self.memo = conn, org_id, now_ms, memo
        self.found: dict[str, ModuleMeta | None] = {}

    def __call__(self, api_name: str) -> ModuleMeta | None:
        if api_name not in self.found:
            try:
                meta = record_model.load_module(self.conn, self.org_id, api_name, self.now_ms, self.memo)
            except ZohoError:
                meta = None
            self.found[api_name] = meta
        return self.found[api_name]


@dataclass(frozen=True)
class Answer:
    data: list[dict[str, Any]]
    more: bool
    fields: dict[str, dict[str, Any]]  # the selected fields' metadata by column (``include_meta``)


def run(
    conn: Connection,
    org_id: str,
    meta: ModuleMeta,
    query: grammar.Query,
    reader: Reader,
    *,
    now_ms: int,
    memo: Memo | None,
) -> Answer:
    modules = TargetModules(conn, org_id, now_ms, memo)
    bound = rules.bind(query, meta, modules)
    fields = _fields_meta(bound, modules)
    if bound.aggregated:
        groups = repo.aggregate(conn, org_id, bound)
        shown = [_group(bound, group, reader) for group in groups[: bound.limit]]
        return Answer(shown, len(groups) > bound.limit, fields)
    rows = repo.find(conn, org_id, bound)
    page = rows[: bound.limit]
    return Answer(_records(conn, org_id, bound, page, modules, reader), len(rows) > bound.limit, fields)


def _fields_meta(bound: BoundQuery, modules: TargetModules) -> dict[str, dict[str, Any]]:
    """Each selected column's field object (a user's property has none), keyed as in the data."""
    found: dict[str, dict[str, Any]] = {}
    for item in bound.selected:
        ref = item.ref
        if ref.on_user or item.function is not None:
            continue
        owner = modules(ref.hops[-1].module or "") if ref.hops else bound.meta
        field = owner.by_name.get(ref.field) if owner is not None else None
        if field is not None:
            found[item.key] = field
    return found


# --- rendering records ------------------------------------------------------------------------------
def _records(
    conn: Connection,
    org_id: str,
    bound: BoundQuery,
    rows: Sequence[RecordRow],
    modules: TargetModules,
    reader: Reader,
) -> list[dict[str, Any]]:
    targets = _targets(conn, org_id, bound, rows)
    shown: list[dict[str, Any]] = []
    for row in rows:
        record: dict[str, Any] = {}
        for item in bound.selected:
            record[item.key] = _value_at(bound.meta, row, item.ref, targets, modules, reader)
        record["id"] = row.id
        shown.append(record)
    return shown


def _targets(conn: Connection, org_id: str, bound: BoundQuery, rows: Sequence[RecordRow]) -> dict[str, RecordRow]:
    """The records the selected lookup paths reach from the page, fetched one hop level at a time."""
    found: dict[str, RecordRow] = {}
    paths = [item.ref.hops for item in bound.selected if item.ref.hops]
    level_rows: dict[tuple[int, int], list[RecordRow]] = {(n, 0): list(rows) for n in range(len(paths))}
    for depth in range(rules.LIMITS.relations):
        wanted: set[str] = set()
        for n, hops in enumerate(paths):
            if depth < len(hops) and hops[depth].module is not None:
                wanted.update(filter(None, (_reference_of(r, hops[depth].field) for r in level_rows[(n, depth)])))
        missing = sorted(wanted - found.keys())
        if missing:
            found.update(record_model.find_any(conn, org_id, missing))
        for n, hops in enumerate(paths):
            if depth < len(hops) and hops[depth].module is not None:
                references = (_reference_of(r, hops[depth].field) for r in level_rows[(n, depth)])
                level_rows[(n, depth + 1)] = [found[ref] for ref in references if ref and ref in found]
    return found


def _reference_of(row: RecordRow, field: str) -> str | None:
    columns = {"Owner": row.owner_id, "Created_By": row.created_by, "Modified_By": row.modified_by}
    value = columns[field] if field in columns else row.data.get(field)
    return str(value) if value not in (None, "") else None


def _value_at(
    meta: ModuleMeta,
    row: RecordRow,
    ref: FieldRef,
    targets: Mapping[str, RecordRow],
    modules: TargetModules,
    reader: Reader,
) -> Any:
    """The column's value for one record, following its lookups (None once a hop finds nothing)."""
    current_meta, current = meta, row
    for hop in ref.hops:
        reference = _reference_of(current, hop.field)
        if reference is None:
            return None
        if hop.module is None:
            user = reader.users.get(reference)
            return reference if ref.field == "id" else (user or {}).get(ref.field)
        target = targets.get(reference)
        target_meta = modules(hop.module)
        if target is None or target_meta is None:
            return None
        current_meta, current = target_meta, target
    return _field(current_meta, current, ref, reader)


def _field(meta: ModuleMeta, row: RecordRow, ref: FieldRef, reader: Reader) -> Any:
    """A field as the record API shows it, but a lookup or user as ``{"id"}`` (COQL's form)."""
    if ref.field == "id":
        return row.id
    if ref.kind == "reference":
        reference = _reference_of(row, ref.field)
        return {"id": reference} if reference is not None else None
    return record_model.listed_record(meta, row, [ref.field], reader).get(ref.field)


# --- rendering groups --------------------------------------------------------------------------------
_INTEGER_TYPES = frozenset({"integer", "bigint", "long"})


def _group(bound: BoundQuery, group: Mapping[str, Any], reader: Reader) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for item in bound.selected:
        value = group[item.key]
        if item.function == "COUNT":
            shown[item.key] = int(value or 0)
        elif item.function == "AVG":
            shown[item.key] = float(value) if value is not None else None
        else:
            shown[item.key] = _grouped_value(item.ref, value, reader)
    return shown


def _grouped_value(ref: FieldRef, value: Any, reader: Reader) -> Any:
    if value is None:
        return None
    if ref.kind in ("reference", "id") and ref.field != "id":
        return {"id": str(value)}
    if ref.kind == "datetime":
        return reader.time(int(value)) if isinstance(value, int) else reader.stored_time(str(value))
    if ref.kind in ("number", "bigint"):
        number = Decimal(str(value))
        whole = ref.data_type in _INTEGER_TYPES or ref.kind == "bigint"
        return int(number) if whole and number == number.to_integral_value() else float(number)
    if ref.field == "id":
        return str(value)
    return value
