"""SQL for workflow rules (``workflow_rules``: the wire object in ``data``, with ``module_id``,
``trigger``, ``active`` and ``sequence`` beside it) and the saved actions each rule associates
(``workflow_rule_actions``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from zcrm_emulator.store.schema import workflow_rule_actions, workflow_rules


@dataclass(frozen=True)
class StoredRule:
    id: str
    module_id: str
    trigger: str
    active: bool
    sequence: int
    modified_ms: int
    data: dict[str, Any]


def _stored(row: Any) -> StoredRule:
    return StoredRule(row.id, row.module_id, row.trigger, row.active, row.sequence, row.modified_ms, row.data)


_COLUMNS = (
    workflow_rules.c.id,
    workflow_rules.c.module_id,
    workflow_rules.c.trigger,
    workflow_rules.c.active,
    workflow_rules.c.sequence,
    workflow_rules.c.modified_ms,
    workflow_rules.c.data,
)


def insert_rule(conn: Connection, org_id: str, rule: StoredRule, created_ms: int) -> None:
    conn.execute(
        insert(workflow_rules).values(
            id=rule.id,
            org_id=org_id,
            module_id=rule.module_id,
            trigger=rule.trigger,
            active=rule.active,
            sequence=rule.sequence,
            created_ms=created_ms,
            modified_ms=rule.modified_ms,
            data=rule.data,
        )
    )


def save_rule(conn: Connection, rule: StoredRule) -> None:
    conn.execute(
        update(workflow_rules)
        .where(workflow_rules.c.id == rule.id)
        .values(trigger=rule.trigger, active=rule.active, modified_ms=rule.modified_ms, data=rule.data)
    )


def get_rule(conn: Connection, org_id: str, rule_id: str) -> StoredRule | None:
    row = conn.execute(
        select(*_COLUMNS).where(workflow_rules.c.org_id == org_id, workflow_rules.c.id == rule_id)
    ).first()
    return _stored(row) if row is not None else None


def list_rules(
    conn: Connection,
    org_id: str,
    *,
    module_id: str | None = None,
    active: bool | None = None,
    trigger: str | None = None,
    by_modified: str | None = None,
) -> list[StoredRule]:
    """The org's rules, filtered; in creation order, or by modification time (``asc``/``desc``)."""
    query = select(*_COLUMNS).where(workflow_rules.c.org_id == org_id)
    if module_id is not None:
        query = query.where(workflow_rules.c.module_id == module_id)
    if active is not None:
        query = query.where(workflow_rules.c.active == active)
    if trigger is not None:
        query = query.where(workflow_rules.c.trigger == trigger)
    if by_modified == "asc":
        query = query.order_by(workflow_rules.c.modified_ms, workflow_rules.c.id)
    elif by_modified == "desc":
        query = query.order_by(workflow_rules.c.modified_ms.desc(), workflow_rules.c.id.desc())
    else:
        query = query.order_by(workflow_rules.c.id)
    return [_stored(row) for row in conn.execute(query)]


def rules_to_run(conn: Connection, module_id: str, triggers: Sequence[str]) -> list[StoredRule]:
    """A module's active rules with one of these triggers, in the order they run."""
    query = (
        select(*_COLUMNS)
        .where(
            workflow_rules.c.module_id == module_id,
            workflow_rules.c.active.is_(True),
            workflow_rules.c.trigger.in_(list(triggers)),
        )
        .order_by(workflow_rules.c.sequence, workflow_rules.c.id)
    )
    return [_stored(row) for row in conn.execute(query)]


def module_rules_in_order(conn: Connection, module_id: str) -> list[str]:
    """The ids of a module's rules in the order they run."""
    query = (
        select(workflow_rules.c.id)
        .where(workflow_rules.c.module_id == module_id)
        .order_by(workflow_rules.c.sequence, workflow_rules.c.id)
    )
    return [row.id for row in conn.execute(query)]


def set_sequences(conn: Connection, sequences: Mapping[str, int]) -> None:
    for rule_id, sequence in sequences.items():
        conn.execute(update(workflow_rules).where(workflow_rules.c.id == rule_id).values(sequence=sequence))


def next_sequence(conn: Connection, module_id: str) -> int:
    last = conn.execute(
        select(func.max(workflow_rules.c.sequence)).where(workflow_rules.c.module_id == module_id)
    ).scalar_one()
    return int(last or 0) + 1


@dataclass(frozen=True)
class Counts:
    total: int
    active: int


def counts(conn: Connection, org_id: str, module_id: str | None = None) -> Counts:
    query = select(func.count(), func.count().filter(workflow_rules.c.active.is_(True))).where(
        workflow_rules.c.org_id == org_id
    )
    if module_id is not None:
        query = query.where(workflow_rules.c.module_id == module_id)
    total, active = conn.execute(query).one()
    return Counts(int(total), int(active))


def counts_by_module(conn: Connection, org_id: str) -> dict[str, Counts]:
    query = (
        select(
            workflow_rules.c.module_id,
            func.count(),
            func.count().filter(workflow_rules.c.active.is_(True)),
        )
        .where(workflow_rules.c.org_id == org_id)
        .group_by(workflow_rules.c.module_id)
        .order_by(func.min(workflow_rules.c.id))
    )
    return {row[0]: Counts(int(row[1]), int(row[2])) for row in conn.execute(query)}


def delete_rule(conn: Connection, rule_id: str) -> None:
    conn.execute(delete(workflow_rules).where(workflow_rules.c.id == rule_id))


# --- the saved actions rules associate ------------------------------------------------------------


def replace_associations(conn: Connection, org_id: str, rule_id: str, pairs: Iterable[tuple[str, str]]) -> None:
    """The rule now associates exactly these (action type, action id) pairs."""
    conn.execute(delete(workflow_rule_actions).where(workflow_rule_actions.c.rule_id == rule_id))
    rows = [
        {"rule_id": rule_id, "action_type": kind, "action_id": action_id, "org_id": org_id}
        for kind, action_id in dict.fromkeys(pairs)
    ]
    if rows:
        conn.execute(insert(workflow_rule_actions), rows)


def associated_ids(conn: Connection, org_id: str, action_type: str) -> set[str]:
    """The ids of the saved actions of a type that some rule associates."""
    query = select(workflow_rule_actions.c.action_id).where(
        workflow_rule_actions.c.org_id == org_id, workflow_rule_actions.c.action_type == action_type
    )
    return {row.action_id for row in conn.execute(query)}


def in_use(conn: Connection, org_id: str, action_type: str, action_id: str, *, active_only: bool) -> bool:
    query = (
        select(workflow_rule_actions.c.rule_id)
        .join(workflow_rules, workflow_rules.c.id == workflow_rule_actions.c.rule_id)
        .where(
            workflow_rule_actions.c.org_id == org_id,
            workflow_rule_actions.c.action_type == action_type,
            workflow_rule_actions.c.action_id == action_id,
        )
    )
    if active_only:
        query = query.where(workflow_rules.c.active.is_(True))
    return conn.execute(query.limit(1)).first() is not None
