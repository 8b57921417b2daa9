"""Jobs claimed from a table with a lease, so that several workers on one database never run one
job at once and a job whose worker died is run again once its lease is over (bulk read and bulk
write jobs).

A job table has ``id``, ``created_ms``, ``state`` and ``lease_until_ms`` columns. On PostgreSQL the
candidate row is locked ``FOR UPDATE SKIP LOCKED`` (a row another worker is claiming is skipped, not
waited for); on both stores the claim is a conditional UPDATE that only a waiting job, or one in
progress whose lease ran out, passes. The lease is the job's fence: a worker finishes the job only
while the lease it took is still the job's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Table, and_, or_, select, update


def _claimable(table: Table, waiting: Sequence[str], in_progress: str, wall_ms: int) -> ColumnElement[bool]:
    abandoned = and_(table.c.state == in_progress, table.c.lease_until_ms < wall_ms)
    return or_(table.c.state.in_(tuple(waiting)), abandoned)


def claim_next(
    conn: Connection,
    table: Table,
    *,
    waiting: Sequence[str],
    in_progress: str,
    wall_ms: int,
    lease_ms: int,
) -> Row[Any] | None:
    """Take the oldest job no live worker holds, leased until ``wall_ms + lease_ms``; its row, or
    None when there is none."""
    claimable = _claimable(table, waiting, in_progress, wall_ms)
    candidates = select(table.c.id).where(claimable).order_by(table.c.created_ms, table.c.id)
    if conn.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    for job_id in conn.execute(candidates.limit(5)).scalars():
        taken = conn.execute(
            update(table)
            .where(table.c.id == job_id, claimable)
            .values(state=in_progress, lease_until_ms=wall_ms + lease_ms)
        )
        if taken.rowcount == 1:
            return conn.execute(select(table).where(table.c.id == job_id)).one()
    return None


def finish(
    conn: Connection, table: Table, job_id: str, *, in_progress: str, lease: int | None, values: Mapping[str, Any]
) -> bool:
    """End the job with ``values`` (the lease cleared), if the lease it was claimed with is still its
    own; whether it was."""
    done = conn.execute(
        update(table)
        .where(table.c.id == job_id, table.c.state == in_progress, table.c.lease_until_ms == lease)
        .values(**values, lease_until_ms=None)
    )
    return done.rowcount == 1
