"""``/settings/automation/field_updates`` (AUTOMATION.md §4; OASx createFieldUpdates,
getFieldUpdates, getFieldUpdateById, updateFieldUpdateById, deleteFieldUpdates,
deleteFieldUpdateById).

Create and update take exactly one field update (``{"field_updates": [one]}``); errors of the item
come inside the envelope. A field update a workflow rule uses cannot be deleted (NOT_ALLOWED).
"""

from __future__ import annotations

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator import params as base_params
from zcrm_emulator.automation import lookups, params, saved_routes
from zcrm_emulator.automation.writer import Writer
from zcrm_emulator.clock import parse_iso
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.field_updates import repo, rules, service
from zcrm_emulator.routing import Call
from zcrm_emulator.validation import only_item_of
from zcrm_emulator.wire import no_content, reply

ENVELOPE = rules.ENVELOPE
INNER_DETAILS = ("field_label", "enable_colour_code", "pick_list_values.colour_code", "data_type", "display_value")


def _writer(conn: Connection, call: Call) -> Writer:
    service.take_turns(conn, call.org_id)
    return Writer(call.org_id, call.actor(conn), call.emulator.clock.now_ms())


def _inner_details(call: Call) -> None:
    """``include_inner_details`` takes a comma-separated list of these; the emulator's objects
    already hold what it adds that the OAS allows (docs/decisions.md)."""
    for value in base_params.csv(call, "include_inner_details"):
        if value not in INNER_DETAILS:
            raise params.invalid_param("include_inner_details")


async def create_field_update(call: Call) -> Response:
    item = only_item_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        writer = _writer(conn, call)
        path = f"$.{ENVELOPE}[0]"
        result = batch.attempt(
            conn,
            rules.CREATED,
            lambda: service.create(conn, writer, call.emulator.memo, item, path),
            json_path=path,
        )
    return batch.answer(ENVELOPE, [result], all_ok=201)


async def list_field_updates(call: Call) -> Response:
    page = base_params.page(call)
    sort_by = params.choice(call, "sort_by", ("modified_time",))
    order = params.sort_order(call, "asc")
    _inner_details(call)
    feature = call.query("feature_type")
    if feature and feature not in rules.FEATURE_TYPES:
        raise ZohoError("INVALID_DATA", {"param_name": "feature_type"}, Message.FEATURE_NAME_INVALID)
    with call.tx() as conn:
        module = lookups.module_param(conn, call)
        items = repo.FIELD_UPDATES.list(conn, call.org_id)
        if module is not None:
            items = [i for i in items if i["module"]["id"] == module.id]
        if sort_by is not None:
            items.sort(key=lambda i: (parse_iso(i["modified_time"]) or 0, i["id"]), reverse=order == "desc")
        chunk, info = page.slice(items)
        shown = service.present(conn, call.org_id, chunk, one=False)
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


async def get_field_update(call: Call) -> Response:
    _inner_details(call)
    with call.tx() as conn:
        stored = service.SAVED.get(conn, call.org_id, call.params["id"])
        if stored is None:
            return no_content()
        shown = service.present(conn, call.org_id, [stored.data], one=True)
    return reply({ENVELOPE: shown})


async def update_field_update(call: Call) -> Response:
    item = only_item_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        stored = service.SAVED.in_path(conn, call)
        writer = _writer(conn, call)
        path = f"$.{ENVELOPE}[0]"
        result = batch.attempt(
            conn,
            rules.UPDATED,
            lambda: service.update(conn, writer, call.emulator.memo, stored, item, path),
            json_path=path,
        )
    return batch.answer(ENVELOPE, [result], all_ok=200)


delete_field_update, delete_field_updates = saved_routes.deletes(service.SAVED, ENVELOPE, rules.DELETED)


ENDPOINTS = [
    saved_routes.endpoint("POST", "/settings/automation/field_updates", create_field_update),
    saved_routes.endpoint("GET", "/settings/automation/field_updates", list_field_updates),
    saved_routes.endpoint("DELETE", "/settings/automation/field_updates", delete_field_updates),
    saved_routes.endpoint("GET", "/settings/automation/field_updates/{id}", get_field_update),
    saved_routes.endpoint("PUT", "/settings/automation/field_updates/{id}", update_field_update),
    saved_routes.endpoint("DELETE", "/settings/automation/field_updates/{id}", delete_field_update),
]
