"""SQL of bulk write: uploaded files and jobs (store/schema.py ``bulk_write_files``,
``bulk_write_jobs``), claimed by workers as bulk read jobs are (store/leases.py), and the users a
user lookup's ``find_by: email`` names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select

from zcrm_emulator.resources.bulk_write import rules
from zcrm_emulator.store import leases
from zcrm_emulator.store.schema import bulk_write_files, bulk_write_jobs, users


@dataclass(frozen=True)
class Job:
    id: str
    org_id: str
    created_by: str
    created_ms: int
    state: str
    lease_until_ms: int | None
    digest: str | None
    data: dict[str, Any]


def _job(row: Any) -> Job:
    return Job(row.id, row.org_id, row.created_by, row.created_ms, row.state, row.lease_until_ms, row.digest, row.data)


def add_file(conn: Connection, file_id: str, org_id: str, created_by: str, now_ms: int, digest: str, data: Any) -> None:
    conn.execute(
        insert(bulk_write_files).values(
            id=file_id, org_id=org_id, created_by=created_by, created_ms=now_ms, digest=digest, data=data
        )
    )


def get_file(conn: Connection, org_id: str, file_id: str) -> tuple[str, dict[str, Any]] | None:
    """The file's zip digest and what it holds."""
    row = conn.execute(
        select(bulk_write_files.c.digest, bulk_write_files.c.data).where(
            bulk_write_files.c.org_id == org_id, bulk_write_files.c.id == file_id
        )
    ).first()
    return (row.digest, row.data) if row is not None else None


def add_job(conn: Connection, job: Job) -> None:
    conn.execute(
        insert(bulk_write_jobs).values(
            id=job.id,
            org_id=job.org_id,
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
        select(bulk_write_jobs).where(bulk_write_jobs.c.org_id == org_id, bulk_write_jobs.c.id == job_id)
    ).first()
    return _job(row) if row is not None else None


def claim_next(conn: Connection, *, wall_ms: int, lease_ms: int) -> Job | None:
    row = leases.claim_next(
        conn, bulk_write_jobs, waiting=(rules.ADDED,), in_progress=rules.IN_PROGRESS, wall_ms=wall_ms, lease_ms=lease_ms
    )
    return _job(row) if row is not None else None


def finish(conn: Connection, job: Job, *, state: str, digest: str | None, data: dict[str, Any]) -> bool:
    """End the job, if the lease ``job`` was claimed with is still its own; whether it was."""
    values = {"state": state, "digest": digest, "data": data}
    return leases.finish(
        conn, bulk_write_jobs, job.id, in_progress=rules.IN_PROGRESS, lease=job.lease_until_ms, values=values
    )


def user_ids_by_email(conn: Connection, org_id: str, emails: Iterable[str]) -> dict[str, str]:
    """Lower-case email -> user id, for the org's users among ``emails``."""
    wanted = list({e.strip().lower() for e in emails})
    if not wanted:
        return {}
    email = func.lower(users.c.email)
    query = select(email.label("email"), users.c.id).where(users.c.org_id == org_id, email.in_(wanted))
    return {row.email: row.id for row in conn.execute(query)}
