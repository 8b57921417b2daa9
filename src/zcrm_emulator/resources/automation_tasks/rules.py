"""Automation tasks: the task a workflow rule creates (AUTOMATION.md §4; OASx createWorkflowTasks,
getWorkflowTasks, deleteTasks). Plain functions.

A task template names the module it serves (the rule's module) and maps fields of the Tasks module:
``static`` values (checked as the field's type; ``{id, name}`` for the owner), ``merge_field``
text with ``${!Module.Field}`` tokens of the template's module, and ``execution_time`` for the date
fields (``{period: days|business_days, unit, sign: plus|minus, trigger_field: ${CURRENTTIME} or a
date field token, time?}``). A template needs a ``Subject``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from zcrm_emulator.automation import refs, timing
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import ModuleMeta, field_type
from zcrm_emulator.validation import Invalid, Key, Spec

ENVELOPE = "tasks"
CREATED = "task created successfully"
UPDATED = "task updated successfully"
DELETED = "task deleted successfully"
IN_USE = Message.TASK_ASSOCIATED

NAME_MAX = 255
MAPPINGS_MAX = 20
FEATURE_TYPES = ("workflow", "blueprint", "approval_process", "kiosks")
MAPPING_TYPES = ("static", "merge_field", "execution_time")
DUE_PERIODS = ("days", "business_days")
SIGNS = ("plus", "minus")
DATE_KINDS = frozenset({"date", "datetime"})
CURRENT_TIME = "${CURRENTTIME}"
MERGE_FIELD = re.compile(r"\$\{!?([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z0-9_$]+)\}")

SPEC = Spec(
    keys=(
        Key("name", mandatory=True, min_length=1, max_length=NAME_MAX),
        Key("module", type="object", mandatory=True),
        Key("field_mappings", type="array", mandatory=True),
        Key("notify", type="boolean", nullable=True),
        Key("feature_type", nullable=True),
        Key("related_module", type="object", nullable=True),
    )
)
INPUT_KEYS = tuple(key.name for key in SPEC.keys)


def at(json_path: str, key: str, **extra: Any) -> dict[str, Any]:
    return {"api_name": key, "json_path": f"{json_path}.{key}", **extra}


def check_feature_type(value: Any, json_path: str) -> str:
    if value is None:
        return "workflow"
    if value not in FEATURE_TYPES:
        raise ZohoError("INVALID_DATA", at(json_path, "feature_type"), Message.FEATURE_NAME_INVALID)
    return str(value)


def check_mappings(
    value: list[Any],
    json_path: str,
    tasks: ModuleMeta,
    source: ModuleMeta,
    users: Mapping[str, Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The field mappings as stored; ``tasks`` is the Tasks module, ``source`` the template's."""
    if not value:
        raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "field_mappings"), Message.REQUIRED_FIELD_MISSING)
    if len(value) > MAPPINGS_MAX:
        raise ZohoError(
            "INVALID_DATA", at(json_path, "field_mappings", maximum_length=MAPPINGS_MAX), Message.TASK_FIELD_INVALID
        )
    mappings = [
        _mapping(entry, f"{json_path}.field_mappings[{i}]", tasks, source, users) for i, entry in enumerate(value)
    ]
    if not any(m["field"]["api_name"] == "Subject" for m in mappings):
        raise ZohoError(
            "MANDATORY_NOT_FOUND",
            {"api_name": "Subject", "json_path": f"{json_path}.field_mappings"},
            Message.MANDATORY_FIELD_NOT_GIVEN,
        )
    return mappings


def _mapping(
    entry: Any, path: str, tasks: ModuleMeta, source: ModuleMeta, users: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    if not isinstance(entry, Mapping):
        raise ZohoError(
            "INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"}, Message.INVALID_DATA_TYPE
        )
    for key in ("field", "type", "value"):
        if entry.get(key) in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, key), Message.REQUIRED_FIELD_MISSING)
    field = refs.field_of(entry["field"], path, "field", tasks.by_name, unknown=Message.UNKNOWN_ID)
    if not tasks.writable(field["api_name"], "create"):
        raise ZohoError("INVALID_DATA", at(f"{path}.field", "id"), Message.UNKNOWN_ID)
    kind = entry["type"]
    if kind not in MAPPING_TYPES:
        raise ZohoError(
            "INVALID_DATA", at(path, "type", supported_values=list(MAPPING_TYPES)), Message.INVALID_DATA_CAPITAL
        )
    dated = field_type(dict(field)).name in DATE_KINDS
    if dated != (kind == "execution_time"):
        details = {**at(path, "type"), "dependee": at(f"{path}.field", "id")}
        raise ZohoError("DEPENDENT_MISMATCH", details, Message.DEPENDENT_MISMATCH)
    value = entry["value"]
    if kind == "execution_time":
        value = check_due(value, path, source)
    elif kind == "merge_field":
        value = check_merge_text(value, path, source)
    else:
        value = check_static(value, field, path, users)
    return {"field": refs.short(field), "type": kind, "value": value}


def _type_mismatch(path: str) -> ZohoError:
    return ZohoError(
        "DEPENDENT_MISMATCH", {**at(path, "value"), "dependee": at(path, "type")}, Message.TYPE_VALUE_MISMATCH
    )


def check_static(value: Any, field: Mapping[str, Any], path: str, users: Mapping[str, Mapping[str, Any]]) -> Any:
    kind = field_type(dict(field))
    if kind.reference in ("user",):
        target = normalize_id(value.get("id")) if isinstance(value, Mapping) else None
        if target is None:
            raise _type_mismatch(path)
        if target not in users:
            raise ZohoError("INVALID_DATA", at(path, "value"), Message.INVALID_USER_ID)
        return {"name": users[target]["full_name"], "id": target}
    if isinstance(value, dict):
        raise _type_mismatch(path)
    try:
        kind.convert(value)
    except Invalid:
        raise _type_mismatch(path) from None
    return value


def check_merge_text(value: Any, path: str, source: ModuleMeta) -> str:
    """Text whose ``${!Module.Field}`` tokens name fields of the template's module."""
    if not isinstance(value, str):
        raise _type_mismatch(path)
    for token in MERGE_FIELD.finditer(value):
        if token.group(1) != source.api_name or token.group(2) not in source.by_name:
            raise ZohoError("INVALID_DATA", at(path, "value"), Message.UNSUPPORTED_MERGE_FIELD)
    return value


def check_due(value: Any, path: str, source: ModuleMeta) -> dict[str, Any]:
    """An ``execution_time`` value: when the task is due, from the trigger time or a date field."""
    if not isinstance(value, Mapping):
        raise _type_mismatch(path)
    value_path = f"{path}.value"
    for key in ("period", "unit", "sign", "trigger_field"):
        if value.get(key) in (None, ""):
            details = {**at(value_path, key), "dependee": at(path, "type")}
            raise ZohoError("DEPENDENT_FIELD_MISSING", details, Message.DEPENDENT_FIELD_MISSING)
    if value["period"] not in DUE_PERIODS:
        raise ZohoError("INVALID_DATA", at(value_path, "period"), Message.INVALID_DATE_PERIOD)
    unit = str(value["unit"])
    if not unit.isdigit() or len(unit) > 3:
        raise ZohoError("INVALID_DATA", at(value_path, "unit"), Message.INVALID_DUE_DATE)
    if value["sign"] not in SIGNS:
        raise ZohoError("INVALID_DATA", at(value_path, "sign"), Message.INVALID_DUE_DATE)
    trigger = value["trigger_field"]
    if trigger != CURRENT_TIME and not _date_token(trigger, source):
        raise ZohoError("INVALID_DATA", at(value_path, "trigger_field"), Message.INVALID_DUE_DATE)
    due = {"period": value["period"], "unit": unit, "sign": value["sign"], "trigger_field": trigger}
    if value.get("time") is not None:
        if not isinstance(value["time"], str) or timing.parse_hhmm(value["time"]) is None:
            raise ZohoError("INVALID_DATA", at(value_path, "time"), Message.INVALID_DUE_DATE)
        due["time"] = value["time"]
    return due


def _date_token(text: Any, source: ModuleMeta) -> bool:
    found = MERGE_FIELD.fullmatch(text) if isinstance(text, str) else None
    if found is None or found.group(1) != source.api_name:
        return False
    meta = source.by_name.get(found.group(2))
    return meta is not None and field_type(dict(meta)).name in DATE_KINDS


def display_value(mapping: Mapping[str, Any]) -> str:
    """What GET shows beside a mapping's value (OASx getWorkflowTasks)."""
    value = mapping["value"]
    if mapping["type"] == "execution_time":
        days = "business day(s)" if value["period"] == "business_days" else "day(s)"
        start = "Trigger Date" if value["trigger_field"] == CURRENT_TIME else value["trigger_field"]
        return f"{start} {value['sign']} {value['unit']} {days}"
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("id"))
    return str(value)


def wire(
    task_id: str, clean: Mapping[str, Any], *, module: Mapping[str, Any], stamps: Mapping[str, Any]
) -> dict[str, Any]:
    """The task template's wire object, keys in the order of the OASx examples."""
    mappings = [{"display_value": display_value(m), **m} for m in clean["field_mappings"]]
    return {
        "created_time": stamps["created_time"],
        "lock_status": {"locked": False},
        "editable": True,
        "module": dict(module),
        "related_module": clean.get("related_module"),
        "deletable": True,
        "source": "crm",
        "created_by": stamps["created_by"],
        "notify": bool(clean.get("notify")),
        "feature_type": clean["feature_type"],
        "field_mappings": mappings,
        "modified_time": stamps["modified_time"],
        "associated": False,
        "modified_by": stamps["modified_by"],
        "name": clean["name"].strip(),
        "id": task_id,
    }


def as_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored task template as the input that made it, for an update call to change."""
    kept = {key: data[key] for key in INPUT_KEYS if key in data}
    kept["field_mappings"] = [{k: v for k, v in m.items() if k != "display_value"} for m in data["field_mappings"]]
    return kept
