"""``GET /org``: an array of one org object (REFERENCE §3.7; OAS org.json)."""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator.resources.org import repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import reply


async def get_org(call: Call) -> Response:
    with call.tx() as conn:
        data = repo.get_org(conn, call.org_id)
    return reply({"org": [data]})


ENDPOINTS = [Endpoint("GET", "/org", get_org, "ZohoCRM.org")]
