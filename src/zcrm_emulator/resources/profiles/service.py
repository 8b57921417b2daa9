"""The steps of the profiles writes: clone (a new profile with the permissions of another), update
(name, description, permissions: record calls of the profile's users follow at once, their caller
being kept against the profiles' stamp), delete with the profile's users moved to another. Writers
of one org's profiles take turns (``take_turns``): names are unique and the count is limited."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import editions, ids
from zcrm_emulator.acting import Acting
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.profiles import repo, rules
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store import locks


class Context(Acting):
    stamps_email = True


def take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"profiles:{org_id}")


def clone(ctx: Context, source: dict[str, Any], item: Any, path: str) -> dict[str, Any]:
    clean = rules.check_keys(item, path, creating=True)
    existing = repo.list_profiles(ctx.conn, ctx.org_id)
    rules.check_name_free(existing, clean["name"], path, None)
    limit = editions.PROFILE_LIMITS[org_repo.org_edition(ctx.conn, ctx.org_id).name]
    if len(existing) + 1 > limit:
        raise ZohoError("LICENSE_LIMIT_EXCEEDED", {"limit": limit})
    profile = {
        **copy.deepcopy(source),
        "id": ids.allocate(ctx.conn, ctx.org_id)[0],
        "name": clean["name"],
        "display_label": clean["name"],
        "api_name": clean["name"].replace(" ", "_"),
        "description": clean.get("description"),
        "default": False,
        "custom": True,
        "created_time": ctx.moment,
        "modified_time": ctx.moment,
        "created_by": ctx.stamp,
        "modified_by": ctx.stamp,
    }
    repo.insert_profile(ctx.conn, ctx.org_id, profile, ctx.now_ms)
    return profile


def update(ctx: Context, profile: dict[str, Any], item: Any, path: str) -> dict[str, Any]:
    clean = rules.check_keys(item, path, creating=False)
    changed = dict(profile)
    if "name" in clean:
        rules.check_name_free(repo.list_profiles(ctx.conn, ctx.org_id), clean["name"], path, profile["id"])
        changed.update(name=clean["name"], display_label=clean["name"])
    if "description" in clean:
        changed["description"] = clean["description"]
    if "permissions_details" in item:
        changed["permissions_details"] = rules.apply_permissions(profile, item["permissions_details"], path)
    changed.update(modified_time=ctx.moment, modified_by=ctx.stamp)
    repo.save_profile(ctx.conn, ctx.org_id, changed, ctx.now_ms)
    if changed["name"] != profile["name"]:
        _move_users(ctx, profile["id"], changed)
    return changed


def delete(ctx: Context, profile: dict[str, Any], transfer_to: str | None) -> None:
    """The profile goes; its users move to ``transfer_to`` (mandatory while it has users)."""
    rules.check_deletable(profile)
    target = None
    if transfer_to is not None:
        target = repo.get_profile(ctx.conn, ctx.org_id, transfer_to)
        if target is None or target["id"] == profile["id"]:
            raise ZohoError("INVALID_DATA", {"id": transfer_to}, Message.PROFILE_ID_INVALID)
    holders = [u for u in users_repo.list_users(ctx.conn, ctx.org_id) if u["profile"]["id"] == profile["id"]]
    if holders and target is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"param": "transfer_to"}, Message.PROFILE_TRANSFER_MANDATORY)
    if target is not None:
        _move_users(ctx, profile["id"], target)
    repo.delete_profile(ctx.conn, profile["id"])


def _move_users(ctx: Context, profile_id: str, target: dict[str, Any]) -> None:
    """Users of ``profile_id`` now show (and hold) ``target``."""
    short = {"name": target["name"], "id": target["id"]}
    for user in users_repo.list_users(ctx.conn, ctx.org_id):
        if user["profile"]["id"] == profile_id:
            users_repo.save_user(ctx.conn, ctx.org_id, {**user, "profile": short}, ctx.now_ms)
