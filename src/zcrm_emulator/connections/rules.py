"""Connections' rules as data and plain functions (no HTTP, no SQL): what a custom service and a
connection may hold (AUTOMATION.md §6.2), where a credential goes on an outgoing request (§9 #18,
docs/decisions.md "Automation"), the authorization URL of the OAuth 2 flow, and the shapes shown.

Zoho's UI model (Setup › Developer Hub › Connections):

* Service Name ≤ 50 characters; Service Link Name and Connection Link Name unique, starting with a
  lower-case letter, then lower-case letters, digits and ``_``, ≤ 50;
* authentication: OAuth 2 (client id and secret, authorize / access-token / refresh-token URLs,
  scopes joined by a comma, space or plus, token sent in a header or the query string), API Key
  (parameters, each sent as a header, query parameter or form field, with values asked for when
  connecting), Basic (user name and password as ``Authorization: Basic``). OAuth 1 and the client
  credentials grant are not offered (docs/decisions.md).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from zcrm_emulator.clock import iso
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.validation import Key, Requires, Spec, Taken, at

NAME_MAX = 50
LINK_NAME = re.compile(r"[a-z][a-z0-9_]{0,49}")
PARAM_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,100}")  # a header or query parameter name
SECRET_MAX = 2000

OAUTH2, API_KEY, BASIC = "oauth2", "api_key", "basic"
AUTH_TYPES = {OAUTH2: "OAuth 2", API_KEY: "API Key", BASIC: "Basic Authentication"}
HEADER, QUERY, FORM = "header", "query", "form"
PARAM_TYPE_LABELS = {HEADER: "Header", QUERY: "Query String", FORM: "Form Data"}
PARAM_TYPES = {OAUTH2: (HEADER, QUERY), API_KEY: (HEADER, QUERY, FORM), BASIC: (HEADER,)}
SCOPE_DELIMITERS = {"comma": ",", "space": " ", "plus": "+"}
MAX_SCOPES = 100
MAX_API_KEY_PARAMS = 10

CONNECTED, NOT_CONNECTED = "connected", "not_connected"
STATUS_LABELS = {CONNECTED: "Connected", NOT_CONNECTED: "Not connected"}

# The ready-made service: Zoho CRM through this emulator's own accounts server, never a real Zoho host.
ZOHO_CRM_LINK_NAME = "zohocrm"
ZOHO_CRM_NAME = "Zoho CRM"
ZOHO_CRM_SCOPES = ("ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL")
AUTHORIZE_PATH = "/oauth/v2/auth"
TOKEN_PATH = "/oauth/v2/token"
CALLBACK_PATH = "/console/connections/callback"

# Names of the console's own pages beside ``/console/connections/{link name}``.
RESERVED_LINK_NAMES = frozenset({"new", "services", "callback"})

AUTHORIZATION_SECONDS = 600  # a started Create and Connect must come back within this (emulator clock)
DEFAULT_EXPIRES_IN = 3600  # a token reply without ``expires_in``: Zoho's own access-token lifetime

SERVICE_SPEC = Spec(
    (
        Key("service_name", mandatory=True, min_length=1, max_length=NAME_MAX),
        Key("service_link_name", mandatory=True, max_length=NAME_MAX, pattern=LINK_NAME, unique=True),
        Key("auth_type", mandatory=True, choices=tuple(AUTH_TYPES)),
        Key("param_type", choices=tuple(PARAM_TYPE_LABELS)),
        Key("client_id", max_length=SECRET_MAX),
        Key("client_secret", max_length=SECRET_MAX),
        Key("authorize_url", type="url", max_length=SECRET_MAX),
        Key("token_url", type="url", max_length=SECRET_MAX),
        Key("refresh_url", type="url", max_length=SECRET_MAX),
        Key("scopes", type="array", max_items=MAX_SCOPES),
        Key("scope_delimiter", choices=tuple(SCOPE_DELIMITERS)),
        Key(
            "api_key_params",
            type="array",
            min_items=1,
            max_items=MAX_API_KEY_PARAMS,
            items=Spec(
                (
                    Key("key", mandatory=True, pattern=PARAM_NAME),
                    Key("display_name", max_length=NAME_MAX),
                )
            ),
        ),
    ),
    rules=(
        Requires("token_url", "auth_type", (OAUTH2,)),
        Requires("api_key_params", "auth_type", (API_KEY,)),
    ),
)
# What the console's form asks for besides: everything the browser flow needs.
INTERACTIVE_OAUTH2_KEYS = ("client_id", "client_secret", "authorize_url")

CONNECTION_SPEC = Spec(
    (
        Key("connection_name", max_length=NAME_MAX),
        Key(
            "connection_link_name",
            mandatory=True,
            max_length=NAME_MAX,
            pattern=LINK_NAME,
            unique=True,
            reserved=RESERVED_LINK_NAMES,
        ),
        Key("service_link_name", mandatory=True, max_length=NAME_MAX),
        Key("scopes", type="array", max_items=MAX_SCOPES),
    )
)


class CredentialUnavailable(Exception):
    """A connection cannot give a credential: ``reason`` is ``not_found`` (no such connection),
    ``not_connected`` (never connected, or its credentials are incomplete), ``expired`` (an OAuth 2
    token past its expiry with no refresh token) or ``refresh_failed`` (the refresh URL refused or
    did not answer)."""

    def __init__(self, link_name: str, reason: str, detail: str = "") -> None:
        super().__init__(f"connection {link_name!r}: {reason}{f' ({detail})' if detail else ''}")
        self.link_name = link_name
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Credential:
    """What to add to an outgoing request: headers, query parameters, and form fields (API keys
    with param type form data; a request whose body is not a form carries them in its query)."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    query: list[tuple[str, str]] = field(default_factory=list)
    form: list[tuple[str, str]] = field(default_factory=list)


# --- checking what is made --------------------------------------------------------------------------


def _strings(item: Mapping[str, Any], name: str, json_path: str) -> list[str]:
    values = item.get(name) or []
    if not all(isinstance(value, str) and value.strip() and len(value) <= 255 for value in values):
        raise ZohoError("INVALID_DATA", at(json_path, name, expected_data_type="text"))
    return [value.strip() for value in values]


def check_service(
    item: Any, json_path: str, taken: Taken, *, interactive: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A custom service to store: its data (defaults filled, only the keys of its auth type) and its
    secrets (the client secret). ``interactive``: made in the console, where Create and Connect
    needs the client and the authorize URL too."""
    clean = SERVICE_SPEC.check(item, json_path, taken=taken)
    auth_type = clean["auth_type"]
    param_type = clean.get("param_type") or HEADER
    if param_type not in PARAM_TYPES[auth_type]:
        raise ZohoError("INVALID_DATA", at(json_path, "param_type", supported_values=list(PARAM_TYPES[auth_type])))
    data: dict[str, Any] = {
        "service_name": clean["service_name"].strip(),
        "service_link_name": clean["service_link_name"],
        "auth_type": auth_type,
        "param_type": param_type,
        "builtin": False,
    }
    secrets: dict[str, Any] = {}
    if auth_type == OAUTH2:
        if interactive:
            for name in INTERACTIVE_OAUTH2_KEYS:
                if not clean.get(name):
                    details = {**at(json_path, name), "dependee": at(json_path, "auth_type")}
                    raise ZohoError("DEPENDENT_FIELD_MISSING", details)
        data.update(
            client_id=clean.get("client_id") or None,
            authorize_url=clean.get("authorize_url") or None,
            token_url=clean["token_url"],
            refresh_url=clean.get("refresh_url") or clean["token_url"],
            scopes=_strings(clean, "scopes", json_path),
            scope_delimiter=clean.get("scope_delimiter") or "comma",
        )
        if clean.get("client_secret"):
            secrets["client_secret"] = clean["client_secret"]
    elif auth_type == API_KEY:
        params = [
            {"key": p["key"], "display_name": (p.get("display_name") or p["key"]).strip()}
            for p in clean["api_key_params"]
        ]
        keys = [p["key"].lower() for p in params]
        if len(set(keys)) != len(keys):
            raise ZohoError("DUPLICATE_DATA", at(json_path, "api_key_params"))
        data["api_key_params"] = params
    return data, secrets


def check_connection(item: Any, json_path: str, taken: Taken, service: Mapping[str, Any]) -> dict[str, Any]:
    """A connection to store (without its credentials): name, link name, scopes (OAuth 2 only;
    the service's unless given)."""
    clean = CONNECTION_SPEC.check(item, json_path, taken=taken)
    link_name = clean["connection_link_name"]
    data: dict[str, Any] = {
        "connection_name": (clean.get("connection_name") or "").strip() or link_name,
        "connection_link_name": link_name,
    }
    if service["auth_type"] == OAUTH2:
        data["scopes"] = _strings(clean, "scopes", json_path) or list(service.get("scopes") or [])
    return data


def check_credentials(service: Mapping[str, Any], given: Mapping[str, Any], json_path: str) -> dict[str, Any]:
    """The secrets a connection is given for an API-key or Basic service: every key parameter's
    value, or a user name (no ``:``, RFC 7617) and a password. Nothing given: ``{}``."""
    if not given:
        return {}
    if service["auth_type"] == API_KEY:
        values = {}
        for param in service["api_key_params"]:
            value = given.get(param["key"])
            if not isinstance(value, str) or not value:
                raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, param["key"]))
            if len(value) > SECRET_MAX:
                raise ZohoError("INVALID_DATA", at(json_path, param["key"], maximum_length=SECRET_MAX))
            values[param["key"]] = value
        return {"params": values}
    if service["auth_type"] == BASIC:
        username, password = given.get("username"), given.get("password")
        if not isinstance(username, str) or not username:
            raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "username"))
        if ":" in username or len(username) > 255:
            raise ZohoError("INVALID_DATA", at(json_path, "username"))
        if not isinstance(password, str) or not password:
            raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "password"))
        if len(password) > SECRET_MAX:
            raise ZohoError("INVALID_DATA", at(json_path, "password", maximum_length=SECRET_MAX))
        return {"username": username, "password": password}
    return {}


def complete(service: Mapping[str, Any], secrets: Mapping[str, Any]) -> bool:
    """The secrets are enough to authenticate a request (the connection is "connected")."""
    if service["auth_type"] == API_KEY:
        return bool(secrets.get("params"))
    if service["auth_type"] == BASIC:
        return bool(secrets.get("username"))
    return bool(secrets.get("access_token") or secrets.get("refresh_token"))


# --- the ready-made Zoho CRM service ------------------------------------------------------------------


def zoho_crm_service(base_url: str, client_id: str) -> dict[str, Any]:
    """The data of the Zoho CRM service, pointed at this emulator's accounts server."""
    return {
        "service_name": ZOHO_CRM_NAME,
        "service_link_name": ZOHO_CRM_LINK_NAME,
        "auth_type": OAUTH2,
        "param_type": HEADER,
        "builtin": True,
        "client_id": client_id,
        "authorize_url": base_url + AUTHORIZE_PATH,
        "token_url": base_url + TOKEN_PATH,
        "refresh_url": base_url + TOKEN_PATH,
        "redirect_uri": base_url + CALLBACK_PATH,
        "scopes": list(ZOHO_CRM_SCOPES),
        "scope_delimiter": "comma",
    }


# --- the OAuth 2 flow -----------------------------------------------------------------------------


def scope_parameter(scopes: Sequence[str], delimiter: str) -> str:
    """The ``scope`` value as it goes into a URL: each scope percent-encoded, joined by the
    delimiter as written (a literal ``,``, ``%20`` for space, a literal ``+`` for plus, which a
    form decoder reads back as a space)."""
    joiner = {"comma": ",", "space": "%20", "plus": "+"}[delimiter]
    return joiner.join(quote(scope, safe="") for scope in scopes)


def authorization_url(service: Mapping[str, Any], scopes: Sequence[str], redirect_uri: str, state: str) -> str:
    """Where the browser goes to grant access. The Zoho CRM service asks for offline access with a
    fresh consent, so the code always brings a refresh token (accounts/authorize.py)."""
    pairs = [
        ("response_type", "code"),
        ("client_id", service.get("client_id") or ""),
        ("redirect_uri", redirect_uri),
        ("state", state),
    ]
    if service.get("builtin"):
        pairs += [("access_type", "offline"), ("prompt", "consent")]
    query = urlencode(pairs, quote_via=quote)
    if scopes:
        query += "&scope=" + scope_parameter(scopes, service.get("scope_delimiter") or "comma")
    url = str(service["authorize_url"])
    return url + ("&" if "?" in url else "?") + query


def expires_ms(now_ms: int, expires_in: Any) -> int:
    """When a token answered now with ``expires_in`` (seconds) expires; a missing or unreadable
    value is Zoho's hour."""
    try:
        seconds = int(expires_in)
    except (TypeError, ValueError):
        seconds = DEFAULT_EXPIRES_IN
    return now_ms + max(0, seconds) * 1000


def expired(data: Mapping[str, Any], now_ms: int) -> bool:
    """The access token is past its expiry on the emulator clock (no expiry stored: never)."""
    expiry = data.get("expires_ms")
    return isinstance(expiry, int) and now_ms >= expiry


def token_secrets(reply: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any] | None:
    """The tokens to keep after a token-endpoint reply; None when it holds no access token. A reply
    without a refresh token keeps the one already held (Zoho does not rotate them)."""
    access = reply.get("access_token")
    if not isinstance(access, str) or not access:
        return None
    refresh = reply.get("refresh_token")
    kept = refresh if isinstance(refresh, str) and refresh else previous.get("refresh_token")
    return {"access_token": access, **({"refresh_token": kept} if kept else {})}


# --- where the credential goes ------------------------------------------------------------------


def _placed(param_type: str, pairs: list[tuple[str, str]]) -> Credential:
    if param_type == QUERY:
        return Credential(query=pairs)
    if param_type == FORM:
        return Credential(form=pairs)
    return Credential(headers=pairs)


def credential(service: Mapping[str, Any], secrets: Mapping[str, Any]) -> Credential:
    """What a connected connection adds to a request, per auth type and param type."""
    auth_type = service["auth_type"]
    if auth_type == BASIC:
        pair = f"{secrets['username']}:{secrets['password']}".encode()
        return Credential(headers=[("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"))])
    if auth_type == API_KEY:
        values = secrets["params"]
        return _placed(service["param_type"], [(p["key"], str(values[p["key"]])) for p in service["api_key_params"]])
    token = str(secrets["access_token"])
    if service.get("builtin"):
        return Credential(headers=[("Authorization", f"Zoho-oauthtoken {token}")])
    if service["param_type"] == QUERY:
        return Credential(query=[("access_token", token)])
    return Credential(headers=[("Authorization", f"Bearer {token}")])


# --- shapes -------------------------------------------------------------------------------------


def public_service(data: Mapping[str, Any], service_id: str, created_ms: int, modified_ms: int) -> dict[str, Any]:
    """A service as shown (its client secret never is)."""
    return {"id": service_id, **data, "created_time": iso(created_ms), "modified_time": iso(modified_ms)}


def public_connection(
    connection: Mapping[str, Any], status: str, service: Mapping[str, Any], times: tuple[int, int], connection_id: str
) -> dict[str, Any]:
    """A connection as shown: names, its service, status, scopes and token expiry; never a secret."""
    created_ms, modified_ms = times
    shown: dict[str, Any] = {
        "id": connection_id,
        "connection_name": connection["connection_name"],
        "connection_link_name": connection["connection_link_name"],
        "service_name": service["service_name"],
        "service_link_name": service["service_link_name"],
        "auth_type": service["auth_type"],
        "param_type": service["param_type"],
        "builtin": bool(service.get("builtin")),
        "status": status,
        "created_time": iso(created_ms),
        "modified_time": iso(modified_ms),
        "connected_time": iso(connection["connected_ms"]) if connection.get("connected_ms") else None,
    }
    if service["auth_type"] == OAUTH2:
        expiry = connection.get("expires_ms")
        shown["scopes"] = list(connection.get("scopes") or [])
        shown["access_token_expiry"] = iso(expiry) if isinstance(expiry, int) else None
        shown["refreshable"] = bool(connection.get("refreshable"))
    return shown
