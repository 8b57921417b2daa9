"""A record item as a client writes it: what the server takes apart, how an update merges, the
values the server derives, and the normalized key values that unique and duplicate checks compare
(REFERENCE §4.4-§4.7; no HTTP, no SQL)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.record_model.limits import KEY_VALUE_MAX
from zcrm_emulator.record_model.meta import ModuleMeta

# Field types a duplicate check may use (single line, email, phone, number, long integer, URL).
DUPLICATE_CHECK_TYPES = frozenset({"text", "email", "phone", "integer", "bigint", "website", "autonumber"})

# Values the server computes from other fields: {field: (parts joined by a space)}.
DERIVED_FIELDS: dict[str, tuple[str, ...]] = {"Full_Name": ("First_Name", "Last_Name")}

# Appointments take their service's duration unless given one, and end that many minutes after
# they start (the Create Appointments page: Service_Name, Appointment_Start_Time; Duration in minutes).
APPOINTMENTS = "Appointments__s"
SERVICE_MEMBERS = "Members"  # the users who give a service: an appointment's owner is one of them

# --- items ---------------------------------------------------------------------------------------


@dataclass
class Incoming:
    """A record item split into the values the spec checks and what the server takes apart."""

    values: dict[str, Any]
    record_id: Any = None  # the item's "id" (update, upsert)
    append: frozenset[str] = frozenset()  # multiselect fields with $append_values


def split_item(meta: ModuleMeta, item: Any, operation: str, json_path: str) -> Incoming:
    """Drop what Zoho ignores (``$`` meta keys, fields the server sets, a null Owner/Layout), read
    ``id`` and ``$append_values``, and treat empty text as null, as Zoho stores it."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"})
    values: dict[str, Any] = {}
    settable, known = meta.settable[operation], meta.by_name
    for name, value in item.items():
        if name.startswith("$") or name == "id":
            continue
        if name in known and name not in settable:
            continue
        if isinstance(value, str) and name in known and not value.strip():
            value = None
        if value is None and name in ("Owner", "Layout"):
            continue
        values[name] = value
    append = item.get("$append_values")
    appended = frozenset(k for k, v in append.items() if v is True) if isinstance(append, dict) else frozenset()
    return Incoming(values, item.get("id"), appended)


def derive(meta: ModuleMeta, data: dict[str, Any]) -> None:
    """Fill server-computed fields (Full_Name) from the merged values, in place."""
    for name, parts in DERIVED_FIELDS.items():
        if name in meta.by_name and all(p in meta.by_name for p in parts):
            joined = " ".join(str(data[p]) for p in parts if data.get(p))
            data[name] = joined or None


def schedule(
    meta: ModuleMeta, data: dict[str, Any], changed: Mapping[str, Any], service: Mapping[str, Any] | None
) -> None:
    """An appointment's Duration (its service's, when the write changes the service and names no
    duration) and Appointment_End_Time (start plus duration), in place. ``service``: the data of
    the service record ``data`` names, when the write named one."""
    if meta.api_name != APPOINTMENTS:
        return
    if "Duration" not in changed and service is not None and isinstance(service.get("Duration"), int):
        data["Duration"] = service["Duration"]
    start, minutes = data.get("Appointment_Start_Time"), data.get("Duration")
    if isinstance(start, str) and isinstance(minutes, int):
        try:
            end = datetime.fromisoformat(start) + timedelta(minutes=minutes)
        except OverflowError:  # past year 9999: left as it was
            return
        data["Appointment_End_Time"] = end.isoformat()


def check_appointment_owner(
    meta: ModuleMeta, data: Mapping[str, Any], owner_id: str, service: Mapping[str, Any] | None, json_path: str
) -> None:
    """An appointment's owner is one of its service's members (DEPENDENT_MISMATCH otherwise, as
    appointments.json gives it). ``service``: the data of the service the appointment names."""
    if meta.api_name != APPOINTMENTS or service is None:
        return
    members = service.get(SERVICE_MEMBERS)
    if isinstance(members, list) and owner_id not in members:
        raise ZohoError(
            "DEPENDENT_MISMATCH",
            {
                "dependee": {"api_name": "Service_Name", "json_path": f"{json_path}.Service_Name"},
                "api_name": "Owner",
                "json_path": f"{json_path}.Owner",
            },
            Message.APPOINTMENT_OWNER_NOT_MEMBER,
        )


def merge_update(stored: dict[str, Any], changes: dict[str, Any], append: frozenset[str]) -> dict[str, Any]:
    """A partial update: only the given keys change; ``$append_values`` fields add to the list."""
    merged = dict(stored)
    for name, value in changes.items():
        if name in append and isinstance(value, list):
            current = merged.get(name) or []
            merged[name] = current + [v for v in value if v not in current]
        else:
            merged[name] = value
    return {k: v for k, v in merged.items() if v is not None}


def normalized_key(value: Any) -> str | None:
    """How a key value is indexed and compared: trimmed, lower-case text, at most 255 chars."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip().lower()
    return text[:KEY_VALUE_MAX] if text else None


def key_values(meta: ModuleMeta, data: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for name in names:
        value = data.get(name)
        if value is not None and (norm := normalized_key(value)) is not None:
            keys[name] = norm
    return keys


def check_duplicate_fields(meta: ModuleMeta, raw: Any) -> tuple[str, ...]:
    """``duplicate_check_fields``: an array of eligible field api names (request-level errors)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ZohoError(
            "INVALID_DATA",
            {
                "api_name": "duplicate_check_fields",
                "json_path": "$.duplicate_check_fields",
                "expected_data_type": "jsonarray",
            },
        )
    names: list[str] = []
    for index, name in enumerate(raw):
        path = f"$.duplicate_check_fields[{index}]"
        if not isinstance(name, str) or name not in meta.by_name:
            raise ZohoError(
                "INVALID_DATA", {"api_name": "duplicate_check_fields", "json_path": path}, Message.UNKNOWN_FIELD
            )
        if meta.types[name].name not in DUPLICATE_CHECK_TYPES:
            raise ZohoError("INVALID_DATA", {"api_name": "duplicate_check_fields", "json_path": path})
        if name not in names:
            names.append(name)
    return tuple(names)
