"""``/users`` (REFERENCE §3.6; OAS users.json, users_transfer_delete.json; OASx createUser,
updateSingleUser, deleteUser).

Reads list, get and count. Writes: add one user per call (201), update in bulk or by path id (200,
207 mixed), delete by path id, and transfer-and-delete, whose job is done when the call answers.
Writes need the caller's profile to allow managing users (Crm_Implied_Manage_Users, 403).
A path id no user has, and a body of more than one user where one is allowed, are request-level
errors; every other error is the item's, inside ``users``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.users import repo, rules, service
from zcrm_emulator.resources.users.rules import select_users
from zcrm_emulator.routing import Call, Endpoint, InEnvelope
from zcrm_emulator.validation import at, items_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.users"
PERMISSION = "Crm_Implied_Manage_Users"  # OASx NoPermissionToCreateUser, PermissionDeniedResponse
ENVELOPE = rules.ENVELOPE


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


def _context(call: Call) -> service.Context:
    return service.Context.of(call)


def _one_item(call: Call) -> dict[str, Any]:
    """The only item of a body that takes one user (OASx MoreThanOneUserCreationAttempt)."""
    items = items_of(call.json(), ENVELOPE)
    if len(items) > 1:
        raise ZohoError("INVALID_DATA", {"maximum_length": 1, "api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}"})
    return _object(items[0], f"$.{ENVELOPE}[0]")


def _object(item: Any, path: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"})
    return item


def _path_user(call: Call) -> dict[str, Any]:
    """The user the path names; INVALID_DATA at the id's segment (``users/{id}``: 1) otherwise."""
    user_id = normalize_id(call.params["user_id"])
    user = repo.get_user(call.conn, call.org_id, user_id) if user_id else None
    if user is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 1}, Message.UNKNOWN_ID)
    return user


def _run(call: Call, message: str, write: Callable[[], dict[str, Any]], path: str) -> batch.Item:
    return batch.attempt(call.conn, message, lambda: str(write()["id"]), json_path=path)


async def create_user(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        item = _one_item(call)
        service.take_turns(ctx.conn, ctx.org_id)
        path = f"$.{ENVELOPE}[0]"
        result = _run(call, rules.ADDED, lambda: service.create(ctx, item, path), path)
    return batch.answer(ENVELOPE, [result], all_ok=201)


async def update_users(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = [_update_item(call, ctx, item, f"$.{ENVELOPE}[{i}]") for i, item in enumerate(items)]
    return batch.answer(ENVELOPE, results, all_ok=200)


def _update_item(call: Call, ctx: service.Context, item: Any, path: str) -> batch.Item:
    def write() -> dict[str, Any]:
        body = _object(item, path)
        if body.get("id") in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
        user_id = normalize_id(body["id"])
        user = repo.get_user(ctx.conn, ctx.org_id, user_id) if user_id else None
        if user is None:
            raise ZohoError("INVALID_DATA", at(path, "id"), Message.UNKNOWN_ID)
        return service.update(ctx, user, body, path)

    return _run(call, rules.UPDATED, write, path)


async def update_user(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        user = _path_user(call)
        if user.get("status") == rules.DELETED_STATUS:  # OASx DeletedUserUpdate
            raise ZohoError("NOT_ALLOWED", {"resource_path_index": 1}, Message.UNKNOWN_ID)
        item = _one_item(call)
        service.take_turns(ctx.conn, ctx.org_id)
        path = f"$.{ENVELOPE}[0]"
        result = _run(call, rules.UPDATED, lambda: service.update(ctx, user, item, path), path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def delete_user(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        user = _path_user(call)
        path = f"$.{ENVELOPE}[0]"
        result = _run(call, rules.DELETED, lambda: service.delete(ctx, user, path), path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def transfer_and_delete(call: Call) -> Response:
    """POST /users/actions/transfer_and_delete and /users/{id}/actions/transfer_and_delete."""
    envelope = rules.TRANSFER_ENVELOPE
    path_user_id = call.params.get("user_id")
    with call.tx():
        ctx = _context(call)
        if path_user_id is not None:
            path_user_id = _path_user(call)["id"]
        items = items_of(call.json(), envelope, max_items=1 if path_user_id is not None else None)
        service.take_turns(ctx.conn, ctx.org_id)
        cause = Cause(None, call.request_id)
        results = []
        done: dict[str, str] = {}  # job id -> the user deleted
        for i, item in enumerate(items):
            path = f"$.{envelope}[{i}]"

            def write(item: Any = item, path: str = path) -> str:
                plan = service.transfer_item(ctx, item, path, path_user_id)
                job_id = service.transfer_and_delete(ctx, plan, path, call.emulator.memo, cause)
                done[job_id] = plan.user["id"]
                return job_id

            result = batch.attempt(ctx.conn, rules.DELETED, write, json_path=path)
            if result["status"] == "success":
                job_id = result["details"]["id"]
                result["details"] = {"id": done[job_id], "jobId": job_id}
            results.append(result)
    return batch.answer(envelope, results, all_ok=200)


async def transfer_status(call: Call) -> Response:
    """GET /users/actions/transfer_and_delete?job_id=: ``{"transfer_and_delete": [{"status"}]}``."""
    job_id = params.required(call, "job_id")
    with call.tx() as conn:
        status = service.job_status(conn, call.org_id, job_id)
    if status is None:
        return no_content()
    return reply({rules.TRANSFER_ENVELOPE: [status]})


def _write(method: str, path: str, handler: Callable[[Call], Any], errors_in: InEnvelope | None = None) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, permission=PERMISSION, errors_in=errors_in)


ENDPOINTS = [
    Endpoint("GET", "/users", list_users, SCOPE),
    _write("POST", "/users", create_user),
    _write("PUT", "/users", update_users),
    Endpoint("GET", "/users/actions/count", count_users, SCOPE),
    Endpoint("GET", "/users/actions/transfer_and_delete", transfer_status, SCOPE),
    _write("POST", "/users/actions/transfer_and_delete", transfer_and_delete),
    Endpoint("GET", "/users/{user_id}", get_user, SCOPE),
    _write("PUT", "/users/{user_id}", update_user),
    _write("DELETE", "/users/{user_id}", delete_user),
    _write("POST", "/users/{user_id}/actions/transfer_and_delete", transfer_and_delete),
]
