"""SQL for profiles (one row per profile, its wire object in ``data``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import profiles, users


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return documents.latest_modified(conn, profiles, org_id)


def list_profiles(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, profiles, org_id)


def get_profile(conn: Connection, org_id: str, profile_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, profiles, org_id, profile_id)


def seats(conn: Connection, org_id: str) -> int:
    """The org's user licenses in use (the list's ``info.license_limit``): its active users."""
    return sum(1 for user in documents.list_data(conn, users, org_id) if user.get("status") == "active")


def _stamp(conn: Connection, org_id: str, now_ms: int) -> int:
    """Past every profile's: the callers kept between requests (record_model's people stamp) and
    If-Modified-Since reads see each change, even two in the same millisecond."""
    return max(now_ms, (latest_modified(conn, org_id) or 0) + 1)


def insert_profile(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    stamp = _stamp(conn, org_id, now_ms)
    conn.execute(insert(profiles).values(id=data["id"], org_id=org_id, name=data["name"], modified_ms=stamp, data=data))


def save_profile(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    stamp = _stamp(conn, org_id, now_ms)
    conn.execute(
        update(profiles).where(profiles.c.id == data["id"]).values(name=data["name"], modified_ms=stamp, data=data)
    )


def delete_profile(conn: Connection, profile_id: str) -> None:
    conn.execute(delete(profiles).where(profiles.c.id == profile_id))
