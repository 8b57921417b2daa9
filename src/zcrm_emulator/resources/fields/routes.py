"""``/settings/fields`` reads (REFERENCE §3.2; OAS fields.json "Get Fields").

The field objects are stored whole, so what a client (and the official SDK, which reads this
before its first record call on a module) gets is exactly the stored Zoho shape.
"""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import params
from zcrm_emulator.resources.fields import repo, rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.fields"


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


ENDPOINTS = [
    Endpoint("GET", "/settings/fields", list_fields, SCOPE),
    Endpoint("GET", "/settings/fields/{field_id}", get_field, SCOPE),
]
