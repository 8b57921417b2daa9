"""``/settings/modules`` (REFERENCE §3.1; OAS modules.json).

The list carries every module, API-supported or not, filtered by ``status``; GET one (by api_name or
id) still answers an array of one, with the module's fields as ``{api_name, id}``. Since v6, custom
modules are created (one per call) and modules updated (labels, profile delta); the rules are in
rules.py, the steps in service.py.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.modules import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.usage import weights
from zcrm_emulator.validation import items_of, only_item_of
from zcrm_emulator.wire import no_content, render, reply, reply_rendered

SCOPE = "ZohoCRM.settings.modules"
ENVELOPE = "modules"
CUSTOMIZE = "Crm_Implied_Customize_Zoho_CRM"  # the profile permission module create/update need
STATUSES = ("visible", "user_hidden", "system_hidden", "scheduled_for_deletion")


def _status_filter(call: Call) -> set[str] | None:
    wanted = params.csv(call, "status")
    if not wanted:
        return None
    unknown = [s for s in wanted if s not in STATUSES]
    if unknown:
        raise ZohoError("INVALID_DATA", {"param_name": "status", "supported_values": list(STATUSES)})
    return set(wanted)


async def list_modules(call: Call) -> Response:
    statuses = _status_filter(call)
    since = params.if_modified_since(call)
    with call.tx() as conn:
        stamp = repo.list_stamp(conn, call.org_id)
        if params.not_modified(call, stamp.latest_ms):
            return no_content(304)

        def render_list() -> bytes | None:
            # With If-Modified-Since: "200 with only the changed modules" (SDK-WIRE §3). A module's
            # change time is its row's, since untouched standard modules carry modified_time null.
            everything = repo.list_modules(conn, call.org_id, changed_after_ms=since)
            chosen = [m for m in everything if statuses is None or m.get("status") in statuses]
            return render({"modules": chosen}) if chosen else None

        # The list is some 100 KB of JSON: rendered once per change of the org's modules, not per call.
        key = ("modules", call.org_id, since, tuple(sorted(statuses or ())))
        body = call.emulator.memo.get(key, stamp, render_list)
    return reply_rendered(body) if body is not None else no_content()


async def get_module(call: Call) -> Response:
    with call.tx() as conn:
        module = repo.find(conn, call.org_id, call.params["module"])
        if module is None:
            raise ZohoError("INVALID_MODULE", {"resource_path_index": 0})
        detail = {**module.data, "fields": repo.field_summaries(conn, module.id)}
    return reply({"modules": [detail]})


async def create_module(call: Call) -> Response:
    """POST /settings/modules: one custom module per call (seed "Create Custom Module")."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        service.require_edition(conn, call.org_id, rules.CREATE_NOT_SUPPORTED)
        service.take_turns(conn, call.org_id)
        item = only_item_of(call.json(), ENVELOPE)
        service.check_module_limit(conn, call.org_id)
        actor = call.actor(conn)
        results = [
            batch.attempt(
                conn,
                rules.CREATED,
                lambda: service.create_custom_module(conn, call.org_id, item, actor=actor, now_ms=now),
                json_path=f"$.{ENVELOPE}[0]",
            )
        ]
    return batch.answer(ENVELOPE, results, all_ok=201)


async def update_modules(call: Call) -> Response:
    """PUT /settings/modules: each item names its module by ``id``; 207 for mixed results (OAS)."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        service.require_edition(conn, call.org_id, rules.UPDATE_NOT_SUPPORTED)
        service.take_turns(conn, call.org_id)
        items = items_of(call.json(), ENVELOPE)
        actor = call.actor(conn)

        def update(item: Any, json_path: str) -> str:
            module = service.module_for_item(conn, call.org_id, item, json_path)
            return service.update_module(conn, call.org_id, module, item, json_path, actor=actor, now_ms=now)

        results = batch.each(conn, ENVELOPE, items, rules.UPDATED, update)
    return batch.answer(ENVELOPE, results, all_ok=200)


async def update_module(call: Call) -> Response:
    """PUT /settings/modules/{id|api_name}: one module per call (seed "Update Custom Module")."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        service.require_edition(conn, call.org_id, rules.UPDATE_NOT_SUPPORTED)
        service.take_turns(conn, call.org_id)
        module = repo.find(conn, call.org_id, call.params["module"])
        if module is None:
            raise ZohoError("INVALID_MODULE", {"resource_path_index": 0})
        item = only_item_of(call.json(), ENVELOPE)
        actor = call.actor(conn)

        def update() -> str:
            service.update_module(conn, call.org_id, module.data, item, f"$.{ENVELOPE}[0]", actor=actor, now_ms=now)
            return module.id

        results = [batch.attempt(conn, rules.UPDATED, update, json_path=f"$.{ENVELOPE}[0]")]
    return batch.answer(ENVELOPE, results, all_ok=200)


ENDPOINTS = [
    Endpoint("GET", "/settings/modules", list_modules, SCOPE),
    Endpoint("GET", "/settings/modules/{module:str}", get_module, SCOPE),
    Endpoint(
        "POST",
        "/settings/modules",
        create_module,
        SCOPE,
        since="v6",
        credits=weights.WEIGHTS["custom_module_create"],
        permission=CUSTOMIZE,
    ),
    Endpoint(
        "PUT",
        "/settings/modules",
        update_modules,
        SCOPE,
        since="v6",
        credits=weights.per_items(ENVELOPE, each=weights.WEIGHTS["module_update"]),
        permission=CUSTOMIZE,
    ),
    Endpoint(
        "PUT",
        "/settings/modules/{module:str}",
        update_module,
        SCOPE,
        since="v6",
        credits=weights.WEIGHTS["module_update"],
        permission=CUSTOMIZE,
    ),
]
