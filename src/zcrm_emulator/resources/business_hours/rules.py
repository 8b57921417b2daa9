"""Business hours: the input rules and the stored object (``/settings/business_hours``).

Sources: OAS business_hours.json and Zoho's per-operation examples and pages for v8 ("Add / Update /
Get Business Hours"). An org has one business hours object: ``type`` 24_by_7, 24_by_5 or custom,
``week_starts_on``, and for 24_by_5 and custom the ``business_days``; custom hours are the same every
day (``daily_timing``: start and end, "HH:mm") or per day (``custom_timing``). Errors follow the file's
shapes: MANDATORY_NOT_FOUND ``{api_name, json_path}``, INVALID_DATA with ``expected_data_type`` and, for
times, the ``regex`` they must match. Plain functions: no HTTP, no SQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import at

ENVELOPE = "business_hours"
SAVED = "Business Hours saved successfully"

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TYPES = ("24_by_7", "24_by_5", "custom")
TIME_REGEX = "^([0-1][0-9]|2[0-3]):[0-5][0-9]$"
TIME = re.compile(TIME_REGEX)
WHOLE_DAY = ["00:00", "23:59"]  # the hours of a day of a 24-hour type
SETTABLE = ("type", "week_starts_on", "business_days", "same_as_everyday", "daily_timing", "custom_timing")


def business_hours_of(body: Mapping[str, Any]) -> dict[str, Any]:
    """The object under the envelope key: MANDATORY_NOT_FOUND when absent (answered bare, as the
    file's root alternative), INVALID_DATA when it is no object."""
    found = body.get(ENVELOPE)
    if found is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}"})
    if not isinstance(found, dict):
        raise ZohoError("INVALID_DATA", typed("$", ENVELOPE, "jsonobject"))
    return found


def typed(path: str, name: str, expected: str) -> dict[str, Any]:
    return at(path, name, expected_data_type=expected)


def choice(value: Any, path: str, name: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise ZohoError("INVALID_DATA", typed(path, name, "text"))
    if value not in choices:
        raise ZohoError("INVALID_DATA", at(path, name, supported_values=list(choices)))
    return value


def day_list(value: Any, path: str, name: str) -> list[str]:
    """A non-empty list of distinct day names, kept in the week's order."""
    if not isinstance(value, list):
        raise ZohoError("INVALID_DATA", typed(path, name, "jsonarray"))
    if not value:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, name))
    for day in value:
        choice(day, path, name, DAYS)
    if len(set(value)) != len(value):
        raise ZohoError("INVALID_DATA", at(path, name))
    return [day for day in DAYS if day in value]


def timing(value: Any, path: str, name: str) -> list[str]:
    """A start and an end, each "HH:mm", the start before the end."""
    if not isinstance(value, list):
        raise ZohoError("INVALID_DATA", typed(path, name, "jsonarray"))
    if len(value) != 2:
        raise ZohoError("INVALID_DATA", at(path, name, expected_data_type="jsonarray", maximum_length=2))
    for moment in value:
        if not isinstance(moment, str) or not TIME.fullmatch(moment):
            raise ZohoError("INVALID_DATA", at(path, name, expected_data_type="text", regex=TIME_REGEX))
    if value[0] >= value[1]:
        raise ZohoError("INVALID_DATA", at(path, name))
    return [value[0], value[1]]


def _custom_timing(value: Any, path: str, business_days: list[str]) -> list[dict[str, Any]]:
    """One entry per business day, each ``{days, business_timing}``; ``_delete`` entries are dropped
    by the caller before this check."""
    name = "custom_timing"
    if not isinstance(value, list):
        raise ZohoError("INVALID_DATA", typed(path, name, "jsonarray"))
    by_day: dict[str, list[str]] = {}
    for index, entry in enumerate(value):
        entry_path = f"{path}.{name}[{index}]"
        if not isinstance(entry, dict):
            raise ZohoError("INVALID_DATA", {"json_path": entry_path, "expected_data_type": "jsonobject"})
        for key in ("days", "business_timing"):
            if entry.get(key) is None:
                raise ZohoError("MANDATORY_NOT_FOUND", at(entry_path, key))
        day = choice(entry["days"], entry_path, "days", DAYS)
        if day not in business_days:
            raise ZohoError("INVALID_DATA", at(entry_path, "days"))
        if day in by_day:
            raise ZohoError("INVALID_DATA", at(entry_path, "days"))
        by_day[day] = timing(entry["business_timing"], entry_path, "business_timing")
    missing = [day for day in business_days if day not in by_day]
    if missing:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, name))
    return [{"days": day, "business_timing": by_day[day]} for day in business_days]


def without_deleted(entries: Any) -> Any:
    """An update's ``custom_timing`` with the days marked ``_delete: true`` taken out."""
    if not isinstance(entries, list):
        return entries
    return [e for e in entries if not (isinstance(e, dict) and e.get("_delete") is True)]


def merged_timing(stored: Any, given: Any) -> Any:
    """An update's ``custom_timing`` over the stored one: entries replace the stored day they name,
    ``_delete`` removes it, days not named keep their hours."""
    if not isinstance(given, list) or not isinstance(stored, list):
        return without_deleted(given)
    named = {e.get("days") for e in given if isinstance(e, dict)}
    kept = [e for e in stored if e.get("days") not in named]
    return [*kept, *without_deleted(given)]


def check(item: Mapping[str, Any], path: str = f"$.{ENVELOPE}") -> dict[str, Any]:
    """The whole business hours object (a create's input, or an update merged over the stored one),
    normalized. Raises the first error."""
    for key in ("type", "week_starts_on"):
        if item.get(key) is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))
    kind = choice(item["type"], path, "type", TYPES)
    week_starts_on = choice(item["week_starts_on"], path, "week_starts_on", DAYS)
    if kind == "24_by_7":
        days = list(DAYS)
    elif item.get("business_days") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "business_days"))
    else:
        days = day_list(item["business_days"], path, "business_days")
    same = item.get("same_as_everyday")
    if same is not None and not isinstance(same, bool):
        raise ZohoError("INVALID_DATA", typed(path, "same_as_everyday", "boolean"))
    result: dict[str, Any] = {"type": kind, "week_starts_on": week_starts_on, "business_days": days}
    if kind != "custom":
        return {**result, "same_as_everyday": True, "daily_timing": list(WHOLE_DAY), "custom_timing": []}
    if same is False:
        if item.get("custom_timing") is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "custom_timing"))
        custom = _custom_timing(item["custom_timing"], path, days)
        return {**result, "same_as_everyday": False, "daily_timing": [], "custom_timing": custom}
    if item.get("daily_timing") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "daily_timing"))
    daily = timing(item["daily_timing"], path, "daily_timing")
    return {**result, "same_as_everyday": True, "daily_timing": daily, "custom_timing": []}


def checked_id(item: Mapping[str, Any], stored_id: str, path: str = f"$.{ENVELOPE}") -> None:
    """An update may name the business hours by ``id``: it must be theirs."""
    given = item.get("id")
    if given is not None and str(given) != stored_id:
        raise ZohoError("INVALID_DATA", at(path, "id"), Message.UNKNOWN_ID)


def update_input(stored: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    """An update's keys over the stored object: what ``check`` then validates whole. A change of type
    to custom does not carry a 24-hour type's resting timings over."""
    merged = {key: stored.get(key) for key in SETTABLE}
    if item.get("type") == "custom" and stored.get("type") != "custom":
        merged.update(same_as_everyday=None, daily_timing=None, custom_timing=None)
    for key in SETTABLE:
        if key in item:
            merged[key] = item[key]
    if "custom_timing" in item:
        merged["custom_timing"] = merged_timing(stored.get("custom_timing") or [], item["custom_timing"])
        if "same_as_everyday" not in item and "daily_timing" not in item:
            merged["same_as_everyday"] = False  # per-day timings alone: the hours differ by day
    elif "daily_timing" in item and "same_as_everyday" not in item:
        merged["same_as_everyday"] = True
    return merged


def wire(stored: Mapping[str, Any], timezone: str) -> dict[str, Any]:
    """The object GET answers: every key the file requires, and the org's time zone (Zoho's example)."""
    return {"id": stored["id"], **{key: stored[key] for key in SETTABLE}, "timezone": timezone}
