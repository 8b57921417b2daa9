"""``execute_when``: what makes a workflow rule run (AUTOMATION.md §3.3; OASx postWorkflowRule).

``{type, details}``; ``details.trigger_module`` defaults to the rule's module. ``repeat`` is
required for edit-like triggers; a field-update trigger needs ``criteria`` (``${ANYVALUE}`` = any
change of the field); a date-based trigger needs the date or datetime ``field``, a ``period`` and
``unit`` (negative: before), optionally ``execute_at`` ("HH:mm") and ``recur_cycle``.

The emulator runs create, edit, create_or_edit, delete, field_update and date_or_datetime rules;
the other types its module configuration lists (section_update, score triggers) are stored and
never fire (docs/decisions.md). Plain functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.automation import refs, timing
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.record_model import field_type
from zcrm_emulator.resources.workflow_configurations.rules import ModuleConfiguration
from zcrm_emulator.resources.workflow_rules import criteria

# Zoho's own list, verbatim, repeats included (OASx postWorkflowRule InvalidDataResponse3).
SUPPORTED_VALUES = (
    "create",
    "edit",
    "create_or_edit",
    "delete",
    "field_update",
    "rollup_summary_update",
    "section_update",
    "date_or_datetime",
    "score_increase",
    "score_update",
    "score_decrease",
    "recommendation",
    "field_update",
    "score_increase",
    "score_decrease",
    "score_update",
    "scheduled_call_field_update",
    "scheduled_call_section_update",
    "scheduled_call_edit",
    "scheduled_call_createedit",
    "outgoing_call_ring",
    "outgoing_call_start",
    "outgoing_call_section_update",
    "outgoing_call_createedit",
    "outgoing_call_field_update",
    "outgoing_call_edit",
    "incoming_call_ring",
    "incoming_call_start",
    "incoming_call_edit",
    "incoming_call_field_update",
    "incoming_call_createedit",
    "incoming_call_section_update",
    "anyaction",
    "delete",
    "missed_call",
    "create",
    "reschedule",
    "cancel",
    "reassign",
    "delete",
    "overdue",
    "marked_as_complete",
    "anyaction",
    "email_received",
    "mail_sent",
    "mail_sent_clicked",
    "mail_sent_replied",
    "mail_sent_opened",
    "mail_sent_bounced",
    "email_received_notreplied",
    "email_received_opened_notreplied",
    "mail_sent_replied_within",
    "mail_sent_opened_notreplied",
    "mail_sent_notreplied",
    "mail_sent_notopened",
    "fb_post_on_page",
    "fb_comment_on_page",
    "fb_like_on_post",
    "fb_send_message",
    "tw_mention_on",
    "tw_retweet_on_tweet",
    "tw_comment_on_tweet",
    "tw_send_message",
)
RUNNABLE = frozenset({"create", "edit", "create_or_edit", "delete", "field_update", "date_or_datetime"})
REPEAT_REQUIRED = frozenset(
    {
        "edit",
        "create_or_edit",
        "field_update",
        "section_update",
        "incoming_call_edit",
        "incoming_call_createedit",
        "outgoing_call_edit",
        "outgoing_call_createedit",
        "scheduled_call_edit",
        "scheduled_call_createedit",
    }
)
# A PUT may change the trigger only within its family (AUTOMATION.md §3.3 T1..T7).
FAMILIES: dict[str, str] = {
    **dict.fromkeys(("create", "edit", "create_or_edit", "delete", "anyaction", "cancel", "reschedule"), "record"),
    **dict.fromkeys(("field_update", "rollup_summary_update", "stage_automation_field_update"), "field_update"),
    **dict.fromkeys(("section_update",), "section_update"),
    **dict.fromkeys(("date_or_datetime",), "date"),
    **dict.fromkeys(("score_increase", "score_decrease", "score_update"), "score"),
}
DATE_PERIODS = ("minutes", "hours", "days", "weeks", "months", "years", "b_hours", "b_days")
RECUR_CYCLES = ("once", "monthly", "yearly")
DATE_KINDS = frozenset({"date", "datetime"})


def family(trigger: str) -> str:
    return FAMILIES.get(trigger, trigger)


@dataclass(frozen=True)
class RuleModule:
    """The module a rule is built on, as the trigger checks need it."""

    api_name: str
    id: str
    fields: Mapping[str, Mapping[str, Any]]  # by api name
    configuration: ModuleConfiguration
    related: Mapping[str, str]  # api name -> id of modules whose records may trigger it (Notes)


def _at(json_path: str, key: str, **extra: Any) -> dict[str, Any]:
    return {"api_name": key, "json_path": f"{json_path}.{key}", **extra}


def _missing(json_path: str, key: str) -> ZohoError:
    return ZohoError("MANDATORY_NOT_FOUND", _at(json_path, key), Message.REQUIRED_FIELD_MISSING)


def _dependent_missing(details_path: str, key: str, type_path: str) -> ZohoError:
    details = {**_at(details_path, key), "dependee": {"api_name": "type", "json_path": type_path}}
    return ZohoError("DEPENDENT_FIELD_MISSING", details, Message.DEPENDENT_FIELD_MISSING)


def _wrong_type(json_path: str, key: str, expected: str) -> ZohoError:
    return ZohoError("INVALID_DATA", _at(json_path, key, expected_data_type=expected), Message.INVALID_DATA_TYPE)


def check(value: Any, rule_path: str, module: RuleModule) -> dict[str, Any]:
    """``execute_when`` in stored form (``{details, type}``, the GET order)."""
    if value is None:
        raise _missing(rule_path, "execute_when")
    if not isinstance(value, Mapping):
        raise _wrong_type(rule_path, "execute_when", "jsonobject")
    path = f"{rule_path}.execute_when"
    kind = value.get("type")
    if kind in (None, ""):
        raise _missing(path, "type")
    if not isinstance(kind, str) or kind not in SUPPORTED_VALUES:
        raise ZohoError("INVALID_DATA", _at(path, "type", supported_values=list(SUPPORTED_VALUES)))
    if kind not in module.configuration.triggers:
        raise ZohoError("INVALID_DATA", _at(path, "type", supported_values=list(module.configuration.triggers)))
    given = value.get("details")
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        raise _wrong_type(path, "details", "jsonobject")
    details = _details(kind, given, f"{path}.details", f"{path}.type", module)
    return {"details": details, "type": kind}


def _trigger_module(given: Mapping[str, Any], details_path: str, module: RuleModule) -> dict[str, str]:
    """The module whose records trigger the rule: the rule's own, or a related one (Notes) kept
    as configured but never run (docs/decisions.md)."""
    if given.get("trigger_module") is None:
        return {"api_name": module.api_name, "id": module.id}
    candidates = {module.api_name: module.id, **module.related}
    by_id = {module_id: name for name, module_id in candidates.items()}
    found = refs.ref(
        given["trigger_module"],
        details_path,
        "trigger_module",
        by_name=lambda name: name if name in candidates else None,
        by_id=by_id.get,
        same=lambda a, b: a == b,
        ambiguous=Message.MODULE_ID_AMBIGUOUS,
        unknown=Message.MODULE_NAME_INVALID,
    )
    return {"api_name": found, "id": candidates[found]}


def _details(kind: str, given: Mapping[str, Any], path: str, type_path: str, module: RuleModule) -> dict[str, Any]:
    details: dict[str, Any] = {k: v for k, v in given.items() if k != "trigger_module"}
    details["trigger_module"] = _trigger_module(given, path, module)
    if kind in REPEAT_REQUIRED and "repeat" not in given:
        raise _dependent_missing(path, "repeat", type_path)
    if "repeat" in given and not isinstance(given["repeat"], bool):
        raise _wrong_type(path, "repeat", "boolean")
    if kind == "field_update":
        _field_update(details, given, path, type_path, module)
    elif kind == "date_or_datetime":
        _date_based(details, given, path, type_path, module)
    return details


def _field_update(
    details: dict[str, Any], given: Mapping[str, Any], path: str, type_path: str, module: RuleModule
) -> None:
    if given.get("criteria") is None:
        raise _dependent_missing(path, "criteria", type_path)
    details["criteria"] = criteria.check(given["criteria"], f"{path}.criteria", module.fields, any_value=True)
    if "match_all" in given and not isinstance(given["match_all"], bool):
        raise _wrong_type(path, "match_all", "boolean")


def _date_based(
    details: dict[str, Any], given: Mapping[str, Any], path: str, type_path: str, module: RuleModule
) -> None:
    for key in ("field", "period", "unit"):
        if given.get(key) is None:
            raise _dependent_missing(path, key, type_path)
    field = refs.field_of(given["field"], path, "field", module.fields, unknown=Message.UNKNOWN_FIELD)
    if field_type(dict(field)).name not in DATE_KINDS:
        raise ZohoError("INVALID_DATA", _at(path, "field"), Message.UNKNOWN_FIELD)
    details["field"] = refs.short(field)
    if given["period"] not in DATE_PERIODS:
        raise ZohoError("INVALID_DATA", _at(path, "period", supported_values=list(DATE_PERIODS)))
    if isinstance(given["unit"], bool) or not isinstance(given["unit"], int):
        raise _wrong_type(path, "unit", "integer")
    at = given.get("execute_at")
    if at is not None and (not isinstance(at, str) or timing.parse_hhmm(at) is None):
        raise ZohoError("INVALID_DATA", _at(path, "execute_at"))
    cycle = given.get("recur_cycle", "once")
    if cycle not in RECUR_CYCLES:
        raise ZohoError("INVALID_DATA", _at(path, "recur_cycle", supported_values=list(RECUR_CYCLES)))
    details["recur_cycle"] = cycle


def repeats(execute_when: Mapping[str, Any]) -> bool:
    return bool((execute_when.get("details") or {}).get("repeat"))
