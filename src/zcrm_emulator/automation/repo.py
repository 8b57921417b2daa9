"""SQL for what the rules runner keeps: scheduled entries (``workflow_schedule``) and the log of
rule and action runs (``workflow_runs``, ``workflow_action_runs``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from zcrm_emulator.store.schema import workflow_action_runs, workflow_runs, workflow_schedule

PENDING, DONE, CANCELLED, FAILED = "pending", "done", "cancelled", "failed"
ACTIONS, DATE_RULE = "actions", "date_rule"


@dataclass(frozen=True)
class Entry:
    id: str
    org_id: str
    rule_id: str
    kind: str
    condition_id: str | None
    group_id: str | None
    module_id: str
    record_id: str
    actor: str
    due_ms: int


def add_entry(conn: Connection, entry: Entry, now_ms: int) -> None:
    conn.execute(
        insert(workflow_schedule).values(
            id=entry.id,
            org_id=entry.org_id,
            rule_id=entry.rule_id,
            kind=entry.kind,
            condition_id=entry.condition_id,
            group_id=entry.group_id,
            module_id=entry.module_id,
            record_id=entry.record_id,
            actor=entry.actor,
            due_ms=entry.due_ms,
            status=PENDING,
            lease_until_ms=None,
            created_ms=now_ms,
        )
    )


def _claimable(now_ms: int, wall_ms: int) -> Any:
    return and_(
        workflow_schedule.c.status == PENDING,
        workflow_schedule.c.due_ms <= now_ms,
        or_(workflow_schedule.c.lease_until_ms.is_(None), workflow_schedule.c.lease_until_ms < wall_ms),
    )


def due_ids(conn: Connection, *, now_ms: int, wall_ms: int, limit: int) -> list[str]:
    query = (
        select(workflow_schedule.c.id)
        .where(_claimable(now_ms, wall_ms))
        .order_by(workflow_schedule.c.due_ms, workflow_schedule.c.id)
        .limit(limit)
    )
    return [row.id for row in conn.execute(query)]


def claim(conn: Connection, entry_id: str, *, now_ms: int, wall_ms: int, lease_ms: int) -> Entry | None:
    """Take one due entry for ``lease_ms`` (None when another worker has it or it is no longer due).
    On PostgreSQL a row another worker is claiming is skipped, not waited for."""
    query = select(workflow_schedule).where(workflow_schedule.c.id == entry_id, _claimable(now_ms, wall_ms))
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = conn.execute(query).first()
    if row is None:
        return None
    conn.execute(
        update(workflow_schedule).where(workflow_schedule.c.id == entry_id).values(lease_until_ms=wall_ms + lease_ms)
    )
    return Entry(
        row.id,
        row.org_id,
        row.rule_id,
        row.kind,
        row.condition_id,
        row.group_id,
        row.module_id,
        row.record_id,
        row.actor,
        row.due_ms,
    )


def finish(conn: Connection, entry_id: str, status: str) -> None:
    conn.execute(
        update(workflow_schedule).where(workflow_schedule.c.id == entry_id).values(status=status, lease_until_ms=None)
    )


def cancel(conn: Connection, rule_id: str, *, record_id: str | None = None, kind: str | None = None) -> int:
    """Cancel a rule's pending entries (for one record, of one kind); returns how many."""
    query = update(workflow_schedule).where(
        workflow_schedule.c.rule_id == rule_id, workflow_schedule.c.status == PENDING
    )
    if record_id is not None:
        query = query.where(workflow_schedule.c.record_id == record_id)
    if kind is not None:
        query = query.where(workflow_schedule.c.kind == kind)
    return int(conn.execute(query.values(status=CANCELLED)).rowcount)


def pending_entries(conn: Connection, rule_id: str) -> list[dict[str, Any]]:
    query = (
        select(workflow_schedule)
        .where(workflow_schedule.c.rule_id == rule_id, workflow_schedule.c.status == PENDING)
        .order_by(workflow_schedule.c.due_ms)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def next_due_ms(conn: Connection) -> int | None:
    found: int | None = conn.execute(
        select(func.min(workflow_schedule.c.due_ms)).where(workflow_schedule.c.status == PENDING)
    ).scalar_one()
    return found


# --- the log of runs ------------------------------------------------------------------------------


def add_run(conn: Connection, org_id: str, rule_id: str, condition_id: str | None, record_id: str, ran_ms: int) -> None:
    conn.execute(
        insert(workflow_runs).values(
            org_id=org_id, rule_id=rule_id, condition_id=condition_id, record_id=record_id, ran_ms=ran_ms
        )
    )


def ran_before(conn: Connection, rule_id: str, record_id: str) -> bool:
    """Whether a condition of the rule has matched the record before (runs without one do not count)."""
    query = select(workflow_runs.c.id).where(
        workflow_runs.c.rule_id == rule_id,
        workflow_runs.c.record_id == record_id,
        workflow_runs.c.condition_id.is_not(None),
    )
    return conn.execute(query.limit(1)).first() is not None


def last_runs(conn: Connection, rule_ids: Sequence[str]) -> dict[str, int]:
    if not rule_ids:
        return {}
    query = (
        select(workflow_runs.c.rule_id, func.max(workflow_runs.c.ran_ms))
        .where(workflow_runs.c.rule_id.in_(list(rule_ids)))
        .group_by(workflow_runs.c.rule_id)
    )
    return {row[0]: int(row[1]) for row in conn.execute(query)}


@dataclass(frozen=True)
class ActionRun:
    org_id: str
    rule_id: str
    condition_id: str | None
    group_id: str | None
    action_type: str
    action_id: str
    record_id: str
    outcome: str  # success | failure | not_run
    detail: str | None
    ran_ms: int


def add_action_run(conn: Connection, run: ActionRun) -> None:
    conn.execute(insert(workflow_action_runs).values(**run.__dict__))


def condition_runs(conn: Connection, rule_id: str, from_ms: int, to_ms: int) -> dict[str | None, int]:
    """How many times each condition of a rule matched in ``[from_ms, to_ms)``."""
    query = (
        select(workflow_runs.c.condition_id, func.count())
        .where(workflow_runs.c.rule_id == rule_id, workflow_runs.c.ran_ms >= from_ms, workflow_runs.c.ran_ms < to_ms)
        .group_by(workflow_runs.c.condition_id)
    )
    return {row[0]: int(row[1]) for row in conn.execute(query)}


def action_outcomes(
    conn: Connection, rule_id: str, from_ms: int, to_ms: int
) -> dict[tuple[str | None, str | None, str, str], dict[str, int]]:
    """Per (condition, scheduled group, action type, action id): how many runs had each outcome."""
    query = (
        select(
            workflow_action_runs.c.condition_id,
            workflow_action_runs.c.group_id,
            workflow_action_runs.c.action_type,
            workflow_action_runs.c.action_id,
            workflow_action_runs.c.outcome,
            func.count(),
        )
        .where(
            workflow_action_runs.c.rule_id == rule_id,
            workflow_action_runs.c.ran_ms >= from_ms,
            workflow_action_runs.c.ran_ms < to_ms,
        )
        .group_by(
            workflow_action_runs.c.condition_id,
            workflow_action_runs.c.group_id,
            workflow_action_runs.c.action_type,
            workflow_action_runs.c.action_id,
            workflow_action_runs.c.outcome,
        )
    )
    found: dict[tuple[str | None, str | None, str, str], dict[str, int]] = {}
    for condition_id, group_id, kind, action_id, outcome, count in conn.execute(query):
        found.setdefault((condition_id, group_id, kind, action_id), {})[outcome] = int(count)
    return found


def queued(conn: Connection, rule_id: str) -> dict[str | None, int]:
    """Pending scheduled entries of a rule per scheduled group."""
    query = (
        select(workflow_schedule.c.group_id, func.count())
        .where(workflow_schedule.c.rule_id == rule_id, workflow_schedule.c.status == PENDING)
        .group_by(workflow_schedule.c.group_id)
    )
    return {row[0]: int(row[1]) for row in conn.execute(query)}


def action_runs(conn: Connection, org_id: str, record_id: str | None = None) -> list[dict[str, Any]]:
    """The org's action runs (for one record), oldest first: the control plane and tests read them."""
    query = select(workflow_action_runs).where(workflow_action_runs.c.org_id == org_id)
    if record_id is not None:
        query = query.where(workflow_action_runs.c.record_id == record_id)
    return [dict(row._mapping) for row in conn.execute(query.order_by(workflow_action_runs.c.id))]


def entries(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    """The org's scheduled entries, whatever their status, oldest first (tests and tools read them)."""
    query = (
        select(workflow_schedule)
        .where(workflow_schedule.c.org_id == org_id)
        .order_by(workflow_schedule.c.created_ms, workflow_schedule.c.id)
    )
    return [dict(row._mapping) for row in conn.execute(query)]
