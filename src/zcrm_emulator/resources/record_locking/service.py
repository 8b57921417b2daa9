"""Record locking inside the caller's transaction: writing a module's configuration, locking and
unlocking a record, and ``refusals``, the check a record update or delete makes (rules in rules.py,
SQL in repo.py). Plain values in: the records themselves are read by the routes (record model)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.clock import iso
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.resources.record_locking import repo, rules
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at


@dataclass(frozen=True)
class ConfigContext:
    """What a configuration write is checked against: the module, its fields, the org's profiles,
    and who writes when."""

    org_id: str
    module: ModuleRef
    fields: list[dict[str, Any]]
    profiles: dict[str, str]
    actor: Mapping[str, Any]
    now_ms: int

    def stamp(self) -> dict[str, Any]:
        return {
            "modified_time": iso(self.now_ms, self.actor.get("time_zone") or "UTC"),
            "modified_by": {"id": self.actor["id"], "name": self.actor["full_name"]},
        }


def context(conn: Connection, org_id: str, module: ModuleRef, actor: Mapping[str, Any], now_ms: int) -> ConfigContext:
    """A configuration write's context. Writes for one module take turns: one configuration per
    module is checked by reading first."""
    locks.serialize(conn, f"record_locking:{module.id}")
    return ConfigContext(
        org_id, module, fields_repo.list_fields(conn, module.id), repo.profile_names(conn, org_id), actor, now_ms
    )


def _resolved(
    conn: Connection, ctx: ConfigContext, clean: Mapping[str, Any], stored: Mapping[str, Any], path: str
) -> dict[str, Any]:
    """The keys of an item that name other things, resolved against the org."""
    out: dict[str, Any] = {}
    if clean.get("lock_excluded_profiles") is not None:
        out["lock_excluded_profiles"] = rules.resolve_profiles(clean["lock_excluded_profiles"], ctx.profiles, path)
    if clean.get("excluded_fields") is not None:
        out["excluded_fields"] = rules.resolve_fields(clean["excluded_fields"], ctx.fields, path)
    if clean.get("restricted_custom_buttons") is not None:
        rules.check_custom_buttons(clean["restricted_custom_buttons"], path)
    if clean.get("locking_rules") is not None:
        given = clean["locking_rules"]
        new_ids = ids.allocate(conn, ctx.org_id, sum(1 for r in given if r.get("id") is None))
        out["locking_rules"] = rules.merge_rules(stored.get("locking_rules") or [], given, new_ids, path)
    return out


@rules.file_messages()
def create_config(conn: Connection, ctx: ConfigContext, item: Any, path: str) -> str:
    """One configuration of a create call (the module's only one); returns its id."""
    clean = rules.SPEC.check(item, path)
    if repo.config_of_module(conn, ctx.module.id) is not None:
        raise rules.limit_reached(path)
    config_id = ids.allocate(conn, ctx.org_id)[0]
    config = rules.new_configuration(config_id, ctx.stamp())
    data = rules.apply_changes(config, clean, _resolved(conn, ctx, clean, config, path))
    repo.insert_config(conn, ctx.org_id, ctx.module.id, data, ctx.now_ms)
    return config_id


@rules.file_messages()
def config_for_item(conn: Connection, ctx: ConfigContext, item: Any, path: str) -> repo.StoredConfig:
    """The configuration a bulk-update item names by ``id`` (in the request's module)."""
    config_id = rules.CONFIG_ID.check(item, path)["id"]
    stored = repo.get_config(conn, ctx.org_id, config_id)
    if stored is None or stored.module_id != ctx.module.id:
        raise ZohoError("INVALID_DATA", at(path, "id"), rules.UNKNOWN_ID)
    return stored


@rules.file_messages()
def update_config(conn: Connection, ctx: ConfigContext, stored: repo.StoredConfig, item: Any, path: str) -> str:
    clean = rules.SPEC.check(item, path, partial=True, context=stored.data)
    data = rules.apply_changes(stored.data, clean, _resolved(conn, ctx, clean, stored.data, path))
    repo.save_config(conn, stored.id, {**data, **ctx.stamp()}, ctx.now_ms)
    return stored.id


# --- locks -----------------------------------------------------------------------------------------


def _lock_stamp(actor: Mapping[str, Any], now_ms: int) -> dict[str, Any]:
    return {
        "user": {"id": actor["id"], "name": actor["full_name"]},
        "time": iso(now_ms, actor.get("time_zone") or "UTC"),
    }


@rules.file_messages()
def lock(
    conn: Connection,
    org_id: str,
    module: ModuleRef,
    record: Mapping[str, Any],
    item: Any,
    actor: Mapping[str, Any],
    now_ms: int,
) -> dict[str, Any]:
    """Lock one record by hand: its module's configuration must allow manual locking; a record is
    locked once (403 NOT_ALLOWED). ``record``: ``{name, id, module}``. Returns the lock."""
    config = rules.check_manual(_config_data(conn, module.id))
    reason = rules.LOCK_SPEC.check(item, "$.data[0]")["Locked_Reason__s"]
    locks.serialize(conn, f"record_locks:{record['id']}")
    if repo.lock_of_record(conn, module.id, record["id"]) is not None:
        raise ZohoError("NOT_ALLOWED", {"id": record["id"]}, Message.RECORD_ALREADY_LOCKED, status=403)
    lock_id = ids.allocate(conn, org_id)[0]
    data = rules.new_lock(lock_id, record, config["id"], reason, _lock_stamp(actor, now_ms))
    repo.insert_lock(conn, org_id, module.id, record["id"], config["id"], data)
    return data


def _config_data(conn: Connection, module_id: str) -> dict[str, Any] | None:
    stored = repo.config_of_module(conn, module_id)
    return stored.data if stored is not None else None


def record_lock(conn: Connection, module_id: str, record_id: str, lock_id: str | None) -> repo.StoredLock | None:
    """The record's lock, when ``lock_id`` (if given) names it."""
    stored = repo.lock_of_record(conn, module_id, record_id)
    if stored is None or (lock_id is not None and stored.id != lock_id):
        return None
    return stored


@rules.file_messages()
def relock(
    conn: Connection, stored: repo.StoredLock, item: Any, actor: Mapping[str, Any], now_ms: int
) -> dict[str, Any]:
    reason = rules.LOCK_SPEC.check(item, "$.data[0]")["Locked_Reason__s"]
    data = rules.relock(stored.data, reason, _lock_stamp(actor, now_ms))
    repo.save_lock(conn, stored.id, data)
    return data


def unlock(conn: Connection, stored: repo.StoredLock) -> None:
    repo.delete_lock(conn, stored.id)


# --- the record write hook -------------------------------------------------------------------------


def refusals(
    conn: Connection,
    module_id: str,
    profile_id: str | None,
    action: str,
    changes: Mapping[str, Sequence[str]],
) -> dict[str, ZohoError]:
    """RECORD_LOCKED for each record of ``changes`` (record id -> the fields the write sets) whose
    lock refuses ``action`` to the caller's profile; one indexed lookup for the whole call."""
    found = repo.locks_of(conn, module_id, list(changes))
    refused = {rid: rules.refused_action(config, action, profile_id, changes[rid]) for rid, config in found.items()}
    return {rid: rules.locked_error(rid, what) for rid, what in refused.items() if what is not None}


def update_refusals(
    conn: Connection, module_id: str, profile_id: str | None, items: Sequence[Any], path_id: str | None
) -> dict[str, ZohoError]:
    """``refusals`` for an update call's items (the record model's split items: ``record_id`` and
    ``values``; the path's id for PUT /{module}/{id})."""
    changes: dict[str, list[str]] = {}
    for item in items:
        record_id = path_id or (ids.normalize_id(item.record_id) if item is not None else None)
        if record_id is not None and item is not None:
            changes.setdefault(record_id, []).extend(item.values)
    return refusals(conn, module_id, profile_id, "update", changes) if changes else {}
