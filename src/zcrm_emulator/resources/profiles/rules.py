"""Profiles' rules (REFERENCE §3.4; OAS profiles.json; OASx cloneProfile, updateProfile,
deleteProfile): what the list shows, the keys of a clone or an update, and which profiles may
change. The Administrator profile is the system profile: never edited, never deleted; the other
standard profile (Standard) is edited but not deleted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import at

DETAIL_ONLY = ("permissions_details", "sections")
ENVELOPE = "profiles"
CREATED, UPDATED, DELETED = "profile created successfully", "profile updated successfully", "Profile deleted"
SYSTEM_PROFILE = "Administrator"
NAME_MAX, DESCRIPTION_MAX = 50, 250  # v8 "Create a Profile"
NAME_FORBIDDEN = frozenset("#%&()*^")  # OASx InvalidProfileNameSpecialChars


def listed(profiles: Iterable[dict[str, Any]], *, include_lite: bool) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in profile.items() if k not in DETAIL_ONLY}
        for profile in profiles
        if include_lite or profile.get("type") != "lite_profile"
    ]


def the_item(body: Mapping[str, Any]) -> Any:
    """The one profile of a clone or update body (profiles.json Profiles_Invalid_Datatype,
    Profiles_Empty, Profiles_Length_Violation)."""
    items = body.get(ENVELOPE)
    if items is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}"})
    if not isinstance(items, list):
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "expected_data_type": "jsonarray"})
    if not items:
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE})
    if len(items) > 1:
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "maximum_length": 1})
    return items[0]


def check_keys(item: Any, path: str, *, creating: bool) -> dict[str, Any]:
    """``name`` (mandatory on a clone) and ``description`` of one profile, checked."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"})
    clean: dict[str, Any] = {}
    if creating and item.get("name") in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
    if item.get("name") is not None:  # null: the name stays
        name = item["name"]
        if not isinstance(name, str) or not name.strip():
            raise ZohoError("INVALID_DATA", at(path, "name", expected_data_type="text"))
        name = name.strip()
        if len(name) > NAME_MAX:
            raise ZohoError("INVALID_DATA", at(path, "name", maximum_length=NAME_MAX))
        if any(ch in NAME_FORBIDDEN for ch in name):
            raise ZohoError("INVALID_DATA", at(path, "name"), Message.PROFILE_NAME_SPECIAL)
        clean["name"] = name
    if item.get("description") is not None:
        text = item["description"]
        if not isinstance(text, str):
            raise ZohoError("INVALID_DATA", at(path, "description", expected_data_type="text"))
        if len(text) > DESCRIPTION_MAX:
            details = {"api_name": "Description", "json_path": f"{path}.description", "maximum_length": DESCRIPTION_MAX}
            raise ZohoError("INVALID_DATA", details)
        clean["description"] = text
    return clean


def check_name_free(profiles: Iterable[dict[str, Any]], name: str, path: str, except_id: str | None) -> None:
    """DUPLICATE_DATA for a name another profile has, whatever its case, naming that profile
    (profiles.json DUPLICATE_DATA: ``{api_name, id}``; OASx: ``{api_name, json_path}``)."""
    for other in profiles:
        if other["name"].casefold() == name.casefold() and other["id"] != except_id:
            raise ZohoError("DUPLICATE_DATA", at(path, "name", id=other["id"]))


def apply_permissions(profile: dict[str, Any], changes: Any, path: str) -> list[dict[str, Any]]:
    """The profile's ``permissions_details`` with each ``{id, enabled}`` sent applied; a child
    permission is enabled only with its parents (OASx ChildPermissionParentDisabled)."""
    where = f"{path}.permissions_details"
    if not isinstance(changes, list):
        raise ZohoError("INVALID_DATA", at(path, "permissions_details", expected_data_type="jsonarray"))
    current = [dict(p) for p in profile.get("permissions_details") or []]
    by_id = {p["id"]: p for p in current}
    for index, change in enumerate(changes):
        spot = f"{where}[{index}]"
        if not isinstance(change, dict):
            raise ZohoError("INVALID_DATA", {"api_name": "permissions_details", "json_path": spot})
        if change.get("id") in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", at(spot, "id"))
        permission = by_id.get(str(change["id"]))
        if permission is None:
            raise ZohoError("INVALID_DATA", at(spot, "id"), Message.PROFILE_PERMISSION_INVALID)
        if "enabled" not in change:
            raise ZohoError("MANDATORY_NOT_FOUND", at(spot, "enabled"))
        if not isinstance(change["enabled"], bool):
            raise ZohoError("INVALID_DATA", at(spot, "enabled", expected_data_type="boolean"))
        permission["enabled"] = change["enabled"]
    for index, change in enumerate(changes):
        permission = by_id[str(change["id"])]
        parents = [by_id.get(p) or {} for p in permission.get("parent_permissions") or []]
        if permission["enabled"] and any(not parent.get("enabled", True) for parent in parents):
            raise ZohoError("INVALID_DATA", at(f"{where}[{index}]", "id"), Message.PROFILE_PARENT_DISABLED)
    return current


def check_editable(profile: Mapping[str, Any]) -> None:
    if profile["name"] == SYSTEM_PROFILE and not profile.get("custom"):
        raise ZohoError("NOT_ALLOWED", {"resource_path_index": 2}, Message.PROFILE_SYSTEM_UPDATE)


def check_deletable(profile: Mapping[str, Any]) -> None:
    """Only profiles made by cloning go (OASx SystemProfileNotAllowed, InvalidDeleteRequest)."""
    if profile["name"] == SYSTEM_PROFILE and not profile.get("custom"):
        raise ZohoError("NOT_ALLOWED", {"resource_path_index": 2}, Message.PROFILE_SYSTEM_DELETE)
    if not profile.get("custom"):
        raise ZohoError("CANNOT_DELETE", {})
