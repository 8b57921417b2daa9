"""``/settings/profiles`` (REFERENCE §3.4; OAS profiles.json).

The list leaves out the heavy ``permissions_details`` and ``sections`` that only GET one carries,
and its ``info.license_limit`` is an integer (the official SDK casts it with ``int()``).
"""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import params
from zcrm_emulator.resources.profiles import repo, rules
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.profiles"


async def list_profiles(call: Call) -> Response:
    with call.tx() as conn:
        if params.not_modified(call, repo.latest_modified(conn, call.org_id)):
            return no_content(304)
        rows = repo.list_profiles(conn, call.org_id)
        seats = repo.seats(conn, call.org_id)
    summary = rules.listed(rows, include_lite=call.query("include_lite_profile") == "true")
    return reply({"profiles": summary, "info": {"license_limit": seats}})


async def get_profile(call: Call) -> Response:
    with call.tx() as conn:
        profile = repo.get_profile(conn, call.org_id, call.params["profile_id"])
    if profile is None:
        return no_content()
    return reply({"profiles": [profile]})


ENDPOINTS = [
    Endpoint("GET", "/settings/profiles", list_profiles, SCOPE),
    Endpoint("GET", "/settings/profiles/{profile_id}", get_profile, SCOPE),
]
