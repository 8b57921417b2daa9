"""Access tokens: minting and lookup. Values are stored only as SHA-256 hashes.

Token strings look like Zoho's, ``1000.<32 hex>.<32 hex>`` (REFERENCE §2.4), so the official SDK's
cache keys (which cut the last 32 characters) stay distinct.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection

from zcrm_emulator.accounts import repo

ACCESS_TOKEN_SECONDS = 3600


def new_token_value() -> str:
    return f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class AccessToken:
    org_id: str
    user_id: str
    scopes: tuple[str, ...]
    client_id: str | None
    expires_ms: int


def mint_access_token(
    conn: Connection,
    *,
    org_id: str,
    user_id: str,
    scopes: list[str],
    now_ms: int,
    client_id: str | None = None,
    refresh_token_hash: str | None = None,
    lifetime_seconds: int = ACCESS_TOKEN_SECONDS,
) -> str:
    value = new_token_value()
    repo.insert_access_token(
        conn,
        token_hash=digest(value),
        org_id=org_id,
        user_id=user_id,
        client_id=client_id,
        refresh_token_hash=refresh_token_hash,
        scopes=" ".join(scopes),
        created_ms=now_ms,
        expires_ms=now_ms + lifetime_seconds * 1000,
    )
    return value


def lookup_access_token(conn: Connection, value: str, now_ms: int) -> AccessToken | None:
    """The live token with this value; None when unknown, revoked (deleted) or expired."""
    row = repo.access_token_by_hash(conn, digest(value))
    if row is None:
        return None
    org_id, user_id, scopes, client_id, expires_ms = row
    if expires_ms <= now_ms:
        return None
    return AccessToken(org_id, user_id, tuple(scopes.split()), client_id, expires_ms)
