"""Scheduled workflow entries that came due on the emulator clock: a condition's scheduled action
group, or a date-based rule's run (AUTOMATION.md §3.4 ``execute_after``, §3.3 ``date_or_datetime``).

They run after every ``POST /_emulator/clock/advance`` (``Emulator.after_clock_advance``) and from a
background task every ``POLL_S`` (the app's lifespan), each in a transaction of its own. An entry is
claimed for ``LEASE_MS`` so two workers sharing a database never run it twice. At its time a
scheduled group runs only if its record is live and still meets the condition's criteria (else it
is cancelled); a date-based rule runs only while the rule is active, and a recurring one stores its
next date.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from zcrm_emulator import record_model
from zcrm_emulator.automation import actions, repo, runner
from zcrm_emulator.automation.firing import Firing, record_view
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.workflow_rules import criteria
from zcrm_emulator.resources.workflow_rules import repo as rules_repo
from zcrm_emulator.store.engine import savepoint

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

log = logging.getLogger("zcrm_emulator.automation")

LEASE_MS = 60_000
BATCH = 50
POLL_S = 1.0


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def _by_id(items: Any, wanted: str | None) -> Mapping[str, Any] | None:
    return next((item for item in items or () if item.get("id") == wanted), None)


class Scheduler:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def run_due(self) -> int:
        """Run every entry due now; returns how many ran."""
        ran = 0
        while True:
            with self.emulator.store.tx() as conn:
                due = repo.due_ids(conn, now_ms=self.emulator.clock.now_ms(), wall_ms=_wall_ms(), limit=BATCH)
            claimed = sum(self._run_one(entry_id) for entry_id in due)
            ran += claimed
            if not claimed:  # nothing due, or every due entry is another worker's
                return ran

    async def run(self) -> None:
        """The background task: run what is due every ``POLL_S``."""
        while True:
            try:
                await asyncio.to_thread(self.run_due)
            except Exception:  # a broken store or a bug: log it and keep the task alive
                log.exception("scheduled workflow round failed")
            await asyncio.sleep(POLL_S)

    def _run_one(self, entry_id: str) -> bool:
        enqueued: list[str] = []
        try:
            with self.emulator.store.tx(writes=True) as conn:
                now = self.emulator.clock.now_ms()
                entry = repo.claim(conn, entry_id, now_ms=now, wall_ms=_wall_ms(), lease_ms=LEASE_MS)
                if entry is None:
                    return False
                try:
                    with savepoint(conn):
                        status, enqueued = self._execute(conn, entry, now)
                except Exception:  # the entry's failure is its own: logged, marked, never retried
                    log.exception("scheduled workflow entry %s failed", entry.id)
                    status, enqueued = repo.FAILED, []
                repo.finish(conn, entry.id, status)
        finally:
            if enqueued:
                self.emulator.deliveries.kick()
        return True

    def _execute(self, conn: Connection, entry: repo.Entry, now: int) -> tuple[str, list[str]]:
        rule = rules_repo.get_rule(conn, entry.org_id, entry.rule_id)
        module = modules_repo.find(conn, entry.org_id, entry.module_id)
        if rule is None or module is None:
            return repo.CANCELLED, []
        meta = record_model.load_module(conn, entry.org_id, module.api_name, now, self.emulator.memo)
        row = record_model.get_records(conn, meta.id, [entry.record_id]).get(entry.record_id)
        if row is None:
            return repo.CANCELLED, []  # the record was deleted meanwhile
        tz = runner.org_zone(conn, entry.org_id)
        record = record_view(row)
        if entry.kind == repo.DATE_RULE:
            return self._date_rule(conn, entry, rule, meta, record, now, tz)
        condition = _by_id(rule.data["conditions"], entry.condition_id)
        group = _by_id((condition or {}).get("scheduled_actions"), entry.group_id)
        if condition is None or group is None:
            return repo.CANCELLED, []
        ctx = criteria.Context(now, tz, entry.actor)
        if not criteria.matches(condition["criteria_details"]["criteria"], record, meta.by_name, ctx):
            return repo.CANCELLED, []  # the record no longer meets the condition
        firing = Firing(
            conn,
            self.emulator,
            entry.org_id,
            meta,
            entry.record_id,
            entry.actor,
            None,
            rule.data,
            condition["id"],
            group["id"],
            now,
            tz,
        )
        actions.run_all(firing, group["actions"])
        return repo.DONE, firing.enqueued

    def _date_rule(
        self,
        conn: Connection,
        entry: repo.Entry,
        rule: rules_repo.StoredRule,
        meta: record_model.ModuleMeta,
        record: Mapping[str, Any],
        now: int,
        tz: str,
    ) -> tuple[str, list[str]]:
        if not rule.active:
            return repo.CANCELLED, []
        moment = runner.Moment(now, tz, entry.actor, None)
        enqueued = runner.fire(self.emulator, conn, entry.org_id, rule, meta, entry.record_id, record, moment)
        following = runner.next_recurrence(rule.data["execute_when"]["details"], entry.due_ms, tz)
        if following is not None:
            runner.store_entry(conn, entry.org_id, rule, meta, entry.record_id, entry.actor, following, now, None)
        return repo.DONE, enqueued


def install(emulator: Emulator) -> Scheduler:
    """Run workflow rules for this emulator: the record-event subscriber, and the scheduler after
    every clock advance. The caller runs ``Scheduler.run`` as a background task where there is an
    event loop (the app's lifespan)."""
    emulator.events.subscribe(runner.WorkflowRunner(emulator))
    scheduler = Scheduler(emulator)
    emulator.after_clock_advance.append(scheduler.run_due)
    return scheduler
