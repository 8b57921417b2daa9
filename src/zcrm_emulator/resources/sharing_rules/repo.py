"""SQL for data sharing rules: one row per rule (its wire object in ``data``), names unique within the
rule's module."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import sharing_rules

DOCUMENTS = documents.SettingsDocuments(sharing_rules, scope="module_id")


def count_in(conn: Connection, org_id: str, module_id: str) -> int:
    query = select(func.count()).where(sharing_rules.c.org_id == org_id, sharing_rules.c.module_id == module_id)
    return int(conn.execute(query).scalar_one())
