"""What workflow rules a module may have: its triggers, the actions each trigger allows, and each
action's limits, as data (OASx getWorkflowConfigurations, the Leads example; AUTOMATION.md §3.6).

Every workflow module gets the example's configuration, except that ``convert`` exists only where
records convert (Leads, Quotes, Sales Orders). ``limit`` is how many actions of the type one
condition's instant actions (or one scheduled group) may hold; ``limit_per_action`` how many tags
one tag action names. Workflow-rule validation reads these tables too, so what this endpoint says
is what the rules endpoint enforces. Zoho's example leaves out ``tasks``, which its rules
associate all the same (OASx getWorkflowRuleById): the emulator allows them wherever field updates
are allowed, five to a section like field updates, and does not list them (docs/decisions.md).
Plain data and functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ENVELOPE = "workflow_configurations"
CONVERTIBLE_MODULES = frozenset({"Leads", "Quotes", "Sales_Orders"})


@dataclass(frozen=True)
class ActionKind:
    api_name: str
    name: str
    limit: int
    associate: bool
    scheduled: bool  # supported_in_scheduled_action
    limit_per_action: int | None = None
    listed: bool = True  # shown by GET /workflow_configurations


# In the example's order.
ACTIONS: tuple[ActionKind, ...] = (
    ActionKind("remove_tags", "RemoveTags", 1, False, True, 10),
    ActionKind("convert", "Convert", 1, False, False),
    ActionKind("functions", "Deluge", 1, True, True),
    ActionKind("assign_owner", "AssignOwner", 3, False, True),
    ActionKind("field_updates", "Fieldupdate", 5, True, True),
    ActionKind("add_tags", "AddTags", 1, False, True, 10),
    ActionKind("email_notifications", "Alert", 5, True, True),
    ActionKind("webhooks", "Webhook", 1, True, True),
    ActionKind("create_record", "CreateRecord", 1, False, True),
    ActionKind("schedule_call", "ScheduleCall", 1, False, True),
    ActionKind("add_meeting", "AddMeeting", 1, False, True),
    ActionKind("flow", "Flow", 1, False, True),
    ActionKind("tasks", "Task", 5, True, True, listed=False),
)
ACTION_KINDS: dict[str, ActionKind] = {kind.api_name: kind for kind in ACTIONS}

_RECORD_ACTIONS = (
    "field_updates",
    "assign_owner",
    "add_tags",
    "remove_tags",
    "email_notifications",
    "create_record",
    "add_meeting",
    "schedule_call",
    "convert",
    "webhooks",
    "functions",
    "flow",
    "tasks",
)
_SCORE_ACTIONS = (
    "field_updates",
    "assign_owner",
    "add_tags",
    "remove_tags",
    "email_notifications",
    "webhooks",
    "functions",
    "flow",
    "tasks",
)
_DELETE_ACTIONS = ("email_notifications", "webhooks", "functions")
_NOTES_ACTIONS = (
    "add_tags",
    "remove_tags",
    "email_notifications",
    "create_record",
    "add_meeting",
    "schedule_call",
    "webhooks",
    "functions",
    "flow",
)


@dataclass(frozen=True)
class Trigger:
    api_name: str
    name: str
    scheduled: bool  # scheduled_actions_supported
    actions: tuple[str, ...]


TRIGGERS: tuple[Trigger, ...] = (
    Trigger("create", "Create", True, _RECORD_ACTIONS),
    Trigger("create_or_edit", "CreateorEdit", True, _RECORD_ACTIONS),
    Trigger("edit", "Edit", True, _RECORD_ACTIONS),
    Trigger("field_update", "FieldUpdate", True, _RECORD_ACTIONS),
    Trigger("section_update", "SectionUpdate", True, _RECORD_ACTIONS),
    Trigger("delete", "Delete", False, _DELETE_ACTIONS),
    Trigger("date_or_datetime", "DateBased", True, tuple(a for a in _RECORD_ACTIONS if a != "convert")),
    Trigger("score_increase", "ScoreIncrease", False, _SCORE_ACTIONS),
    Trigger("score_decrease", "ScoreDecrease", False, _SCORE_ACTIONS),
    Trigger("score_update", "ScoreUpdate", False, _SCORE_ACTIONS),
)
NOTES_TRIGGERS: tuple[Trigger, ...] = (
    Trigger("create", "Create", True, _NOTES_ACTIONS),
    Trigger("create_or_edit", "CreateorEdit", True, _NOTES_ACTIONS),
    Trigger("edit", "Edit", True, _NOTES_ACTIONS),
    Trigger("delete", "Delete", False, _DELETE_ACTIONS),
)


@dataclass(frozen=True)
class ModuleConfiguration:
    """One module's workflow configuration."""

    module: str
    triggers: Mapping[str, Trigger]
    actions: Mapping[str, ActionKind]

    def allows(self, trigger: str, action: str) -> bool:
        found = self.triggers.get(trigger)
        return found is not None and action in found.actions


def for_module(api_name: str) -> ModuleConfiguration:
    convert = api_name in CONVERTIBLE_MODULES

    def keep(action: str) -> bool:
        return convert or action != "convert"

    triggers = {t.api_name: Trigger(t.api_name, t.name, t.scheduled, tuple(filter(keep, t.actions))) for t in TRIGGERS}
    return ModuleConfiguration(api_name, triggers, {k: v for k, v in ACTION_KINDS.items() if keep(k)})


def _trigger_wire(trigger: Trigger) -> dict[str, Any]:
    return {
        "api_name": trigger.api_name,
        "deprecated": False,
        "name": trigger.name,
        "scheduled_actions_supported": trigger.scheduled,
        "actions": [a for a in trigger.actions if ACTION_KINDS[a].listed],
    }


def _action_wire(kind: ActionKind) -> dict[str, Any]:
    return {
        "is_clickable": True,
        "associate_action": kind.associate,
        "limit_per_action": kind.limit_per_action,
        "api_name": kind.api_name,
        "supported_in_scheduled_action": kind.scheduled,
        "name": kind.name,
        "limit": kind.limit,
    }


def wire(configuration: ModuleConfiguration, notes: Mapping[str, Any] | None) -> dict[str, Any]:
    """``{"workflow_configurations": …}`` for the module; ``notes`` is the org's Notes module (the
    related module whose notes trigger rules of this one), when it has one."""
    related = []
    if notes is not None:
        related.append(
            {
                "api_name": "Notes",
                "module": {
                    "singular_label": notes.get("singular_label"),
                    "plural_label": notes.get("plural_label"),
                    "api_name": "Notes",
                    "name": notes.get("module_name") or "Notes",
                    "id": notes["id"],
                },
                "name": "Notes",
                "triggers": [_trigger_wire(t) for t in NOTES_TRIGGERS],
            }
        )
    return {
        ENVELOPE: {
            "related_triggers_details": related,
            "triggers": [_trigger_wire(t) for t in configuration.triggers.values()],
            "actions": [_action_wire(kind) for kind in configuration.actions.values() if kind.listed],
        }
    }
