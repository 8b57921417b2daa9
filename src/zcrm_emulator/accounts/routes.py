"""The accounts face, mounted at ``/oauth`` (docs/architecture.md "One process, four faces").

    GET  /oauth/v2/auth                     consent page (authorize.py)
    POST /oauth/v2/auth                     client_credentials (REFERENCE §9 #3)
    POST /oauth/v2/consent                  the consent page's answer -> 302 to the client
    POST /oauth/v2/token                    authorization_code | refresh_token | client_credentials
    POST /oauth/v2/token/revoke             revoke.py
    POST /oauth/v2/token/scopeenhance       update_scopes_token
    GET  /oauth/v2/token/addextrascope      consent page for extra scopes (scope_enhance.py)

Thin handlers: read the parameters (query string and form body; a JSON body is not read, as at
Zoho), run one transaction through the piece that knows the rule, render. JSON endpoints answer
errors with HTTP 200 (errors.py); browser endpoints answer with HTML pages or a 302. Any other path
under ``/oauth`` is a JSON 404 (a wrong method on a known path: JSON 405), never a framework page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy import Connection
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from zcrm_emulator import origins
from zcrm_emulator.accounts import authorize, consent, grants, revoke, scope_enhance, server_info
from zcrm_emulator.accounts.errors import AccountsError
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.pages import PageError, Pages
from zcrm_emulator.wire import reply

ACCOUNTS_FACE = "Zoho Accounts (emulated)"
CONSENT_ACTION = "/oauth/v2/consent"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
ANSWERS: dict[str, consent.Answer] = {authorize.KIND: authorize.answer, scope_enhance.KIND: scope_enhance.answer}
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def json_reply(payload: Mapping[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return reply(dict(payload), status=status, headers={**NO_STORE, **(headers or {})})


async def form_of(request: Request) -> dict[str, str]:
    """The form body's text fields; a body that is not a form (or is malformed) has none."""
    try:
        form = await request.form()
    except (MultiPartException, HTTPException):
        return {}
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def params_of(request: Request) -> dict[str, str]:
    """Query string and form body together (REFERENCE §2.4); the body wins on a clash."""
    return {**request.query_params, **await form_of(request)}


class AccountsFace:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.pages = Pages(ACCOUNTS_FACE, "Nothing was sent back to the application.")

    def info(self, conn: Connection) -> server_info.ServerInfo:
        return server_info.for_server(conn, self.emulator.settings)

    async def _grant(self, request: Request, accepted: frozenset[str]) -> Response:
        params = await params_of(request)
        try:
            # A write transaction from the start: on SQLite it holds the write lock before the
            # grant reads anything, so its counts and caps cannot go stale (store/locks.py).
            with self.emulator.store.tx(writes=True) as conn:
                body = grants.handle(conn, self.info(conn), self.emulator.clock.now_ms(), params, accepted)
        except AccountsError as error:
            return json_reply(error.body())
        return json_reply(body)

    async def token(self, request: Request) -> Response:
        return await self._grant(request, grants.TOKEN_ENDPOINT)

    async def auth_post(self, request: Request) -> Response:
        return await self._grant(request, grants.AUTH_ENDPOINT)

    async def scope_enhance(self, request: Request) -> Response:
        return await self._grant(request, grants.SCOPE_ENHANCE_ENDPOINT)

    async def revoke(self, request: Request) -> Response:
        params = await params_of(request)
        try:
            with self.emulator.store.tx(writes=True) as conn:
                body = revoke.revoke(conn, params.get("token"))
        except AccountsError as error:
            return json_reply(error.body())
        return json_reply(body)

    async def auth_page(self, request: Request) -> Response:
        try:
            with self.emulator.store.tx() as conn:
                wanted = authorize.parse_request(conn, request.query_params)
                view = authorize.open_page(conn, self.emulator.clock.now_ms(), wanted)
        except PageError as error:
            return self.pages.error(error)
        return self.pages.page("consent.html", view=view, action=CONSENT_ACTION)

    async def extra_scope_page(self, request: Request) -> Response:
        try:
            with self.emulator.store.tx() as conn:
                view = scope_enhance.open_page(conn, self.emulator.clock.now_ms(), request.query_params)
        except PageError as error:
            return self.pages.error(error)
        return self.pages.page("consent.html", view=view, action=CONSENT_ACTION)

    async def consent_answer(self, request: Request) -> Response:
        if not origins.same_origin(request, self.emulator.settings.base_url):
            return self.pages.error(
                PageError("Invalid Request", "This answer did not come from this server's page.", 403)
            )
        form = await form_of(request)
        try:
            with self.emulator.store.tx() as conn:
                location = consent.answer(conn, self.info(conn), self.emulator.clock.now_ms(), form, ANSWERS)
        except PageError as error:
            return self.pages.error(error)
        return RedirectResponse(location, status_code=302, headers={"Cache-Control": "no-store"})


Endpoint = Callable[[Request], Awaitable[Response]]


def routes(emulator: Emulator) -> list[BaseRoute]:
    """The routes under ``/oauth``, ending with the JSON catch-all."""
    face = AccountsFace(emulator)
    table: list[tuple[str, str, Endpoint]] = [
        ("/v2/auth", "GET", face.auth_page),
        ("/v2/auth", "POST", face.auth_post),
        ("/v2/consent", "POST", face.consent_answer),
        ("/v2/token", "POST", face.token),
        ("/v2/token/revoke", "POST", face.revoke),
        ("/v2/token/scopeenhance", "POST", face.scope_enhance),
        ("/v2/token/addextrascope", "GET", face.extra_scope_page),
    ]
    allowed: dict[str, list[str]] = {}
    for path, method, _ in table:
        allowed.setdefault(path, []).append(method)

    async def elsewhere(request: Request) -> Response:
        path = "/" + request.path_params["rest"]
        if path in allowed:
            methods = ", ".join(allowed[path])
            return json_reply(
                {"error": "invalid_request_method", "error_description": f"use {methods}"},
                status=405,
                headers={"Allow": methods},
            )
        return json_reply({"error": "invalid_url", "error_description": "no such accounts endpoint"}, status=404)

    return [
        *(Route(path, endpoint, methods=[method]) for path, method, endpoint in table),
        Route("/{rest:path}", elsewhere, methods=ALL_METHODS),
    ]
