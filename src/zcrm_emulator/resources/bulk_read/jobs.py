"""The bulk read worker: claims jobs from the database and runs them, in the background of every
server process (the app's lifespan runs ``BulkReads.run``).

A job is claimed in a transaction of its own (``repo.claim_next``: a lease, taken so that two workers
on one database never take one job), its file written while reading the records in a read
transaction, then stored and the job finished in a write transaction that also stores the callback
(the delivery engine sends it after the commit). A worker killed mid-job leaves the job IN PROGRESS
with a lease that runs out; the next worker to look claims it again. The background loop and the
wake-up are jobrunner.py's, shared with bulk write.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from zcrm_emulator.jobrunner import LeasedWorker
from zcrm_emulator.jobrunner import wall_ms as now_wall
from zcrm_emulator.resources.bulk_read import repo, rules, service

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

log = logging.getLogger("zcrm_emulator.bulk_read")

LEASE_MS = 10 * 60_000  # far longer than a 200,000-record page takes


class BulkReads(LeasedWorker[repo.Job]):
    name = "bulk_read"

    def __init__(self, emulator: Emulator, *, per_page: int = rules.PER_PAGE, lease_ms: int = LEASE_MS) -> None:
        super().__init__(lease_ms)
        self.emulator = emulator
        self.per_page = per_page  # records per job file (tests make it small)

    def claim(self, wall_ms: int | None = None) -> repo.Job | None:
        with self.emulator.store.tx(writes=True) as conn:
            return repo.claim_next(conn, wall_ms=wall_ms or now_wall(), lease_ms=self.lease_ms)

    def run_job(self, job: repo.Job) -> bool:
        """Write the claimed job's file and finish it (FAILURE when writing fails); whether this worker
        still held the job at the end."""
        emulator = self.emulator
        now = emulator.clock.now_ms()
        written: service.Written | None
        try:
            with emulator.store.tx() as conn:
                written = service.write_file(conn, job, per_page=self.per_page, now_ms=now, memo=emulator.memo)
        except Exception:  # the job's failure is its own: logged, and the job marked FAILURE
            log.exception("bulk read job %s failed", job.id)
            written = None
        with emulator.store.tx(writes=True) as conn:
            held = service.finish(emulator.store, conn, emulator.deliveries, job, written, per_page=self.per_page)
        if held:
            emulator.deliveries.kick()
        return held
