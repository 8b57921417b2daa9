"""Zoho CRM editions and their limits: one data table, read wherever a limit bites (DESIGN "Editions").

Credits follow the current "API Limits" page (REFERENCE §6.1); concurrency §6.3. Counts that Zoho's
sources do not give (custom modules and unsubscribe links per edition, §9 #14 and #17) are the
values chosen in docs/decisions.md. An org's edition lives in its row; tests switch it on the
control plane.
"""

from __future__ import annotations

from dataclasses import dataclass

from zcrm_emulator.errors import Message, ZohoError


@dataclass(frozen=True)
class Edition:
    name: str
    label: str
    rank: int  # ordering for "Enterprise or higher" gates
    credits_base: int
    credits_per_user: int
    credits_cap: int | None  # None: unlimited
    concurrency: int
    custom_modules: int
    custom_links_per_module: int
    unsubscribe_links: int


EDITIONS: dict[str, Edition] = {
    e.name: e
    for e in (
        Edition("free", "Free", 0, 5_000, 0, 5_000, 5, 0, 10, 1),
        Edition("standard", "Standard", 1, 50_000, 250, 100_000, 10, 10, 10, 10),
        Edition("professional", "Professional", 2, 50_000, 500, 3_000_000, 15, 100, 10, 10),
        Edition("enterprise", "Enterprise", 3, 50_000, 1_000, 5_000_000, 20, 200, 10, 10),
        Edition("ultimate", "Ultimate", 4, 50_000, 2_000, None, 25, 500, 10, 10),
    )
}

ENTERPRISE_RANK = EDITIONS["enterprise"].rank
SUB_CONCURRENCY = 10  # heavy calls, every edition (REFERENCE §6.3)


def edition(name: str) -> Edition:
    try:
        return EDITIONS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown edition {name!r}; one of {', '.join(EDITIONS)}") from None


def daily_credits(ed: Edition, paid_users: int) -> int | None:
    """min(base + per-user × licenses, cap); None for unlimited."""
    total = ed.credits_base + ed.credits_per_user * paid_users
    return None if ed.credits_cap is None else min(total, ed.credits_cap)


def require_enterprise(ed: Edition, message: Message) -> None:
    """NOT_SUPPORTED below Enterprise (e.g. custom modules); details as the OAS ``NotSupported`` has them."""
    if ed.rank < ENTERPRISE_RANK:
        raise ZohoError("NOT_SUPPORTED", {"resource_path_index": 0}, message)
