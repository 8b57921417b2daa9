"""The steps of the contact role writes on the caller's connection: create, update, delete, each
keeping the positions 1..n. Writers of one org's roles take turns (``take_turns``): names are unique
and positions are read before they are written."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.contact_roles import repo, rules
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at


def take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"contact_roles:{org_id}")


def _save_positions(conn: Connection, before: list[rules.Role], after: list[rules.Role], now_ms: int) -> None:
    """Store the roles whose position changed (a new one is inserted by its caller)."""
    was = {r["id"]: r for r in before}
    for role in after:
        if role["id"] in was and was[role["id"]] != role:
            repo.DOCUMENTS.save(conn, role["id"], role, now_ms)


def create(conn: Connection, org_id: str, item: Any, path: str, now_ms: int) -> str:
    clean = rules.check_keys(rules.as_object(item, path), path, creating=True)
    roles = repo.list_roles(conn, org_id)
    if rules.name_taken(roles, clean["name"], None):
        raise ZohoError("DUPLICATE_DATA", at(path, "name"))
    role: rules.Role = {"id": ids.allocate(conn, org_id)[0], "name": clean["name"], "sequence_number": None}
    placed = rules.place(roles, role, clean.get("sequence_number"))
    _save_positions(conn, roles, placed, now_ms)
    repo.DOCUMENTS.insert(conn, org_id, org_id, next(r for r in placed if r["id"] == role["id"]), now_ms)
    return str(role["id"])


def update(conn: Connection, org_id: str, role: rules.Role, item: Any, path: str, now_ms: int) -> str:
    clean = rules.check_keys(rules.as_object(item, path), path, creating=False)
    roles = repo.list_roles(conn, org_id)
    changed = dict(role)
    if "name" in clean:
        if rules.name_taken(roles, clean["name"], role["id"]):
            raise ZohoError("DUPLICATE_DATA", at(path, "name"))
        changed["name"] = clean["name"]
    placed = rules.place(
        [changed if r["id"] == role["id"] else r for r in roles], changed, clean.get("sequence_number")
    )
    _save_positions(conn, roles, placed, now_ms)
    return str(role["id"])


def delete(conn: Connection, org_id: str, role: rules.Role, now_ms: int) -> str:
    repo.DOCUMENTS.delete(conn, role["id"])
    rest = [r for r in repo.list_roles(conn, org_id)]
    _save_positions(conn, rest, rules.renumbered(rest), now_ms)
    return str(role["id"])
