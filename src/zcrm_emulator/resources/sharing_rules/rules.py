"""Data sharing rules: Zoho's rules as data (sharing_rules.json, the v8 "Data Sharing" pages) and the
plain checks of a rule's keys, its ``shared_from``/``shared_to`` and the search filters.

A rule shares the records of one module that a source owns (``Record_Owner_Based``: a role, a role
and its subordinates, a group or all users) or that meet a criteria (``Criteria_Based``) with a
target, read only or read/write/delete. Sources and targets that name a role or a group must name
one the org has; the service checks that, and the criteria against the module's fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import ErrorCode, Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.validation import Key, Spec, at

ENVELOPE = "sharing_rules"
SUMMARY_ENVELOPE = "sharing_rules_summary"
PATH_INDEX = 3  # settings/data_sharing/rules/{id}: the id's segment (sharing_rules.json Invalid_Id)

CREATED = "sharing rule is created successfully"
UPDATED = "sharing rule is updated successfully"
DELETED = "Sharing Rule deleted"
ACTIVATED = "sharing rule is activated successfully"
DEACTIVATED = "sharing rule is deactivated successfully"
RERUN = "Rerun successfully scheduled"

# "Data sharing rules: 15 rules/module" (Zoho's default feature limit; docs/decisions.md).
RULES_PER_MODULE = 15
NAME_MAX = 100  # the width of the name's key column; Zoho's pages give no figure (docs/decisions.md)

# The v8 pages' "Possible module names", plus every custom module (``generated_type`` custom).
STANDARD_MODULES = frozenset(
    {
        "Leads",
        "Accounts",
        "Contacts",
        "Deals",
        "Tasks",
        "Events",
        "Calls",
        "Products",
        "Vendors",
        "Price_Books",
        "Quotes",
        "Sales_Orders",
        "Purchase_Orders",
        "Invoices",
        "Campaigns",
        "Cases",
        "Solutions",
    }
)

RULE_TYPES = ("Record_Owner_Based", "Criteria_Based")
PERMISSION_TYPES = ("read", "read_write_delete")
SHARED_TYPES = ("roles", "groups", "all_users")  # sharing_rules.json Shared.type
NAMED_TYPES = ("roles", "groups")  # the types whose ``resource`` names something of the org
STATUSES = ("active", "inactive")

_VALUE = Message.SHARING_VALUE_INVALID


def _rule_keys(*, mandatory: bool) -> tuple[Key, ...]:
    return (
        Key("name", mandatory=mandatory, min_length=1, max_length=NAME_MAX, unique=True),
        Key("type", mandatory=True, choices=RULE_TYPES, message=_VALUE),
        Key("permission_type", mandatory=mandatory, choices=PERMISSION_TYPES, message=_VALUE),
        Key("superiors_allowed", type="boolean", mandatory=True),
        Key("shared_to", type="object", mandatory=mandatory),
        Key("shared_from", type="object", nullable=True),
        Key("criteria", type="object", nullable=True),
    )


# Create: every key but the type's dependants. Update: the v8 "Update Data Sharing Rule" page keeps
# ``type`` and ``superiors_allowed`` mandatory; the rest default to the stored rule.
CREATE = Spec(keys=_rule_keys(mandatory=True))
UPDATE = Spec(keys=_rule_keys(mandatory=False))

Rule = dict[str, Any]


def supports_sharing(api_name: str, generated_type: str, api_supported: bool) -> bool:
    return api_supported and (api_name in STANDARD_MODULES or generated_type == "custom")


def refuse_status(item: Any, json_path: str) -> None:
    """A rule's status changes only through activate/deactivate: NOT_ALLOWED in a create or update."""
    if isinstance(item, dict) and "status" in item:
        raise ZohoError("NOT_ALLOWED", at(json_path, "status"), Message.SHARING_STATUS_NOT_ALLOWED)


def _dependent(json_path: str, key: str, dependee: str, code: ErrorCode = "DEPENDENT_FIELD_MISSING") -> ZohoError:
    details = at(json_path, key)
    details["dependee"] = at(json_path, dependee)
    return ZohoError(code, details)


def check_dependants(rule: Mapping[str, Any], json_path: str) -> None:
    """What the rule's ``type`` needs: an owner-based rule names a source and no criteria; a
    criteria-based rule has criteria and no source."""
    owner_based = rule["type"] == "Record_Owner_Based"
    needed, refused = ("shared_from", "criteria") if owner_based else ("criteria", "shared_from")
    if not rule.get(needed):
        raise _dependent(json_path, needed, "type")
    if rule.get(refused):
        raise _dependent(json_path, refused, "type", "DEPENDENT_FIELD_MISMATCH")


def check_shared(value: Mapping[str, Any], json_path: str) -> tuple[str, str | None, bool]:
    """A ``shared_from``/``shared_to`` object: its type, the id it names (None for all users) and
    whether a role's subordinates share too."""
    kind = value.get("type")
    if kind in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "type"))
    if not isinstance(kind, str) or kind not in SHARED_TYPES:
        raise ZohoError("INVALID_DATA", at(json_path, "type", supported_values=list(SHARED_TYPES)), _VALUE)
    subordinates = value.get("subordinates", False)
    if subordinates is None:
        subordinates = False
    if not isinstance(subordinates, bool):
        raise ZohoError("INVALID_DATA", at(json_path, "subordinates", expected_data_type="boolean"))
    if subordinates and kind != "roles":
        raise _dependent(json_path, "subordinates", "type", "DEPENDENT_FIELD_MISMATCH")
    resource = value.get("resource")
    if kind not in NAMED_TYPES:
        if resource:
            raise _dependent(json_path, "resource", "type", "DEPENDENT_FIELD_MISMATCH")
        return kind, None, False
    if not resource:
        raise _dependent(json_path, "resource", "type")
    if not isinstance(resource, dict):
        raise ZohoError("INVALID_DATA", at(json_path, "resource", expected_data_type="jsonobject"))
    if resource.get("id") in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(f"{json_path}.resource", "id"))
    resource_id = normalize_id(resource["id"])
    if resource_id is None:
        raise ZohoError("INVALID_DATA", at(f"{json_path}.resource", "id", expected_data_type="bigint"))
    return kind, resource_id, subordinates


def shared(kind: str, resource: dict[str, str] | None, subordinates: bool) -> dict[str, Any]:
    return {"resource": resource, "subordinates": subordinates, "type": kind}


def listed(rule: Rule) -> Rule:
    """A rule as the list and the search show it: everything but its criteria (Get_All_Sharing_Rules)."""
    return {k: v for k, v in rule.items() if k != "criteria"}


# --- search filters (sharing_rules.json filtersBody; "Data Sharing Rules Summary Filter") --------
COMPARATORS = ("equal", "in", "like")
GROUP_OPERATORS = ("or", "and")
# The keys a filter names and the one comparator each takes.
FILTER_KEYS: dict[str, str] = {
    "name": "like",
    "type": "equal",
    "permission_type": "equal",
    "superiors_allowed": "equal",
    "status": "equal",
    "shared_to.type": "equal",
    "shared_to.resource.id": "in",
    "shared_from.type": "equal",
    "shared_from.resource.id": "in",
}
FILTERS_MAX = 1  # filtersBody's ``filters``: one group (the file's maximum_length 1)
GROUP_MAX = 25

Filter = dict[str, Any]


def _mandatory(json_path: str, key: str) -> ZohoError:
    return ZohoError("MANDATORY_NOT_FOUND", at(json_path, key))


def check_filters(body: Mapping[str, Any]) -> Filter:
    """The one filter group of a search body, in stored form; Zoho's error for the first problem."""
    filters = body.get("filters")
    if filters is None or filters == []:
        raise _mandatory("$", "filters")
    if not isinstance(filters, list):
        raise ZohoError("INVALID_DATA", at("$", "filters", expected_data_type="jsonarray"))
    if len(filters) > FILTERS_MAX:
        raise ZohoError("INVALID_DATA", at("$", "filters", maximum_length=FILTERS_MAX))
    path = "$.filters[0]"
    group = filters[0]
    if not isinstance(group, dict):
        raise ZohoError("INVALID_DATA", at("$", "filters", expected_data_type="jsonobject"))
    operator = group.get("group_operator")
    if operator in (None, ""):
        raise _mandatory(path, "group_operator")
    if not isinstance(operator, str) or operator.lower() not in GROUP_OPERATORS:
        raise ZohoError("INVALID_DATA", at(path, "group_operator", supported_values=list(GROUP_OPERATORS)), _VALUE)
    leaves = group.get("group")
    if leaves is None or leaves == []:
        raise _mandatory(path, "group")
    if not isinstance(leaves, list):
        raise ZohoError("INVALID_DATA", at(path, "group", expected_data_type="jsonarray"))
    if len(leaves) > GROUP_MAX:
        raise ZohoError("INVALID_DATA", at(path, "group", maximum_length=GROUP_MAX))
    checked = [_check_leaf(leaf, f"{path}.group[{i}]", path) for i, leaf in enumerate(leaves)]
    return {"group_operator": operator.lower(), "group": checked}


def _check_leaf(leaf: Any, path: str, group_path: str) -> Filter:
    if not isinstance(leaf, dict):
        raise ZohoError("INVALID_DATA", at(group_path, "group", expected_data_type="jsonobject"))
    field = leaf.get("field")
    if field in (None, "", {}):
        raise _mandatory(path, "field")
    if not isinstance(field, dict):
        raise ZohoError("INVALID_DATA", at(path, "field", expected_data_type="jsonobject"))
    name = field.get("api_name")
    if name in (None, ""):
        raise _mandatory(f"{path}.field", "api_name")
    if not isinstance(name, str) or name not in FILTER_KEYS:
        details = at(f"{path}.field", "api_name", supported_values=list(FILTER_KEYS))
        raise ZohoError("INVALID_DATA", details, _VALUE)
    comparator = leaf.get("comparator")
    if comparator in (None, ""):
        raise _mandatory(path, "comparator")
    if not isinstance(comparator, str) or comparator not in COMPARATORS:
        raise ZohoError("INVALID_DATA", at(path, "comparator", supported_values=list(COMPARATORS)), _VALUE)
    if comparator != FILTER_KEYS[name]:
        details = at(path, "comparator")
        details["dependee"] = at(path, "field")
        raise ZohoError("DEPENDENT_MISMATCH", details)
    if "value" not in leaf or leaf["value"] is None:
        raise _mandatory(path, "value")
    return {"field": name, "comparator": comparator, "value": _filter_value(name, leaf["value"], path)}


def _filter_value(name: str, value: Any, path: str) -> Any:
    if name.endswith("resource.id"):
        ids = [normalize_id(v) for v in value] if isinstance(value, list) and value else [None]
        if any(i is None for i in ids):
            raise ZohoError("INVALID_DATA", at(path, "value", expected_data_type="jsonarray"))
        return ids
    if name == "superiors_allowed":
        if not isinstance(value, bool):
            raise ZohoError("INVALID_DATA", at(path, "value", expected_data_type="boolean"))
        return value
    if not isinstance(value, str) or not value:
        raise ZohoError("INVALID_DATA", at(path, "value", expected_data_type="text"))
    closed: dict[str, tuple[str, ...]] = {"type": RULE_TYPES, "permission_type": PERMISSION_TYPES, "status": STATUSES}
    choices = closed.get(name)
    if choices is None and name.endswith(".type"):
        choices = SHARED_TYPES
    if choices is not None and value not in choices:
        raise ZohoError("INVALID_DATA", at(path, "value", supported_values=list(choices)), _VALUE)
    return value


def _lookup(rule: Mapping[str, Any], name: str) -> Any:
    value: Any = rule
    for part in name.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def matches(rule: Mapping[str, Any], wanted: Filter) -> bool:
    """Does a stored rule meet the filter group? ``like`` is a case-blind substring match."""
    results = []
    for leaf in wanted["group"]:
        actual = _lookup(rule, leaf["field"])
        if leaf["comparator"] == "in":
            results.append(actual in leaf["value"])
        elif leaf["comparator"] == "like":
            results.append(isinstance(actual, str) and leaf["value"].casefold() in actual.casefold())
        else:
            results.append(actual == leaf["value"])
    return all(results) if wanted["group_operator"] == "and" else any(results)
