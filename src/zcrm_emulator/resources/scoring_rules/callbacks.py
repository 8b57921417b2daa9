"""Scores kept current as records change: after a write commits, every active scoring rule of the
module scores the records it created or edited again, as Zoho does on create and edit; a deleted
record keeps its scores out of sight (reads show live records only) until it is restored.

Runs in transactions of its own, never the request's; a failure is logged and never fails the call.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from zcrm_emulator import record_model
from zcrm_emulator.events import RecordEvent
from zcrm_emulator.resources.scoring_rules import repo, service

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

log = logging.getLogger("zcrm_emulator.scoring_rules")
SCORED_ACTIONS = frozenset({"insert", "update", "restore"})


class ScoreOnWrite:
    """Subscribed to the emulator's record events (emulator.py)."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def __call__(self, event: RecordEvent) -> None:
        if event.automation_idle:  # the org had no scoring rule when the write's call began
            return
        record_ids = [change.record_id for change in event.changes if change.action in SCORED_ACTIONS]
        if not record_ids:
            return
        store = self.emulator.store
        with store.tx() as conn:  # most modules have no active rule: find out without the write lock
            if not any(rule["active"] for rule in repo.module_rules(conn, event.module_id)):
                return
        try:
            with store.tx(writes=True) as conn:
                now = self.emulator.clock.now_ms()
                meta = record_model.load_module(conn, event.org_id, event.module, now, self.emulator.memo)
                rows = list(record_model.get_records(conn, meta.id, record_ids).values())
                zone = service.org_zone(conn, event.org_id)
                for rule in repo.module_rules(conn, event.module_id):
                    if rule["active"]:
                        service.score_rows(conn, event.org_id, rule, meta, rows, now, event.actor, zone)
        except Exception:  # the write has committed: a scoring failure is logged, never the call's
            log.exception("scoring %s %s failed", event.module, record_ids)
