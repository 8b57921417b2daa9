"""``/settings/global_picklists`` (OAS global_picklists.json; the v8 "Get Global Picklists", "Create
Global Picklist", "Update Global Picklist", "Delete Global Picklist", "Replace Global PickList
Value" and "Get the Status of a Scheduled Replace Job" pages) and a field's options
(``/settings/fields/{field_id}/pick_list_values``, OAS pick_list_values.json).

Reads answer 204 when there is nothing to show; the list shows each set's options only when
``include`` asks for them. Writes answer one result per item inside ``global_picklists`` (create and
the update of many 201, as the file has them; the rest 200; 207 mixed). A replacement is done at
once, so none is ever pending (``replaced_values`` answers 204). A path id no set has is a bare
INVALID_DATA at its segment.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.fields import rules as fields_rules
from zcrm_emulator.resources.global_picklists import rules, service
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.territories.rules import one_item
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.global_picklist"
FIELDS_SCOPE = "ZohoCRM.settings.fields"
CUSTOMIZE = "Crm_Implied_Customize_Zoho_CRM"  # the profile permission settings writes need
ENVELOPE = rules.ENVELOPE
INNER_DETAILS = ("used_in_modules.plural_label", "used_in_modules.module_name")
ASSOCIATION_DETAILS = ("module.plural_label", "module.module_name", "layouts.status")


def _context(call: Call) -> service.Context:
    return service.Context.of(call)


def _inner(call: Call, allowed: tuple[str, ...]) -> frozenset[str]:
    parts = frozenset(params.csv(call, "include_inner_details"))
    if not parts <= set(allowed):
        raise ZohoError("INVALID_DATA", {"param_name": "include_inner_details", "supported_values": list(allowed)})
    return parts


def _wire(
    ctx: service.Context, picklist: rules.Picklist, include: frozenset[str], inner: frozenset[str], *, listed: bool
) -> rules.Picklist:
    wire = service.shown(ctx.conn, ctx.org_id, picklist, include)
    if listed and "pick_list_values" not in include:
        del wire["pick_list_values"]
    if "used_in_modules" in wire:
        modules = {m["id"]: m for m, _f in service.associations(ctx.conn, ctx.org_id, picklist["id"])}
        for used in wire["used_in_modules"]:
            for detail in inner:
                key = detail.split(".", 1)[1]
                used[key] = modules[used["id"]][key]
    return wire


# --- reads -----------------------------------------------------------------------------------------
async def list_picklists(call: Call) -> Response:
    include = rules.parse_include(call.query("include"))
    inner = _inner(call, INNER_DETAILS)
    with call.tx():
        ctx = _context(call)
        found = service.all_picklists(ctx.conn, ctx.org_id)
        rows = [_wire(ctx, p, include, inner, listed=True) for p in found]
    return reply({ENVELOPE: rows}) if rows else no_content()


async def get_picklist(call: Call) -> Response:
    include = rules.parse_include(call.query("include"))
    inner = _inner(call, INNER_DETAILS)
    with call.tx():
        ctx = _context(call)
        found = service.find(ctx.conn, ctx.org_id, call.params["id"])
        if found is None:
            return no_content()
        wire = _wire(ctx, found, include, inner, listed=False)
    return reply({ENVELOPE: [wire]})


async def associations(call: Call) -> Response:
    inner = _inner(call, ASSOCIATION_DETAILS)
    page = params.page(call)
    with call.tx():
        ctx = _context(call)
        picklist = service.path_picklist(ctx.conn, ctx.org_id, call.params["id"])
        found = service.associations(ctx.conn, ctx.org_id, picklist["id"])
    rows = [_association(module, field, inner) for module, field in found]
    shown, info = page.slice(rows)
    return reply({"associations": shown, "info": info}) if shown else no_content()


def _association(module: dict[str, Any], field: dict[str, Any], inner: frozenset[str]) -> dict[str, Any]:
    """A field built on the set: its module (the plural label always, as the file requires it) and
    the layouts it is in (with their status)."""
    shown_module = {"plural_label": module["plural_label"], "api_name": module["api_name"], "id": module["id"]}
    if "module.module_name" in inner:
        shown_module["module_name"] = module["module_name"]
    layouts = [
        {"name": layout.get("name"), "id": layout.get("id"), "status": "active"}
        for layout in field.get("layout_associations") or []
    ]
    return {"field": {"api_name": field["api_name"], "id": field["id"]}, "module": shown_module, "layouts": layouts}


async def replaced_values(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        service.path_picklist(ctx.conn, ctx.org_id, call.params["id"])
    return no_content()  # a replacement is done at once: none is ever pending


# --- writes ----------------------------------------------------------------------------------------
def _create_item(ctx: service.Context, item: Any, path: str) -> str:
    return str(service.create(ctx, item, path)["id"])


def _update_item(ctx: service.Context, picklist: rules.Picklist | None, item: Any, path: str) -> str:
    if picklist is None:
        rules.item_object(item, path)
        if item.get("id") in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": f"{path}.id"})
        picklist = service.find(ctx.conn, ctx.org_id, item["id"])
        if picklist is None:
            raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{path}.id"}, Message.UNKNOWN_ID)
    return str(service.update(ctx, picklist, item, path)["id"])


def _items(call: Call, message: str, write: Callable[[service.Context, Any, str], str], all_ok: int) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = batch.each(ctx.conn, ENVELOPE, items, message, partial(write, ctx))
    return batch.answer(ENVELOPE, results, all_ok=all_ok)


async def create_picklists(call: Call) -> Response:
    return _items(call, rules.CREATED, _create_item, 201)


async def update_picklists(call: Call) -> Response:
    # global_picklists.json documents this update's success as 201 (CreateSuccessResponse), unlike
    # the update of one set (200): the file is followed.
    return _items(call, rules.UPDATED, partial(_update_item_of, None), 201)


def _update_item_of(picklist: rules.Picklist | None, ctx: service.Context, item: Any, path: str) -> str:
    return _update_item(ctx, picklist, item, path)


async def update_picklist(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        picklist = service.path_picklist(ctx.conn, ctx.org_id, call.params["id"])
        items = one_item(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        path = f"$.{ENVELOPE}[0]"
        write = partial(_update_item, ctx, picklist, items[0], path)
        result = batch.attempt(ctx.conn, rules.UPDATED, write, json_path=path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


def _delete_one(ctx: service.Context, raw_id: str) -> str:
    picklist = service.find(ctx.conn, ctx.org_id, raw_id)
    if picklist is None:
        raise ZohoError("INVALID_DATA", {"id": raw_id}, Message.UNKNOWN_ID)
    return service.delete(ctx, picklist)


async def delete_picklists(call: Call) -> Response:
    wanted = params.csv(call, "ids")
    if not wanted:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"})
    with call.tx():
        ctx = _context(call)
        service.take_turns(ctx.conn, ctx.org_id)
        results = [batch.attempt(ctx.conn, rules.DELETED, partial(_delete_one, ctx, raw)) for raw in wanted]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def delete_picklist(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        picklist = service.path_picklist(ctx.conn, ctx.org_id, call.params["id"])
        service.take_turns(ctx.conn, ctx.org_id)
        result = batch.attempt(ctx.conn, rules.DELETED, partial(service.delete, ctx, picklist))
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def replace_values(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        picklist = service.path_picklist(ctx.conn, ctx.org_id, call.params["id"])
        service.take_turns(ctx.conn, ctx.org_id)
        job_id = service.replace(ctx, picklist, call.json())
    done = batch.success(rules.REPLACE_SCHEDULED, {"job_id": job_id}, code="SCHEDULED")
    return reply({rules.REPLACE_KEY: [done]})


# --- a field's options (pick_list_values.json) -----------------------------------------------------
async def field_pick_list_values(call: Call) -> Response:
    name = params.required(call, "module")
    with call.tx() as conn:
        module = fields_rules.require_metadata_module(modules_repo.find(conn, call.org_id, name))
        field_id = normalize_id(call.params["field_id"])
        field = fields_repo.get_field(conn, module.id, field_id) if field_id else None
    if field is None:
        raise ZohoError("INVALID_DATA", {"id": call.params["field_id"]}, Message.UNKNOWN_ID)
    layouts = [
        {"api_name": layout.get("api_name"), "name": layout.get("name"), "id": layout.get("id")}
        for layout in field.get("layout_associations") or []
    ]
    values = [
        {
            "sequence_number": value.get("sequence_number"),
            "display_value": value.get("display_value"),
            "reference_value": value.get("reference_value") or value.get("display_value"),
            "colour_code": value.get("colour_code"),
            "actual_value": value.get("actual_value"),
            "id": value.get("id"),
            "type": value.get("type") or "used",
            "layout_associations": layouts,
        }
        for value in field.get("pick_list_values") or []
    ]
    return reply({"pick_list_values": values}) if values else no_content()


def _write(method: str, path: str, handler: Callable[[Call], Any], operation: str | None = None) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, permission=CUSTOMIZE, operation=operation)


G = "/settings/global_picklists"
ENDPOINTS = [
    Endpoint("GET", G, list_picklists, SCOPE),
    _write("POST", G, create_picklists),
    _write("PATCH", G, update_picklists),
    _write("DELETE", G, delete_picklists),
    # The v8 Replace page asks for the CREATE scope (or ALL).
    _write("POST", f"{G}/{{id}}/actions/replace_picklist_values", replace_values),
    Endpoint("GET", f"{G}/{{id}}/actions/replaced_values", replaced_values, SCOPE),
    Endpoint("GET", f"{G}/{{id}}/actions/associations", associations, SCOPE),
    Endpoint("GET", f"{G}/{{id}}", get_picklist, SCOPE),
    _write("PATCH", f"{G}/{{id}}", update_picklist),
    _write("DELETE", f"{G}/{{id}}", delete_picklist),
    Endpoint("GET", "/settings/fields/{field_id}/pick_list_values", field_pick_list_values, FIELDS_SCOPE),
]
