"""SQL for users, and for their transfer-and-delete jobs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import profiles, user_transfer_jobs, users


def list_users(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, users, org_id)


def get_user(conn: Connection, org_id: str, user_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, users, org_id, user_id)


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return documents.latest_modified(conn, users, org_id)


def next_stamp(conn: Connection, org_id: str, now_ms: int) -> int:
    """A ``modified_ms`` past every user's of the org: what callers keep between requests (the
    people stamp of record_model) must see each change, even two in the same millisecond."""
    return max(now_ms, (latest_modified(conn, org_id) or 0) + 1)


def minified(user: dict[str, Any]) -> dict[str, str]:
    """How users appear inside other objects: ``{name, id, email}`` (REFERENCE §3.6)."""
    return {"name": user["full_name"], "id": user["id"], "email": user["email"]}


def has_permission(conn: Connection, user_id: str, permission: str) -> bool:
    """Administrators have every permission; others need it enabled in their profile."""
    row = conn.execute(select(users.c.is_admin, users.c.profile_id).where(users.c.id == user_id)).first()
    if row is None:
        return False
    if row.is_admin:
        return True
    profile = conn.execute(select(profiles.c.data).where(profiles.c.id == row.profile_id)).scalar_one_or_none()
    details = (profile or {}).get("permissions_details") or []
    return any(p.get("name") == permission and p.get("enabled") for p in details)


def create_user(
    conn: Connection,
    org_id: str,
    *,
    user_id: str,
    email: str,
    first_name: str,
    last_name: str,
    profile: dict[str, str],
    role: dict[str, str],
    now_ms: int,
    template: dict[str, Any],
    created_by: dict[str, str],
    created_iso: str,
    confirm: bool = True,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Insert an active user shaped like ``template`` (the org's first user), confirmed unless told."""
    data = {
        **template,
        **(extra or {}),
        "id": user_id,
        "zuid": user_id[-9:],
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "full_name": f"{first_name} {last_name}".strip(),
        "name": f"{first_name} {last_name}".strip(),
        "profile": profile,
        "role": role,
        "status": "active",
        "confirm": confirm,
        "Reporting_To": (extra or {}).get("Reporting_To"),
        "created_by": created_by,
        "Modified_By": created_by,
        "created_time": created_iso,
        "Modified_Time": created_iso,
    }
    conn.execute(
        users.insert().values(
            id=user_id,
            org_id=org_id,
            email=email,
            profile_id=profile["id"],
            is_admin=profile["name"] == "Administrator",
            modified_ms=next_stamp(conn, org_id, now_ms),
            data=data,
        )
    )
    return data


def save_user(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    """Write a user's object back, with the columns read from it."""
    conn.execute(
        update(users)
        .where(users.c.id == data["id"])
        .values(
            email=data["email"],
            profile_id=data["profile"]["id"],
            is_admin=data["profile"]["name"] == "Administrator",
            modified_ms=next_stamp(conn, org_id, now_ms),
            data=data,
        )
    )


def insert_job(conn: Connection, org_id: str, job_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(insert(user_transfer_jobs).values(id=job_id, org_id=org_id, created_ms=now_ms, data=data))


def get_job(conn: Connection, org_id: str, job_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, user_transfer_jobs, org_id, job_id)
