"""SQL for profiles (one row per profile, its wire object in ``data``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import profiles, users


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return documents.latest_modified(conn, profiles, org_id)


def list_profiles(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, profiles, org_id)


def get_profile(conn: Connection, org_id: str, profile_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, profiles, org_id, profile_id)


def seats(conn: Connection, org_id: str) -> int:
    """The org's user licenses in use (the list's ``info.license_limit``)."""
    return len(documents.list_data(conn, users, org_id))
