"""Credits spent over the rolling 24-hour window, hour by hour (the console's usage chart).

The window is the 1,440 minutes whose credits still count (``credits.window_start``); its hours are
counted back from the current minute, so the last bar is the hour that ends now and the 24 bars
add up to what the balance counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from zcrm_emulator.store import Store
from zcrm_emulator.usage import repo
from zcrm_emulator.usage.credits import MINUTE_MS, WINDOW_MINUTES, window_start
from zcrm_emulator.usage.pending import PendingCredits

HOUR_MINUTES = 60
HOURS = WINDOW_MINUTES // HOUR_MINUTES


@dataclass(frozen=True)
class HourBar:
    """The credits of the hour that starts at ``start_ms`` (epoch ms, emulator time)."""

    start_ms: int
    credits: int


def hourly(
    store: Store, pending: PendingCredits, org_id: str, now_ms: int, endpoint: str | None = None
) -> list[HourBar]:
    """24 bars, oldest first, of one endpoint (``"GET /crm/v8/{module}"``) or of all; held debits
    are written first."""
    pending.flush()
    first, last = window_start(now_ms), now_ms // MINUTE_MS
    with store.tx() as conn:
        minutes = repo.per_minute(conn, org_id, first, last, endpoint)
    totals = [0] * HOURS
    for minute, credits in minutes:
        totals[(minute - first) // HOUR_MINUTES] += credits
    return [HourBar((first + hour * HOUR_MINUTES) * MINUTE_MS, total) for hour, total in enumerate(totals)]
