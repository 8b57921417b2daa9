"""Grant (authorization) codes: made by the consent page and by the Self Client's "Generate Code".

A code is a ``1000.<hex>.<hex>`` value stored as its hash, bound to client, user, scopes, redirect
URI (none for Self Client codes) and PKCE challenge; it is redeemed once, before it expires
(``TokenPolicy.grant_code_seconds``; Self Client codes 3, 5, 7 or 10 minutes). At most
``grant_codes_per_client`` codes per window per client: beyond, ``access_denied`` (CRM v8 "Token
Validity").
"""

from __future__ import annotations

from sqlalchemy import Connection

from zcrm_emulator.accounts import repo, throttle
from zcrm_emulator.accounts.clients import Client
from zcrm_emulator.accounts.errors import AccessDenied
from zcrm_emulator.accounts.policy import TokenPolicy
from zcrm_emulator.accounts.tokens import digest, new_token_value


def issue_code(
    conn: Connection,
    policy: TokenPolicy,
    now_ms: int,
    *,
    client: Client,
    user_id: str,
    scopes: list[str],
    lifetime_seconds: int,
    redirect_uri: str | None = None,
    gives_refresh_token: bool = True,
    code_challenge: str | None = None,
    code_challenge_method: str | None = None,
) -> str:
    """A new grant code's value (shown once); AccessDenied past the per-client rate."""
    allowed = throttle.allow(
        conn,
        policy,
        kind=throttle.GRANT_CODES,
        subject=client.id,
        org_id=client.org_id,
        rate=policy.grant_codes_per_client,
        now_ms=now_ms,
    )
    if not allowed:
        raise AccessDenied()
    code = new_token_value()
    repo.insert_code(
        conn,
        code_hash=digest(code),
        org_id=client.org_id,
        client_id=client.id,
        user_id=user_id,
        scopes=" ".join(scopes),
        redirect_uri=redirect_uri,
        gives_refresh_token=gives_refresh_token,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        created_ms=now_ms,
        expires_ms=now_ms + lifetime_seconds * 1000,
    )
    return code
