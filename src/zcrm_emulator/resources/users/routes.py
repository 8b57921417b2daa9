"""``/users`` (REFERENCE §3.6; OAS users.json)."""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import params
from zcrm_emulator.resources.users import repo
from zcrm_emulator.resources.users.rules import select_users
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.users"


async def list_users(call: Call) -> Response:
    page = params.page(call)
    wanted_ids = set(params.csv(call, "ids"))
    with call.tx() as conn:
        if params.not_modified(call, repo.latest_modified(conn, call.org_id)):
            return no_content(304)
        everyone = repo.list_users(conn, call.org_id)
    chosen = select_users(everyone, call.query("type") or "AllUsers", call.user_id)
    if wanted_ids:
        chosen = [u for u in chosen if u["id"] in wanted_ids]
    chunk, info = page.slice(chosen)
    if not chunk:
        return no_content()
    return reply({"users": chunk, "info": info})


async def get_user(call: Call) -> Response:
    with call.tx() as conn:
        user = repo.get_user(conn, call.org_id, call.params["user_id"])
    if user is None:
        return no_content()
    return reply({"users": [user]})


async def count_users(call: Call) -> Response:
    with call.tx() as conn:
        everyone = repo.list_users(conn, call.org_id)
    return reply({"count": len(select_users(everyone, call.query("type") or "AllUsers", call.user_id))})


ENDPOINTS = [
    Endpoint("GET", "/users", list_users, SCOPE),
    Endpoint("GET", "/users/actions/count", count_users, SCOPE),
    Endpoint("GET", "/users/{user_id}", get_user, SCOPE),
]
