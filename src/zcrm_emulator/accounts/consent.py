"""What the two consent pages share (``/oauth/v2/auth`` and ``/oauth/v2/token/addextrascope``).

* The checks made before any page is shown: the client exists, the ``redirect_uri`` is one of its
  registered URIs **exactly** (no prefix or case folding), the ``response_type`` is right and every
  scope is grantable. Any failure is an HTML error page, never a redirect: a redirect to an
  unchecked URI would hand the answer to whoever wrote the link.
* The pending page: its form carries a random token (the CSRF token) whose hash keys the stored,
  already validated request. The answer (``POST /oauth/v2/consent``) must bring that token back
  within ``CONSENT_PAGE_SECONDS``, once; the request itself cannot be altered by the form.
* The redirect back: ``{redirect_uri}?…`` with the answer's parameters URL-encoded, appended with
  ``&`` when the registered URI already has a query.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Connection, Row

from zcrm_emulator.accounts import repo, scope_families
from zcrm_emulator.accounts.clients import Client
from zcrm_emulator.accounts.server_info import ServerInfo
from zcrm_emulator.accounts.tokens import digest
from zcrm_emulator.pages import PageError

CONSENT_PAGE_SECONDS = 600

# kind -> answer(conn, info, now_ms, page, form) -> redirect location
Answer = Callable[[Connection, ServerInfo, int, Row[Any], Mapping[str, str]], str]


def param(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    return (value.strip() or None) if isinstance(value, str) else None


def checked_client(conn: Connection, params: Mapping[str, str], response_type: str) -> tuple[Client, str]:
    """The client and its exactly-matching redirect URI; PageError otherwise (order: client,
    redirect URI, response type)."""
    client_id = param(params, "client_id")
    client = repo.get_client(conn, client_id) if client_id else None
    if client is None:
        raise PageError("Invalid Client", "The client_id in this link is not a registered client.")
    redirect_uri = params.get("redirect_uri") or ""
    if redirect_uri not in client.redirect_uris:
        raise PageError("Invalid Redirect URI", "The redirect_uri in this link is not one registered for this client.")
    if param(params, "response_type") != response_type:
        raise PageError("Invalid Response Type", f"The response_type must be {response_type}.")
    return client, redirect_uri


def checked_scopes(params: Mapping[str, str]) -> list[str]:
    try:
        return scope_families.parse(params.get("scope"))
    except ValueError as problem:
        raise PageError("Invalid OAuth Scope", f"{str(problem).capitalize()}.") from None


def redirect_to(uri: str, pairs: list[tuple[str, str]]) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(pairs)


def state_of(request: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The ``state`` to echo, when the request had one."""
    return [("state", request["state"])] if request.get("state") is not None else []


def denied(request: Mapping[str, Any]) -> str:
    """Where a refusal goes: ``{redirect_uri}?error=access_denied[&state=…]``."""
    return redirect_to(request["redirect_uri"], [("error", "access_denied"), *state_of(request)])


@dataclass(frozen=True)
class ConsentView:
    """Everything the consent template shows."""

    token: str
    client: Client
    heading: str
    scopes: list[tuple[str, str]]  # (scope, plain words)
    users: list[dict[str, Any]] = field(default_factory=list)  # choose who signs in
    user: dict[str, Any] | None = None  # or the one user it is about
    granted: list[tuple[str, str]] = field(default_factory=list)  # scopes the app already has
    offline: bool = False


def described(scope_list: list[str]) -> list[tuple[str, str]]:
    return [(scope, scope_families.describe(scope)) for scope in scope_list]


def open_page(conn: Connection, now_ms: int, *, client: Client, request: dict[str, Any]) -> str:
    """Store a validated request; returns the token the page's form must send back."""
    token = secrets.token_urlsafe(32)
    repo.insert_consent_page(
        conn,
        token_hash=digest(token),
        org_id=client.org_id,
        client_id=client.id,
        request=request,
        expires_ms=now_ms + CONSENT_PAGE_SECONDS * 1000,
        now_ms=now_ms,
    )
    return token


def answer(
    conn: Connection, info: ServerInfo, now_ms: int, form: Mapping[str, str], answers: Mapping[str, Answer]
) -> str:
    """The redirect location for the person's answer on a consent page."""
    token = param(form, "consent_token")
    page = repo.take_consent_page(conn, digest(token)) if token else None
    if page is None or page.expires_ms <= now_ms or page.request.get("kind") not in answers:
        raise PageError(
            "Request Expired",
            "This consent page has expired or was already answered. Start again from the application.",
        )
    if param(form, "decision") not in ("accept", "deny"):
        raise PageError("Invalid Request", "Choose Accept or Deny.")
    return answers[page.request["kind"]](conn, info, now_ms, page, form)
