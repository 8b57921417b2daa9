"""Shift hours: the input rules and the shift object (``/settings/business_hours/shift_hours``).

Sources: OAS shift_hours.json, the "Shift Hours" pages (v4 onwards) and Zoho's per-operation examples
for v8 (createShifts, updateShiftHours, updateSingleShiftHour, deleteSingleShiftHour, getShifts). A
shift has a name unique in the org, a time zone, its days and timings (the same every day or per
day), at most two breaks within it, and users. Shift timing is set only on the days the org does
business and within its business hours. Plain functions: no HTTP, no SQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import available_timezones

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.business_hours.rules import DAYS, choice, day_list, timing, typed
from zcrm_emulator.validation import at

ENVELOPE = "shift_hours"
SUCCESS = "Success"  # Zoho's message for each operation (OASx createShifts, updateShiftHours …)
NAME_MAX = 80
NAME_FORBIDDEN = frozenset("#%^")
MAX_BREAKS = 2
MAX_ITEMS = 50  # shifts in one create or update
PATH_ID_INDEX = 3  # settings/business_hours/shift_hours/{id}
SETTABLE = ("name", "timezone", "shift_days", "same_as_everyday", "daily_timing", "custom_timing", "break_hours")
MANDATORY = ("name", "timezone", "shift_days", "same_as_everyday")


def check_name(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ZohoError("INVALID_DATA", typed(path, "name", "text"))
    name = value.strip()
    if not name:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
    if len(value) > NAME_MAX:
        raise ZohoError("INVALID_DATA", at(path, "name", maximum_length=NAME_MAX))
    if NAME_FORBIDDEN.intersection(name):
        raise ZohoError("INVALID_DATA", at(path, "name"), Message.SHIFT_NAME_CHARACTERS)
    return name


def check_timezone(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ZohoError("INVALID_DATA", typed(path, "timezone", "text"))
    if value not in available_timezones():
        raise ZohoError("INVALID_DATA", at(path, "timezone"))
    return value


def _per_day(value: Any, path: str, name: str, timing_key: str, days: list[str]) -> list[dict[str, Any]]:
    """``[{days, <timing_key>}]``: one entry for each of ``days``, in the week's order."""
    if not isinstance(value, list):
        raise ZohoError("INVALID_DATA", typed(path, name, "jsonarray"))
    by_day: dict[str, list[str]] = {}
    for index, entry in enumerate(value):
        entry_path = f"{path}.{name}[{index}]"
        if not isinstance(entry, dict):
            raise ZohoError("INVALID_DATA", {"json_path": entry_path, "expected_data_type": "jsonobject"})
        for key in ("days", timing_key):
            if entry.get(key) is None:
                raise ZohoError("MANDATORY_NOT_FOUND", at(entry_path, key))
        day = choice(entry["days"], entry_path, "days", DAYS)
        if day not in days or day in by_day:
            raise ZohoError("INVALID_DATA", at(entry_path, "days"))
        by_day[day] = timing(entry[timing_key], entry_path, timing_key)
    if any(day not in by_day for day in days):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, name))
    return [{"days": day, timing_key: by_day[day]} for day in days]


def _timings(item: Mapping[str, Any], path: str, days: list[str], timing_key: str) -> tuple[bool, list[str], Any]:
    """``same_as_everyday`` and the timings it makes mandatory: ``(same, daily, custom)``; the unused
    one is [] for daily timings and None for per-day ones (Zoho's getShifts example)."""
    same = item.get("same_as_everyday")
    if not isinstance(same, bool):
        raise ZohoError("INVALID_DATA", typed(path, "same_as_everyday", "boolean"))
    if same:
        if item.get("daily_timing") is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "daily_timing"))
        return True, timing(item["daily_timing"], path, "daily_timing"), None
    if item.get("custom_timing") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "custom_timing"))
    return False, [], _per_day(item["custom_timing"], path, "custom_timing", timing_key, days)


def hours_on(shift: Mapping[str, Any], day: str) -> list[str]:
    """A shift's (or a break's) start and end on ``day``."""
    if shift["same_as_everyday"]:
        return list(shift["daily_timing"])
    timings = {entry["days"]: entry for entry in shift["custom_timing"]}
    entry = timings[day]
    return list(entry.get("shift_timing") or entry.get("break_timing"))


def _breaks(value: Any, path: str, shift: Mapping[str, Any]) -> list[dict[str, Any]]:
    """At most two breaks, on days of the shift and within its hours."""
    name = "break_hours"
    if not isinstance(value, list):
        raise ZohoError("INVALID_DATA", typed(path, name, "jsonarray"))
    if len(value) > MAX_BREAKS:
        raise ZohoError("INVALID_DATA", at(path, name, maximum_length=MAX_BREAKS))
    breaks = []
    for index, entry in enumerate(value):
        entry_path = f"{path}.{name}[{index}]"
        if not isinstance(entry, dict):
            raise ZohoError("INVALID_DATA", {"json_path": entry_path, "expected_data_type": "jsonobject"})
        for key in ("break_days", "same_as_everyday"):
            if entry.get(key) is None:
                raise ZohoError("MANDATORY_NOT_FOUND", at(entry_path, key))
        days = day_list(entry["break_days"], entry_path, "break_days")
        if any(day not in shift["shift_days"] for day in days):
            raise ZohoError("INVALID_DATA", at(entry_path, "break_days"))
        same, daily, custom = _timings(entry, entry_path, days, "break_timing")
        made = {"break_days": days, "same_as_everyday": same, "daily_timing": daily, "custom_timing": custom}
        for day in days:
            start, end = hours_on(made, day)
            shift_start, shift_end = hours_on(shift, day)
            if start < shift_start or end > shift_end:
                key = "daily_timing" if same else "custom_timing"
                raise ZohoError("INVALID_DATA", at(entry_path, key))
        breaks.append(made)
    return breaks


def within_business_hours(shift: Mapping[str, Any], business: Mapping[str, Any] | None, path: str) -> None:
    """Shift timing only on business days, and within custom business hours."""
    if business is None:
        return
    for day in shift["shift_days"]:
        if day not in business["business_days"]:
            raise ZohoError("INVALID_DATA", at(path, "shift_days"))
        if business["type"] != "custom":
            continue
        open_hours = (
            business["daily_timing"]
            if business["same_as_everyday"]
            else next(t["business_timing"] for t in business["custom_timing"] if t["days"] == day)
        )
        start, end = hours_on(shift, day)
        if start < open_hours[0] or end > open_hours[1]:
            key = "daily_timing" if shift["same_as_everyday"] else "custom_timing"
            raise ZohoError("INVALID_DATA", at(path, key))


def check(item: Mapping[str, Any], path: str) -> dict[str, Any]:
    """A shift's settable keys (a create's item, or an update merged over the stored shift), whole."""
    for key in MANDATORY:
        if item.get(key) is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))
    name = check_name(item["name"], path)
    zone = check_timezone(item["timezone"], path)
    days = day_list(item["shift_days"], path, "shift_days")
    same, daily, custom = _timings(item, path, days, "shift_timing")
    shift = {
        "name": name,
        "timezone": zone,
        "shift_days": days,
        "same_as_everyday": same,
        "daily_timing": daily,
        "custom_timing": custom,
    }
    shift["break_hours"] = _breaks(item.get("break_hours") or [], path, shift)
    return shift


def update_input(stored: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    """An update's keys over the stored shift; timings of the other kind than the one now in use
    are not carried over."""
    merged = {key: stored.get(key) for key in SETTABLE}
    merged.update({key: item[key] for key in SETTABLE if key in item})
    return merged


def user_ids(value: Any, path: str) -> list[str]:
    """``users``: ``[{id}]``, each id once."""
    if not isinstance(value, list):
        raise ZohoError("INVALID_DATA", typed(path, "users", "jsonarray"))
    found: list[str] = []
    for index, entry in enumerate(value):
        entry_path = f"{path}.users[{index}]"
        raw = entry.get("id") if isinstance(entry, dict) else None
        user_id = normalize_id(raw)
        if user_id is None:
            raise ZohoError("INVALID_DATA", at(entry_path, "id"), Message.UNKNOWN_ID)
        if user_id not in found:
            found.append(user_id)
    return found


def member(user: Mapping[str, Any], effective_from: str | None) -> dict[str, Any]:
    """A user as a shift lists them (shift_hours.json ``users``)."""
    role = user.get("role") or {}
    return {
        "role": {"name": role.get("name"), "id": role.get("id")},
        "name": user["full_name"],
        "id": user["id"],
        "email": user["email"],
        "zuid": str(user.get("zuid") or ""),
        "effective_from": effective_from,
    }


def holiday_of(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A shift's holiday as the shift lists it: ``{date, year, name, id}``."""
    return {key: stored[key] for key in ("date", "year", "name", "id")}


def wire(shift: Mapping[str, Any], holidays: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        **shift,
        "users_count": len(shift["users"]),
        "holidays": [holiday_of(h) for h in holidays],
    }


def shift_count(shifts: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    return {"total_shift_with_user": sum(1 for s in shifts if s["users"]), "total_shift": len(shifts)}
