"""``/settings/profiles`` (REFERENCE §3.4; OAS profiles.json).

The list leaves out the heavy ``permissions_details`` and ``sections`` that only GET one carries,
and its ``info.license_limit`` is an integer (the official SDK casts it with ``int()``).
"""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import params
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import profiles, users
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.profiles"
DETAIL_ONLY = ("permissions_details", "sections")


async def list_profiles(call: Call) -> Response:
    with call.tx() as conn:
        if params.not_modified(call, documents.latest_modified(conn, profiles, call.org_id)):
            return no_content(304)
        rows = documents.list_data(conn, profiles, call.org_id)
        seats = len(documents.list_data(conn, users, call.org_id))
    if call.query("include_lite_profile") != "true":
        rows = [p for p in rows if p.get("type") != "lite_profile"]
    summary = [{k: v for k, v in p.items() if k not in DETAIL_ONLY} for p in rows]
    return reply({"profiles": summary, "info": {"license_limit": seats}})


async def get_profile(call: Call) -> Response:
    with call.tx() as conn:
        profile = documents.get_data(conn, profiles, call.org_id, call.params["profile_id"])
    if profile is None:
        return no_content()
    return reply({"profiles": [profile]})


ENDPOINTS = [
    Endpoint("GET", "/settings/profiles", list_profiles, SCOPE),
    Endpoint("GET", "/settings/profiles/{profile_id}", get_profile, SCOPE),
]
