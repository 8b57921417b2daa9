"""``/settings/fields`` (REFERENCE §3.2; OAS fields.json; the v8 "Create Custom Fields", "Update
Custom Fields" and "Delete Custom Field" pages).

The field objects are stored whole, so what a client (and the official SDK, which reads this
before its first record call on a module) gets is exactly the stored Zoho shape. Writes answer one
result per item in the ``fields`` envelope; a create's or update's body errors come inside it (OAS
fields.json ``ErrorResponse``), a bad ``module`` param bare, as a delete's (``RootResponse``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.fields import repo, rules, service
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.routing import Call, Endpoint, InEnvelope
from zcrm_emulator.validation import items_of, only_item_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.fields"
CUSTOMIZE = "Crm_Implied_Customize_Zoho_CRM"  # the profile permission field writes need


async def list_fields(call: Call) -> Response:
    name = params.required(call, "module")
    kind = rules.type_filter(call.query("type"))
    with call.tx() as conn:
        module = rules.require_metadata_module(modules_repo.find(conn, call.org_id, name))
        if params.not_modified(call, repo.latest_modified(conn, module.id)):
            return no_content(304)
        chosen = rules.select_fields(repo.list_fields(conn, module.id), kind)
    return reply({"fields": chosen}) if chosen else no_content()


async def get_field(call: Call) -> Response:
    name = params.required(call, "module")
    with call.tx() as conn:
        module = rules.require_metadata_module(modules_repo.find(conn, call.org_id, name))
        field = repo.get_field(conn, module.id, call.params["field_id"])
    if field is None:
        return no_content()
    return reply({"fields": [field]})


def _context(conn: Connection, call: Call) -> service.FieldContext:
    module = rules.require_metadata_module(modules_repo.find(conn, call.org_id, params.required(call, "module")))
    return service.context(conn, call.org_id, module, call.actor(conn), call.emulator.clock.now_ms())


async def create_fields(call: Call) -> Response:
    with call.tx() as conn:
        ctx = _context(conn, call)
        items = items_of(call.json(), rules.ENVELOPE)
        results = []
        for i, item in enumerate(items):
            path = f"$.{rules.ENVELOPE}[{i}]"
            write = partial(service.create_field, conn, ctx, item, path)
            results.append(batch.attempt(conn, rules.CREATED, write, json_path=path))
    return batch.answer(rules.ENVELOPE, results, all_ok=201)


async def update_fields(call: Call) -> Response:
    with call.tx() as conn:
        ctx = _context(conn, call)
        items = items_of(call.json(), rules.ENVELOPE, max_items=rules.UPDATE_MAX)

        def update(item: Any, json_path: str) -> str:
            return service.update_field(conn, ctx, service.field_for_item(conn, ctx, item, json_path), item, json_path)

        results = []
        for i, item in enumerate(items):
            path = f"$.{rules.ENVELOPE}[{i}]"
            results.append(batch.attempt(conn, rules.UPDATED, partial(update, item, path), json_path=path))
    return batch.answer(rules.ENVELOPE, results, all_ok=200)


async def update_field(call: Call) -> Response:
    with call.tx() as conn:
        ctx = _context(conn, call)
        item = only_item_of(call.json(), rules.ENVELOPE)
        path = f"$.{rules.ENVELOPE}[0]"

        def update() -> str:
            field = service.field_in_path(conn, ctx, normalize_id(call.params["field_id"]), path)
            return service.update_field(conn, ctx, field, item, path)

        results = [batch.attempt(conn, rules.UPDATED, update, json_path=path)]
    return batch.answer(rules.ENVELOPE, results, all_ok=200)


async def delete_field(call: Call) -> Response:
    with call.tx() as conn:
        ctx = _context(conn, call)
        deleted = service.delete_field(conn, ctx, normalize_id(call.params["field_id"]))
    return batch.answer(rules.ENVELOPE, [batch.success(rules.DELETED, {"id": deleted})], all_ok=200)


# A create's or update's body errors come inside the envelope (fields.json ErrorResponse); a bad
# ``module`` param is answered bare, as fields.json documents it for the delete (RootResponse).
IN_ENVELOPE = InEnvelope(rules.ENVELOPE, frozenset({"MANDATORY_NOT_FOUND", "INVALID_DATA", "LIMIT_EXCEEDED"}))

ENDPOINTS = [
    Endpoint("GET", "/settings/fields", list_fields, SCOPE),
    Endpoint("POST", "/settings/fields", create_fields, SCOPE, permission=CUSTOMIZE, errors_in=IN_ENVELOPE),
    Endpoint("PATCH", "/settings/fields", update_fields, SCOPE, permission=CUSTOMIZE, errors_in=IN_ENVELOPE),
    Endpoint("GET", "/settings/fields/{field_id}", get_field, SCOPE),
    Endpoint("PATCH", "/settings/fields/{field_id}", update_field, SCOPE, permission=CUSTOMIZE, errors_in=IN_ENVELOPE),
    Endpoint("DELETE", "/settings/fields/{field_id}", delete_field, SCOPE, permission=CUSTOMIZE),
]
