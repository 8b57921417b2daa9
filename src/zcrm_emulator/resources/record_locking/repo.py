"""SQL for record locking: one configuration row per module, one lock row per locked record (each its
wire object in ``data``), and the lookup a record update or delete makes (``locks_of``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import profiles, record_locking_configurations, record_locks

CONFIGS = record_locking_configurations
LOCKS = record_locks


@dataclass(frozen=True)
class StoredConfig:
    id: str
    module_id: str
    data: dict[str, Any]


def config_of_module(conn: Connection, module_id: str) -> StoredConfig | None:
    row = conn.execute(select(CONFIGS.c.id, CONFIGS.c.data).where(CONFIGS.c.module_id == module_id)).first()
    return StoredConfig(row.id, module_id, row.data) if row is not None else None


def get_config(conn: Connection, org_id: str, config_id: str) -> StoredConfig | None:
    row = conn.execute(
        select(CONFIGS.c.id, CONFIGS.c.module_id, CONFIGS.c.data).where(
            CONFIGS.c.org_id == org_id, CONFIGS.c.id == config_id
        )
    ).first()
    return StoredConfig(row.id, row.module_id, row.data) if row is not None else None


def insert_config(conn: Connection, org_id: str, module_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        insert(CONFIGS).values(id=data["id"], org_id=org_id, module_id=module_id, modified_ms=now_ms, data=data)
    )


def save_config(conn: Connection, config_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(update(CONFIGS).where(CONFIGS.c.id == config_id).values(modified_ms=now_ms, data=data))


def delete_config(conn: Connection, config_id: str) -> None:
    """The configuration and the locks taken under it (its records are unlocked)."""
    conn.execute(delete(LOCKS).where(LOCKS.c.config_id == config_id))
    conn.execute(delete(CONFIGS).where(CONFIGS.c.id == config_id))


def profile_names(conn: Connection, org_id: str) -> dict[str, str]:
    return {p["id"]: p["name"] for p in documents.list_data(conn, profiles, org_id)}


# --- locks -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredLock:
    id: str
    record_id: str
    config_id: str
    data: dict[str, Any]


def lock_of_record(conn: Connection, module_id: str, record_id: str) -> StoredLock | None:
    row = conn.execute(
        select(LOCKS.c.id, LOCKS.c.config_id, LOCKS.c.data).where(
            LOCKS.c.module_id == module_id, LOCKS.c.record_id == record_id
        )
    ).first()
    return StoredLock(row.id, record_id, row.config_id, row.data) if row is not None else None


def insert_lock(
    conn: Connection, org_id: str, module_id: str, record_id: str, config_id: str, data: dict[str, Any]
) -> None:
    conn.execute(
        insert(LOCKS).values(
            id=data["id"], org_id=org_id, module_id=module_id, record_id=record_id, config_id=config_id, data=data
        )
    )


def save_lock(conn: Connection, lock_id: str, data: dict[str, Any]) -> None:
    conn.execute(update(LOCKS).where(LOCKS.c.id == lock_id).values(data=data))


def delete_lock(conn: Connection, lock_id: str) -> None:
    conn.execute(delete(LOCKS).where(LOCKS.c.id == lock_id))


def locks_of(conn: Connection, module_id: str, record_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The configuration of each of ``record_ids`` that is locked, by record id: one statement on the
    unique (module_id, record_id) index, joined to the lock's configuration."""
    if not record_ids:
        return {}
    query = (
        select(LOCKS.c.record_id, CONFIGS.c.data)
        .join(CONFIGS, CONFIGS.c.id == LOCKS.c.config_id)
        .where(LOCKS.c.module_id == module_id, LOCKS.c.record_id.in_(list(dict.fromkeys(record_ids))))
    )
    return {row.record_id: row.data for row in conn.execute(query)}
