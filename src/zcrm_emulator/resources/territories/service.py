"""The steps of the territory calls: the edition gate, the org territory made on first use, create,
update, the two deletes, and the users of territories. Writers of one org's territories take turns
(``take_turns``): names are unique and the tree is checked before each write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.acting import Acting
from zcrm_emulator.editions import has_territories
from zcrm_emulator.errors import ErrorCode, Message, ZohoError
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.territories import repo, rules
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at

ROOT_SUFFIX = 26020  # the org territory's id: a fixed suffix, as the fresh org's roles and profiles have


Context = Acting


def require_enabled(conn: Connection, org_id: str, code: ErrorCode = "FEATURE_NOT_ENABLED") -> None:
    """Territory management is an Enterprise feature: lower editions never have it on (OASx
    getTerritories TerritoryNotYetEnabled; associateUsersToTerritory answers TERRITORY_NOT_ENABLED)."""
    if not has_territories(org_repo.org_edition(conn, org_id)):
        raise ZohoError(code, {})


def take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"territories:{org_id}")


def root_id(org_id: str) -> str:
    return ids.compose(ids.prefix_of(org_id), ROOT_SUFFIX)


def tree(ctx: Context) -> list[rules.Territory]:
    """The org's live territories, the org territory first made if this is the first use."""
    found = repo.list_territories(ctx.conn, ctx.org_id)
    if any(t["id"] == root_id(ctx.org_id) for t in found):
        return found
    _make_root(ctx)
    return repo.list_territories(ctx.conn, ctx.org_id)


def _make_root(ctx: Context) -> None:
    """The org territory as Zoho has it once territory management is on: named after the company,
    managed by the org's first administrator, reporting to none."""
    company = str(org_repo.get_org(ctx.conn, ctx.org_id).get("company_name") or "Organization")
    admins = [
        u
        for u in users_repo.list_users(ctx.conn, ctx.org_id)
        if (u.get("profile") or {}).get("name") == "Administrator" and u.get("status") == "active"
    ]
    owner = {"name": admins[0]["full_name"], "id": admins[0]["id"]} if admins else ctx.stamp
    root = {
        "id": root_id(ctx.org_id),
        "name": company,
        "api_name": rules.api_name(company),
        "description": rules.ROOT_DESCRIPTION,
        "permission_type": "read_only",
        "manager": owner,
        "reporting_to": None,
        **dict.fromkeys(rules.CRITERIA),
        "created_by": owner,
        "modified_by": owner,
        "created_time": ctx.moment,
        "modified_time": ctx.moment,
    }
    repo.insert_root(ctx.conn, ctx.org_id, root, ctx.now_ms)


def find(ctx: Context, territory_id: str | None) -> rules.Territory | None:
    if territory_id is None:
        return None
    tree(ctx)
    return repo.get_territory(ctx.conn, ctx.org_id, territory_id)


# --- writes ----------------------------------------------------------------------------------------
def create(ctx: Context, item: Any, path: str) -> rules.Territory:
    clean = rules.check_keys(_object(item, path), path, creating=True)
    territories = tree(ctx)
    if rules.name_taken(territories, clean["name"], None):
        raise ZohoError("DUPLICATE_DATA", at(path, "name"))
    parent = rules.check_reporting_to(territories, None, clean["reporting_to"], path)
    territory = {
        "id": ids.allocate(ctx.conn, ctx.org_id)[0],
        "name": clean["name"],
        "api_name": rules.api_name(clean["name"]),
        "description": clean.get("description"),
        "permission_type": clean["permission_type"],
        "manager": _manager(ctx, clean.get("manager"), path),
        "reporting_to": rules.minified(parent),
        **{key: _criteria(ctx, key, clean.get(key), path) for key in rules.CRITERIA},
        "created_by": ctx.stamp,
        "modified_by": ctx.stamp,
        "created_time": ctx.moment,
        "modified_time": ctx.moment,
    }
    repo.insert_territory(ctx.conn, ctx.org_id, territory, ctx.now_ms)
    return territory


def update(ctx: Context, territory: rules.Territory, item: Any, path: str) -> rules.Territory:
    item = _object(item, path)
    if rules.is_root(territory):
        rules.check_root_update(item, path)
    clean = rules.check_keys(item, path, creating=False)
    territories = tree(ctx)
    changed = dict(territory)
    if "name" in clean:
        if rules.name_taken(territories, clean["name"], territory["id"]):
            raise ZohoError("DUPLICATE_DATA", at(path, "name"))
        changed.update(name=clean["name"], api_name=rules.api_name(clean["name"]))
    if "reporting_to" in clean:
        parent = rules.check_reporting_to(territories, territory, clean["reporting_to"], path)
        changed["reporting_to"] = rules.minified(parent)
    if "manager" in clean:
        changed["manager"] = _manager(ctx, clean["manager"], path)
    for key in rules.CRITERIA:
        if key in clean:
            changed[key] = _criteria(ctx, key, clean[key], path)
    for key in ("description", "permission_type"):
        if key in clean:
            changed[key] = clean[key]
    changed.update(modified_by=ctx.stamp, modified_time=ctx.moment)
    repo.save_territory(ctx.conn, ctx.org_id, changed, ctx.now_ms)
    if changed["name"] != territory["name"]:
        _rename(ctx, territories, changed)
    return changed


def _rename(ctx: Context, territories: list[rules.Territory], territory: rules.Territory) -> None:
    """A new name shows where the children name their parent."""
    for child in rules.children(territories, territory["id"]):
        repo.save_territory(ctx.conn, ctx.org_id, {**child, "reporting_to": rules.minified(territory)}, ctx.now_ms)


def delete(ctx: Context, territory: rules.Territory, details: dict[str, Any]) -> None:
    rules.check_deletable(tree(ctx), territory, details)
    _remove(ctx, territory)


def transfer_and_delete(ctx: Context, territory: rules.Territory, transfer_to: str | None, path: str) -> None:
    """The territory goes; its children move to ``transfer_to``."""
    territories = tree(ctx)
    target = rules.check_transfer(territories, territory, transfer_to, path)
    if target is not None:
        for child in rules.children(territories, territory["id"]):
            repo.save_territory(ctx.conn, ctx.org_id, {**child, "reporting_to": rules.minified(target)}, ctx.now_ms)
    _remove(ctx, territory)


def _remove(ctx: Context, territory: rules.Territory) -> None:
    had_users = bool(repo.user_ids(ctx.conn, territory["id"]))
    gone = {**territory, "deleted__s": {"deleted_time": ctx.moment, "deleted_by": ctx.stamp, "had_users": had_users}}
    repo.mark_deleted(ctx.conn, ctx.org_id, gone, ctx.now_ms)


def _manager(ctx: Context, user_id: str | None, path: str) -> dict[str, str] | None:
    if user_id is None:
        return None
    user = users_repo.get_user(ctx.conn, ctx.org_id, user_id)
    if user is None or user.get("status") == "deleted":
        raise ZohoError("INVALID_DATA", at(path, "manager"), Message.UNKNOWN_ID)
    return {"name": user["full_name"], "id": user["id"]}


def _criteria(ctx: Context, key: str, criteria: dict[str, Any] | None, path: str) -> dict[str, Any] | None:
    if criteria is None:
        return None
    meta = record_model.load_module(ctx.conn, ctx.org_id, rules.CRITERIA[key], ctx.now_ms)
    return rules.criteria_fields(criteria, f"{path}.{key}", meta.by_name)


def _object(item: Any, path: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ZohoError(
            "INVALID_DATA", {"api_name": rules.ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"}
        )
    return item


# --- users of territories --------------------------------------------------------------------------
def user_of(ctx: Context, user_id: str | None) -> dict[str, Any] | None:
    return users_repo.get_user(ctx.conn, ctx.org_id, user_id) if user_id is not None else None


def add_user(ctx: Context, territory: rules.Territory, user_id: str | None, path: str | None) -> str:
    """``user_id`` joins the territory. ``path``: where the id was sent in the body (None: the URL)."""
    where = at(path, "id") if path is not None else {"id": user_id}
    user = user_of(ctx, user_id)
    if user is None or user_id is None:
        raise ZohoError("INVALID_DATA", where, Message.TERRITORY_USER_INVALID)
    if user.get("status") == "deleted":
        raise ZohoError("INVALID_DATA", {**where, "owner_status": "deleted"}, Message.TERRITORY_USER_DELETED)
    members = repo.user_ids(ctx.conn, territory["id"])
    if user_id in members:
        raise ZohoError("DUPLICATE_DATA", where, Message.TERRITORY_USER_EXISTS)
    if len(members) >= rules.USERS_MAX:
        raise ZohoError("LIMIT_EXCEEDED", {"limit": rules.USERS_MAX}, Message.TERRITORY_USERS_LIMIT)
    repo.add_user(ctx.conn, ctx.org_id, territory["id"], user_id, ctx.now_ms)
    return user_id


def remove_user(ctx: Context, territory: rules.Territory, user_id: str | None, raw: str) -> str:
    if user_of(ctx, user_id) is None or user_id is None:
        raise ZohoError("INVALID_DATA", {"id": raw}, Message.TERRITORY_USER_INVALID)
    if user_id not in repo.user_ids(ctx.conn, territory["id"]):
        raise ZohoError("INVALID_DATA", {"id": user_id}, Message.TERRITORY_USER_NOT_MEMBER)
    repo.remove_user(ctx.conn, territory["id"], user_id)
    return user_id


def associate(ctx: Context, user_id: str, territory_id: str | None, path: str) -> str:
    """The user joins a territory sent in a ``/users/{user}/territories`` body."""
    territory = find(ctx, territory_id)
    if territory is None or territory_id is None:
        raise ZohoError("INVALID_DATA", at(path, "id"), Message.TERRITORY_ID_INVALID)
    if territory_id in repo.territory_ids_of(ctx.conn, ctx.org_id, user_id):
        raise ZohoError("DUPLICATE_DATA", at(path, "id"), Message.USER_TERRITORY_EXISTS)
    repo.add_user(ctx.conn, ctx.org_id, territory_id, user_id, ctx.now_ms)
    return territory_id


def dissociate(ctx: Context, user_id: str, territory_id: str | None, path: str) -> str:
    if territory_id is None or territory_id not in repo.territory_ids_of(ctx.conn, ctx.org_id, user_id):
        raise ZohoError("INVALID_DATA", at(path, "id"), Message.TERRITORY_ID_INVALID)
    repo.remove_user(ctx.conn, territory_id, user_id)
    return territory_id


# --- reads -----------------------------------------------------------------------------------------
def shown(territory: rules.Territory) -> rules.Territory:
    """The wire object: what is stored, without the emulator's own keys."""
    return {key: value for key, value in territory.items() if not key.endswith("__s")}


def of_user(territory: rules.Territory) -> dict[str, Any]:
    """A territory as ``/users/{user}/territories`` shows it (users_territories.json)."""
    manager, parent = territory.get("manager") or {}, territory.get("reporting_to") or {}
    return {
        "id": territory["id"],
        "Name": territory["name"],
        # None set: an object of nulls, as the file's Manager has it (both keys nullable)
        "Manager": {"Name": manager.get("name"), "id": manager.get("id")},
        "Reporting_To": {"Name": parent.get("name"), "id": parent.get("id")},
    }


def deleted_associated(ctx: Context) -> list[dict[str, Any]]:
    """Deleted territories that had users when they went, newest first."""
    gone = [t for t in repo.list_deleted(ctx.conn, ctx.org_id) if (t.get("deleted__s") or {}).get("had_users")]
    rows = [
        {"name": t["name"], "id": t["id"], **{k: t["deleted__s"][k] for k in ("deleted_time", "deleted_by")}}
        for t in gone
    ]
    return sorted(rows, key=lambda row: row["id"], reverse=True)
