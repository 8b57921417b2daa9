"""Minting refresh and access tokens under Zoho's caps, and the token endpoint's success body.

Caps (REFERENCE §2.6, §8 item 8; numbers from the policy in force):

* refresh tokens per user per client: at most ``refresh_tokens_per_user_client`` minted per window
  (beyond: the "Access Denied" throttle); at most ``refresh_tokens_active_per_user_client`` alive —
  one more deletes the oldest **and every access token minted from it**;
* access tokens per refresh token: at most ``access_tokens_per_refresh_token`` minted per window
  (beyond: throttle; the one made with the refresh token counts); at most
  ``access_tokens_active_per_refresh_token`` unexpired — one more deletes the oldest.

Access tokens without a refresh token (``access_type=online`` codes, client credentials) have no
documented cap and get none.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from zcrm_emulator.accounts import repo, throttle
from zcrm_emulator.accounts.errors import Throttled
from zcrm_emulator.accounts.server_info import ServerInfo
from zcrm_emulator.accounts.tokens import digest, mint_access_token, new_token_value


def mint_refresh_token(
    conn: Connection, info: ServerInfo, now_ms: int, *, org_id: str, client_id: str, user_id: str, scopes: list[str]
) -> str:
    policy = info.policy
    allowed = throttle.allow(
        conn,
        policy,
        kind=throttle.REFRESH_TOKENS,
        subject=throttle.user_client_subject(client_id, user_id),
        org_id=org_id,
        rate=policy.refresh_tokens_per_user_client,
        now_ms=now_ms,
    )
    if not allowed:
        raise Throttled()
    existing = repo.refresh_tokens_of(conn, client_id, user_id)
    excess = len(existing) + 1 - policy.refresh_tokens_active_per_user_client
    if excess > 0:
        repo.delete_refresh_tokens(conn, existing[:excess])
    value = new_token_value()
    repo.insert_refresh_token(
        conn,
        token_hash=digest(value),
        org_id=org_id,
        client_id=client_id,
        user_id=user_id,
        scopes=" ".join(scopes),
        now_ms=now_ms,
    )
    return value


def mint_from_refresh_token(conn: Connection, info: ServerInfo, now_ms: int, refresh: Row[Any]) -> str:
    """An access token carrying the refresh token's (current) scopes."""
    policy = info.policy
    allowed = throttle.allow(
        conn,
        policy,
        kind=throttle.ACCESS_TOKENS,
        subject=refresh.token_hash,
        org_id=refresh.org_id,
        rate=policy.access_tokens_per_refresh_token,
        now_ms=now_ms,
    )
    if not allowed:
        raise Throttled()
    repo.delete_expired_access_tokens_of(conn, refresh.token_hash, now_ms)
    live = repo.live_access_tokens_of(conn, refresh.token_hash, now_ms)
    excess = len(live) + 1 - policy.access_tokens_active_per_refresh_token
    if excess > 0:
        repo.delete_access_tokens(conn, live[:excess])
    return mint_access_token(
        conn,
        org_id=refresh.org_id,
        user_id=refresh.user_id,
        scopes=refresh.scopes.split(),
        now_ms=now_ms,
        client_id=refresh.client_id,
        refresh_token_hash=refresh.token_hash,
        lifetime_seconds=policy.access_token_seconds,
    )


def mint_unbound(
    conn: Connection, info: ServerInfo, now_ms: int, *, org_id: str, client_id: str, user_id: str, scopes: list[str]
) -> str:
    """An access token with no refresh token behind it (online codes, client credentials)."""
    return mint_access_token(
        conn,
        org_id=org_id,
        user_id=user_id,
        scopes=scopes,
        now_ms=now_ms,
        client_id=client_id,
        lifetime_seconds=info.policy.access_token_seconds,
    )


def token_body(
    info: ServerInfo, access_token: str, scopes: list[str], refresh_token: str | None = None
) -> dict[str, Any]:
    """Zoho's success body. ``expires_in`` in seconds and never ``expires_in_sec`` (SDK-WIRE §2: with
    it the SDK reads ``expires_in`` as milliseconds); ``scope`` space-separated (REFERENCE §9 #4)."""
    body: dict[str, Any] = {"access_token": access_token}
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    body.update(
        scope=" ".join(scopes),
        api_domain=info.api_domain,
        token_type="Bearer",
        expires_in=info.policy.access_token_seconds,
    )
    return body
