"""The gateway in front of every ``/crm/{version}/…`` route (DESIGN "A request's way through").

Order of checks: version known and path known (INVALID_URL_PATTERN 404), method allowed on the path
(INVALID_REQUEST_METHOD 400), ``Authorization: Zoho-oauthtoken`` present (AUTHENTICATION_FAILURE 401)
and live (INVALID_TOKEN 401), scope covers the call (OAUTH_SCOPE_MISMATCH 401), resource exists in
this version (API_NOT_SUPPORTED 400), profile permission (NO_PERMISSION 403), API credits (429);
then the handler. Any unexpected exception becomes the INTERNAL_ERROR 500 envelope, logged with the
request id — never a traceback on the wire.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from zcrm_emulator import scopes
from zcrm_emulator.accounts.tokens import lookup_access_token
from zcrm_emulator.api_paths import VERSIONS
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.routing import (
    READ_METHODS,
    Call,
    Endpoint,
    EndpointTable,
    Principal,
    version_index,
    version_number,
)
from zcrm_emulator.usage import credits, weights
from zcrm_emulator.usage.pending import Debit
from zcrm_emulator.wire import error_reply, reply

log = logging.getLogger("zcrm_emulator.gateway")

AUTH_SCHEME = "zoho-oauthtoken"


def needed_scopes(endpoint: Endpoint, call: Call) -> Sequence[str]:
    if callable(endpoint.scope):
        return endpoint.scope(call)
    operation = endpoint.operation or scopes.METHOD_OPERATION[endpoint.method]
    return [f"{endpoint.scope}.{operation}"]


def bearer_value(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != AUTH_SCHEME or not value.strip():
        raise ZohoError("AUTHENTICATION_FAILURE")
    return value.strip()


class CrmGateway:
    """ASGI app mounted at ``/crm/{version}/{rest:path}``."""

    def __init__(self, emulator: Emulator, endpoints: Sequence[Endpoint]) -> None:
        self.emulator = emulator
        self.table = EndpointTable(endpoints)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.handle(request)
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        try:
            version = request.path_params["version"]
            if version not in VERSIONS:
                raise ZohoError("INVALID_URL_PATTERN")
            endpoint, params = self.table.resolve(request.method, "/" + request.path_params["rest"])
            token_value = bearer_value(request)
            body = await request.body()
            pending = self.emulator.pending_credits
            if pending.due(self.emulator.clock.now_ms() // credits.MINUTE_MS):
                pending.flush()  # outside the call's transaction (usage/pending.py)
            # One transaction per call: token, permission, credit check and the handler's work. A refusal
            # before the handler rolls it all back (the call costs nothing); a refusal by the handler
            # still costs the call, since the handler's own writes ran in a savepoint (Call.tx).
            with self.emulator.store.tx(writes=request.method not in READ_METHODS) as conn:
                principal = self.authenticate(conn, token_value)
                call = Call(request, self.emulator, principal, version, params, body, conn)
                debit = self.admit(conn, endpoint, call)
                try:
                    response = await endpoint.handler(call)
                except ZohoError as error:
                    response = refusal(endpoint, error)
            if debit is not None:
                pending.add(debit)  # committed: the call counts (written a moment later, with others)
            return response
        except ZohoError as error:
            return error_reply(error)
        except Exception:
            log.exception("internal error on %s %s [%s]", request.method, request.url.path, request_id(request))
            return error_reply(ZohoError("INTERNAL_ERROR"))

    def authenticate(self, conn: Connection, token_value: str) -> Principal:
        token = lookup_access_token(conn, token_value, self.emulator.clock.now_ms())
        if token is None:
            raise ZohoError("INVALID_TOKEN")
        return Principal(token.org_id, token.user_id, token.scopes, token.client_id)

    def admit(self, conn: Connection, endpoint: Endpoint, call: Call) -> Debit | None:
        """Scope, version, permission and credits, in that order; raises the first refusal, else
        returns the call's debit."""
        if not scopes.satisfied(call.principal.scopes, needed_scopes(endpoint, call)):
            raise ZohoError("OAUTH_SCOPE_MISMATCH")
        if version_index(call.version) < version_index(endpoint.since):
            raise ZohoError("API_NOT_SUPPORTED", {"supported_version": version_number(endpoint.since)})
        if endpoint.permission is not None and not users_repo.has_permission(conn, call.user_id, endpoint.permission):
            raise ZohoError("NO_PERMISSION", {"permissions": [endpoint.permission]}, endpoint.permission_message)
        # API credits (usage/credits.py): 429 RATE_LIMIT_EXCEEDED past the org's daily limit.
        return credits.charge(
            conn,
            self.emulator.pending_credits,
            call.org_id,
            credits.endpoint_key(endpoint.method, endpoint.path),
            weights.cost_of(endpoint, call),
            self.emulator.clock.now_ms(),
        )


def refusal(endpoint: Endpoint, error: ZohoError) -> Response:
    """A handler's request-level error: inside the endpoint's envelope when it says so, else bare."""
    wrap = endpoint.errors_in
    if wrap is not None and wrap.wraps(error):
        return reply({wrap.key: [error.as_item()]}, status=error.status)
    return error_reply(error)


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", "-"))
