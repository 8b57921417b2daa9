"""What each kind of action does when a rule fires (AUTOMATION.md §3.4, §4).

* ``field_updates``: the record (or, with ``related_details.lookup_field``, the record it looks up)
  is updated through the record model, as the user whose write fired the rule, with an empty
  ``trigger`` list: a workflow field update fires no rule (docs/decisions.md).
* ``tasks``: a Tasks record from the template, linked to the record (``Who_Id`` for a contact,
  ``What_Id`` otherwise), owned by the record's owner unless the template maps ``Owner``.
* ``webhooks``: the webhook's request is stored for the delivery engine (resources/webhooks).
* ``email_notifications``: no mail leaves the emulator; a delivery row of source
  ``email_notification``, already ``delivered``, records that it was sent.
* ``functions``: the registered function the id names runs for the record (resources/functions/workflow.py).
* every other kind (assign_owner, tags, create_record, convert …) is kept in the rule but
  not run: the run log says so (``not_run``).

Field updates run first, then the rest in the rule's order, so webhooks and tasks see the updated
record. Each action's outcome goes to the run log (``workflow_action_runs``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import orjson

from zcrm_emulator import ids, record_model
from zcrm_emulator.automation import repo, timing
from zcrm_emulator.automation import webhooks as webhooks_package
from zcrm_emulator.automation.firing import Firing, merge_text
from zcrm_emulator.clock import iso
from zcrm_emulator.delivery import repo as delivery_repo
from zcrm_emulator.resources.automation_tasks import repo as tasks_repo
from zcrm_emulator.resources.automation_tasks.rules import CURRENT_TIME, MERGE_FIELD
from zcrm_emulator.resources.email_notifications import repo as notifications_repo
from zcrm_emulator.resources.field_updates import repo as field_updates_repo
from zcrm_emulator.resources.functions import workflow as functions_workflow
from zcrm_emulator.resources.users import repo as users_repo

log = logging.getLogger("zcrm_emulator.automation")

EMAIL_SOURCE = "email_notification"  # the deliveries' ``source`` of a recorded email notification
SUCCESS, FAILURE, NOT_RUN = "success", "failure", "not_run"
Outcome = tuple[str, str | None]


def run_all(firing: Firing, actions: Sequence[Mapping[str, Any]]) -> None:
    """Run a section's actions (field updates first) and log each outcome."""
    ordered = sorted(actions, key=lambda a: a["type"] != "field_updates")
    for action in ordered:
        run = RUNNERS.get(action["type"], _not_run)
        try:
            outcome, detail = run(firing, action)
        except Exception as problem:  # one action's failure is its own: the rule's others still run
            log.exception("workflow rule %s: %s action %s failed", firing.rule["id"], action["type"], action["id"])
            outcome, detail = FAILURE, f"{type(problem).__name__}: {problem}"
        if outcome != SUCCESS:
            log.info(
                "workflow rule %s: %s action %s %s: %s",
                firing.rule["id"],
                action["type"],
                action["id"],
                outcome,
                detail,
            )
        repo.add_action_run(
            firing.conn,
            repo.ActionRun(
                firing.org_id,
                firing.rule["id"],
                firing.condition_id,
                firing.group_id,
                action["type"],
                action["id"],
                firing.record_id,
                outcome,
                detail,
                firing.now_ms,
            ),
        )


def _not_run(firing: Firing, action: Mapping[str, Any]) -> Outcome:
    return NOT_RUN, f"the emulator keeps {action['type']} actions but does not run them"


def _failed_items(results: Sequence[Mapping[str, Any]]) -> str | None:
    failed = [r for r in results if r.get("status") != "success"]
    return "; ".join(f"{r.get('code')}: {r.get('message')} {r.get('details')}" for r in failed) or None


# --- field updates --------------------------------------------------------------------------------


def _field_update(firing: Firing, action: Mapping[str, Any]) -> Outcome:
    stored = field_updates_repo.FIELD_UPDATES.get(firing.conn, firing.org_id, action["id"])
    if stored is None:
        return FAILURE, "the field update no longer exists"
    update = stored.data
    target = _update_target(firing, update, action)
    if isinstance(target, str):
        return FAILURE, target
    meta, row = target
    name = update["field"]["api_name"]
    item: dict[str, Any] = {"id": row.id, name: _new_value(update, row.data.get(name))}
    for dependent in _dependents(update.get("dependent_fields") or []):
        item[dependent["field"]["api_name"]] = dependent["value"]
    who = record_model.caller(firing.conn, firing.org_id, firing.actor, firing.emulator.memo)
    results = record_model.update(
        firing.conn, firing.org_id, who, meta, [item], now_ms=firing.now_ms, cause=firing.cause()
    )
    failed = _failed_items(results)
    return (FAILURE, failed) if failed else (SUCCESS, None)


def _update_target(firing: Firing, update: Mapping[str, Any], action: Mapping[str, Any]) -> tuple[Any, Any] | str:
    """The module and record a field update changes: the rule's record, or the one it looks up."""
    row = firing.row()
    if row is None:
        return "the record is no longer live"
    if update["module"]["id"] == firing.meta.id:
        return firing.meta, row
    lookup = ((action.get("related_details") or {}).get("lookup_field") or {}).get("api_name")
    target_id = row.data.get(lookup) if lookup else None
    if not target_id:
        return "the record looks up no record of the field update's module"
    meta = record_model.load_module(
        firing.conn, firing.org_id, update["module"]["api_name"], firing.now_ms, firing.emulator.memo
    )
    target = record_model.get_records(firing.conn, meta.id, [str(target_id)]).get(str(target_id))
    return (meta, target) if target is not None else "the looked-up record is no longer live"


def _new_value(update: Mapping[str, Any], current: Any) -> Any:
    value = update["value"]
    if isinstance(value, Mapping):
        return {"id": value["id"]}
    if isinstance(value, list) and update.get("update_type") == "append":
        return list(dict.fromkeys([*(current or []), *value]))
    return value


def _dependents(entries: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    flat: list[Mapping[str, Any]] = []
    for entry in entries:
        flat.append(entry)
        flat.extend(_dependents(entry.get("dependent_fields") or []))
    return flat


# --- tasks ----------------------------------------------------------------------------------------


def _task(firing: Firing, action: Mapping[str, Any]) -> Outcome:
    stored = tasks_repo.TASKS.get(firing.conn, firing.org_id, action["id"])
    if stored is None:
        return FAILURE, "the task no longer exists"
    row = firing.row()
    if row is None:
        return FAILURE, "the record is no longer live"
    users = {u["id"]: u for u in users_repo.list_users(firing.conn, firing.org_id)}
    tasks = record_model.load_module(firing.conn, firing.org_id, "Tasks", firing.now_ms, firing.emulator.memo)
    item: dict[str, Any] = {"Owner": {"id": row.owner_id}}
    for mapping in stored.data["field_mappings"]:
        name = mapping["field"]["api_name"]
        kind = record_model.field_type(dict(tasks.by_name.get(name) or {"data_type": "text"})).name
        item[name] = _mapped(mapping, kind, row, users, firing)
    # A contact is the task's "Who"; any other record its "What" (What_Id may name any module's record).
    item["Who_Id" if firing.meta.api_name == "Contacts" else "What_Id"] = {"id": row.id}
    who = record_model.caller(firing.conn, firing.org_id, firing.actor, firing.emulator.memo)
    results = record_model.insert(
        firing.conn, firing.org_id, who, tasks, [item], now_ms=firing.now_ms, cause=firing.cause()
    )
    failed = _failed_items(results)
    return (FAILURE, failed) if failed else (SUCCESS, None)


def _mapped(mapping: Mapping[str, Any], kind: str, row: Any, users: Mapping[str, Any], firing: Firing) -> Any:
    value = mapping["value"]
    if mapping["type"] == "static":
        return {"id": value["id"]} if isinstance(value, Mapping) else value
    record = {**row.data, "Owner": row.owner_id, "id": row.id}
    if mapping["type"] == "merge_field":
        whole = MERGE_FIELD.fullmatch(value)
        if whole is not None and kind in ("ownerlookup", "userlookup"):
            return {"id": record.get(whole.group(2))}
        return MERGE_FIELD.sub(lambda m: merge_text(record.get(m.group(2)), users), value)
    return _due(value, kind, record, firing)


def _due(value: Mapping[str, Any], kind: str, record: Mapping[str, Any], firing: Firing) -> str:
    """An ``execution_time`` mapping's date (or datetime): the trigger time or a date field of the
    record, moved by the days or business days."""
    start = firing.now_ms
    if value["trigger_field"] != CURRENT_TIME:
        found = MERGE_FIELD.fullmatch(value["trigger_field"])
        stored = record.get(found.group(2)) if found is not None else None
        if isinstance(stored, str) and len(stored) == 10:
            start = timing.at_time(date.fromisoformat(stored), datetime.min.time(), firing.tz)
        elif isinstance(stored, str):
            start = int(datetime.fromisoformat(stored).timestamp() * 1000)
    units = int(value["unit"]) * (1 if value["sign"] == "plus" else -1)
    due = timing.add(start, value["period"], units, firing.tz)
    if kind == "datetime":
        at = timing.parse_hhmm(value.get("time") or "")
        if at is not None:
            due = timing.at_time(timing.local(due, firing.tz).date(), at, firing.tz)
        return iso(due, firing.tz)
    return timing.local(due, firing.tz).date().isoformat()


# --- webhooks and email notifications -------------------------------------------------------------


def _webhook(firing: Firing, action: Mapping[str, Any]) -> Outcome:
    row = firing.row(live=False)
    if row is None:
        return FAILURE, "the record no longer exists"
    try:
        delivery_id = webhooks_package.fire(
            firing.conn,
            firing.emulator,
            firing.org_id,
            action["id"],
            firing.meta,
            row,
            rule=firing.rule_ref,
            cause=firing.cause(),
        )
    except LookupError as missing:
        return FAILURE, f"the webhook cannot be fired: {missing}"
    firing.enqueued.append(str(delivery_id))
    return SUCCESS, None


def _email_notification(firing: Firing, action: Mapping[str, Any]) -> Outcome:
    stored = notifications_repo.NOTIFICATIONS.get(firing.conn, firing.org_id, action["id"])
    if stored is None:
        return FAILURE, "the email notification no longer exists"
    record = {"module": {"api_name": firing.meta.api_name, "id": firing.meta.id}, "id": firing.record_id}
    context = {
        "email_notification": {"name": stored.data["name"], "id": stored.id},
        "workflow_rule": firing.rule_ref,
        "entity_details": record,
        "request_id": firing.request_id,
    }
    delivery_id = ids.allocate(firing.conn, firing.org_id)[0]
    delivery_repo.insert_delivery(
        firing.conn,
        id=delivery_id,
        org_id=firing.org_id,
        source=EMAIL_SOURCE,
        source_id=stored.id,
        context=context,
        method="EMAIL",
        url=f"email-notification:{stored.id}",
        headers=[],
        body=orjson.dumps({"email_notification": stored.data, "record": record}).decode(),
        max_attempts=0,
        next_attempt_ms=firing.now_ms,
        created_ms=firing.now_ms,
    )
    # Recorded as sent at once: no mail leaves the emulator, and no sender ever claims this row.
    delivery_repo.finish(
        firing.conn, delivery_id, status=delivery_repo.DELIVERED, attempts=0, finished_ms=firing.now_ms, reason=None
    )
    return SUCCESS, None


def _function(firing: Firing, action: Mapping[str, Any]) -> Outcome:
    ran, why_not = functions_workflow.run_action(firing, str(action["id"]))
    return (SUCCESS, None) if ran else (FAILURE, why_not)


RUNNERS: dict[str, Callable[[Firing, Mapping[str, Any]], Outcome]] = {
    "field_updates": _field_update,
    "tasks": _task,
    "webhooks": _webhook,
    "email_notifications": _email_notification,
    "functions": _function,
}
