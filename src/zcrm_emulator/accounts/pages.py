"""The accounts server's HTML: the consent page and the error page (templates/ beside this module).

Pages are never cached or framed, load nothing from elsewhere, and send no Referer to other sites
(the page's URL can carry an enhance token). ``same-origin`` rather than ``no-referrer``: under the
latter browsers send ``Origin: null`` with the form's own POST, which the answer's origin check
must refuse.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse

from zcrm_emulator.accounts.consent import ConsentView
from zcrm_emulator.accounts.errors import PageError

CONSENT_ACTION = "/oauth/v2/consent"
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}


class Pages:
    def __init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("zcrm_emulator.accounts", "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def consent(self, view: ConsentView) -> HTMLResponse:
        html = self.env.get_template("consent.html").render(view=view, action=CONSENT_ACTION)
        return HTMLResponse(html, headers=HEADERS)

    def error(self, error: PageError) -> HTMLResponse:
        html = self.env.get_template("error.html").render(title=error.title, message=error.message)
        return HTMLResponse(html, status_code=error.status, headers=HEADERS)
