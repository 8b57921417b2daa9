"""Org variables and variable groups: the input rules and the wire objects.

Sources: OAS variables.json and variable_groups.json; the v8 "Create Variables", "Update Variables",
"Delete Variables" and "Get Variable Groups" pages. Plain functions: no HTTP, no SQL.

Zoho's file documents every INVALID_DATA of a variable with the ``regex`` the value failed (or the
``maximum_length`` it passed), so each check here is a pattern or a length, and a refusal names it.
A ``type`` outside Zoho's list refuses the whole request (PATTERN_NOT_MATCHED, bare, as the file has
it). The type names of a request (the docs' ``decimal``, ``url``) are stored and shown as the
response's names (``double``, ``website``); the response's names are accepted in requests too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.validation import at, unpaired_surrogate

CREATED = "variable created"
UPDATED = "variable updated"
DELETED = "variable deleted"
NOT_DELETED = Message.VARIABLE_NOT_DELETED

NAME_MAX = 50
API_NAME_MAX = 50
DESCRIPTION_MAX = 250
VARIABLES_MAX = 200  # per org, every edition (docs/decisions.md "Variables")
IDS_MAX = 100  # DELETE ?ids=
SOURCE = "crm"
GENERAL = "General"  # every org's default group

API_NAME_PATTERN = r"[a-zA-Z][a-zA-Z0-9_]*"
NAME_PATTERN = r"\S.*"  # not blank
TEXT_PATTERN = r"(?s).*"  # any text a store can hold
_DECIMAL = r"-?[0-9]{1,16}(\.[0-9]{1,9})?"

# The request's type names -> the stored (response) ones.
TYPE_NAMES: dict[str, str] = {
    "integer": "integer",
    "long": "long",
    "decimal": "double",
    "double": "double",
    "percent": "percent",
    "currency": "currency",
    "text": "text",
    "textarea": "textarea",
    "date": "date",
    "datetime": "datetime",
    "email": "email",
    "phone": "phone",
    "url": "website",
    "website": "website",
    "checkbox": "checkbox",
}
DEFAULT_TYPE = "text"  # ``type`` is optional on the Create Variables page

# A value's pattern by stored type; text types are bounded by length instead.
VALUE_PATTERNS: dict[str, str] = {
    "integer": r"-?[0-9]{1,9}",
    "long": r"-?[0-9]{1,18}",
    "double": _DECIMAL,
    "percent": _DECIMAL,
    "currency": _DECIMAL,
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "datetime": r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)",
    "email": r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    "phone": r"\+?[0-9 ()./-]{1,30}",
    "website": r"(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?(/\S*)?",
    "checkbox": r"true|false",
}
VALUE_LENGTHS: dict[str, int] = {"text": 255, "textarea": 32000, "email": 100, "phone": 30, "website": 255}
# Zoho's ``expected_data_type`` for each stored type.
EXPECTED: dict[str, str] = {"double": "double", "website": "website", "checkbox": "boolean"}
_COMPILED = {kind: re.compile(pattern) for kind, pattern in VALUE_PATTERNS.items()}
_API_NAME = re.compile(API_NAME_PATTERN)


def regex_error(path: str, key: str, regex: str, **extra: Any) -> ZohoError:
    return ZohoError("INVALID_DATA", at(path, key, **extra, regex=regex))


def too_long(path: str, key: str, maximum: int) -> ZohoError:
    return ZohoError("INVALID_DATA", at(path, key, maximum_length=maximum))


def check_object(item: Any, path: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
    return item


def stored_type(item: Any, path: str) -> str | None:
    """The stored type a create item asks for (None: not given). A name outside Zoho's list refuses
    the whole request: PATTERN_NOT_MATCHED."""
    if not isinstance(item, dict) or item.get("type") is None:
        return None
    raw = item["type"]
    kind = TYPE_NAMES.get(raw) if isinstance(raw, str) else None
    if kind is None:
        raise ZohoError("PATTERN_NOT_MATCHED", at(path, "type"))
    return kind


def require(item: Mapping[str, Any], path: str, *keys: str) -> None:
    for key in keys:
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))


def _unstorable(text: str) -> bool:
    """NUL or a lone surrogate: no store and no UTF-8 reply can hold it."""
    return "\x00" in text or unpaired_surrogate(text)


def check_name(value: Any, path: str) -> str:
    if value is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
    if not isinstance(value, str) or not value.strip() or _unstorable(value):
        raise regex_error(path, "name", NAME_PATTERN, expected_data_type="text")
    name = value.strip()
    if len(name) > NAME_MAX:
        raise too_long(path, "name", NAME_MAX)
    return name


def check_api_name(value: Any, path: str) -> str:
    if value is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "api_name"))
    if not isinstance(value, str) or not _API_NAME.fullmatch(value):
        raise regex_error(path, "api_name", API_NAME_PATTERN)
    if len(value) > API_NAME_MAX:
        raise too_long(path, "api_name", API_NAME_MAX)
    return value


def check_description(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or _unstorable(value):
        raise regex_error(path, "description", TEXT_PATTERN, expected_data_type="text")
    if len(value) > DESCRIPTION_MAX:
        raise too_long(path, "description", DESCRIPTION_MAX)
    return value


def _as_text(value: Any) -> str | None:
    """A scalar as the text Zoho keeps (and answers) for a variable's value; None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else None
    return value if isinstance(value, str) else None


def _real_moment(kind: str, text: str) -> bool:
    try:
        if kind == "date":
            date.fromisoformat(text)
        elif kind == "datetime":
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def check_value(kind: str, value: Any, path: str) -> str | None:
    """A value for a variable of stored type ``kind``: its text, or None when empty."""
    if value is None or value == "":
        return None
    text = _as_text(value)
    pattern = VALUE_PATTERNS.get(kind)
    expected = EXPECTED.get(kind, kind)
    if text is None or _unstorable(text):
        raise regex_error(path, "value", pattern or TEXT_PATTERN, expected_data_type=expected)
    maximum = VALUE_LENGTHS.get(kind)
    if maximum is not None and len(text) > maximum:
        raise too_long(path, "value", maximum)
    if pattern is not None and not (_COMPILED[kind].fullmatch(text) and _real_moment(kind, text)):
        raise regex_error(path, "value", pattern, expected_data_type=expected)
    return text


def group_reference(value: Any, path: str) -> dict[str, str]:
    """The group a create item names: ``{"id"}``, ``{"api_name"}`` or ``{"name"}`` (first given wins)."""
    if not isinstance(value, dict):
        raise ZohoError("INVALID_DATA", at(path, "variable_group", expected_data_type="jsonobject"))
    if value.get("id") is not None:
        group_id = normalize_id(value["id"])
        if group_id is None:
            raise ZohoError("INVALID_DATA", {**at(path, "variable_group"), "id": str(value["id"])})
        return {"id": group_id}
    for key in ("api_name", "name"):
        given = value.get(key)
        if isinstance(given, str) and given.strip():
            return {key: given.strip()}
    raise ZohoError("MANDATORY_NOT_FOUND", at(path, "variable_group"))


def group_api_name(name: str) -> str:
    """The api_name of a group made from its name: letters, digits and underscores."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:API_NAME_MAX] or "Group"
    return cleaned if cleaned[0].isalpha() else f"Group_{cleaned}"[:API_NAME_MAX]


def new_group(group_id: str, name: str, api_name: str) -> dict[str, Any]:
    return {
        "id": group_id,
        "api_name": api_name,
        "name": name,
        "display_label": name,
        "description": None,
        "source": SOURCE,
    }


def minified_group(group: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": group["id"], "api_name": group["api_name"], "name": group["name"]}


def new_variable(variable_id: str, kind: str, group: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": variable_id,
        "api_name": None,
        "name": None,
        "description": None,
        "source": SOURCE,
        "type": kind,
        "variable_group": minified_group(group),
        "read_only": False,
        "value": None,
    }


def changes(item: Mapping[str, Any], kind: str, path: str) -> dict[str, Any]:
    """The keys of a create or update item that set something, checked. ``type`` and
    ``variable_group`` are fixed once a variable exists (Update Variables page) and are not here."""
    found: dict[str, Any] = {}
    if "name" in item:
        found["name"] = check_name(item["name"], path)
    if "api_name" in item:
        found["api_name"] = check_api_name(item["api_name"], path)
    if "description" in item:
        found["description"] = check_description(item["description"], path)
    if "value" in item:
        found["value"] = check_value(kind, item["value"], path)
    return found
