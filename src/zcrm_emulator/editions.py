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


# --- custom fields (resources/fields; Zoho help "Custom Field Limits") ------------------------------
@dataclass(frozen=True)
class FieldLimits:
    """How many custom fields one module may have in all, and of the data types Zoho counts apart.
    Zoho's help gives the limits as a table per edition that its API docs do not repeat; the
    figures here are the ones chosen in docs/decisions.md "Custom fields"."""

    per_module: int
    per_type: dict[str, int]  # data_type -> custom fields of that type per module


FIELD_LIMITS: dict[str, FieldLimits] = {
    "free": FieldLimits(25, {"fileupload": 1, "imageupload": 1, "formula": 0, "autonumber": 1, "lookup": 2}),
    "standard": FieldLimits(100, {"fileupload": 2, "imageupload": 1, "formula": 5, "autonumber": 1, "lookup": 5}),
    "professional": FieldLimits(200, {"fileupload": 3, "imageupload": 2, "formula": 10, "autonumber": 1, "lookup": 10}),
    "enterprise": FieldLimits(300, {"fileupload": 5, "imageupload": 3, "formula": 30, "autonumber": 1, "lookup": 25}),
    "ultimate": FieldLimits(500, {"fileupload": 5, "imageupload": 3, "formula": 50, "autonumber": 1, "lookup": 25}),
}


# --- users and profiles (resources/users, resources/profiles; docs/decisions.md "Users, roles, profiles")
# Active users an org may have: the user licenses it bought (the org's
# ``license_details.users_license_purchased``), and on Free never more than the edition's 3 users.
# Profiles per org, the two standard ones included (OASx cloneProfile LIMIT_EXCEEDED: ``limit``).
USER_CAPS: dict[str, int | None] = {"free": 3}  # other editions: the licenses bought
PROFILE_LIMITS: dict[str, int] = {"free": 2, "standard": 4, "professional": 25, "enterprise": 25, "ultimate": 25}


def user_licenses(ed: Edition, purchased: int) -> int:
    """How many users may be active at once: the licenses bought, capped by the edition."""
    cap = USER_CAPS.get(ed.name)
    return purchased if cap is None else min(cap, purchased)


# --- currencies (resources/currencies; the v2.1 "Multiple Currencies in Organization" page) -------
# Multi-currency is for Enterprise and higher; at most ``ACTIVE_CURRENCIES`` currencies, the home
# currency among them, are active at once in every edition that has it (the "Add Currencies" page's
# ACTIVE_STATE_LIMIT_EXCEEDED).
ACTIVE_CURRENCIES = 10


def require_multi_currency(ed: Edition) -> None:
    """FEATURE_NOT_SUPPORTED 403 below Enterprise, as the "Get Currencies" page lists it."""
    if ed.rank < ENTERPRISE_RANK:
        raise ZohoError("FEATURE_NOT_SUPPORTED", {}, Message.MULTI_CURRENCY_EDITION, status=403)


# --- bulk read jobs (resources/bulk_read; docs/decisions.md "Bulk read") ---------------------------
@dataclass(frozen=True)
class BulkReadLimits:
    """How many bulk read jobs an org may have unfinished at once, and create in a rolling 24 hours.
    Zoho's pages name the refusal (TOO_MANY_REQUESTS) but no figures per edition; these are the
    emulator's."""

    concurrent: int
    daily: int


BULK_READ_LIMITS: dict[str, BulkReadLimits] = {
    "free": BulkReadLimits(1, 10),
    "standard": BulkReadLimits(3, 100),
    "professional": BulkReadLimits(5, 250),
    "enterprise": BulkReadLimits(10, 500),
    "ultimate": BulkReadLimits(10, 1000),
}


# --- territories (resources/territories; docs/decisions.md "Territories and user groups") ---------
def has_territories(ed: Edition) -> bool:
    """Territory management is an Enterprise feature: lower editions never have it on."""
    return ed.rank >= ENTERPRISE_RANK
