"""Creating, updating and deleting holidays inside the caller's transaction (steps in Zoho's order;
the rules are in rules.py, the SQL in repo.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.fiscal_year import service as fiscal_year
from zcrm_emulator.resources.holidays import repo, rules
from zcrm_emulator.resources.shift_hours import repo as shifts_repo
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at


@dataclass(frozen=True)
class Writer:
    """Where and when holidays are written, and the first day of the current fiscal year."""

    org_id: str
    now_ms: int
    fiscal_start: date


def writer(conn: Connection, org_id: str, now_ms: int) -> Writer:
    """Holiday writes of one org take turns across workers: the yearly limit and duplicates are
    checked by reading first."""
    locks.serialize(conn, f"holidays:{org_id}")
    return Writer(org_id, now_ms, fiscal_year.start_of_current_year(conn, org_id, now_ms))


def shift_name(conn: Connection, org_id: str, shift_id: str) -> str | None:
    shift = shifts_repo.SHIFTS.get(conn, org_id, shift_id)
    return str(shift.data["name"]) if shift is not None else None


def _save(conn: Connection, w: Writer, clean: Mapping[str, Any], path: str, holiday_id: str | None) -> str:
    """The checks that read the store, then the write; ``holiday_id`` None for a create."""
    shift = None
    if clean["shift_id"] is not None:
        shift = shift_name(conn, w.org_id, clean["shift_id"])
        if shift is None:
            raise ZohoError("INVALID_DATA", at(f"{path}.shift_hour", "id"), Message.HOLIDAY_SHIFT_UNKNOWN)
    day: date = clean["date"]
    rules.check_range(day, w.fiscal_start, path)
    calendar = rules.calendar_of(clean["shift_id"])
    rules.check_limit(repo.count_in_year(conn, w.org_id, calendar, day.year, except_id=holiday_id) + 1, path)
    if repo.taken(conn, w.org_id, calendar, day.isoformat(), clean["name"], except_id=holiday_id):
        raise rules.duplicate(path)
    data = rules.holiday(holiday_id or ids.allocate(conn, w.org_id)[0], clean, shift)
    if holiday_id is None:
        repo.insert_holiday(conn, w.org_id, calendar, data, w.now_ms)
    else:
        repo.save(conn, calendar, data, w.now_ms)
    return str(data["id"])


def create(conn: Connection, w: Writer, item: Any, path: str) -> str:
    return _save(conn, w, rules.holiday_input(item, path), path, None)


def update(conn: Connection, w: Writer, stored: Mapping[str, Any], item: Any, path: str) -> str:
    return _save(conn, w, rules.holiday_input(item, path, stored), path, str(stored["id"]))


def named_in_item(conn: Connection, org_id: str, item: Any, path: str) -> dict[str, Any]:
    """The holiday a bulk-update item names by ``id``."""
    found = repo.get(conn, org_id, rules.holiday_id_of(item, path))
    if found is None:
        raise rules.unknown_id(path)
    return found
