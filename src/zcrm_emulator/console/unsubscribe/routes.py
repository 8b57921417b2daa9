"""The hosted unsubscribe page (seed "Create Unsubscribe Link"): thin HTTP over service.py.

    GET  /unsubscribe/{link_id}?r=<recipient token>
         standard page: the link's ``standard_page_message`` and an Unsubscribe button (a POST form);
         custom page: 302 to ``custom_location_url?r=…&form_token=…&submit_url=…``
    POST /unsubscribe/{link_id}          form fields ``r`` and ``form_token``
         opts the recipient out, then shows ``submission_message`` or 302s to
         ``submission_redirect_url``

Opening the page changes nothing (mail scanners open links); only the form does. The form is
accepted from this server's page, or, for a custom-page link, from the origin of its
``custom_location_url``; other origins get a 403 page. Unknown links and records: a 404 page;
missing or altered tokens: a 400 page; any other method: a 405 page. Never a traceback.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from zcrm_emulator import origins
from zcrm_emulator.accounts.routes import form_of
from zcrm_emulator.console.unsubscribe import service
from zcrm_emulator.console.unsubscribe.service import Visit
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.pages import PageError, Pages, rich_or_plain

# The emulator's wording where the link leaves a message unset (Zoho's own standard texts are not published).
DEFAULT_PAGE_MESSAGE = "Click Unsubscribe to stop receiving emails from us."
DEFAULT_SUBMISSION_MESSAGE = "You have been unsubscribed."
ALLOW = "GET, HEAD, POST"
# Every method reaches the handlers, which answer the ones a page does not take with an HTML 405.
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
FOREIGN_FORM = PageError("Invalid Request", "This form was not sent from the unsubscribe page.", 403)
NO_PAGE = PageError("Page Not Found", "There is no page at this address.", 404)


class UnsubscribePages:
    def __init__(self, emulator: Emulator, pages: Pages) -> None:
        self.emulator = emulator
        self.pages = pages

    async def endpoint(self, request: Request) -> Response:
        try:
            if request.method in ("GET", "HEAD"):
                return self.show(request)
            if request.method == "POST":
                return await self.answer(request)
            raise PageError("Method Not Allowed", f"This page takes {ALLOW}.", 405)
        except PageError as error:
            return self.pages.error(error, {"Allow": ALLOW} if error.status == 405 else None)

    def show(self, request: Request) -> Response:
        with self.emulator.store.tx() as conn:
            visit = service.visit(conn, self.emulator, request.path_params["link_id"], request.query_params.get("r"))
            location = service.custom_page_location(conn, self.emulator, visit)
            form_token = service.form_token(conn, visit)
        if location is not None:
            return self.pages.redirect(location)
        return self.pages.page(
            "unsubscribe.html",
            message=rich_or_plain(visit.link.get("standard_page_message") or DEFAULT_PAGE_MESSAGE),
            email=visit.email,
            action=service.page_path(visit.link_id),
            token=visit.token,
            form_token=form_token,
        )

    async def answer(self, request: Request) -> Response:
        form = await form_of(request)
        with self.emulator.store.tx() as conn:
            visit = service.visit(conn, self.emulator, request.path_params["link_id"], form.get("r"))
            if not self.from_allowed_page(request, visit):
                raise FOREIGN_FORM
            request_id = (request.scope.get("state") or {}).get("request_id")
            outcome = service.submit(conn, self.emulator, visit, form.get("form_token"), request_id)
        if outcome.redirect_to is not None:
            return self.pages.redirect(outcome.redirect_to)
        return self.pages.page(
            "unsubscribed.html", message=rich_or_plain(outcome.message or DEFAULT_SUBMISSION_MESSAGE)
        )

    def from_allowed_page(self, request: Request, visit: Visit) -> bool:
        origin = (request.headers.get("origin") or "").lower()
        if origin and origin in service.allowed_origins(visit):
            return True
        return origins.same_origin(request, self.emulator.settings.base_url)

    async def elsewhere(self, request: Request) -> Response:
        return self.pages.error(NO_PAGE)


def routes(emulator: Emulator, pages: Pages) -> list[BaseRoute]:
    face = UnsubscribePages(emulator, pages)
    return [
        Route("/unsubscribe/{link_id}", face.endpoint, methods=ALL_METHODS),
        Route("/unsubscribe", face.elsewhere, methods=ALL_METHODS),
        Route("/unsubscribe/{rest:path}", face.elsewhere, methods=ALL_METHODS),
    ]
