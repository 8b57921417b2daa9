"""``/settings/layouts`` reads (REFERENCE §3.3; OAS layouts.json): each module's Standard layout,
its sections built from the module's current fields."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import params
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.fields.rules import require_metadata_module
from zcrm_emulator.resources.layouts import repo, rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.layouts"


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


ENDPOINTS = [
    Endpoint("GET", "/settings/layouts", list_layouts, SCOPE),
    Endpoint("GET", "/settings/layouts/{layout_id}", get_layout, SCOPE),
]
