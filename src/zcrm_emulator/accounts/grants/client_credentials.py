"""``grant_type=client_credentials``: a Self Client's own access token (Accounts "Self Client – Client
credentials flow"; CRM "Client Credentials Flow").

Only Self Clients take it (others: ``invalid_client``). ``soid`` must be ``ZohoCRM.<org id>`` of the
client's org (missing or not that org: ``missing_org_info``); ``scope`` comma-separated, every one
grantable (else ``invalid_scope``). No refresh token; the reply carries ``scope`` space-separated.
The token acts as the Self Client's user.
"""

from __future__ import annotations

from typing import Any

from zcrm_emulator.accounts import issuing, scope_families
from zcrm_emulator.accounts.clients import SELF
from zcrm_emulator.accounts.errors import InvalidScope, MissingOrgInfo
from zcrm_emulator.accounts.grants.base import Grant

SOID_SERVICE = "zohocrm"


class ClientCredentialsGrant(Grant):
    grant_type = "client_credentials"
    client_kinds = frozenset({SELF})

    def validate(self) -> None:
        service, _, org_id = (self.request.get("soid") or "").partition(".")
        if service.lower() != SOID_SERVICE or org_id != self.client.org_id:
            raise MissingOrgInfo()
        try:
            self.scopes = scope_families.parse(self.request.get("scope"))
        except ValueError:
            raise InvalidScope() from None

    def issue(self) -> dict[str, Any]:
        assert self.client.self_user_id is not None  # every Self Client has its user
        access = issuing.mint_unbound(
            self.conn,
            self.info,
            self.now_ms,
            org_id=self.client.org_id,
            client_id=self.client.id,
            user_id=self.client.self_user_id,
            scopes=self.scopes,
        )
        return issuing.token_body(self.info, access, self.scopes)
