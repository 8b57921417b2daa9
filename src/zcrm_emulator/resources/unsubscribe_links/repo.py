"""SQL for unsubscribe links (one row per link, its wire object in ``data``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import unsubscribe_links


def name_key(name: str) -> str:
    return name.strip().casefold()


def list_links(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, unsubscribe_links, org_id)


def get_link(conn: Connection, org_id: str, link_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, unsubscribe_links, org_id, link_id)


def count_links(conn: Connection, org_id: str) -> int:
    return conn.execute(select(func.count()).where(unsubscribe_links.c.org_id == org_id)).scalar_one()


def name_taken(conn: Connection, org_id: str, name: str, *, except_id: str | None = None) -> bool:
    query = select(unsubscribe_links.c.id).where(
        unsubscribe_links.c.org_id == org_id, unsubscribe_links.c.name_key == name_key(name)
    )
    if except_id is not None:
        query = query.where(unsubscribe_links.c.id != except_id)
    return conn.execute(query.limit(1)).first() is not None


def insert_link(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        insert(unsubscribe_links).values(
            id=data["id"], org_id=org_id, name_key=name_key(data["name"]), modified_ms=now_ms, data=data
        )
    )


def save_link(conn: Connection, link_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        update(unsubscribe_links)
        .where(unsubscribe_links.c.id == link_id)
        .values(name_key=name_key(data["name"]), modified_ms=now_ms, data=data)
    )


def delete_link(conn: Connection, link_id: str) -> None:
    conn.execute(delete(unsubscribe_links).where(unsubscribe_links.c.id == link_id))
