"""``/settings/business_hours/shift_hours`` (OAS shift_hours.json; Zoho's per-operation examples).

Creates and updates answer one result per shift (201 / 200, 207 when mixed, 400 when all fail), each
with Zoho's message "Success". An id in the path that
names no shift is refused bare with ``resource_path_index`` (the file's RootResponse); reading it is 204.
A body without ``shift_hours`` is refused inside the envelope, the only place the file has that error.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.shift_hours import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint, InEnvelope
from zcrm_emulator.validation import items_of, only_item_of
from zcrm_emulator.wire import error_reply, no_content, reply

SCOPE = "ZohoCRM.settings.business_hours"
PERMISSION = "Crm_Implied_Manage_Users"  # Zoho's 403 examples
ENVELOPE = rules.ENVELOPE
S = "/settings/business_hours/shift_hours"


def _path(index: int) -> str:
    return f"$.{ENVELOPE}[{index}]"


async def list_shifts(call: Call) -> Response:
    with call.tx() as conn:
        shifts = service.listed(conn, call.org_id)
    return reply({ENVELOPE: shifts, "shift_count": rules.shift_count(shifts)})


def _stored(call: Call) -> dict[str, Any] | None:
    shift_id = normalize_id(call.params["shift_id"])
    with call.tx() as conn:
        found = repo.SHIFTS.get(conn, call.org_id, shift_id) if shift_id else None
    return found.data if found is not None else None


def _unknown_in_path() -> Response:
    return error_reply(
        ZohoError("INVALID_DATA", {"resource_path_index": rules.PATH_ID_INDEX}, Message.INVALID_ID_IN_PATH)
    )


async def get_shift(call: Call) -> Response:
    shift_id = normalize_id(call.params["shift_id"])
    with call.tx() as conn:
        found = service.one(conn, call.org_id, shift_id) if shift_id else None
    if found is None:
        return no_content()
    return reply({ENVELOPE: [found], "shift_count": rules.shift_count([found])})


async def create_shifts(call: Call) -> Response:
    items = items_of(call.json(), ENVELOPE, max_items=rules.MAX_ITEMS)
    with call.tx() as conn:
        w = service.writer(conn, call.org_id, call.emulator.clock.now_ms())

        results = batch.each(conn, ENVELOPE, items, rules.SUCCESS, partial(service.create, conn, w))
    return batch.answer(ENVELOPE, results, all_ok=201)


async def update_shifts(call: Call) -> Response:
    items = items_of(call.json(), ENVELOPE, max_items=rules.MAX_ITEMS)
    with call.tx() as conn:
        w = service.writer(conn, call.org_id, call.emulator.clock.now_ms())

        def update(item: Any, path: str) -> str:
            return service.update(conn, w, service.named_in_item(conn, call.org_id, item, path), item, path)

        results = batch.each(conn, ENVELOPE, items, rules.SUCCESS, update)
    return batch.answer(ENVELOPE, results, all_ok=200)


async def update_shift(call: Call) -> Response:
    stored = _stored(call)
    if stored is None:
        return _unknown_in_path()
    item = only_item_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        w = service.writer(conn, call.org_id, call.emulator.clock.now_ms())
        path = _path(0)
        results = [
            batch.attempt(conn, rules.SUCCESS, lambda: service.update(conn, w, stored, item, path), json_path=path)
        ]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def delete_shift(call: Call) -> Response:
    stored = _stored(call)
    if stored is None:
        return _unknown_in_path()
    with call.tx() as conn:
        service.delete(conn, call.org_id, str(stored["id"]))
    return batch.answer(ENVELOPE, [batch.success(rules.SUCCESS, {"id": stored["id"]})], all_ok=200)


# A body without ``shift_hours`` is answered inside the envelope: the file documents MANDATORY_NOT_FOUND
# only there.
MISSING_KEY_IN_ENVELOPE = InEnvelope(ENVELOPE, frozenset({"MANDATORY_NOT_FOUND"}))


def _endpoint(method: str, path: str, handler: Any) -> Endpoint:
    errors_in = MISSING_KEY_IN_ENVELOPE if method in ("POST", "PUT") else None
    return Endpoint(method, path, handler, SCOPE, permission=PERMISSION, errors_in=errors_in)


ENDPOINTS = [
    _endpoint("GET", S, list_shifts),
    _endpoint("POST", S, create_shifts),
    _endpoint("PUT", S, update_shifts),
    _endpoint("GET", f"{S}/{{shift_id}}", get_shift),
    _endpoint("PUT", f"{S}/{{shift_id}}", update_shift),
    _endpoint("DELETE", f"{S}/{{shift_id}}", delete_shift),
]
