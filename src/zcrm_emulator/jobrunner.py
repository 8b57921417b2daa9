"""A background worker for jobs kept in the database and claimed with a lease (store/leases.py):
bulk read and bulk write each run one in every server process (the app's lifespan runs ``run``).

A create call wakes the worker of its own process (``kick``); the others find the job within
``POLL_S``. Without the lifespan (an app used in-process without it) ``kick`` runs the jobs there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Generic, TypeVar

J = TypeVar("J")

POLL_S = 1.0


def wall_ms() -> int:
    """Leases are wall-clock times: they outlive the emulator clock's offsets and every process."""
    return time.time_ns() // 1_000_000


class LeasedWorker(Generic[J]):
    """Claims jobs one at a time and runs them; subclasses say how (``claim``, ``run_job``)."""

    name = "job"

    def __init__(self, lease_ms: int) -> None:
        self.lease_ms = lease_ms
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def claim(self, wall_ms: int | None = None) -> J | None:
        raise NotImplementedError

    def run_job(self, job: J) -> bool:
        """Run a claimed job to its end; whether this worker still held it then."""
        raise NotImplementedError

    def run_pending(self) -> int:
        """Run every job there is to claim, here; returns how many this worker finished."""
        finished = 0
        while (job := self.claim()) is not None:
            finished += self.run_job(job)
        return finished

    def kick(self) -> None:
        """A job was created and committed: wake this process's worker, or run it here when no
        background worker runs."""
        if self._wake is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)
        else:
            self.run_pending()

    async def run(self) -> None:
        """The background worker: wakes on ``kick`` or every ``POLL_S``, runs what it can claim."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        log = logging.getLogger(f"zcrm_emulator.{self.name}")
        try:
            while True:
                self._wake.clear()
                try:
                    await asyncio.to_thread(self.run_pending)
                except Exception:  # a broken store or a bug: log it and keep the worker alive
                    log.exception("%s round failed", self.name)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), POLL_S)
        finally:
            self._wake = self._loop = None
