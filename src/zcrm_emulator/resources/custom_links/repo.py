"""SQL for custom links (one row per link, its wire object in ``data``) and portal user types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import custom_links, portal_user_types, profiles


@dataclass(frozen=True)
class StoredLink:
    id: str
    module_id: str
    data: dict[str, Any]


def name_key(name: str) -> str:
    return name.strip().casefold()


def list_links(conn: Connection, org_id: str, module_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, custom_links, org_id, custom_links.c.module_id == module_id)


def get_link(conn: Connection, org_id: str, link_id: str) -> StoredLink | None:
    row = conn.execute(
        select(custom_links.c.id, custom_links.c.module_id, custom_links.c.data).where(
            custom_links.c.org_id == org_id, custom_links.c.id == link_id
        )
    ).first()
    return StoredLink(row.id, row.module_id, row.data) if row is not None else None


def count_links(conn: Connection, module_id: str) -> int:
    return conn.execute(select(func.count()).where(custom_links.c.module_id == module_id)).scalar_one()


def name_taken(conn: Connection, module_id: str, name: str, *, except_id: str | None = None) -> bool:
    query = select(custom_links.c.id).where(
        custom_links.c.module_id == module_id, custom_links.c.name_key == name_key(name)
    )
    if except_id is not None:
        query = query.where(custom_links.c.id != except_id)
    return conn.execute(query.limit(1)).first() is not None


def insert_link(conn: Connection, org_id: str, module_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        insert(custom_links).values(
            id=data["id"],
            org_id=org_id,
            module_id=module_id,
            name_key=name_key(data["name"]),
            modified_ms=now_ms,
            data=data,
        )
    )


def save_link(conn: Connection, link_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        update(custom_links)
        .where(custom_links.c.id == link_id)
        .values(name_key=name_key(data["name"]), modified_ms=now_ms, data=data)
    )


def delete_link(conn: Connection, link_id: str) -> None:
    conn.execute(delete(custom_links).where(custom_links.c.id == link_id))


def profile_names(conn: Connection, org_id: str) -> dict[str, str]:
    return {p["id"]: p["name"] for p in documents.list_data(conn, profiles, org_id)}


def user_type_names(conn: Connection, org_id: str) -> dict[str, str]:
    return {t["id"]: t["name"] for t in documents.list_data(conn, portal_user_types, org_id)}
