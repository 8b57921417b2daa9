"""``/settings/layouts`` (REFERENCE §3.3; OAS layouts.json; Zoho doc pages "Update Custom Layout",
"Delete Custom Layout", "Activate Custom Layout", "Deactivate Custom Layout"): each module's
layouts, their sections filled with the module's current fields; changing a layout's sections,
deleting or deactivating a custom layout (``transfer_to`` another active one) and activating it.

Every call takes ``?module=``. A layout the path names that is not one of the module's is
INVALID_DATA ``{resource_path_index}``; the deletes take ``transfer_to`` (REQUIRED_PARAM_MISSING
without it). The answers are ``{"layouts": [{code, details: {id}, message, status}]}``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.fields.rules import require_metadata_module
from zcrm_emulator.resources.layouts import repo, rules, service
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of, only_item_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.layouts"
ENVELOPE = "layouts"


def _layouts(call: Call, conn: Connection) -> tuple[list[dict[str, Any]], int]:
    """The module's layouts as objects, and when they (or the fields in them) last changed."""
    module = require_metadata_module(modules_repo.find(conn, call.org_id, params.required(call, "module")))
    fields = fields_repo.list_fields(conn, module.id)
    now = call.emulator.clock.now_ms()
    repo.ensure_standard(conn, call.org_id, module.id, fields, rules.template(module.data), now)
    rows = repo.list_layouts(conn, module.id)
    changed = max([r.modified_ms for r in rows] + [fields_repo.latest_modified(conn, module.id) or 0])
    return [rules.layout_object(r.data, r.id, fields) for r in rows], changed


async def list_layouts(call: Call) -> Response:
    with call.tx() as conn:
        layouts, changed = _layouts(call, conn)
    if params.not_modified(call, changed):
        return no_content(304)
    return reply({"layouts": layouts})


async def get_layout(call: Call) -> Response:
    with call.tx() as conn:
        layouts, changed = _layouts(call, conn)
    chosen = [layout for layout in layouts if layout["id"] == call.params["layout_id"]]
    if not chosen:
        return no_content()
    if params.not_modified(call, changed):
        return no_content(304)
    return reply({"layouts": chosen})


def _module(conn: Connection, call: Call) -> modules_repo.ModuleRef:
    module = require_metadata_module(modules_repo.find(conn, call.org_id, params.required(call, "module")))
    # The module's Standard layout exists before anything is asked of its layouts.
    fields = fields_repo.list_fields(conn, module.id)
    repo.ensure_standard(
        conn, call.org_id, module.id, fields, rules.template(module.data), call.emulator.clock.now_ms()
    )
    return module


async def update_layouts(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        items = items_of(call.json(), ENVELOPE)
        actor, now = call.actor(conn), call.emulator.clock.now_ms()

        def write(item: Any, path: str) -> str:
            clean = rules.UPDATE_WITH_ID.check(item, path)
            layout = service.for_item(conn, module, clean["id"], path)
            return service.update_sections(conn, call.org_id, layout, clean, path, actor=actor, now_ms=now)

        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"
            results.append(batch.attempt(conn, rules.UPDATED, partial(write, item, path)))
    return batch.answer(ENVELOPE, results, all_ok=200)


async def update_layout(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        layout = service.in_path(conn, module, call.params["layout_id"])
        item = only_item_of(call.json(), ENVELOPE)
        actor, now = call.actor(conn), call.emulator.clock.now_ms()
        path = f"$.{ENVELOPE}[0]"

        def write() -> str:
            clean = rules.UPDATE.check(item, path)
            return service.update_sections(conn, call.org_id, layout, clean, path, actor=actor, now_ms=now)

        results = [batch.attempt(conn, rules.UPDATED, write)]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def delete_layout(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        transfer_to = params.required(call, "transfer_to")
        layout = service.in_path(conn, module, call.params["layout_id"])
        done = service.delete(conn, layout, transfer_to, call.emulator.clock.now_ms())
    return batch.answer(ENVELOPE, [batch.success(rules.DELETED, {"id": done})], all_ok=200)


async def deactivate_layout(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        transfer_to = params.required(call, "transfer_to")
        layout = service.in_path(conn, module, call.params["layout_id"])
        actor, now = call.actor(conn), call.emulator.clock.now_ms()
        done = service.deactivate(conn, layout, transfer_to, actor=actor, now_ms=now)
    return batch.answer(ENVELOPE, [batch.success(rules.DEACTIVATED, {"id": done})], all_ok=200)


async def activate_layout(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        layout = service.in_path(conn, module, call.params["layout_id"])
        item = only_item_of(call.json(), ENVELOPE)
        actor, now = call.actor(conn), call.emulator.clock.now_ms()
        path = f"$.{ENVELOPE}[0]"

        def write() -> str:
            clean = rules.ACTIVATE.check(item, path)
            return service.activate(conn, call.org_id, layout, clean, path, actor=actor, now_ms=now)

        results = [batch.attempt(conn, rules.ACTIVATED, write)]
    return batch.answer(ENVELOPE, results, all_ok=200)


ENDPOINTS = [
    Endpoint("GET", "/settings/layouts", list_layouts, SCOPE),
    Endpoint("PATCH", "/settings/layouts", update_layouts, SCOPE),
    Endpoint("GET", "/settings/layouts/{layout_id}", get_layout, SCOPE),
    Endpoint("PATCH", "/settings/layouts/{layout_id}", update_layout, SCOPE),
    Endpoint("DELETE", "/settings/layouts/{layout_id}", delete_layout, SCOPE),
    Endpoint("POST", "/settings/layouts/{layout_id}/actions/activate", activate_layout, SCOPE),
    Endpoint("DELETE", "/settings/layouts/{layout_id}/actions/activate", deactivate_layout, SCOPE),
]
