"""One injectable clock for the whole emulator, so tests expire tokens without sleeping.

Time is kept as integer epoch milliseconds internally; ``iso`` renders Zoho's wire format
(``2025-01-31T10:20:30-08:00``: ISO 8601, seconds, the user's offset, no millis).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

log = logging.getLogger("zcrm_emulator.clock")


class Clock:
    """Wall-clock time plus an offset that tests and the control plane can advance.

    ``reload``: where the offset is kept for every process sharing it (the store); it is read again
    at most every ``RELOAD_S``, so an advance made by another worker shows here within that time."""

    RELOAD_S = 0.1

    def __init__(self, offset_ms: int = 0, reload: Callable[[], int] | None = None) -> None:
        self.offset_ms = offset_ms
        self._reload = reload
        self._next_reload = time.monotonic() + self.RELOAD_S

    def now_ms(self) -> int:
        if self._reload is not None and time.monotonic() >= self._next_reload:
            self._refresh()
        return time.time_ns() // 1_000_000 + self.offset_ms

    def set_offset(self, offset_ms: int) -> None:
        """The offset as just read from or written to the store (a restore): in force from the very
        next ``now_ms``, the next re-read ``RELOAD_S`` later."""
        self.offset_ms = offset_ms
        self._next_reload = time.monotonic() + self.RELOAD_S

    def _refresh(self) -> None:
        assert self._reload is not None
        self._next_reload = time.monotonic() + self.RELOAD_S
        try:
            self.offset_ms = self._reload()
        except Exception:  # the store is unreachable for a moment: keep the offset we have
            log.warning("reading the clock offset failed; keeping %d ms", self.offset_ms, exc_info=True)


@lru_cache(maxsize=4096)  # pure; a write call renders the same two stamps for each of its records
def iso(epoch_ms: int, tz: str = "UTC") -> str:
    """Zoho's datetime format in the given IANA zone (REFERENCE §4.4)."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).astimezone(ZoneInfo(tz))
    return moment.replace(microsecond=0).isoformat()


def parse_iso(value: str) -> int | None:
    """Epoch ms of an ISO 8601 datetime (``Z``, offsets, or naive taken as UTC); None when unparsable."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)
