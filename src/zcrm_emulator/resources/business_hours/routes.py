"""``/settings/business_hours`` (OAS business_hours.json; Zoho's v8 "Add / Update / Get Business
Hours" pages and per-operation examples).

Request-level errors of a create or an update are answered inside the ``business_hours`` object,
except a body without that key (bare MANDATORY_NOT_FOUND, the file's root alternative) and a second
create (bare NOT_ALLOWED, Zoho's example). Create answers 201, update 200, GET 204 until set.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.business_hours import rules, service
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import error_reply, no_content, reply

SCOPE = "ZohoCRM.settings.business_hours"
PERMISSION = "Crm_Implied_Manage_Users"  # the permission Zoho's 403 examples name
ENVELOPE = rules.ENVELOPE
BARE = frozenset({"NOT_ALLOWED"})


async def get_business_hours(call: Call) -> Response:
    with call.tx() as conn:
        stored = service.current(conn, call.org_id)
        timezone = str(org_repo.get_org(conn, call.org_id).get("time_zone") or "UTC")
    return reply({ENVELOPE: rules.wire(stored, timezone)}) if stored is not None else no_content()


def _save(call: Call, write: Callable[..., str], status: int, bare: frozenset[str]) -> Response:
    item = rules.business_hours_of(call.json())
    try:
        with call.tx() as conn:
            service.take_turns(conn, call.org_id)
            hours_id = write(conn, call.org_id, item, call.emulator.clock.now_ms())
    except ZohoError as error:
        if error.code in bare:
            return error_reply(error)
        return reply({ENVELOPE: error.as_item()}, status=error.status)
    success = {"code": "SUCCESS", "details": {"id": hours_id}, "message": rules.SAVED, "status": "success"}
    return reply({ENVELOPE: success}, status=status)


async def create_business_hours(call: Call) -> Response:
    return _save(call, service.create, 201, BARE)


async def update_business_hours(call: Call) -> Response:
    return _save(call, service.update, 200, frozenset())


ENDPOINTS = [
    Endpoint("GET", "/settings/business_hours", get_business_hours, SCOPE),
    Endpoint("POST", "/settings/business_hours", create_business_hours, SCOPE, permission=PERMISSION),
    Endpoint("PUT", "/settings/business_hours", update_business_hours, SCOPE, permission=PERMISSION),
]
