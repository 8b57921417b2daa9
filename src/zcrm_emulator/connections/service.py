"""The steps of connections, on the caller's connection (no transaction of their own): making
services and connections, the OAuth 2 authorization-code flow, and the credential a request gets.

Names (service and connection link names) are checked and written with the org's turn held
(``store.locks``), so two workers cannot both take one. A refresh holds the connection's own turn
and reads the row again once it has it: of two workers finding the token expired, the second uses
the token the first fetched instead of spending the refresh token twice.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.accounts import api_console, server_info
from zcrm_emulator.accounts.clients import NewClient
from zcrm_emulator.accounts.server_info import ServerInfo
from zcrm_emulator.clock import Clock
from zcrm_emulator.connections import oauth, repo, rules
from zcrm_emulator.connections.crypto import SecretBox
from zcrm_emulator.connections.repo import StoredConnection, StoredService
from zcrm_emulator.connections.rules import Credential, CredentialUnavailable
from zcrm_emulator.delivery import DeliveryPolicy
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.store import locks
from zcrm_emulator.store.engine import savepoint
from zcrm_emulator.validation import at

ZOHO_CRM_CLIENT_NAME = "Zoho CRM Connections"


def box(conn: Connection) -> SecretBox:
    return SecretBox(repo.encryption_key(conn))


def _take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"connections:{org_id}")


def _sealed(conn: Connection, values: Mapping[str, Any]) -> str | None:
    return box(conn).seal(values) if values else None


# --- services ---------------------------------------------------------------------------------------


def ensure_zoho_crm(conn: Connection, org_id: str, base_url: str, now_ms: int) -> StoredService:
    """The org's Zoho CRM service, made on first use: a Server-based client registered on this
    emulator's accounts server with the console's callback as its redirect URI. When the server's
    public URL has changed since, a client for the new URL replaces it (connections made through the
    old one must be connected again: their refresh tokens belong to the old client)."""
    redirect_uri = base_url + rules.CALLBACK_PATH
    stored = repo.get_service(conn, org_id, rules.ZOHO_CRM_LINK_NAME)
    if stored is not None and stored.data.get("redirect_uri") == redirect_uri:
        return stored
    _take_turns(conn, org_id)  # then look again: another worker may have made it meanwhile
    stored = repo.get_service(conn, org_id, rules.ZOHO_CRM_LINK_NAME)
    if stored is not None and stored.data.get("redirect_uri") == redirect_uri:
        return stored
    client, secret = api_console.create_server_client(
        conn, org_id, NewClient(ZOHO_CRM_CLIENT_NAME, base_url, (redirect_uri,)), now_ms
    )
    data = rules.zoho_crm_service(base_url, client.id)
    sealed = _sealed(conn, {"client_secret": secret})
    if stored is not None:
        repo.update_service(conn, stored.id, data, sealed, now_ms)
    else:
        service_id = ids.allocate(conn, org_id)[0]
        repo.insert_service(
            conn, StoredService(service_id, org_id, rules.ZOHO_CRM_LINK_NAME, data, sealed, now_ms, now_ms)
        )
    found = repo.get_service(conn, org_id, rules.ZOHO_CRM_LINK_NAME)
    assert found is not None
    return found


def create_service(
    conn: Connection, org_id: str, item: Any, now_ms: int, *, interactive: bool = False, json_path: str = "$"
) -> StoredService:
    """A custom service (ZohoError for what the rules refuse, DUPLICATE_DATA for a link name taken,
    the Zoho CRM service's included)."""
    _take_turns(conn, org_id)

    def taken(key: str, value: Any) -> bool:
        return value == rules.ZOHO_CRM_LINK_NAME or repo.get_service(conn, org_id, value) is not None

    data, service_secrets = rules.check_service(item, json_path, taken, interactive=interactive)
    service = StoredService(
        ids.allocate(conn, org_id)[0],
        org_id,
        data["service_link_name"],
        data,
        _sealed(conn, service_secrets),
        now_ms,
        now_ms,
    )
    repo.insert_service(conn, service)
    return service


def get_service(conn: Connection, org_id: str, link_name: str) -> StoredService | None:
    return repo.get_service(conn, org_id, link_name)


def list_services(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return [rules.public_service(s.data, s.id, s.created_ms, s.modified_ms) for s in repo.list_services(conn, org_id)]


# --- connections ------------------------------------------------------------------------------------


def _public(conn: Connection, stored: StoredConnection) -> dict[str, Any]:
    service = repo.service_by_id(conn, stored.service_id)
    assert service is not None  # the foreign key cascades
    times = (stored.created_ms, stored.modified_ms)
    return rules.public_connection(stored.data, stored.status, service.data, times, stored.id)


def find_connection(conn: Connection, org_id: str, link_name: str) -> dict[str, Any] | None:
    """The org's connection with this link name, without its secrets; None when there is none."""
    stored = repo.get_connection(conn, org_id, link_name)
    return _public(conn, stored) if stored is not None else None


def list_connections(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return [_public(conn, stored) for stored in repo.list_connections(conn, org_id)]


@dataclass(frozen=True)
class Tokens:
    """OAuth 2 tokens a connection is seeded with (the control plane)."""

    access_token: str | None
    refresh_token: str | None
    expires_ms: int | None


def create_connection(
    conn: Connection,
    org_id: str,
    item: Mapping[str, Any],
    now_ms: int,
    *,
    credentials: Mapping[str, Any] | None = None,
    tokens: Tokens | None = None,
    json_path: str = "$",
) -> StoredConnection:
    """A connection to the service ``item["service_link_name"]``: connected when it is given
    complete credentials (API-key values, a user name and password, or OAuth 2 tokens), otherwise
    not connected until Create and Connect finishes."""
    _take_turns(conn, org_id)
    service_link = item.get("service_link_name")
    service = repo.get_service(conn, org_id, service_link) if isinstance(service_link, str) else None
    if service is None:
        if not service_link:
            raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "service_link_name"))
        raise ZohoError("INVALID_DATA", at(json_path, "service_link_name"))

    def taken(key: str, value: Any) -> bool:
        return repo.get_connection(conn, org_id, value) is not None

    data = rules.check_connection(item, json_path, taken, service.data)
    held = rules.check_credentials(service.data, credentials or {}, f"{json_path}.credentials")
    if tokens is not None and service.data["auth_type"] == rules.OAUTH2:
        held = {k: v for k, v in (("access_token", tokens.access_token), ("refresh_token", tokens.refresh_token)) if v}
        if tokens.access_token:
            data["expires_ms"] = tokens.expires_ms
        data["refreshable"] = bool(tokens.refresh_token)
    status = rules.CONNECTED if rules.complete(service.data, held) else rules.NOT_CONNECTED
    if status == rules.CONNECTED:
        data["connected_ms"] = now_ms
    stored = StoredConnection(
        ids.allocate(conn, org_id)[0],
        org_id,
        service.id,
        data["connection_link_name"],
        status,
        data,
        _sealed(conn, held),
        now_ms,
        now_ms,
    )
    repo.insert_connection(conn, stored)
    return stored


def get_connection(conn: Connection, org_id: str, link_name: str) -> StoredConnection | None:
    return repo.get_connection(conn, org_id, link_name)


def service_of(conn: Connection, stored: StoredConnection) -> StoredService:
    service = repo.service_by_id(conn, stored.service_id)
    assert service is not None  # the foreign key cascades
    return service


def set_credentials(
    conn: Connection, stored: StoredConnection, given: Mapping[str, Any], now_ms: int
) -> StoredConnection:
    """Connect an API-key or Basic connection with the values given (ZohoError when incomplete)."""
    service = service_of(conn, stored)
    held = rules.check_credentials(service.data, given, "$.credentials")
    if not held:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "credentials"})
    data = {**stored.data, "connected_ms": now_ms}
    repo.update_connection(
        conn, stored.id, status=rules.CONNECTED, data=data, secret=_sealed(conn, held), now_ms=now_ms
    )
    updated = repo.connection_by_id(conn, stored.id)
    assert updated is not None
    return updated


def delete_connection(conn: Connection, org_id: str, link_name: str) -> bool:
    stored = repo.get_connection(conn, org_id, link_name)
    if stored is None:
        return False
    repo.delete_connection(conn, stored.id)
    return True


# --- Create and Connect: the authorization-code flow --------------------------------------------------


def _state_digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def start_authorization(conn: Connection, stored: StoredConnection, base_url: str, now_ms: int) -> tuple[str, str]:
    """Begin (or begin again) connecting an OAuth 2 connection: the authorize URL to send the
    browser to and its ``state``, ``<connection id>.<random>``. Only the state's hash is kept, with
    the redirect URI and the time, so a callback is taken once and within ``AUTHORIZATION_SECONDS``."""
    service = service_of(conn, stored)
    if service.data["auth_type"] != rules.OAUTH2:
        raise ZohoError("NOT_ALLOWED", {"api_name": "auth_type"})
    if not service.data.get("authorize_url") or not service.data.get("client_id"):
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "authorize_url"})
    state = f"{stored.id}.{secrets.token_urlsafe(24)}"
    redirect_uri = service.data.get("redirect_uri") or base_url + rules.CALLBACK_PATH
    pending = {"state": _state_digest(state), "started_ms": now_ms, "redirect_uri": redirect_uri}
    data = {**stored.data, "pending": pending}
    repo.update_connection(conn, stored.id, status=stored.status, data=data, secret=stored.secret, now_ms=now_ms)
    scopes = stored.data.get("scopes") or []
    return rules.authorization_url(service.data, scopes, redirect_uri, state), state


@dataclass(frozen=True)
class Exchange:
    """A callback that matched a pending authorization: what the token request needs."""

    connection: StoredConnection
    service: StoredService
    form: dict[str, str]


def take_authorization(conn: Connection, org_id: str, state: str | None, code: str | None, now_ms: int) -> Exchange:
    """The pending authorization a callback's ``state`` names, taken (a state works once). ValueError
    with the reason for anything else: unknown, used or expired state, no code."""
    connection_id = (state or "").split(".", 1)[0]
    stored = repo.connection_by_id(conn, connection_id) if ids.normalize_id(connection_id) else None
    pending = stored.data.get("pending") if stored is not None and stored.org_id == org_id else None
    if stored is None or not isinstance(pending, dict):
        raise ValueError("This authorization is unknown or was already used.")
    if not hmac.compare_digest(str(pending.get("state")), _state_digest(state or "")):
        raise ValueError("This authorization is unknown or was already used.")
    data = {key: value for key, value in stored.data.items() if key != "pending"}
    repo.update_connection(conn, stored.id, status=stored.status, data=data, secret=stored.secret, now_ms=now_ms)
    if now_ms - int(pending.get("started_ms", 0)) > rules.AUTHORIZATION_SECONDS * 1000:
        raise ValueError("This authorization took too long; connect again.")
    if not code:
        raise ValueError("The service sent no authorization code back.")
    service = service_of(conn, stored)
    client_secret = str(box(conn).open(service.secret).get("client_secret") or "")
    form = oauth.code_form(code, str(pending["redirect_uri"]), str(service.data.get("client_id") or ""), client_secret)
    return Exchange(stored, service, form)


def exchange_in_process(conn: Connection, exchange: Exchange, info: ServerInfo, now_ms: int) -> StoredConnection:
    """Finish a Zoho CRM connection: the code swapped at this emulator's own token endpoint, run
    in-process (oauth.py). TokenRefused when the grant refuses it."""
    with savepoint(conn):
        reply = oauth.own_server(conn, info, now_ms, exchange.form)
    return store_tokens(conn, exchange.connection.id, reply, now_ms)


def store_tokens(conn: Connection, connection_id: str, reply: Mapping[str, Any], now_ms: int) -> StoredConnection:
    """Keep a token reply (encrypted) with its expiry on the emulator clock: the connection is
    connected."""
    stored = repo.connection_by_id(conn, connection_id)
    if stored is None:
        raise ValueError("The connection was deleted meanwhile.")
    tokens = rules.token_secrets(reply, box(conn).open(stored.secret))
    if tokens is None:
        raise ValueError("The token reply holds no access token.")
    data = {
        **stored.data,
        "expires_ms": rules.expires_ms(now_ms, reply.get("expires_in")),
        "refreshable": "refresh_token" in tokens,
        "connected_ms": now_ms,
    }
    data.pop("pending", None)
    repo.update_connection(
        conn, stored.id, status=rules.CONNECTED, data=data, secret=_sealed(conn, tokens), now_ms=now_ms
    )
    updated = repo.connection_by_id(conn, stored.id)
    assert updated is not None
    return updated


# --- the credential -------------------------------------------------------------------------------


def credential_for(
    conn: Connection, clock: Clock, org_id: str, link_name: str, *, policy: DeliveryPolicy | None = None
) -> Credential:
    """What to add to a request sent with the org's connection ``link_name``; an expired OAuth 2
    token is refreshed first (on ``conn``: the new token is kept when the caller's transaction
    commits). ``policy``: the outbound policy a refresh request must obey (``strict`` refuses
    private and loopback refresh URLs). CredentialUnavailable when there is nothing to add."""
    stored = repo.get_connection(conn, org_id, link_name)
    if stored is None:
        raise CredentialUnavailable(link_name, "not_found")
    service = service_of(conn, stored)
    held = box(conn).open(stored.secret)
    if stored.status != rules.CONNECTED or not rules.complete(service.data, held):
        raise CredentialUnavailable(link_name, "not_connected")
    if service.data["auth_type"] == rules.OAUTH2 and (
        not held.get("access_token") or rules.expired(stored.data, clock.now_ms())
    ):
        held = _refreshed(conn, clock, stored, service, policy)
    return rules.credential(service.data, held)


def _refreshed(
    conn: Connection, clock: Clock, stored: StoredConnection, service: StoredService, policy: DeliveryPolicy | None
) -> dict[str, Any]:
    link_name = stored.link_name
    locks.serialize(conn, f"connections:refresh:{stored.id}")
    current = repo.connection_by_id(conn, stored.id) or stored  # another worker may have refreshed it
    held = box(conn).open(current.secret)
    now_ms = clock.now_ms()
    if held.get("access_token") and not rules.expired(current.data, now_ms):
        return held
    refresh_token = held.get("refresh_token")
    if not refresh_token:
        raise CredentialUnavailable(link_name, "expired", "the access token expired and there is no refresh token")
    client_secret = str(box(conn).open(service.secret).get("client_secret") or "")
    form = oauth.refresh_form(str(refresh_token), str(service.data.get("client_id") or ""), client_secret)
    try:
        if service.data.get("builtin"):
            with savepoint(conn):
                reply = oauth.own_server(conn, server_info.published(conn), now_ms, form)
        else:
            reply = oauth.post(str(service.data.get("refresh_url") or service.data["token_url"]), form, policy)
    except oauth.TokenRefused as refused:
        raise CredentialUnavailable(link_name, "refresh_failed", refused.detail) from None
    return box(conn).open(store_tokens(conn, stored.id, reply, clock.now_ms()).secret)


def console_key(conn: Connection) -> bytes:
    """The key the console signs its form tokens with, derived from the database's secrets key (a
    separate purpose, so a form token tells nothing about the encryption key)."""
    return hmac.new(repo.encryption_key(conn).encode(), b"zcrm-console-forms", hashlib.sha256).digest()
