"""The steps of the roles writes: create, update (a rename shows on the role's users and sub-roles),
delete with its users and sub-roles moved to another role. Writers of one org's roles take turns
(``take_turns``): names are unique and the tree is checked before each write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.acting import Acting
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.roles import repo, rules
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at


class Context(Acting):
    stamps_email = True


def take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"roles:{org_id}")


def create(ctx: Context, item: Any, path: str) -> dict[str, Any]:
    clean = rules.check_keys(_object(item, path), path, creating=True)
    roles = repo.list_roles(ctx.conn, ctx.org_id)
    if rules.name_taken(roles, clean["name"], None):
        raise ZohoError("DUPLICATE_DATA", at(path, "name"))
    parent = (
        rules.check_reporting_to(roles, None, clean["reporting_to"], path)
        if "reporting_to" in clean
        else rules.top_role(roles)
    )
    role = {
        "id": ids.allocate(ctx.conn, ctx.org_id)[0],
        "name": clean["name"],
        "display_label": clean["name"],
        "api_name": clean["name"].replace(" ", "_"),
        "description": clean.get("description"),
        "reporting_to": rules.minified(parent),
        "forecast_manager": None,
        "share_with_peers": clean.get("share_with_peers", False),
        "admin_user": False,
        "created_by__s": ctx.stamp,
        "modified_by__s": ctx.stamp,
        "created_time__s": ctx.moment,
        "modified_time__s": ctx.moment,
    }
    repo.insert_role(ctx.conn, ctx.org_id, role, ctx.now_ms)
    return role


def update(ctx: Context, role: dict[str, Any], item: Any, path: str) -> dict[str, Any]:
    clean = rules.check_keys(_object(item, path), path, creating=False)
    roles = repo.list_roles(ctx.conn, ctx.org_id)
    changed = dict(role)
    if "name" in clean:
        if rules.name_taken(roles, clean["name"], role["id"]):
            raise ZohoError("DUPLICATE_DATA", at(path, "name"))
        changed.update(name=clean["name"], display_label=clean["name"])
    if "reporting_to" in clean:
        changed["reporting_to"] = rules.minified(rules.check_reporting_to(roles, role, clean["reporting_to"], path))
    for key in ("description", "share_with_peers"):
        if key in clean:
            changed[key] = clean[key]
    changed.update(modified_by__s=ctx.stamp, modified_time__s=ctx.moment)
    repo.save_role(ctx.conn, ctx.org_id, changed, ctx.now_ms)
    if changed["name"] != role["name"]:
        _rename(ctx, roles, changed)
    return changed


def _rename(ctx: Context, roles: list[dict[str, Any]], role: dict[str, Any]) -> None:
    """A role's new name, where other objects show it: its sub-roles' ``reporting_to`` and its users."""
    short = rules.minified(role)
    for other in roles:
        if (other.get("reporting_to") or {}).get("id") == role["id"]:
            repo.save_role(ctx.conn, ctx.org_id, {**other, "reporting_to": short}, ctx.now_ms)
    for user in users_repo.list_users(ctx.conn, ctx.org_id):
        if (user.get("role") or {}).get("id") == role["id"]:
            users_repo.save_user(ctx.conn, ctx.org_id, {**user, "role": short}, ctx.now_ms)


def delete(ctx: Context, role: dict[str, Any], transfer_to_id: str) -> None:
    """The role goes; its users and the roles right under it move to ``transfer_to_id``."""
    roles = repo.list_roles(ctx.conn, ctx.org_id)
    target = rules.minified(rules.check_deletable(roles, role, transfer_to_id))
    for other in roles:
        if (other.get("reporting_to") or {}).get("id") == role["id"]:
            repo.save_role(ctx.conn, ctx.org_id, {**other, "reporting_to": target}, ctx.now_ms)
    for user in users_repo.list_users(ctx.conn, ctx.org_id):
        if (user.get("role") or {}).get("id") == role["id"]:
            moved = {**user, "role": target, "Modified_By": {"name": ctx.actor["full_name"], "id": ctx.actor["id"]}}
            users_repo.save_user(ctx.conn, ctx.org_id, moved, ctx.now_ms)
    repo.delete_role(ctx.conn, role["id"])


def _object(item: Any, path: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ZohoError(
            "INVALID_DATA", {"api_name": rules.ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"}
        )
    return item
