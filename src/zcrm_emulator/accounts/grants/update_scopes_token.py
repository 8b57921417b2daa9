"""``grant_type=update_scopes_token`` at ``/oauth/v2/token/scopeenhance``: the first step of
incremental authorization (REFERENCE §2.8; Accounts "Get scope enhancement token").

Takes the refresh token the extra scopes are for (unknown or another client's: ``invalid_code``) and
answers ``{"access_token": <enhance token>, "token_type": "update_scope", "expires_in": 600}``. The
enhance token is then handed to ``GET /oauth/v2/token/addextrascope`` (``scope_enhance.py``).
"""

from __future__ import annotations

from typing import Any

from zcrm_emulator.accounts import repo
from zcrm_emulator.accounts.errors import InvalidCode
from zcrm_emulator.accounts.grants.base import Grant
from zcrm_emulator.accounts.tokens import digest, new_token_value


class UpdateScopesTokenGrant(Grant):
    grant_type = "update_scopes_token"

    def validate(self) -> None:
        value = self.request.get("refresh_token")
        # Locked: a revocation in flight ends first (its enhance token would point at nothing).
        row = repo.get_refresh_token(self.conn, digest(value), lock=True) if value else None
        if row is None or row.client_id != self.client.id:
            raise InvalidCode()
        self.refresh = row

    def issue(self) -> dict[str, Any]:
        lifetime = self.info.policy.enhance_token_seconds
        value = new_token_value()
        repo.insert_enhance_token(
            self.conn,
            token_hash=digest(value),
            org_id=self.refresh.org_id,
            refresh_hash=self.refresh.token_hash,
            expires_ms=self.now_ms + lifetime * 1000,
            now_ms=self.now_ms,
        )
        return {"access_token": value, "token_type": "update_scope", "expires_in": lifetime}
