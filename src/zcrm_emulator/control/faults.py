"""Fault injection on the control plane (the rules: faults/rules.py).

    GET    /_emulator/faults              -> {"faults": [{"id", …rule, "matched", "fired", "spent"}]}
    POST   /_emulator/faults {rule}       -> 201 {"fault": {…}}
    GET    /_emulator/faults/{id}         -> {"fault": {…}}
    DELETE /_emulator/faults/{id}         -> {"status": "success", "id"}
    DELETE /_emulator/faults              -> {"status": "success", "removed": n}

A wrong key is INVALID_DATA naming it; a rule that does nothing MANDATORY_NOT_FOUND; an unknown id
INVALID_DATA naming ``id``. ``POST /_emulator/reset`` removes every rule.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.control.access import read_object
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.wire import reply


def _unknown() -> ZohoError:
    return ZohoError("INVALID_DATA", {"api_name": "id"}, Message.UNKNOWN_ID)


async def list_faults(request: Request, emulator: Emulator) -> Response:
    return reply({"faults": [fault.as_json() for fault in emulator.faults.list()]})


async def add_fault(request: Request, emulator: Emulator) -> Response:
    fault = emulator.faults.add(await read_object(request))
    return reply({"fault": fault.as_json()}, status=201)


async def get_fault(request: Request, emulator: Emulator) -> Response:
    fault = emulator.faults.get(request.path_params["fault_id"])
    if fault is None:
        raise _unknown()
    return reply({"fault": fault.as_json()})


async def delete_fault(request: Request, emulator: Emulator) -> Response:
    fault_id = request.path_params["fault_id"]
    if not emulator.faults.remove(fault_id):
        raise _unknown()
    return reply({"status": "success", "id": fault_id})


async def clear_faults(request: Request, emulator: Emulator) -> Response:
    return reply({"status": "success", "removed": emulator.faults.clear()})


Handler = Callable[[Request, Emulator], Awaitable[Response]]
# (path, handler, methods) for control/routes.py to mount.
ROUTES: list[tuple[str, Handler, list[str]]] = [
    ("/faults", list_faults, ["GET"]),
    ("/faults", add_fault, ["POST"]),
    ("/faults", clear_faults, ["DELETE"]),
    ("/faults/{fault_id}", get_fault, ["GET"]),
    ("/faults/{fault_id}", delete_fault, ["DELETE"]),
]
