"""Who is calling, and what they may do with a module's records: the caller's user with the org's
users (for rendering) and their profile (for permissions), admin-only reads, and the profile's
module permissions (REFERENCE §4.1)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.memo import Memo
from zcrm_emulator.record_model import repo
from zcrm_emulator.record_model.meta import ModuleMeta
from zcrm_emulator.record_model.render import Reader
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import profiles

# Record reads that only administrators may make (REFERENCE §4.1: Notes).
ADMIN_ONLY_READS = frozenset({"Notes"})


@dataclass(frozen=True)
class Caller:
    user_id: str
    users: Mapping[str, dict[str, Any]]
    profile: dict[str, Any]

    @property
    def user(self) -> dict[str, Any]:
        return self.users.get(self.user_id) or {}

    @property
    def tz(self) -> str:
        return self.user.get("time_zone") or "UTC"

    @property
    def is_admin(self) -> bool:
        return (self.user.get("profile") or {}).get("name") == "Administrator"

    def reader(self, names: Mapping[str, str | None] | None = None) -> Reader:
        return Reader(self.tz, self.users, names if names is not None else {})


def caller(conn: Connection, org_id: str, user_id: str, memo: Memo | None = None, stamp: Hashable = None) -> Caller:
    """The calling user with the org's users (for rendering) and their profile (for permissions);
    ``stamp``: the org's people stamp when this call already read it (admission.py)."""
    if stamp is None:
        stamp = repo.people_stamp(conn, org_id)

    def build() -> Caller:
        users = {u["id"]: u for u in users_repo.list_users(conn, org_id)}
        profile_id = ((users.get(user_id) or {}).get("profile") or {}).get("id")
        profile = documents.get_data(conn, profiles, org_id, profile_id) if profile_id else None
        return Caller(user_id, users, profile or {})

    return memo.get(("records.caller", org_id, user_id), stamp, build) if memo is not None else build()


PERMISSION_ACTIONS = {"read": "View", "create": "Create", "update": "Edit", "delete": "Delete"}


def check_access(who: Caller, meta: ModuleMeta, action: str) -> None:
    """Admin-only reads (Notes: 403 NOT_SUPPORTED) and the profile's module permission, when the
    profile lists it and has it off (403 NO_PERMISSION)."""
    if action == "read" and meta.api_name in ADMIN_ONLY_READS and not who.is_admin:
        raise ZohoError("NOT_SUPPORTED", {}, Message.ADMIN_ONLY, status=403)
    if who.is_admin:
        return
    name = f"Crm_Implied_{PERMISSION_ACTIONS[action]}_{meta.api_name}"
    for permission in who.profile.get("permissions_details") or []:
        if permission.get("name") == name and not permission.get("enabled"):
            raise ZohoError("NO_PERMISSION", {"permissions": [name]})
