"""The rolling 24-hour credit balance (REFERENCE §6.1): check and debit, once per CRM call.

The gateway calls ``charge`` right after the permission check. Credits are kept per org, minute and
endpoint; the balance is what the window (the current minute and the 1,439 before it) has spent,
so credits spent in a minute come back 24 hours after that minute. A call that would take the org
past its edition's daily credits (``editions.daily_credits``) is refused with 429
RATE_LIMIT_EXCEEDED and costs nothing.

Cost per call: one small read (the org, its running total of the window's finished minutes, the
current minute's buckets) plus what this process holds unwritten (usage/pending.py: the call's
debit is held there once its transaction commits, and written with others a moment later). The
running total is recomputed, and buckets that left the window dropped, once per org per minute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.editions import daily_credits, edition
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.store import Store
from zcrm_emulator.usage import repo
from zcrm_emulator.usage.pending import Debit, PendingCredits

WINDOW_MINUTES = 24 * 60
MINUTE_MS = 60_000
_CONVERTER = re.compile(r":\w+}")


def window_start(now_ms: int) -> int:
    """The first minute (epoch minutes) whose credits still count at ``now_ms``."""
    return now_ms // MINUTE_MS - WINDOW_MINUTES + 1


def endpoint_key(method: str, path: str) -> str:
    """``"GET /settings/modules/{module}"``: the endpoint's template, converters left out."""
    return f"{method} {_CONVERTER.sub('}', path)}"


def charge(
    conn: Connection,
    pending: PendingCredits,
    org_id: str,
    endpoint: str,
    credits: int,
    now_ms: int,
    standing: repo.Standing | None = None,
) -> Debit | None:
    """The debit of one call to ``endpoint`` if the org's balance allows it (checked in the caller's
    transaction, counting what ``pending`` holds), or raise RATE_LIMIT_EXCEEDED. The caller hands the
    debit to ``pending.add`` once its transaction has committed; None when there is nothing to debit.
    ``standing``: the org's standing already read in this transaction for ``now_ms`` (admission.py)."""
    minute = now_ms // MINUTE_MS
    if standing is None:
        standing = repo.standing(conn, org_id, minute)
    if standing is None:  # the org was reset away under a live token: nothing to debit
        return None
    total = standing.total
    if standing.total_minute != minute:
        total = repo.roll(conn, org_id, minute=minute, window_first=window_start(now_ms))
    limit = daily_credits(edition(standing.edition), standing.licenses)
    if limit is not None and total + standing.this_minute + pending.held(org_id, minute) + credits > limit:
        raise ZohoError("RATE_LIMIT_EXCEEDED")
    return Debit(org_id, minute, endpoint, credits)


@dataclass(frozen=True)
class Summary:
    org_id: str
    edition: str
    limit: int | None
    used: int
    endpoints: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "org_id": self.org_id,
            "edition": self.edition,
            "window_hours": WINDOW_MINUTES // 60,
            "limit": self.limit,
            "used": self.used,
            "remaining": None if self.limit is None else max(0, self.limit - self.used),
            "endpoints": self.endpoints,
        }


def new_pending(store: Store) -> PendingCredits:
    return PendingCredits(store, WINDOW_MINUTES)


def summary(store: Store, pending: PendingCredits, org_id: str, now_ms: int) -> Summary | None:
    """The balance and the window's usage per endpoint (most credits first), held debits written
    first; None for an unknown org."""
    pending.flush()
    first, minute = window_start(now_ms), now_ms // MINUTE_MS
    with store.tx() as conn:
        standing = repo.standing(conn, org_id, minute)
        if standing is None:
            return None
        used = repo.spent_between(conn, org_id, first, minute)
        rows = repo.by_endpoint(conn, org_id, first, minute)
    endpoints = []
    for row in sorted(rows, key=lambda r: (-r["credits"], r["endpoint"])):
        method, _, path = row["endpoint"].partition(" ")
        endpoints.append({"method": method, "path": path, "calls": row["calls"], "credits": row["credits"]})
    limit = daily_credits(edition(standing.edition), standing.licenses)
    return Summary(org_id, standing.edition, limit, used, endpoints)
