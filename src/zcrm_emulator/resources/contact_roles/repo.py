"""SQL for contact roles (one row each, its wire object in ``data``, names unique per org)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import contact_roles

DOCUMENTS = documents.SettingsDocuments(contact_roles)


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return documents.latest_modified(conn, contact_roles, org_id)


def list_roles(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return DOCUMENTS.list(conn, org_id)
