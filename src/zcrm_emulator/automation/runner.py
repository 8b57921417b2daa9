"""The record-event subscriber that runs workflow rules (AUTOMATION.md §3.3, §3.4, §3.7).

After a record write commits, every active rule of the module whose trigger the write meets runs
for each record, in the module's rule order: its conditions are tried in ``sequence_number`` order
on the record as stored, the first that matches wins; its instant actions run now and its
scheduled groups are stored for later (scheduler.py). Which writes run rules is the record call's
``trigger`` list: omitted, rules run; ``[]`` or a list without ``"workflow"``, none do — the rules'
own writes say ``[]``, so they fire nothing.

Triggers: ``create`` (inserts), ``edit`` (updates), ``create_or_edit``, ``delete`` (the record as it
went to the recycle bin), ``field_update`` (an update changing the criteria's fields to matching
values; ``${ANYVALUE}`` any change) and ``date_or_datetime`` (a write that sets the date stores an
entry due at the date moved by the rule's period). With ``repeat: false`` an edit-like rule runs for
a record only the first time a condition matches it.

The runner works in transactions of its own, never the request's, each rule in a savepoint: a rule
that fails is logged and undone, and never fails the API call or the other rules. Deliveries its
actions stored are kicked once it has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.automation import actions, repo, timing
from zcrm_emulator.automation.firing import Firing, record_view
from zcrm_emulator.clock import parse_iso
from zcrm_emulator.events import Cause, RecordChange, RecordEvent
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.workflow_rules import criteria
from zcrm_emulator.resources.workflow_rules import repo as rules_repo
from zcrm_emulator.resources.workflow_rules.repo import StoredRule
from zcrm_emulator.store.engine import savepoint

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

log = logging.getLogger("zcrm_emulator.automation")

# Which rule triggers a record change may meet.
TRIGGERS_OF: dict[str, tuple[str, ...]] = {
    "insert": ("create", "create_or_edit", "date_or_datetime"),
    "update": ("edit", "create_or_edit", "field_update", "date_or_datetime"),
    "delete": ("delete",),
}
REPEATABLE = frozenset({"edit", "create_or_edit", "field_update"})


def runs_workflow(cause: Cause) -> bool:
    """REFERENCE §4 / AUTOMATION.md §3.7: no list, rules run; a list, only if it names workflow."""
    return cause.trigger is None or "workflow" in cause.trigger


@dataclass(frozen=True)
class Scene:
    """What every rule of one event is evaluated in."""

    conn: Connection
    event: RecordEvent
    meta: record_model.ModuleMeta
    fields: Mapping[str, Mapping[str, Any]]
    now_ms: int
    tz: str

    @property
    def ctx(self) -> criteria.Context:
        return criteria.Context(self.now_ms, self.tz, self.event.actor)


def org_zone(conn: Connection, org_id: str) -> str:
    return str(org_repo.get_org(conn, org_id).get("time_zone") or "UTC")


class WorkflowRunner:
    """Subscribed to the emulator's record events (``install``)."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def __call__(self, event: RecordEvent) -> None:
        if event.automation_idle or not runs_workflow(event.cause):
            return
        kinds = {change.action for change in event.changes}
        wanted = sorted({t for kind in kinds for t in TRIGGERS_OF.get(kind, ())})
        if not wanted:
            return
        store = self.emulator.store
        with store.tx() as conn:  # most writes meet no rule: find out without taking the write lock
            if not rules_repo.rules_to_run(conn, event.module_id, wanted):
                return
        fired: list[str] = []
        try:
            with store.tx(writes=True) as conn:
                fired = self._run(conn, event, wanted)
        finally:
            if fired:
                self.emulator.deliveries.kick()

    def _run(self, conn: Connection, event: RecordEvent, wanted: list[str]) -> list[str]:
        now = self.emulator.clock.now_ms()
        rules = rules_repo.rules_to_run(conn, event.module_id, wanted)
        meta = record_model.load_module(conn, event.org_id, event.module, now, self.emulator.memo)
        scene = Scene(conn, event, meta, meta.by_name, now, org_zone(conn, event.org_id))
        enqueued: list[str] = []
        for change in event.changes:
            for rule in rules:
                if rule.trigger not in TRIGGERS_OF.get(change.action, ()):
                    continue
                # as stored now: an earlier rule's field update shows in the next rule's criteria
                row = record_model.get_records(conn, meta.id, [change.record_id], live=False).get(change.record_id)
                if row is None:
                    break
                try:
                    with savepoint(conn):
                        enqueued += self._for_record(scene, rule, change, record_view(row))
                except Exception:  # one rule's failure is its own (its writes undone)
                    log.exception("workflow rule %s failed on %s %s", rule.id, event.module, change.record_id)
        return enqueued

    def _for_record(self, scene: Scene, rule: StoredRule, change: RecordChange, record: Mapping[str, Any]) -> list[str]:
        details = rule.data["execute_when"]["details"]
        event = scene.event
        if rule.trigger == "date_or_datetime":
            schedule_date_rule(
                scene.conn, event.org_id, rule, scene.meta, change, record, event.actor, scene.now_ms, scene.tz
            )
            return []
        if rule.trigger == "field_update" and not criteria.changed_matches(
            details["criteria"], change.fields, record, scene.fields, scene.ctx
        ):
            return []
        once = rule.trigger in REPEATABLE and not details.get("repeat")
        if once and repo.ran_before(scene.conn, rule.id, change.record_id):
            return []
        moment = Moment(scene.now_ms, scene.tz, event.actor, event.cause.request_id)
        return fire(self.emulator, scene.conn, event.org_id, rule, scene.meta, change.record_id, record, moment)


@dataclass(frozen=True)
class Moment:
    """When and for whom a rule fires: now, the org's time zone, the user whose write fired it and
    the request that wrote."""

    now_ms: int
    tz: str
    actor: str
    request_id: str | None


def first_match(
    conditions: Iterable[Mapping[str, Any]], record: Mapping[str, Any], fields: Mapping[str, Any], ctx: criteria.Context
) -> Mapping[str, Any] | None:
    """The condition that wins: the first, in ``sequence_number`` order, whose criteria the record meets."""
    for condition in sorted(conditions, key=lambda c: c["sequence_number"]):
        if criteria.matches(condition["criteria_details"]["criteria"], record, fields, ctx):
            return condition
    return None


def fire(
    emulator: Emulator,
    conn: Connection,
    org_id: str,
    rule: StoredRule,
    meta: record_model.ModuleMeta,
    record_id: str,
    record: Mapping[str, Any],
    moment: Moment,
) -> list[str]:
    """Run the rule for the record now: the first matching condition's instant actions, its
    scheduled groups stored. Returns the deliveries its actions stored."""
    ctx = criteria.Context(moment.now_ms, moment.tz, moment.actor)
    condition = first_match(rule.data["conditions"], record, meta.by_name, ctx)
    repo.add_run(conn, org_id, rule.id, condition["id"] if condition else None, record_id, moment.now_ms)
    if condition is None:
        return []
    firing = Firing(
        conn,
        emulator,
        org_id,
        meta,
        record_id,
        moment.actor,
        moment.request_id,
        rule.data,
        condition["id"],
        None,
        moment.now_ms,
        moment.tz,
    )
    actions.run_all(firing, condition["instant_actions"]["actions"])
    for group in condition.get("scheduled_actions") or []:
        after = group["execute_after"]
        due = timing.add(moment.now_ms, after["period"], after["unit"], moment.tz)
        store_entry(
            conn, org_id, rule, meta, record_id, moment.actor, due, moment.now_ms, (condition["id"], group["id"])
        )
    return firing.enqueued


def store_entry(
    conn: Connection,
    org_id: str,
    rule: StoredRule,
    meta: record_model.ModuleMeta,
    record_id: str,
    actor: str,
    due_ms: int,
    now_ms: int,
    group: tuple[str, str] | None,
) -> None:
    """A scheduled entry: a condition's scheduled group (``group``: condition and group ids), or
    a date-based rule's run when ``group`` is None."""
    kind = repo.ACTIONS if group is not None else repo.DATE_RULE
    condition_id, group_id = group if group is not None else (None, None)
    entry_id = ids.allocate(conn, org_id)[0]
    entry = repo.Entry(entry_id, org_id, rule.id, kind, condition_id, group_id, meta.id, record_id, actor, due_ms)
    repo.add_entry(conn, entry, now_ms)


# --- date-based rules -----------------------------------------------------------------------------

RECURRENCES = 1200  # a monthly rule looks at most a century ahead for its next date


def date_rule_due(details: Mapping[str, Any], value: Any, tz: str, now_ms: int) -> int | None:
    """When a date-based rule fires for a record whose date field holds ``value``: the date (at
    ``execute_at``, midnight by default, for a date field) moved by the rule's period; for a
    recurring rule, the next such moment from now. None when it is past (and does not recur) or the
    field is empty."""
    if not isinstance(value, str) or not value:
        return None
    if len(value) == 10:
        at = timing.parse_hhmm(details.get("execute_at") or "00:00") or timing.parse_hhmm("00:00")
        assert at is not None
        base = timing.at_time(date.fromisoformat(value), at, tz)
    else:
        parsed = parse_iso(value)
        if parsed is None:
            return None
        base = parsed
    due = timing.add(base, details["period"], int(details["unit"]), tz)
    cycle = details.get("recur_cycle") or "once"
    if cycle == "once":
        return due if due >= now_ms else None
    step = "months" if cycle == "monthly" else "years"
    for count in range(RECURRENCES):
        moved = timing.add(due, step, count, tz)
        if moved >= now_ms:
            return moved
    return None


def schedule_date_rule(
    conn: Connection,
    org_id: str,
    rule: StoredRule,
    meta: record_model.ModuleMeta,
    change: RecordChange,
    record: Mapping[str, Any],
    actor: str,
    now_ms: int,
    tz: str,
) -> None:
    """A write that sets or changes the rule's date field (re)schedules the rule for the record."""
    details = rule.data["execute_when"]["details"]
    name = details["field"]["api_name"]
    if change.action == "update" and name not in change.fields:
        return
    repo.cancel(conn, rule.id, record_id=change.record_id, kind=repo.DATE_RULE)
    due = date_rule_due(details, record.get(name), tz, now_ms)
    if due is not None:
        store_entry(conn, org_id, rule, meta, change.record_id, actor, due, now_ms, None)


def next_recurrence(details: Mapping[str, Any], due_ms: int, tz: str) -> int | None:
    """A recurring date-based rule's next run after the one due at ``due_ms``."""
    cycle = details.get("recur_cycle") or "once"
    if cycle == "once":
        return None
    return timing.add(due_ms, "months" if cycle == "monthly" else "years", 1, tz)
