"""``GET /oauth/v2/token/addextrascope``: the second step of incremental authorization (REFERENCE §2.8;
Accounts "Enhance scope"). The first step is the ``update_scopes_token`` grant.

Parameters: ``client_id``, ``response_type=update_scopes``, ``redirect_uri`` (exactly a registered
one), ``scope`` (the extra scopes), ``enhance_token`` (live, and minted for a refresh token of this
client), optional ``state`` (echoed). The page shows whose grant it is and what it adds. On
**Accept** the existing refresh token carries the extra scopes from then on (access tokens minted
from it afterwards have them; tokens already minted keep theirs), the enhance token is spent, and
the browser goes to ``{redirect_uri}?status=success``; on **Deny** to ``…?error=access_denied``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Row

from zcrm_emulator.accounts import consent, repo
from zcrm_emulator.accounts.server_info import ServerInfo
from zcrm_emulator.accounts.tokens import digest
from zcrm_emulator.pages import PageError

KIND = "addextrascope"


def _bad_token() -> PageError:
    return PageError(
        "Invalid Enhance Token", "The enhance_token is unknown, expired, or was not issued for this client."
    )


def _live_grant(conn: Connection, enhance_hash: str, client_id: str, now_ms: int) -> Row[Any]:
    """The refresh token an enhance token is for; PageError when the token cannot be used."""
    enhance = repo.get_enhance_token(conn, enhance_hash)
    if enhance is None or enhance.expires_ms <= now_ms:
        raise _bad_token()
    refresh = repo.get_refresh_token(conn, enhance.refresh_token_hash)
    if refresh is None or refresh.client_id != client_id:
        raise _bad_token()
    return refresh


def open_page(conn: Connection, now_ms: int, params: Mapping[str, str]) -> consent.ConsentView:
    client, redirect_uri = consent.checked_client(conn, params, "update_scopes")
    extra = consent.checked_scopes(params)
    enhance_token = consent.param(params, "enhance_token")
    if enhance_token is None:
        raise _bad_token()
    refresh = _live_grant(conn, digest(enhance_token), client.id, now_ms)
    user = next((u for u in repo.org_users(conn, refresh.org_id) if u["id"] == refresh.user_id), None)
    if user is None:
        raise PageError("Invalid User", "The user this grant belongs to is no longer active.", status=403)
    granted = refresh.scopes.split()
    request = {
        "kind": KIND,
        "redirect_uri": redirect_uri,
        "scopes": extra,
        "state": params.get("state"),
        "enhance_token_hash": digest(enhance_token),
    }
    return consent.ConsentView(
        token=consent.open_page(conn, now_ms, client=client, request=request),
        client=client,
        heading=f"{client.name} would like additional access to your Zoho CRM data",
        scopes=consent.described([s for s in extra if s not in granted]) or consent.described(extra),
        user=user,
        granted=consent.described(granted),
    )


def answer(conn: Connection, info: ServerInfo, now_ms: int, page: Row[Any], form: Mapping[str, str]) -> str:
    wanted = page.request
    if consent.param(form, "decision") == "deny":
        return consent.denied(wanted)
    refresh = _live_grant(conn, wanted["enhance_token_hash"], page.client_id, now_ms)
    scopes = list(dict.fromkeys([*refresh.scopes.split(), *wanted["scopes"]]))
    repo.set_refresh_scopes(conn, refresh.token_hash, " ".join(scopes))
    repo.delete_enhance_token(conn, wanted["enhance_token_hash"])
    repo.add_consent(
        conn,
        org_id=page.org_id,
        client_id=page.client_id,
        user_id=refresh.user_id,
        scopes=wanted["scopes"],
        now_ms=now_ms,
    )
    return consent.redirect_to(wanted["redirect_uri"], [("status", "success"), *consent.state_of(wanted)])
