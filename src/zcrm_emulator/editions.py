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


# --- workflow rules (AUTOMATION.md §3.6, §9 #14) ---------------------------------------------------
@dataclass(frozen=True)
class WorkflowLimits:
    """How many workflow rules an org may keep and how big one may be. Zoho publishes one
    ``rules_count`` example (edition not named); Enterprise and Ultimate take its figures, the
    lower editions smaller ones (docs/decisions.md). ``None``: the edition has no workflow rules."""

    total_rules: int
    active_rules: int
    total_rules_per_module: int
    active_rules_per_module: int
    conditions_per_rule: int  # the example's ``rules_per_process_limit``
    actions_per_rule: int  # instant and scheduled, every condition together
    scheduled_groups_per_condition: int


WORKFLOW_LIMITS: dict[str, WorkflowLimits | None] = {
    "free": None,
    "standard": WorkflowLimits(500, 250, 20, 10, 3, 50, 5),
    "professional": WorkflowLimits(1_000, 500, 40, 20, 5, 50, 5),
    "enterprise": WorkflowLimits(2_500, 2_000, 125, 75, 10, 50, 5),
    "ultimate": WorkflowLimits(2_500, 2_000, 125, 75, 10, 50, 5),
}


def workflow_limits(ed: Edition) -> WorkflowLimits:
    """The edition's workflow limits; FEATURE_NOT_SUPPORTED 403 where it has none (OASx postWorkflowRule)."""
    limits = WORKFLOW_LIMITS.get(ed.name)
    if limits is None:
        raise ZohoError("FEATURE_NOT_SUPPORTED", {}, Message.FEATURE_NOT_IN_EDITION, status=403)
    return limits


# --- webhooks (AUTOMATION.md §1 edition gate) -------------------------------------------------------
# The editions with webhooks: the Free edition has no workflow automation, so every webhook call of a
# Free org answers FEATURE_NOT_SUPPORTED (resources/webhooks; docs/decisions.md "Automation").
WEBHOOK_EDITIONS = frozenset({"standard", "professional", "enterprise", "ultimate"})


# --- tags (resources/tags; Zoho help "Tagging records": tags per record and per module) -----------
@dataclass(frozen=True)
class TagLimits:
    """How many tags one record may carry and one module may have. The Free edition takes the
    Standard figures (the help page lists paid editions only; docs/decisions.md "Tags")."""

    per_record: int
    per_module: int


TAG_LIMITS: dict[str, TagLimits] = {
    "free": TagLimits(5, 20),
    "standard": TagLimits(5, 20),
    "professional": TagLimits(10, 60),
    "enterprise": TagLimits(10, 100),
    "ultimate": TagLimits(10, 200),
}
