"""SQL for territories (one row per territory, its wire object in ``data``; deleted ones keep their
row with ``deleted_ms``) and their users (one row per territory and user)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from zcrm_emulator.store import documents, uniques
from zcrm_emulator.store.schema import territories, territory_users

LIVE = territories.c.deleted_ms.is_(None)


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return documents.latest_modified(conn, territories, org_id)


def list_territories(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, territories, org_id, LIVE)


def get_territory(conn: Connection, org_id: str, territory_id: str) -> dict[str, Any] | None:
    query = select(territories.c.data).where(territories.c.org_id == org_id, territories.c.id == territory_id, LIVE)
    return conn.execute(query).scalar_one_or_none()


def list_deleted(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, territories, org_id, territories.c.deleted_ms.is_not(None))


def _stamp(conn: Connection, org_id: str, now_ms: int) -> int:
    """Past every territory's: an If-Modified-Since read sees each change."""
    return max(now_ms, (latest_modified(conn, org_id) or 0) + 1)


def insert_root(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    """The org territory, once: a worker that loses the race keeps the one stored first."""
    statement = uniques.insert(conn, territories).values(
        id=data["id"], org_id=org_id, name_key=documents.name_key(data["name"]), modified_ms=now_ms, data=data
    )
    conn.execute(statement.on_conflict_do_nothing())


def insert_territory(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    values = {"id": data["id"], "org_id": org_id, "name_key": documents.name_key(data["name"]), "data": data}
    conn.execute(insert(territories).values(**values, modified_ms=_stamp(conn, org_id, now_ms)))


def save_territory(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    values = {"name_key": documents.name_key(data["name"]), "data": data, "modified_ms": _stamp(conn, org_id, now_ms)}
    conn.execute(update(territories).where(territories.c.id == data["id"]).values(**values))


def mark_deleted(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    """The territory leaves the tree and frees its name; its row stays for the deleted-territory list."""
    values = {"name_key": None, "deleted_ms": now_ms, "data": data, "modified_ms": _stamp(conn, org_id, now_ms)}
    conn.execute(update(territories).where(territories.c.id == data["id"]).values(**values))
    conn.execute(delete(territory_users).where(territory_users.c.territory_id == data["id"]))


# --- users of territories --------------------------------------------------------------------------
def user_ids(conn: Connection, territory_id: str) -> list[str]:
    query = select(territory_users.c.user_id).where(territory_users.c.territory_id == territory_id)
    return [row.user_id for row in conn.execute(query.order_by(territory_users.c.added_ms, territory_users.c.user_id))]


def territory_ids_of(conn: Connection, org_id: str, user_id: str) -> list[str]:
    query = select(territory_users.c.territory_id).where(
        territory_users.c.org_id == org_id, territory_users.c.user_id == user_id
    )
    order = (territory_users.c.added_ms, territory_users.c.territory_id)
    return [row.territory_id for row in conn.execute(query.order_by(*order))]


def user_counts(conn: Connection, org_id: str) -> dict[str, int]:
    query = (
        select(territory_users.c.territory_id, func.count())
        .where(territory_users.c.org_id == org_id)
        .group_by(territory_users.c.territory_id)
    )
    return {row[0]: int(row[1]) for row in conn.execute(query)}


def add_user(conn: Connection, org_id: str, territory_id: str, user_id: str, now_ms: int) -> None:
    values = {"territory_id": territory_id, "user_id": user_id, "org_id": org_id, "added_ms": now_ms}
    conn.execute(insert(territory_users).values(**values))


def remove_user(conn: Connection, territory_id: str, user_id: str) -> None:
    conn.execute(
        delete(territory_users).where(
            territory_users.c.territory_id == territory_id, territory_users.c.user_id == user_id
        )
    )
