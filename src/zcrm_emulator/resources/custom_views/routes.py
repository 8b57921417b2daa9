"""``/settings/custom_views`` (OAS custom_views.json "Get Custom Views", "Get Custom View"; OASx
getCustomViews, getCustomViewById; REFERENCE §4.2 for ``cvid``).

Both take ``?module=`` (REQUIRED_PARAM_MISSING without it, INVALID_MODULE for a module that is not
one of the org's API modules). The list is paged (``page``/``per_page``, 200 at most) and its
``info`` names the module's default view; an id naming no view of the module answers 204.
"""

from __future__ import annotations

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import params
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.custom_views import rules, service
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply


def _module(conn: Connection, call: Call) -> modules_repo.ModuleRef:
    found = modules_repo.find(conn, call.org_id, params.required(call, "module"))
    if found is None or not found.api_supported:
        raise ZohoError("INVALID_MODULE", {})
    return found


async def list_views(call: Call) -> Response:
    page = params.page(call)
    with call.tx() as conn:
        module = _module(conn, call)
        views = service.views_of(conn, call.org_id, module.id)
    chunk, info = page.slice(views)
    if not chunk:
        return no_content()
    info.update(default=rules.default_view_id(views), translation=dict(rules.TRANSLATION))
    return reply({rules.ENVELOPE: [rules.listed(view) for view in chunk], "info": info})


async def get_view(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        view = service.find(conn, call.org_id, module.id, call.params["view_id"])
    if view is None:
        return no_content()
    return reply({rules.ENVELOPE: [rules.detailed(view)], "info": {"translation": dict(rules.TRANSLATION)}})


ENDPOINTS = [
    Endpoint("GET", "/settings/custom_views", list_views, rules.SCOPE),
    Endpoint("GET", "/settings/custom_views/{view_id}", get_view, rules.SCOPE),
]
