"""``grant_type=authorization_code``: a grant code for tokens (REFERENCE §2.4; Accounts "Get access token").

The code must be this client's, unused and unexpired (else ``invalid_code``); a code issued for a
redirect URI needs exactly that ``redirect_uri`` again (else ``invalid_redirect_uri``; Self Client
codes have none and ignore it); a code bound to a PKCE challenge needs the matching
``code_verifier`` (else ``invalid_code``). Codes that give a refresh token (``access_type=offline``
on first consent or with ``prompt=consent``, and every Self Client code) also mint one.
"""

from __future__ import annotations

from typing import Any

from zcrm_emulator.accounts import issuing, pkce, repo
from zcrm_emulator.accounts.errors import InvalidCode, InvalidRedirectUri
from zcrm_emulator.accounts.grants.base import Grant
from zcrm_emulator.accounts.tokens import digest


class AuthorizationCodeGrant(Grant):
    grant_type = "authorization_code"

    def validate(self) -> None:
        code = self.request.get("code")
        row = repo.take_code(self.conn, digest(code)) if code else None
        if row is None or row.client_id != self.client.id or row.expires_ms <= self.now_ms:
            raise InvalidCode()
        if row.redirect_uri is not None and self.request.get("redirect_uri") != row.redirect_uri:
            raise InvalidRedirectUri()
        if row.code_challenge is not None and not pkce.verify(
            self.request.get("code_verifier"), row.code_challenge, row.code_challenge_method
        ):
            raise InvalidCode()
        self.code = row

    def issue(self) -> dict[str, Any]:
        row, scopes = self.code, self.code.scopes.split()
        who = {"org_id": row.org_id, "client_id": row.client_id, "user_id": row.user_id, "scopes": scopes}
        if not row.gives_refresh_token:
            access = issuing.mint_unbound(self.conn, self.info, self.now_ms, **who)
            return issuing.token_body(self.info, access, scopes)
        refresh = issuing.mint_refresh_token(self.conn, self.info, self.now_ms, **who)
        refresh_row = repo.get_refresh_token(self.conn, digest(refresh))
        assert refresh_row is not None  # minted just now, in this transaction
        access = issuing.mint_from_refresh_token(self.conn, self.info, self.now_ms, refresh_row)
        return issuing.token_body(self.info, access, scopes, refresh)
