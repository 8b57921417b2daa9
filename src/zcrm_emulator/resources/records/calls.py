"""What every ``/{module}`` endpoint reads from its call — records CRUD and search alike: the
module's record scope, the path's module with the caller once they may act on it, the ``fields``
param and a list of record ids."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from zcrm_emulator import params, record_model
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.records import rules
from zcrm_emulator.routing import Call


def scope(*operations: str) -> Callable[[Call], list[str]]:
    """Record scopes name the module: ``ZohoCRM.modules.<scope name>.<op>`` (REFERENCE §2.7)."""

    def needed(call: Call) -> list[str]:
        module = find_module(call, call.params["module"])
        parent = (module.data.get("parent_module") or {}).get("api_name") if module is not None else None
        if module is not None and module.generated_type == "subform" and isinstance(parent, str):
            # A subform's rows are read with its parent's scope (the Subform API page's module names).
            module = find_module(call, parent) or module
        return rules.record_scopes(module, call.params["module"], operations)

    return needed


def module_and_caller(
    conn: Connection, call: Call, now_ms: int, action: str
) -> tuple[record_model.ModuleMeta, record_model.Caller]:
    """The path's module and the calling user, once the user may ``action`` records there."""
    stamps, memo = call.stamps, call.emulator.memo
    meta = record_model.load_module(
        conn, call.org_id, call.params["module"], now_ms, memo, stamps.metadata if stamps is not None else None
    )
    who = record_model.caller(conn, call.org_id, call.user_id, memo, stamps.people if stamps is not None else None)
    record_model.check_access(who, meta, action)
    return meta, who


def find_module(call: Call, name: str) -> modules_repo.ModuleRef | None:
    """The org's module ``name`` (modules_repo.find), from the memo when the call's stamps vouch for it."""
    if call.stamps is None:
        return modules_repo.find(call.conn, call.org_id, name)
    key = ("modules.find", call.org_id, name)
    return call.emulator.memo.get(key, call.stamps.metadata, lambda: modules_repo.find(call.conn, call.org_id, name))


def wanted_fields(call: Call, *, required: bool) -> list[str] | None:
    raw = params.required(call, "fields") if required else call.query("fields")
    if raw is None:
        return None
    names = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if len(names) > rules.MAX_FIELDS_PARAM:
        raise ZohoError("LIMIT_EXCEEDED", {"limit": rules.MAX_FIELDS_PARAM, "param_name": "fields"})
    return names


def record_ids_param(call: Call, name: str = "ids", *, limit: int | None = None) -> list[str]:
    values = params.csv(call, name)
    if limit is not None and len(values) > limit:
        raise ZohoError("LIMIT_EXCEEDED", {"limit": limit, "param_name": name})
    if any(normalize_id(value) is None for value in values):
        raise ZohoError("UNABLE_TO_PARSE_DATA_TYPE", {"param_name": name})
    return values
