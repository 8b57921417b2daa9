"""The Emulator object: one instance's settings, clock, store, memo, events, outbound deliveries,
held credit debits and snapshots. No import-time singletons, so any number of emulators can live in
one process (tests create one each)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from zcrm_emulator import provisioning, standard_org
from zcrm_emulator.automation.scheduler import install as install_workflow
from zcrm_emulator.clock import Clock
from zcrm_emulator.config import Settings
from zcrm_emulator.delivery import Deliveries, DeliveryPolicy
from zcrm_emulator.events import EventBus
from zcrm_emulator.faults import Faults
from zcrm_emulator.journal import Journal
from zcrm_emulator.memo import Memo
from zcrm_emulator.resources.bulk_read.jobs import BulkReads
from zcrm_emulator.resources.bulk_write.jobs import BulkWrites
from zcrm_emulator.resources.functions.registry import Functions
from zcrm_emulator.resources.notifications.callbacks import WatchCallbacks
from zcrm_emulator.resources.scoring_rules.callbacks import ScoreOnWrite
from zcrm_emulator.snapshots import EmulatorSnapshots
from zcrm_emulator.store import locks
from zcrm_emulator.store import state as state_repo
from zcrm_emulator.store.snapshots import SnapshotInfo
from zcrm_emulator.traffic import Traffic
from zcrm_emulator.usage import credits

log = logging.getLogger("zcrm_emulator")

# Emulator time runs at most a century ahead of the machine's, so every date stays a four-digit year.
MAX_OFFSET_SECONDS = 100 * 365 * 24 * 3600


def _offset_of(stored: str | None) -> int:
    return int(stored) if stored else 0


class Emulator:
    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        # A new database is a copy of the fresh-org template; an older one is migrated (provisioning.py).
        self.store = provisioning.open_store(settings)
        self.events = EventBus()  # record events, handed on after each commit (events.py)
        self.store.on_commit = self.events.publish
        self.memo = Memo()  # derived values re-validated against the store on every use (memo.py)
        self.pending_credits = credits.new_pending(self.store)  # admitted calls' debits, written in batches
        # The offset lives in the store, shared by every worker on it (re-read every Clock.RELOAD_S).
        self.clock = clock or Clock(self._stored_offset(), reload=self._stored_offset)
        policy = DeliveryPolicy(
            attempts=settings.delivery_attempts, backoff_ms=settings.delivery_backoff_ms, outbound=settings.outbound
        )
        self.deliveries = Deliveries(self.store, self.clock, policy, settings.deliveries)  # outbound requests
        self.events.subscribe(WatchCallbacks(self))  # Notification API callbacks
        self.events.subscribe(ScoreOnWrite(self))  # scoring rules score what a write created or edited
        self.after_clock_advance: list[Callable[[], object]] = []  # run once an advance has committed
        self.workflow = install_workflow(self)  # workflow rules run after record writes and when due
        self.functions = Functions(self)  # what each function called as a REST API does
        self.bulk_reads = BulkReads(self)  # bulk read jobs, claimed from the store (run in the app's lifespan)
        self.bulk_writes = BulkWrites(self)  # bulk write jobs, likewise
        self.traffic = Traffic()  # requests in flight, which a restore waits for no one of (traffic.py)
        self._snapshots = EmulatorSnapshots(
            self.store, settings, self.memo, self.pending_credits, self.clock, self.traffic
        )
        self.faults = Faults(self.store, self.clock.now_ms)  # injected faults, kept in the store (faults/)
        self.journal = Journal(settings.journal_size, settings.journal_body_bytes)  # this process's requests

    @property
    def default_org_id(self) -> str:
        """The default org, read from the store each time: a reset by any worker sharing the
        database replaces it, so no process may keep its own copy."""
        return standard_org.ensure_default_org(
            self.store, now=self.clock.now_ms, edition=self.settings.edition, dc=self.settings.dc
        )

    def advance_clock(self, seconds: float) -> bool:
        """Move emulator time forward, from the stored offset (another worker may have moved it since
        this one last read it); persisted, so a restart keeps the same 'now'. False (and nothing
        moved) when the offset would pass ``MAX_OFFSET_SECONDS``."""
        with self.store.tx(writes=True) as conn:
            locks.serialize(conn, "clock")  # two workers' advances add up
            offset = _offset_of(state_repo.get(conn, state_repo.CLOCK_OFFSET)) + int(seconds * 1000)
            if offset > MAX_OFFSET_SECONDS * 1000:
                return False
            state_repo.put(conn, state_repo.CLOCK_OFFSET, str(offset))
        self.clock.offset_ms = offset
        for listener in list(self.after_clock_advance):
            try:
                listener()
            except Exception:  # e.g. scheduled workflow actions: their failure is theirs, not the advance's
                log.exception("clock advance listener %r failed", listener)
        return True

    # --- snapshots (snapshots.py; errors are ZohoError, as on the control plane) ---------------

    def snapshot(self, name: str, *, replace: bool = False) -> SnapshotInfo:
        """Save the whole store as ``name`` (DUPLICATE_DATA when taken, unless ``replace``)."""
        return self._snapshots.save(name, replace=replace)

    def restore(self, name: str) -> None:
        """Bring back the store as snapshot ``name`` saved it (409 NOT_ALLOWED while other requests
        of this process are in flight)."""
        self._snapshots.restore(name)
        self.faults.forget()  # the restored store's rules, from the next request on

    def snapshots(self) -> list[SnapshotInfo]:
        return self._snapshots.list()

    def delete_snapshot(self, name: str) -> None:
        self._snapshots.delete(name)

    def reset(self) -> str:
        """Restore the fresh org (the template of this emulator's edition and data center); its id."""
        self._snapshots.reset()
        self.faults.forget()  # the template has none
        self.journal.clear()
        return self.default_org_id

    def _stored_offset(self) -> int:
        with self.store.tx() as conn:
            return _offset_of(state_repo.get(conn, state_repo.CLOCK_OFFSET))

    def close(self) -> None:
        self.pending_credits.flush()
        self.store.dispose()
