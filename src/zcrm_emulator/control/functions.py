"""Functions on the control plane: what ``/crm/{v}/functions/{name}/actions/execute`` runs (AUTOMATION.md
§7). Zoho writes functions in Deluge in its UI; here a test says what one does. Errors are Zoho's envelope.

    POST   /_emulator/functions
           {"name", "url" | "output", "org_id"?, "user_id"?}
           -> 201 {"function": {"id", "name", "kind", "url" | "output", "zapikey", "user_id"}}
           (200 when ``name`` was registered already: it is replaced, its id and zapikey kept).
           ``url``: each call is POSTed there as JSON and the response's text is the output;
           ``output``: a canned answer. A Python callable is registered in-process only
           (``emulator.functions.register(name, handler)``).
    GET    /_emulator/functions[?org_id=]                   -> {"functions": […]}
    GET    /_emulator/functions/{name}[?org_id=]            -> {"function": {…}}
    DELETE /_emulator/functions/{name}[?org_id=]            -> {"status": "success"}
    POST   /_emulator/functions/{name}/zapikey[?org_id=]    -> {"function": {…}} with a new zapikey
           (the old one stops working)

Unknown names: INVALID_DATA naming ``name``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.control.access import read_object
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.functions.rules import check_name
from zcrm_emulator.wire import reply


def _found(function: dict[str, Any] | None) -> dict[str, Any]:
    if function is None:
        raise ZohoError("INVALID_DATA", {"api_name": "name"})
    return function


async def register_function(request: Request, emulator: Emulator) -> Response:
    body = await read_object(request)
    name = check_name(body.get("name"))
    org_id = body.get("org_id")
    existed = emulator.functions.get(name, org_id=org_id) is not None
    made = emulator.functions.register(
        name,
        url=body.get("url"),
        output=body.get("output"),
        org_id=org_id,
        user_id=body.get("user_id"),
    )
    return reply({"function": made}, status=200 if existed else 201)


async def list_functions(request: Request, emulator: Emulator) -> Response:
    return reply({"functions": emulator.functions.list(org_id=request.query_params.get("org_id"))})


async def get_function(request: Request, emulator: Emulator) -> Response:
    found = emulator.functions.get(request.path_params["name"], org_id=request.query_params.get("org_id"))
    return reply({"function": _found(found)})


async def delete_function(request: Request, emulator: Emulator) -> Response:
    if not emulator.functions.unregister(request.path_params["name"], org_id=request.query_params.get("org_id")):
        raise ZohoError("INVALID_DATA", {"api_name": "name"})
    return reply({"status": "success"})


async def regenerate_zapikey(request: Request, emulator: Emulator) -> Response:
    name, org_id = request.path_params["name"], request.query_params.get("org_id")
    return reply({"function": _found(emulator.functions.regenerate_zapikey(name, org_id=org_id))})


ROUTES: list[tuple[str, Callable[[Request, Emulator], Awaitable[Response]], list[str]]] = [
    ("/functions", register_function, ["POST"]),
    ("/functions", list_functions, ["GET"]),
    ("/functions/{name}", get_function, ["GET"]),
    ("/functions/{name}", delete_function, ["DELETE"]),
    ("/functions/{name}/zapikey", regenerate_zapikey, ["POST"]),
]
