"""The request journal on the control plane (journal/): this server process's last requests.

    GET    /_emulator/requests?method=&path=&status=&module=&since=&face=&faulted=&limit=
           -> {"requests": [summary, … oldest first], "count": n, "size": ring size}
    GET    /_emulator/requests/{id}       -> {"request": {… headers and bodies, secrets redacted}}
    DELETE /_emulator/requests            -> {"status": "success"}

``path`` is a glob (``*``) or the exact path; ``since`` emulator epoch ms; ``limit`` the newest n of
those that pass. A bad filter is INVALID_DATA naming it; an id no longer kept INVALID_DATA naming ``id``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.wire import reply

FACES = ("crm", "accounts", "control", "console")


def _number(request: Request, name: str) -> int | None:
    text = request.query_params.get(name)
    if text is None:
        return None
    if not text.isdigit():
        raise ZohoError("INVALID_DATA", {"api_name": name, "expected_data_type": "integer"})
    return int(text)


async def list_requests(request: Request, emulator: Emulator) -> Response:
    params = request.query_params
    face = params.get("face")
    if face is not None and face not in FACES:
        raise ZohoError("INVALID_DATA", {"api_name": "face", "supported_values": list(FACES)})
    faulted = params.get("faulted")
    if faulted is not None and faulted not in ("true", "false"):
        raise ZohoError("INVALID_DATA", {"api_name": "faulted", "expected_data_type": "boolean"})
    found = emulator.journal.entries(
        method=params.get("method"),
        path=params.get("path"),
        status=_number(request, "status"),
        module=params.get("module"),
        since=_number(request, "since"),
        face=face,
        faulted=None if faulted is None else faulted == "true",
    )
    limit = _number(request, "limit")
    if limit is not None:
        found = found[-limit:] if limit else []
    return reply({"requests": [e.summary() for e in found], "count": len(found), "size": emulator.journal.size})


async def get_request(request: Request, emulator: Emulator) -> Response:
    entry = emulator.journal.get(request.path_params["request_id"])
    if entry is None:
        raise ZohoError("INVALID_DATA", {"api_name": "id"}, Message.UNKNOWN_ID)
    return reply({"request": entry.as_json()})


async def clear_requests(request: Request, emulator: Emulator) -> Response:
    emulator.journal.clear()
    return reply({"status": "success"})


Handler = Callable[[Request, Emulator], Awaitable[Response]]
# (path, handler, methods) for control/routes.py to mount.
ROUTES: list[tuple[str, Handler, list[str]]] = [
    ("/requests", list_requests, ["GET"]),
    ("/requests", clear_requests, ["DELETE"]),
    ("/requests/{request_id}", get_request, ["GET"]),
]
