"""The criteria of workflow conditions and field-update triggers (AUTOMATION.md §3.4): checking them
as a request gives them, and evaluating them on a record as it is stored.

A criterion is a leaf ``{field{api_name,id}, comparator, value, type}`` or a group
``{group_operator: AND|OR (any case), group[2..25]}``, nestable. Placeholders: ``${EMPTY}`` and
``${NOTEMPTY}``; ``${CURRENTUSER}`` (as ``{"name": "${CURRENTUSER}"}`` too) for user fields;
``${ANYVALUE}`` in a field-update trigger (any change of the field); date tokens ``${TODAY}``,
``${YESTERDAY}``, ``${TOMORROW}`` and ``${LAST_N_DAYS:n}``/``${NEXT_N_DAYS:n}`` (also ``_WEEKS``,
``_MONTHS``, ``_YEARS``). A criterion the emulator cannot evaluate on a stored record (other tokens,
``${CURRENTUSERROLE}``) is kept as written and does not match (docs/decisions.md). Plain functions.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from zcrm_emulator.automation import refs, timing
from zcrm_emulator.clock import parse_iso
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.record_model import field_type

log = logging.getLogger("zcrm_emulator.automation.criteria")

COMPARATORS = (
    "equal",
    "not_equal",
    "like",
    "not_like",
    "starts_with",
    "ends_with",
    "contains",
    "not_contains",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
    "in",
    "not_in",
    "include_all",
    "include_any",
    "exclude_all",
    "exclude_any",
)
GROUP_OPERATORS = ("AND", "OR")
GROUP_MIN, GROUP_MAX = 2, 25
MAX_DEPTH = 32  # as search criteria: ten conditions never need more, and checking recurses per level
VALUE_MAX = 500  # values in one leaf (not_equal/in lists)
EMPTY, NOT_EMPTY, ANY_VALUE, CURRENT_USER = "${EMPTY}", "${NOTEMPTY}", "${ANYVALUE}", "${CURRENTUSER}"
_RANGE = re.compile(r"\$\{(LAST|NEXT)_N_(DAYS|WEEKS|MONTHS|YEARS):(\d{1,4})\}")
NUMBERS = frozenset({"integer", "bigint", "long", "double", "currency", "percent"})
REFERENCES = frozenset({"lookup", "ownerlookup", "userlookup", "layout"})

Fields = Mapping[str, Mapping[str, Any]]


# --- checking a request's criteria ----------------------------------------------------------------


def _invalid(json_path: str, key: str, message: Message | None = None, **extra: Any) -> ZohoError:
    return ZohoError("INVALID_DATA", {"api_name": key, "json_path": f"{json_path}.{key}", **extra}, message)


def check(value: Any, json_path: str, fields: Fields, *, any_value: bool = False, depth: int = 0) -> dict[str, Any]:
    """The criterion at ``json_path`` in stored form; raises Zoho's error for the first problem.
    ``any_value``: ``${ANYVALUE}`` is allowed (field-update triggers)."""
    if not isinstance(value, Mapping):
        raise ZohoError(
            "INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"}, Message.INVALID_DATA_TYPE
        )
    if depth > MAX_DEPTH:
        raise ZohoError("INVALID_DATA", {"json_path": json_path})
    if "group" in value or "group_operator" in value:
        return _check_group(value, json_path, fields, any_value, depth)
    return _check_leaf(value, json_path, fields, any_value)


def _check_group(
    value: Mapping[str, Any], json_path: str, fields: Fields, any_value: bool, depth: int
) -> dict[str, Any]:
    operator = value.get("group_operator")
    if operator in (None, ""):
        raise ZohoError(
            "MANDATORY_NOT_FOUND",
            {"api_name": "group_operator", "json_path": f"{json_path}.group_operator"},
            Message.REQUIRED_FIELD_MISSING,
        )
    if not isinstance(operator, str) or operator.upper() not in GROUP_OPERATORS:
        raise _invalid(json_path, "group_operator", supported_values=list(GROUP_OPERATORS))
    group = value.get("group")
    if not isinstance(group, list):
        raise _invalid(json_path, "group", Message.INVALID_DATA_TYPE, expected_data_type="jsonarray")
    if len(group) > GROUP_MAX:
        raise ZohoError(
            "LIMIT_EXCEEDED",
            {"api_name": "group", "json_path": f"{json_path}.group", "limit": GROUP_MAX},
            Message.CRITERIA_FIELDS_LIMIT,
        )
    if len(group) < GROUP_MIN:
        raise _invalid(json_path, "group")
    items = [
        check(item, f"{json_path}.group[{i}]", fields, any_value=any_value, depth=depth + 1)
        for i, item in enumerate(group)
    ]
    return {"group_operator": operator, "group": items}


def _check_leaf(value: Mapping[str, Any], json_path: str, fields: Fields, any_value: bool) -> dict[str, Any]:
    for key in ("field", "comparator"):
        if value.get(key) in (None, ""):
            raise ZohoError(
                "MANDATORY_NOT_FOUND",
                {"api_name": key, "json_path": f"{json_path}.{key}"},
                Message.REQUIRED_FIELD_MISSING,
            )
    field = refs.field_of(value["field"], json_path, "field", fields, unknown=Message.UNKNOWN_FIELD)
    comparator = value["comparator"]
    if comparator not in COMPARATORS:
        raise _invalid(json_path, "comparator", supported_values=list(COMPARATORS))
    if "value" not in value:
        raise ZohoError(
            "MANDATORY_NOT_FOUND",
            {"api_name": "value", "json_path": f"{json_path}.value"},
            Message.REQUIRED_FIELD_MISSING,
        )
    compared = value["value"]
    if not _value_shape_ok(compared) or (compared == ANY_VALUE and not any_value):
        raise _invalid(json_path, "value")
    if comparator in ("between", "not_between") and not (isinstance(compared, list) and len(compared) == 2):
        raise _invalid(json_path, "value")
    kind = value.get("type", "value")
    return {"comparator": comparator, "field": refs.short(field), "type": kind, "value": compared}


def _value_shape_ok(value: Any) -> bool:
    """A value, a list of up to ``VALUE_MAX`` values (in, between …), or a ``{name}``/``{id}`` object
    (user placeholders, lookups)."""
    if isinstance(value, list):
        return 0 < len(value) <= VALUE_MAX and all(isinstance(v, str | int | float | bool | dict) for v in value)
    return isinstance(value, str | int | float | bool | dict)


def fields_in(criterion: Mapping[str, Any] | None) -> list[str]:
    """Every field api name a stored criterion names, in order."""
    if not criterion:
        return []
    if "group" in criterion:
        return [name for item in criterion["group"] for name in fields_in(item)]
    return [criterion["field"]["api_name"]]


def canonical(criterion: Mapping[str, Any] | None) -> str:
    """A stored criterion as comparable text: two conditions with the same text are duplicates."""
    if not criterion:
        return "-"
    if "group" in criterion:
        return f"{criterion['group_operator'].upper()}({','.join(canonical(c) for c in criterion['group'])})"
    return f"{criterion['field']['api_name']}:{criterion['comparator']}:{criterion['value']!r}"


# --- evaluating on a stored record ----------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a criterion is evaluated against besides the record: now, the org's time zone, and the
    user whose write triggered the rule (``${CURRENTUSER}``)."""

    now_ms: int
    tz: str
    actor: str


def matches(criterion: Mapping[str, Any] | None, record: Mapping[str, Any], fields: Fields, ctx: Context) -> bool:
    """Does the record (its stored form: field api name -> stored value) meet the criterion? No
    criterion matches every record."""
    if not criterion:
        return True
    if "group" in criterion:
        results = (matches(item, record, fields, ctx) for item in criterion["group"])
        return all(results) if criterion["group_operator"].upper() == "AND" else any(results)
    name = criterion["field"]["api_name"]
    meta = fields.get(name)
    if meta is None:
        return False
    try:
        return _leaf(criterion["comparator"], criterion["value"], record.get(name), meta, ctx)
    except (TypeError, ValueError):
        log.debug("criterion on %s cannot be evaluated: %r", name, criterion)
        return False


def is_empty(stored: Any) -> bool:
    return stored is None or stored == "" or stored == [] or stored == {}


def _leaf(comparator: str, value: Any, stored: Any, meta: Mapping[str, Any], ctx: Context) -> bool:
    if value == ANY_VALUE:
        return True
    if value in (EMPTY, NOT_EMPTY):
        wants_empty = (value == EMPTY) == (comparator not in ("not_equal", "not_like", "not_contains"))
        return bool(is_empty(stored) == wants_empty)
    kind = field_type(dict(meta)).name
    if kind in NUMBERS:
        return _compare(comparator, _number(stored), [_number(v) for v in _values(value)])
    if kind == "boolean":
        truth = [_boolean(v) for v in _values(value)]
        return _compare(comparator, bool(stored), truth)
    if kind == "date":
        return _dates(comparator, value, stored, ctx)
    if kind == "datetime":
        return _datetimes(comparator, value, stored, ctx)
    if kind in REFERENCES:
        ids = [_reference(v, ctx) for v in _values(value)]
        return _compare(comparator, stored, ids)
    if kind == "multiselectpicklist":
        return _multi(
            comparator, [str(s).casefold() for s in stored or []], [str(v).casefold() for v in _values(value)]
        )
    return _text(
        comparator, "" if stored is None else str(stored).casefold(), [str(v).casefold() for v in _values(value)]
    )


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "false"):
        return str(value).lower() == "true"
    raise ValueError(value)


def _reference(value: Any, ctx: Context) -> str:
    if isinstance(value, Mapping):
        value = value.get("id") or value.get("name")
    text = str(value)
    return ctx.actor if text == CURRENT_USER else text


ORDERED: dict[str, Callable[[Any, Any], bool]] = {
    "less_than": lambda a, b: a < b,
    "less_equal": lambda a, b: a <= b,
    "greater_than": lambda a, b: a > b,
    "greater_equal": lambda a, b: a >= b,
}


def _compare(comparator: str, stored: Any, values: Sequence[Any]) -> bool:
    """Equality, order and ranges on values of one type (None: no value, which no order holds for)."""
    if comparator in ("equal", "in", "like", "contains"):
        return stored in values
    if comparator in ("not_equal", "not_in", "not_like", "not_contains"):
        return stored not in values
    if stored is None or not values or values[0] is None:
        return False
    if comparator in ORDERED:
        return ORDERED[comparator](stored, values[0])
    if comparator in ("between", "not_between"):
        low, high = sorted(values[:2])
        inside = low <= stored <= high
        return inside if comparator == "between" else not inside
    raise ValueError(comparator)


def _text(comparator: str, stored: str, values: list[str]) -> bool:
    if comparator in ("equal", "in"):
        return stored in values
    if comparator in ("not_equal", "not_in"):
        return stored not in values
    if comparator in ("like", "contains"):
        return any(v in stored for v in values)
    if comparator in ("not_like", "not_contains"):
        return not any(v in stored for v in values)
    if comparator == "starts_with":
        return any(stored.startswith(v) for v in values)
    if comparator == "ends_with":
        return any(stored.endswith(v) for v in values)
    return _compare(comparator, stored, values)


def _multi(comparator: str, stored: list[str], values: list[str]) -> bool:
    hits = [v in stored for v in values]
    if comparator in ("equal", "in", "contains", "like", "include_any"):
        return any(hits)
    if comparator in ("not_equal", "not_in", "not_contains", "not_like", "exclude_all"):
        return not any(hits)
    if comparator == "include_all":
        return all(hits)
    if comparator == "exclude_any":
        return not all(hits)
    raise ValueError(comparator)


def _day_range(token: str, ctx: Context) -> tuple[date, date] | None:
    """The days a date token stands for (inclusive), or None when it is not one we know."""
    today = timing.today(ctx.now_ms, ctx.tz)
    fixed = {"${TODAY}": 0, "${YESTERDAY}": -1, "${TOMORROW}": 1}
    if token in fixed:
        day = today + timedelta(days=fixed[token])
        return day, day
    found = _RANGE.fullmatch(token)
    if found is None:
        return None
    direction, unit, count = found.group(1), found.group(2), int(found.group(3))
    span = {"DAYS": timedelta(days=count), "WEEKS": timedelta(weeks=count)}.get(unit)
    if span is not None:
        other = today - span if direction == "LAST" else today + span
    else:
        months = count if unit == "MONTHS" else count * 12
        other = timing.add_months(today, -months if direction == "LAST" else months)
    return (other, today) if direction == "LAST" else (today, other)


def _dates(comparator: str, value: Any, stored: Any, ctx: Context) -> bool:
    day = date.fromisoformat(stored) if isinstance(stored, str) and stored else None
    return _in_days(comparator, value, day, ctx)


def _datetimes(comparator: str, value: Any, stored: Any, ctx: Context) -> bool:
    moment = parse_iso(stored) if isinstance(stored, str) and stored else None
    tokens = _values(value)
    if all(isinstance(v, str) and v.startswith("${") for v in tokens):
        return _in_days(comparator, value, timing.local(moment, ctx.tz).date() if moment is not None else None, ctx)
    return _compare(comparator, moment, [parse_iso(str(v)) for v in tokens])


def _in_days(comparator: str, value: Any, day: date | None, ctx: Context) -> bool:
    tokens = _values(value)
    if len(tokens) == 1 and isinstance(tokens[0], str) and tokens[0].startswith("${"):
        span = _day_range(tokens[0], ctx)
        if span is None:
            raise ValueError(tokens[0])
        low, high = span
        if comparator in ("equal", "between"):
            return day is not None and low <= day <= high
        if comparator in ("not_equal", "not_between"):
            return day is None or not low <= day <= high
        bound = low if comparator in ("less_than", "greater_equal") else high
        return _compare(comparator, day, [bound])
    days = [date.fromisoformat(str(v)[:10]) for v in tokens]
    return _compare(comparator, day, days)


def changed_matches(
    criterion: Mapping[str, Any], changed: Mapping[str, Any], record: Mapping[str, Any], fields: Fields, ctx: Context
) -> bool:
    """A field-update trigger's criterion on one edit: each leaf's field must be among the ``changed``
    ones and its new value meet the leaf (``${ANYVALUE}``: any new value)."""
    if "group" in criterion:
        results = (changed_matches(item, changed, record, fields, ctx) for item in criterion["group"])
        return all(results) if criterion["group_operator"].upper() == "AND" else any(results)
    name = criterion["field"]["api_name"]
    return name in changed and matches(criterion, record, fields, ctx)
