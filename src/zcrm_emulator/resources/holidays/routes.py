"""``/settings/holidays`` (OAS holidays.json; Zoho's per-operation examples for v8).

Creates and updates answer one result per holiday (201 / 200, 207 when mixed, 400 when all fail); a
body without ``holidays`` is refused bare. An id in the path that names no holiday is refused inside
the envelope with ``resource_path_index`` (the file's update and delete answers); reading it is 204.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.holidays import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of, only_item_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.business_hours"  # the v8 holiday pages' scope
PERMISSION = "Crm_Implied_Manage_Users"
ENVELOPE = rules.ENVELOPE
UNKNOWN_IN_PATH = {"resource_path_index": rules.PATH_ID_INDEX}


async def list_holidays(call: Call) -> Response:
    year = rules.year_param(call.query("year"))
    kind = rules.type_param(call.query("type"))
    shift_id = rules.shift_param(call.query("shift_id"))
    page = rules.page_param(call.query("page"))
    business = None if kind is None else kind == rules.BUSINESS
    calendar = shift_id if shift_id is not None and kind != rules.BUSINESS else None
    offset = (page - 1) * rules.PER_PAGE
    with call.tx() as conn:
        found = repo.page_of(
            conn, call.org_id, year=year, business=business, calendar=calendar, offset=offset, limit=rules.PER_PAGE + 1
        )
    if not found:
        return no_content()
    shown = found[: rules.PER_PAGE]
    info = {"per_page": rules.PER_PAGE, "count": len(shown), "page": page, "more_records": len(found) > len(shown)}
    return reply({ENVELOPE: shown, "info": info})


def _in_path(call: Call) -> str | None:
    return normalize_id(call.params["holiday_id"])


async def get_holiday(call: Call) -> Response:
    holiday_id = _in_path(call)
    with call.tx() as conn:
        found = repo.get(conn, call.org_id, holiday_id) if holiday_id else None
    if found is None:
        return no_content()
    return reply(
        {ENVELOPE: [found], "info": {"per_page": rules.PER_PAGE, "count": 1, "page": 1, "more_records": False}}
    )


def _path(index: int) -> str:
    return f"$.{ENVELOPE}[{index}]"


async def create_holidays(call: Call) -> Response:
    items = items_of(call.json(), ENVELOPE, max_items=rules.MAX_ITEMS)
    with call.tx() as conn:
        w = service.writer(conn, call.org_id, call.emulator.clock.now_ms())

        results = batch.each(conn, ENVELOPE, items, rules.CREATED, partial(service.create, conn, w))
    return batch.answer(ENVELOPE, results, all_ok=201)


async def update_holidays(call: Call) -> Response:
    items = items_of(call.json(), ENVELOPE, max_items=rules.MAX_ITEMS)
    with call.tx() as conn:
        w = service.writer(conn, call.org_id, call.emulator.clock.now_ms())

        def update(item: Any, path: str) -> str:
            return service.update(conn, w, service.named_in_item(conn, call.org_id, item, path), item, path)

        results = batch.each(conn, ENVELOPE, items, rules.UPDATED, update)
    return batch.answer(ENVELOPE, results, all_ok=200)


def _refused_in_path(message: Message | None = None) -> Response:
    error = ZohoError("INVALID_DATA", dict(UNKNOWN_IN_PATH), message)
    return reply({ENVELOPE: [error.as_item()]}, status=error.status)


async def update_holiday(call: Call) -> Response:
    holiday_id = _in_path(call)
    item = only_item_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        stored = repo.get(conn, call.org_id, holiday_id) if holiday_id else None
        if stored is None:
            return _refused_in_path()
        w = service.writer(conn, call.org_id, call.emulator.clock.now_ms())
        path = _path(0)
        results = [
            batch.attempt(conn, rules.UPDATED, lambda: service.update(conn, w, stored, item, path), json_path=path)
        ]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def delete_holiday(call: Call) -> Response:
    holiday_id = _in_path(call)
    with call.tx() as conn:
        stored = repo.get(conn, call.org_id, holiday_id) if holiday_id else None
        if stored is None:
            return _refused_in_path(Message.INVALID_ID_IN_PATH)
        repo.delete_holiday(conn, str(stored["id"]))
    return batch.answer(ENVELOPE, [batch.success(rules.DELETED, {"id": stored["id"]})], all_ok=200)


def _write(method: str, path: str, handler: Any) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, permission=PERMISSION, permission_message=Message.HOLIDAY_PERMISSION)


H = "/settings/holidays"
ENDPOINTS = [
    Endpoint("GET", H, list_holidays, SCOPE),
    _write("POST", H, create_holidays),
    _write("PUT", H, update_holidays),
    Endpoint("GET", f"{H}/{{holiday_id}}", get_holiday, SCOPE),
    _write("PUT", f"{H}/{{holiday_id}}", update_holiday),
    _write("DELETE", f"{H}/{{holiday_id}}", delete_holiday),
]
