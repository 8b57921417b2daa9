"""Workflow rules: the rule object, what a create or an update may say, and the shapes the reads
answer with (AUTOMATION.md §3; OASx postWorkflowRule, updateWorkflowRuleById, getWorkflowRules,
getWorkflowRuleById, reorderWorkflowRules, getWorkflowRulesActionsCount, getWorkflowRuleUsage).

``name`` (≤ 100, letters, digits, spaces and ``_ - . ( )``: "Special characters found"),
``description`` (≤ 1000), ``module`` (immutable), ``execute_when`` (triggers.py), ``conditions``
(conditions.py), ``lock`` and, on update only, ``status.active``: a rule is created active —
``status.active: false`` on create is INVALID_DATA, as Zoho's example shows (docs/decisions.md,
§9 #22) — and is switched off and on with PUT. An update is a merge: the keys sent replace the
stored ones; conditions and actions are matched by ``id``, ``_delete: null`` removes one. Plain
functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.editions import WorkflowLimits
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.workflow_rules import conditions, triggers
from zcrm_emulator.validation import Key, Spec

ENVELOPE = "workflow_rules"
CREATED = "workflow created"
UPDATED = "workflow updated"
DELETED = "workflow deleted"
BULK_DELETED = "WorkFlow Rule deleted successfully"
REORDERED = "rules reordered successfully"
REORDER_ENVELOPE = "reorder"
REORDER_MAX = 10
ACTION_COUNT_IDS_MAX = 100
USAGE_DAYS_MAX = 90  # executed_from .. executed_till (AUTOMATION.md §3.1; the failure log's span)

NAME_MAX = 100
DESCRIPTION_MAX = 1000
NAME_PATTERN = re.compile(r"[\w \-.()]+")
DELETE = "_delete"  # a condition or action sent with this key (any value, Zoho sends null) is removed

SPEC = Spec(
    keys=(
        Key("name", mandatory=True, min_length=1, max_length=NAME_MAX),
        Key("description", nullable=True, max_length=DESCRIPTION_MAX),
        Key("module", type="object", mandatory=True),
        Key("lock", type="object", nullable=True),
        Key("status", type="object", nullable=True),
    )
)
UPDATE_SPEC = Spec(keys=(*SPEC.keys, Key("id", type="id")))

# The keys a rule's summary (the list without include_inner_details) carries, in Zoho's order.
SUMMARY_KEYS = (
    "created_time",
    "execute_when",
    "editable",
    "module",
    "deletable",
    "description",
    "source",
    "created_by",
    "last_executed_time",
    "modified_time",
    "name",
    "modified_by",
    "lock",
    "id",
    "status",
)


def at(json_path: str, key: str, **extra: Any) -> dict[str, Any]:
    return {"api_name": key, "json_path": f"{json_path}.{key}", **extra}


def check_name(clean: Mapping[str, Any], json_path: str) -> None:
    name = clean.get("name")
    if isinstance(name, str) and not NAME_PATTERN.fullmatch(name.strip()):
        raise ZohoError("INVALID_DATA", at(json_path, "name"), Message.SPECIAL_CHARACTERS)


def check_status_on_create(status: Mapping[str, Any] | None, json_path: str) -> None:
    """A rule is created active: ``status.active: false`` is INVALID_DATA (OASx CannotCreateInactive)."""
    if status is not None and status.get("active") is not True and "active" in status:
        raise ZohoError("INVALID_DATA", at(f"{json_path}.status", "active"))


def active_after(status: Mapping[str, Any] | None, stored_active: bool, json_path: str) -> tuple[bool, bool]:
    """An update's ``status``: (active, whether pending scheduled actions go when it is switched off)."""
    if status is None:
        return stored_active, False
    active = status.get("active", stored_active)
    if not isinstance(active, bool):
        raise ZohoError(
            "INVALID_DATA", at(f"{json_path}.status", "active", expected_data_type="boolean"), Message.INVALID_DATA_TYPE
        )
    drop = status.get("delete_schedule_action", False)
    if not isinstance(drop, bool):
        raise ZohoError(
            "INVALID_DATA",
            at(f"{json_path}.status", "delete_schedule_action", expected_data_type="boolean"),
            Message.INVALID_DATA_TYPE,
        )
    return active, drop


def lock_of(
    given: Mapping[str, Any] | None, stored: Mapping[str, Any] | None, who: Mapping[str, Any], json_path: str
) -> dict[str, Any]:
    """The rule's ``lock``: ``{locked_by, message, status}``; locking names the user who locked it."""
    current = dict(stored or {"locked_by": None, "message": None, "status": False})
    if given is None:
        return current
    status = given.get("status", current["status"])
    if not isinstance(status, bool):
        raise ZohoError(
            "INVALID_DATA", at(f"{json_path}.lock", "status", expected_data_type="boolean"), Message.INVALID_DATA_TYPE
        )
    message = given.get("message", current["message"] if status else None)
    if message is not None and not isinstance(message, str):
        raise ZohoError(
            "INVALID_DATA", at(f"{json_path}.lock", "message", expected_data_type="text"), Message.INVALID_DATA_TYPE
        )
    locked_by = (current["locked_by"] or dict(who)) if status else None
    return {"locked_by": locked_by, "message": message if status else None, "status": status}


def new_rule(
    rule_id: str,
    clean: Mapping[str, Any],
    *,
    module: Mapping[str, Any],
    execute_when: Mapping[str, Any],
    checked_conditions: list[dict[str, Any]],
    lock: Mapping[str, Any],
    active: bool,
    stamps: Mapping[str, Any],
) -> dict[str, Any]:
    """The rule's wire object as GET one shows it (without ``last_executed_time``, read from its runs)."""
    return {
        "created_time": stamps["created_time"],
        "execute_when": dict(execute_when),
        "editable": True,
        "module": dict(module),
        "deprecated": False,
        "deletable": not lock.get("status"),
        "description": clean.get("description"),
        "source": "crm",
        "created_by": stamps["created_by"],
        "modified_time": stamps["modified_time"],
        "name": clean["name"].strip(),
        "modified_by": stamps["modified_by"],
        "lock": dict(lock),
        "id": rule_id,
        "category": "default",
        "conditions": checked_conditions,
        "status": {"active": active},
    }


def shown(data: Mapping[str, Any], last_executed: str | None, *, inner: bool) -> dict[str, Any]:
    """A stored rule as a read answers it: everything (GET one, ``include_inner_details``) or the
    summary keys of the list."""
    full = {**data, "last_executed_time": last_executed}
    if inner:
        return full
    return {key: full[key] for key in SUMMARY_KEYS if key in full}


def check_trigger_change(stored: Mapping[str, Any], given: Any, json_path: str) -> None:
    """A trigger may change only within its family (record action, field update, date …)."""
    if not isinstance(given, Mapping) or not isinstance(given.get("type"), str):
        return
    if triggers.family(given["type"]) != triggers.family(stored["execute_when"]["type"]):
        raise ZohoError("NOT_ALLOWED", at(f"{json_path}.execute_when", "type"))


# --- update: merging what a PUT sends into the stored rule ----------------------------------------


def as_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored rule as the input that would make it (its ids kept)."""
    keys = ("name", "description", "module", "execute_when", "conditions", "lock")
    return {key: data[key] for key in keys if key in data}


def merge(stored: Mapping[str, Any], change: Mapping[str, Any], json_path: str) -> dict[str, Any]:
    """The stored rule with an update's keys on top; conditions merged by id."""
    merged = as_input(stored)
    for key, value in change.items():
        if key in ("conditions", "id", "status", "lock"):
            continue
        merged[key] = value
    if "conditions" in change:
        merged["conditions"] = merge_conditions(stored["conditions"], change["conditions"], json_path)
    return merged


def merge_conditions(stored: Sequence[Mapping[str, Any]], given: Any, json_path: str) -> Any:
    if not isinstance(given, list):
        return given  # conditions.check_all words the type error
    result = [dict(c) for c in stored]
    for index, condition in enumerate(given):
        path = f"{json_path}.conditions[{index}]"
        if not isinstance(condition, Mapping) or condition.get("id") in (None, ""):
            result.append(condition if not isinstance(condition, Mapping) else _without_delete(condition))
            continue
        position = _position(result, condition["id"])
        if position is None:
            raise ZohoError("INVALID_DATA", at(path, "id"), Message.INVALID_CONDITION_ID)
        if DELETE in condition:
            result.pop(position)
            continue
        result[position] = _merge_condition(result[position], condition, path)
    return result


def _position(items: Sequence[Any], wanted: Any) -> int | None:
    """Where the stored item with id ``wanted`` is (None for no such id, or none at all)."""
    wanted_id = normalize_id(wanted)
    if wanted_id is None:
        return None
    return next((i for i, item in enumerate(items) if isinstance(item, Mapping) and item.get("id") == wanted_id), None)


def _without_delete(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != DELETE}


def _merge_condition(stored: Mapping[str, Any], change: Mapping[str, Any], path: str) -> dict[str, Any]:
    merged = dict(stored)
    for key in ("sequence_number", "criteria_details"):
        if key in change:
            merged[key] = change[key]
    had = sum(len(section) for section in conditions.sections(stored))
    if "instant_actions" in change:
        given = change["instant_actions"]
        actions = given.get("actions") if isinstance(given, Mapping) else None
        merged["instant_actions"] = {"actions": merge_actions(stored["instant_actions"]["actions"], actions)}
    if "scheduled_actions" in change:
        merged["scheduled_actions"] = _merge_groups(stored.get("scheduled_actions") or [], change["scheduled_actions"])
    if had and not _actions_left(merged):
        raise ZohoError("CANNOT_REMOVE", {})
    return merged


def _actions_left(condition: Mapping[str, Any]) -> int:
    """How many actions a merged condition still holds (what it holds may not be well formed yet:
    the checks that follow say so)."""
    instant = condition.get("instant_actions")
    groups = condition.get("scheduled_actions")
    found = [instant.get("actions") if isinstance(instant, Mapping) else None]
    if isinstance(groups, list):
        found += [g.get("actions") for g in groups if isinstance(g, Mapping)]
    return sum(len(section) for section in found if isinstance(section, list))


def _merge_groups(stored: Sequence[Mapping[str, Any]], given: Any) -> Any:
    if not isinstance(given, list):
        return given
    result = [dict(g) for g in stored]
    for group in given:
        if not isinstance(group, Mapping) or group.get("id") in (None, ""):
            result.append(group)
            continue
        position = _position(result, group["id"])
        if position is None:
            result.append(_without_delete(group))
        elif DELETE in group:
            result.pop(position)
        else:
            merged = {**result[position], **{k: v for k, v in group.items() if k != "actions"}}
            if "actions" in group:
                merged["actions"] = merge_actions(result[position].get("actions") or [], group["actions"])
            result[position] = merged
    return result


def merge_actions(stored: Sequence[Mapping[str, Any]], given: Any) -> Any:
    """Actions matched by id: a given action replaces the stored one, ``_delete`` removes it, a new
    one is added; stored actions not mentioned stay."""
    if not isinstance(given, list):
        return given
    result = [dict(a) for a in stored]
    for action in given:
        position = _position(result, action.get("id")) if isinstance(action, Mapping) else None
        if position is None:
            result.append(_without_delete(action) if isinstance(action, Mapping) else action)
        elif DELETE in action:
            result.pop(position)
        else:
            result[position] = {**result[position], **action}
    return result


# --- reorder ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    rule_id: str
    sequence: int


def check_reorder(body: Mapping[str, Any], module_rules: Sequence[str]) -> list[Move]:
    """``{"reorder": {"workflow_rules": [{id, module_specific_sequence}]}}``: all or nothing."""
    path = f"$.{REORDER_ENVELOPE}.workflow_rules"
    reorder = body.get(REORDER_ENVELOPE)
    if not isinstance(reorder, Mapping) or reorder.get("workflow_rules") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(f"$.{REORDER_ENVELOPE}", "workflow_rules"), Message.REORDER_MISSING)
    items = reorder["workflow_rules"]
    if not isinstance(items, list):
        raise ZohoError(
            "INVALID_DATA",
            at(f"$.{REORDER_ENVELOPE}", "workflow_rules", expected_data_type="jsonarray"),
            Message.INVALID_DATA_TYPE,
        )
    if not items or len(items) > REORDER_MAX:
        raise ZohoError(
            "INVALID_DATA",
            at(f"$.{REORDER_ENVELOPE}", "workflow_rules", maximum_length=REORDER_MAX),
            Message.INVALID_DATA_CAPITAL,
        )
    moves: list[Move] = []
    for index, item in enumerate(items):
        here = f"{path}[{index}]"
        moves.append(_move(item, here, module_rules, moves))
    return moves


def _move(item: Any, here: str, module_rules: Sequence[str], earlier: Sequence[Move]) -> Move:
    if not isinstance(item, Mapping):
        raise ZohoError(
            "INVALID_DATA", {"json_path": here, "expected_data_type": "jsonobject"}, Message.INVALID_DATA_TYPE
        )
    for key in ("id", "module_specific_sequence"):
        if item.get(key) is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(here, key), Message.REORDER_MISSING)
    rule_id = normalize_id(item["id"])
    if rule_id is None or rule_id not in module_rules:
        raise ZohoError("INVALID_DATA", at(here, "id"), Message.REORDER_UNKNOWN_RULE)
    if any(m.rule_id == rule_id for m in earlier):
        raise ZohoError("INVALID_DATA", at(here, "id"), Message.REORDER_DUPLICATE)
    sequence = item["module_specific_sequence"]
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 1 <= sequence <= len(module_rules):
        raise ZohoError("INVALID_DATA", at(here, "module_specific_sequence"), Message.REORDER_BAD_SEQUENCE)
    if any(m.sequence == sequence for m in earlier):
        raise ZohoError("INVALID_DATA", at(here, "module_specific_sequence"), Message.REORDER_DUPLICATE)
    return Move(rule_id, sequence)


def reordered(module_rules: Sequence[str], moves: Iterable[Move]) -> dict[str, int]:
    """Every rule of the module with its new sequence: the moved ones where they were sent, the
    others in their old order in the places left."""
    placed = {m.sequence: m.rule_id for m in moves}
    rest = iter(r for r in module_rules if r not in placed.values())
    order = [placed.get(position) or next(rest) for position in range(1, len(module_rules) + 1)]
    return {rule_id: position for position, rule_id in enumerate(order, start=1)}


# --- counts -------------------------------------------------------------------------------------


def actions_count(section: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """``{"actions_count": [{type, value}]}`` of one action list, types in first-seen order."""
    counted: dict[str, int] = {}
    for action in section:
        counted[action["type"]] = counted.get(action["type"], 0) + 1
    return {"actions_count": [{"type": t, "value": v} for t, v in counted.items()]} if counted else None


def rule_actions_count(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": data["id"],
        "conditions": [
            {
                "sequence_number": c["sequence_number"],
                "instant_actions": actions_count(c["instant_actions"]["actions"]),
                "scheduled_actions": [actions_count(g["actions"]) for g in c["scheduled_actions"]]
                if c.get("scheduled_actions")
                else None,
                "id": c["id"],
            }
            for c in data["conditions"]
        ],
    }


# --- usage --------------------------------------------------------------------------------------

EMAIL_TYPES = frozenset({"email_notifications"})


def _email_metrics(sent: int) -> dict[str, Any]:
    """An email action's engagement figures: every recorded notification counts as sent and
    delivered; the emulator sees no opens, clicks or bounces."""
    return {
        "bulk_mail": False,
        "unopened": sent,
        "sent_percentage": 100 if sent else 0,
        "opened": 0,
        "delivered": sent,
        "unsent": 0,
        "bounced": 0,
        "clicked": 0,
        "sent": sent,
    }


def _action_usage(
    action: Mapping[str, Any], outcomes: Mapping[str, int], associated_time: str, queued: int | None
) -> dict[str, Any]:
    success, failure = outcomes.get("success", 0), outcomes.get("failure", 0)
    usage: dict[str, Any] = {}
    if queued is not None or action["type"] in EMAIL_TYPES:
        usage["queue_count"] = queued or 0
    if action["type"] in EMAIL_TYPES:
        usage["related_details"] = _email_metrics(success)
    usage.update(
        {
            "name": action["name"],
            "success_count": success,
            "failure_count": failure,
            "id": action["id"],
            "type": action["type"],
            "associated_time": associated_time,
        }
    )
    return usage


def usage(
    data: Mapping[str, Any],
    condition_runs: Mapping[str | None, int],
    outcomes: Mapping[tuple[str | None, str | None, str, str], Mapping[str, int]],
    queued: Mapping[str | None, int],
) -> dict[str, Any]:
    """A rule's usage report (OASx getWorkflowRuleUsage): how often it was triggered, each
    condition matched and each action succeeded or failed; scheduled actions also count what is
    still queued. ``associated_time`` is when the rule was last saved."""
    when = data["modified_time"]
    conditions_usage = []
    for condition in data["conditions"]:
        cid = condition["id"]
        instant = [
            _action_usage(a, outcomes.get((cid, None, a["type"], a["id"]), {}), when, None)
            for a in condition["instant_actions"]["actions"]
        ]
        scheduled = [
            {
                "id": group["id"],
                "actions": [
                    _action_usage(
                        a, outcomes.get((cid, group["id"], a["type"], a["id"]), {}), when, queued.get(group["id"], 0)
                    )
                    for a in group["actions"]
                ],
            }
            for group in condition.get("scheduled_actions") or []
        ]
        conditions_usage.append(
            {
                "instant_actions": {"actions": instant},
                "scheduled_actions": scheduled,
                "usage_count": condition_runs.get(cid, 0),
                "id": cid,
            }
        )
    return {
        "trigger_count": sum(condition_runs.values()),
        "name": data["name"],
        "id": data["id"],
        "conditions": conditions_usage,
        "reset_time": None,
    }


def counts_wire(limits: WorkflowLimits, total: int, active: int) -> dict[str, Any]:
    """``{"rules_count": …}`` (OASx getWorkflowRulesCount): the edition's limits and what is used."""
    return {
        "rules_count": {
            "scheduled_actions_per_rule_limit": limits.scheduled_groups_per_condition,
            "total_rules_limit": limits.total_rules,
            "active_rules_configured": active,
            "rules_per_process_limit": limits.conditions_per_rule,
            "total_rules_limit_per_module": limits.total_rules_per_module,
            "active_rules_limit": limits.active_rules,
            "total_rules_configured": total,
            "active_rules_limit_per_module": limits.active_rules_per_module,
            "total_actions_per_rule_limit": limits.actions_per_rule,
        }
    }
