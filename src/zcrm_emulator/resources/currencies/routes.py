"""``/org/currencies`` (OAS currencies.json, available_currencies.json).

Multi-currency is for Enterprise and higher (FEATURE_NOT_SUPPORTED 403 below) and is off in a fresh
org: every call but enabling and the available list is CURRENCIES_NOT_ENABLED 403 until
``POST /org/currencies/actions/enable`` makes the given currency the home currency; ``mc_status``
and the home currency's keys of ``GET /org`` follow (the v2 "Get Currencies" page lists both 403s).
Adding and updating answer one result per item in ``currencies`` (200, 207 mixed, the failures'
status when every item failed); enabling and updating the home currency answer one result in
``base_currency``. Request-level errors are bare.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.currencies import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.currencies"
ENVELOPE = rules.ENVELOPE
BASE = rules.BASE_ENVELOPE
PATH_ID_INDEX = 2  # org/currencies/{id}


def _context(call: Call, conn: Connection) -> service.Context:
    return service.Context(conn, call.org_id, call.actor(conn), call.emulator.clock.now_ms())


def _base_item(call: Call) -> Any:
    """The ``base_currency`` object: MANDATORY_NOT_FOUND without it (bare, as a request error)."""
    body = call.json()
    if body.get(BASE) is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": BASE, "json_path": f"$.{BASE}"})
    return body[BASE]


def _base_answer(result: batch.Item) -> Response:
    """One result in ``base_currency``: an object, not a list (currencies.json BSuccessResponse)."""
    return reply({BASE: batch.strip_internal([result])[0]}, status=batch.batch_status([result], all_ok=200))


async def list_currencies(call: Call) -> Response:
    with call.tx() as conn:
        service.require_enabled(conn, call.org_id)
        found = repo.all_of(conn, call.org_id)
    return reply({ENVELOPE: found})


async def get_currency(call: Call) -> Response:
    """One currency in the list shape; 204 for an id the org has no currency under (the file's 204)."""
    with call.tx() as conn:
        service.require_enabled(conn, call.org_id)
        currency_id = call.params["currency_id"]
        found = repo.get(conn, call.org_id, currency_id) if currency_id.isdigit() else None
    return reply({ENVELOPE: [found]}) if found is not None else no_content()


async def available_currencies(call: Call) -> Response:
    return reply({"available_currencies": rules.available_currencies()})


def _each(call: Call, message: str, write: Callable[[service.Context, Any, str], str]) -> Response:
    with call.tx() as conn:
        service.require_enabled(conn, call.org_id)
        items = items_of(call.json(), ENVELOPE)
        ctx = _context(call, conn)
        service.take_turns(conn, call.org_id)
        results = [
            batch.attempt(
                conn, message, partial(write, ctx, item, f"$.{ENVELOPE}[{i}]"), json_path=f"$.{ENVELOPE}[{i}]"
            )
            for i, item in enumerate(items)
        ]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def add_currencies(call: Call) -> Response:
    return _each(call, rules.CREATED, service.add)


async def update_currencies(call: Call) -> Response:
    return _each(call, rules.UPDATED, service.update)


async def update_currency(call: Call) -> Response:
    """``PUT /org/currencies/{id}``: the one item of ``currencies`` updates the path's currency."""
    with call.tx() as conn:
        service.require_enabled(conn, call.org_id)
        ctx = _context(call, conn)
        current = service.stored(ctx, call.params["currency_id"], {"resource_path_index": PATH_ID_INDEX})
        items = items_of(call.json(), ENVELOPE, max_items=1)
        service.take_turns(conn, call.org_id)
        path = f"$.{ENVELOPE}[0]"
        write = partial(service.update, ctx, items[0], path, current["id"])
        results = [batch.attempt(conn, rules.UPDATED, write, json_path=path)]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def enable(call: Call) -> Response:
    with call.tx() as conn:
        service.check_edition(conn, call.org_id)
        item = _base_item(call)
        ctx = _context(call, conn)
        result = batch.attempt(
            conn, rules.ENABLED, partial(service.enable, ctx, item, f"$.{BASE}"), json_path=f"$.{BASE}"
        )
    return _base_answer(result)


async def update_base(call: Call) -> Response:
    with call.tx() as conn:
        service.require_enabled(conn, call.org_id)
        item = _base_item(call)
        ctx = _context(call, conn)
        service.take_turns(conn, call.org_id)
        write = partial(service.update_base, ctx, item, f"$.{BASE}")
        result = batch.attempt(conn, rules.UPDATED, write, json_path=f"$.{BASE}")
    return _base_answer(result)


ENDPOINTS = [
    Endpoint("GET", "/org/currencies/actions/available_currencies", available_currencies, SCOPE),
    Endpoint("POST", "/org/currencies/actions/enable", enable, SCOPE),
    Endpoint("PUT", "/org/currencies/actions/enable", update_base, SCOPE),
    Endpoint("GET", "/org/currencies", list_currencies, SCOPE),
    Endpoint("POST", "/org/currencies", add_currencies, SCOPE),
    Endpoint("PUT", "/org/currencies", update_currencies, SCOPE),
    Endpoint("GET", "/org/currencies/{currency_id}", get_currency, SCOPE),
    Endpoint("PUT", "/org/currencies/{currency_id}", update_currency, SCOPE),
]
