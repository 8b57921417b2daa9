"""Holidays: the input rules and the holiday object (``/settings/holidays``).

Sources: OAS holidays.json and Zoho's per-operation examples (createHolidays, updateHolidays,
updateHoliday, deleteHoliday, getHolidays). A holiday is a business holiday (every user) or a shift
holiday (one shift's users, named by ``shift_hour``). Its date lies within the current or the next
fiscal year; a calendar (the business one, or one shift's) holds at most 52 holidays a year, and a
name once per date. Plain functions: no HTTP, no SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.validation import at

ENVELOPE = "holidays"
CREATED = "Holidays created successfully"
UPDATED = "Holidays updated successfully"
DELETED = "Holidays deleted successfully"

BUSINESS = "business_holiday"
SHIFT = "shift_holiday"
TYPES = (BUSINESS, SHIFT)
BUSINESS_CALENDAR = "business"  # the ``calendar`` of business holidays; a shift's is its id
NAME_MAX = 80
NAME_FORBIDDEN = frozenset("#%^&*")
LIMIT_PER_YEAR = 52  # per calendar (Zoho's LimitExceeded example)
YEARS = (2000, 2100)  # the ``year`` param's range
PER_PAGE = 100
MAX_ITEMS = 100  # holidays in one create or update
PATH_ID_INDEX = 2  # settings/holidays/{id}


def check_name(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ZohoError("INVALID_DATA", at(path, "name", expected_data_type="text"))
    name = value.strip()
    if not name:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
    if len(value) > NAME_MAX:
        raise ZohoError("INVALID_DATA", {"maximum_length": NAME_MAX, **at(path, "name")})
    if NAME_FORBIDDEN.intersection(name):
        raise ZohoError("INVALID_DATA", at(path, "name"), Message.HOLIDAY_NAME_CHARACTERS)
    return name


def check_date(value: Any, path: str) -> date:
    """A YYYY-MM-DD calendar date."""
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ZohoError("INVALID_DATA", {"expected_data_type": "date", **at(path, "date")}) from None


def check_type(value: Any, path: str) -> str:
    if value not in TYPES:
        raise ZohoError("INVALID_DATA", {**at(path, "type"), "supported_values": list(TYPES)}, Message.HOLIDAY_TYPE)
    return str(value)


def shift_id_of(value: Any, path: str) -> str:
    """``shift_hour`` as ``{id}`` (the file) or the bare id (the older pages)."""
    raw = value.get("id") if isinstance(value, dict) else value
    shift_id = normalize_id(raw)
    if shift_id is None:
        raise ZohoError("INVALID_DATA", at(f"{path}.shift_hour", "id"), Message.HOLIDAY_SHIFT_UNKNOWN)
    return shift_id


def holiday_input(item: Any, path: str, stored: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A create's item, or an update's over the stored holiday, checked whole: ``{name, date, type,
    shift_id}`` (``shift_id`` None for business holidays). Mandatory keys in Zoho's order."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
    merged = dict(_stored_input(stored)) if stored is not None else {}
    merged.update({key: item[key] for key in ("name", "date", "type", "shift_hour") if key in item})
    for key in ("name", "date", "type"):
        if merged.get(key) is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))
    name = check_name(merged["name"], path)
    day = check_date(merged["date"], path)
    kind = check_type(merged["type"], path)
    shift_id = None
    if kind == SHIFT:
        if merged.get("shift_hour") in (None, "", {}):
            details = {"dependee": at(path, "type"), **at(path, "shift_hour")}
            raise ZohoError("DEPENDENT_FIELD_MISSING", details, Message.HOLIDAY_SHIFT_REQUIRED)
        shift_id = shift_id_of(merged["shift_hour"], path)
    return {"name": name, "date": day, "type": kind, "shift_id": shift_id}


def _stored_input(stored: Mapping[str, Any]) -> dict[str, Any]:
    shift = stored.get("shift_hour")
    return {"name": stored["name"], "date": stored["date"], "type": stored["type"], "shift_hour": shift}


def calendar_of(shift_id: str | None) -> str:
    return shift_id or BUSINESS_CALENDAR


def check_range(day: date, first: date, path: str) -> None:
    """Within the current fiscal year (from ``first``) and the next one."""
    if not first <= day < first.replace(year=first.year + 2):
        raise ZohoError("INVALID_DATA", at(path, "date"), Message.HOLIDAY_DATE_RANGE)


def check_limit(count_after: int, path: str) -> None:
    if count_after > LIMIT_PER_YEAR:
        details = {"limit": LIMIT_PER_YEAR, "limit_due_to": [at(path, "type")]}
        raise ZohoError("LIMIT_EXCEEDED", details, Message.HOLIDAY_LIMIT)


def duplicate(path: str) -> ZohoError:
    return ZohoError("DUPLICATE_DATA", at(path, "name"))


def holiday(holiday_id: str, clean: Mapping[str, Any], shift_name: str | None) -> dict[str, Any]:
    """The wire object: ``shift_hour`` null for a business holiday (the file's description)."""
    shift = {"name": shift_name, "id": clean["shift_id"]} if clean["shift_id"] is not None else None
    day: date = clean["date"]
    return {
        "id": holiday_id,
        "name": clean["name"],
        "date": day.isoformat(),
        "year": day.year,
        "type": clean["type"],
        "shift_hour": shift,
    }


def holiday_id_of(item: Any, path: str) -> str:
    """The ``id`` a bulk-update item names: MANDATORY_NOT_FOUND when absent, INVALID_DATA "Invalid
    holiday id" ``{expected_data_type: long}`` when it is no id."""
    if not isinstance(item, dict) or item.get("id") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
    found = normalize_id(item["id"])
    if found is None:
        raise unknown_id(path)
    return found


def unknown_id(path: str) -> ZohoError:
    return ZohoError("INVALID_DATA", {"expected_data_type": "long", **at(path, "id")}, Message.HOLIDAY_UNKNOWN_ID)


def pattern_not_matched(param: str) -> ZohoError:
    """A list param that is not one of its values (Zoho's getHolidays example: ``{param_name}``)."""
    return ZohoError("PATTERN_NOT_MATCHED", {"param_name": param})


def year_param(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or not YEARS[0] <= int(raw) <= YEARS[1]:
        raise pattern_not_matched("year")
    return int(raw)


def type_param(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    if raw not in TYPES:
        raise pattern_not_matched("type")
    return raw


def shift_param(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    found = normalize_id(raw)
    if found is None:
        raise pattern_not_matched("shift_id")
    return found


def page_param(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or len(raw) > 9:
        raise pattern_not_matched("page")
    return int(raw)
