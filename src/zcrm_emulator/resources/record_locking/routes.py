"""``/settings/record_locking_configurations`` (OAS record_locking_configuration.json) and
``/{module}/{record_id}/Locking_Information__s`` (OAS record_locking.json).

Every configuration call takes ``?module=`` (REQUIRED_PARAM_MISSING without it; INVALID_MODULE for a
module the v8 pages do not list, user-created custom modules aside). A record is locked at most once;
the lock list of a record wants ``fields``, as the Get Record Locking Information page says.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params, record_model
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.record_locking import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of, only_item_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.record_locking_configurations"
LOCK_SCOPE = "ZohoCRM.modules.lockinginformation"
ENVELOPE = rules.ENVELOPE
PERMISSION = "Crm_Implied_Customize_Zoho_CRM"
SINCE = "v3"  # the first version whose docs have record locking
LOCK_INDEX = 3  # /{module}/{record_id}/Locking_Information__s/{lock_id}: the lock id's path index


def _module(conn: Connection, call: Call) -> modules_repo.ModuleRef:
    """The ``module`` query parameter's module: REQUIRED_PARAM_MISSING / INVALID_MODULE."""
    found = modules_repo.find(conn, call.org_id, params.required(call, "module"))
    if found is None or not found.api_supported or not rules.supported(found.api_name, found.generated_type):
        raise ZohoError("INVALID_MODULE", {"api_name": "module"})
    return found


def _context(conn: Connection, call: Call, module: modules_repo.ModuleRef) -> service.ConfigContext:
    return service.context(conn, call.org_id, module, call.actor(conn), call.emulator.clock.now_ms())


def _feature_type(call: Call) -> None:
    value = call.query("feature_type")
    if value is not None and value != rules.FEATURE_TYPE:
        raise ZohoError("INVALID_DATA", {"param_name": "feature_type"}, rules.UNKNOWN_ID)


# --- configurations --------------------------------------------------------------------------------


async def list_configs(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        _feature_type(call)
        stored = repo.config_of_module(conn, module.id)
    return reply({ENVELOPE: [stored.data] if stored is not None else []})


async def get_config(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        stored = _config_in_path(conn, call, module)
    return reply({ENVELOPE: [stored.data]})


async def create_configs(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        items = items_of(call.json(), ENVELOPE)
        ctx = _context(conn, call, module)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"
            write = partial(service.create_config, conn, ctx, item, path)
            results.append(batch.attempt(conn, rules.CREATED, write, json_path=path))
    return batch.answer(ENVELOPE, results, all_ok=201)


async def update_configs(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        items = items_of(call.json(), ENVELOPE)
        ctx = _context(conn, call, module)

        def update(item: Any, path: str) -> str:
            return service.update_config(conn, ctx, service.config_for_item(conn, ctx, item, path), item, path)

        results = batch.each(conn, ENVELOPE, items, rules.UPDATED, update)
    return batch.answer(ENVELOPE, results, all_ok=200)


async def update_config(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        stored = _config_in_path(conn, call, module)
        item = only_item_of(call.json(), ENVELOPE)
        ctx = _context(conn, call, module)
        path = f"$.{ENVELOPE}[0]"
        write = partial(service.update_config, conn, ctx, stored, item, path)
        results = [batch.attempt(conn, rules.UPDATED, write, json_path=path)]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def delete_config(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        stored = _config_in_path(conn, call, module)
        repo.delete_config(conn, stored.id)
    return batch.answer(ENVELOPE, [batch.success(rules.DELETED, {"id": stored.id})], all_ok=200)


async def delete_configs(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        wanted = list(dict.fromkeys(params.csv(call, "ids")))
        if not wanted:
            raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"})
        if len(wanted) > rules.IDS_MAX:
            raise ZohoError("LIMIT_EXCEEDED", {"param_name": "ids", "limit": rules.IDS_MAX})
        results = []
        for raw in wanted:
            config_id = normalize_id(raw)
            stored = repo.get_config(conn, call.org_id, config_id) if config_id else None
            if stored is None or stored.module_id != module.id:
                results.append(batch.failure(ZohoError("INVALID_DATA", {"id": raw}, rules.UNKNOWN_ID)))
                continue
            repo.delete_config(conn, stored.id)
            results.append(batch.success(rules.DELETED, {"id": stored.id}))
    return batch.answer(ENVELOPE, results, all_ok=200)


def _config_in_path(conn: Connection, call: Call, module: modules_repo.ModuleRef) -> repo.StoredConfig:
    """The configuration the path names: bare INVALID_DATA ``{resource_path_index}`` when none."""
    config_id = normalize_id(call.params["config_id"])
    stored = repo.get_config(conn, call.org_id, config_id) if config_id else None
    if stored is None or stored.module_id != module.id:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 0}, rules.UNKNOWN_ID)
    return stored


# --- locks -----------------------------------------------------------------------------------------


def _locked_record(conn: Connection, call: Call, action: str) -> tuple[record_model.ModuleMeta, dict[str, Any]]:
    """The path's module (one that takes locks) and record, as ``{name, id, module}``, once the
    caller may ``action`` records there."""
    now = call.emulator.clock.now_ms()
    meta = record_model.load_module(conn, call.org_id, call.params["module"], now, call.emulator.memo)
    if not rules.supported(meta.api_name, meta.module.generated_type):
        raise ZohoError("INVALID_MODULE", {})
    who = record_model.caller(conn, call.org_id, call.user_id, call.emulator.memo)
    record_model.check_access(who, meta, action)
    record_id = normalize_id(call.params["record_id"])
    row = record_model.get_records(conn, meta.id, [record_id]).get(record_id) if record_id else None
    if row is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 1}, rules.UNKNOWN_ID)
    name = row.data.get(meta.display_field)
    module = {"api_name": meta.api_name, "id": meta.id}
    return meta, {"name": None if name is None else str(name), "id": row.id, "module": module}


def _lock_in_path(conn: Connection, call: Call, meta: record_model.ModuleMeta, record_id: str) -> repo.StoredLock:
    lock_id = normalize_id(call.params["lock_id"])
    stored = service.record_lock(conn, meta.id, record_id, lock_id) if lock_id else None
    if stored is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": LOCK_INDEX}, rules.UNKNOWN_ID)
    return stored


def _fields(call: Call, *, required: bool) -> list[str] | None:
    raw = params.required(call, "fields") if required else call.query("fields")
    return None if raw is None else [part.strip() for part in raw.split(",") if part.strip()]


async def list_locks(call: Call) -> Response:
    with call.tx() as conn:
        meta, record = _locked_record(conn, call, "read")
        names = _fields(call, required=True)
        page = params.page(call)
        if call.query("page_token"):  # a record has one lock at most: no list of it is ever paged by token
            raise ZohoError("INVALID_DATA", {"param_name": "page_token"}, rules.UNKNOWN_ID)
        wanted = {normalize_id(raw) for raw in params.csv(call, "ids")}
        stored = service.record_lock(conn, meta.id, record["id"], None)
    found = [stored.data] if stored is not None and (not wanted or stored.id in wanted) else []
    chunk = found[page.offset : page.offset + page.per_page]
    if not chunk:
        return no_content()
    data = [rules.wire_lock(lock, names) for lock in chunk]
    return reply({"data": data, "info": page.info(len(data), len(found) > page.offset + len(chunk))})


async def get_lock(call: Call) -> Response:
    with call.tx() as conn:
        meta, record = _locked_record(conn, call, "read")
        stored = _lock_in_path(conn, call, meta, record["id"])
    return reply({"data": [rules.wire_lock(stored.data, _fields(call, required=False))]})


async def lock_record(call: Call) -> Response:
    with call.tx() as conn:
        meta, record = _locked_record(conn, call, "update")
        item = only_item_of(call.json(), rules.LOCK_ENVELOPE)
        lock = service.lock(
            conn, call.org_id, meta.module, record, item, call.actor(conn), call.emulator.clock.now_ms()
        )
    return batch.answer("data", [batch.success(rules.LOCKED, rules.lock_details(lock))], all_ok=201)


async def update_lock(call: Call) -> Response:
    with call.tx() as conn:
        meta, record = _locked_record(conn, call, "update")
        stored = _lock_in_path(conn, call, meta, record["id"])
        item = only_item_of(call.json(), rules.LOCK_ENVELOPE)
        lock = service.relock(conn, stored, item, call.actor(conn), call.emulator.clock.now_ms())
    return batch.answer("data", [batch.success(rules.LOCK_UPDATED, rules.lock_details(lock))], all_ok=200)


async def unlock_record(call: Call) -> Response:
    with call.tx() as conn:
        meta, record = _locked_record(conn, call, "update")
        stored = _lock_in_path(conn, call, meta, record["id"])
        service.unlock(conn, stored)
    return batch.answer("data", [batch.success(rules.UNLOCKED, {"id": stored.id})], all_ok=200)


def _in_file_terms(handler: Callable[[Call], Awaitable[Response]]) -> Callable[[Call], Awaitable[Response]]:
    async def run(call: Call) -> Response:
        with rules.file_messages():
            return await handler(call)

    return run


def _endpoint(method: str, path: str, handler: Callable[[Call], Awaitable[Response]]) -> Endpoint:
    return Endpoint(method, path, _in_file_terms(handler), SCOPE, since=SINCE, permission=PERMISSION)


def _lock_endpoint(method: str, path: str, handler: Callable[[Call], Awaitable[Response]]) -> Endpoint:
    return Endpoint(method, path, _in_file_terms(handler), LOCK_SCOPE, since=SINCE)


LOCKS = "/{module}/{record_id}/Locking_Information__s"
ENDPOINTS = [
    _endpoint("GET", "/settings/record_locking_configurations", list_configs),
    _endpoint("POST", "/settings/record_locking_configurations", create_configs),
    _endpoint("PUT", "/settings/record_locking_configurations", update_configs),
    _endpoint("DELETE", "/settings/record_locking_configurations", delete_configs),
    _endpoint("GET", "/settings/record_locking_configurations/{config_id}", get_config),
    _endpoint("PUT", "/settings/record_locking_configurations/{config_id}", update_config),
    _endpoint("DELETE", "/settings/record_locking_configurations/{config_id}", delete_config),
]
# Before the related-records paths: /{module}/{record_id}/{related_list} would take them.
LOCK_ENDPOINTS = [
    _lock_endpoint("GET", LOCKS, list_locks),
    _lock_endpoint("POST", LOCKS, lock_record),
    _lock_endpoint("GET", LOCKS + "/{lock_id}", get_lock),
    _lock_endpoint("PUT", LOCKS + "/{lock_id}", update_lock),
    _lock_endpoint("DELETE", LOCKS + "/{lock_id}", unlock_record),
]
