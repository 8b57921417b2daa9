"""``/settings/roles`` (REFERENCE §3.5; OAS roles.json)."""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import params
from zcrm_emulator.resources.roles import repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.roles"


async def list_roles(call: Call) -> Response:
    with call.tx() as conn:
        if params.not_modified(call, repo.latest_modified(conn, call.org_id)):
            return no_content(304)
        rows = repo.list_roles(conn, call.org_id)
    return reply({"roles": rows}) if rows else no_content()


async def get_role(call: Call) -> Response:
    with call.tx() as conn:
        role = repo.get_role(conn, call.org_id, call.params["role_id"])
    return reply({"roles": [role]}) if role is not None else no_content()


ENDPOINTS = [
    Endpoint("GET", "/settings/roles", list_roles, SCOPE),
    Endpoint("GET", "/settings/roles/{role_id}", get_role, SCOPE),
]
