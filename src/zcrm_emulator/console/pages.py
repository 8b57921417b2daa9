"""The console's HTML: one Jinja2 environment over ``templates/`` and the headers every page carries.

Pages are never cached or framed and load nothing from elsewhere; the Content-Security-Policy runs
no script at all, so organization-written rich text (``standard_page_message``) can be shown as
written. ``Referrer-Policy: same-origin``: a page's URL can carry a recipient token, which must not
reach other sites, and under ``no-referrer`` browsers would send ``Origin: null`` with the page's
own form, which the submission's origin check refuses.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse, RedirectResponse

from zcrm_emulator.accounts.errors import PageError

HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}
# Text that holds at least one tag is taken as rich text (Zoho accepts "rich text (html) or plain text").
_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*|/[A-Za-z][A-Za-z0-9-]*|!--)[^>]*>")


def rich_or_plain(text: str | None) -> Markup:
    """A message as Zoho shows it: HTML as written, plain text escaped with its line breaks kept."""
    if not text:
        return Markup("")
    if _TAG.search(text):
        return Markup(text)  # organization-written rich text; the page's CSP runs no script
    return Markup("<br>").join(escape(line) for line in text.splitlines())


class Pages:
    def __init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("zcrm_emulator.console", "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def error(self, error: PageError, headers: dict[str, str] | None = None) -> HTMLResponse:
        response = self.page("error.html", error.status, title=error.title, message=error.message)
        response.headers.update(headers or {})
        return response

    @staticmethod
    def redirect(location: str) -> RedirectResponse:
        headers = {"Cache-Control": "no-store", "Referrer-Policy": HEADERS["Referrer-Policy"]}
        return RedirectResponse(location, status_code=302, headers=headers)
