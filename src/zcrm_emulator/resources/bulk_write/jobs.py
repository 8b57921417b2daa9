"""The bulk write worker: claims jobs from the database (a lease, as bulk read does: jobrunner.py,
store/leases.py) and runs each in one write transaction: every record it writes, its result file,
the job's end and its callback commit together or not at all. A worker killed mid-job leaves nothing
written and the job IN PROGRESS with a lease that runs out; the next worker to look runs it again
from the start, so each row is written exactly once. A worker whose lease ran out meanwhile finds the
job no longer its own at the end and rolls its writes back.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from zcrm_emulator.jobrunner import LeasedWorker
from zcrm_emulator.jobrunner import wall_ms as now_wall
from zcrm_emulator.resources.bulk_write import repo, service

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

log = logging.getLogger("zcrm_emulator.bulk_write")

LEASE_MS = 10 * 60_000  # far longer than 25,000 records take


class LeaseLost(Exception):
    """Another worker took the job over while this one wrote it: roll this one's writes back."""


class BulkWrites(LeasedWorker[repo.Job]):
    name = "bulk_write"

    def __init__(self, emulator: Emulator, *, lease_ms: int = LEASE_MS) -> None:
        super().__init__(lease_ms)
        self.emulator = emulator

    def claim(self, wall_ms: int | None = None) -> repo.Job | None:
        with self.emulator.store.tx(writes=True) as conn:
            return repo.claim_next(conn, wall_ms=wall_ms or now_wall(), lease_ms=self.lease_ms)

    def run_job(self, job: repo.Job) -> bool:
        emulator = self.emulator
        store = emulator.store
        now = emulator.clock.now_ms()
        try:
            with store.tx(writes=True) as conn:
                data, content = service.run(store, conn, job, now_ms=now, memo=emulator.memo)
                if not service.finish(store, conn, emulator.deliveries, job, data, content):
                    raise LeaseLost
        except LeaseLost:
            return False
        except Exception:  # the job's failure is its own: logged, and the job marked FAILED
            log.exception("bulk write job %s failed", job.id)
            with store.tx(writes=True) as conn:
                if not service.finish(store, conn, emulator.deliveries, job, service.failed(job), None):
                    return False
        emulator.deliveries.kick()
        return True
