"""Users' rules (REFERENCE §3.6; OAS users.json, users_transfer_delete.json; OASx createUser,
updateSingleUser, deleteUser): which users a ``type`` filter selects, the keys a write may carry and
how each is checked, the status changes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import at

User = dict[str, Any]

ENVELOPE = "users"
ADDED, UPDATED, DELETED = "User added", "User updated", "User deleted"
TRANSFER_ENVELOPE = "transfer_and_delete"

ACTIVE, DISABLED, DELETED_STATUS = "active", "disabled", "deleted"


def _active(u: User) -> bool:
    return u.get("status") == ACTIVE


def _admin(u: User) -> bool:
    return (u.get("profile") or {}).get("name") == "Administrator"


TYPE_FILTERS: dict[str, Callable[[User], bool]] = {
    "AllUsers": lambda u: u.get("status") != DELETED_STATUS,
    "ActiveUsers": _active,
    "DeactiveUsers": lambda u: u.get("status") in (DISABLED, "inactive"),
    "ConfirmedUsers": lambda u: bool(u.get("confirm")),
    "NotConfirmedUsers": lambda u: not u.get("confirm"),
    "DeletedUsers": lambda u: u.get("status") == DELETED_STATUS,
    "ActiveConfirmedUsers": lambda u: _active(u) and bool(u.get("confirm")),
    "AdminUsers": _admin,
    "ActiveConfirmedAdmins": lambda u: _admin(u) and _active(u) and bool(u.get("confirm")),
}


def select_users(all_users: list[User], user_type: str, current_user_id: str) -> list[User]:
    if user_type == "CurrentUser":
        return [u for u in all_users if u["id"] == current_user_id]
    keep = TYPE_FILTERS.get(user_type)
    if keep is None:
        raise ZohoError("INVALID_DATA", {"param_name": "type", "supported_values": [*TYPE_FILTERS, "CurrentUser"]})
    return [u for u in all_users if keep(u)]


def active_count(people: list[User]) -> int:
    """Users holding a license: the active ones (Zoho help "Activating and Deactivating Users")."""
    return sum(1 for u in people if _active(u))


# --- the keys of a write -------------------------------------------------------------------------
NAME_MAX = 50  # users.json: first_name, last_name maxLength
# What Zoho answers "Special Characters Found" for in a name (OASx SpecialCharacterInField).
NAME_FORBIDDEN = frozenset('<>"#$%^*=+{}[]|\\/?;:!@&()')
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOCALE = re.compile(r"^[a-z]{2}(_[A-Z]{2})?$")
TIME_FORMATS = ("HH:mm", "hh:mm a")  # users.json time_format enum
DECIMAL_SEPARATORS = ("Comma", "Period")
NUMBER_SEPARATORS = ("Comma", "Period", "Space")
STATUSES = (ACTIVE, DISABLED)
# Server-kept keys a client may not send (OASx AddingCreatedByOrModifiedByField).
AUDIT_KEYS = ("created_by", "Modified_By", "created_time", "Modified_Time")
# Free text a user's record keeps as sent.
TEXT_KEYS = (
    "alias",
    "phone",
    "mobile",
    "fax",
    "website",
    "street",
    "city",
    "state",
    "zip",
    "country",
    "signature",
    "date_format",
    "name_format__s",
    "sort_order_preference__s",
    "Currency",
    "dob",
)
MANDATORY_ON_CREATE = ("email", "role", "profile")


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _text(value: Any, path: str, key: str) -> str:
    if not isinstance(value, str):
        raise ZohoError("INVALID_DATA", {**at(path, key), "expected_data_type": "text"})
    return value


def _name(value: Any, path: str, key: str) -> str:
    text = _text(value, path, key).strip()
    if len(text) > NAME_MAX:
        raise ZohoError("INVALID_DATA", {**at(path, key), "maximum_length": NAME_MAX})
    if any(ch in NAME_FORBIDDEN for ch in text):
        raise ZohoError("INVALID_DATA", at(path, key), Message.USER_SPECIAL_CHARACTERS)
    return text


def reference_id(value: Any, path: str, key: str) -> str:
    """A role or profile as sent: its id, or ``{"id": …}`` (OASx sends ``{name, id}``)."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ZohoError("INVALID_DATA", at(path, key), Message.USER_REFERENCE_INVALID)
    return value.strip()


def _choice(value: Any, choices: tuple[str, ...], error: ZohoError) -> str:
    if isinstance(value, str):
        for choice in choices:
            if choice.lower() == value.strip().lower():
                return choice
    raise error


def check_keys(item: Mapping[str, Any], path: str, *, creating: bool) -> dict[str, Any]:
    """The keys of one ``users`` item, checked and normalized; unknown keys are left out."""
    for key in AUDIT_KEYS:
        if key in item:
            raise ZohoError("NOT_SUPPORTED", at(path, key), Message.USER_AUDIT_FIELDS_FIXED)
    if creating:
        for key in MANDATORY_ON_CREATE:
            if item.get(key) in (None, ""):
                raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))
        if not item.get("first_name") and not item.get("last_name"):
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "last_name"))
    clean: dict[str, Any] = {}
    for key in ("first_name", "last_name"):
        if item.get(key) is not None:
            clean[key] = _name(item[key], path, key)
    if item.get("email") is not None:
        email = _text(item["email"], path, "email").strip()
        if not EMAIL.match(email):
            raise ZohoError("INVALID_DATA", {"api_name": "email"}, Message.USER_EMAIL_INVALID)
        clean["email"] = email
    for key in ("role", "profile"):
        if item.get(key) is not None:
            clean[key] = reference_id(item[key], path, key)
    if "status" in item and not creating:
        bad = ZohoError("INVALID_DATA", at(path, "status"), Message.USER_PATTERN_NOT_MATCHED)
        clean["status"] = _choice(item["status"], STATUSES, bad)
    clean.update(_preferences(item, path))
    for key in TEXT_KEYS:
        if key in item:
            clean[key] = None if item[key] is None else _text(item[key], path, key)
    if item.get("Reporting_To") is not None:
        clean["Reporting_To"] = reference_id(item["Reporting_To"], path, "Reporting_To")
    return clean


def _preferences(item: Mapping[str, Any], path: str) -> dict[str, Any]:
    """Locale, time and number preferences (OASx InvalidDataErrorResponse, PatternMismatchInField,
    InvalidLanguageCode, InvalidNumberSeparator, InvalidDecimalSeparator)."""
    clean: dict[str, Any] = {}
    if item.get("time_zone") is not None:
        zone = item["time_zone"]
        if not isinstance(zone, str) or zone not in time_zones():
            raise ZohoError("INVALID_DATA", at(path, "time_zone"), Message.USER_TIME_ZONE_INVALID)
        clean["time_zone"] = zone
    for key in ("language", "locale", "country_locale"):
        if item.get(key) is not None:
            if not isinstance(item[key], str) or not LOCALE.match(item[key]):
                raise ZohoError("INVALID_DATA", at(path, key), Message.USER_LANGUAGE_INVALID)
            clean[key] = item[key]
    if item.get("time_format") is not None:
        bad = ZohoError("INVALID_DATA", at(path, "time_format"), Message.USER_PATTERN_NOT_MATCHED)
        if item["time_format"] not in TIME_FORMATS:
            raise bad
        clean["time_format"] = item["time_format"]
    separators = (
        ("decimal_separator", DECIMAL_SEPARATORS, Message.USER_DECIMAL_SEPARATOR_INVALID),
        ("number_separator", NUMBER_SEPARATORS, Message.USER_NUMBER_SEPARATOR_INVALID),
    )
    for key, choices, message in separators:
        if item.get(key) is not None:
            clean[key] = _choice(item[key], choices, ZohoError("INVALID_DATA", at(path, key), message))
    return clean


def check_separators(user: User, path: str) -> None:
    """The number and decimal separators of a user differ (OASx NumberAndDecimalSeparatorMismatch)."""
    if user.get("number_separator") and user.get("number_separator") == user.get("decimal_separator"):
        details = {"mapped_field": at(path, "number_separator"), **at(path, "decimal_separator")}
        raise ZohoError("MAPPING_MISMATCH", details, Message.USER_SEPARATORS_SAME)


# --- status changes (OASx updateSingleUser) ---------------------------------------------------------
def check_status_change(user: User, status: str, path: str, *, caller_id: str, primary_zuid: str | None) -> None:
    """Deactivating: not oneself, not the org's primary contact, not twice. Activating: not twice
    (the license count is the service's)."""
    if status == DISABLED:
        if user["id"] == caller_id:
            raise ZohoError("INVALID_REQUEST", {}, Message.USER_LOGGED_IN)
        if primary_zuid is not None and user.get("zuid") == primary_zuid:
            raise ZohoError(
                "INVALID_REQUEST", {"id": user["id"], "json_path": f"{path}.id"}, Message.USER_PRIMARY_DEACTIVATE
            )
        if user.get("status") != ACTIVE:
            raise ZohoError("ID_ALREADY_DEACTIVATED", {"api_name": "id", "id": f"{path}.id"})
    elif user.get("status") == ACTIVE:
        raise ZohoError("ID_ALREADY_ACTIVE", {"id": user["id"], "json_path": f"{path}.id"})


def check_deletable(user: User, *, caller_id: str, primary_zuid: str | None, path: str) -> None:
    """Deleting: not twice, not oneself, not the org's primary contact (OASx deleteUser;
    users_transfer_delete.json User_API_Exception messages)."""
    if user.get("status") == DELETED_STATUS:
        raise ZohoError("ID_ALREADY_DELETED", {"json_path": f"{path}.id", "id": user["id"]})
    if user["id"] == caller_id:
        raise ZohoError("INVALID_REQUEST", {}, Message.USER_LOGGED_IN)
    if primary_zuid is not None and user.get("zuid") == primary_zuid:
        raise ZohoError("INVALID_REQUEST", {}, Message.USER_PRIMARY_DELETE)
