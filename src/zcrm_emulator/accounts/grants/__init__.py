"""The grant registry, keyed by ``grant_type``, and which endpoint takes which grants.

    POST /oauth/v2/token               authorization_code, refresh_token, client_credentials
    POST /oauth/v2/auth                client_credentials (one CRM page's URL; REFERENCE §9 #3)
    POST /oauth/v2/token/scopeenhance  update_scopes_token

A ``grant_type`` that is missing, unknown or not taken at that endpoint is ``invalid_client``
(REFERENCE §2.4: "wrong/unsupported grant_type").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.accounts.errors import InvalidClient
from zcrm_emulator.accounts.grants.authorization_code import AuthorizationCodeGrant
from zcrm_emulator.accounts.grants.base import Grant, TokenRequest
from zcrm_emulator.accounts.grants.client_credentials import ClientCredentialsGrant
from zcrm_emulator.accounts.grants.refresh_token import RefreshTokenGrant
from zcrm_emulator.accounts.grants.update_scopes_token import UpdateScopesTokenGrant
from zcrm_emulator.accounts.server_info import ServerInfo

GRANTS: dict[str, type[Grant]] = {
    grant.grant_type: grant
    for grant in (AuthorizationCodeGrant, RefreshTokenGrant, ClientCredentialsGrant, UpdateScopesTokenGrant)
}

TOKEN_ENDPOINT = frozenset({"authorization_code", "refresh_token", "client_credentials"})
AUTH_ENDPOINT = frozenset({"client_credentials"})
SCOPE_ENHANCE_ENDPOINT = frozenset({"update_scopes_token"})


def handle(
    conn: Connection, info: ServerInfo, now_ms: int, params: Mapping[str, str], accepted: frozenset[str]
) -> dict[str, Any]:
    """Run the request's grant: the success body, or the grant's AccountsError."""
    request = TokenRequest(params)
    grant_type = request.get("grant_type")
    if grant_type not in accepted:
        raise InvalidClient()
    grant = GRANTS[grant_type](conn, info, now_ms, request)
    grant.validate()
    return grant.issue()


__all__ = ["AUTH_ENDPOINT", "GRANTS", "SCOPE_ENHANCE_ENDPOINT", "TOKEN_ENDPOINT", "handle"]
