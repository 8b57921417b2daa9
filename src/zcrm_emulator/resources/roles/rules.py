"""Roles' rules (REFERENCE §3.5; OAS roles.json; OASx createRoles, updateRole, deleteRole; v8
"Create Role", "Transfer Users and Delete Role"): the keys of a write and the hierarchy. Roles form
one tree under the top role (``reporting_to`` null, CEO in a fresh org): a role reports to another
role of the tree, never to itself or a role below it, and the top role stays on top."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import at

Role = dict[str, Any]

ENVELOPE = "roles"
ADDED, UPDATED, DELETED = "Role added", "Role updated", "Role Deleted"
NAME_MAX = 200  # OASx createRoles Error: "Invalid role name" with maximum_length 200
NAME_FORBIDDEN = frozenset("#")  # a name with # is refused (v8 "Create Role" errors)
DESCRIPTION_MAX = 250


def reference_id(value: Any) -> str | None:
    """``reporting_to`` as sent: an id or ``{"id": …}``; None when neither."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def check_keys(item: Mapping[str, Any], path: str, *, creating: bool) -> dict[str, Any]:
    """The keys of one ``roles`` item, checked; ``reporting_to`` as the id sent."""
    clean: dict[str, Any] = {}
    if creating and item.get("name") in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
    if "name" in item:
        name = item["name"]
        if not isinstance(name, str):
            raise ZohoError("INVALID_DATA", at(path, "name", expected_data_type="text"))
        name = name.strip()
        if not name or len(name) > NAME_MAX or any(ch in NAME_FORBIDDEN for ch in name):
            raise ZohoError("INVALID_DATA", at(path, "name", maximum_length=NAME_MAX), Message.ROLE_NAME_INVALID)
        clean["name"] = name
    if item.get("description") is not None:
        text = item["description"]
        if not isinstance(text, str):
            raise ZohoError("INVALID_DATA", at(path, "description", expected_data_type="text"))
        if len(text) > DESCRIPTION_MAX:
            raise ZohoError("INVALID_DATA", at(path, "description", maximum_length=DESCRIPTION_MAX))
        clean["description"] = text
    if item.get("share_with_peers") is not None:
        if not isinstance(item["share_with_peers"], bool):
            raise ZohoError("INVALID_DATA", at(path, "share_with_peers", expected_data_type="boolean"))
        clean["share_with_peers"] = item["share_with_peers"]
    if item.get("reporting_to") is not None:
        target = reference_id(item["reporting_to"])
        if target is None:
            raise ZohoError("INVALID_DATA", at(path, "reporting_to"), Message.ROLE_ID_INVALID)
        clean["reporting_to"] = target
    return clean


def top_role(roles: list[Role]) -> Role:
    return next(r for r in roles if not r.get("reporting_to"))


def below(roles: list[Role], role_id: str) -> set[str]:
    """The ids of every role under ``role_id``, however deep."""
    children: dict[str, list[str]] = {}
    for role in roles:
        parent = (role.get("reporting_to") or {}).get("id")
        if parent is not None:
            children.setdefault(parent, []).append(role["id"])
    found: set[str] = set()
    stack = list(children.get(role_id, []))
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def check_reporting_to(roles: list[Role], role: Role | None, target_id: str, path: str) -> Role:
    """The role ``role`` (None: a new one) may report to: one of the org's, not itself, not one
    under it; the top role reports to none."""
    target = next((r for r in roles if r["id"] == target_id), None)
    bad = ZohoError("INVALID_DATA", at(path, "reporting_to"), Message.ROLE_ID_INVALID)
    if target is None:
        raise bad
    if role is not None and (
        not role.get("reporting_to") or target_id == role["id"] or target_id in below(roles, role["id"])
    ):
        raise bad
    return target


def name_taken(roles: list[Role], name: str, except_id: str | None) -> bool:
    return any(r["name"].casefold() == name.casefold() and r["id"] != except_id for r in roles)


def check_deletable(roles: list[Role], role: Role, transfer_to_id: str) -> Role:
    """The top role is never deleted; users and sub-roles go to another role outside the deleted
    one's branch (INVALID_DATA "invalid transferToId")."""
    if not role.get("reporting_to"):
        raise ZohoError("INVALID_DATA", {"resource_path_index": 2})
    target = next((r for r in roles if r["id"] == transfer_to_id), None)
    if target is None or target["id"] == role["id"] or target["id"] in below(roles, role["id"]):
        raise ZohoError("INVALID_DATA", {"param_name": "transfer_to_id"}, Message.ROLE_TRANSFER_INVALID)
    return target


def minified(role: Role) -> dict[str, str]:
    return {"name": role["name"], "id": role["id"]}
