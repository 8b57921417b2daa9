"""``/settings/custom_views`` (OAS custom_views.json "Get Custom Views", "Get Custom View"; OASx
getCustomViews, getCustomViewById; REFERENCE §4.2 for ``cvid``).

All take ``?module=`` (REQUIRED_PARAM_MISSING without it, INVALID_MODULE for a module that is not
one of the org's API modules). The list is paged (``page``/``per_page``, 200 at most) and its
``info`` names the module's default view; an id naming no view of the module answers 204.

``PUT .../actions/change_sort`` (Zoho doc page "Change Sort Order of Custom Views"; OAS "Change Sort
Order of Custom View(s)") sets a view's ``sort_by`` field and ``sort_order``: one view by the id in
the path (INVALID_DATA ``{resource_path_index}`` when it names none), or up to 100 by each item's
``id`` (INVALID_DATA ``{id}`` for that item).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.custom_views import rules, service
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of, only_item_of
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


async def change_sorts(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        items = items_of(call.json(), rules.ENVELOPE, max_items=rules.SORT_MAX_VIEWS)
        actor, now = call.actor(conn), call.emulator.clock.now_ms()

        def write(item: Any, path: str) -> str:
            clean = rules.SORT_WITH_ID.check(item, path)
            view = service.find(conn, call.org_id, module.id, clean["id"])
            if view is None:
                raise ZohoError("INVALID_DATA", {"id": clean["id"]})
            return service.change_sort(conn, module.id, view, clean, path, actor=actor, now_ms=now)

        results = []
        for i, item in enumerate(items):
            path = f"$.{rules.ENVELOPE}[{i}]"
            results.append(batch.attempt(conn, rules.SORT_UPDATED, partial(write, item, path)))
    return batch.answer(rules.ENVELOPE, results, all_ok=200)


async def change_sort(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        view = service.find(conn, call.org_id, module.id, call.params["view_id"])
        if view is None:
            raise ZohoError("INVALID_DATA", {"resource_path_index": 0})
        item = only_item_of(call.json(), rules.ENVELOPE)
        actor, now = call.actor(conn), call.emulator.clock.now_ms()
        path = f"$.{rules.ENVELOPE}[0]"

        def write() -> str:
            clean = rules.SORT.check(item, path)
            return service.change_sort(conn, module.id, view, clean, path, actor=actor, now_ms=now)

        results = [batch.attempt(conn, rules.SORT_UPDATED, write)]
    return batch.answer(rules.ENVELOPE, results, all_ok=200)


ENDPOINTS = [
    Endpoint("GET", "/settings/custom_views", list_views, rules.SCOPE),
    Endpoint("PUT", "/settings/custom_views/actions/change_sort", change_sorts, rules.SCOPE),
    Endpoint("GET", "/settings/custom_views/{view_id}", get_view, rules.SCOPE),
    Endpoint("PUT", "/settings/custom_views/{view_id}/actions/change_sort", change_sort, rules.SCOPE),
]
