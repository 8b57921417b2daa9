"""Variables and variable groups on the caller's connection: the default group, creating, updating
and deleting variables (steps in Zoho's order; the rules are in rules.py, the SQL in repo.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.variables import repo, rules
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at, check_limit


@dataclass(frozen=True)
class Context:
    conn: Connection
    org_id: str
    now_ms: int


def take_turns(conn: Connection, org_id: str) -> None:
    """Variable writes of one org take turns across workers: names are unique per org and the org
    has a limit, both checked by reading first."""
    locks.serialize(conn, f"variables:{org_id}")


def general_group(ctx: Context) -> dict[str, Any]:
    """The org's default group, made the first time anything asks for variables (as territories make
    the org territory), so a fresh org has it without a row in the template."""
    found = repo.group_by_api_name(ctx.conn, ctx.org_id, rules.GENERAL)
    if found is not None:
        return found
    group_id = ids.allocate(ctx.conn, ctx.org_id)[0]
    repo.insert_group_once(ctx.conn, ctx.org_id, rules.new_group(group_id, rules.GENERAL, rules.GENERAL), ctx.now_ms)
    made = repo.group_by_api_name(ctx.conn, ctx.org_id, rules.GENERAL)
    assert made is not None  # inserted here or by the worker that won
    return made


def groups(ctx: Context) -> list[dict[str, Any]]:
    general_group(ctx)
    return repo.list_groups(ctx.conn, ctx.org_id)


def find_group(ctx: Context, id_or_api_name: str) -> dict[str, Any] | None:
    """A group by its id or its api_name (a path segment or the ``group`` param)."""
    general_group(ctx)
    group_id = normalize_id(id_or_api_name)
    found = repo.get_group(ctx.conn, ctx.org_id, group_id) if group_id else None
    return found or repo.group_by_api_name(ctx.conn, ctx.org_id, id_or_api_name)


def find_variable(ctx: Context, id_or_api_name: str) -> dict[str, Any] | None:
    variable_id = normalize_id(id_or_api_name)
    found = repo.get_variable(ctx.conn, ctx.org_id, variable_id) if variable_id else None
    return found or repo.variable_by_api_name(ctx.conn, ctx.org_id, id_or_api_name)


def _group_for(ctx: Context, reference: dict[str, str], path: str) -> dict[str, Any]:
    """The group a create item names; one named by a name or api_name no group has is made (the
    Create Variables page: groups are made only this way). An unknown id is refused."""
    general_group(ctx)
    if "id" in reference:
        found = repo.get_group(ctx.conn, ctx.org_id, reference["id"])
        if found is None:
            raise ZohoError("INVALID_DATA", {**at(path, "variable_group"), "id": reference["id"]})
        return found
    given = reference.get("api_name") or reference["name"]
    api_name = given if "api_name" in reference else rules.group_api_name(given)
    found = repo.group_by_api_name(ctx.conn, ctx.org_id, api_name)
    if found is None and "name" in reference:
        found = repo.group_by_name(ctx.conn, ctx.org_id, given)
    if found is not None:
        return found
    if "api_name" in reference:
        rules.check_api_name(api_name, f"{path}.variable_group")
    else:
        rules.check_name(given, f"{path}.variable_group")
    group = rules.new_group(ids.allocate(ctx.conn, ctx.org_id)[0], given, api_name)
    repo.insert_group(ctx.conn, ctx.org_id, group, ctx.now_ms)
    return group


def _refuse_taken(ctx: Context, found: dict[str, Any], path: str, except_id: str | None = None) -> None:
    for column in ("name", "api_name"):
        if column in found and repo.taken(ctx.conn, ctx.org_id, column, found[column], except_id=except_id):
            raise ZohoError("DUPLICATE_DATA", at(path, column))


def create(ctx: Context, item: Any, kind: str | None, path: str) -> str:
    """One create item: its keys, the org's limit, its group; returns the new variable's id."""
    item = rules.check_object(item, path)
    rules.require(item, path, "name", "api_name", "variable_group")
    reference = rules.group_reference(item["variable_group"], path)
    found = rules.changes(item, kind or rules.DEFAULT_TYPE, path)
    _refuse_taken(ctx, found, path)
    check_limit(repo.count_variables(ctx.conn, ctx.org_id) + 1, rules.VARIABLES_MAX, api_name="variables")
    group = _group_for(ctx, reference, path)
    variable = {**rules.new_variable(ids.allocate(ctx.conn, ctx.org_id)[0], kind or rules.DEFAULT_TYPE, group), **found}
    repo.insert_variable(ctx.conn, ctx.org_id, group["id"], variable, ctx.now_ms)
    return str(variable["id"])


def variable_for_item(ctx: Context, item: Any, path: str) -> dict[str, Any]:
    """The variable a bulk-update item names by ``id``."""
    item = rules.check_object(item, path)
    rules.require(item, path, "id")
    variable_id = normalize_id(item["id"])
    found = repo.get_variable(ctx.conn, ctx.org_id, variable_id) if variable_id else None
    if found is None:
        raise ZohoError("INVALID_DATA", {"id": str(item["id"])}, Message.UNKNOWN_ID)
    return found


def update(ctx: Context, variable: dict[str, Any], item: Any, path: str) -> str:
    """One update item applied to ``variable``: its type and group stay as they are."""
    item = rules.check_object(item, path)
    found = rules.changes(item, variable["type"], path)
    _refuse_taken(ctx, found, path, except_id=variable["id"])
    repo.save_variable(ctx.conn, {**variable, **found}, ctx.now_ms)
    return str(variable["id"])


def delete(ctx: Context, raw_id: str) -> str:
    """Delete the variable ``raw_id`` names: INVALID_DATA ``{id}`` "variable not deleted" when none."""
    variable_id = normalize_id(raw_id)
    found = repo.get_variable(ctx.conn, ctx.org_id, variable_id) if variable_id else None
    if found is None:
        raise ZohoError("INVALID_DATA", {"id": raw_id}, rules.NOT_DELETED)
    repo.delete_variable(ctx.conn, found["id"])
    return str(found["id"])
