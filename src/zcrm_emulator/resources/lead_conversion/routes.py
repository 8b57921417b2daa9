"""Lead conversion over HTTP (OAS convert_lead.json, convert.json, conversion_option.json,
mass_convert.json):

    POST /Leads/{record_id}/actions/convert      one lead into a Contact, an Account and a Deal
    GET  /Leads/{record_id}/__conversion_options  existing records the lead matches
    POST /Leads/actions/mass_convert              up to 50 leads, as a job
    GET  /Leads/actions/mass_convert?job_id=      the job's status

A lead id naming no live lead, or a converted one, is a bare error (``resource_path_index``); what
is wrong with the request item (its keys, its ids, a Deal field) comes inside ``data`` with 400,
and the conversion's writes are undone. Mass convert's request-level errors are bare.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.resources.lead_conversion import rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.usage import weights
from zcrm_emulator.validation import only_item_of
from zcrm_emulator.wire import no_content, reply

ENVELOPE = "data"
ITEM_PATH = "$.data[0]"
OPTIONS_SINCE = "v5"  # the "Lead Conversion Options" API is named from the v5 Convert Lead page on
MASS_CONVERT_SINCE = "v4"  # the "Mass Convert Lead" pages start at v4


def _scopes(*acceptable: str) -> Callable[[Call], Sequence[str]]:
    return lambda call: list(acceptable)


def _context(call: Call, action: str) -> service.Context:
    return service.context(
        call.conn,
        call.org_id,
        call.user_id,
        call.emulator.clock.now_ms(),
        call.emulator.memo,
        Cause(None, call.request_id),
        action=action,
    )


async def convert_lead(call: Call) -> Response:
    """POST /Leads/{record_id}/actions/convert: 200 with the records made or used, else the item's
    error inside ``data`` (400) with nothing written."""
    with call.tx():
        ctx = _context(call, "update")
        lead = service.find_lead(ctx, call.params["record_id"])
        item = only_item_of(call.json(), ENVELOPE)
        details: list[dict[str, Any]] = []

        def write() -> str:
            request = rules.read_request(item, ITEM_PATH)
            details.append(service.convert(ctx, lead, request))
            return lead.id

        result = batch.attempt(call.conn, rules.CONVERTED, write, json_path=ITEM_PATH)
    if result["status"] != "success":
        return batch.answer(ENVELOPE, [result], all_ok=200)
    return reply({ENVELOPE: [batch.success(rules.CONVERTED, details[0])]})


async def conversion_options(call: Call) -> Response:
    """GET /Leads/{record_id}/__conversion_options; 204 for an id naming no lead to convert."""
    with call.tx():
        ctx = _context(call, "read")
        try:
            lead = service.find_lead(ctx, call.params["record_id"])
        except ZohoError:
            return no_content()
        found = service.options(ctx, lead)
    return reply({"__conversion_options": found})


async def mass_convert(call: Call) -> Response:
    """POST /Leads/actions/mass_convert: the job, run to its end, answered ``SCHEDULED``."""
    with call.tx():
        ctx = _context(call, "update")
        job_id = service.mass_convert(ctx, call.json())
    return reply(batch.success(rules.SCHEDULED, {"job_id": job_id}, code="SCHEDULED"))


async def mass_convert_status(call: Call) -> Response:
    """GET /Leads/actions/mass_convert?job_id=…"""
    with call.tx() as conn:
        status = service.job(conn, call.org_id, call.query("job_id"))
    return reply({ENVELOPE: [status]})


ENDPOINTS = [
    Endpoint(
        "POST",
        "/Leads/{record_id}/actions/convert",
        convert_lead,
        _scopes("ZohoCRM.modules.leads.CREATE"),
        credits=weights.WEIGHTS["convert_lead"],
    ),
    Endpoint(
        "GET",
        "/Leads/{record_id}/__conversion_options",
        conversion_options,
        _scopes("ZohoCRM.modules.leads.READ"),
        since=OPTIONS_SINCE,
    ),
    Endpoint(
        "POST",
        "/Leads/actions/mass_convert",
        mass_convert,
        _scopes("ZohoCRM.mass_convert.leads.CREATE"),
        since=MASS_CONVERT_SINCE,
    ),
    Endpoint(
        "GET",
        "/Leads/actions/mass_convert",
        mass_convert_status,
        _scopes("ZohoCRM.mass_convert.leads.READ"),
        since=MASS_CONVERT_SINCE,
    ),
]
