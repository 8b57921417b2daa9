"""The Self Client: one per user, made the first time the user asks for a grant code, and its
"Generate Code" tab (REFERENCE §2.2; Accounts "Self Client – Authorization code flow").

``grant_code`` picks the scopes and a duration of 3, 5, 7 or 10 minutes (the policy's list; default
3) and answers what the console shows plus what a client needs to use it: the client id, **a
client secret**, the code, its scope and lifetime, and the accounts and API URLs of this server.
Secrets are stored only as hashes, so the one shown cannot be read back later: each call adds a
fresh secret to the Self Client, and every secret it was ever given stays valid.

Self Client codes always give a refresh token and are not bound to a redirect URI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Connection

from zcrm_emulator.accounts import codes, repo, scope_families
from zcrm_emulator.accounts.clients import SELF, SELF_CLIENT_NAME, Client, new_client_id, new_client_secret
from zcrm_emulator.accounts.server_info import ServerInfo
from zcrm_emulator.accounts.tokens import digest


class InvalidChoice(ValueError):
    """A scope, duration or user that cannot be used; ``field`` names which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SelfClientGrant:
    client_id: str
    client_secret: str
    code: str
    scope: str
    expires_in: int
    accounts_url: str
    api_domain: str

    def as_dict(self) -> dict[str, str | int]:
        return asdict(self)


def self_client(conn: Connection, org_id: str, user_id: str, now_ms: int) -> Client:
    """The user's Self Client, made on first use (by whichever request stores it first, when
    several make it at once)."""
    client = repo.self_client_of(conn, user_id)
    if client is not None:
        return client
    made = Client(
        id=new_client_id(),
        org_id=org_id,
        kind=SELF,
        name=SELF_CLIENT_NAME,
        homepage_url=None,
        redirect_uris=(),
        self_user_id=user_id,
        created_ms=now_ms,
    )
    if repo.insert_client(conn, made):
        return made
    stored = repo.self_client_of(conn, user_id)
    assert stored is not None  # the insert gave way to it
    return stored


def resolve_user(conn: Connection, org_id: str, user: str | None) -> str:
    """The user by id or email; the org's administrator when none is named."""
    if not user:
        found = repo.admin_user_id(conn, org_id)
    elif "@" in user:
        found = repo.user_id_by_email(conn, org_id, user)
    else:
        found = user if any(u["id"] == user for u in repo.org_users(conn, org_id)) else None
    if found is None:
        raise InvalidChoice(
            "user", f"no active user {user!r} in org {org_id}" if user else "the org has no administrator"
        )
    return found


def grant_code(
    conn: Connection,
    info: ServerInfo,
    now_ms: int,
    *,
    org_id: str,
    user: str | None,
    scope: str | None,
    minutes: int | None,
) -> SelfClientGrant:
    """A Self Client grant code for the user (id or email; default: the org's administrator).
    InvalidChoice for a bad scope, duration or user; AccessDenied past the policy's grant codes per
    client."""
    try:
        scopes = scope_families.parse(scope)
    except ValueError as problem:
        raise InvalidChoice("scope", str(problem)) from None
    minutes = minutes if minutes is not None else info.policy.self_client_default_minutes
    allowed = info.policy.self_client_code_minutes
    if minutes not in allowed:
        raise InvalidChoice("minutes", f"the duration must be one of {', '.join(map(str, allowed))} minutes")
    user_id = resolve_user(conn, org_id, user)
    client = self_client(conn, org_id, user_id, now_ms)
    code = codes.issue_code(
        conn, info.policy, now_ms, client=client, user_id=user_id, scopes=scopes, lifetime_seconds=minutes * 60
    )
    secret = new_client_secret()
    repo.add_secret(conn, client, digest(secret), now_ms)
    return SelfClientGrant(
        client_id=client.id,
        client_secret=secret,
        code=code,
        scope=",".join(scopes),
        expires_in=minutes * 60,
        accounts_url=info.accounts_server,
        api_domain=info.api_domain,
    )
