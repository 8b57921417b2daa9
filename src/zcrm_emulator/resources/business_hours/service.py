"""Setting the org's business hours inside the caller's transaction (the rules are in rules.py, the
SQL in repo.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.business_hours import repo, rules
from zcrm_emulator.store import locks


def take_turns(conn: Connection, org_id: str) -> None:
    """Writes of one org's business hours take turns across workers: a create reads before it writes
    (an org has one)."""
    locks.serialize(conn, f"business_hours:{org_id}")


def current(conn: Connection, org_id: str) -> dict[str, Any] | None:
    return repo.BUSINESS_HOURS.get(conn, org_id)


def create(conn: Connection, org_id: str, item: dict[str, Any], now_ms: int) -> str:
    """The org's first business hours; a second create is NOT_ALLOWED (answered bare, as Zoho's
    example shows it)."""
    if current(conn, org_id) is not None:
        raise ZohoError("NOT_ALLOWED", {}, Message.BUSINESS_HOURS_ONLY_ONE)
    clean = rules.check(item)
    hours_id = ids.allocate(conn, org_id)[0]
    repo.BUSINESS_HOURS.put(conn, org_id, {"id": hours_id, **clean}, now_ms)
    return hours_id


def update(conn: Connection, org_id: str, item: dict[str, Any], now_ms: int) -> str:
    """The given keys over the stored business hours, checked whole; none set yet is NOT_ALLOWED."""
    stored = current(conn, org_id)
    if stored is None:
        raise ZohoError("NOT_ALLOWED", {}, Message.BUSINESS_HOURS_NOT_UPDATABLE)
    rules.checked_id(item, str(stored["id"]))
    clean = rules.check(rules.update_input(stored, item))
    repo.BUSINESS_HOURS.put(conn, org_id, {**stored, **clean}, now_ms)
    return str(stored["id"])
