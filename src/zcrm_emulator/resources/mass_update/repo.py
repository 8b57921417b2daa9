"""SQL of mass update jobs: one row per job scheduled by ``cvid``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from zcrm_emulator.store.schema import mass_update_jobs


@dataclass(frozen=True)
class Job:
    id: str
    org_id: str
    module_id: str
    created_by: str
    data: dict[str, Any]


def add_job(
    conn: Connection, job_id: str, org_id: str, module_id: str, created_by: str, now_ms: int, data: dict[str, Any]
) -> None:
    conn.execute(
        insert(mass_update_jobs).values(
            id=job_id, org_id=org_id, module_id=module_id, created_by=created_by, created_ms=now_ms, data=data
        )
    )


def get_job(conn: Connection, org_id: str, job_id: str) -> Job | None:
    row = conn.execute(
        select(mass_update_jobs).where(mass_update_jobs.c.org_id == org_id, mass_update_jobs.c.id == job_id)
    ).first()
    return Job(row.id, row.org_id, row.module_id, row.created_by, row.data) if row is not None else None


def save_job(conn: Connection, job_id: str, data: dict[str, Any]) -> None:
    conn.execute(update(mass_update_jobs).where(mass_update_jobs.c.id == job_id).values(data=data))
