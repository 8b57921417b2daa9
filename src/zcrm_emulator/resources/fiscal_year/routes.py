"""``/settings/fiscal_year`` (OAS fiscal_year.json; the v8 fiscal year pages and Zoho's per-operation
examples). An update's errors are answered inside the ``fiscal_year`` object, as the examples show,
except a body without that key: bare MANDATORY_NOT_FOUND, the file's documented 400."""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.fiscal_year import rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import reply

SCOPE = "ZohoCRM.settings.fiscal_year"
ENVELOPE = rules.ENVELOPE


async def get_fiscal_year(call: Call) -> Response:
    with call.tx() as conn:
        return reply({ENVELOPE: service.current(conn, call.org_id)})


async def update_fiscal_year(call: Call) -> Response:
    item = rules.fiscal_year_of(call.json())
    with call.tx() as conn:
        actor = call.actor(conn)
        try:  # checked before anything is written: a refusal leaves nothing to undo
            year_id = service.update(conn, call.org_id, actor, item, call.emulator.clock.now_ms())
        except ZohoError as error:
            return reply({ENVELOPE: error.as_item()}, status=error.status)
    success = {"code": "SUCCESS", "details": {"id": year_id}, "message": rules.UPDATED, "status": "success"}
    return reply({ENVELOPE: success})


ENDPOINTS = [
    Endpoint("GET", "/settings/fiscal_year", get_fiscal_year, SCOPE),
    Endpoint("PUT", "/settings/fiscal_year", update_fiscal_year, SCOPE),
]
