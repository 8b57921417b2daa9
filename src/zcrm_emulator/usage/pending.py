"""Debits of admitted calls not yet written: the usage buckets' write-behind (docs/decisions.md).

Writing each call's debit in its own transaction made every CRM call, reads included, a write
commit: about half of a cached metadata call. The gateway still checks each call against the
store's balance plus what this process holds here, but adds the call's debit here once the call's
transaction has committed, and ``flush`` writes all held debits in one transaction:

- before a call whose minute differs from the held debits' minute (so the per-minute running total
  in ``repo.roll`` only ever sees finished minutes that are fully written),
- before a call when the oldest held debit is ``FLUSH_AFTER_S`` old, or ``MAX_HELD`` buckets are held,
- on a timer ``FLUSH_AFTER_S`` after a debit arrives, so an idle process does not sit on them,
- before anything reads or resets usage, and when the emulator closes.

So at most ``FLUSH_AFTER_S`` of a process's debits are unwritten at any moment: other workers on
the same database may admit that much more than the limit, and a killed process loses that much.
A flush never runs while a call's transaction is open: calls do not await inside their
transaction (routing.Call.tx), and the timer runs on the event loop between them.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from zcrm_emulator.store import Store
from zcrm_emulator.usage import repo

log = logging.getLogger("zcrm_emulator.usage")

FLUSH_AFTER_S = 0.1
MAX_HELD = 2_000  # buckets (org, endpoint) held before a flush is due whatever their age


@dataclass(frozen=True)
class Debit:
    """One admitted call's charge, as ``credits.charge`` computed it."""

    org_id: str
    minute: int
    endpoint: str
    credits: int


class PendingCredits:
    """One per Emulator; safe to share between threads (the server's and a test's)."""

    def __init__(self, store: Store, window_minutes: int) -> None:
        self.store = store
        self.window_minutes = window_minutes
        self._lock = threading.Lock()
        self._minute: int | None = None
        self._buckets: dict[tuple[str, str], list[int]] = {}  # (org, endpoint) -> [credits, calls]
        self._by_org: dict[str, int] = {}
        self._oldest: float | None = None  # time.monotonic() of the oldest held debit
        self._timer: asyncio.TimerHandle | None = None

    def held(self, org_id: str, minute: int) -> int:
        """Credits this process holds for ``org_id`` in ``minute`` (all it holds is of one minute)."""
        with self._lock:
            return self._by_org.get(org_id, 0) if minute == self._minute else 0

    def add(self, debit: Debit) -> None:
        with self._lock:
            if self._minute is not None and debit.minute != self._minute:
                self._flush_locked()
            self._minute = debit.minute
            bucket = self._buckets.setdefault((debit.org_id, debit.endpoint), [0, 0])
            bucket[0] += debit.credits
            bucket[1] += 1
            self._by_org[debit.org_id] = self._by_org.get(debit.org_id, 0) + debit.credits
            if self._oldest is None:
                self._oldest = time.monotonic()
        self._schedule()

    def due(self, minute: int) -> bool:
        """Whether to flush before a call in ``minute``."""
        with self._lock:
            if not self._buckets:
                return False
            old = self._oldest is not None and time.monotonic() - self._oldest >= FLUSH_AFTER_S
            return minute != self._minute or old or len(self._buckets) >= MAX_HELD

    def flush(self) -> None:
        """Write every held debit to the store, in one transaction of its own."""
        with self._lock:
            self._flush_locked()

    def forget(self, org_id: str) -> None:
        """Drop what is held for ``org_id`` (its usage is being reset)."""
        with self._lock:
            for key in [key for key in self._buckets if key[0] == org_id]:
                del self._buckets[key]
            self._by_org.pop(org_id, None)

    def _flush_locked(self) -> None:
        if self._buckets and self._minute is not None:
            rows = [(org, endpoint, credits, calls) for (org, endpoint), (credits, calls) in self._buckets.items()]
            try:
                with self.store.tx() as conn:
                    repo.add_many(conn, self._minute, rows, self.window_minutes)
            except IntegrityError:
                # An org they count against is gone (another worker on the store reset or restored it):
                # kept, they would fail every flush, and every call that flushes, from now on.
                log.warning("dropped held API credit debits of an org that no longer exists")
        self._buckets.clear()
        self._by_org.clear()
        self._minute = None
        self._oldest = None

    def _schedule(self) -> None:
        """A flush ``FLUSH_AFTER_S`` from now on the running event loop, unless one is pending."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # not on an event loop (a direct caller): the next call, a read or close() flushes
        timer = self._timer
        if timer is not None and not timer.cancelled() and timer.when() > loop.time() - FLUSH_AFTER_S:
            return
        self._timer = loop.call_later(FLUSH_AFTER_S, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        try:
            self.flush()
        except Exception:  # kept, and written by the next call, read or close()
            log.exception("writing held API credit debits failed; will retry")
