"""``/crm/{version}/actions/watch``: the Notification API (AUTOMATION.md §5, REFERENCE §5,
notifications.json). Enable (POST, at most 50 channels), list (GET), replace (PUT), patch or drop
events (PATCH) and disable (DELETE ``?channel_ids=``); one result per channel, or per (channel,
module) for a disable. Each user's channels are their own. The callbacks are callbacks.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.notifications import rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.notifications"
PATH = "/actions/watch"
ENVELOPE = rules.ENVELOPE

Outcome = tuple[str, dict[str, Any]]  # a write's success message and details
Operation = Callable[[Connection, service.WatchContext, Any, str], Outcome]


def _context(conn: Connection, call: Call) -> service.WatchContext:
    now = call.emulator.clock.now_ms()
    return service.context(call.org_id, call.actor(conn), now, call.version, call.emulator.settings.base_url)


def _attempt(conn: Connection, write: Callable[[], Outcome], json_path: str) -> batch.Item:
    """``batch.attempt`` (a savepoint per item, a lost unique-key race run again) for a write whose
    success carries its own message and details rather than an id."""
    done: list[Outcome] = []

    def run() -> str:
        done[:] = [write()]
        return ""

    result = batch.attempt(conn, "", run, json_path=json_path)
    if result["status"] != "success":
        return result
    message, details = done[0]
    return batch.success(message, details)


def _each_channel(call: Call, operation: Operation, all_ok: int) -> Response:
    with call.tx() as conn:
        items = items_of(call.json(), ENVELOPE, max_items=rules.CHANNELS_MAX)
        ctx = _context(conn, call)
        service.clear_dead(conn, ctx)
        results = []
        for index, item in enumerate(items):
            path = f"$.{ENVELOPE}[{index}]"
            results.append(_attempt(conn, partial(operation, conn, ctx, item, path), path))
    return batch.answer(ENVELOPE, results, all_ok=all_ok)


async def enable(call: Call) -> Response:
    return _each_channel(call, service.enable, 201)


async def replace(call: Call) -> Response:
    return _each_channel(call, service.replace_channel, 200)


async def patch(call: Call) -> Response:
    return _each_channel(call, service.patch, 200)


async def disable(call: Call) -> Response:
    wanted = list(dict.fromkeys(params.csv(call, "channel_ids")))
    if not wanted:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "channel_ids"})
    with call.tx() as conn:
        ctx = _context(conn, call)
        service.clear_dead(conn, ctx)
        results = service.disable(conn, ctx, wanted)
    return batch.answer(ENVELOPE, results, all_ok=200)


def _given(call: Call, name: str) -> str | None:
    value = (call.query(name) or "").strip()
    return value or None


async def list_channels(call: Call) -> Response:
    page = params.page(call)
    with call.tx() as conn:
        rows = service.listing(conn, _context(conn, call), _given(call, "module"), _given(call, "channel_id"))
    chunk, info = page.slice(rows)
    return reply({ENVELOPE: chunk, "info": info}) if chunk else no_content()


ENDPOINTS = [
    Endpoint("POST", PATH, enable, SCOPE),
    Endpoint("GET", PATH, list_channels, SCOPE),
    Endpoint("PUT", PATH, replace, SCOPE),
    Endpoint("PATCH", PATH, patch, SCOPE),
    Endpoint("DELETE", PATH, disable, SCOPE),
]
