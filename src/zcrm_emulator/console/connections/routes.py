"""The Connections pages: thin HTTP over ``zcrm_emulator.connections`` (the steps) and forms.py.

    GET  /console/connections                       connections and services; links to the forms
    GET  /console/connections/services/new          the custom-service form
    POST /console/connections/services              create it -> the connection form for it
    GET  /console/connections/new?service=<link>    the connection form ("Create and Connect")
    POST /console/connections                       create; OAuth 2: 302 to the service's authorize URL
    GET  /console/connections/callback              the authorize URL's answer: code swapped for tokens
    GET  /console/connections/{link}                one connection; reconnect, test, delete
    POST /console/connections/{link}/connect        OAuth 2: authorize again; others: new credentials
    POST /console/connections/{link}/test           send a request with its credential, show the answer
    POST /console/connections/{link}/delete
    GET|POST /console/sign-in                       with an admin key: prove it once (guard.py)

The OAuth 2 ``state`` is also set in a cookie for the callback path, so only the browser that started
an authorization can finish it. The connections are the default org's. Any other method: an HTML 405.
"""

from __future__ import annotations

import hmac
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from zcrm_emulator import origins
from zcrm_emulator.accounts import server_info
from zcrm_emulator.accounts.routes import form_of
from zcrm_emulator.connections import oauth, rules, service
from zcrm_emulator.console.connections import forms, guard, tester
from zcrm_emulator.console.kit import ConsoleFace, Handler
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.pages import PageError, Pages

BASE = "/console/connections"
NO_SERVICE = PageError("Service Not Found", "There is no service with this link name.", 404)
NO_CONNECTION = PageError("Connection Not Found", "There is no connection with this link name.", 404)
NOT_STARTED_HERE = PageError(
    "Authorization Not Recognized", "This authorization was not started in this browser, or has already finished."
)


def connection_path(link_name: str) -> str:
    return f"{BASE}/{link_name}"


class ConnectionPages(ConsoleFace):
    """The Connections pages: the console's plumbing (kit.ConsoleFace) with their own render, which
    passes the connection forms' labels and callback URL."""

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        nonce, new = guard.browser_nonce(request)
        response = self.pages.page(
            template,
            status,
            csrf_token=guard.form_token(self._form_key(), nonce),
            base=BASE,
            labels=LABELS,
            redirect_uri=self.settings.base_url + rules.CALLBACK_PATH,
            **context,
        )
        if new:
            guard.set_cookie(response, self.settings, guard.CSRF_COOKIE, nonce, guard.CONSOLE_PATH, None)
        return response

    def org_id(self) -> str:
        return self.emulator.default_org_id

    def authorize_redirect(self, url: str, state: str) -> Response:
        response = self.pages.redirect(url)
        max_age = rules.AUTHORIZATION_SECONDS
        guard.set_cookie(response, self.settings, guard.STATE_COOKIE, state, rules.CALLBACK_PATH, max_age)
        return response

    # --- the list --------------------------------------------------------------------------------

    async def list_page(self, request: Request) -> Response:
        guard.admit(request, self.settings)
        org_id = self.org_id()
        with self.emulator.store.tx(writes=True) as conn:
            service.ensure_zoho_crm(conn, org_id, self.settings.base_url, self.now_ms())
            connections = service.list_connections(conn, org_id)
            services = service.list_services(conn, org_id)
        return self.render(request, "connections.html", connections=connections, services=services)

    # --- custom services -------------------------------------------------------------------------

    async def service_form(self, request: Request) -> Response:
        guard.admit(request, self.settings)
        return self.render(request, "connection_service.html", values={}, problem=None)

    async def create_service(self, request: Request) -> Response:
        fields = await self.form(request)
        try:
            with self.emulator.store.tx(writes=True) as conn:
                made = service.create_service(
                    conn, self.org_id(), forms.service_item(fields), self.now_ms(), interactive=True
                )
        except ZohoError as refusal:
            problem = forms.problem_text(refusal)
            return self.render(request, "connection_service.html", 400, values=fields, problem=problem)
        return self.pages.redirect(f"{BASE}/new?service={made.link_name}")

    # --- Create and Connect ------------------------------------------------------------------------

    def _service(self, link_name: str | None) -> dict[str, Any]:
        org_id = self.org_id()
        with self.emulator.store.tx(writes=True) as conn:
            if link_name == rules.ZOHO_CRM_LINK_NAME:
                service.ensure_zoho_crm(conn, org_id, self.settings.base_url, self.now_ms())
            found = service.get_service(conn, org_id, link_name) if link_name else None
        if found is None:
            raise NO_SERVICE
        return found.data

    async def connection_form(self, request: Request) -> Response:
        guard.admit(request, self.settings)
        chosen = self._service(request.query_params.get("service"))
        values = {"scopes": ", ".join(chosen.get("scopes") or [])}
        return self.render(request, "connection_new.html", service=chosen, values=values, problem=None)

    async def create_connection(self, request: Request) -> Response:
        fields = await self.form(request)
        chosen = self._service(fields.get("service_link_name"))
        org_id, now_ms = self.org_id(), self.now_ms()
        try:
            with self.emulator.store.tx(writes=True) as conn:
                made = service.create_connection(
                    conn,
                    org_id,
                    forms.connection_item(fields, chosen),
                    now_ms,
                    credentials=forms.credentials(fields, chosen),
                )
                started = (
                    service.start_authorization(conn, made, self.settings.base_url, now_ms)
                    if chosen["auth_type"] == rules.OAUTH2
                    else None
                )
        except ZohoError as refusal:
            problem = forms.problem_text(refusal, chosen)
            return self.render(request, "connection_new.html", 400, service=chosen, values=fields, problem=problem)
        if started is not None:
            return self.authorize_redirect(*started)
        return self.pages.redirect(connection_path(made.link_name))

    async def reconnect(self, request: Request) -> Response:
        fields = await self.form(request)
        link_name = request.path_params["link_name"]
        org_id, now_ms = self.org_id(), self.now_ms()
        chosen: dict[str, Any] | None = None
        try:
            with self.emulator.store.tx(writes=True) as conn:
                stored = service.get_connection(conn, org_id, link_name)
                if stored is None:
                    raise NO_CONNECTION
                chosen = service.service_of(conn, stored).data
                if chosen["auth_type"] == rules.OAUTH2:
                    started = service.start_authorization(conn, stored, self.settings.base_url, now_ms)
                    return self.authorize_redirect(*started)
                service.set_credentials(conn, stored, forms.credentials(fields, chosen), now_ms)
        except ZohoError as refusal:
            return self.detail(request, link_name, 400, problem=forms.problem_text(refusal, chosen))
        return self.pages.redirect(connection_path(link_name))

    async def callback(self, request: Request) -> Response:
        """The service's redirect back: take the pending authorization, swap the code, keep the tokens."""
        guard.admit(request, self.settings, check_origin=False)  # a redirect from the provider's page
        state = request.query_params.get("state") or ""
        cookie = request.cookies.get(guard.STATE_COOKIE) or ""
        if not state or not hmac.compare_digest(state.encode(), cookie.encode()):
            raise NOT_STARTED_HERE
        refused_by_provider = request.query_params.get("error")
        code = None if refused_by_provider else request.query_params.get("code")
        org_id, now_ms = self.org_id(), self.now_ms()
        problem: str | None = None
        exchange: service.Exchange | None = None
        with self.emulator.store.tx(writes=True) as conn:
            try:  # inside the transaction: a state is used up even when what follows fails
                exchange = service.take_authorization(conn, org_id, state, code, now_ms)
                if exchange.service.data.get("builtin"):
                    info = server_info.for_server(conn, self.settings)
                    service.exchange_in_process(conn, exchange, info, now_ms)
            except ValueError as reason:
                problem = str(reason)
            except oauth.TokenRefused as refused:
                problem = f"The token request was refused ({refused.detail})."
        if refused_by_provider:
            problem = f"The service did not grant access ({refused_by_provider})."
        if problem is None and exchange is not None and not exchange.service.data.get("builtin"):
            problem = await self._exchange_over_http(exchange)
        response: Response
        if problem is not None:
            response = self.pages.error(PageError("Connection Failed", problem))
        else:
            assert exchange is not None
            response = self.pages.redirect(connection_path(exchange.connection.link_name) + "?connected=1")
        response.delete_cookie(guard.STATE_COOKIE, path=rules.CALLBACK_PATH)
        return response

    async def _exchange_over_http(self, exchange: service.Exchange) -> str | None:
        """Swap the code at a third-party token URL (no transaction open meanwhile); the problem, if any."""
        try:
            reply = await oauth.post_async(
                str(exchange.service.data["token_url"]), exchange.form, self.emulator.deliveries.policy
            )
        except oauth.TokenRefused as refused:
            return f"The token request was refused ({refused.detail})."
        try:
            with self.emulator.store.tx(writes=True) as conn:
                service.store_tokens(conn, exchange.connection.id, reply, self.now_ms())
        except ValueError as reason:
            return str(reason)
        return None

    # --- one connection --------------------------------------------------------------------------

    def detail(self, request: Request, link_name: str, status: int = 200, **context: Any) -> Response:
        org_id = self.org_id()
        with self.emulator.store.tx() as conn:
            shown = service.find_connection(conn, org_id, link_name)
            stored = service.get_connection(conn, org_id, link_name)
            chosen = service.service_of(conn, stored).data if stored is not None else None
        if shown is None or chosen is None:
            raise NO_CONNECTION
        context.setdefault("problem", None)
        context.setdefault("values", {})
        context.setdefault("result", None)
        context.setdefault("test", {"method": "GET", "url": "", "body": ""})
        return self.render(request, "connection.html", status, connection=shown, service=chosen, **context)

    async def detail_page(self, request: Request) -> Response:
        guard.admit(request, self.settings)
        notice = "Connected." if request.query_params.get("connected") else None
        return self.detail(request, request.path_params["link_name"], notice=notice)

    async def test(self, request: Request) -> Response:
        fields = await self.form(request)
        link_name = request.path_params["link_name"]
        method = (fields.get("method") or "GET").upper()
        url = (fields.get("url") or "").strip()
        body = fields.get("body") or ""
        typed = {"method": method, "url": url, "body": body}
        problem = tester.checked_target(method, url)
        if problem is not None:
            return self.detail(request, link_name, 400, problem=problem, test=typed)
        result = await tester.run(self.emulator, self.org_id(), link_name, method, url, body)
        return self.detail(request, link_name, result=result, test=typed)

    async def delete(self, request: Request) -> Response:
        await self.form(request)
        with self.emulator.store.tx(writes=True) as conn:
            found = service.delete_connection(conn, self.org_id(), request.path_params["link_name"])
        if not found:
            raise NO_CONNECTION
        return self.pages.redirect(BASE)

    # --- signing in with the admin key ---------------------------------------------------------------

    async def sign_in_page(self, request: Request) -> Response:
        return self.render(request, "console_sign_in.html", needed=self.settings.admin_key is not None, problem=None)

    async def sign_in(self, request: Request) -> Response:
        key = self.settings.admin_key
        if key is None or not origins.same_origin(request, self.settings.base_url):
            raise guard.FOREIGN_FORM
        fields = await form_of(request)
        with self.emulator.store.tx() as conn:
            guard.check_form(service.console_key(conn), request, fields)
        if not hmac.compare_digest((fields.get("admin_key") or "").encode(), key.encode()):
            problem = "That is not the admin key."
            return self.render(request, "console_sign_in.html", 401, needed=True, problem=problem)
        response = self.pages.redirect(guard.CONSOLE_PATH)  # the console's home page
        guard.set_cookie(
            response, self.settings, guard.SESSION_COOKIE, guard.session_value(key), guard.CONSOLE_PATH, None
        )
        return response


LABELS = {
    "auth_type": rules.AUTH_TYPES,
    "param_type": rules.PARAM_TYPE_LABELS,
    "status": rules.STATUS_LABELS,
    "scope_delimiter": {"comma": "Comma ( , )", "space": "Space", "plus": "Plus ( + )"},
}


def routes(emulator: Emulator, pages: Pages) -> list[BaseRoute]:
    face = ConnectionPages(emulator, pages)
    table: list[tuple[str, dict[str, Handler]]] = [
        (guard.SIGN_IN_PATH, {"GET": face.sign_in_page, "POST": face.sign_in}),
        (BASE, {"GET": face.list_page, "POST": face.create_connection}),
        (f"{BASE}/services/new", {"GET": face.service_form}),
        (f"{BASE}/services", {"POST": face.create_service}),
        (f"{BASE}/new", {"GET": face.connection_form}),
        (rules.CALLBACK_PATH, {"GET": face.callback}),
        (BASE + "/{link_name}", {"GET": face.detail_page}),
        (BASE + "/{link_name}/connect", {"POST": face.reconnect}),
        (BASE + "/{link_name}/test", {"POST": face.test}),
        (BASE + "/{link_name}/delete", {"POST": face.delete}),
    ]
    return face.routes(table)
