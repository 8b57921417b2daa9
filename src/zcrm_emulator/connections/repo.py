"""SQL of connections: services, connections, and the key their secrets are sealed under.

``secret`` columns hold Fernet tokens (crypto.py); this module stores and returns them as they are,
and knows nothing of what is inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select, update

from zcrm_emulator.connections.crypto import new_key
from zcrm_emulator.store import uniques
from zcrm_emulator.store.schema import connection_services, connections, emulator_state

KEY_NAME = "connections.encryption_key"


@dataclass(frozen=True)
class StoredService:
    id: str
    org_id: str
    link_name: str
    data: dict[str, Any]
    secret: str | None
    created_ms: int
    modified_ms: int


@dataclass(frozen=True)
class StoredConnection:
    id: str
    org_id: str
    service_id: str
    link_name: str
    status: str
    data: dict[str, Any]
    secret: str | None
    created_ms: int
    modified_ms: int


# --- the key ----------------------------------------------------------------------------------------


def encryption_key(conn: Connection) -> str:
    """The database's key, created on first use. Workers racing to create it all read back the one
    stored first (``ON CONFLICT DO NOTHING``)."""
    stored = _read_key(conn)
    if stored is None:
        statement = uniques.insert(conn, emulator_state).values(key=KEY_NAME, value=new_key())
        conn.execute(statement.on_conflict_do_nothing(index_elements=[emulator_state.c.key]))
        stored = _read_key(conn)
    if stored is None:  # the row was just written in this transaction
        raise RuntimeError("the connections encryption key could not be stored")
    return stored


def _read_key(conn: Connection) -> str | None:
    return conn.execute(select(emulator_state.c.value).where(emulator_state.c.key == KEY_NAME)).scalar_one_or_none()


# --- services ---------------------------------------------------------------------------------------


def _service(row: Row[Any]) -> StoredService:
    return StoredService(
        row.id, row.org_id, row.link_name, dict(row.data), row.secret, int(row.created_ms), int(row.modified_ms)
    )


def insert_service(conn: Connection, service: StoredService) -> None:
    conn.execute(
        connection_services.insert().values(
            id=service.id,
            org_id=service.org_id,
            link_name=service.link_name,
            created_ms=service.created_ms,
            modified_ms=service.modified_ms,
            data=service.data,
            secret=service.secret,
        )
    )


def update_service(conn: Connection, service_id: str, data: dict[str, Any], secret: str | None, now_ms: int) -> None:
    conn.execute(
        update(connection_services)
        .where(connection_services.c.id == service_id)
        .values(data=data, secret=secret, modified_ms=now_ms)
    )


def get_service(conn: Connection, org_id: str, link_name: str) -> StoredService | None:
    row = conn.execute(
        select(connection_services).where(
            connection_services.c.org_id == org_id, connection_services.c.link_name == link_name
        )
    ).first()
    return _service(row) if row is not None else None


def service_by_id(conn: Connection, service_id: str) -> StoredService | None:
    row = conn.execute(select(connection_services).where(connection_services.c.id == service_id)).first()
    return _service(row) if row is not None else None


def list_services(conn: Connection, org_id: str) -> list[StoredService]:
    rows = conn.execute(
        select(connection_services)
        .where(connection_services.c.org_id == org_id)
        .order_by(connection_services.c.created_ms, connection_services.c.id)
    )
    return [_service(row) for row in rows]


def delete_service(conn: Connection, service_id: str) -> None:
    conn.execute(delete(connection_services).where(connection_services.c.id == service_id))


def connections_using(conn: Connection, service_id: str) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(connections).where(connections.c.service_id == service_id)
        ).scalar_one()
    )


# --- connections ------------------------------------------------------------------------------------


def _connection(row: Row[Any]) -> StoredConnection:
    return StoredConnection(
        row.id,
        row.org_id,
        row.service_id,
        row.link_name,
        row.status,
        dict(row.data),
        row.secret,
        int(row.created_ms),
        int(row.modified_ms),
    )


def insert_connection(conn: Connection, connection: StoredConnection) -> None:
    conn.execute(
        connections.insert().values(
            id=connection.id,
            org_id=connection.org_id,
            service_id=connection.service_id,
            link_name=connection.link_name,
            status=connection.status,
            created_ms=connection.created_ms,
            modified_ms=connection.modified_ms,
            data=connection.data,
            secret=connection.secret,
        )
    )


def update_connection(
    conn: Connection, connection_id: str, *, status: str, data: dict[str, Any], secret: str | None, now_ms: int
) -> None:
    conn.execute(
        update(connections)
        .where(connections.c.id == connection_id)
        .values(status=status, data=data, secret=secret, modified_ms=now_ms)
    )


def get_connection(conn: Connection, org_id: str, link_name: str) -> StoredConnection | None:
    row = conn.execute(
        select(connections).where(connections.c.org_id == org_id, connections.c.link_name == link_name)
    ).first()
    return _connection(row) if row is not None else None


def connection_by_id(conn: Connection, connection_id: str) -> StoredConnection | None:
    row = conn.execute(select(connections).where(connections.c.id == connection_id)).first()
    return _connection(row) if row is not None else None


def list_connections(conn: Connection, org_id: str) -> list[StoredConnection]:
    rows = conn.execute(
        select(connections).where(connections.c.org_id == org_id).order_by(connections.c.created_ms, connections.c.id)
    )
    return [_connection(row) for row in rows]


def delete_connection(conn: Connection, connection_id: str) -> None:
    conn.execute(delete(connections).where(connections.c.id == connection_id))
