"""Territories' rules (OAS territories.json; OASx territory examples; v8 "Add Territories", "Update
Territories", "Delete Territories", "Transfer and Delete Territories").

Territories form one tree under the org territory, which the org has from the moment territory
management is on (Enterprise and above): it reports to none, keeps every property but its name, and is
never deleted. Every other territory reports to one of the tree, never to itself or one below it. A
territory with children is deleted only by transfer_and_delete, its children moving to another
territory outside its branch. The rule criteria of Accounts, Deals and Leads are stored as given once
their fields and comparators check out; nothing assigns records by them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.validation import at, items_of

Territory = dict[str, Any]

ENVELOPE = "territories"
ADDED, UPDATED = "Territory Created Successfully", "Territory Updated Successfully"
DELETED = "Territory Deleted Successfully"
TRANSFERRED = "Territory Transferred And Deleted Successfully"
USER_ADDED = "Given User added to the mentioned territory Successfully"
USER_REMOVED = "Given User Removed from the mentioned territory Successfully"
ASSOCIATED = "Territory associated to the user successfully"
DISSOCIATED = "Territory removed from the user successfully"
ROOT_DESCRIPTION = "Organization Parent Territory"

PERMISSION_TYPES = ("read_write_delete", "read_only")
NAME_MAX = 100  # the width of a name's key column; Zoho's pages give no figure (docs/decisions.md)
DESCRIPTION_MAX = 250
DELETE_MAX = 10  # "Maximum number of territories that can be deleted in one API call is 10"
USERS_MAX = 100  # OASx associateUsersToTerritory LimitExceeded: {"limit": 100}
PATH_INDEX = 2  # settings/territories/{id}: the id's segment

# The criteria a territory assigns records by: the key, and the module its fields belong to.
CRITERIA = {"account_rule_criteria": "Accounts", "deal_rule_criteria": "Deals", "lead_rule_criteria": "Leads"}
COMPARATORS = (
    "equal",
    "not_equal",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
    "greater_than",
    "greater_equal",
    "less_than",
    "less_equal",
    "between",
    "not_between",
    "in",
    "not_in",
)
GROUP_OPERATORS = ("AND", "OR", "and", "or")
UPDATABLE_ON_ROOT = frozenset({"id", "name"})


def one_item(body: Mapping[str, Any], envelope: str) -> list[Any]:
    """The one item of a body whose URL names the object: more is INVALID_DATA ``{maximum_length: 1}``,
    as users.json refuses it (OASx, and the roles of this emulator)."""
    items = items_of(body, envelope)
    if len(items) > 1:
        raise ZohoError("INVALID_DATA", {"api_name": envelope, "json_path": f"$.{envelope}", "maximum_length": 1})
    return items


def reference_id(value: Any) -> str | None:
    """An id as sent: ``{"id": …}``, a digit string or a number; None when none of them."""
    if isinstance(value, dict):
        value = value.get("id")
    return normalize_id(value.strip() if isinstance(value, str) else value)


def _text(item: Mapping[str, Any], key: str, path: str, limit: int) -> str | None:
    value = item[key]
    if value is None:
        return None
    if not isinstance(value, str):
        raise ZohoError("INVALID_DATA", at(path, key, expected_data_type="string"))
    if len(value) > limit:
        raise ZohoError("INVALID_DATA", at(path, key, maximum_length=limit))
    return value


def check_keys(item: Mapping[str, Any], path: str, *, creating: bool) -> dict[str, Any]:
    """The keys of one ``territories`` item, checked as written; references as the ids sent
    (``manager`` None to remove one). Whether the ids name anything is the service's question."""
    if creating:
        for key in ("name", "reporting_to", "permission_type"):
            if item.get(key) in (None, ""):
                raise ZohoError("MANDATORY_NOT_FOUND", at(path, key))
    clean: dict[str, Any] = {}
    if "name" in item:
        name = _text(item, "name", path, NAME_MAX)
        if name is None or not name.strip():
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
        clean["name"] = name.strip()
    if "description" in item:
        clean["description"] = _text(item, "description", path, DESCRIPTION_MAX)
    if item.get("permission_type") is not None:
        if item["permission_type"] not in PERMISSION_TYPES:
            raise ZohoError("INVALID_DATA", at(path, "permission_type", supported_values=list(PERMISSION_TYPES)))
        clean["permission_type"] = item["permission_type"]
    if item.get("reporting_to") is not None:
        clean["reporting_to"] = _reference(item["reporting_to"], path, "reporting_to")
    if "manager" in item:
        clean["manager"] = None if item["manager"] is None else _reference(item["manager"], path, "manager")
    for key in CRITERIA:
        if key in item:
            clean[key] = None if item[key] is None else check_criteria(item[key], f"{path}.{key}", key)
    return clean


def _reference(value: Any, path: str, key: str) -> str:
    if not isinstance(value, dict):
        raise ZohoError("INVALID_DATA", at(path, key, expected_data_type="jsonobject"))
    found = reference_id(value)
    if found is None:
        raise ZohoError("INVALID_DATA", at(path, key), Message.TERRITORY_ID_INVALID)
    return found


def check_criteria(value: Any, path: str, key: str) -> dict[str, Any]:
    """One criterion ``{field: {api_name}, comparator, value}`` or a group ``{group_operator, group}``
    of them, checked for shape; the field names are checked against the module by ``criteria_fields``."""
    if not isinstance(value, dict):
        raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": path, "expected_data_type": "jsonobject"})
    if "group" in value or "group_operator" in value:
        operator, members = value.get("group_operator"), value.get("group")
        if operator not in GROUP_OPERATORS:
            details = at(path, "group_operator", supported_values=list(GROUP_OPERATORS[:2]))
            raise ZohoError("INVALID_DATA", details)
        if not isinstance(members, list) or not members:
            raise ZohoError("INVALID_DATA", at(path, "group", expected_data_type="jsonarray"))
        group = [check_criteria(member, f"{path}.group[{i}]", key) for i, member in enumerate(members)]
        return {"group_operator": operator.upper(), "group": group}
    field = value.get("field")
    if not isinstance(field, dict) or not isinstance(field.get("api_name"), str) or not field["api_name"]:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "field"))
    if value.get("comparator") not in COMPARATORS:
        details = at(path, "comparator", supported_values=list(COMPARATORS))
        raise ZohoError("INVALID_DATA", details, Message.CRITERIA_COMPARATOR_INVALID)
    if "value" not in value:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "value"))
    return {"comparator": value["comparator"], "field": {"api_name": field["api_name"]}, "value": value["value"]}


def criteria_fields(criteria: dict[str, Any], path: str, fields: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """``criteria`` with each field's id filled from the module's ``fields`` (by api_name);
    INVALID_DATA for a field the module does not have."""
    if "group" in criteria:
        group = [criteria_fields(c, f"{path}.group[{i}]", fields) for i, c in enumerate(criteria["group"])]
        return {**criteria, "group": group}
    name = criteria["field"]["api_name"]
    if name not in fields:
        raise ZohoError("INVALID_DATA", at(f"{path}.field", "api_name"), Message.CRITERIA_FIELD_INVALID)
    return {**criteria, "field": {"api_name": name, "id": str(fields[name]["id"])}}


# --- the tree ------------------------------------------------------------------------------------
def parent_id(territory: Territory) -> str | None:
    return (territory.get("reporting_to") or {}).get("id")


def is_root(territory: Territory) -> bool:
    return parent_id(territory) is None


def children(territories: list[Territory], territory_id: str) -> list[Territory]:
    return [t for t in territories if parent_id(t) == territory_id]


def below(territories: list[Territory], territory_id: str) -> set[str]:
    """The ids of every territory under ``territory_id``, however deep."""
    found: set[str] = set()
    stack = [territory_id]
    while stack:
        current = stack.pop()
        for child in children(territories, current):
            if child["id"] not in found:
                found.add(child["id"])
                stack.append(child["id"])
    return found


def check_reporting_to(
    territories: list[Territory], territory: Territory | None, target_id: str, path: str
) -> Territory:
    """The territory ``territory`` (None: a new one) may report to: one of the org's, not itself,
    not one under it."""
    target = next((t for t in territories if t["id"] == target_id), None)
    if target is None:
        raise ZohoError("INVALID_DATA", at(path, "reporting_to"), Message.TERRITORY_ID_INVALID)
    if territory is not None and (target_id == territory["id"] or target_id in below(territories, territory["id"])):
        raise ZohoError("NOT_ALLOWED", at(path, "reporting_to"), Message.TERRITORY_UNDER_ITSELF)
    return target


def check_root_update(item: Mapping[str, Any], path: str) -> None:
    """The org territory takes a new name and nothing else."""
    other = sorted(set(item) - UPDATABLE_ON_ROOT)
    if other:
        raise ZohoError("INVALID_DATA", at(path, other[0]), Message.ORG_TERRITORY_NAME_ONLY)


def check_deletable(territories: list[Territory], territory: Territory, details: dict[str, Any]) -> None:
    """A plain delete: never the org territory, never one with children (NOT_ALLOWED with
    ``details``: ``{id}`` for an id of ``ids``, the segment for the URL's)."""
    if is_root(territory):
        raise ZohoError("NOT_ALLOWED", details, Message.ORG_TERRITORY_UNDELETABLE)
    if children(territories, territory["id"]):
        raise ZohoError("NOT_ALLOWED", details, Message.TERRITORY_HAS_CHILD)


def check_transfer(
    territories: list[Territory], territory: Territory, transfer_to: str | None, path: str
) -> Territory | None:
    """Where the children of a territory deleted by transfer_and_delete go: a territory outside its
    branch; none needed when it has no children."""
    if is_root(territory):
        raise ZohoError("NOT_ALLOWED", {"id": territory["id"]}, Message.ORG_TERRITORY_UNDELETABLE)
    if transfer_to is None:
        if children(territories, territory["id"]):
            details = {**at(path, "transfer_to_id"), "dependee": at(path, "id")}
            raise ZohoError("DEPENDENT_FIELD_MISSING", details, Message.TERRITORY_TRANSFER_NEEDED)
        return None
    target = next((t for t in territories if t["id"] == transfer_to), None)
    if target is None:
        raise ZohoError("INVALID_DATA", at(path, "transfer_to_id"), Message.TERRITORY_ID_INVALID)
    if transfer_to == territory["id"] or transfer_to in below(territories, territory["id"]):
        raise ZohoError("NOT_ALLOWED", at(path, "transfer_to_id"), Message.TERRITORY_UNDER_ITSELF)
    return target


def name_taken(territories: list[Territory], name: str, except_id: str | None) -> bool:
    return any(t["name"].casefold() == name.casefold() and t["id"] != except_id for t in territories)


def api_name(name: str) -> str:
    return "_".join(name.split())


def minified(territory: Territory) -> dict[str, str]:
    return {"name": territory["name"], "id": territory["id"]}


# --- reads ---------------------------------------------------------------------------------------
def parse_ids(raw: str | None, param: str = "ids") -> list[str]:
    """A comma-separated id list; INVALID_DATA ``{param_name}`` for a part that is no id."""
    if raw is None:
        return []
    found = []
    for part in filter(None, (piece.strip() for piece in raw.split(","))):  # "ids=" asks for nothing
        value = normalize_id(part)
        if value is None:
            raise ZohoError("INVALID_DATA", {"param_name": param}, Message.UNKNOWN_ID)
        found.append(value)
    return list(dict.fromkeys(found))


NAME_COMPARATORS = ("equal", "contains", "starts_with", "not_equal", "not_contains", "ends_with")


def parse_name_filter(raw: str | None, fields: tuple[str, ...] = ("name",)) -> dict[str, Any] | None:
    """The ``filters`` param of a settings list: a criterion on the name (or a group of them) as JSON;
    INVALID_DATA ``{param_name: filters}`` for anything else."""
    if raw is None or not raw.strip():
        return None
    try:
        criteria = json.loads(raw)
    except ValueError:
        raise ZohoError("INVALID_DATA", {"param_name": "filters"}) from None
    _check_filter(criteria, fields)
    return dict(criteria)


def _check_filter(criteria: Any, fields: tuple[str, ...]) -> None:
    bad = ZohoError("INVALID_DATA", {"param_name": "filters"})
    if not isinstance(criteria, dict):
        raise bad
    if "group" in criteria:
        group = criteria["group"]
        if criteria.get("group_operator") not in GROUP_OPERATORS or not isinstance(group, list) or not group:
            raise bad
        for member in group:
            _check_filter(member, fields)
        return
    field = criteria.get("field")
    if not isinstance(field, dict) or field.get("api_name") not in fields:
        raise bad
    if criteria.get("comparator") not in NAME_COMPARATORS or not isinstance(criteria.get("value"), str):
        raise bad


def matches(item: Mapping[str, Any], criteria: Mapping[str, Any] | None) -> bool:
    """Whether a settings object's text keys meet a ``filters`` criterion (case-insensitive)."""
    if criteria is None:
        return True
    if "group" in criteria:
        results = [matches(item, member) for member in criteria["group"]]
        return all(results) if str(criteria["group_operator"]).upper() == "AND" else any(results)
    have = str(item.get(criteria["field"]["api_name"]) or "").casefold()
    want = str(criteria["value"]).casefold()
    comparator = criteria["comparator"]
    tests = {
        "equal": have == want,
        "not_equal": have != want,
        "contains": want in have,
        "not_contains": want not in have,
        "starts_with": have.startswith(want),
        "ends_with": have.endswith(want),
    }
    return tests[comparator]
