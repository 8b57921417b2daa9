"""The accounts server on the control plane (``/_emulator/...``): clients, Self Client codes and the
token policy, for tests and operators. Same errors as the rest of the control plane (Zoho's
``{code, details, message, status}`` envelope).

    GET    /_emulator/clients                  {"clients": [...]}            (?org_id= to filter)
    POST   /_emulator/clients                  {"client_name", "homepage_url", "redirect_uris": [...], "org_id"?}
                                               -> 201 {"client": {..., "client_secret"}}  (the secret only here)
    DELETE /_emulator/clients/{client_id}      {"status": "success"}
    POST   /_emulator/self-client              {"scope", "minutes"?, "user"? (id or email), "org_id"?}
                                               -> what ``zcrm-emulator self-client --json`` prints
    GET    /_emulator/token-policy             {"name", "overrides", "limits"}
    PUT    /_emulator/token-policy             {"name"?, "overrides"?} -> the same
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.accounts import api_console, repo, self_client, server_info
from zcrm_emulator.accounts.clients import validate_server_client
from zcrm_emulator.accounts.errors import AccessDenied
from zcrm_emulator.accounts.policy import PolicyError
from zcrm_emulator.control.access import read_object
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.wire import reply


def _org_id(conn: Connection, body: dict[str, Any], emulator: Emulator) -> str:
    org_id = str(body.get("org_id") or emulator.default_org_id)
    if not repo.org_exists(conn, org_id):
        raise ZohoError("INVALID_DATA", {"api_name": "org_id"}, Message.UNKNOWN_ID)
    return org_id


async def list_clients(request: Request, emulator: Emulator) -> Response:
    with emulator.store.tx() as conn:
        found = api_console.list_clients(conn, request.query_params.get("org_id"))
    return reply({"clients": [client.public() for client in found]})


async def create_client(request: Request, emulator: Emulator) -> Response:
    body = await read_object(request)
    new = validate_server_client(body)
    with emulator.store.tx() as conn:
        client, secret = api_console.create_server_client(
            conn, _org_id(conn, body, emulator), new, emulator.clock.now_ms()
        )
    return reply({"client": {**client.public(), "client_secret": secret}}, status=201)


async def delete_client(request: Request, emulator: Emulator) -> Response:
    with emulator.store.tx() as conn:
        found = api_console.delete_client(conn, request.path_params["client_id"])
    if not found:
        raise ZohoError("INVALID_DATA", {"api_name": "client_id"}, Message.UNKNOWN_ID)
    return reply({"status": "success"})


async def self_client_code(request: Request, emulator: Emulator) -> Response:
    body = await read_object(request)
    minutes = body.get("minutes")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int)):
        raise ZohoError("INVALID_DATA", {"api_name": "minutes", "expected_data_type": "integer"})
    scope = body.get("scope")
    if isinstance(scope, list):
        scope = ",".join(str(s) for s in scope)
    with emulator.store.tx() as conn:
        info = server_info.for_server(conn, emulator.settings)
        org_id = _org_id(conn, body, emulator)
        try:
            grant = self_client.grant_code(
                conn,
                info,
                emulator.clock.now_ms(),
                org_id=org_id,
                user=body.get("user"),
                scope=scope if isinstance(scope, str) else None,
                minutes=minutes,
            )
        except self_client.InvalidChoice as problem:
            raise ZohoError(
                "INVALID_DATA", {"api_name": problem.field}, Message.TOKEN_POLICY, problem=problem
            ) from None
        except AccessDenied:
            rate = info.policy.grant_codes_per_client
            details = {"limit": rate.count, "limit_due_to": "grant_codes_per_client"}
            raise ZohoError("LIMIT_EXCEEDED", details) from None
    return reply(grant.as_dict())


def _policy_reply(conn: Connection, emulator: Emulator) -> Response:
    name, overrides = server_info.policy_choice(conn, emulator.settings)
    policy = server_info.for_server(conn, emulator.settings).policy
    return reply({"name": name, "overrides": overrides, "limits": policy.as_dict()})


async def get_token_policy(request: Request, emulator: Emulator) -> Response:
    with emulator.store.tx() as conn:
        return _policy_reply(conn, emulator)


async def put_token_policy(request: Request, emulator: Emulator) -> Response:
    body = await read_object(request)
    overrides = body.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise ZohoError("INVALID_DATA", {"api_name": "overrides", "expected_data_type": "jsonobject"})
    with emulator.store.tx() as conn:
        current_name, _ = server_info.policy_choice(conn, emulator.settings)
        try:
            server_info.put_policy(conn, str(body.get("name") or current_name), overrides)
        except PolicyError as problem:
            raise ZohoError(
                "INVALID_DATA", {"api_name": "token_policy"}, Message.TOKEN_POLICY, problem=problem
            ) from None
        return _policy_reply(conn, emulator)


Handler = Callable[[Request, Emulator], Awaitable[Response]]
# (path, handler, methods) for control/routes.py to mount.
ROUTES: list[tuple[str, Handler, list[str]]] = [
    ("/clients", list_clients, ["GET"]),
    ("/clients", create_client, ["POST"]),
    ("/clients/{client_id}", delete_client, ["DELETE"]),
    ("/self-client", self_client_code, ["POST"]),
    ("/token-policy", get_token_policy, ["GET"]),
    ("/token-policy", put_token_policy, ["PUT"]),
]
