"""SQL for custom links (one row per link, its wire object in ``data``, names unique per module) and
the names links may refer to (profiles, portal user types)."""

from __future__ import annotations

from sqlalchemy import Connection

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import custom_links, portal_user_types, profiles

LINKS = documents.SettingsDocuments(custom_links, scope="module_id")


def profile_names(conn: Connection, org_id: str) -> dict[str, str]:
    return {p["id"]: p["name"] for p in documents.list_data(conn, profiles, org_id)}


def user_type_names(conn: Connection, org_id: str) -> dict[str, str]:
    return {t["id"]: t["name"] for t in documents.list_data(conn, portal_user_types, org_id)}
