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
from dataclasses import replace
from urllib.parse import urlencode

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message as AsgiMessage
from starlette.types import Receive, Scope, Send

from zcrm_emulator import events, scopes
from zcrm_emulator.admission import Admission, admit_token
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
    SubRequest,
    version_index,
    version_number,
)
from zcrm_emulator.usage import credits, weights
from zcrm_emulator.usage.pending import Debit
from zcrm_emulator.usage.repo import Standing
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
            key_auth = endpoint.key_auth  # a key of the call's own instead of a token (a function's zapikey)
            if key_auth is not None and not key_auth.applies(request):
                key_auth = None
            token_value = bearer_value(request) if key_auth is None else ""
            body = await request.body()
            pending = self.emulator.pending_credits
            if pending.due(self.emulator.clock.now_ms() // credits.MINUTE_MS):
                pending.flush()  # outside the call's transaction (usage/pending.py)
            # One transaction per call: token, permission, credit check and the handler's work. A refusal
            # before the handler rolls it all back (the call costs nothing); a refusal by the handler
            # still costs the call, since the handler's own writes ran in a savepoint (Call.tx).
            with self.emulator.store.tx(writes=request.method not in READ_METHODS) as conn:
                admission: Admission | None = None
                if key_auth is None:
                    admission = self.authenticate(conn, token_value)
                    principal = Principal(admission.org_id, admission.user_id, admission.scopes, admission.client_id)
                else:
                    principal = key_auth.principal(conn, request, params)
                request.state.principal = principal  # for the request journal (journal/middleware.py)
                call = Call(
                    request,
                    self.emulator,
                    principal,
                    version,
                    params,
                    body,
                    conn,
                    dispatcher=self,
                    stamps=admission.stamps if admission is not None else None,
                )
                debit = self.admit(conn, endpoint, call, admission.standing if admission is not None else None)
                try:
                    response = await endpoint.handler(call)
                except ZohoError as error:
                    response = refusal(endpoint, error)
                if admission is not None and admission.automation_idle and call.stamps is not None:
                    events.mark_automation_idle(conn)  # no rule nor watch to look up after the commit
            if debit is not None:  # committed: the call counts (written a moment later, with others)
                if call.credits_returned:
                    debit = replace(debit, credits=debit.credits - call.credits_returned)
                pending.add(debit)
                request.state.credits = debit.credits  # for the request journal
            return response
        except ZohoError as error:
            return error_reply(error)
        except Exception:
            log.exception("internal error on %s %s [%s]", request.method, request.url.path, request_id(request))
            return error_reply(ZohoError("INTERNAL_ERROR"))

    def authenticate(self, conn: Connection, token_value: str) -> Admission:
        now_ms = self.emulator.clock.now_ms()
        admission = admit_token(conn, token_value, now_ms, now_ms // credits.MINUTE_MS)
        if admission is None:
            raise ZohoError("INVALID_TOKEN")
        return admission

    def admit(self, conn: Connection, endpoint: Endpoint, call: Call, standing: Standing | None) -> Debit | None:
        """Scope, version, permission and credits, in that order; raises the first refusal, else
        returns the call's debit. ``standing``: the org's credits as the admission read them."""
        self.permit(conn, endpoint, call)
        # API credits (usage/credits.py): 429 RATE_LIMIT_EXCEEDED past the org's daily limit.
        return credits.charge(
            conn,
            self.emulator.pending_credits,
            call.org_id,
            credits.endpoint_key(endpoint.method, endpoint.path),
            weights.cost_of(endpoint, call),
            self.emulator.clock.now_ms(),
            standing,
        )

    def permit(self, conn: Connection, endpoint: Endpoint, call: Call) -> None:
        """Scope, version and permission, in that order; raises the first refusal."""
        if not scopes.satisfied(call.principal.scopes, needed_scopes(endpoint, call)):
            raise ZohoError("OAUTH_SCOPE_MISMATCH")
        if version_index(call.version) < version_index(endpoint.since):
            raise ZohoError("API_NOT_SUPPORTED", {"supported_version": version_number(endpoint.since)})
        if endpoint.permission is not None and not users_repo.has_permission(conn, call.user_id, endpoint.permission):
            raise ZohoError("NO_PERMISSION", {"permissions": [endpoint.permission]}, endpoint.permission_message)

    # --- requests made inside a call (routing.Dispatcher): a composite call's sub-requests ---------
    def resolve(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]]:
        return self.table.resolve(method, path)

    async def run(self, parent: Call, endpoint: Endpoint, params: dict[str, str], sub: SubRequest) -> Response:
        """``sub`` as a call of its own on ``parent``'s transaction and token: scope, version and
        permission checked, no credits (the parent's charge covers it), its refusal its answer."""
        request = sub_request(parent.request, sub)
        # A sub-request may change what the parent's stamps vouch for (a field, a rule), so from here
        # on neither call trusts them: each memo use reads its own stamp again.
        parent.stamps = None
        call = Call(
            request, self.emulator, parent.principal, sub.version, params, sub.body, parent.conn, dispatcher=self
        )
        try:
            self.permit(parent.conn, endpoint, call)
        except ZohoError as error:
            return error_reply(error)
        try:
            return await endpoint.handler(call)
        except ZohoError as error:
            return refusal(endpoint, error)


def refusal(endpoint: Endpoint, error: ZohoError) -> Response:
    """A handler's request-level error: inside the endpoint's envelope when it says so, else bare."""
    wrap = endpoint.errors_in
    if wrap is not None and wrap.wraps(error):
        return reply({wrap.key: [error.as_item()]}, status=error.status)
    return error_reply(error)


def sub_request(parent: Request, sub: SubRequest) -> Request:
    """The HTTP request ``sub`` would be on its own, from the same client and connection as ``parent``."""
    path = f"/crm/{sub.version}{sub.path}"
    scope: Scope = {
        **parent.scope,
        "method": sub.method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": urlencode(sub.query).encode(),
        "headers": [(name.lower().encode(), value.encode()) for name, value in sub.headers],
        "path_params": {"version": sub.version, "rest": sub.path.removeprefix("/")},
    }

    async def receive() -> AsgiMessage:
        return {"type": "http.request", "body": sub.body, "more_body": False}

    return Request(scope, receive)


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", "-"))
