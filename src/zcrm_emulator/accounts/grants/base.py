"""What every grant shares: the request, client authentication, and the validate → issue order.

Each grant (one module per grant type, registered in ``grants/__init__.py``) implements
``validate()`` — raise the grant's wire error, change nothing the caller would keep — and
``issue()`` — mint and save tokens through ``issuing``/``repo``, return the success body. Both run
in the caller's one transaction: any error rolls the whole request back (an unredeemed code stays
redeemable, no mint is counted).
"""

from __future__ import annotations

import hmac
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy import Connection

from zcrm_emulator.accounts import repo
from zcrm_emulator.accounts.clients import SELF, SERVER, Client
from zcrm_emulator.accounts.errors import InvalidClient, InvalidClientSecret
from zcrm_emulator.accounts.server_info import ServerInfo
from zcrm_emulator.accounts.tokens import digest


class TokenRequest:
    """The parameters of a token request, from the query string and the form body (REFERENCE §2.4)."""

    def __init__(self, params: Mapping[str, str]) -> None:
        self.params = params

    def get(self, name: str) -> str | None:
        value = self.params.get(name)
        return (value.strip() or None) if isinstance(value, str) else None


class Grant(ABC):
    grant_type: ClassVar[str]
    client_kinds: ClassVar[frozenset[str]] = frozenset({SERVER, SELF})

    def __init__(self, conn: Connection, info: ServerInfo, now_ms: int, request: TokenRequest) -> None:
        self.conn = conn
        self.info = info
        self.now_ms = now_ms
        self.request = request
        self.client = self.authenticate_client()

    def authenticate_client(self) -> Client:
        """``invalid_client`` for an unknown id or a client kind this grant does not serve;
        ``invalid_client_secret`` unless the secret matches one of the client's (constant time)."""
        client_id = self.request.get("client_id")
        client = repo.get_client(self.conn, client_id) if client_id else None
        if client is None or client.kind not in self.client_kinds:
            raise InvalidClient()
        secret = self.request.get("client_secret") or ""
        offered = digest(secret).encode()
        matches = [hmac.compare_digest(offered, stored.encode()) for stored in repo.secret_hashes(self.conn, client.id)]
        if not secret or not any(matches):
            raise InvalidClientSecret()
        return client

    @abstractmethod
    def validate(self) -> None: ...

    @abstractmethod
    def issue(self) -> dict[str, Any]: ...
