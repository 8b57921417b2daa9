"""``/settings/roles`` (REFERENCE §3.5; OAS roles.json; OASx createRoles, updateRole(s), deleteRole).

Create answers 201, update and delete 200 (207 mixed); errors of an item are inside ``roles``. A
path id no role has is a request-level INVALID_DATA at the id's segment (``settings/roles/{id}``:
2); DELETE needs ``transfer_to_id`` (REQUIRED_PARAM_MISSING), the role its users and sub-roles move
to. Writes need the caller's profile to allow managing roles (Crm_Implied_Manage_Roles, 403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.roles import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import at, items_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.roles"
PERMISSION = "Crm_Implied_Manage_Roles"
ENVELOPE = rules.ENVELOPE


async def list_roles(call: Call) -> Response:
    with call.tx() as conn:
        if params.not_modified(call, repo.latest_modified(conn, call.org_id)):
            return no_content(304)
        rows = repo.list_roles(conn, call.org_id)
    return reply({"roles": rows}) if rows else no_content()


async def get_role(call: Call) -> Response:
    with call.tx() as conn:
        role = repo.get_role(conn, call.org_id, call.params["role_id"])
    return reply({"roles": [role]}) if role is not None else no_content()


def _context(call: Call) -> service.Context:
    return service.Context.of(call)


def _path_role(call: Call) -> dict[str, Any]:
    role_id = normalize_id(call.params["role_id"])
    role = repo.get_role(call.conn, call.org_id, role_id) if role_id else None
    if role is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 2}, Message.UNKNOWN_ID)
    return role


def _run(call: Call, message: str, write: Callable[[], dict[str, Any]], path: str) -> batch.Item:
    return batch.attempt(call.conn, message, lambda: str(write()["id"]), json_path=path)


async def create_roles(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = [
            _run(call, rules.ADDED, partial(service.create, ctx, item, f"$.{ENVELOPE}[{i}]"), f"$.{ENVELOPE}[{i}]")
            for i, item in enumerate(items)
        ]
    return batch.answer(ENVELOPE, results, all_ok=201)


async def update_roles(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = [_update_item(call, ctx, item, f"$.{ENVELOPE}[{i}]") for i, item in enumerate(items)]
    return batch.answer(ENVELOPE, results, all_ok=200)


def _update_item(call: Call, ctx: service.Context, item: Any, path: str) -> batch.Item:
    def write() -> dict[str, Any]:
        if not isinstance(item, dict):
            raise ZohoError(
                "INVALID_DATA", {"api_name": ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"}
            )
        if item.get("id") in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
        role_id = normalize_id(item["id"])
        role = repo.get_role(ctx.conn, ctx.org_id, role_id) if role_id else None
        if role is None:
            raise ZohoError("INVALID_DATA", at(path, "id"), Message.ROLE_ID_INVALID)
        return service.update(ctx, role, item, path)

    return _run(call, rules.UPDATED, write, path)


async def update_role(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        role = _path_role(call)
        items = items_of(call.json(), ENVELOPE)
        if len(items) > 1:  # one role per path id, refused as users.json refuses it (OASx)
            raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}", "maximum_length": 1})
        service.take_turns(ctx.conn, ctx.org_id)
        path = f"$.{ENVELOPE}[0]"
        result = _run(call, rules.UPDATED, lambda: service.update(ctx, role, items[0], path), path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def delete_role(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        role = _path_role(call)
        raw = call.query("transfer_to_id")
        if raw is None or not raw.strip():
            raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "transfer_to_id"}, Message.EXPECTED_PARAM_MISSING)
        service.take_turns(ctx.conn, ctx.org_id)

        def write() -> dict[str, Any]:
            service.delete(ctx, role, normalize_id(raw.strip()) or "")
            return role

        result = _run(call, rules.DELETED, write, f"$.{ENVELOPE}[0]")
    return batch.answer(ENVELOPE, [result], all_ok=200)


def _write(method: str, path: str, handler: Callable[[Call], Any]) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, permission=PERMISSION)


ENDPOINTS = [
    Endpoint("GET", "/settings/roles", list_roles, SCOPE),
    _write("POST", "/settings/roles", create_roles),
    _write("PUT", "/settings/roles", update_roles),
    Endpoint("GET", "/settings/roles/{role_id}", get_role, SCOPE),
    _write("PUT", "/settings/roles/{role_id}", update_role),
    _write("DELETE", "/settings/roles/{role_id}", delete_role),
]
