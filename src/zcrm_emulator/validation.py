"""The one declarative validation engine: resources declare their input keys, this turns a payload
into Zoho's errors with Zoho's ``details`` (REFERENCE §1.7).

A resource writes a ``Spec`` — its ``Key``s (type, mandatory, lengths, pattern, choices, reserved
words, uniqueness, nested items) and cross-key ``Rule``s (``Requires``: a key needed when another has
a value -> DEPENDENT_FIELD_MISSING; ``OneOf``: at least one of some keys -> EXPECTED_FIELD_MISSING) —
and calls ``spec.check(item, json_path)``. The first problem is raised as a ``ZohoError``; batch
handlers catch it per item. Envelopes (``{"<key>": [items]}``) go through ``items_of``.

Types are a registry (``TYPES``) of checkers that also normalize (ids as strings, numbers as
numbers), so record field types (email, date, currency …) plug into the same engine.

Text anywhere in a value (strings, object keys, nested arrays) must be valid Unicode: a lone UTF-16
surrogate (JSON ``"\\ud800"``, which the body reader keeps) is INVALID_DATA for its key, since no
store and no UTF-8 reply can hold it. Numbers must be finite and fit a Java ``long`` (Zoho's own
number types): NaN, Infinity and ``1e400`` are INVALID_DATA with the key's ``expected_data_type``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from zcrm_emulator.errors import ErrorCode, Message, ZohoError
from zcrm_emulator.ids import normalize_id


class Invalid(Exception):
    """Raised by a type checker: the value is not of the type."""


@dataclass(frozen=True)
class TypeCheck:
    expected: str  # Zoho's ``expected_data_type`` name
    convert: Callable[[Any], Any]  # returns the normalized value or raises Invalid


LONG = (-(2**63), 2**63 - 1)  # Java's long: the widest whole number Zoho stores
_SURROGATE = re.compile("[\ud800-\udfff]")


def unpaired_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def holds_unpaired_surrogate(value: Any) -> bool:
    """True when a string anywhere in ``value`` (object keys included) holds a lone surrogate.
    Walked with a stack, not recursion: bodies are already bounded in depth, but this needs no bound."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if unpaired_surrogate(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def finite_number(value: Any) -> int | float:
    """A JSON number Zoho can hold: a float that is finite, or a whole number within a ``long``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid
    if isinstance(value, float) and not math.isfinite(value):
        raise Invalid
    if isinstance(value, int) and not LONG[0] <= value <= LONG[1]:
        raise Invalid
    return value


def _whole_number(value: Any) -> int:
    if not isinstance(value, int):
        raise Invalid
    return int(finite_number(value))


def _is(kind: type | tuple[type, ...]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise Invalid
        if not isinstance(value, kind):
            raise Invalid
        return value

    return convert


def _id(value: Any) -> str:
    normalized = normalize_id(value)
    if normalized is None:
        raise Invalid
    return normalized


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value.strip():
        raise Invalid
    return value


def _digits(value: Any) -> str:
    """A whole number written with digits only, sent as a JSON number or a string ("1003")."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value
    raise Invalid


TYPES: dict[str, TypeCheck] = {
    "string": TypeCheck("text", _is(str)),
    "integer": TypeCheck("integer", _whole_number),
    "double": TypeCheck("double", finite_number),
    "boolean": TypeCheck("boolean", _is(bool)),
    "object": TypeCheck("jsonobject", _is(dict)),
    "array": TypeCheck("jsonarray", _is(list)),
    "id": TypeCheck("bigint", _id),
    "url": TypeCheck("website", _url),
    "digits": TypeCheck("integer", _digits),
    "any": TypeCheck("text", lambda value: value),
}


def register_type(name: str, check: TypeCheck) -> None:
    """Add a value type (records register their field data types here)."""
    TYPES[name] = check


def at(json_path: str, api_name: str, **extra: Any) -> dict[str, Any]:
    """Zoho's field-level details: ``{"api_name", "json_path", ...}``."""
    return {"api_name": api_name, "json_path": f"{json_path}.{api_name}", **extra}


@dataclass(frozen=True)
class Key:
    name: str
    type: str = "string"
    mandatory: bool = False
    nullable: bool = False
    max_length: int | None = None
    min_length: int | None = None
    pattern: re.Pattern[str] | None = None
    choices: tuple[str, ...] | None = None
    max_items: int | None = None
    min_items: int | None = None
    items: Spec | None = None  # for arrays of objects, or the shape of an object
    reserved: frozenset[str] = frozenset()  # case-insensitive words refused with ``reserved_code``
    reserved_code: ErrorCode = "INVALID_DATA"  # e.g. RESERVED_KEYWORD_NOT_ALLOWED for module api names
    unique: bool = False  # checked through the caller's ``taken`` callback
    duplicate_message: Message | None = None  # Zoho's DUPLICATE_DATA message for this key, when it has one
    message: Message | None = None  # Zoho's message for INVALID_DATA on this key, when it has its own
    max_digits: int | None = None  # numbers: digits before the decimal point (INVALID_DATA maximum_length)
    # The value is the id of something that must exist (a record module, "users" …): checked
    # through the caller's ``exists`` callback -> INVALID_DATA "the id given seems to be invalid".
    reference: str | None = None
    # The code when the key is given but null or empty (default: MANDATORY_NOT_FOUND for mandatory
    # keys and arrays under ``min_items``), e.g. MINIMUM_DATA_NOT_FOUND for a module's ``profiles``.
    empty_code: ErrorCode | None = None


@dataclass(frozen=True)
class Requires:
    """``key`` is needed when ``dependee`` has one of ``values`` -> DEPENDENT_FIELD_MISSING."""

    key: str
    dependee: str
    values: tuple[Any, ...]
    message: Message = Message.REQUIRED_FIELD


@dataclass(frozen=True)
class OneOf:
    """At least one of ``keys`` must be present -> EXPECTED_FIELD_MISSING ``{expected_fields}``."""

    keys: tuple[str, ...]


Rule = Requires | OneOf
# ``taken(key, value)``: falsy when the value is free; truthy when in use, and a mapping of extra
# ``details`` (e.g. Zoho's ``duplicate_record``) when the caller has them.
Taken = Callable[[str, Any], bool | Mapping[str, Any] | None]
Exists = Callable[[str, Any], bool]


@dataclass(frozen=True)
class Spec:
    keys: tuple[Key, ...]
    rules: tuple[Rule, ...] = ()
    # When set, a key the spec does not declare is INVALID_DATA with this message (records: "the
    # field api name given seems to be invalid"); when None, undeclared keys pass through untouched.
    unknown: Message | None = None
    by_name: Mapping[str, Key] = field(init=False, repr=False, compare=False)
    mandatory: tuple[Key, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {k.name: k for k in self.keys})
        object.__setattr__(self, "mandatory", tuple(k for k in self.keys if k.mandatory))

    def check(
        self,
        item: Any,
        json_path: str,
        *,
        partial: bool = False,
        taken: Taken | None = None,
        context: Mapping[str, Any] | None = None,
        exists: Exists | None = None,
    ) -> dict[str, Any]:
        """Validate one item; returns it with values normalized. Raises the first ``ZohoError``.

        ``partial``: an update — mandatory keys may be absent (rules then read ``context``, the
        stored object the update applies to). ``taken(key, value)``: is a unique value in use?
        ``exists(reference, value)``: does the id a ``Key.reference`` key names exist?
        """
        if not isinstance(item, dict):
            raise ZohoError("INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"})
        if not partial:
            for key in self.mandatory:
                if _absent(item, key.name):
                    code = key.empty_code if key.empty_code and key.name in item else "MANDATORY_NOT_FOUND"
                    raise ZohoError(code, at(json_path, key.name))
        clean = dict(item)
        for name, value in item.items():
            declared = self.by_name.get(name)
            if declared is not None:
                clean[name] = _check_value(declared, value, json_path, taken, exists)
            elif self.unknown is not None:
                raise ZohoError("INVALID_DATA", at(json_path, name), self.unknown)
            elif holds_unpaired_surrogate(name) or holds_unpaired_surrogate(value):  # passed through: stored as sent
                raise ZohoError("INVALID_DATA", at(json_path, name))
        if self.rules:
            merged = {**(context or {}), **clean}
            for rule in self.rules:
                _check_rule(rule, merged, item, json_path)
        return clean


def _absent(item: Mapping[str, Any], name: str) -> bool:
    value = item.get(name)
    return value is None or (isinstance(value, str | list) and not value)


def _check_value(key: Key, value: Any, json_path: str, taken: Taken | None, exists: Exists | None = None) -> Any:
    if value is None:
        if key.nullable:
            return None
        if key.mandatory or key.empty_code:
            raise ZohoError(key.empty_code or "MANDATORY_NOT_FOUND", at(json_path, key.name))
        return None
    type_check = TYPES[key.type]
    try:
        if not isinstance(value, str | int | float | bool) and holds_unpaired_surrogate(value):
            raise Invalid
        value = type_check.convert(value)
    except Invalid:
        raise ZohoError(
            "INVALID_DATA", at(json_path, key.name, expected_data_type=type_check.expected), key.message
        ) from None
    if isinstance(value, str):
        _check_text(key, value, json_path)
    elif key.max_digits is not None and isinstance(value, int | float):
        _check_digits(key, value, json_path)
    if isinstance(value, list):
        value = _check_list(key, value, json_path, taken, exists)
    elif isinstance(value, dict) and key.items is not None:
        value = key.items.check(value, f"{json_path}.{key.name}", taken=taken, exists=exists)
    if key.reference is not None and exists is not None and not exists(key.reference, value):
        raise ZohoError("INVALID_DATA", at(json_path, key.name), key.message or Message.UNKNOWN_ID)
    if key.unique and taken is not None:
        hit = taken(key.name, value)
        if hit:
            extra = hit if isinstance(hit, Mapping) else {}
            raise ZohoError("DUPLICATE_DATA", {**at(json_path, key.name), **extra}, key.duplicate_message)
    return value


def _check_digits(key: Key, value: float, json_path: str) -> None:
    digits = len(str(abs(int(value))))
    if key.max_digits is not None and digits > key.max_digits:
        raise ZohoError("INVALID_DATA", at(json_path, key.name, maximum_length=key.max_digits), key.message)


def _check_text(key: Key, value: str, json_path: str) -> None:
    if unpaired_surrogate(value):
        expected = TYPES[key.type].expected
        raise ZohoError("INVALID_DATA", at(json_path, key.name, expected_data_type=expected), key.message)
    if key.min_length is not None and len(value.strip()) < key.min_length:
        raise ZohoError("INVALID_DATA", at(json_path, key.name, minimum_length=key.min_length), key.message)
    if key.max_length is not None and len(value) > key.max_length:
        raise ZohoError("INVALID_DATA", at(json_path, key.name, maximum_length=key.max_length), key.message)
    # Reserved words before the pattern: some (e.g. ``nearby_distance__s``) break the pattern too,
    # and Zoho reports them as reserved.
    if key.reserved and value.strip().lower() in key.reserved:
        own_message = key.message if key.reserved_code == "INVALID_DATA" else None
        raise ZohoError(key.reserved_code, at(json_path, key.name), own_message)
    if key.choices is not None and value not in key.choices:
        raise ZohoError("INVALID_DATA", at(json_path, key.name, supported_values=list(key.choices)), key.message)
    if key.pattern is not None and not key.pattern.fullmatch(value):
        raise ZohoError("INVALID_DATA", at(json_path, key.name), key.message)


def _check_list(
    key: Key, value: list[Any], json_path: str, taken: Taken | None, exists: Exists | None = None
) -> list[Any]:
    if key.min_items is not None and len(value) < key.min_items:
        raise ZohoError(key.empty_code or "MANDATORY_NOT_FOUND", at(json_path, key.name))
    if key.max_items is not None and len(value) > key.max_items:
        raise ZohoError("LIMIT_EXCEEDED", at(json_path, key.name, limit=key.max_items))
    if key.choices is not None and any(element not in key.choices for element in value):
        raise ZohoError("INVALID_DATA", at(json_path, key.name, supported_values=list(key.choices)), key.message)
    if key.items is None:
        return value
    return [
        key.items.check(element, f"{json_path}.{key.name}[{i}]", taken=taken, exists=exists)
        for i, element in enumerate(value)
    ]


def _check_rule(rule: Rule, merged: Mapping[str, Any], item: Mapping[str, Any], json_path: str) -> None:
    if isinstance(rule, OneOf):
        if all(_absent(merged, name) for name in rule.keys):
            raise ZohoError("EXPECTED_FIELD_MISSING", {"expected_fields": list(rule.keys), "json_path": json_path})
        return
    if merged.get(rule.dependee) in rule.values and _absent(merged, rule.key):
        details = at(json_path, rule.key)
        details["dependee"] = at(json_path, rule.dependee)
        raise ZohoError("DEPENDENT_FIELD_MISSING", details, rule.message)


def items_of(body: Mapping[str, Any], key: str, *, max_items: int | None = None, min_items: int = 1) -> list[Any]:
    """The array under the envelope key: MANDATORY_NOT_FOUND when absent or empty, INVALID_DATA when
    not an array, LIMIT_EXCEEDED past ``max_items`` (request-level errors: no item is processed)."""
    if key not in body or body[key] is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": key, "json_path": f"$.{key}"})
    items = body[key]
    if not isinstance(items, list):
        raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": f"$.{key}", "expected_data_type": "jsonarray"})
    if len(items) < min_items:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": key, "json_path": f"$.{key}"})
    if max_items is not None and len(items) > max_items:
        raise ZohoError("LIMIT_EXCEEDED", {"api_name": key, "json_path": f"$.{key}", "limit": max_items})
    return items


def check_limit(
    count_after: int,
    limit: int,
    *,
    limit_due_to: Any = None,
    api_name: str | None = None,
    message: Message | None = None,
) -> None:
    """LIMIT_EXCEEDED ``{limit, limit_due_to}`` when a create would pass an edition or resource limit
    (``limit_due_to`` left out when None: custom modules answer ``{limit}`` alone)."""
    if count_after > limit:
        details: dict[str, Any] = {"limit": limit}
        if limit_due_to is not None:
            details["limit_due_to"] = limit_due_to
        if api_name is not None:
            details["api_name"] = api_name
        raise ZohoError("LIMIT_EXCEEDED", details, message)


def only_item_of(body: Mapping[str, Any], key: str) -> Any:
    """The one item of an envelope that takes exactly one (unsubscribe links, custom module create):
    ``items_of``'s errors, and INVALID_DATA ``{maximum_length: 1}`` for more than one."""
    items = items_of(body, key)
    if len(items) > 1:
        raise ZohoError("INVALID_DATA", {"maximum_length": 1, "api_name": key, "json_path": f"$.{key}"})
    return items[0]
