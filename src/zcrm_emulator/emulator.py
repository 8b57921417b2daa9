"""The Emulator object: one instance's settings, clock, store, memo, events, outbound deliveries and
held credit debits. No
import-time singletons, so any number of emulators can live in one process (tests create one each)."""

from __future__ import annotations

from zcrm_emulator.clock import Clock
from zcrm_emulator.config import Settings
from zcrm_emulator.delivery import Deliveries, DeliveryPolicy
from zcrm_emulator.events import EventBus
from zcrm_emulator.memo import Memo
from zcrm_emulator.store import Store, locks
from zcrm_emulator.store import state as state_repo
from zcrm_emulator.usage import credits

# Emulator time runs at most a century ahead of the machine's, so every date stays a four-digit year.
MAX_OFFSET_SECONDS = 100 * 365 * 24 * 3600


def _offset_of(stored: str | None) -> int:
    return int(stored) if stored else 0


class Emulator:
    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.store = Store(settings.db_url)
        self.events = EventBus()  # record events, handed on after each commit (events.py)
        self.store.on_commit = self.events.publish
        self.memo = Memo()  # derived values re-validated against the store on every use (memo.py)
        self.pending_credits = credits.new_pending(self.store)  # admitted calls' debits, written in batches
        self.store.migrate()
        # The offset lives in the store, shared by every worker on it (re-read every Clock.RELOAD_S).
        self.clock = clock or Clock(self._stored_offset(), reload=self._stored_offset)
        policy = DeliveryPolicy(
            attempts=settings.delivery_attempts, backoff_ms=settings.delivery_backoff_ms, outbound=settings.outbound
        )
        self.deliveries = Deliveries(self.store, self.clock, policy, settings.deliveries)  # outbound requests
        from zcrm_emulator.standard_org import ensure_default_org  # data loading needs the store

        ensure_default_org(self)

    @property
    def default_org_id(self) -> str:
        """The default org, read from the store each time: a reset by any worker sharing the
        database replaces it, so no process may keep its own copy."""
        from zcrm_emulator.standard_org import ensure_default_org

        return ensure_default_org(self)

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
        return True

    def _stored_offset(self) -> int:
        with self.store.tx() as conn:
            return _offset_of(state_repo.get(conn, state_repo.CLOCK_OFFSET))

    def close(self) -> None:
        self.pending_credits.flush()
        self.store.dispose()
