"""What every console page shares (home, API console, data browser, usage): the access rule and the
CSRF token of the Connections pages (``console/connections/guard.py``), one dispatch per path that
answers any other method with an HTML 405, and the navigation between the pages.

A page handler is ``async (request) -> Response``; a refusal is a ``PageError``, shown as the
error page. Forms post back and are answered with a redirect (``?notice=``/``?problem=`` carried
in the query, shown once) unless the answer shows something only once, e.g. a new client's secret.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from zcrm_emulator.accounts.routes import form_of
from zcrm_emulator.connections import service as connections_service
from zcrm_emulator.console.connections import guard
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.pages import PageError, Pages

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# (path, label) of the navigation bar, in order; the current page is the longest prefix match.
NAVIGATION = (
    ("/console", "Home"),
    ("/console/api", "API Console"),
    ("/console/data", "Data"),
    ("/console/usage", "Usage"),
    ("/console/requests", "Requests"),
    ("/console/deliveries", "Deliveries"),
    ("/console/connections", "Connections"),
)
Handler = Callable[[Request], Awaitable[Response]]


def current_section(path: str) -> str:
    """The navigation entry a path belongs to (``/console`` for the home page only)."""
    matches = [nav for nav, _ in NAVIGATION if path == nav or (nav != "/console" and path.startswith(nav + "/"))]
    return max(matches, key=len) if matches else ""


def time_text(epoch_ms: int | None) -> str:
    """An emulator time as the console shows it: UTC, to the millisecond."""
    if epoch_ms is None:
        return ""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def message_seal(key: bytes, notice: str, problem: str) -> str:
    """What a redirect's message is signed with, so that a link made elsewhere cannot put words
    on a console page."""
    return hmac.new(key, f"console-message|{notice}|{problem}".encode(), hashlib.sha256).hexdigest()[:32]


class ConsoleFace:
    """One console page family: its emulator, its Pages, and the shared plumbing."""

    def __init__(self, emulator: Emulator, pages: Pages) -> None:
        self.emulator = emulator
        self.settings = emulator.settings
        self.pages = pages

    def dispatch(self, handlers: dict[str, Handler]) -> Handler:
        allow = ", ".join(handlers)

        async def endpoint(request: Request) -> Response:
            method = "GET" if request.method == "HEAD" else request.method
            try:
                handler = handlers.get(method)
                if handler is None:
                    raise PageError("Method Not Allowed", f"This page takes {allow}.", 405)
                return await handler(request)
            except PageError as error:
                return self.pages.error(error, {"Allow": allow} if error.status == 405 else None)

        return endpoint

    def admit(self, request: Request) -> None:
        guard.admit(request, self.settings)

    def _form_key(self) -> bytes:
        with self.emulator.store.tx() as conn:
            return connections_service.console_key(conn)

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        """The page with the browser's CSRF token, the navigation, and the one-time messages
        (unless the handler passes its own)."""
        nonce, new = guard.browser_nonce(request)
        key = self._form_key()
        query = request.query_params
        notice, problem = query.get("notice") or "", query.get("problem") or ""
        if (notice or problem) and hmac.compare_digest(query.get("seal", ""), message_seal(key, notice, problem)):
            context.setdefault("notice", notice or None)
            context.setdefault("problem", problem or None)
        context.setdefault("notice", None)
        context.setdefault("problem", None)
        response = self.pages.page(
            template,
            status,
            csrf_token=guard.form_token(key, nonce),
            navigation=NAVIGATION,
            section=current_section(request.url.path),
            **context,
        )
        if new:
            guard.set_cookie(response, self.settings, guard.CSRF_COOKIE, nonce, guard.CONSOLE_PATH, None)
        return response

    def redirect_with(self, path: str, *, notice: str = "", problem: str = "") -> Response:
        """A redirect to ``path`` whose page says ``notice`` or ``problem`` once."""
        query = {"notice": notice, "problem": problem, "seal": message_seal(self._form_key(), notice, problem)}
        return self.pages.redirect(f"{path}?{urlencode({k: v for k, v in query.items() if v})}")

    async def form(self, request: Request) -> dict[str, str]:
        """A console form's fields, once the caller, the Origin and the CSRF token have passed."""
        self.admit(request)
        fields = await form_of(request)
        guard.check_form(self._form_key(), request, fields)
        return fields

    def now_ms(self) -> int:
        return self.emulator.clock.now_ms()

    def routes(self, table: list[tuple[str, dict[str, Handler]]]) -> list[BaseRoute]:
        return [Route(path, self.dispatch(handlers), methods=ALL_METHODS) for path, handlers in table]
