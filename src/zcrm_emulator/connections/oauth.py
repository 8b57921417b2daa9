"""The OAuth 2 client side of connections: swapping a grant code for tokens and refreshing them.

Requests to a service's token or refresh URL are form posts (``grant_type``, the code or refresh
token, ``client_id``, ``client_secret``, and ``redirect_uri`` for a code), as Zoho's accounts server
and RFC 6749 §4.1.3 / §6 take them, with ``Accept: application/json``; a reply is read as JSON, or
as a form-encoded body for providers that still answer that way. A reply without an access token,
or with ``error`` (Zoho answers errors with HTTP 200), or with a status outside 2xx is refused.

The Zoho CRM service's token URL is this emulator's own ``/oauth/v2/token``: its requests run the
same grant code in-process, on the caller's connection, instead of an HTTP request to itself (a
server with one worker would wait on itself until the timeout).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import httpx
from sqlalchemy import Connection

from zcrm_emulator.accounts import grants
from zcrm_emulator.accounts.errors import AccountsError
from zcrm_emulator.accounts.server_info import ServerInfo
from zcrm_emulator.delivery import DeliveryPolicy, refused_by

TIMEOUT_S = 10.0  # Deluge's connection timeout (AUTOMATION.md §7)
HEADERS = {"Accept": "application/json", "User-Agent": "ZohoCRM-Emulator-Connections"}


class TokenRefused(Exception):
    """The token endpoint gave no tokens: ``detail`` says why (its ``error``, the HTTP status, or
    the network problem)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def code_form(code: str, redirect_uri: str, client_id: str, client_secret: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "client_secret": client_secret,
    }


def refresh_form(refresh_token: str, client_id: str, client_secret: str) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": client_id,
        "client_secret": client_secret,
    }


def read_reply(status_code: int, text: str) -> dict[str, Any]:
    """The token reply's fields; TokenRefused when it carries no access token."""
    try:
        parsed = json.loads(text)
        body = parsed if isinstance(parsed, dict) else {}
    except ValueError:
        body = dict(parse_qsl(text))
    if not 200 <= status_code < 300:
        raise TokenRefused(f"HTTP {status_code}{': ' + str(body['error']) if body.get('error') else ''}")
    if body.get("error"):
        raise TokenRefused(str(body["error"]))
    if not isinstance(body.get("access_token"), str) or not body["access_token"]:
        raise TokenRefused("the reply holds no access_token")
    return body


def _refuse_by_policy(policy: DeliveryPolicy | None, url: str) -> None:
    if policy is not None and refused_by(policy, url):
        raise TokenRefused("refused: the outbound policy forbids private and loopback hosts")


def post(url: str, form: Mapping[str, str], policy: DeliveryPolicy | None = None) -> dict[str, Any]:
    """A token request over HTTP, waiting for the answer (at most ``TIMEOUT_S``)."""
    _refuse_by_policy(policy, url)
    try:
        with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False) as client:
            response = client.post(url, data=dict(form), headers=HEADERS)
    except httpx.HTTPError as problem:
        raise TokenRefused(f"{type(problem).__name__}: {problem}") from None
    return read_reply(response.status_code, response.text)


async def post_async(url: str, form: Mapping[str, str], policy: DeliveryPolicy | None = None) -> dict[str, Any]:
    """The same, for a page handler: the server keeps answering other requests meanwhile."""
    _refuse_by_policy(policy, url)
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_S, follow_redirects=False) as client:
            response = await client.post(url, data=dict(form), headers=HEADERS)
    except httpx.HTTPError as problem:
        raise TokenRefused(f"{type(problem).__name__}: {problem}") from None
    return read_reply(response.status_code, response.text)


def own_server(conn: Connection, info: ServerInfo, now_ms: int, form: Mapping[str, str]) -> dict[str, Any]:
    """A token request to this emulator's accounts server, run in-process on ``conn``."""
    try:
        body = grants.handle(conn, info, now_ms, form, grants.TOKEN_ENDPOINT)
    except AccountsError as error:
        raise TokenRefused(error.error) from None
    return read_reply(200, json.dumps(body))
