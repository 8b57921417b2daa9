"""SQL for API usage: per-minute buckets (``api_usage``) and each org's running total of the
window's finished minutes (``api_credit_totals``).

The standing every call reads, and the bucket upserts of each batch of held debits
(``pending.py``), are ``Prepared``: built once and executed on the driver's cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import api_credit_totals, api_usage, orgs

_ORG: BindParameter[str] = bindparam("org_id")


def _sum_between(first: Any, last: Any) -> Any:
    return select(func.coalesce(func.sum(api_usage.c.credits), 0)).where(
        api_usage.c.org_id == _ORG, api_usage.c.minute >= first, api_usage.c.minute <= last
    )


# The org, its running total and the current minute's buckets: everything a call's check reads.
_STANDING = Prepared(
    select(
        orgs.c.edition,
        orgs.c.data["license_details"]["users_license_purchased"].as_integer(),
        api_credit_totals.c.minute,
        api_credit_totals.c.credits,
        _sum_between(bindparam("minute"), bindparam("minute")).scalar_subquery(),
    )
    .select_from(orgs.outerjoin(api_credit_totals, api_credit_totals.c.org_id == orgs.c.id))
    .where(orgs.c.id == _ORG),
    name="credits: standing",
)
_WINDOW_SUM = _sum_between(bindparam("first"), bindparam("last"))
# A running total already rolled past a minute whose debits arrive late (another process held them)
# takes them in as well, while that minute is still in the total's window.
_CATCH_UP = Prepared(
    update(api_credit_totals)
    .where(
        api_credit_totals.c.org_id == _ORG,
        api_credit_totals.c.minute > bindparam("minute"),
        api_credit_totals.c.minute <= bindparam("last_counting"),
    )
    .values(credits=api_credit_totals.c.credits + bindparam("added")),
    name="credits: catch up",
)
_PRUNE = delete(api_usage).where(api_usage.c.org_id == _ORG, api_usage.c.minute < bindparam("first"))


def _upserts(dialect: Any) -> tuple[Any, Any]:
    bucket = dialect.insert(api_usage)
    total = dialect.insert(api_credit_totals)
    return (
        bucket.on_conflict_do_update(
            index_elements=[api_usage.c.org_id, api_usage.c.minute, api_usage.c.endpoint],
            set_={
                "credits": api_usage.c.credits + bucket.excluded.credits,
                "calls": api_usage.c.calls + bucket.excluded.calls,
            },
        ),
        total.on_conflict_do_update(
            index_elements=[api_credit_totals.c.org_id],
            set_={"minute": total.excluded.minute, "credits": total.excluded.credits},
        ),
    )


_UPSERTS = {"sqlite": _upserts(sqlite), "postgresql": _upserts(postgresql)}
_ADD = {name: Prepared(upserts[0], name="credits: add") for name, upserts in _UPSERTS.items()}


@dataclass(frozen=True)
class Standing:
    """An org's edition and purchased user licenses; its running total (credits of the finished
    minutes of the window, as of ``total_minute``; None before the org's first call) and what the
    current minute has spent so far."""

    edition: str
    licenses: int
    total_minute: int | None
    total: int
    this_minute: int


def standing(conn: Connection, org_id: str, minute: int) -> Standing | None:
    row = _STANDING.first(conn, {"org_id": org_id, "minute": minute})
    if row is None:
        return None
    return Standing(row[0], int(row[1] or 0), row[2], int(row[3] or 0), int(row[4]))


def spent_between(conn: Connection, org_id: str, first: int, last: int) -> int:
    """Credits of the minutes ``first`` to ``last``, both included."""
    return int(conn.execute(_WINDOW_SUM, {"org_id": org_id, "first": first, "last": last}).scalar_one())


def roll(conn: Connection, org_id: str, *, minute: int, window_first: int) -> int:
    """Recompute the running total for ``minute`` (the window's minutes before it), drop the buckets
    that left the window, and return the total. Runs once per org per minute of traffic."""
    total = spent_between(conn, org_id, window_first, minute - 1)
    conn.execute(_PRUNE, {"org_id": org_id, "first": window_first})
    conn.execute(_UPSERTS[conn.dialect.name][1], {"org_id": org_id, "minute": minute, "credits": total})
    return total


def add(conn: Connection, org_id: str, minute: int, endpoint: str, credits: int, calls: int = 1) -> None:
    """Add calls to their bucket as they are, the org's running total untouched (``window_minutes=0``
    leaves no total for them to join): usage written straight into the buckets."""
    add_many(conn, minute, [(org_id, endpoint, credits, calls)], window_minutes=0)


_ORG_EXISTS = Prepared(select(orgs.c.id).where(orgs.c.id == bindparam("org_id")), name="orgs: exists")


def add_many(conn: Connection, minute: int, rows: Sequence[tuple[str, str, int, int]], window_minutes: int) -> None:
    """Add ``(org_id, endpoint, credits, calls)`` to the buckets of ``minute``, skipping orgs that no
    longer exist; a running total rolled past ``minute`` (within ``window_minutes``) takes them in."""
    present = {org_id for org_id in {row[0] for row in rows} if _ORG_EXISTS.first(conn, {"org_id": org_id}) is not None}
    kept = [row for row in rows if row[0] in present]
    _ADD[conn.dialect.name].run_many(
        conn,
        [
            {"org_id": org_id, "minute": minute, "endpoint": endpoint, "credits": credits, "calls": calls}
            for org_id, endpoint, credits, calls in kept
        ],
    )
    per_org: dict[str, int] = {}
    for org_id, _endpoint, credits, _calls in kept:
        per_org[org_id] = per_org.get(org_id, 0) + credits
    _CATCH_UP.run_many(
        conn,
        [
            {"org_id": org_id, "minute": minute, "last_counting": minute + window_minutes - 1, "added": added}
            for org_id, added in per_org.items()
        ],
    )


def by_endpoint(conn: Connection, org_id: str, first: int, last: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(api_usage.c.endpoint, func.sum(api_usage.c.calls), func.sum(api_usage.c.credits))
        .where(api_usage.c.org_id == org_id, api_usage.c.minute >= first, api_usage.c.minute <= last)
        .group_by(api_usage.c.endpoint)
    )
    return [{"endpoint": row[0], "calls": int(row[1]), "credits": int(row[2])} for row in rows]


def per_minute(
    conn: Connection, org_id: str, first: int, last: int, endpoint: str | None = None
) -> list[tuple[int, int]]:
    """``(minute, credits)`` of the minutes ``first`` to ``last`` that spent any, of one endpoint or all."""
    query = select(api_usage.c.minute, func.sum(api_usage.c.credits)).where(
        api_usage.c.org_id == org_id, api_usage.c.minute >= first, api_usage.c.minute <= last
    )
    if endpoint is not None:
        query = query.where(api_usage.c.endpoint == endpoint)
    rows = conn.execute(query.group_by(api_usage.c.minute).order_by(api_usage.c.minute))
    return [(int(row[0]), int(row[1])) for row in rows]


def forget(conn: Connection, org_id: str) -> None:
    """Drop an org's usage: its whole balance is available again."""
    conn.execute(delete(api_usage).where(api_usage.c.org_id == org_id))
    conn.execute(delete(api_credit_totals).where(api_credit_totals.c.org_id == org_id))
