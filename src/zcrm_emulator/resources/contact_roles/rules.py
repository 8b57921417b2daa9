"""Contact roles' rules (v8 "Get/Insert/Update/Delete Contact Roles"; OAS contact_roles.json): a name
(mandatory on create, at most 50 characters, unique regardless of case) and an optional position,
``sequence_number``; at most 100 roles per call. Positions stay 1..n: a role placed at a position
moves the ones from there down by one, and a deleted role's followers move up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.validation import at

Role = dict[str, Any]

ENVELOPE = "contact_roles"
ADDED, UPDATED, DELETED = "contact role added", "contact role updated", "contact role deleted"
NAME_MAX = 50  # contact_roles.json Contact_Role.name maxLength
MAX_PER_CALL = 100  # "You can insert a maximum of 100 contact roles per API call"


def as_object(item: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"})
    return item


def check_keys(item: Mapping[str, Any], path: str, *, creating: bool) -> dict[str, Any]:
    """The name (trimmed) and position of one item, checked."""
    clean: dict[str, Any] = {}
    if creating and item.get("name") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
    if item.get("name") is not None:
        name = item["name"]
        if not isinstance(name, str):
            raise ZohoError("INVALID_DATA", at(path, "name", expected_data_type="text"))
        name = name.strip()
        if not name:
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
        if len(name) > NAME_MAX:
            raise ZohoError("INVALID_DATA", at(path, "name", maximum_length=NAME_MAX))
        clean["name"] = name
    if item.get("sequence_number") is not None:
        position = item["sequence_number"]
        if not isinstance(position, int) or isinstance(position, bool):
            raise ZohoError("INVALID_DATA", at(path, "sequence_number", expected_data_type="integer"))
        if position < 1:
            raise ZohoError("INVALID_DATA", at(path, "sequence_number"))
        clean["sequence_number"] = position
    return clean


def name_taken(roles: list[Role], name: str, except_id: str | None) -> bool:
    return any(r["name"].casefold() == name.casefold() and r["id"] != except_id for r in roles)


def ordered(roles: list[Role]) -> list[Role]:
    return sorted(roles, key=lambda r: (r.get("sequence_number") or 0, r["id"]))


def place(roles: list[Role], role: Role, position: int | None) -> list[Role]:
    """Every role with its position once ``role`` (new or moved) sits at ``position`` (None: where
    it is, or last when new); positions past the end mean last."""
    others = [r for r in ordered(roles) if r["id"] != role["id"]]
    if position is None:
        current = next((i for i, r in enumerate(ordered(roles)) if r["id"] == role["id"]), len(others))
        position = current + 1
    index = min(max(position, 1), len(others) + 1) - 1
    others.insert(index, role)
    return [{**r, "sequence_number": i + 1} for i, r in enumerate(others)]


def renumbered(roles: list[Role]) -> list[Role]:
    return [{**r, "sequence_number": i + 1} for i, r in enumerate(ordered(roles))]
