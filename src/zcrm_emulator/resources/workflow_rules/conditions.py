"""A workflow rule's conditions and their actions (AUTOMATION.md §3.4; OASx postWorkflowRule).

A condition is ``{sequence_number, criteria_details{criteria, relational_criteria},
instant_actions{actions[]}, scheduled_actions[{execute_after{period, unit}, actions[]}]}``; at least
one action in all. Actions either associate a saved action by id (field updates, tasks, email
notifications, webhooks, functions) or carry their own ``details`` (assign_owner, add_tags …).
Which types a module and a trigger allow, and how many of a type one section may hold, come from
the module's workflow configuration; the edition limits conditions, scheduled groups and actions
per rule. Plain functions: the caller passes the lookups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.editions import WorkflowLimits
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.workflow_rules import criteria
from zcrm_emulator.resources.workflow_rules.triggers import RuleModule

ASSOCIATE_TYPES = frozenset(
    {"email_notifications", "field_updates", "tasks", "webhooks", "functions", "sms", "whatsapp"}
)
INLINE_TYPES = frozenset(
    {
        "assign_owner",
        "create_record",
        "create_connected_record",
        "add_meeting",
        "schedule_call",
        "add_tags",
        "remove_tags",
        "convert",
        "flow",
        "circuits",
        "create_record_email",
    }
)
# Associate actions whose saved action must serve the rule's module (field updates may serve a
# module the rule's record looks up, through ``related_details.lookup_field``).
SAME_MODULE_TYPES = frozenset({"tasks", "email_notifications", "webhooks"})
NAME_MAX = {True: 500, False: 100}  # associate or not
SECTION_MAX = {False: 50, True: 10}  # instant actions, one scheduled group (OAS maxItems)
SCHEDULE_PERIODS = ("business_hours", "hours", "business_days", "days", "minutes", "weeks", "months", "years")
# execute_after unit ranges per period (AUTOMATION.md §3.4; minutes from 5: the 1-minute feature
# that allows 2 is not emulated).
UNIT_RANGES: dict[str, tuple[int, int]] = {
    "minutes": (5, 180),
    "hours": (0, 99),
    "days": (0, 2000),
    "weeks": (0, 100),
    "months": (0, 24),
    "years": (0, 10),
    "business_hours": (0, 99),
    "business_days": (0, 2000),
}
MODULE_SELECTIONS = ("all", "specific", "unknown")


@dataclass(frozen=True)
class SavedRef:
    """A saved action a rule associates: its name and the module it serves (None: not known)."""

    id: str
    name: str | None
    module_id: str | None
    module_api_name: str | None = None


@dataclass(frozen=True)
class Context:
    rule_path: str
    module: RuleModule
    trigger: str
    repeat: bool
    limits: WorkflowLimits
    saved: Callable[[str, str], SavedRef | None]  # (type, id) -> the saved action, None if none
    new_id: Callable[[], str]
    webhooks_per_rule: int = 1  # the webhooks package's policy (automation/webhooks.py)

    @property
    def type_path(self) -> str:
        return f"{self.rule_path}.execute_when.type"


def _at(json_path: str, key: str, **extra: Any) -> dict[str, Any]:
    return {"api_name": key, "json_path": f"{json_path}.{key}", **extra}


def _missing(json_path: str, key: str) -> ZohoError:
    return ZohoError("MANDATORY_NOT_FOUND", _at(json_path, key), Message.REQUIRED_FIELD_MISSING)


def _wrong_type(json_path: str, key: str, expected: str) -> ZohoError:
    return ZohoError("INVALID_DATA", _at(json_path, key, expected_data_type=expected), Message.INVALID_DATA_TYPE)


def _ambiguous(message: Message, *paths: tuple[str, str]) -> ZohoError:
    due_to = [{"api_name": name, "json_path": path} for name, path in paths]
    return ZohoError("AMBIGUITY_DURING_PROCESSING", {"ambiguity_due_to": due_to}, message)


def check_all(value: Any, ctx: Context) -> list[dict[str, Any]]:
    """The rule's conditions in stored form, in ``sequence_number`` order."""
    rule_path = ctx.rule_path
    if value is None:
        raise _missing(rule_path, "conditions")
    if not isinstance(value, list):
        raise _wrong_type(rule_path, "conditions", "jsonarray")
    if not value:
        raise _missing(rule_path, "conditions")
    if len(value) > ctx.limits.conditions_per_rule:
        details = _at(rule_path, "conditions", limit=ctx.limits.conditions_per_rule)
        raise ZohoError("LIMIT_EXCEEDED", details, Message.CONDITIONS_LIMIT)
    checked = [_condition(item, f"{rule_path}.conditions[{i}]", ctx) for i, item in enumerate(value)]
    _distinct(checked, rule_path)
    every = [action for condition in checked for section in sections(condition) for action in section]
    for count, limit in (
        (len(every), ctx.limits.actions_per_rule),
        (sum(a["type"] == "webhooks" for a in every), ctx.webhooks_per_rule),
    ):
        if count > limit:
            details = {"api_name": "actions", "json_path": f"{rule_path}.conditions", "limit": limit}
            raise ZohoError("LIMIT_EXCEEDED", details, Message.ACTIONS_LIMIT)
    return sorted(checked, key=lambda c: c["sequence_number"])


def _distinct(conditions: list[dict[str, Any]], rule_path: str) -> None:
    """Sequence numbers unique (DUPLICATE_DATA); no two conditions with the same criteria (ALREADY_USED)."""
    numbers: dict[int, int] = {}
    seen: dict[str, int] = {}
    for index, condition in enumerate(conditions):
        path = f"{rule_path}.conditions[{index}]"
        if condition["sequence_number"] in numbers:
            raise ZohoError("DUPLICATE_DATA", _at(path, "sequence_number"))
        numbers[condition["sequence_number"]] = index
        text = criteria.canonical(condition["criteria_details"]["criteria"])
        if text in seen:
            first = f"{rule_path}.conditions[{seen[text]}]"
            details = {**_at(path, "criteria_details"), "exists_in": _at(first, "criteria_details")}
            raise ZohoError("ALREADY_USED", details)
        seen[text] = index


def _condition(value: Any, path: str, ctx: Context) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ZohoError(
            "INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"}, Message.INVALID_DATA_TYPE
        )
    number = value.get("sequence_number")
    if number is None:
        raise _missing(path, "sequence_number")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise _wrong_type(path, "sequence_number", "integer")
    criteria_details = _criteria_details(value.get("criteria_details"), path, ctx)
    instant, scheduled = value.get("instant_actions"), value.get("scheduled_actions")
    if instant is None and not scheduled:
        raise _missing(path, "instant_actions")
    instant_actions = _instant(instant, path, ctx)
    groups = _scheduled(scheduled, path, ctx)
    if not instant_actions and not groups:
        raise _missing(path, "instant_actions")
    condition_id = normalize_id(value.get("id")) or ctx.new_id()
    return {
        "sequence_number": number,
        "instant_actions": {"actions": instant_actions},
        "scheduled_actions": groups,
        "criteria_details": criteria_details,
        "id": condition_id,
    }


def _criteria_details(value: Any, path: str, ctx: Context) -> dict[str, Any]:
    if value is None:
        raise _missing(path, "criteria_details")
    if not isinstance(value, Mapping):
        raise _wrong_type(path, "criteria_details", "jsonobject")
    details_path = f"{path}.criteria_details"
    given = value.get("criteria")
    checked = criteria.check(given, f"{details_path}.criteria", ctx.module.fields) if given is not None else None
    return {"relational_criteria": _relational(value.get("relational_criteria"), details_path), "criteria": checked}


def _relational(value: Any, path: str) -> dict[str, Any]:
    """Criteria on related records: kept as given (the emulator evaluates the record's own criteria
    only, docs/decisions.md), with Zoho's key rules."""
    empty = {"module_selection": None, "criteria": None, "module": None}
    if value is None or (isinstance(value, Mapping) and all(v is None for v in value.values())):
        return empty
    if not isinstance(value, Mapping):
        raise _wrong_type(path, "relational_criteria", "jsonobject")
    here = f"{path}.relational_criteria"
    selection = value.get("module_selection")
    if selection is None:
        raise _missing(here, "module_selection")
    if selection not in MODULE_SELECTIONS:
        raise ZohoError("INVALID_DATA", _at(here, "module_selection", supported_values=list(MODULE_SELECTIONS)))
    module = value.get("module")
    if (selection == "specific") != (module is not None):
        details = {**_at(here, "module"), "dependee": _at(here, "module_selection")}
        if module is None:
            raise ZohoError("DEPENDENT_FIELD_MISSING", details, Message.DEPENDENT_FIELD_MISSING)
        raise ZohoError("DEPENDENT_MISMATCH", details, Message.DEPENDENT_MISMATCH)
    return {"module_selection": selection, "criteria": value.get("criteria"), "module": module}


def _instant(value: Any, path: str, ctx: Context) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, Mapping):
        raise _wrong_type(path, "instant_actions", "jsonobject")
    return _section(value.get("actions"), f"{path}.instant_actions", ctx, scheduled=False)


def _scheduled(value: Any, path: str, ctx: Context) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise _wrong_type(path, "scheduled_actions", "jsonarray")
    if not value:
        return None
    here = f"{path}.scheduled_actions"
    if len(value) > ctx.limits.scheduled_groups_per_condition:
        details = _at(path, "scheduled_actions", limit=ctx.limits.scheduled_groups_per_condition)
        raise ZohoError("LIMIT_EXCEEDED", details, Message.SCHEDULED_ACTIONS_LIMIT)
    if ctx.repeat:
        details = {**_at(path, "scheduled_actions"), "dependee": _at(f"{ctx.rule_path}.execute_when.details", "repeat")}
        raise ZohoError("DEPENDENT_MISMATCH", details, Message.DEPENDENT_MISMATCH)
    trigger = ctx.module.configuration.triggers[ctx.trigger]
    if not trigger.scheduled:
        raise _ambiguous(Message.ACTION_NOT_FOR_TRIGGER, ("type", ctx.type_path), ("scheduled_actions", here))
    return [_group(group, f"{here}[{i}]", ctx) for i, group in enumerate(value)]


def _group(value: Any, path: str, ctx: Context) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ZohoError(
            "INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"}, Message.INVALID_DATA_TYPE
        )
    after = value.get("execute_after")
    here = f"{path}.execute_after"
    if not isinstance(after, Mapping) or (after.get("period") is None and after.get("unit") is None):
        expected = {"expected_fields": [_at(here, "period"), _at(here, "unit")]}
        raise ZohoError("EXPECTED_FIELD_MISSING", expected, Message.SPECIFY_ATLEAST_ONE)
    for key in ("unit", "period"):
        if after.get(key) is None:
            details = {**_at(here, key), "dependee": {"api_name": "execute_after", "json_path": here}}
            raise ZohoError("DEPENDENT_FIELD_MISSING", details, Message.DEPENDENT_FIELD_MISSING)
    period, unit = after["period"], after["unit"]
    if period not in SCHEDULE_PERIODS:
        raise ZohoError("INVALID_DATA", _at(here, "period", supported_values=list(SCHEDULE_PERIODS)))
    if isinstance(unit, bool) or not isinstance(unit, int):
        raise _wrong_type(here, "unit", "integer")
    low, high = UNIT_RANGES[period]
    if not low <= unit <= high:
        raise ZohoError("INVALID_DATA", _at(here, "unit"))
    actions = _section(value.get("actions"), path, ctx, scheduled=True)
    if not actions:
        raise _missing(path, "actions")
    group_id = normalize_id(value.get("id")) or ctx.new_id()
    return {"execute_after": {"period": period, "unit": unit}, "id": group_id, "actions": actions}


def _section(value: Any, path: str, ctx: Context, *, scheduled: bool) -> list[dict[str, Any]]:
    """One list of actions: a condition's instant actions or one scheduled group."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _wrong_type(path, "actions", "jsonarray")
    if len(value) > SECTION_MAX[scheduled]:
        raise ZohoError("LIMIT_EXCEEDED", _at(path, "actions", limit=SECTION_MAX[scheduled]), Message.ACTIONS_LIMIT)
    actions = [_action(item, f"{path}.actions[{i}]", ctx, scheduled=scheduled) for i, item in enumerate(value)]
    seen: set[tuple[str, str]] = set()
    for index, action in enumerate(actions):
        if action["type"] in ASSOCIATE_TYPES:
            key = (action["type"], action["id"])
            if key in seen:
                details = {"api_name": "actions", "json_path": f"{path}.actions[{index}]"}
                raise ZohoError("DUPLICATE_DATA", details, Message.DUPLICATE_ACTION)
            seen.add(key)
    for kind, count in Counter(a["type"] for a in actions).items():
        allowed = ctx.module.configuration.actions.get(kind)
        # webhooks are limited per rule, by the webhooks package's policy (check_all)
        if allowed is not None and kind != "webhooks" and count > allowed.limit:
            raise ZohoError("LIMIT_EXCEEDED", _at(path, "actions", limit=allowed.limit), Message.ACTIONS_LIMIT)
    return actions


def _action(value: Any, path: str, ctx: Context, *, scheduled: bool) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ZohoError(
            "INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"}, Message.INVALID_DATA_TYPE
        )
    kind = value.get("type")
    if not isinstance(kind, str) or (kind not in ASSOCIATE_TYPES and kind not in INLINE_TYPES):
        raise ZohoError("INVALID_DATA", _at(path, "type"))
    configuration = ctx.module.configuration
    if kind not in configuration.actions:
        raise _ambiguous(Message.ACTION_NOT_FOR_MODULE, ("module", f"{ctx.rule_path}.module"), ("type", f"{path}.type"))
    if not configuration.allows(ctx.trigger, kind):
        raise _ambiguous(Message.ACTION_NOT_FOR_TRIGGER, ("type", ctx.type_path), ("type", f"{path}.type"))
    if scheduled and not configuration.actions[kind].scheduled:
        raise ZohoError("NOT_ALLOWED", _at(path, "type"), Message.UNSUPPORTED_ACTION)
    associate = kind in ASSOCIATE_TYPES
    name = value.get("name")
    if name is not None and not isinstance(name, str):
        raise _wrong_type(path, "name", "text")
    if isinstance(name, str) and len(name) > NAME_MAX[associate]:
        raise ZohoError("INVALID_DATA", _at(path, "name", maximum_length=NAME_MAX[associate]), Message.VALUE_TOO_LONG)
    related = value.get("related_details")
    if related is not None and not isinstance(related, Mapping):
        raise _wrong_type(path, "related_details", "jsonobject")
    if associate:
        return _associate(kind, value, path, ctx)
    return _inline(kind, value, path, ctx)


def _dependent_on_type(path: str, key: str) -> ZohoError:
    details = {**_at(path, key), "dependee": _at(path, "type")}
    return ZohoError("DEPENDENT_FIELD_MISSING", details, Message.DEPENDENT_FIELD_MISSING)


def _associate(kind: str, value: Mapping[str, Any], path: str, ctx: Context) -> dict[str, Any]:
    if value.get("id") in (None, ""):
        raise _dependent_on_type(path, "id")
    action_id = normalize_id(value["id"])
    saved = ctx.saved(kind, action_id) if action_id is not None else None
    if saved is None:
        raise ZohoError("INVALID_DATA", _at(path, "id"), Message.UNKNOWN_ID)
    related = value.get("related_details")
    if not _serves(kind, saved, related, ctx):
        raise _ambiguous(Message.ACTION_NOT_FOR_MODULE, ("module", f"{ctx.rule_path}.module"), ("type", f"{path}.type"))
    name = value.get("name") or saved.name or kind
    if kind == "field_updates":
        module = {"api_name": saved.module_api_name, "id": saved.module_id}
        return {"related_details": related, "name": name, "details": {"module": module}, "id": saved.id, "type": kind}
    if kind in ("tasks", "email_notifications"):
        return {"related_details": related, "name": name, "id": saved.id, "type": kind}
    return {"name": name, "id": saved.id, "type": kind}


def _serves(kind: str, saved: SavedRef, related: Mapping[str, Any] | None, ctx: Context) -> bool:
    """Does the saved action serve the rule's records (directly, or for field updates, through a
    lookup field of the rule's module that points at the field update's module)?"""
    if saved.module_id is None or saved.module_id == ctx.module.id:
        return True
    if kind != "field_updates" or not related or not isinstance(related.get("lookup_field"), Mapping):
        return kind not in SAME_MODULE_TYPES and kind != "field_updates"
    wanted = related["lookup_field"]
    field = ctx.module.fields.get(wanted.get("api_name") or "") or next(
        (f for f in ctx.module.fields.values() if f["id"] == wanted.get("id")), None
    )
    target = ((field or {}).get("lookup") or {}).get("module") or {}
    return target.get("id") == saved.module_id


def _inline(kind: str, value: Mapping[str, Any], path: str, ctx: Context) -> dict[str, Any]:
    details = value.get("details")
    if details is None:
        raise _dependent_on_type(path, "details")
    if not isinstance(details, Mapping):
        raise _wrong_type(path, "details", "jsonobject")
    action_id = normalize_id(value.get("id")) or ctx.new_id()
    stored: dict[str, Any] = {
        "name": value.get("name") or kind,
        "details": dict(details),
        "id": action_id,
        "type": kind,
    }
    if value.get("related_details") is not None:
        stored = {"related_details": value["related_details"], **stored}
    return stored


def sections(condition: Mapping[str, Any]) -> list[list[dict[str, Any]]]:
    """A stored condition's action lists: its instant actions, then each scheduled group's."""
    groups = condition.get("scheduled_actions") or []
    return [condition["instant_actions"]["actions"], *(group["actions"] for group in groups)]


def associations(conditions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The (type, id) of every saved action the conditions associate."""
    return [
        (action["type"], action["id"])
        for condition in conditions
        for section in sections(condition)
        for action in section
        if action["type"] in ASSOCIATE_TYPES
    ]
