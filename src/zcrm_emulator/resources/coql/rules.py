"""What a COQL query means: Zoho's limits, the columns a query may name (lookup paths included), the
operators each field type takes and its values, aliases and aggregates (Zoho doc pages "COQL
Overview", "Get Records through a COQL Query", "COQL Limitations", v8; OAS ``coql.json``).

Plain functions over plain data (no HTTP, no SQL): ``grammar.parse`` gives the tree, ``bind`` checks
it against the module's field metadata (and the modules its lookups point to) and converts the
values; ``repo.py`` turns the bound query into SQL. Choices where Zoho's pages are silent are in
docs/decisions.md ("COQL").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import FIELD_TYPES, ModuleMeta, compared_type
from zcrm_emulator.resources.coql import grammar
from zcrm_emulator.validation import Invalid


@dataclass(frozen=True)
class Limits:
    per_call: int = 2000  # LIMIT at most
    default_limit: int = 200
    reachable: int = 100_000  # OFFSET + LIMIT at most ("fetch up to 1,00,000 records")
    select_columns: int = 500  # "up to 500 fields" since v7 (50 before)
    criteria: int = 25
    in_values: int = 100  # "in (up to 100 values)" (v7 and later)
    order_by: int = 10
    group_by: int = 4
    aggregates: int = 5
    relations: int = 2  # lookups followed in one column: Account_Name.Parent_Account.Account_Name


LIMITS = Limits()

# API credits of one call by its LIMIT (COQL Overview: 1-200 one, 201-1000 two, 1001-2000 three).
CREDIT_STEPS = ((200, 1), (1000, 2))
MOST_CREDITS = 3


def credits(limit: int) -> int:
    return next((cost for most, cost in CREDIT_STEPS if limit <= most), MOST_CREDITS)


# How values of each data type are compared in SQL.
KIND_BY_TYPE: dict[str, str] = {
    **{name: "text" for name in ("text", "mediumtext", "email", "phone", "website", "picklist", "autonumber")},
    "multiselectpicklist": "multi",
    **{name: "number" for name in ("integer", "double", "currency", "percent")},
    **{name: "bigint" for name in ("bigint", "long")},
    "date": "date",
    "datetime": "datetime",
    "boolean": "boolean",
    **{name: "reference" for name in ("lookup", "ownerlookup", "userlookup")},
}

ALL_OPERATORS = frozenset(
    {"=", "!=", ">", ">=", "<", "<=", "in", "not in", "like", "not like", "between", "not between"}
    | {"is null", "is not null"}
)
_NULLS = frozenset({"is null", "is not null"})
_EQUALITY = frozenset({"=", "!=", "in", "not in"}) | _NULLS
_ORDERED = _EQUALITY | {">", ">=", "<", "<=", "between", "not between"}
OPERATORS_BY_KIND: dict[str, frozenset[str]] = {
    "text": _EQUALITY | {"like", "not like"},
    "multi": frozenset({"=", "!=", "like", "not like"}) | _NULLS,
    "number": _ORDERED,
    "bigint": _ORDERED,
    "date": _ORDERED,
    "datetime": _ORDERED,
    "boolean": frozenset({"=", "!="}),
    "reference": _EQUALITY,
    "id": _EQUALITY,
}

# Data types COQL reads in no clause (COQL Limitations: subforms from the parent, multi-select
# lookups, line items, file and image uploads) and those it reads but cannot filter on (multi-line
# text; values that are lists or objects of their own).
UNSUPPORTED_TYPES = frozenset(
    {"subform", "multiselectlookup", "fileupload", "imageupload", "linetax", "pricing_details"}
)
UNSUPPORTED_FIELDS = {"Events": frozenset({"Participants"})}
NOT_IN_CRITERIA = frozenset({"textarea", "multiuserlookup", "RRULE", "ALARM", "event_reminder", "profileimage"})
SUMMED_KINDS = frozenset({"number", "bigint"})
ORDERED_KINDS = SUMMED_KINDS | {"date", "datetime"}

# A user lookup's properties a column can name (Owner.email …) and their types.
USER_PROPERTIES = {"id": "id", "first_name": "text", "last_name": "text", "full_name": "text", "email": "text"}
# System fields whose values are row columns, per the kind they compare as.
USER_COLUMNS = frozenset({"Owner", "Created_By", "Modified_By"})
TIME_COLUMNS = frozenset({"Created_Time", "Modified_Time", "Last_Activity_Time", "Change_Log_Time__s"})


# --- errors ------------------------------------------------------------------------------------
def invalid_column(name: str) -> ZohoError:
    return ZohoError("INVALID_QUERY", {"column_name": name}, Message.COQL_INVALID_COLUMN)


def invalid_operator(name: str, operator: str) -> ZohoError:
    details = {"reason": "invalid operator found", "column_name": name, "operator": operator}
    return ZohoError("INVALID_QUERY", details, Message.INVALID_QUERY)


def invalid_value(name: str, expected: str) -> ZohoError:
    return ZohoError("INVALID_QUERY", {"column_name": name, "expected_data_type": expected}, Message.COQL_INVALID_VALUE)


def limit_exceeded(clause: str, limit: int) -> ZohoError:
    return ZohoError("LIMIT_EXCEEDED", {"clause": clause, "limit": limit})


# --- bound columns ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hop:
    """A lookup followed: the field holding the target's id, and the target's module (None: a user)."""

    field: str
    module_id: str | None
    module: str | None


@dataclass(frozen=True)
class FieldRef:
    """A column checked against the metadata: the lookups followed, then a field of the last module
    (or a property of a user)."""

    text: str  # as written: the response key
    hops: tuple[Hop, ...]
    field: str
    data_type: str
    kind: str
    keyed: bool  # the final field is in its module's key index (record_keys)

    @property
    def on_user(self) -> bool:
        return bool(self.hops) and self.hops[-1].module is None


Modules = Callable[[str], ModuleMeta | None]  # a module by api_name (lookup targets)


def resolve(column: grammar.Column, meta: ModuleMeta, modules: Modules, *, where: bool) -> FieldRef:
    """A column path as a ``FieldRef``; INVALID_QUERY when a part names no field (or a type COQL
    cannot read, or follows more than ``LIMITS.relations`` lookups)."""
    text = column.text
    hops: list[Hop] = []
    current = meta
    path = list(column.path)
    while len(path) > 1:
        name = path.pop(0)
        field = current.by_name.get(name)
        kind = KIND_BY_TYPE.get(compared_type(field)) if field is not None else None
        if field is None or kind != "reference" or len(hops) >= LIMITS.relations:
            raise invalid_column(text)
        if current.types[name].reference == "user":
            hops.append(Hop(name, None, None))
            prop = path.pop(0)
            if path or prop not in USER_PROPERTIES:
                raise invalid_column(text)
            return FieldRef(text, tuple(hops), prop, prop, USER_PROPERTIES[prop], prop == "email")
        target_name = ((field.get("lookup") or {}).get("module") or {}).get("api_name")
        target = modules(str(target_name)) if target_name else None
        if target is None:
            raise invalid_column(text)
        hops.append(Hop(name, target.id, target.api_name))
        current = target
    name = path[0]
    if name == "id":
        return FieldRef(text, tuple(hops), "id", "bigint", "id", False)
    field = current.by_name.get(name)
    if field is None:
        raise invalid_column(text)
    data_type = compared_type(field)
    if data_type in UNSUPPORTED_TYPES or name in UNSUPPORTED_FIELDS.get(current.api_name, ()):
        raise ZohoError("INVALID_QUERY", {"column_name": text}, Message.COQL_UNSUPPORTED_COLUMN)
    kind = KIND_BY_TYPE.get(data_type, "other")
    listed = field.get("json_type") == "jsonarray" and kind != "multi"  # Tag: a list of its own
    if where and (data_type in NOT_IN_CRITERIA or kind == "other" or listed):
        raise ZohoError("INVALID_QUERY", {"column_name": text}, Message.COQL_UNSUPPORTED_CRITERIA)
    return FieldRef(text, tuple(hops), name, data_type, kind, name in current.key_fields)


# --- criteria -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    ref: FieldRef
    operator: str
    values: tuple[Any, ...]  # converted for the ref's kind; like: (pattern kind, text)


@dataclass(frozen=True)
class Combined:
    joiner: str
    parts: tuple[Bound, ...]


Bound = Term | Combined


def bind_where(node: grammar.Node, meta: ModuleMeta, modules: Modules) -> Bound:
    if len(grammar.conditions(node)) > LIMITS.criteria:
        raise limit_exceeded("where", LIMITS.criteria)
    return _bind(node, meta, modules)


def _bind(node: grammar.Node, meta: ModuleMeta, modules: Modules) -> Bound:
    if isinstance(node, grammar.Group):
        return Combined(node.joiner, tuple(_bind(part, meta, modules) for part in node.parts))
    return bind_condition(node, meta, modules)


def bind_condition(condition: grammar.Condition, meta: ModuleMeta, modules: Modules) -> Term:
    ref = resolve(condition.column, meta, modules, where=True)
    operator = condition.operator
    if operator not in OPERATORS_BY_KIND.get(ref.kind, frozenset()):
        raise invalid_operator(ref.text, operator)
    if operator.endswith("in") and len(condition.values) > LIMITS.in_values:
        raise limit_exceeded("in", LIMITS.in_values)
    if operator.endswith("like"):
        literal = condition.values[0]
        if not isinstance(literal.value, str) or not literal.value.strip("%"):
            raise invalid_value(ref.text, "text")
        return Term(ref, operator, like_pattern(literal.value))
    values = tuple(convert(ref, literal) for literal in condition.values)
    return Term(ref, operator, values)


def like_pattern(text: str) -> tuple[str, str]:
    """``'abc%'`` starts with, ``'%abc'`` ends with, ``'%abc%'`` contains, ``'abc'`` equals: the
    ``%`` at either end only are wildcards."""
    starts, ends = text.startswith("%"), text.endswith("%") and len(text) > 1
    core = text[1 if starts else 0 : len(text) - 1 if ends else len(text)]
    shape = {(False, True): "starts", (True, False): "ends", (True, True): "contains"}.get((starts, ends), "equals")
    return shape, core.lower()


_EXPECTED = {
    "text": "text",
    "multi": "text",
    "number": "double",
    "bigint": "bigint",
    "date": "date",
    "datetime": "datetime",
    "boolean": "boolean",
    "reference": "bigint",
    "id": "bigint",
}


def convert(ref: FieldRef, literal: grammar.Literal) -> Any:
    """A value as ``ref``'s kind compares it; INVALID_QUERY when it cannot be one."""
    kind, value = ref.kind, literal.value
    failed = invalid_value(ref.text, _EXPECTED.get(ref.kind, ref.data_type))
    if kind in ("text", "multi"):
        if isinstance(value, bool):
            raise failed
        return str(value).lower()
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise failed
    if isinstance(value, bool):
        raise failed
    if kind in ("reference", "id"):
        found = normalize_id(str(value))
        if found is None:
            raise failed
        return found
    if kind in ("number", "bigint"):
        try:
            number = Decimal(str(value).strip())
        except ArithmeticError:
            raise failed from None
        if not number.is_finite() or (kind == "bigint" and number != number.to_integral_value()):
            raise failed
        return int(number) if kind == "bigint" else number
    field_type = FIELD_TYPES[ref.data_type]
    try:
        checked = field_type.convert(str(value))
    except Invalid:
        raise failed from None
    if kind == "datetime":
        return datetime.fromisoformat(str(checked).replace("Z", "+00:00")).astimezone(UTC)
    return checked  # a date: yyyy-MM-dd


# --- the whole query --------------------------------------------------------------------------
@dataclass(frozen=True)
class Selected:
    """One select item: the response key, its column, and the aggregate applied (None: a value)."""

    key: str
    ref: FieldRef
    function: str | None


@dataclass(frozen=True)
class OrderKey:
    ref: FieldRef | None  # None: an aggregate, named by ``key``
    key: str
    descending: bool


@dataclass(frozen=True)
class BoundQuery:
    meta: ModuleMeta
    selected: tuple[Selected, ...]
    where: Bound
    group_by: tuple[FieldRef, ...]
    order_by: tuple[OrderKey, ...]
    limit: int
    offset: int

    @property
    def aggregated(self) -> bool:
        return bool(self.group_by) or any(item.function for item in self.selected)


def paging(query: grammar.Query) -> tuple[int, int]:
    """(limit, offset): defaults 200 and 0; LIMIT 1-2,000; OFFSET + LIMIT within 100,000."""
    limit = _whole(query.limit, "limit", Message.COQL_INVALID_LIMIT, LIMITS.default_limit)
    offset = _whole(query.offset, "offset", Message.COQL_INVALID_OFFSET, 0)
    if limit <= 0:
        raise ZohoError("INVALID_DATA", {}, Message.COQL_LIMIT_NOT_POSITIVE)
    if limit > LIMITS.per_call:
        raise limit_exceeded("limit", LIMITS.per_call)
    if offset < 0:
        raise ZohoError("INVALID_QUERY", {"offset": query.offset}, Message.COQL_INVALID_OFFSET)
    if offset + limit > LIMITS.reachable:
        raise limit_exceeded("offset", LIMITS.reachable)
    return limit, offset


def _whole(raw: str | None, name: str, message: Message, default: int) -> int:
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ZohoError("INVALID_QUERY", {name: raw}, message) from None


def bind(query: grammar.Query, meta: ModuleMeta, modules: Modules) -> BoundQuery:
    """The parsed query checked against the module (``meta``) and the modules its lookups reach."""
    if len(query.items) > LIMITS.select_columns:
        raise limit_exceeded("select", LIMITS.select_columns)
    if len(query.group_by) > LIMITS.group_by:
        raise limit_exceeded("group by", LIMITS.group_by)
    if len(query.order_by) > LIMITS.order_by:
        raise limit_exceeded("order by", LIMITS.order_by)
    selected = _select(query.items, meta, modules)
    where = bind_where(query.where, meta, modules)
    group_by = tuple(resolve(column, meta, modules, where=False) for column in query.group_by)
    _unique([ref.text for ref in group_by], "group by")
    if any(ref.hops for ref in group_by):
        raise invalid_column(next(ref.text for ref in group_by if ref.hops))
    aggregated = bool(group_by) or any(item.function for item in selected)
    if aggregated:
        grouped = {ref.text for ref in group_by}
        for item in selected:
            if item.function is None and item.ref.text not in grouped:
                details = {"column_name": item.ref.text, "reason": "column not present in group by"}
                raise ZohoError("INVALID_QUERY", details, Message.INVALID_QUERY)
    order_by = _order(query.order_by, selected, meta, modules, aggregated=aggregated)
    limit, offset = paging(query)
    return BoundQuery(meta, selected, where, group_by, order_by, limit, offset)


def _select(items: tuple[grammar.Item, ...], meta: ModuleMeta, modules: Modules) -> tuple[Selected, ...]:
    selected: list[Selected] = []
    for item in items:
        if item.alias is not None and item.alias.strip() == "":
            raise ZohoError("INVALID_ALIAS", {"column_name": item.expr.text, "alias": item.alias})
        column = item.expr.column if isinstance(item.expr, grammar.Aggregate) else item.expr
        ref = resolve(column, meta, modules, where=False)
        function = item.expr.function if isinstance(item.expr, grammar.Aggregate) else None
        if function is not None and ref.hops:  # aggregates read the module's own fields
            raise invalid_column(ref.text)
        summed = function in ("SUM", "AVG") and ref.kind not in SUMMED_KINDS
        if summed or (function in ("MIN", "MAX") and ref.kind not in ORDERED_KINDS):
            details = {"column_name": ref.text, "data_type": ref.data_type}
            raise ZohoError("INVALID_QUERY", details, Message.COQL_TYPE_NOT_SUPPORTED)
        selected.append(Selected(item.alias or item.expr.text, ref, function))
    _check_duplicates(items, selected)
    if sum(1 for item in selected if item.function) > LIMITS.aggregates:
        raise limit_exceeded("aggregate", LIMITS.aggregates)
    return tuple(selected)


def _check_duplicates(items: tuple[grammar.Item, ...], selected: list[Selected]) -> None:
    seen: set[tuple[str | None, str]] = set()
    for chosen in selected:
        mark = (chosen.function, chosen.ref.text)
        if mark in seen:
            if chosen.function:
                details = {"column_name": chosen.ref.text, "aggregate": chosen.function}
                raise ZohoError("DUPLICATE_DATA", details, Message.COQL_DUPLICATE_AGGREGATE)
            raise ZohoError("DUPLICATE_DATA", {"column_name": chosen.ref.text}, Message.COQL_DUPLICATE_COLUMN)
        seen.add(mark)
    plain = {item.expr.text for item in items if item.alias is None and isinstance(item.expr, grammar.Column)}
    referred: dict[str, list[str]] = {}
    for item in items:
        if item.alias is None:
            continue
        if item.alias in plain:
            details = {"column_name": item.expr.text, "alias": item.alias}
            raise ZohoError("INVALID_QUERY", details, Message.COQL_ALIAS_IS_COLUMN)
        referred.setdefault(item.alias, []).append(item.expr.text)
    for alias, columns in referred.items():
        if len(columns) > 1:
            raise ZohoError("DUPLICATE_ALIAS", {"referred_columns": columns, "alias": alias})


def _unique(names: list[str], clause: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ZohoError("DUPLICATE_DATA", {"column_name": name, "clause": clause})
        seen.add(name)


def _order(
    orders: tuple[grammar.Order, ...],
    selected: tuple[Selected, ...],
    meta: ModuleMeta,
    modules: Modules,
    *,
    aggregated: bool,
) -> tuple[OrderKey, ...]:
    _unique([order.column.text for order in orders], "order by")
    functions = {item.key: item for item in selected if item.function}
    keys: list[OrderKey] = []
    for order in orders:
        name = order.column.text
        if name in functions:
            keys.append(OrderKey(None, name, order.descending))
            continue
        ref = resolve(order.column, meta, modules, where=False)
        if aggregated and ref.text not in {item.ref.text for item in selected if item.function is None}:
            raise invalid_column(ref.text)
        keys.append(OrderKey(ref, ref.text, order.descending))
    return tuple(keys)


def select_query(body: Mapping[str, Any]) -> str:
    """The body's ``select_query``: MANDATORY_NOT_FOUND when absent, INVALID_DATA when not text."""
    if "select_query" not in body or body["select_query"] is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "select_query"}, Message.MANDATORY_KEY)
    value = body["select_query"]
    if not isinstance(value, str):
        details = {"expected_data_type": "text", "api_name": "select_query", "json_path": "$.select_query"}
        raise ZohoError("INVALID_DATA", details)
    return value


META_PARTS = ("fields",)


def include_meta(body: Mapping[str, Any]) -> bool:
    """``include_meta: ["fields"]`` (OASx example): the selected fields' metadata beside the data."""
    wanted = body.get("include_meta")
    if wanted is None:
        return False
    if not isinstance(wanted, list):
        whole = {"expected_data_type": "jsonarray", "api_name": "include_meta", "json_path": "$.include_meta"}
        raise ZohoError("INVALID_DATA", whole)
    for n, part in enumerate(wanted):
        if part not in META_PARTS:
            details: dict[str, Any] = {
                "api_name": "include_meta",
                "json_path": f"$.include_meta[{n}]",
                "supported_values": list(META_PARTS),
            }
            if not isinstance(part, str):
                details = {"expected_data_type": "text", **details}
            raise ZohoError("INVALID_DATA", details)
    return bool(wanted)
