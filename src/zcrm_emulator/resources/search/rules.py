"""What a record search means: Zoho's limits, which operators each field type takes, how values are
read, and the exact matching rule of every operator (REFERENCE §4.9, §4.10; Zoho doc page "Search
Records" v8; OAS ``module_search.json`` "Search module", ``record_count.json`` "Get Count").

Plain functions over plain data (no HTTP, no SQL). ``criteria.parse`` gives the tree; ``bind`` checks
it against the module's field metadata and converts the values; ``matches`` decides whether one
stored record is a hit. ``search_repo`` narrows the candidates in SQL first and calls ``matches``
where SQL cannot say exactly what Zoho means.

Matching, as Zoho describes it and as the emulator does it (docs/decisions.md):

* Text is matched by **words**, the way a search index sees it: a value is cut into words at spaces
  and at ``{ } [ ] ^ : - / ! ? * _ @`` (and other punctuation; ``.`` and ``'`` only split when not
  between letters or digits), case-insensitively. ``equals`` finds values that contain the searched
  words in that order — so ``ABC`` finds "ABC Inc." and ``sales-team@zoho.com`` also finds
  "sales_team@zoho.com" (Zoho's "loose matching" of special characters) — and ``starts_with`` finds
  values whose words begin with them.
* Phone numbers are matched by their digits: the searched digits appear in the number.
* Picklists and autonumbers match whole values (case-insensitively): ``equals`` is not "contains".
* Numbers, dates and date-times compare as numbers, dates and instants.
* ``not_equal`` is the exact complement of ``equals`` (empty values included); ``in`` and a value
  list (unescaped commas) mean "any of them".
* ``Tag`` takes ``equals``, ``not_equal`` and ``in`` with tag names: a record matches when it carries
  the module's tag of that name (case-insensitively, by the tag's id, so a renamed tag is found by its
  new name); a name no tag has matches nothing (docs/decisions.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import FIELD_TYPES, compared_type, words
from zcrm_emulator.resources.search import criteria as grammar
from zcrm_emulator.resources.tags.rules import name_key
from zcrm_emulator.validation import Invalid


@dataclass(frozen=True)
class SearchLimits:
    """Zoho's search limits (REFERENCE §4.9; §9 #23 for the condition count)."""

    conditions: int = 10
    criteria_length: int = 3000
    in_values: int = 100
    results: int = 2000
    per_page: int = 200
    word_min_length: int = 2
    phone_min_length: int = 3
    email_max_length: int = 255
    phone_max_length: int = 50
    word_max_length: int = 100


LIMITS = SearchLimits()

# Only one search parameter is used, the first of these present (REFERENCE §4.9 "precedence").
SEARCH_PARAMS = ("criteria", "email", "phone", "word")

# --- operators per field type (the §4.9 table) ---------------------------------------------------
EQUALITY = ("equals", "not_equal")
ORDERED = (*EQUALITY, "greater_than", "greater_equal", "less_than", "less_equal", "between", "in")
OPERATORS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "text": (*EQUALITY, "starts_with", "in"),
    "mediumtext": (*EQUALITY, "starts_with", "in"),
    "email": (*EQUALITY, "starts_with", "in"),
    "phone": (*EQUALITY, "starts_with", "in"),
    "website": (*EQUALITY, "starts_with", "in"),
    "textarea": (*EQUALITY, "starts_with"),
    "picklist": (*EQUALITY, "in"),
    "autonumber": (*EQUALITY, "in"),
    "multiselectpicklist": (*EQUALITY, "in", "starts_with"),
    "lookup": (*EQUALITY, "in"),
    "ownerlookup": (*EQUALITY, "in"),
    "userlookup": (*EQUALITY, "in"),
    "boolean": EQUALITY,
    **{name: ORDERED for name in ("date", "datetime", "integer", "bigint", "long", "currency", "double", "percent")},
}
ENCRYPTED_OPERATORS = ("equals",)  # "The only operator supported for encrypted fields is equals."
# The records' tags (a list of ``{name, id}``): searched by tag name, matched by the tag's id.
TAG_FIELD = "Tag"
TAG_OPERATORS = ("equals", "not_equal", "in")
ALL_OPERATORS = frozenset(op for ops in OPERATORS_BY_TYPE.values() for op in ops)

# How values of each data type are compared: the matching family (see the module docstring).
KIND_BY_TYPE: dict[str, str] = {
    **{name: "words" for name in ("text", "mediumtext", "email", "website", "textarea")},
    "phone": "digits",
    "picklist": "exact",
    "autonumber": "exact",
    "multiselectpicklist": "multi",
    **{name: "number" for name in ("integer", "bigint", "long", "currency", "double", "percent")},
    "date": "date",
    "datetime": "datetime",
    "boolean": "boolean",
    **{name: "reference" for name in ("lookup", "ownerlookup", "userlookup")},
}

# --- errors (INVALID_QUERY shapes from module_search.json; reason wording: docs/decisions.md) -----


def unknown_field(api_name: str) -> ZohoError:
    return ZohoError("INVALID_QUERY", {"api_name": api_name, "reason": "invalid field found"}, Message.INVALID_QUERY)


def invalid_operator(api_name: str, operator: str) -> ZohoError:
    details = {"api_name": api_name, "operator": operator, "reason": "invalid operator found"}
    return ZohoError("INVALID_QUERY", details, Message.INVALID_QUERY)


def invalid_type(api_name: str, expected: str) -> ZohoError:
    details = {"api_name": api_name, "expected_data_type": expected, "reason": "invalid data type found"}
    return ZohoError("INVALID_QUERY", details, Message.INVALID_QUERY)


def invalid_value(api_name: str, raw: str) -> ZohoError:
    details = {"api_name": api_name, "value": raw, "reason": "invalid value found"}
    return ZohoError("INVALID_QUERY", details, Message.INVALID_QUERY)


def too_many_conditions() -> ZohoError:
    return ZohoError("CRITERIA_LIMIT_EXCEEDED", {}, Message.CRITERIA_LIMIT, limit=LIMITS.conditions)


# --- words and digits ------------------------------------------------------------------------------
_NOT_DIGIT = re.compile(r"\D+")


def digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def contains_phrase(value: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(value[i : i + size] == phrase for i in range(len(value) - size + 1))


def starts_with_phrase(value: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """The value's first words are the phrase, its last word possibly cut short (``M`` finds "Mary")."""
    if not phrase or len(value) < len(phrase):
        return False
    return value[: len(phrase) - 1] == phrase[:-1] and value[len(phrase) - 1].startswith(phrase[-1])


# --- bound criteria ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """A condition checked against the metadata, with its values converted for its ``kind``."""

    field: str  # the field's api_name (``Owner.id`` is bound to ``Owner``)
    data_type: str  # the type compared (a formula's return type)
    kind: str
    operator: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Combined:
    joiner: str  # "and" | "or"
    parts: tuple[Bound, ...]


Bound = Term | Combined
FieldsByName = Mapping[str, Mapping[str, Any]]


def bind(node: grammar.Node, fields: FieldsByName) -> Bound:
    """Check a parsed criteria against the module's fields (metadata objects by api_name)."""
    if sum(1 for _ in grammar.conditions(node)) > LIMITS.conditions:
        raise too_many_conditions()
    return _bind(node, fields)


def parse_criteria(text: str, fields: FieldsByName) -> Bound:
    """The ``criteria`` param, from string to bound tree, with every Zoho error on the way."""
    if len(text) > LIMITS.criteria_length:
        raise ZohoError("INVALID_DATA", {"param_name": "criteria", "maximum_length": LIMITS.criteria_length})
    return bind(grammar.parse(text), fields)


def _bind(node: grammar.Node, fields: FieldsByName) -> Bound:
    if isinstance(node, grammar.Group):
        return Combined(node.joiner, tuple(_bind(part, fields) for part in node.parts))
    return bind_condition(node, fields)


def _field_of(name: str, fields: FieldsByName) -> tuple[str, Mapping[str, Any]]:
    base, _, sub = name.partition(".")
    field = fields.get(base)
    if field is None or (sub and (sub != "id" or KIND_BY_TYPE.get(str(field.get("data_type"))) != "reference")):
        raise unknown_field(name)
    return base, field


# Formula return types that are not field data type names.
def bind_condition(condition: grammar.Condition, fields: FieldsByName) -> Term:
    api_name, field = _field_of(condition.field, fields)
    data_type = compared_type(field)
    allowed = ENCRYPTED_OPERATORS if field.get("crypt") else OPERATORS_BY_TYPE.get(data_type, ())
    kind = KIND_BY_TYPE.get(data_type)
    listed = field.get("json_type") == "jsonarray"
    if api_name == TAG_FIELD and listed:
        return _tag_term(condition)
    # Any other list-valued field that is not a multi-select has no searchable value.
    if condition.operator not in allowed or kind is None or listed != (kind == "multi"):
        raise invalid_operator(condition.field, condition.operator)
    values = condition.values
    if condition.operator == "in" and len(values) > LIMITS.in_values:
        raise ZohoError("INVALID_QUERY", {"api_name": condition.field}, Message.IN_LIMIT)
    if condition.operator == "between" and len(values) != 2:
        raise invalid_value(condition.field, condition.raw_value)
    if condition.operator in ORDER_OPERATORS and len(values) != 1:
        raise invalid_value(condition.field, condition.raw_value)
    if not all(values):
        raise invalid_value(condition.field, condition.raw_value)
    converted = tuple(convert_value(kind, data_type, condition.field, value) for value in values)
    if kind in ("words", "digits") and not all(converted):  # only punctuation: nothing to look for
        raise invalid_value(condition.field, condition.raw_value)
    return Term(api_name, data_type, kind, condition.operator, converted)


ORDER_OPERATORS = ("greater_than", "greater_equal", "less_than", "less_equal")


def _tag_term(condition: grammar.Condition) -> Term:
    """``Tag`` with tag names, case-folded; ``resolve_tags`` turns them into the tags' ids."""
    if condition.operator not in TAG_OPERATORS:
        raise invalid_operator(condition.field, condition.operator)
    values = condition.values
    if condition.operator == "in" and len(values) > LIMITS.in_values:
        raise ZohoError("INVALID_QUERY", {"api_name": condition.field}, Message.IN_LIMIT)
    if (condition.operator != "in" and len(values) != 1) or not all(name_key(v) for v in values):
        raise invalid_value(condition.field, condition.raw_value)
    return Term(TAG_FIELD, "text", "tag", condition.operator, tuple(dict.fromkeys(name_key(v) for v in values)))


def tag_names(bound: Bound) -> set[str]:
    """The case-folded tag names a bound criteria searches for."""
    return {value for term in terms(bound) if term.kind == "tag" for value in term.values}


def resolve_tags(bound: Bound, ids_by_name: Mapping[str, str]) -> Bound:
    """The criteria with each ``Tag`` term's names replaced by the ids of the module's tags of those
    names (a name no tag has drops out: ``equals`` it then matches nothing, ``not_equal`` everything)."""
    if isinstance(bound, Combined):
        return Combined(bound.joiner, tuple(resolve_tags(part, ids_by_name) for part in bound.parts))
    if bound.kind != "tag":
        return bound
    found = tuple(ids_by_name[name] for name in bound.values if name in ids_by_name)
    return Term(bound.field, bound.data_type, bound.kind, bound.operator, found)


def convert_value(kind: str, data_type: str, api_name: str, raw: str) -> Any:
    """A criteria value as the matcher of ``kind`` compares it; INVALID_QUERY when it cannot be one."""
    if kind == "words":
        return words(raw)
    if kind == "digits":
        return digits(raw)
    if kind in ("exact", "multi"):
        return raw.lower()
    if kind == "reference":
        reference = normalize_id(raw)
        if reference is None:
            raise invalid_type(api_name, "bigint")
        return reference
    if kind == "boolean":
        if raw.lower() not in ("true", "false"):
            raise invalid_type(api_name, "boolean")
        return raw.lower() == "true"
    field_type = FIELD_TYPES[data_type]
    try:
        value = field_type.convert(raw)
    except Invalid:
        raise invalid_type(api_name, field_type.expected) from None
    if kind == "number":
        return Decimal(str(value))
    if kind == "datetime":
        return instant(value)
    return value  # date: yyyy-MM-dd


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


# --- the exact matching rule ----------------------------------------------------------------------
def _number(stored: Any) -> Decimal | None:
    if stored is None or isinstance(stored, bool):
        return None
    try:
        return Decimal(str(stored))
    except InvalidOperation:
        return None


def _moment(stored: Any) -> datetime | None:
    if not isinstance(stored, str):
        return None
    try:
        return instant(stored)
    except ValueError:
        return None


def _text(stored: Any) -> str | None:
    return stored if isinstance(stored, str) and stored else None


# Each kind: how a stored value is read for comparison (None: empty).
READERS: dict[str, Callable[[Any], Any]] = {
    "words": lambda v: words(v) if _text(v) else None,
    "digits": lambda v: digits(v) if _text(v) else None,
    "exact": lambda v: v.lower() if _text(v) else None,
    "multi": lambda v: [str(e).lower() for e in v] if isinstance(v, list) and v else None,
    "number": _number,
    "date": _text,
    "datetime": _moment,
    "boolean": lambda v: v if isinstance(v, bool) else None,
    "reference": lambda v: str(v) if v not in (None, "") else None,
    "tag": lambda v: ({str(e.get("id")) for e in v if isinstance(e, dict)} or None) if isinstance(v, list) else None,
}


def _equals(kind: str, stored: Any, wanted: Any) -> bool:
    if kind == "words":
        return contains_phrase(stored, wanted)
    if kind == "digits":
        return wanted in stored
    if kind in ("multi", "tag"):
        return wanted in stored
    return bool(stored == wanted)


def _starts(kind: str, stored: Any, wanted: Any) -> bool:
    if kind == "words":
        return starts_with_phrase(stored, wanted)
    if kind == "digits":
        return bool(stored.startswith(wanted))
    if kind == "multi":
        return any(element.startswith(wanted) for element in stored)
    return False


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "greater_than": lambda s, w: s > w,
    "greater_equal": lambda s, w: s >= w,
    "less_than": lambda s, w: s < w,
    "less_equal": lambda s, w: s <= w,
}


def term_matches(term: Term, stored_raw: Any) -> bool:
    stored = READERS[term.kind](stored_raw)
    if term.operator == "not_equal":
        return stored is None or not any(_equals(term.kind, stored, w) for w in term.values)
    if stored is None:
        return False
    if term.operator in ("equals", "in"):
        return any(_equals(term.kind, stored, w) for w in term.values)
    if term.operator == "starts_with":
        return any(_starts(term.kind, stored, w) for w in term.values)
    if term.operator == "between":
        low, high = term.values
        return bool(low <= stored <= high)
    return _COMPARE[term.operator](stored, term.values[0])


Getter = Callable[[str], Any]


def matches(bound: Bound, get: Getter) -> bool:
    """Does the record whose stored values ``get(api_name)`` returns satisfy the criteria?"""
    if isinstance(bound, Term):
        return term_matches(bound, get(bound.field))
    if bound.joiner == "and":
        return all(matches(part, get) for part in bound.parts)
    return any(matches(part, get) for part in bound.parts)


def terms(bound: Bound) -> Iterable[Term]:
    if isinstance(bound, Term):
        yield bound
        return
    for part in bound.parts:
        yield from terms(part)


# --- the email / phone / word params as criteria over the module's fields -------------------------
def fields_of_kind(fields: FieldsByName, data_types: tuple[str, ...]) -> list[str]:
    return [name for name, field in fields.items() if compared_type(field) in data_types]


SEARCHABLE_BY_WORD = ("text", "mediumtext", "textarea", "email", "website", "phone", "picklist", "autonumber")


def any_field(names: list[str], kind: str, data_type: str, value: Any) -> Bound:
    """``value`` found in any of the fields: an ``or`` of ``equals`` terms."""
    parts = tuple(Term(name, data_type, kind, "equals", (value,)) for name in names)
    return parts[0] if len(parts) == 1 else Combined("or", parts)


def email_search(raw: str, fields: FieldsByName) -> Bound | None:
    """``email=``: any email field contains the address's words (partial and domain searches work)."""
    wanted = words(raw.strip())
    if len(raw) > LIMITS.email_max_length or not wanted:
        raise ZohoError("INVALID_DATA", {"param_name": "email"})
    names = fields_of_kind(fields, ("email",))
    return any_field(names, "words", "email", wanted) if names else None


_PHONE = re.compile(r"\+?[0-9\s\-().]+")


def phone_search(raw: str, fields: FieldsByName) -> Bound | None:
    """``phone=``: at least 3 characters of ``+ 0-9 space - ( ) .``; any phone field holds its digits."""
    value = raw.strip()
    if not (LIMITS.phone_min_length <= len(value) <= LIMITS.phone_max_length) or not _PHONE.fullmatch(value):
        raise ZohoError("INVALID_DATA", {"param_name": "phone"})
    if not digits(value):
        raise ZohoError("INVALID_DATA", {"param_name": "phone"})
    names = fields_of_kind(fields, ("phone",))
    return any_field(names, "digits", "phone", digits(value)) if names else None


def word_search(raw: str, fields: FieldsByName) -> Bound | None:
    """``word=``: at least 2 characters; any text-like field contains the words."""
    value = raw.strip()
    wanted = words(value)
    if not (LIMITS.word_min_length <= len(value) <= LIMITS.word_max_length) or not wanted:
        raise ZohoError("INVALID_DATA", {"param_name": "word"})
    parts: list[Bound] = []
    for name, field in fields.items():
        data_type = compared_type(field)
        if data_type not in SEARCHABLE_BY_WORD:
            continue
        kind = KIND_BY_TYPE[data_type]
        if kind == "words":
            parts.append(Term(name, data_type, kind, "equals", (wanted,)))
        elif kind == "exact":
            parts.append(Term(name, data_type, "words", "equals", (wanted,)))
        elif kind == "digits" and digits(value):
            parts.append(Term(name, data_type, kind, "equals", (digits(value),)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Combined("or", tuple(parts))


@dataclass(frozen=True)
class SearchRequest:
    """Which search param is used and its bound criteria (None: the module has no field it can match)."""

    param: str
    bound: Bound | None


def present(query: Mapping[str, str | None], name: str) -> bool:
    value = query.get(name)
    return value is not None and value.strip() != ""


def _criteria_search(raw: str, fields: FieldsByName) -> Bound | None:
    return parse_criteria(raw.strip(), fields)


# What each search param becomes, in precedence order.
PARAM_BUILDERS: dict[str, Callable[[str, FieldsByName], Bound | None]] = {
    "criteria": _criteria_search,
    "email": email_search,
    "phone": phone_search,
    "word": word_search,
}


def search_request(query: Mapping[str, str | None], fields: FieldsByName, *, required: bool) -> SearchRequest | None:
    """The search param that wins (criteria > email > phone > word), bound; EXPECTED_PARAM_MISSING
    when ``required`` and none is given."""
    for name in SEARCH_PARAMS:
        if present(query, name):
            return SearchRequest(name, PARAM_BUILDERS[name](str(query[name]), fields))
    if required:
        raise ZohoError("EXPECTED_PARAM_MISSING", {"param_names": list(SEARCH_PARAMS)})
    return None


def given_search_params(query: Mapping[str, str | None]) -> list[str]:
    return [name for name in SEARCH_PARAMS if present(query, name)]


def result_window(page: int, per_page: int) -> tuple[int, int]:
    """(offset, size) of the page inside the first 2,000 results; LIMIT_REACHED beyond them."""
    offset = (page - 1) * per_page
    if offset >= LIMITS.results:
        raise ZohoError("LIMIT_REACHED", {"limit": str(LIMITS.results)})
    return offset, min(per_page, LIMITS.results - offset)
