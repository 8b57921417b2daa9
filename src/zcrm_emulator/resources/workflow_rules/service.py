"""Workflow rules' operations on the caller's connection (the rules are in rules.py, triggers.py,
conditions.py and criteria.py; the SQL in repo.py).

Other packages use:

    webhook_in_use(conn, org_id, webhook_id) -> bool   an active rule associates the webhook
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.automation import lookups, storable
from zcrm_emulator.automation import repo as runs_repo
from zcrm_emulator.automation import webhooks as webhooks_package
from zcrm_emulator.automation.wording import RULES, reworded
from zcrm_emulator.automation.writer import Writer
from zcrm_emulator.clock import iso
from zcrm_emulator.config import Settings
from zcrm_emulator.editions import WorkflowLimits, workflow_limits
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.automation_tasks import repo as tasks_repo
from zcrm_emulator.resources.email_notifications import repo as notifications_repo
from zcrm_emulator.resources.field_updates import repo as field_updates_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.workflow_configurations.rules import for_module
from zcrm_emulator.resources.workflow_rules import conditions, repo, rules, triggers
from zcrm_emulator.resources.workflow_rules.repo import StoredRule
from zcrm_emulator.store import locks
from zcrm_emulator.store.documents import SettingsDocuments


def webhook_in_use(conn: Connection, org_id: str, webhook_id: str) -> bool:
    """Whether an active rule associates the webhook (the webhooks package refuses to delete it)."""
    return repo.in_use(conn, org_id, "webhooks", webhook_id, active_only=True)


@dataclass(frozen=True)
class RuleWriter:
    writer: Writer
    settings: Settings
    limits: WorkflowLimits


def take_turns(conn: Connection, writer: Writer, settings: Settings) -> RuleWriter:
    """Rule writes of one org take turns across workers (the edition's counts are read before a rule
    is written), and with webhook deletes (a rule never associates a webhook deleted meanwhile).
    Raises FEATURE_NOT_SUPPORTED for an edition without workflow rules."""
    limits = workflow_limits(org_repo.org_edition(conn, writer.org_id))
    locks.serialize(conn, f"workflow_rules:{writer.org_id}")
    webhooks_package.take_turns(conn, writer.org_id)
    return RuleWriter(writer, settings, limits)


def _limit(count_after: int, limit: int) -> None:
    if count_after > limit:
        raise ZohoError(
            "LIMIT_EXCEEDED", {"api_name": rules.ENVELOPE, "json_path": f"$.{rules.ENVELOPE}", "limit": limit}
        )


def _check_counts(conn: Connection, rw: RuleWriter, module_id: str, *, new: bool, activating: bool) -> None:
    """The edition's rule counts, org-wide and per module, for one more rule and/or one more active rule."""
    limits = rw.limits
    org, module = repo.counts(conn, rw.writer.org_id), repo.counts(conn, rw.writer.org_id, module_id)
    if new:
        _limit(org.total + 1, limits.total_rules)
        _limit(module.total + 1, limits.total_rules_per_module)
    if activating:
        _limit(org.active + 1, limits.active_rules)
        _limit(module.active + 1, limits.active_rules_per_module)


def _rule_module(conn: Connection, org_id: str, module: ModuleRef) -> triggers.RuleModule:
    notes = modules_repo.find(conn, org_id, "Notes")
    return triggers.RuleModule(
        module.api_name,
        module.id,
        lookups.fields_of(conn, module.id),
        for_module(module.api_name),
        {"Notes": notes.id} if notes is not None else {},
    )


def _saved_document(
    conn: Connection, org_id: str, documents: SettingsDocuments, action_id: str
) -> conditions.SavedRef | None:
    stored = documents.get(conn, org_id, action_id)
    if stored is None:
        return None
    module = stored.data["module"]
    return conditions.SavedRef(stored.id, stored.data.get("name"), module["id"], module["api_name"])


def saved_actions(conn: Connection, org_id: str) -> Callable[[str, str], conditions.SavedRef | None]:
    """What an associate action's id names, by type. Functions, SMS and WhatsApp templates are not
    emulated: any id is taken (and never runs)."""
    stores = {
        "field_updates": field_updates_repo.FIELD_UPDATES,
        "tasks": tasks_repo.TASKS,
        "email_notifications": notifications_repo.NOTIFICATIONS,
    }

    def saved(kind: str, action_id: str) -> conditions.SavedRef | None:
        if kind in stores:
            return _saved_document(conn, org_id, stores[kind], action_id)
        if kind == "webhooks":
            found = webhooks_package.find(conn, org_id, action_id)
            return conditions.SavedRef(action_id, found[0], found[1]) if found is not None else None
        return conditions.SavedRef(action_id, None, None)

    return saved


def _checked(
    conn: Connection, rw: RuleWriter, item: Mapping[str, Any], module: ModuleRef, json_path: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``execute_when`` and the conditions, checked against the module."""
    rule_module = _rule_module(conn, rw.writer.org_id, module)
    execute_when = triggers.check(item.get("execute_when"), json_path, rule_module)
    ctx = conditions.Context(
        rule_path=json_path,
        module=rule_module,
        trigger=execute_when["type"],
        repeat=triggers.repeats(execute_when),
        limits=rw.limits,
        saved=saved_actions(conn, rw.writer.org_id),
        new_id=lambda: ids.allocate(conn, rw.writer.org_id)[0],
        webhooks_per_rule=webhooks_package.per_rule(rw.settings),
    )
    return execute_when, conditions.check_all(item.get("conditions"), ctx)


def create(conn: Connection, rw: RuleWriter, item: Any, json_path: str) -> str:
    writer = rw.writer
    storable.check(item, json_path)
    with reworded(RULES):
        clean = rules.SPEC.check(item, json_path)
    rules.check_name(clean, json_path)
    rules.check_status_on_create(clean.get("status"), json_path)
    module = lookups.module_ref(conn, writer.org_id, clean["module"], json_path)
    _check_counts(conn, rw, module.id, new=True, activating=True)
    execute_when, checked = _checked(conn, rw, item, module, json_path)
    lock = rules.lock_of(clean.get("lock"), None, writer.who(), json_path)
    rule_id = ids.allocate(conn, writer.org_id)[0]
    data = rules.new_rule(
        rule_id,
        clean,
        module=lookups.module_short(module),
        execute_when=execute_when,
        checked_conditions=checked,
        lock=lock,
        active=True,
        stamps=writer.created(),
    )
    sequence = repo.next_sequence(conn, module.id)
    stored = StoredRule(rule_id, module.id, execute_when["type"], True, sequence, writer.now_ms, data)
    repo.insert_rule(conn, writer.org_id, stored, writer.now_ms)
    repo.replace_associations(conn, writer.org_id, rule_id, conditions.associations(checked))
    return rule_id


def rule_for_item(conn: Connection, org_id: str, item: Any, json_path: str) -> StoredRule:
    """The rule a bulk-update item names by ``id`` (MANDATORY_NOT_FOUND "The workflow processid is
    mandatory" without one)."""
    if not isinstance(item, Mapping) or item.get("id") in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", rules.at(json_path, "id"), Message.RULE_ID_MANDATORY)
    rule_id = ids.normalize_id(item["id"])
    stored = repo.get_rule(conn, org_id, rule_id) if rule_id is not None else None
    if stored is None:
        raise ZohoError("INVALID_DATA", rules.at(json_path, "id"), Message.UNKNOWN_ID)
    return stored


def update(conn: Connection, rw: RuleWriter, stored: StoredRule, item: Any, json_path: str) -> str:
    """A merge: what is sent replaces what is stored (rules.merge); the module never changes."""
    writer = rw.writer
    if not isinstance(item, Mapping):
        raise ZohoError("INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"})
    storable.check(item, json_path)
    with reworded(RULES):
        clean = rules.UPDATE_SPEC.check(item, json_path, partial=True)
    rules.check_name(clean, json_path)
    module = modules_repo.find(conn, writer.org_id, stored.module_id)
    assert module is not None  # a rule goes with its module (ON DELETE CASCADE)
    if "module" in item and lookups.module_ref(conn, writer.org_id, item["module"], json_path).id != module.id:
        raise ZohoError("NOT_ALLOWED", rules.at(json_path, "module"))
    rules.check_trigger_change(stored.data, item.get("execute_when"), json_path)
    active, drop_scheduled = rules.active_after(clean.get("status"), stored.active, json_path)
    _check_counts(conn, rw, module.id, new=False, activating=active and not stored.active)
    merged = rules.merge(stored.data, item, json_path)
    execute_when, checked = _checked(conn, rw, merged, module, json_path)
    lock = rules.lock_of(clean.get("lock") if "lock" in item else None, stored.data["lock"], writer.who(), json_path)
    created = {key: stored.data[key] for key in ("created_time", "created_by")}
    data = rules.new_rule(
        stored.id,
        {"name": merged["name"], "description": merged.get("description")},
        module=stored.data["module"],
        execute_when=execute_when,
        checked_conditions=checked,
        lock=lock,
        active=active,
        stamps={**created, **writer.modified()},
    )
    trigger = execute_when["type"]
    repo.save_rule(conn, StoredRule(stored.id, module.id, trigger, active, stored.sequence, writer.now_ms, data))
    repo.replace_associations(conn, writer.org_id, stored.id, conditions.associations(checked))
    _drop_stale_schedule(conn, stored.id, checked, drop_all=drop_scheduled and not active)
    return stored.id


def _drop_stale_schedule(conn: Connection, rule_id: str, checked: list[dict[str, Any]], *, drop_all: bool) -> None:
    """Pending scheduled entries go when the rule is switched off with ``delete_schedule_action``, and
    those of conditions or scheduled groups the update removed."""
    if drop_all:
        runs_repo.cancel(conn, rule_id)
        return
    groups = {(c["id"], g["id"]) for c in checked for g in c.get("scheduled_actions") or []}
    for entry in runs_repo.pending_entries(conn, rule_id):
        if entry["kind"] == runs_repo.ACTIONS and (entry["condition_id"], entry["group_id"]) not in groups:
            runs_repo.finish(conn, entry["id"], runs_repo.CANCELLED)


def delete(conn: Connection, stored: StoredRule) -> None:
    """A locked rule stays (NOT_ALLOWED); deleting a rule takes its scheduled entries and runs with it."""
    if stored.data["lock"].get("status"):
        raise ZohoError("NOT_ALLOWED", {"resource_path_index": 3}, Message.RULE_LOCKED)
    repo.delete_rule(conn, stored.id)


def present(conn: Connection, stored: list[StoredRule], tz: str, *, inner: bool) -> list[dict[str, Any]]:
    """Rules as the reads answer them, with ``last_executed_time`` from their runs."""
    last = runs_repo.last_runs(conn, [rule.id for rule in stored])
    return [rules.shown(rule.data, iso(last[rule.id], tz) if rule.id in last else None, inner=inner) for rule in stored]


def reorder(conn: Connection, module: ModuleRef, body: Mapping[str, Any]) -> list[rules.Move]:
    """New run order for the module's rules, all or nothing (errors inside ``{"reorder": […]}``)."""
    in_order = repo.module_rules_in_order(conn, module.id)
    moves = rules.check_reorder(body, in_order)
    repo.set_sequences(conn, rules.reordered(in_order, moves))
    return sorted(moves, key=lambda m: m.sequence)


def usage(conn: Connection, stored: StoredRule, from_ms: int, to_ms: int) -> dict[str, Any]:
    """The rule's usage report between ``from_ms`` and ``to_ms`` (rules.usage)."""
    return rules.usage(
        stored.data,
        runs_repo.condition_runs(conn, stored.id, from_ms, to_ms),
        runs_repo.action_outcomes(conn, stored.id, from_ms, to_ms),
        runs_repo.queued(conn, stored.id),
    )


def module_counts(conn: Connection, org_id: str, module: ModuleRef | None) -> list[dict[str, Any]]:
    """``module_specific_count``: per module with rules (or the one asked for), total and active."""
    found = repo.counts_by_module(conn, org_id)
    wanted = [module.id] if module is not None else list(found)
    shown = []
    for module_id in wanted:
        ref = module if module is not None else modules_repo.find(conn, org_id, module_id)
        counted = found.get(module_id, repo.Counts(0, 0))
        if ref is not None:
            shown.append(
                {
                    "active_rules_configured": counted.active,
                    "module": lookups.module_short(ref),
                    "total_rules_configured": counted.total,
                }
            )
    return shown
