"""``/settings/profiles`` (REFERENCE §3.4; OAS profiles.json; OASx cloneProfile, updateProfile,
deleteProfile).

The list leaves out the heavy ``permissions_details`` and ``sections`` that only GET one carries,
and its ``info.license_limit`` is an integer (the official SDK casts it with ``int()``). Writes take
one profile: a clone answers 201, an update 200, inside ``profiles``; a delete answers a bare
SUCCESS object. A path id no profile has, the system profile and the body's shape are request-level
errors. Writes need the caller's profile to allow managing profiles (Crm_Implied_Manage_Profiles).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.profiles import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.profiles"
PERMISSION = "Crm_Implied_Manage_Profiles"  # OASx cloneProfile, updateProfile, deleteProfile NoPermission
ENVELOPE = rules.ENVELOPE


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


def _context(call: Call) -> service.Context:
    return service.Context.of(call)


def _path_profile(call: Call) -> dict[str, Any]:
    """The profile the path names (``settings/profiles/{id}``: segment 2)."""
    profile_id = normalize_id(call.params["profile_id"])
    profile = repo.get_profile(call.conn, call.org_id, profile_id) if profile_id else None
    if profile is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 2}, Message.PROFILE_ID_INVALID)
    return profile


def _run(call: Call, message: str, write: Callable[[], dict[str, Any]]) -> batch.Item:
    path = f"$.{ENVELOPE}[0]"
    return batch.attempt(call.conn, message, lambda: str(write()["id"]), json_path=path)


async def clone_profile(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        source = _path_profile(call)
        item = rules.the_item(call.json())
        service.take_turns(ctx.conn, ctx.org_id)
        result = _run(call, rules.CREATED, lambda: service.clone(ctx, source, item, f"$.{ENVELOPE}[0]"))
    return batch.answer(ENVELOPE, [result], all_ok=201)


async def update_profile(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        profile = _path_profile(call)
        rules.check_editable(profile)
        item = rules.the_item(call.json())
        service.take_turns(ctx.conn, ctx.org_id)
        result = _run(call, rules.UPDATED, lambda: service.update(ctx, profile, item, f"$.{ENVELOPE}[0]"))
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def delete_profile(call: Call) -> Response:
    """DELETE /settings/profiles/{id}?transfer_to=: a bare SUCCESS (OASx deleteProfile Deleted)."""
    with call.tx():
        ctx = _context(call)
        profile = _path_profile(call)
        raw = (call.query("transfer_to") or "").strip()
        service.take_turns(ctx.conn, ctx.org_id)
        service.delete(ctx, profile, (normalize_id(raw) or raw) if raw else None)
    return reply(batch.success(rules.DELETED, {"id": profile["id"]}))


def _write(method: str, path: str, handler: Callable[[Call], Any]) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, permission=PERMISSION)


ENDPOINTS = [
    Endpoint("GET", "/settings/profiles", list_profiles, SCOPE),
    Endpoint("GET", "/settings/profiles/{profile_id}", get_profile, SCOPE),
    _write("PUT", "/settings/profiles/{profile_id}", update_profile),
    _write("DELETE", "/settings/profiles/{profile_id}", delete_profile),
    _write("POST", "/settings/profiles/{profile_id}/actions/clone", clone_profile),
]
