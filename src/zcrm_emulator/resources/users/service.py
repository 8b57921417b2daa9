"""Adding users to an org (control plane and tests; Zoho's own user-invite API is not emulated yet)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from zcrm_emulator import ids
from zcrm_emulator.clock import iso
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.users import repo
from zcrm_emulator.store import documents, locks, uniques
from zcrm_emulator.store.schema import profiles, roles

EMAIL_UNIQUE = uniques.Unique("users", ("org_id", "email"))


def add_user(
    conn: Connection,
    org_id: str,
    *,
    email: str,
    first_name: str,
    last_name: str,
    profile: str = "Standard",
    role: str = "Manager",
    now_ms: int,
) -> dict[str, Any]:
    """A user of the org with the given profile and role (by name), made like the org's first user;
    DUPLICATE_DATA for an email in use, whatever its case."""
    locks.serialize(conn, f"users:{org_id}")  # emails are unique per org regardless of case
    people = repo.list_users(conn, org_id)
    if any(u["email"].lower() == email.lower() for u in people):
        raise _duplicate_email()
    profile_row = next((p for p in documents.list_data(conn, profiles, org_id) if p["name"] == profile), None)
    role_row = next((r for r in documents.list_data(conn, roles, org_id) if r["name"] == role), None)
    if profile_row is None:
        raise ZohoError("INVALID_DATA", {"api_name": "profile"}, Message.UNKNOWN_ID)
    if role_row is None:
        raise ZohoError("INVALID_DATA", {"api_name": "role"}, Message.UNKNOWN_ID)
    admin = people[0]
    try:
        return repo.create_user(
            conn,
            org_id,
            user_id=ids.allocate(conn, org_id)[0],
            email=email,
            first_name=first_name,
            last_name=last_name,
            profile={"name": profile_row["name"], "id": profile_row["id"]},
            role={"name": role_row["name"], "id": role_row["id"]},
            now_ms=now_ms,
            template=admin,
            created_by={"name": admin["full_name"], "id": admin["id"]},
            created_iso=iso(now_ms, admin.get("time_zone") or "UTC"),
        )
    except IntegrityError as error:
        # Another worker added the same email after the check above: the check's own answer.
        if uniques.violated(error) != EMAIL_UNIQUE:
            raise
        raise _duplicate_email() from None


def _duplicate_email() -> ZohoError:
    return ZohoError("DUPLICATE_DATA", {"api_name": "email"})
