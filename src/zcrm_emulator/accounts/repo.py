"""The accounts server's SQL: the only module that reads or writes the ``oauth_*`` tables (and deletes
and ``access_tokens``, which ``tokens.py`` mints and looks up through it).

Narrow functions over one connection; the caller owns the transaction (one per request). Values of
tokens, codes and secrets never reach this module: only their SHA-256 hashes do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, insert, select, update

from zcrm_emulator.accounts.clients import Client
from zcrm_emulator.store import uniques
from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import (
    access_tokens,
    oauth_client_secrets,
    oauth_clients,
    oauth_codes,
    oauth_consent_pages,
    oauth_consents,
    oauth_enhance_tokens,
    oauth_mint_events,
    oauth_refresh_tokens,
    orgs,
    users,
)

# --- clients ----------------------------------------------------------------------------------


def _client(row: Row[Any]) -> Client:
    return Client(
        id=row.id,
        org_id=row.org_id,
        kind=row.kind,
        name=row.name,
        homepage_url=row.homepage_url,
        redirect_uris=tuple(row.redirect_uris or ()),
        self_user_id=row.self_user_id,
        created_ms=row.created_ms,
    )


def insert_client(conn: Connection, client: Client) -> bool:
    """False (and nothing written) when ``client`` is a Self Client and its user has one already:
    two requests making a user's first Self Client at once both get the one that was stored."""
    statement = uniques.insert(conn, oauth_clients).values(
        id=client.id,
        org_id=client.org_id,
        kind=client.kind,
        name=client.name,
        homepage_url=client.homepage_url,
        redirect_uris=list(client.redirect_uris),
        self_user_id=client.self_user_id,
        created_ms=client.created_ms,
    )
    statement = statement.on_conflict_do_nothing(index_elements=[oauth_clients.c.self_user_id])
    return conn.execute(statement.returning(oauth_clients.c.id)).first() is not None


def get_client(conn: Connection, client_id: str) -> Client | None:
    row = conn.execute(select(oauth_clients).where(oauth_clients.c.id == client_id)).first()
    return _client(row) if row is not None else None


def self_client_of(conn: Connection, user_id: str) -> Client | None:
    row = conn.execute(select(oauth_clients).where(oauth_clients.c.self_user_id == user_id)).first()
    return _client(row) if row is not None else None


def list_clients(conn: Connection, org_id: str | None = None) -> list[Client]:
    query = select(oauth_clients).order_by(oauth_clients.c.created_ms, oauth_clients.c.id)
    if org_id is not None:
        query = query.where(oauth_clients.c.org_id == org_id)
    return [_client(row) for row in conn.execute(query)]


def delete_client(conn: Connection, client_id: str) -> bool:
    """The client and everything issued to it (codes, refresh tokens, consents cascade). Its access
    tokens go last: a refresh in flight holds its refresh token's row, so the cascade waits for it,
    and the delete after it sees the access token it made."""
    found = conn.execute(delete(oauth_clients).where(oauth_clients.c.id == client_id)).rowcount > 0
    conn.execute(delete(access_tokens).where(access_tokens.c.client_id == client_id))
    return found


def add_secret(conn: Connection, client: Client, secret_hash: str, now_ms: int) -> None:
    conn.execute(
        insert(oauth_client_secrets).values(
            secret_hash=secret_hash, org_id=client.org_id, client_id=client.id, created_ms=now_ms
        )
    )


def secret_hashes(conn: Connection, client_id: str) -> list[str]:
    query = select(oauth_client_secrets.c.secret_hash).where(oauth_client_secrets.c.client_id == client_id)
    return list(conn.execute(query).scalars())


def org_exists(conn: Connection, org_id: str) -> bool:
    return conn.execute(select(orgs.c.id).where(orgs.c.id == org_id)).first() is not None


# --- users ------------------------------------------------------------------------------------


def org_users(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    """Active users who may sign in on the consent page: ``{id, full_name, email, is_admin}``."""
    query = (
        select(users.c.id, users.c.email, users.c.is_admin, users.c.data)
        .where(users.c.org_id == org_id)
        .order_by(users.c.is_admin.desc(), users.c.id)
    )
    return [
        {
            "id": row.id,
            "email": row.email,
            "full_name": row.data.get("full_name") or row.email,
            "is_admin": row.is_admin,
        }
        for row in conn.execute(query)
        if (row.data or {}).get("status", "active") == "active"
    ]


def admin_user_id(conn: Connection, org_id: str) -> str | None:
    query = select(users.c.id).where(users.c.org_id == org_id, users.c.is_admin.is_(True)).order_by(users.c.id)
    return conn.execute(query.limit(1)).scalar_one_or_none()


def user_id_by_email(conn: Connection, org_id: str, email: str) -> str | None:
    query = select(users.c.id).where(users.c.org_id == org_id, func.lower(users.c.email) == email.lower())
    return conn.execute(query).scalar_one_or_none()


# --- grant codes ------------------------------------------------------------------------------


def insert_code(conn: Connection, **values: Any) -> None:
    conn.execute(delete(oauth_codes).where(oauth_codes.c.expires_ms <= values["created_ms"]))
    conn.execute(insert(oauth_codes).values(**values))


def take_code(conn: Connection, code_hash: str) -> Row[Any] | None:
    """The code's row, deleted in the same statement: a code is redeemed once, even under races."""
    return conn.execute(delete(oauth_codes).where(oauth_codes.c.code_hash == code_hash).returning(oauth_codes)).first()


# --- refresh and access tokens ----------------------------------------------------------------


def insert_refresh_token(
    conn: Connection, *, token_hash: str, org_id: str, client_id: str, user_id: str, scopes: str, now_ms: int
) -> None:
    conn.execute(
        insert(oauth_refresh_tokens).values(
            token_hash=token_hash, org_id=org_id, client_id=client_id, user_id=user_id, scopes=scopes, created_ms=now_ms
        )
    )


def get_refresh_token(conn: Connection, token_hash: str, *, lock: bool = False) -> Row[Any] | None:
    """``lock``: hold the row until the transaction ends (PostgreSQL; SQLite's write transactions
    hold the whole database), so that a refresh and a revoke of one token take turns."""
    query = select(oauth_refresh_tokens).where(oauth_refresh_tokens.c.token_hash == token_hash)
    return conn.execute(query.with_for_update() if lock else query).first()


def refresh_tokens_of(conn: Connection, client_id: str, user_id: str) -> list[str]:
    """Hashes of the user's refresh tokens for the client, oldest first."""
    query = (
        select(oauth_refresh_tokens.c.token_hash)
        .where(oauth_refresh_tokens.c.client_id == client_id, oauth_refresh_tokens.c.user_id == user_id)
        .order_by(oauth_refresh_tokens.c.created_ms, oauth_refresh_tokens.c.token_hash)
    )
    return list(conn.execute(query).scalars())


def set_refresh_scopes(conn: Connection, token_hash: str, scopes: str) -> None:
    conn.execute(
        update(oauth_refresh_tokens).where(oauth_refresh_tokens.c.token_hash == token_hash).values(scopes=scopes)
    )


def delete_refresh_tokens(conn: Connection, token_hashes: Sequence[str]) -> int:
    """Refresh tokens and every access token minted from them (enhance tokens cascade). The access
    tokens go second: deleting a refresh token waits for a refresh holding its row, and the next
    statement sees the access token that refresh made."""
    if not token_hashes:
        return 0
    deleted = conn.execute(
        delete(oauth_refresh_tokens).where(oauth_refresh_tokens.c.token_hash.in_(token_hashes))
    ).rowcount
    conn.execute(delete(access_tokens).where(access_tokens.c.refresh_token_hash.in_(token_hashes)))
    return deleted


def live_access_tokens_of(conn: Connection, refresh_hash: str, now_ms: int) -> list[str]:
    """Hashes of the unexpired access tokens minted from a refresh token, oldest first."""
    query = (
        select(access_tokens.c.token_hash)
        .where(access_tokens.c.refresh_token_hash == refresh_hash, access_tokens.c.expires_ms > now_ms)
        .order_by(access_tokens.c.created_ms, access_tokens.c.token_hash)
    )
    return list(conn.execute(query).scalars())


def delete_expired_access_tokens_of(conn: Connection, refresh_hash: str, now_ms: int) -> None:
    conn.execute(
        delete(access_tokens).where(
            access_tokens.c.refresh_token_hash == refresh_hash, access_tokens.c.expires_ms <= now_ms
        )
    )


def delete_access_tokens(conn: Connection, token_hashes: Iterable[str]) -> int:
    hashes = list(token_hashes)
    if not hashes:
        return 0
    return conn.execute(delete(access_tokens).where(access_tokens.c.token_hash.in_(hashes))).rowcount


# --- consents and consent pages ---------------------------------------------------------------


def get_consent(conn: Connection, client_id: str, user_id: str) -> Row[Any] | None:
    query = select(oauth_consents).where(oauth_consents.c.client_id == client_id, oauth_consents.c.user_id == user_id)
    return conn.execute(query).first()


def add_consent(conn: Connection, *, org_id: str, client_id: str, user_id: str, scopes: list[str], now_ms: int) -> None:
    """Record a consent: the first one's time stays, its scopes grow by the new ones. Two answers
    racing to be the first: one inserts, the other merges into its row."""
    first = uniques.insert(conn, oauth_consents).values(
        client_id=client_id, user_id=user_id, org_id=org_id, scopes=" ".join(scopes), created_ms=now_ms
    )
    if conn.execute(first.on_conflict_do_nothing().returning(oauth_consents.c.user_id)).first() is not None:
        return
    query = select(oauth_consents.c.scopes).where(
        oauth_consents.c.client_id == client_id, oauth_consents.c.user_id == user_id
    )
    previous = conn.execute(query.with_for_update()).scalar_one()
    merged = " ".join(dict.fromkeys([*previous.split(), *scopes]))
    conn.execute(
        update(oauth_consents)
        .where(oauth_consents.c.client_id == client_id, oauth_consents.c.user_id == user_id)
        .values(scopes=merged)
    )


def insert_consent_page(
    conn: Connection,
    *,
    token_hash: str,
    org_id: str,
    client_id: str,
    request: dict[str, Any],
    expires_ms: int,
    now_ms: int,
) -> None:
    conn.execute(delete(oauth_consent_pages).where(oauth_consent_pages.c.expires_ms <= now_ms))
    conn.execute(
        insert(oauth_consent_pages).values(
            token_hash=token_hash, org_id=org_id, client_id=client_id, request=request, expires_ms=expires_ms
        )
    )


def take_consent_page(conn: Connection, token_hash: str) -> Row[Any] | None:
    """The pending consent page, deleted in the same statement: each page is answered once."""
    statement = (
        delete(oauth_consent_pages).where(oauth_consent_pages.c.token_hash == token_hash).returning(oauth_consent_pages)
    )
    return conn.execute(statement).first()


# --- scope enhancement tokens -----------------------------------------------------------------


def insert_enhance_token(
    conn: Connection, *, token_hash: str, org_id: str, refresh_hash: str, expires_ms: int, now_ms: int
) -> None:
    conn.execute(delete(oauth_enhance_tokens).where(oauth_enhance_tokens.c.expires_ms <= now_ms))
    conn.execute(
        insert(oauth_enhance_tokens).values(
            token_hash=token_hash, org_id=org_id, refresh_token_hash=refresh_hash, expires_ms=expires_ms
        )
    )


def get_enhance_token(conn: Connection, token_hash: str) -> Row[Any] | None:
    return conn.execute(select(oauth_enhance_tokens).where(oauth_enhance_tokens.c.token_hash == token_hash)).first()


def delete_enhance_token(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(oauth_enhance_tokens).where(oauth_enhance_tokens.c.token_hash == token_hash))


# --- mint events (sliding-window throttles) ---------------------------------------------------


def count_mints(conn: Connection, kind: str, subject: str, since_ms: int) -> int:
    query = select(func.count()).where(
        oauth_mint_events.c.kind == kind, oauth_mint_events.c.subject == subject, oauth_mint_events.c.at_ms > since_ms
    )
    return int(conn.execute(query).scalar_one())


def record_mint(conn: Connection, *, org_id: str, kind: str, subject: str, now_ms: int, keep_ms: int) -> None:
    """One more mint; events older than ``keep_ms`` (the longest window) are dropped on the way."""
    conn.execute(delete(oauth_mint_events).where(oauth_mint_events.c.at_ms <= now_ms - keep_ms))
    conn.execute(insert(oauth_mint_events).values(org_id=org_id, kind=kind, subject=subject, at_ms=now_ms))


def insert_access_token(conn: Connection, **values: Any) -> None:
    conn.execute(insert(access_tokens).values(**values))


# Runs on every CRM call: prepared once, executed on the driver's cursor (store/prepared.py).
_ACCESS_TOKEN_BY_HASH = Prepared(
    select(
        access_tokens.c.org_id,
        access_tokens.c.user_id,
        access_tokens.c.scopes,
        access_tokens.c.client_id,
        access_tokens.c.expires_ms,
    ).where(access_tokens.c.token_hash == bindparam("token_hash")),
    name="access token by hash",
)


def access_token_by_hash(conn: Connection, token_hash: str) -> Any | None:
    """(org_id, user_id, scopes, client_id, expires_ms) of the token, live or not; None if unknown."""
    return _ACCESS_TOKEN_BY_HASH.first(conn, {"token_hash": token_hash})
