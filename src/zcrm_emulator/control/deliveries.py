"""The delivery log and quiescence on the control plane (delivery/ sends; this shows and waits):

GET  /_emulator/deliveries?source=&status=&org_id=&page=&per_page=
     every outbound request, newest first, each with its attempts (request as sent, status,
     duration, error)
POST /_emulator/deliveries/flush {"timeout_seconds"?}
     answers once nothing is pending (retries included): {"pending": 0}; 408-style refusal
     (LIMIT_REACHED) when the timeout ran out first
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.control.access import read_object
from zcrm_emulator.delivery import repo
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.validation import Invalid, finite_number
from zcrm_emulator.wire import reply

MAX_PER_PAGE = 200
MAX_FLUSH_SECONDS = 120


def _int_param(request: Request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ZohoError("INVALID_DATA", {"param_name": name, "maximum_value": maximum})
    return int(raw)


def _shown(row: dict[str, Any], attempts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        **{k: v for k, v in row.items() if k != "lease_until_ms"},
        "attempts_log": [{k: v for k, v in a.items() if k not in ("id", "delivery_id")} for a in attempts],
    }


async def list_deliveries(request: Request, emulator: Emulator) -> Response:
    per_page = _int_param(request, "per_page", MAX_PER_PAGE, MAX_PER_PAGE)
    page = _int_param(request, "page", 1, 2**31 - 1)
    query = request.query_params
    with emulator.store.tx() as conn:
        rows = repo.list_deliveries(
            conn,
            query.get("org_id"),
            source=query.get("source"),
            status=query.get("status"),
            limit=per_page + 1,
            offset=(page - 1) * per_page,
        )
        attempts = repo.attempts_of(conn, [row["id"] for row in rows[:per_page]])
    shown = [_shown(row, [a for a in attempts if a["delivery_id"] == row["id"]]) for row in rows[:per_page]]
    info = {"page": page, "per_page": per_page, "count": len(shown), "more_records": len(rows) > per_page}
    return reply({"deliveries": shown, "info": info})


async def flush(request: Request, emulator: Emulator) -> Response:
    body = await read_object(request)
    try:
        timeout = finite_number(body.get("timeout_seconds", 30))
    except Invalid:
        timeout = -1
    if not 0 < timeout <= MAX_FLUSH_SECONDS:
        raise ZohoError("INVALID_DATA", {"api_name": "timeout_seconds", "maximum_value": MAX_FLUSH_SECONDS})
    if not await emulator.deliveries.flush(float(timeout)):
        with emulator.store.tx() as conn:
            pending = repo.pending_count(conn)
        raise ZohoError("LIMIT_REACHED", {"pending": pending, "timeout_seconds": timeout})
    return reply({"pending": 0})


ROUTES: list[tuple[str, Callable[[Request, Emulator], Awaitable[Response]], list[str]]] = [
    ("/deliveries", list_deliveries, ["GET"]),
    ("/deliveries/flush", flush, ["POST"]),
]
