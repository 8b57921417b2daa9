"""Notification conditions (``notification_condition``): field selections checked against the
channel's modules, and whether an edit meets them. Plain functions over plain data.

A selection is a field (``{"field": {api_name, id}}``) or a group of at most two entries joined by
``and``/``or``, nested to watch more fields, at most ten in all (Doc7 enable; 3P:amp PR #1862).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import at

CONDITION_FIELDS_MAX = 10  # fields in one field_selection, however they are grouped
GROUP_ENTRIES_MAX = 2  # entries in one group: nest groups to watch more fields


@dataclass(frozen=True)
class WatchedModule:
    """A module named in a channel's events, with its fields (api name -> id) to check conditions
    and ``fields`` against."""

    api_name: str
    id: str
    fields: Mapping[str, str]
    field_names: Mapping[str, str] = field(init=False, repr=False, compare=False)  # id -> api name

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_names", {fid: name for name, fid in self.fields.items()})

    @property
    def ref(self) -> dict[str, str]:
        return {"api_name": self.api_name, "id": self.id}


def _object(value: Any, json_path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ZohoError("INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"})
    return value


def _resolve(
    ref: Mapping[str, Any], json_path: str, by_name: Mapping[str, Any], by_id: Mapping[str, Any]
) -> Any | None:
    """What ``{api_name, id}`` names (either may be left out): EXPECTED_FIELD_MISSING for neither,
    AMBIGUITY_DURING_PROCESSING when the two disagree; None when they name nothing known."""
    name, ident = ref.get("api_name"), ref.get("id")
    named, identified = name not in (None, ""), ident not in (None, "")
    if not named and not identified:
        raise ZohoError("EXPECTED_FIELD_MISSING", {"expected_fields": ["api_name", "id"], "json_path": json_path})
    found_by_name = by_name.get(name) if isinstance(name, str) else None
    found_by_id = by_id.get(str(ident)) if isinstance(ident, str | int) and not isinstance(ident, bool) else None
    if named and identified and found_by_name != found_by_id:
        raise ZohoError("AMBIGUITY_DURING_PROCESSING", {"ambiguity_due_to": ["api_name", "id"], "json_path": json_path})
    return found_by_name if named else found_by_id


def _field(ref: Any, json_path: str, module: WatchedModule) -> dict[str, str]:
    by_name = {name: name for name in module.fields}
    found = _resolve(_object(ref, json_path), json_path, by_name, module.field_names)
    if found is None:
        raise ZohoError("INVALID_DATA", at(json_path, "api_name"), Message.UNKNOWN_FIELD)
    return {"api_name": found, "id": module.fields[found]}


@dataclass
class _Count:
    fields: int = 0


def _node(node: Any, json_path: str, module: WatchedModule, count: _Count, limit_path: str) -> dict[str, Any]:
    """One entry of a field selection: a field, or a group of at most two entries (nested)."""
    entry = _object(node, json_path)
    if entry.get("field") is not None:
        count.fields += 1
        if count.fields > CONDITION_FIELDS_MAX:
            raise ZohoError("INVALID_DATA", {"json_path": limit_path, "maximum_length": CONDITION_FIELDS_MAX})
        return {"field": _field(entry["field"], f"{json_path}.field", module), "group_operator": None, "group": None}
    group, operator = entry.get("group"), entry.get("group_operator")
    if not group:
        raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "group"))
    if not isinstance(group, list):
        raise ZohoError("INVALID_DATA", at(json_path, "group", expected_data_type="jsonarray"))
    if len(group) > GROUP_ENTRIES_MAX:
        raise ZohoError("INVALID_DATA", at(json_path, "group", maximum_length=GROUP_ENTRIES_MAX))
    if operator is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "group_operator"))
    if not isinstance(operator, str) or operator.lower() not in ("and", "or"):
        raise ZohoError("INVALID_DATA", at(json_path, "group_operator", supported_values=["or", "and"]))
    entries = [_node(e, f"{json_path}.group[{i}]", module, count, limit_path) for i, e in enumerate(group)]
    return {"group_operator": operator.lower(), "group": entries}


def _condition(raw: Any, json_path: str, watched: Mapping[str, WatchedModule]) -> tuple[str, dict[str, Any]]:
    item = _object(raw, json_path)
    kind = item.get("type")
    if kind in (None, ""):
        if item.get("field_selection") is not None:
            details = at(json_path, "type")
            details["dependee"] = at(json_path, "field_selection")
            raise ZohoError("DEPENDENT_FIELD_MISSING", details)
        raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "type"))
    if kind != "field_selection":
        raise ZohoError("INVALID_DATA", at(json_path, "type", supported_values=["field_selection"]))
    if item.get("module") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "module"))
    module_path = f"{json_path}.module"
    by_id = {module.id: module for module in watched.values()}
    module = _resolve(_object(item["module"], module_path), module_path, watched, by_id)
    if module is None:
        raise ZohoError("INVALID_DATA", at(json_path, "module"))
    if item.get("field_selection") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "field_selection"))
    selection_path = f"{json_path}.field_selection"
    selection = _node(item["field_selection"], selection_path, module, _Count(), selection_path)
    return module.api_name, {"field_selection": selection, "module": module.ref, "type": "field_selection"}


def check_conditions(
    raw: Sequence[Any] | None, json_path: str, watched: Mapping[str, WatchedModule]
) -> dict[str, list[dict[str, Any]]]:
    """``notification_condition`` checked against the channel's modules: module api name -> its
    conditions, as GET shows them (leaf entries carry ``group_operator``/``group`` null)."""
    by_module: dict[str, list[dict[str, Any]]] = {}
    for index, item in enumerate(raw or ()):
        module, condition = _condition(item, f"{json_path}.notification_condition[{index}]", watched)
        by_module.setdefault(module, []).append(condition)
    return by_module


def selection_matches(node: Mapping[str, Any], changed: Iterable[str]) -> bool:
    """Whether an edit that changed ``changed`` fields meets a field selection: ``or`` groups want
    one of their entries met, ``and`` groups all of them."""
    changed = set(changed)
    if node.get("field"):
        return str(node["field"]["api_name"]) in changed
    met = (selection_matches(entry, changed) for entry in node["group"])
    return all(met) if node["group_operator"] == "and" else any(met)


def edit_notifies(conditions: Sequence[Mapping[str, Any]] | None, changed: Iterable[str]) -> bool:
    """An edit is called back when the module has no condition, or when one of them is met."""
    changed = set(changed)
    return not conditions or any(selection_matches(c["field_selection"], changed) for c in conditions)
