"""Connections on the control plane, for tests (AUTOMATION.md §6.3: Zoho has no REST API for them,
so the emulator's is here, outside ``/crm``). Errors are Zoho's envelope.

    POST   /_emulator/connections
           {"link_name", "service_link_name", "connection_name"?, "org_id"?,
            "auth_type"?, "param_type"?, "token_url"?, "refresh_url"?, "authorize_url"?,
            "client_id"?, "client_secret"?, "scopes"?, "scope_delimiter"?, "service_name"?,
            "api_key_params"?, "credentials" | "params"?,
            "access_token"?, "refresh_token"?, "expires_in"?}
           -> 201 {"connection": {…}}  a connection, connected when its credentials are complete.
           A ``service_link_name`` the org has no service for makes that custom service from the
           service keys (an API-key service's parameters default to the keys of ``credentials``);
           ``zohocrm`` is the ready-made Zoho CRM service. OAuth 2 tokens come top-level or in
           ``credentials``; ``expires_in`` (seconds, default 3600) starts on the emulator clock.
    GET    /_emulator/connections[?org_id=]          -> {"connections": […], "services": […]}
    GET    /_emulator/connections/{link_name}        -> {"connection": {…}}
    DELETE /_emulator/connections/{link_name}        -> {"status": "success"}

No secret is ever shown. Unknown link names: INVALID_DATA naming ``link_name``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.accounts.repo import org_exists
from zcrm_emulator.connections import rules, service
from zcrm_emulator.control.access import read_object
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import Invalid, finite_number
from zcrm_emulator.wire import reply

SERVICE_KEYS = (
    "service_name",
    "auth_type",
    "param_type",
    "client_id",
    "client_secret",
    "authorize_url",
    "token_url",
    "refresh_url",
    "scopes",
    "scope_delimiter",
    "api_key_params",
)
TOKEN_KEYS = ("access_token", "refresh_token")


def _org_id(conn: Connection, given: Any, emulator: Emulator) -> str:
    org_id = str(given or "").strip() or emulator.default_org_id
    if not org_exists(conn, org_id):
        raise ZohoError("INVALID_DATA", {"api_name": "org_id"}, Message.UNKNOWN_ID)
    return org_id


def _credentials(body: Mapping[str, Any]) -> dict[str, Any]:
    given = body.get("credentials", body.get("params"))
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise ZohoError("INVALID_DATA", {"api_name": "credentials", "expected_data_type": "jsonobject"})
    return given


def _tokens(body: Mapping[str, Any], credentials: Mapping[str, Any], now_ms: int) -> service.Tokens | None:
    values: dict[str, str] = {}
    for name in TOKEN_KEYS:
        value = body.get(name, credentials.get(name))
        if value is None:
            continue
        if not isinstance(value, str) or not value or len(value) > rules.SECRET_MAX:
            raise ZohoError("INVALID_DATA", {"api_name": name, "expected_data_type": "text"})
        values[name] = value
    if not values:
        return None
    expires_in = body.get("expires_in", credentials.get("expires_in", rules.DEFAULT_EXPIRES_IN))
    try:
        seconds = finite_number(expires_in)
    except Invalid:
        seconds = -1
    if seconds < 0:
        raise ZohoError("INVALID_DATA", {"api_name": "expires_in", "expected_data_type": "integer"})
    return service.Tokens(
        values.get("access_token"), values.get("refresh_token"), rules.expires_ms(now_ms, int(seconds))
    )


def _service_item(body: Mapping[str, Any], link_name: str, credentials: Mapping[str, Any]) -> dict[str, Any]:
    item = {key: body[key] for key in SERVICE_KEYS if key in body}
    item["service_link_name"] = link_name
    item.setdefault("service_name", link_name)
    if item.get("auth_type") == rules.API_KEY and "api_key_params" not in item and credentials:
        item["api_key_params"] = [{"key": key} for key in credentials]
    return item


async def create_connection(request: Request, emulator: Emulator) -> Response:
    body = await read_object(request)
    credentials = _credentials(body)
    service_link = body.get("service_link_name")
    with emulator.store.tx(writes=True) as conn:
        org_id = _org_id(conn, body.get("org_id"), emulator)
        now_ms = emulator.clock.now_ms()
        if service_link == rules.ZOHO_CRM_LINK_NAME:
            existing = service.ensure_zoho_crm(conn, org_id, emulator.settings.base_url, now_ms)
        elif isinstance(service_link, str) and service_link:
            existing = service.get_service(conn, org_id, service_link) or service.create_service(
                conn, org_id, _service_item(body, service_link, credentials), now_ms
            )
        else:
            raise ZohoError(
                "MANDATORY_NOT_FOUND", {"api_name": "service_link_name", "json_path": "$.service_link_name"}
            )
        if body.get("auth_type") not in (None, existing.data["auth_type"]):
            raise ZohoError("INVALID_DATA", {"api_name": "auth_type", "supported_values": [existing.data["auth_type"]]})
        item = {
            "connection_link_name": body.get("link_name", body.get("connection_link_name")),
            "connection_name": body.get("connection_name"),
            "service_link_name": service_link,
            "scopes": body.get("scopes"),
        }
        oauth2 = existing.data["auth_type"] == rules.OAUTH2
        stored = service.create_connection(
            conn,
            org_id,
            item,
            now_ms,
            credentials=None if oauth2 else credentials,
            tokens=_tokens(body, credentials, now_ms) if oauth2 else None,
        )
        shown = service.find_connection(conn, org_id, stored.link_name)
    return reply({"connection": shown}, status=201)


async def list_connections(request: Request, emulator: Emulator) -> Response:
    with emulator.store.tx() as conn:
        org_id = _org_id(conn, request.query_params.get("org_id"), emulator)
        return reply(
            {"connections": service.list_connections(conn, org_id), "services": service.list_services(conn, org_id)}
        )


async def get_connection(request: Request, emulator: Emulator) -> Response:
    with emulator.store.tx() as conn:
        org_id = _org_id(conn, request.query_params.get("org_id"), emulator)
        shown = service.find_connection(conn, org_id, request.path_params["link_name"])
    if shown is None:
        raise ZohoError("INVALID_DATA", {"api_name": "link_name"})
    return reply({"connection": shown})


async def delete_connection(request: Request, emulator: Emulator) -> Response:
    with emulator.store.tx(writes=True) as conn:
        org_id = _org_id(conn, request.query_params.get("org_id"), emulator)
        found = service.delete_connection(conn, org_id, request.path_params["link_name"])
    if not found:
        raise ZohoError("INVALID_DATA", {"api_name": "link_name"})
    return reply({"status": "success"})


ROUTES: list[tuple[str, Callable[[Request, Emulator], Awaitable[Response]], list[str]]] = [
    ("/connections", create_connection, ["POST"]),
    ("/connections", list_connections, ["GET"]),
    ("/connections/{link_name}", get_connection, ["GET"]),
    ("/connections/{link_name}", delete_connection, ["DELETE"]),
]
