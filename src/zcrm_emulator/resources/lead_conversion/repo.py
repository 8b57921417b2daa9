"""SQL of lead conversion: mass convert jobs (table ``lead_conversion_jobs``), a job's status read by
its id; a lead's attachments moved to a record it became."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from zcrm_emulator.store.schema import attachments
from zcrm_emulator.store.schema import lead_conversion_jobs as jobs


def save_job(conn: Connection, job_id: str, org_id: str, user_id: str, now_ms: int, data: dict[str, Any]) -> None:
    conn.execute(insert(jobs).values(id=job_id, org_id=org_id, created_by=user_id, created_ms=now_ms, data=data))


def get_job(conn: Connection, org_id: str, job_id: str) -> dict[str, Any] | None:
    found = conn.execute(select(jobs.c.data).where(jobs.c.org_id == org_id, jobs.c.id == job_id)).scalar()
    return dict(found) if found is not None else None


def move_attachments(conn: Connection, lead_id: str, module_id: str, record_id: str) -> int:
    """The lead's attachments now belong to ``record_id`` (of ``module_id``); how many moved."""
    moved = conn.execute(
        update(attachments).where(attachments.c.record_id == lead_id).values(module_id=module_id, record_id=record_id)
    )
    return int(moved.rowcount or 0)
