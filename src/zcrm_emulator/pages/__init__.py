"""Every HTML page the emulator serves, one base for all of them: the consent page (accounts/),
the hosted unsubscribe pages (console/), and the console pages to come. One Jinja2 environment over
``pages/templates`` (``base.html`` and ``error.html`` shared), the headers every page carries, the
error page and the redirect.

Pages are never cached or framed and load nothing from elsewhere; the Content-Security-Policy runs
no script at all, so organization-written rich text (``standard_page_message``) can be shown as
written. ``Referrer-Policy: same-origin`` rather than ``no-referrer``: a page's URL can carry an
enhance or recipient token, which must not reach other sites, and under ``no-referrer`` browsers
send ``Origin: null`` with the page's own form, which the answer's origin check must refuse.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse, RedirectResponse

HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}
# Text that holds at least one tag is taken as rich text (Zoho accepts "rich text (html) or plain text").
_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*|/[A-Za-z][A-Za-z0-9-]*|!--)[^>]*>")


class PageError(Exception):
    """A problem shown to the person in the browser as an HTML page (never a redirect)."""

    def __init__(self, title: str, message: str, status: int = 400) -> None:
        super().__init__(f"{title}: {message}")
        self.title = title
        self.message = message
        self.status = status


def rich_or_plain(text: str | None) -> Markup:
    """A message as Zoho shows it: HTML as written, plain text escaped with its line breaks kept."""
    if not text:
        return Markup("")
    if _TAG.search(text):
        return Markup(text)  # organization-written rich text; the page's CSP runs no script
    return Markup("<br>").join(escape(line) for line in text.splitlines())


_ENVIRONMENT: list[Environment] = []  # built on first use: Jinja2 is not needed until a page is shown


def _environment() -> Environment:
    if not _ENVIRONMENT:
        _ENVIRONMENT.append(
            Environment(
                loader=PackageLoader("zcrm_emulator.pages", "templates"),
                autoescape=select_autoescape(["html"]),
                trim_blocks=True,
                lstrip_blocks=True,
            )
        )
    return _ENVIRONMENT[0]


class Pages:
    """The pages of one face: ``face`` follows every page title (e.g. "Zoho Accounts (emulated)"),
    ``error_note`` closes every error page (e.g. that nothing was sent back to the application)."""

    def __init__(self, face: str | None = None, error_note: str | None = None) -> None:
        self.face = face
        self.error_note = error_note

    def page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = _environment().get_template(template).render(face=self.face, **context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def error(self, error: PageError, headers: dict[str, str] | None = None) -> HTMLResponse:
        response = self.page("error.html", error.status, title=error.title, message=error.message, note=self.error_note)
        response.headers.update(headers or {})
        return response

    @staticmethod
    def redirect(location: str) -> RedirectResponse:
        headers = {"Cache-Control": "no-store", "Referrer-Policy": HEADERS["Referrer-Policy"]}
        return RedirectResponse(location, status_code=302, headers=headers)
