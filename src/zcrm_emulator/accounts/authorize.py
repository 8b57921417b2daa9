"""``GET /oauth/v2/auth``: the consent page, and the answer that redirects back (REFERENCE §2.3;
Accounts "Get authorization code").

Parameters: ``client_id``, ``response_type=code``, ``redirect_uri`` (exactly a registered one),
``scope`` (comma-separated), optional ``state`` (echoed), ``access_type`` (``online`` default, or
``offline``), ``prompt=consent``, and PKCE's ``code_challenge`` / ``code_challenge_method``.

On **Accept**: a grant code, then ``302 {redirect_uri}?state=…&code=…&location=<dc>&accounts-server=<url>``.
``access_type=offline`` makes the code give a refresh token the first time this user consents to
this client, and again only with ``prompt=consent``. Past ``grant_codes_per_client``, and on
**Deny**: ``302 {redirect_uri}?error=access_denied&state=…``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row

from zcrm_emulator.accounts import codes, consent, pkce, repo
from zcrm_emulator.accounts.clients import Client
from zcrm_emulator.accounts.errors import AccessDenied
from zcrm_emulator.accounts.server_info import ServerInfo
from zcrm_emulator.pages import PageError

KIND = "authorize"
ACCESS_TYPES = ("online", "offline")


@dataclass(frozen=True)
class AuthRequest:
    client: Client
    redirect_uri: str
    scopes: list[str]
    state: str | None
    offline: bool
    prompt_consent: bool
    code_challenge: str | None
    code_challenge_method: str | None

    def stored(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "redirect_uri": self.redirect_uri,
            "scopes": self.scopes,
            "state": self.state,
            "offline": self.offline,
            "prompt_consent": self.prompt_consent,
            "code_challenge": self.code_challenge,
            "code_challenge_method": self.code_challenge_method,
        }


def parse_request(conn: Connection, params: Mapping[str, str]) -> AuthRequest:
    """The validated request, or the PageError the person sees instead."""
    client, redirect_uri = consent.checked_client(conn, params, "code")
    scopes = consent.checked_scopes(params)
    access_type = consent.param(params, "access_type") or "online"
    if access_type not in ACCESS_TYPES:
        raise PageError("Invalid Access Type", "The access_type must be online or offline.")
    try:
        challenge, method = pkce.checked_challenge(
            consent.param(params, "code_challenge"), consent.param(params, "code_challenge_method")
        )
    except ValueError as problem:
        raise PageError("Invalid Code Challenge", f"{str(problem).capitalize()}.") from None
    return AuthRequest(
        client=client,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=params.get("state"),
        offline=access_type == "offline",
        prompt_consent=consent.param(params, "prompt") == "consent",
        code_challenge=challenge,
        code_challenge_method=method,
    )


def open_page(conn: Connection, now_ms: int, request: AuthRequest) -> consent.ConsentView:
    users = repo.org_users(conn, request.client.org_id)
    if not users:
        raise PageError("No Users", "This organization has no active user who could sign in.", status=403)
    token = consent.open_page(conn, now_ms, client=request.client, request=request.stored())
    return consent.ConsentView(
        token=token,
        client=request.client,
        heading=f"{request.client.name} would like to access your Zoho CRM data",
        scopes=consent.described(request.scopes),
        users=users,
        offline=request.offline,
    )


def answer(conn: Connection, info: ServerInfo, now_ms: int, page: Row[Any], form: Mapping[str, str]) -> str:
    wanted = page.request
    if consent.param(form, "decision") == "deny":
        return consent.denied(wanted)
    client = repo.get_client(conn, page.client_id)
    user_id = consent.param(form, "user_id")
    if client is None or not any(u["id"] == user_id for u in repo.org_users(conn, page.org_id)):
        raise PageError("Invalid User", "Choose one of the organization's users to sign in as.")
    assert user_id is not None
    first_consent = repo.get_consent(conn, client.id, user_id) is None
    try:
        code = codes.issue_code(
            conn,
            info.policy,
            now_ms,
            client=client,
            user_id=user_id,
            scopes=wanted["scopes"],
            lifetime_seconds=info.policy.grant_code_seconds,
            redirect_uri=wanted["redirect_uri"],
            gives_refresh_token=wanted["offline"] and (first_consent or wanted["prompt_consent"]),
            code_challenge=wanted["code_challenge"],
            code_challenge_method=wanted["code_challenge_method"],
        )
    except AccessDenied:
        return consent.denied(wanted)
    repo.add_consent(
        conn, org_id=client.org_id, client_id=client.id, user_id=user_id, scopes=wanted["scopes"], now_ms=now_ms
    )
    pairs = [
        *consent.state_of(wanted),
        ("code", code),
        ("location", info.dc),
        ("accounts-server", info.accounts_server),
    ]
    return consent.redirect_to(wanted["redirect_uri"], pairs)
