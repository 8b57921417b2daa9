"""``/Contacts/roles`` (v8 "Get/Insert/Update/Delete Contact Roles"; OAS contact_roles.json).

Every write answers 200 (207 mixed) with one result per role inside ``contact_roles``. An id no
role has (in the body, the path or ``ids``) is that item's INVALID_DATA ``{"id": …}``; a missing
``ids`` is REQUIRED_PARAM_MISSING inside the envelope, as the file shows it. The scope is the
Contacts module's (``ZohoCRM.modules.contacts.{operation}`` or ``ZohoCRM.modules.ALL``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.contact_roles import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint, InEnvelope
from zcrm_emulator.validation import at, items_of
from zcrm_emulator.wire import no_content, reply

ENVELOPE = rules.ENVELOPE
SCOPE = "ZohoCRM.modules.contacts"


async def list_roles(call: Call) -> Response:
    with call.tx() as conn:
        if params.not_modified(call, repo.latest_modified(conn, call.org_id)):
            return no_content(304)
        found = rules.ordered(repo.list_roles(conn, call.org_id))
    return reply({ENVELOPE: found}) if found else no_content()


async def get_role(call: Call) -> Response:
    role_id = normalize_id(call.params["role_id"])
    with call.tx() as conn:
        stored = repo.DOCUMENTS.get(conn, call.org_id, role_id) if role_id else None
    return reply({ENVELOPE: [stored.data]}) if stored is not None else no_content()


def _unknown(raw: Any) -> ZohoError:
    return ZohoError("INVALID_DATA", {"id": str(raw)})


def _known(call: Call, raw: Any) -> rules.Role:
    role_id = normalize_id(raw)
    stored = repo.DOCUMENTS.get(call.conn, call.org_id, role_id) if role_id else None
    if stored is None:
        raise _unknown(raw)
    return stored.data


def _run(call: Call, message: str, write: Callable[[], str], path: str | None) -> batch.Item:
    return batch.attempt(call.conn, message, write, json_path=path)


async def create_roles(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        items = items_of(call.json(), ENVELOPE, max_items=rules.MAX_PER_CALL)
        service.take_turns(conn, call.org_id)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"
            results.append(_run(call, rules.ADDED, _bind(service.create, conn, call.org_id, item, path, now), path))
    return batch.answer(ENVELOPE, results, all_ok=200)


def _bind(fn: Callable[..., str], *args: Any) -> Callable[[], str]:
    return lambda: fn(*args)


async def update_roles(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        items = items_of(call.json(), ENVELOPE, max_items=rules.MAX_PER_CALL)
        service.take_turns(conn, call.org_id)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"

            def write(item: Any = item, path: str = path) -> str:
                body = rules.as_object(item, path)
                if body.get("id") in (None, ""):
                    raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
                return service.update(conn, call.org_id, _known(call, body["id"]), body, path, now)

            results.append(_run(call, rules.UPDATED, write, path))
    return batch.answer(ENVELOPE, results, all_ok=200)


async def update_role(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        items = items_of(call.json(), ENVELOPE)
        if len(items) > 1:  # one role per path id
            raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}", "maximum_length": 1})
        service.take_turns(conn, call.org_id)
        path = f"$.{ENVELOPE}[0]"
        raw_id = call.params["role_id"]
        write = lambda: service.update(conn, call.org_id, _known(call, raw_id), items[0], path, now)  # noqa: E731
        result = _run(call, rules.UPDATED, write, path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def delete_role(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        service.take_turns(conn, call.org_id)
        raw_id = call.params["role_id"]
        result = _run(call, rules.DELETED, lambda: service.delete(conn, call.org_id, _known(call, raw_id), now), None)
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def delete_roles(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    raw = call.query("ids")
    wanted = [part.strip() for part in (raw or "").split(",") if part.strip()]
    if not wanted:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param": "ids"}, Message.EXPECTED_PARAM_MISSING)
    if len(wanted) > rules.MAX_PER_CALL:
        raise ZohoError("LIMIT_EXCEEDED", {"param": "ids", "limit": rules.MAX_PER_CALL})
    with call.tx() as conn:
        service.take_turns(conn, call.org_id)
        results = [
            _run(call, rules.DELETED, _bind(_delete_one, call, raw_id, now), None) for raw_id in dict.fromkeys(wanted)
        ]
    return batch.answer(ENVELOPE, results, all_ok=200)


def _delete_one(call: Call, raw_id: str, now: int) -> str:
    return service.delete(call.conn, call.org_id, _known(call, raw_id), now)


_IN_ENVELOPE = InEnvelope(ENVELOPE, codes=frozenset({"REQUIRED_PARAM_MISSING"}))

ENDPOINTS = [
    Endpoint("GET", "/Contacts/roles", list_roles, SCOPE),
    Endpoint("POST", "/Contacts/roles", create_roles, SCOPE),
    Endpoint("PUT", "/Contacts/roles", update_roles, SCOPE),
    Endpoint("DELETE", "/Contacts/roles", delete_roles, SCOPE, errors_in=_IN_ENVELOPE),
    Endpoint("GET", "/Contacts/roles/{role_id}", get_role, SCOPE),
    Endpoint("PUT", "/Contacts/roles/{role_id}", update_role, SCOPE),
    Endpoint("DELETE", "/Contacts/roles/{role_id}", delete_role, SCOPE),
]
