"""Running a scheduled mass update once the call that scheduled it has committed: the call's
response carries ``run_job`` as its background task, which opens its own write transaction (a call
never opens another). The job runs in the same process right after the response is sent; a job
whose process stopped before that stays ``SCHEDULED`` (docs/decisions.md)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from zcrm_emulator import record_model
from zcrm_emulator.resources.mass_update import repo, rules, service

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

log = logging.getLogger("zcrm_emulator.mass_update")


def run_job(emulator: Emulator, org_id: str, job_id: str, request_id: str | None) -> None:
    """Run the job if it is still scheduled; a job that fails is marked ``FAILED``, its writes undone."""
    try:
        with emulator.store.tx(writes=True) as conn:
            job = repo.get_job(conn, org_id, job_id)
            if job is None or job.data["Status"] != rules.SCHEDULED:
                return
            now = emulator.clock.now_ms()
            meta = record_model.load_module(conn, org_id, job.data["module"], now, emulator.memo)
            who = record_model.caller(conn, org_id, job.created_by, emulator.memo)
            service.run(conn, job, who, meta, now, request_id)
    except Exception:  # the job's failure is its own: logged and marked, never the call's
        log.exception("mass update job %s failed", job_id)
        with emulator.store.tx(writes=True) as conn:
            service.mark_failed(conn, org_id, job_id)
