"""``/settings/custom_links`` (seed "Create Custom Links"; REFERENCE §3.8; no OAS file exists).

Create, list and read take ``?module=`` (REQUIRED_PARAM_MISSING without it); so do updates. Deletes
take the link id in the path or ``?ids=`` (``module`` optional there). At most 10 links per module.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.custom_links import repo, rules, service
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.store.documents import Stored
from zcrm_emulator.validation import items_of, only_item_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.custom_links"
ENVELOPE = "custom_links"
PERMISSION = "Crm_Implied_Customize_Zoho_CRM"
SINCE = "v8"  # the only version whose docs have custom links (docs/decisions.md, §9 #21)
LINKABLE_TYPES = frozenset({"default", "custom"})


def _module(conn: Connection, call: Call) -> modules_repo.ModuleRef:
    """The ``module`` query parameter's module: REQUIRED_PARAM_MISSING / INVALID_MODULE."""
    found = modules_repo.find(conn, call.org_id, params.required(call, "module"))
    if found is None or not found.api_supported or found.generated_type not in LINKABLE_TYPES:
        raise ZohoError("INVALID_MODULE", {"api_name": "module"})
    return found


def _optional_module(conn: Connection, call: Call) -> modules_repo.ModuleRef | None:
    return _module(conn, call) if (call.query("module") or "").strip() else None


def _context(conn: Connection, call: Call, module: modules_repo.ModuleRef) -> service.LinkContext:
    return service.context(conn, call.org_id, module, call.actor(conn), call.emulator.clock.now_ms())


async def create_links(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        items = items_of(call.json(), ENVELOPE)
        ctx = _context(conn, call, module)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"
            write = partial(service.create_link, conn, ctx, item, path, ENVELOPE)
            results.append(batch.attempt(conn, rules.CREATED, write, json_path=path))
    return batch.answer(ENVELOPE, results, all_ok=201)


async def list_links(call: Call) -> Response:
    page = params.page(call)
    with call.tx() as conn:
        module = _module(conn, call)
        links = repo.LINKS.list(conn, call.org_id, module.id)
    chunk, info = page.slice(links)
    return reply({ENVELOPE: chunk, "info": info}) if chunk else no_content()


async def get_link(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        link_id = normalize_id(call.params["link_id"])
        stored = repo.LINKS.get(conn, call.org_id, link_id) if link_id else None
    if stored is None or stored.scope_id != module.id:
        return no_content()
    return reply({ENVELOPE: [stored.data]})


async def update_links(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        items = items_of(call.json(), ENVELOPE)
        ctx = _context(conn, call, module)

        def update(item: Any, json_path: str) -> str:
            return service.update_link(conn, ctx, service.link_for_item(conn, ctx, item, json_path), item, json_path)

        results = batch.each(conn, ENVELOPE, items, rules.UPDATED, update)
    return batch.answer(ENVELOPE, results, all_ok=200)


async def update_link(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        stored = _stored_in_path(conn, call, module)
        item = only_item_of(call.json(), ENVELOPE)
        ctx = _context(conn, call, module)
        path = f"$.{ENVELOPE}[0]"
        write = partial(service.update_link, conn, ctx, stored, item, path)
        results = [batch.attempt(conn, rules.UPDATED, write, json_path=path)]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def delete_link(call: Call) -> Response:
    with call.tx() as conn:
        module = _optional_module(conn, call)
        stored = _stored_in_path(conn, call, module)
        repo.LINKS.delete(conn, stored.id)
    return batch.answer(ENVELOPE, [batch.success(rules.DELETED, {"id": stored.id})], all_ok=200)


async def delete_links(call: Call) -> Response:
    wanted = list(dict.fromkeys(params.csv(call, "ids")))
    if not wanted:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"})
    if len(wanted) > rules.IDS_MAX:
        raise ZohoError("LIMIT_EXCEEDED", {"param_name": "ids", "limit": rules.IDS_MAX})
    with call.tx() as conn:
        module = _optional_module(conn, call)
        results = []
        for raw in wanted:
            link_id = normalize_id(raw)
            stored = repo.LINKS.get(conn, call.org_id, link_id) if link_id else None
            if stored is None or (module is not None and stored.scope_id != module.id):
                results.append(batch.failure(ZohoError("INVALID_DATA", {"id": raw}, rules.UNKNOWN_ID)))
                continue
            repo.LINKS.delete(conn, stored.id)
            results.append(batch.success(rules.DELETED, {"id": stored.id}))
    return batch.answer(ENVELOPE, results, all_ok=200)


def _stored_in_path(conn: Connection, call: Call, module: modules_repo.ModuleRef | None) -> Stored:
    """The link the path names: bare INVALID_DATA ``{resource_path_index}`` when there is none."""
    link_id = normalize_id(call.params["link_id"])
    stored = repo.LINKS.get(conn, call.org_id, link_id) if link_id else None
    if stored is None or (module is not None and stored.scope_id != module.id):
        raise ZohoError("INVALID_DATA", {"resource_path_index": 0}, rules.UNKNOWN_ID)
    return stored


def _endpoint(method: str, path: str, handler: Any) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, since=SINCE, permission=PERMISSION)


ENDPOINTS = [
    _endpoint("POST", "/settings/custom_links", create_links),
    _endpoint("GET", "/settings/custom_links", list_links),
    _endpoint("PUT", "/settings/custom_links", update_links),
    _endpoint("DELETE", "/settings/custom_links", delete_links),
    _endpoint("GET", "/settings/custom_links/{link_id}", get_link),
    _endpoint("PUT", "/settings/custom_links/{link_id}", update_link),
    _endpoint("DELETE", "/settings/custom_links/{link_id}", delete_link),
]
