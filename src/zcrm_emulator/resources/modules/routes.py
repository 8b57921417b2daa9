"""``/settings/modules`` reads (REFERENCE §3.1; OAS modules.json).

The list carries every module, API-supported or not, filtered by ``status``; GET one (by api_name or
id) still answers an array of one, with the module's fields as ``{api_name, id}``.
"""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import params
from zcrm_emulator.clock import parse_iso
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.modules import repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.modules"
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
    with call.emulator.store.tx() as conn:
        if params.not_modified(call, repo.latest_modified(conn, call.org_id)):
            return no_content(304)
        everything = repo.list_modules(conn, call.org_id)
    chosen = [m for m in everything if statuses is None or m.get("status") in statuses]
    if since is not None:  # "200 with only the changed modules" (SDK-WIRE §3)
        chosen = [m for m in chosen if _modified_after(m, since)]
    return reply({"modules": chosen}) if chosen else no_content()


def _modified_after(module: dict[str, object], since_ms: int) -> bool:
    modified = module.get("modified_time")
    stamp = parse_iso(modified) if isinstance(modified, str) else None
    return stamp is not None and stamp // 1000 > since_ms // 1000


async def get_module(call: Call) -> Response:
    with call.emulator.store.tx() as conn:
        module = repo.find(conn, call.org_id, call.params["module"])
        if module is None:
            raise ZohoError("INVALID_MODULE", {"resource_path_index": 0})
        detail = {**module.data, "fields": repo.field_summaries(conn, module.id)}
    return reply({"modules": [detail]})


ENDPOINTS = [
    Endpoint("GET", "/settings/modules", list_modules, SCOPE),
    Endpoint("GET", "/settings/modules/{module:str}", get_module, SCOPE),
]
