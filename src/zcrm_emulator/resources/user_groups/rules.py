"""User groups' rules (OAS user_groups.json; OASx createGroup, updateGroup, deleteGroup,
getUserGroupSources; v7/v8 "User Groups" pages).

A group is a name unique in the org regardless of case, a description, and its sources: users, roles
(with their subordinates or not), territories (with their sub-territories or not) and other groups.
Its members are the users those sources reach; the counts and the user-side reads are over them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.validation import at

Group = dict[str, Any]

ENVELOPE = "user_groups"
CREATED, UPDATED = "User group created successfully", "User group updated successfully"
DELETION_SCHEDULED = "User group deletion has been scheduled"
SOURCE_TYPES = ("users", "roles", "territories", "groups")
SOURCE_TYPE_REGEX = "users|roles|groups|territories"
USER_STATUSES = ("active", "inactive", "deleted")
NAME_MAX = 100  # the width of a name's key column; Zoho's pages give no figure (docs/decisions.md)
DESCRIPTION_MAX = 250
SOURCES_MAX = 500
INCLUDES = ("sources_count", "sources")
PATH_INDEX = 2  # settings/user_groups/{group}: the group's segment
FEATURE = "user_groups"


def check_keys(item: Mapping[str, Any], path: str, *, creating: bool) -> dict[str, Any]:
    """The keys of one ``user_groups`` item, checked as written; sources as ``(type, id, flags)``
    whose ids the service looks up."""
    if creating:
        for key in ("name", "sources"):
            if item.get(key) in (None, "", []):
                raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))
    clean: dict[str, Any] = {}
    if "name" in item:
        name = item["name"]
        if not isinstance(name, str):
            raise ZohoError("INVALID_DATA", at(path, "name", expected_data_type="string"))
        if not name.strip():
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
        if len(name.strip()) > NAME_MAX:
            raise ZohoError("INVALID_DATA", at(path, "name", maximum_length=NAME_MAX))
        clean["name"] = name.strip()
    if "description" in item:
        text = item["description"]
        if text is not None and not isinstance(text, str):
            raise ZohoError("INVALID_DATA", at(path, "description", expected_data_type="string"))
        if text is not None and len(text) > DESCRIPTION_MAX:
            raise ZohoError("INVALID_DATA", at(path, "description", maximum_length=DESCRIPTION_MAX))
        clean["description"] = text
    if "sources" in item:
        clean["sources"] = check_sources(item["sources"], path)
    return clean


def check_sources(value: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ZohoError("INVALID_DATA", at(path, "sources", expected_data_type="jsonarray"))
    if not value:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "sources"))
    if len(value) > SOURCES_MAX:
        raise ZohoError("LIMIT_EXCEEDED", at(path, "sources", limit=SOURCES_MAX))
    found: list[dict[str, Any]] = []
    for i, source in enumerate(value):
        where = f"{path}.sources[{i}]"
        checked = _source(source, where)
        if any((s["type"], s["id"]) == (checked["type"], checked["id"]) for s in found):
            raise ZohoError("DUPLICATE_DATA", at(f"{where}.source", "id"))
        found.append(checked)
    return found


def _source(source: Any, path: str) -> dict[str, Any]:
    if not isinstance(source, dict):
        raise ZohoError("INVALID_DATA", {"api_name": "sources", "json_path": path, "expected_data_type": "jsonobject"})
    if source.get("type") in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "type"))
    if source["type"] not in SOURCE_TYPES:
        raise ZohoError("INVALID_DATA", at(path, "type", supported_values=list(SOURCE_TYPES)))
    inner = source.get("source")
    if not isinstance(inner, dict) or inner.get("id") in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "source"))
    source_id = normalize_id(inner["id"].strip() if isinstance(inner["id"], str) else inner["id"])
    if source_id is None:
        raise ZohoError("INVALID_DATA", at(f"{path}.source", "id"), Message.UNKNOWN_ID)
    flags = {}
    for key in ("subordinates", "sub_territories"):
        if source.get(key) is not None:
            if not isinstance(source[key], bool):
                raise ZohoError("INVALID_DATA", at(path, key, expected_data_type="boolean"))
            flags[key] = source[key]
    return {"type": source["type"], "id": source_id, **flags}


def name_taken(groups: list[Group], name: str, except_id: str | None) -> bool:
    return any(g["name"].casefold() == name.casefold() and g["id"] != except_id for g in groups)


def summary(group: Group, include: frozenset[str] = frozenset()) -> Group:
    """A group as the lists show it: without its sources unless ``include`` asks for them."""
    shown = {key: value for key, value in group.items() if key not in ("sources", "sources_count")}
    for key in INCLUDES:
        if key in include and key in group:
            shown[key] = group[key]
    return shown


def parse_include(raw: str | None) -> frozenset[str]:
    """``include``: sources_count, sources or both (comma-separated)."""
    if raw is None or not raw.strip():
        return frozenset()
    parts = frozenset(part.strip() for part in raw.split(","))
    if not parts <= set(INCLUDES):
        raise ZohoError("INVALID_DATA", {"param_name": "include", "supported_values": list(INCLUDES)})
    return parts


def check_assign_body(body: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The body of get_assigned / get_unassigned: ``{key: {feature, related_entity_id, page,
    per_page, filters}}``; the related entity is a user."""
    inner = body.get(key)
    if inner is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": key, "json_path": f"$.{key}"})
    if not isinstance(inner, dict):
        raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": f"$.{key}", "expected_data_type": "jsonobject"})
    path = f"$.{key}"
    for name in ("feature", "related_entity_id"):
        if inner.get(name) in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, name))
    if inner["feature"] != FEATURE:
        raise ZohoError("INVALID_DATA", at(path, "feature", supported_values=[FEATURE]))
    related = normalize_id(inner["related_entity_id"])
    if related is None:
        raise ZohoError("INVALID_DATA", at(path, "related_entity_id"), Message.UNKNOWN_ID)
    paging = {}
    for name, default, maximum in (("page", 1, None), ("per_page", 200, 200)):
        value = inner.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (maximum and value > maximum):
            raise ZohoError("INVALID_DATA", at(path, name, expected_data_type="integer"))
        paging[name] = value
    return {"related_entity_id": related, **paging, "filters": inner.get("filters")}
