"""``grant_type=refresh_token``: a new access token (REFERENCE §2.4; Accounts "Refresh access token").

No new refresh token (Zoho does not rotate them). An unknown, revoked, evicted or other client's
refresh token is ``invalid_code`` (REFERENCE §8 item 1), not RFC 6749's ``invalid_grant``.
"""

from __future__ import annotations

from typing import Any

from zcrm_emulator.accounts import issuing, repo
from zcrm_emulator.accounts.errors import InvalidCode
from zcrm_emulator.accounts.grants.base import Grant
from zcrm_emulator.accounts.tokens import digest


class RefreshTokenGrant(Grant):
    grant_type = "refresh_token"

    def validate(self) -> None:
        value = self.request.get("refresh_token")
        # Locked: refreshes of one token take turns with each other and with its revocation.
        row = repo.get_refresh_token(self.conn, digest(value), lock=True) if value else None
        if row is None or row.client_id != self.client.id:
            raise InvalidCode()
        self.refresh = row

    def issue(self) -> dict[str, Any]:
        access = issuing.mint_from_refresh_token(self.conn, self.info, self.now_ms, self.refresh)
        return issuing.token_body(self.info, access, self.refresh.scopes.split())
