"""SQL for variables and variable groups (one row per object, its wire object in ``data``). Group
api_names and variable names and api_names are unique per org, regardless of case."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from zcrm_emulator.store import documents, uniques
from zcrm_emulator.store.schema import variable_groups, variables


def key(text: str) -> str:
    return documents.name_key(text)


# --- groups ----------------------------------------------------------------------------------------
def list_groups(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return documents.list_data(conn, variable_groups, org_id)


def get_group(conn: Connection, org_id: str, group_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, variable_groups, org_id, group_id)


def group_by_api_name(conn: Connection, org_id: str, api_name: str) -> dict[str, Any] | None:
    query = select(variable_groups.c.data).where(
        variable_groups.c.org_id == org_id, variable_groups.c.name_key == key(api_name)
    )
    return conn.execute(query).scalar_one_or_none()


def group_by_name(conn: Connection, org_id: str, name: str) -> dict[str, Any] | None:
    """A group whose display name is ``name`` (case-folded), if any."""
    for group in list_groups(conn, org_id):
        if key(group["name"]) == key(name):
            return group
    return None


def insert_group(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        insert(variable_groups).values(
            id=data["id"], org_id=org_id, name_key=key(data["api_name"]), modified_ms=now_ms, data=data
        )
    )


def insert_group_once(conn: Connection, org_id: str, data: dict[str, Any], now_ms: int) -> None:
    """A group unless one with its api_name exists: workers making the default group together keep one."""
    statement = uniques.insert(conn, variable_groups).values(
        id=data["id"], org_id=org_id, name_key=key(data["api_name"]), modified_ms=now_ms, data=data
    )
    conn.execute(statement.on_conflict_do_nothing())


# --- variables -------------------------------------------------------------------------------------
def list_variables(conn: Connection, org_id: str, group_id: str | None = None) -> list[dict[str, Any]]:
    within = () if group_id is None else (variables.c.group_id == group_id,)
    return documents.list_data(conn, variables, org_id, *within)


def get_variable(conn: Connection, org_id: str, variable_id: str) -> dict[str, Any] | None:
    return documents.get_data(conn, variables, org_id, variable_id)


def variable_by_api_name(conn: Connection, org_id: str, api_name: str) -> dict[str, Any] | None:
    query = select(variables.c.data).where(variables.c.org_id == org_id, variables.c.api_name_key == key(api_name))
    return conn.execute(query).scalar_one_or_none()


def count_variables(conn: Connection, org_id: str) -> int:
    return int(conn.execute(select(func.count()).where(variables.c.org_id == org_id)).scalar_one())


def taken(conn: Connection, org_id: str, column: str, value: str, *, except_id: str | None = None) -> bool:
    """Another variable of the org has this ``name`` or ``api_name`` (case-folded)."""
    stored = variables.c.name_key if column == "name" else variables.c.api_name_key
    query = select(variables.c.id).where(variables.c.org_id == org_id, stored == key(value))
    if except_id is not None:
        query = query.where(variables.c.id != except_id)
    return conn.execute(query.limit(1)).first() is not None


def insert_variable(conn: Connection, org_id: str, group_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        insert(variables).values(
            id=data["id"],
            org_id=org_id,
            group_id=group_id,
            name_key=key(data["name"]),
            api_name_key=key(data["api_name"]),
            modified_ms=now_ms,
            data=data,
        )
    )


def save_variable(conn: Connection, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        update(variables)
        .where(variables.c.id == data["id"])
        .values(name_key=key(data["name"]), api_name_key=key(data["api_name"]), modified_ms=now_ms, data=data)
    )


def delete_variable(conn: Connection, variable_id: str) -> None:
    conn.execute(delete(variables).where(variables.c.id == variable_id))
