"""``/_emulator/usage[?org_id=]``: GET an org's credit balance and its usage per endpoint in the
rolling 24-hour window (what Zoho's API dashboard shows); DELETE to give the org its whole daily
credits back (between test cases or benchmark rounds). The default org when ``org_id`` is left out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.usage import credits, repo
from zcrm_emulator.wire import reply


async def get_usage(request: Request, emulator: Emulator) -> Response:
    org_id = request.query_params.get("org_id") or emulator.default_org_id
    found = credits.summary(emulator.store, emulator.pending_credits, org_id, emulator.clock.now_ms())
    if found is None:
        raise ZohoError("INVALID_DATA", {"param_name": "org_id"}, Message.UNKNOWN_ID)
    return reply(found.as_json())


async def reset_usage(request: Request, emulator: Emulator) -> Response:
    org_id = request.query_params.get("org_id") or emulator.default_org_id
    emulator.pending_credits.forget(org_id)
    with emulator.store.tx() as conn:
        repo.forget(conn, org_id)
    return await get_usage(request, emulator)
