"""Creating, updating and deleting shifts inside the caller's transaction (the rules are in rules.py,
the SQL in repo.py). A user works one shift at a time: assigning them to a shift takes them off
another; a shift's holidays are shift holidays (resources/holidays) and go with it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.business_hours import repo as business_hours_repo
from zcrm_emulator.resources.holidays import repo as holidays_repo
from zcrm_emulator.resources.holidays import rules as holiday_rules
from zcrm_emulator.resources.holidays import service as holidays
from zcrm_emulator.resources.shift_hours import repo, rules
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at

ALL_HOLIDAYS = 10_000  # more than the yearly limit allows a calendar over the years it holds


@dataclass(frozen=True)
class Writer:
    org_id: str
    now_ms: int
    holidays: holidays.Writer

    @property
    def today(self) -> str:
        return datetime.fromtimestamp(self.now_ms / 1000, tz=UTC).date().isoformat()


def writer(conn: Connection, org_id: str, now_ms: int) -> Writer:
    """Shift writes of one org take turns across workers: names are unique and users move between
    shifts, both read before written."""
    locks.serialize(conn, f"shift_hours:{org_id}")
    return Writer(org_id, now_ms, holidays.writer(conn, org_id, now_ms))


def shift_holidays(conn: Connection, org_id: str, shift_id: str) -> list[dict[str, Any]]:
    return holidays_repo.page_of(
        conn, org_id, year=None, business=False, calendar=shift_id, offset=0, limit=ALL_HOLIDAYS
    )


def listed(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return [rules.wire(s, shift_holidays(conn, org_id, s["id"])) for s in repo.SHIFTS.list(conn, org_id)]


def one(conn: Connection, org_id: str, shift_id: str) -> dict[str, Any] | None:
    found = repo.SHIFTS.get(conn, org_id, shift_id)
    return rules.wire(found.data, shift_holidays(conn, org_id, shift_id)) if found is not None else None


def _members(conn: Connection, w: Writer, item: Mapping[str, Any], path: str, shift_id: str) -> list[dict[str, Any]]:
    """The shift's users (those it had, when an update names none); each user is taken off any other
    shift they worked."""
    stored = repo.SHIFTS.get(conn, w.org_id, shift_id)
    if "users" not in item or item["users"] is None:
        return list(stored.data["users"]) if stored is not None else []
    kept = {u["id"]: u for u in (stored.data["users"] if stored is not None else [])}
    members = []
    for index, user_id in enumerate(rules.user_ids(item["users"], path)):
        user = users_repo.get_user(conn, w.org_id, user_id)
        if user is None or user.get("status") != "active":
            raise ZohoError("INVALID_DATA", at(f"{path}.users[{index}]", "id"), Message.UNKNOWN_ID)
        members.append(kept.get(user_id) or rules.member(user, w.today))
    for other in repo.SHIFTS.list(conn, w.org_id):
        moved = [u for u in other["users"] if u["id"] not in {m["id"] for m in members}]
        if other["id"] != shift_id and len(moved) != len(other["users"]):
            repo.SHIFTS.save(conn, other["id"], {**other, "users": moved}, w.now_ms)
    return members


def _add_holidays(conn: Connection, w: Writer, item: Mapping[str, Any], path: str, shift_id: str) -> None:
    """The item's ``holidays`` (``[{name, date}]``) become the shift's holidays."""
    given = item.get("holidays")
    if given is None:
        return
    if not isinstance(given, list):
        raise ZohoError("INVALID_DATA", at(path, "holidays", expected_data_type="jsonarray"))
    for index, entry in enumerate(given):
        day = (
            {**entry, "type": holiday_rules.SHIFT, "shift_hour": {"id": shift_id}} if isinstance(entry, dict) else entry
        )
        holidays.create(conn, w.holidays, day, f"{path}.holidays[{index}]")


def _save(
    conn: Connection, w: Writer, checked: dict[str, Any], item: Mapping[str, Any], path: str, shift_id: str | None
) -> str:
    rules.within_business_hours(checked, business_hours_repo.BUSINESS_HOURS.get(conn, w.org_id), path)
    if repo.SHIFTS.name_taken(conn, w.org_id, checked["name"], except_id=shift_id):
        raise ZohoError("DUPLICATE_DATA", at(path, "name"), Message.SHIFT_NAME_DUPLICATE)
    new = shift_id is None
    shift_id = shift_id or ids.allocate(conn, w.org_id)[0]
    data = {"id": shift_id, **checked, "users": _members(conn, w, item, path, shift_id)}
    if new:
        repo.SHIFTS.insert(conn, w.org_id, w.org_id, data, w.now_ms)
    else:
        repo.SHIFTS.save(conn, shift_id, data, w.now_ms)
        for holiday in shift_holidays(conn, w.org_id, shift_id):  # they show the shift's name
            renamed = {**holiday, "shift_hour": {"name": checked["name"], "id": shift_id}}
            holidays_repo.save(conn, shift_id, renamed, w.now_ms)
    _add_holidays(conn, w, item, path, shift_id)
    return shift_id


def create(conn: Connection, w: Writer, item: Any, path: str) -> str:
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
    return _save(conn, w, rules.check(item, path), item, path, None)


def update(conn: Connection, w: Writer, stored: Mapping[str, Any], item: Any, path: str) -> str:
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
    checked = rules.check(rules.update_input(stored, item), path)
    return _save(conn, w, checked, item, path, str(stored["id"]))


def named_in_item(conn: Connection, org_id: str, item: Any, path: str) -> dict[str, Any]:
    """The shift a bulk-update item names by ``id``."""
    if not isinstance(item, dict) or item.get("id") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
    shift_id = ids.normalize_id(item["id"])
    found = repo.SHIFTS.get(conn, org_id, shift_id) if shift_id else None
    if found is None:
        raise ZohoError("INVALID_DATA", at(path, "id"), Message.UNKNOWN_ID)
    return found.data


def delete(conn: Connection, org_id: str, shift_id: str) -> None:
    repo.SHIFTS.delete(conn, shift_id)
    holidays_repo.delete_calendar(conn, org_id, shift_id)
