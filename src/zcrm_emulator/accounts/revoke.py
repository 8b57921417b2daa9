"""``POST /oauth/v2/token/revoke``: revoking a refresh token (REFERENCE §2.5; Accounts "Revoke OAuth
token"; SDK-WIRE §2).

The token comes in the query (``?token=``, as Zoho documents) or the form body (as the SDK sends it).
A refresh token dies with every access token minted from it, at once: CRM calls with them get
``401 INVALID_TOKEN``, refreshing gets ``invalid_code``. An access token given instead dies alone.
The answer is ``{"status": "success"}`` also for a token that is unknown or already revoked (RFC 7009
§2.2; the answer does not tell which tokens exist); without any ``token``: ``invalid_request``.
"""

from __future__ import annotations

from sqlalchemy import Connection

from zcrm_emulator.accounts import repo
from zcrm_emulator.accounts.errors import InvalidRequest
from zcrm_emulator.accounts.tokens import digest

SUCCESS = {"status": "success"}


def revoke(conn: Connection, token: str | None) -> dict[str, str]:
    if not token:
        raise InvalidRequest()
    token_hash = digest(token)
    if repo.get_refresh_token(conn, token_hash) is not None:
        repo.delete_refresh_tokens(conn, [token_hash])
    else:
        repo.delete_access_tokens(conn, [token_hash])
    return SUCCESS
