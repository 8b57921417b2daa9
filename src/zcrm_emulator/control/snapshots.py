"""Snapshots on the control plane: the whole store saved, restored, listed and deleted by name.

    GET    /_emulator/snapshots                  -> {"snapshots": [{"name", "created_time", "size_bytes"}]}
    POST   /_emulator/snapshots {"name", "replace"?: false}   -> 201 {"snapshot": {…}}
    POST   /_emulator/snapshots/{name}/restore   -> {"status": "success", "snapshot", "org_id"}
    DELETE /_emulator/snapshots/{name}           -> {"status": "success", "snapshot"}

Errors (zcrm_emulator/snapshots.py): a bad name or an unknown one INVALID_DATA naming ``name``; a taken
one DUPLICATE_DATA; a restore while other requests of this server are in flight 409 NOT_ALLOWED.
``POST /_emulator/reset`` is a restore of the fresh-org template.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.control.access import read_object
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.snapshots import as_json
from zcrm_emulator.wire import reply


async def list_snapshots(request: Request, emulator: Emulator) -> Response:
    return reply({"snapshots": [as_json(info) for info in emulator.snapshots()]})


async def save_snapshot(request: Request, emulator: Emulator) -> Response:
    body = await read_object(request)
    replace = body.get("replace", False)
    if not isinstance(replace, bool):
        raise ZohoError("INVALID_DATA", {"api_name": "replace", "expected_data_type": "boolean"})
    if "name" not in body:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "name"})
    info = emulator.snapshot(body["name"], replace=replace)
    return reply({"snapshot": as_json(info)}, status=201)


async def restore_snapshot(request: Request, emulator: Emulator) -> Response:
    name = request.path_params["name"]
    emulator.restore(name)
    return reply({"status": "success", "snapshot": name, "org_id": emulator.default_org_id})


async def delete_snapshot(request: Request, emulator: Emulator) -> Response:
    name = request.path_params["name"]
    emulator.delete_snapshot(name)
    return reply({"status": "success", "snapshot": name})


async def reset(request: Request, emulator: Emulator) -> Response:
    return reply({"status": "success", "org_id": emulator.reset()})


Handler = Callable[[Request, Emulator], Awaitable[Response]]
# (path, handler, methods) for control/routes.py to mount.
ROUTES: list[tuple[str, Handler, list[str]]] = [
    ("/reset", reset, ["POST"]),
    ("/snapshots", list_snapshots, ["GET"]),
    ("/snapshots", save_snapshot, ["POST"]),
    ("/snapshots/{name}/restore", restore_snapshot, ["POST"]),
    ("/snapshots/{name}", delete_snapshot, ["DELETE"]),
]
