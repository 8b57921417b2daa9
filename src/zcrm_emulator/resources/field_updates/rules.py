"""Field updates (AUTOMATION.md §4; OASx createFieldUpdates, getFieldUpdates, updateFieldUpdateById):
the keys, the value each kind of field takes, and the wire object. Plain functions.

A field update sets one field of a module's record to a fixed (``static``) value: text up to 255
characters, up to 25 options of a multi-select (``update_type`` overwrite or append), ``{id, name}``
for the owner, a user, a lookup or the layout, a boolean or a number; ``null`` clears the field. A
value of the wrong shape for the field is DEPENDENT_MISMATCH. ``notify``, ``related_records`` and
``apply_assignment_threshold`` belong to owner updates only: required there (``notify``,
``related_records``: DEPENDENT_FIELD_MISSING), NOT_ALLOWED with a value elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.automation.refs import short
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import FieldType, ModuleMeta, field_type
from zcrm_emulator.validation import Invalid, Key, Spec

ENVELOPE = "field_updates"
CREATED = "fieldupdate created successfully"
UPDATED = "fieldupdate updated successfully"
DELETED = "field update deleted successfully"
IN_USE = Message.FIELD_UPDATE_ASSOCIATED

NAME_MAX = 255
VALUE_MAX = 255
OPTIONS_MAX = 25  # multi-select values
RELATED_RECORDS_MAX = 5
DEPENDENT_FIELDS_MAX = 1
DEPENDENT_DEPTH = 3  # Layout -> Pipeline -> Stage
FEATURE_TYPES = ("workflow",)  # OASx: supported_values ["workflow"]
UPDATE_TYPES = ("overwrite", "append")
OWNER_KEYS = ("notify", "related_records", "apply_assignment_threshold")
REFERENCE_KINDS = frozenset({"lookup", "ownerlookup", "userlookup", "layout"})
USER_KINDS = frozenset({"ownerlookup", "userlookup"})

SPEC = Spec(
    keys=(
        Key("name", mandatory=True, min_length=1, max_length=NAME_MAX, unique=True),
        Key("module", type="object", mandatory=True),
        Key("field", type="object", mandatory=True),
        Key("type", mandatory=True, choices=("static",)),
        Key("feature_type", choices=FEATURE_TYPES),
        Key("update_type", nullable=True, choices=UPDATE_TYPES),
        Key("notify", type="boolean", nullable=True),
        Key("apply_assignment_threshold", type="boolean", nullable=True),
        Key("related_records", type="array", nullable=True),
        Key("dependent_fields", type="array", nullable=True),
        Key("related_module", type="object", nullable=True),
    )
)
# What a stored field update says about its input, for an update call to change.
INPUT_KEYS = (*(key.name for key in SPEC.keys), "value")


def at(json_path: str, key: str, **extra: Any) -> dict[str, Any]:
    return {"api_name": key, "json_path": f"{json_path}.{key}", **extra}


def dependent(json_path: str, key: str, dependee: str) -> dict[str, Any]:
    return {**at(json_path, key), "dependee": at(json_path, dependee)}


def check_owner_keys(item: Mapping[str, Any], json_path: str, *, owner: bool) -> None:
    """The owner-only keys: required for the owner, refused with a value for any other field."""
    for key in OWNER_KEYS:
        given = item.get(key)
        if owner and key != "apply_assignment_threshold" and key not in item:
            raise ZohoError(
                "DEPENDENT_FIELD_MISSING", dependent(json_path, key, "field"), Message.DEPENDENT_FIELD_MISSING
            )
        if not owner and given not in (None, False, []):
            raise ZohoError("NOT_ALLOWED", at(json_path, key), Message.KEY_NOT_SUPPORTED)


def check_related_records(value: Any, json_path: str) -> list[dict[str, Any]] | None:
    """``[{api_name, id?}]`` of Tasks, Calls and Events whose owner changes with the record's."""
    if value is None:
        return None
    if len(value) > RELATED_RECORDS_MAX:
        raise ZohoError(
            "INVALID_DATA",
            at(json_path, "related_records", maximum_length=RELATED_RECORDS_MAX),
            Message.INVALID_DATA_CAPITAL,
        )
    items = []
    for index, entry in enumerate(value):
        path = f"{json_path}.related_records[{index}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("api_name"), str):
            raise ZohoError("INVALID_DATA", at(path, "api_name", expected_data_type="text"), Message.INVALID_DATA_TYPE)
        items.append({"api_name": entry["api_name"], "id": entry.get("id")})
    return items


def _choices(field: Mapping[str, Any]) -> set[str]:
    return {
        text
        for option in field.get("pick_list_values") or []
        for text in (option.get("actual_value"), option.get("display_value"))
        if isinstance(text, str)
    }


def _mismatch(json_path: str) -> ZohoError:
    return ZohoError("DEPENDENT_MISMATCH", dependent(json_path, "value", "field"), Message.DEPENDENT_MISMATCH)


def check_value(value: Any, field: Mapping[str, Any], json_path: str, users: Mapping[str, Mapping[str, Any]]) -> Any:
    """The value as stored: what the field takes, or DEPENDENT_MISMATCH (INVALID_DATA for a text
    over 255 characters, an unknown user)."""
    if value is None:
        return None
    kind: FieldType = field_type(dict(field))
    if kind.name == "multiselectpicklist":
        return _options(value, field, json_path)
    if kind.name in REFERENCE_KINDS:
        return _reference(value, kind.name, json_path, users)
    if isinstance(value, str) and len(value) > VALUE_MAX:
        raise ZohoError("INVALID_DATA", at(json_path, "value", maximum_length=VALUE_MAX), Message.INVALID_DATA_CAPITAL)
    if isinstance(value, dict | list):
        raise _mismatch(json_path)
    try:
        converted = kind.convert(value)
    except Invalid:
        raise _mismatch(json_path) from None
    if kind.name == "picklist" and converted not in _choices(field):
        raise _mismatch(json_path)
    return value


def _options(value: Any, field: Mapping[str, Any], json_path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _mismatch(json_path)
    if len(value) > OPTIONS_MAX:
        raise ZohoError(
            "INVALID_DATA", at(json_path, "value", maximum_length=OPTIONS_MAX), Message.INVALID_DATA_CAPITAL
        )
    choices = _choices(field)
    if choices and any(v not in choices for v in value):
        raise _mismatch(json_path)
    return list(value)


def _reference(value: Any, kind: str, json_path: str, users: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    target = normalize_id(value.get("id")) if isinstance(value, Mapping) else None
    if target is None:
        raise _mismatch(json_path)
    if kind in USER_KINDS:
        user = users.get(target)
        if user is None:
            raise ZohoError("INVALID_DATA", at(json_path, "value"), Message.INVALID_USER_ID)
        return {"name": user["full_name"], "id": target}
    return {**{k: v for k, v in value.items() if k in ("display_label", "name")}, "id": target}


def check_dependent_fields(value: Any, meta: ModuleMeta, json_path: str, depth: int = 1) -> list[dict[str, Any]] | None:
    """``[{field, value, dependent_fields?}]``: the picklists that depend on the target (Pipeline ->
    Stage), at most one per level, three levels deep."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise ZohoError(
            "INVALID_DATA", at(json_path, "dependent_fields", expected_data_type="jsonarray"), Message.INVALID_DATA_TYPE
        )
    if len(value) > DEPENDENT_FIELDS_MAX or depth > DEPENDENT_DEPTH:
        raise ZohoError(
            "INVALID_DATA",
            at(json_path, "dependent_fields", maximum_length=DEPENDENT_FIELDS_MAX),
            Message.INVALID_DATA_CAPITAL,
        )
    checked = []
    for index, entry in enumerate(value):
        path = f"{json_path}.dependent_fields[{index}]"
        if not isinstance(entry, Mapping):
            raise ZohoError(
                "INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"}, Message.INVALID_DATA_TYPE
            )
        for key in ("field", "value"):
            if entry.get(key) in (None, ""):
                raise ZohoError("MANDATORY_NOT_FOUND", at(path, key), Message.REQUIRED_FIELD_MISSING)
        field = (
            meta.by_name.get((entry["field"] or {}).get("api_name", ""))
            if isinstance(entry["field"], Mapping)
            else None
        )
        if field is None:
            raise ZohoError("INVALID_DATA", at(path, "field"), Message.UNKNOWN_FIELD)
        if not isinstance(entry["value"], str):
            raise ZohoError("INVALID_DATA", at(path, "value", expected_data_type="text"), Message.INVALID_DATA_TYPE)
        item: dict[str, Any] = {"field": short(field), "value": entry["value"]}
        nested = check_dependent_fields(entry.get("dependent_fields"), meta, path, depth + 1)
        if nested:
            item["dependent_fields"] = nested
        checked.append(item)
    return checked


def wire(
    update_id: str,
    clean: Mapping[str, Any],
    *,
    module: Mapping[str, Any],
    field: Mapping[str, Any],
    value: Any,
    stamps: Mapping[str, Any],
) -> dict[str, Any]:
    """The field update's wire object, keys in the order the OASx examples show them."""
    owner = field_type(dict(field)).name == "ownerlookup"
    data: dict[str, Any] = {
        "created_time": stamps["created_time"],
        "update_type": clean.get("update_type") or "overwrite",
        "lock_status": {"locked": False},
        "apply_assignment_threshold": bool(clean.get("apply_assignment_threshold")) if owner else False,
        "editable": True,
        "module": dict(module),
        "related_module": clean.get("related_module"),
        "deletable": True,
        "source": "crm",
        "type": clean["type"],
        "created_by": stamps["created_by"],
        "notify": bool(clean.get("notify")) if owner else False,
        "feature_type": clean.get("feature_type") or "workflow",
        "modified_time": stamps["modified_time"],
        "field": short(field),
        "associated": False,
        "related_records": clean.get("related_records") if owner else None,
        "name": clean["name"].strip(),
        "modified_by": stamps["modified_by"],
        "id": update_id,
        "value": value,
    }
    if clean.get("dependent_fields"):
        data["dependent_fields"] = clean["dependent_fields"]
    return data


def as_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored field update as the input that made it, for an update call to change."""
    return {key: data[key] for key in INPUT_KEYS if key in data}
