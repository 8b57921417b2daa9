"""Global picklists' rules (OAS global_picklists.json; the v8 "Create Global Picklist", "Update
Global Picklist", "Delete Global Picklist", "Replace Global PickList Value" pages).

A global picklist (a "global set") is a label unique in the org regardless of case, an api name made
from it, a description and its options. An option is a display value and an actual value, each
unique in the set regardless of case, a place in the order and a type: ``used`` options are what
the fields built on the set offer, ``unused`` ones are kept aside (at most 1000 and 500).

Plain functions over plain data: no SQL, no HTTP.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.validation import at

Picklist = dict[str, Any]
Option = dict[str, Any]

ENVELOPE = "global_picklists"
CREATED = "global picklist created successfully"
UPDATED = "global picklist updated successfully"
DELETED = "global picklist deleted successfully"
REPLACE_SCHEDULED = "replace picklist values scheduled successfully"
PATH_INDEX = 2  # /settings/global_picklists/{id}: the id's segment
LABEL_MAX = 50
API_NAME_MAX = 50
DESCRIPTION_MAX = 1000
VALUE_MAX = 120
USED_MAX, UNUSED_MAX = 1000, 500
TYPES = ("used", "unused")
INCLUDES = ("used_in_modules", "pick_list_values")
API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_WORD = re.compile(r"[A-Za-z0-9]+")


def fold(text: str) -> str:
    return text.strip().casefold()


def item_object(item: Any, path: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"})
    return item


def _text(item: Mapping[str, Any], key: str, path: str, maximum: int, *, nullable: bool = False) -> str | None:
    value = item[key]
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise ZohoError("INVALID_DATA", at(path, key, expected_data_type="string"))
    if not value.strip():
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))
    if len(value.strip()) > maximum:
        raise ZohoError("INVALID_DATA", at(path, key, maximum_length=maximum))
    return value.strip()


def check_keys(item: Mapping[str, Any], path: str, *, creating: bool) -> dict[str, Any]:
    """The set's own keys of one item, as written; options are checked by ``merge_options``."""
    if creating:
        for key in ("display_label", "pick_list_values"):
            if item.get(key) in (None, "", []):
                raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))
    clean: dict[str, Any] = {}
    if "display_label" in item:
        clean["display_label"] = _text(item, "display_label", path, LABEL_MAX)
    if item.get("api_name") is not None:
        name = _text(item, "api_name", path, API_NAME_MAX)
        if name is None or not API_NAME.fullmatch(name):
            raise ZohoError("INVALID_DATA", at(path, "api_name"))
        clean["api_name"] = name
    if "description" in item:
        clean["description"] = _text(item, "description", path, DESCRIPTION_MAX, nullable=True)
    if "pick_list_values_sorted_lexically" in item:
        value = item["pick_list_values_sorted_lexically"]
        if not isinstance(value, bool):
            raise ZohoError("INVALID_DATA", at(path, "pick_list_values_sorted_lexically", expected_data_type="boolean"))
        clean["pick_list_values_sorted_lexically"] = value
    if "pick_list_values" in item:
        values = item["pick_list_values"]
        if not isinstance(values, list):
            raise ZohoError("INVALID_DATA", at(path, "pick_list_values", expected_data_type="jsonarray"))
        if not values:
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "pick_list_values"))
        clean["pick_list_values"] = values
    return clean


def merge_options(
    current: list[Option], given: list[Any], path: str, new_ids: Iterator[str], *, sort_lexically: bool
) -> list[Option]:
    """The options after a write: an option given with ``id`` changes the one the set has, one
    without is added (its display value needed); the rest stay. Then the order (given sequence
    numbers, else as written; alphabetical when the set sorts lexically), uniqueness and limits."""
    options = {o["id"]: dict(o) for o in current}
    order = [o["id"] for o in sorted(current, key=lambda o: o["sequence_number"])]
    wanted: dict[str, int] = {}
    for i, raw in enumerate(given):
        where = f"{path}.pick_list_values[{i}]"
        if not isinstance(raw, dict):
            raise ZohoError(
                "INVALID_DATA", {"api_name": "pick_list_values", "json_path": where, "expected_data_type": "jsonobject"}
            )
        option = _option_of(options, raw, where, new_ids)
        if option["id"] not in options:
            order.append(option["id"])
        options[option["id"]] = option
        if raw.get("sequence_number") is not None:
            wanted[option["id"]] = _sequence(raw["sequence_number"], where)
    # A given sequence number places its option before one that merely stood there.
    placed = sorted(order, key=lambda oid: (wanted.get(oid, order.index(oid) + 1), oid not in wanted, order.index(oid)))
    if sort_lexically:
        placed.sort(key=lambda oid: fold(options[oid]["display_value"]))
    result = [{**options[oid], "sequence_number": n} for n, oid in enumerate(placed, 1)]
    _check_unique(result, given, path)
    _check_limits(result, path)
    return result


def _option_of(options: Mapping[str, Option], raw: Mapping[str, Any], where: str, new_ids: Iterator[str]) -> Option:
    if raw.get("id") is not None:
        option_id = normalize_id(raw["id"])
        if option_id is None or option_id not in options:
            raise ZohoError("INVALID_DATA", at(where, "id"))
        option = dict(options[option_id])
    else:
        if raw.get("display_value") in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", at(where, "display_value"))
        option = {"display_value": None, "actual_value": None, "id": next(new_ids), "type": "used"}
    if raw.get("display_value") is not None:
        option["display_value"] = _text(raw, "display_value", where, VALUE_MAX)
    for key in ("actual_value", "reference_value"):  # v8 names the actual value reference_value
        if raw.get(key) is not None:
            option["actual_value"] = _text(raw, key, where, VALUE_MAX)
    option["actual_value"] = option["actual_value"] or option["display_value"]
    if raw.get("type") is not None:
        if raw["type"] not in TYPES:
            raise ZohoError("INVALID_DATA", at(where, "type", supported_values=list(TYPES)))
        option["type"] = raw["type"]
    return option


def _sequence(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ZohoError("INVALID_DATA", at(where, "sequence_number", expected_data_type="integer"))
    if value < 1:
        raise ZohoError("INVALID_DATA", at(where, "sequence_number"))
    return value


def _check_unique(options: list[Option], given: list[Any], path: str) -> None:
    """DUPLICATE_DATA at the given option whose display or actual value another option has."""
    for key in ("display_value", "actual_value"):
        seen: dict[str, str] = {}
        for option in options:
            value = fold(option[key])
            if value in seen:
                clash = {option["id"], seen[value]}
                i = _given_index(given, options, clash)
                raise ZohoError("DUPLICATE_DATA", at(f"{path}.pick_list_values[{i}]", key))
            seen[value] = option["id"]


def _given_index(given: list[Any], options: list[Option], clash: set[str]) -> int:
    """Where in the request one of the clashing options was written (the last one written)."""
    by_value = {o["id"]: o for o in options}
    for i in range(len(given) - 1, -1, -1):
        raw = given[i]
        if normalize_id(raw.get("id")) in clash:
            return i
        shown = raw.get("display_value")
        if isinstance(shown, str) and any(fold(shown) == fold(by_value[c]["display_value"]) for c in clash):
            return i
    return len(given) - 1


def _check_limits(options: list[Option], path: str) -> None:
    for kind, limit in (("used", USED_MAX), ("unused", UNUSED_MAX)):
        if sum(1 for o in options if o["type"] == kind) > limit:
            raise ZohoError("LIMIT_EXCEEDED", at(path, "pick_list_values", limit=limit))
    if not any(o["type"] == "used" for o in options):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "pick_list_values"))


def generate_api_name(label: str, taken: set[str]) -> str:
    """The api name made from a label: its ASCII words joined by underscores (``Global_Set`` when
    none starts with a letter), a number appended while another set has it."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = "_".join(_WORD.findall(ascii_label))[:API_NAME_MAX]
    if not base or not base[0].isalpha():
        base = f"Global_Set_{base}".rstrip("_")[:API_NAME_MAX]
    candidate, n = base, 1
    while candidate.casefold() in taken:
        suffix = str(n)
        candidate = base[: API_NAME_MAX - len(suffix)] + suffix
        n += 1
    return candidate


def label_taken(picklists: list[Picklist], label: str, except_id: str | None) -> bool:
    return any(fold(p["display_label"]) == fold(label) and p["id"] != except_id for p in picklists)


def api_name_taken(picklists: list[Picklist], name: str, except_id: str | None) -> bool:
    return any(p["api_name"].casefold() == name.casefold() and p["id"] != except_id for p in picklists)


def parse_include(raw: str | None) -> frozenset[str]:
    """``include``: used_in_modules, pick_list_values or both (comma-separated)."""
    if raw is None or not raw.strip():
        return frozenset()
    parts = frozenset(part.strip() for part in raw.split(","))
    if not parts <= set(INCLUDES):
        raise ZohoError("INVALID_DATA", {"param_name": "include", "supported_values": list(INCLUDES)})
    return parts


def field_values(options: list[Option]) -> list[dict[str, Any]]:
    """A field's ``pick_list_values`` as the fields built on the set show them: its used options."""
    used = [o for o in options if o["type"] == "used"]
    return [
        {
            "display_value": o["display_value"],
            "sequence_number": n,
            "reference_value": o["actual_value"],
            "colour_code": None,
            "actual_value": o["actual_value"],
            "id": o["id"],
            "type": "used",
        }
        for n, o in enumerate(used, 1)
    ]


def find_option(options: list[Option], given: Any, where: str, key: str) -> Option | None:
    """The option ``{id, display_value}`` names (both given: they must agree); None when the set
    has none such. INVALID_DATA when the reference is malformed or contradicts itself."""
    if not isinstance(given, dict):
        raise ZohoError("INVALID_DATA", at(where, key, expected_data_type="jsonobject"))
    if given.get("id") in (None, "") and given.get("display_value") in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(f"{where}.{key}", "display_value"))
    by_id = by_value = None
    if given.get("id") not in (None, ""):
        option_id = normalize_id(given["id"])
        by_id = next((o for o in options if o["id"] == option_id), None)
        if by_id is None:
            return None
    shown = given.get("display_value")
    if shown not in (None, ""):
        if not isinstance(shown, str):
            raise ZohoError("INVALID_DATA", at(f"{where}.{key}", "display_value", expected_data_type="string"))
        by_value = next((o for o in options if fold(o["display_value"]) == fold(shown)), None)
        if by_value is None or (by_id is not None and by_id["id"] != by_value["id"]):
            return None
    return by_id or by_value


REPLACE_KEY = "replace_picklist_values"


def check_replace_body(body: Any) -> dict[str, Any]:
    """``{replace_picklist_values: [{old_value, new_value}]}``: one replacement a call."""
    if not isinstance(body, dict):
        raise ZohoError("INVALID_DATA", {"api_name": REPLACE_KEY, "json_path": "$", "expected_data_type": "jsonobject"})
    items = body.get(REPLACE_KEY)
    if items in (None, []):
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": REPLACE_KEY, "json_path": f"$.{REPLACE_KEY}"})
    if not isinstance(items, list):
        raise ZohoError("INVALID_DATA", at("$", REPLACE_KEY, expected_data_type="jsonarray"))
    if len(items) > 1:
        raise ZohoError("INVALID_DATA", at("$", REPLACE_KEY, maximum_length=1))
    path = f"$.{REPLACE_KEY}[0]"
    item = items[0]
    if not isinstance(item, dict):
        raise ZohoError(
            "INVALID_DATA", {"api_name": REPLACE_KEY, "json_path": path, "expected_data_type": "jsonobject"}
        )
    for key in ("old_value", "new_value"):
        if item.get(key) in (None, {}, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))
    return item
