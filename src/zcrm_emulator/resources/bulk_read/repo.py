"""SQL of bulk read jobs (store/schema.py ``bulk_read_jobs``) and of the records a job reads.

Workers claim a job from the database with a lease (store/leases.py: SKIP LOCKED on PostgreSQL, a
conditional UPDATE on both stores), so several workers on one database never run one job at once,
and a job whose worker died is run again once its lease is over.

The records are read in id order, a batch at a time after the last id read (keyset), filtered in SQL
by the criteria compiled as COQL compiles its WHERE.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select

from zcrm_emulator.record_model import PageQuery, RecordRow, list_records
from zcrm_emulator.resources.bulk_read import rules
from zcrm_emulator.resources.coql import repo as coql_repo
from zcrm_emulator.resources.coql.rules import Bound
from zcrm_emulator.store import leases
from zcrm_emulator.store.schema import bulk_read_jobs

READ_BATCH = 2000  # records fetched per statement while a job streams its file


@dataclass(frozen=True)
class Job:
    id: str
    org_id: str
    module_id: str
    created_by: str
    created_ms: int
    state: str
    lease_until_ms: int | None
    digest: str | None
    data: dict[str, Any]


def _job(row: Any) -> Job:
    return Job(
        row.id,
        row.org_id,
        row.module_id,
        row.created_by,
        row.created_ms,
        row.state,
        row.lease_until_ms,
        row.digest,
        row.data,
    )


def add_job(conn: Connection, job: Job) -> None:
    conn.execute(
        insert(bulk_read_jobs).values(
            id=job.id,
            org_id=job.org_id,
            module_id=job.module_id,
            created_by=job.created_by,
            created_ms=job.created_ms,
            state=job.state,
            lease_until_ms=None,
            digest=None,
            data=job.data,
        )
    )


def get_job(conn: Connection, org_id: str, job_id: str) -> Job | None:
    row = conn.execute(
        select(bulk_read_jobs).where(bulk_read_jobs.c.org_id == org_id, bulk_read_jobs.c.id == job_id)
    ).first()
    return _job(row) if row is not None else None


def count_unfinished(conn: Connection, org_id: str) -> int:
    query = select(func.count()).where(bulk_read_jobs.c.org_id == org_id, bulk_read_jobs.c.state.in_(rules.UNFINISHED))
    return int(conn.execute(query).scalar_one())


def count_in_progress(conn: Connection, org_id: str) -> int:
    query = select(func.count()).where(bulk_read_jobs.c.org_id == org_id, bulk_read_jobs.c.state == rules.IN_PROGRESS)
    return int(conn.execute(query).scalar_one())


def count_created_since(conn: Connection, org_id: str, since_ms: int) -> int:
    query = select(func.count()).where(bulk_read_jobs.c.org_id == org_id, bulk_read_jobs.c.created_ms > since_ms)
    return int(conn.execute(query).scalar_one())


def claim_next(conn: Connection, *, wall_ms: int, lease_ms: int) -> Job | None:
    """Take the oldest job no live worker holds, leased until ``wall_ms + lease_ms``; None when none."""
    waiting = (rules.ADDED, rules.QUEUED)
    row = leases.claim_next(
        conn, bulk_read_jobs, waiting=waiting, in_progress=rules.IN_PROGRESS, wall_ms=wall_ms, lease_ms=lease_ms
    )
    return _job(row) if row is not None else None


def finish(conn: Connection, job: Job, *, state: str, digest: str | None, data: dict[str, Any]) -> bool:
    """End the job, if the lease ``job`` was claimed with is still its own; whether it was."""
    values = {"state": state, "digest": digest, "data": data}
    return leases.finish(
        conn, bulk_read_jobs, job.id, in_progress=rules.IN_PROGRESS, lease=job.lease_until_ms, values=values
    )


def criteria_filter(org_id: str, module_id: str, bound: Bound | None) -> tuple[ColumnElement[bool], ...]:
    if bound is None:
        return ()
    return (coql_repo.compile_where(bound, module_id, coql_repo.Scope(org_id, [0])),)


def stream_records(
    conn: Connection, module_id: str, where: Sequence[ColumnElement[bool]], *, skip: int, limit: int
) -> Iterator[RecordRow]:
    """Up to ``limit`` live matching records after the first ``skip``, in id order, a batch per
    statement (keyset after the first)."""
    after: str | None = None
    offset, left = skip, limit
    while left > 0:
        size = min(READ_BATCH, left)
        rows = list_records(conn, module_id, PageQuery("id", False, size, offset, None, after), *where)
        yield from rows
        if len(rows) < size:
            return
        left -= len(rows)
        after, offset = rows[-1].id, 0


def has_more(conn: Connection, module_id: str, where: Sequence[ColumnElement[bool]], *, skip: int) -> bool:
    return bool(list_records(conn, module_id, PageQuery("id", False, 1, skip, None, None), *where))
