"""The steps of the user-group calls: sources checked against the org's users, roles, territories and
groups; the members they reach; create, update and delete (whose job is done at once). Writers of
one org's groups take turns (``take_turns``): names are unique per org."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.acting import Acting
from zcrm_emulator.editions import has_territories
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.roles import repo as roles_repo
from zcrm_emulator.resources.roles import rules as roles_rules
from zcrm_emulator.resources.territories import repo as territories_repo
from zcrm_emulator.resources.territories import rules as territories_rules
from zcrm_emulator.resources.territories import service as territories
from zcrm_emulator.resources.user_groups import repo, rules
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at

Context = Acting


def take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"user_groups:{org_id}")


@dataclass
class Org:
    """What sources name, read once per call: users, roles, territories and groups by id."""

    users: dict[str, dict[str, Any]]
    roles: list[dict[str, Any]]
    territories: list[dict[str, Any]]
    territory_users: dict[str, list[str]]
    groups: dict[str, rules.Group]


def org(ctx: Context) -> Org:
    people = {u["id"]: u for u in users_repo.list_users(ctx.conn, ctx.org_id)}
    found: list[dict[str, Any]] = []
    if has_territories(org_repo.org_edition(ctx.conn, ctx.org_id)):
        found = territories.tree(territories.Context(ctx.conn, ctx.org_id, ctx.actor, ctx.now_ms))
    members = {t["id"]: territories_repo.user_ids(ctx.conn, t["id"]) for t in found}
    groups = {g["id"]: g for g in repo.list_groups(ctx.conn, ctx.org_id)}
    return Org(people, roles_repo.list_roles(ctx.conn, ctx.org_id), found, members, groups)


def _named(everything: Org, kind: str, source_id: str) -> str | None:
    """The name of what a source names; None when the org has no such thing."""
    if kind == "users":
        user = everything.users.get(source_id)
        return None if user is None or user.get("status") == "deleted" else str(user["full_name"])
    pool = {"roles": everything.roles, "territories": everything.territories}.get(kind)
    if pool is None:
        group = everything.groups.get(source_id)
        return None if group is None else str(group["name"])
    return next((str(item["name"]) for item in pool if item["id"] == source_id), None)


def _check_sources(everything: Org, sources: list[dict[str, Any]], path: str, group_id: str | None) -> None:
    for i, source in enumerate(sources):
        where = f"{path}.source[{i}]"  # the path OASx updateGroup SourceError writes
        missing = _named(everything, source["type"], source["id"]) is None
        if missing or (source["type"] == "groups" and source["id"] == group_id):
            message = Message.GROUP_SOURCE_INVALID if source["type"] == "users" else Message.UNKNOWN_ID
            raise ZohoError("INVALID_DATA", at(where, "id"), message)


# --- members ---------------------------------------------------------------------------------------
def members(everything: Org, group: rules.Group, seen: frozenset[str] = frozenset()) -> set[str]:
    """The ids of the users the group's sources reach (a group inside itself counts once)."""
    found: set[str] = set()
    for source in group.get("sources__s", []):
        kind, source_id = source["type"], source["id"]
        if kind == "users":
            found.add(source_id)
        elif kind == "roles":
            wanted = {source_id} | (
                roles_rules.below(everything.roles, source_id) if source.get("subordinates") else set()
            )
            found |= {u["id"] for u in everything.users.values() if (u.get("role") or {}).get("id") in wanted}
        elif kind == "territories":
            places = {source_id}
            if source.get("sub_territories"):
                places |= territories_rules.below(everything.territories, source_id)
            found |= {user for place in places for user in everything.territory_users.get(place, [])}
        elif source_id not in seen and source_id in everything.groups:
            found |= members(everything, everything.groups[source_id], seen | {group["id"]})
    return {user for user in found if user in everything.users}


def member_statuses(everything: Org, group: rules.Group) -> dict[str, int]:
    counts = dict.fromkeys(rules.USER_STATUSES, 0)
    for user_id in members(everything, group):
        status = everything.users[user_id].get("status")
        counts[status if status in counts else "inactive"] += 1
    return counts


# --- the wire object -------------------------------------------------------------------------------
def shown(everything: Org, group: rules.Group) -> rules.Group:
    """The group with its sources named as they are now and their counts."""
    sources = [
        {
            "type": s["type"],
            "source": {"id": s["id"], "name": _named(everything, s["type"], s["id"])},
            "subordinates": s.get("subordinates", False) if s["type"] == "roles" else None,
            "sub_territories": s.get("sub_territories", False) if s["type"] == "territories" else None,
        }
        for s in group.get("sources__s", [])
    ]
    kinds = [s["type"] for s in sources]
    counts = {kind: kinds.count(kind) for kind in ("territories", "roles", "groups")}
    wire = {key: value for key, value in group.items() if not key.endswith("__s")}
    return {**wire, "sources": sources, "sources_count": {**counts, "users": member_statuses(everything, group)}}


# --- writes ----------------------------------------------------------------------------------------
def create(ctx: Context, item: Any, path: str) -> rules.Group:
    clean = rules.check_keys(_object(item, path), path, creating=True)
    everything = org(ctx)
    if rules.name_taken(list(everything.groups.values()), clean["name"], None):
        raise ZohoError("DUPLICATE_DATA", at(path, "name"), Message.GROUP_NAME_TAKEN)
    _check_sources(everything, clean["sources"], path, None)
    group = {
        "id": ids.allocate(ctx.conn, ctx.org_id)[0],
        "name": clean["name"],
        "description": clean.get("description"),
        "created_by": ctx.stamp,
        "modified_by": ctx.stamp,
        "created_time": ctx.moment,
        "modified_time": ctx.moment,
        "sources__s": clean["sources"],
    }
    repo.insert_group(ctx.conn, ctx.org_id, group, ctx.now_ms)
    return group


def update(ctx: Context, group: rules.Group, item: Any, path: str) -> rules.Group:
    clean = rules.check_keys(_object(item, path), path, creating=False)
    everything = org(ctx)
    changed = dict(group)
    if "name" in clean:
        if rules.name_taken(list(everything.groups.values()), clean["name"], group["id"]):
            raise ZohoError("DUPLICATE_DATA", at(path, "name"), Message.GROUP_NAME_TAKEN)
        changed["name"] = clean["name"]
    if "sources" in clean:
        _check_sources(everything, clean["sources"], path, group["id"])
        changed["sources__s"] = clean["sources"]
    if "description" in clean:
        changed["description"] = clean["description"]
    changed.update(modified_by=ctx.stamp, modified_time=ctx.moment)
    repo.save_group(ctx.conn, changed, ctx.now_ms)
    return changed


def delete(ctx: Context, group: rules.Group) -> str:
    """The group goes at once, and out of the sources of the groups that held it; the deletion's job
    is recorded as completed. Returns the job's id."""
    for other in repo.list_groups(ctx.conn, ctx.org_id):
        kept = [s for s in other.get("sources__s", []) if (s["type"], s["id"]) != ("groups", group["id"])]
        if len(kept) != len(other.get("sources__s", [])):
            repo.save_group(ctx.conn, {**other, "sources__s": kept}, ctx.now_ms)
    repo.delete_group(ctx.conn, group["id"])
    job_id = ids.allocate(ctx.conn, ctx.org_id)[0]
    repo.insert_job(
        ctx.conn, ctx.org_id, job_id, {"id": job_id, "group": group["id"], "Status": "completed"}, ctx.now_ms
    )
    return job_id


def associations(everything: Org, group: rules.Group) -> list[dict[str, Any]]:
    """Where the group is used: the groups that hold it as a source."""
    return [
        {"type": "user_groups", "resource": {"id": other["id"], "name": other["name"]}}
        for other in everything.groups.values()
        if any((s["type"], s["id"]) == ("groups", group["id"]) for s in other.get("sources__s", []))
    ]


def _object(item: Any, path: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ZohoError(
            "INVALID_DATA", {"api_name": rules.ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"}
        )
    return item
