"""The usage page: thin HTTP over ``usage.credits`` (the balance, per endpoint) and
``usage.history`` (hour by hour).

    GET /console/usage[?endpoint=GET /crm/v8/{module}]   the chart of all endpoints, or of one
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from zcrm_emulator.console.kit import ConsoleFace, Handler
from zcrm_emulator.console.usage.chart import chart
from zcrm_emulator.editions import edition
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.pages import PageError, Pages
from zcrm_emulator.usage import credits, history

BASE = "/console/usage"


class UsagePage(ConsoleFace):
    async def page(self, request: Request) -> Response:
        self.admit(request)
        org_id = self.emulator.default_org_id
        now_ms = self.now_ms()
        summary = credits.summary(self.emulator.store, self.emulator.pending_credits, org_id, now_ms)
        if summary is None:  # the default org is made on demand, so only a reset racing this page
            raise PageError("Org Not Found", "The org was replaced while the page was made; reload it.", 409)
        endpoint = request.query_params.get("endpoint") or None
        bars = history.hourly(self.emulator.store, self.emulator.pending_credits, org_id, now_ms, endpoint)
        return self.render(
            request,
            "console_usage.html",
            base=BASE,
            usage=summary,
            edition=edition(summary.edition).label,
            endpoint=endpoint,
            chart=chart(bars),
        )


def routes(emulator: Emulator, pages: Pages) -> list[BaseRoute]:
    face = UsagePage(emulator, pages)
    table: list[tuple[str, dict[str, Handler]]] = [(BASE, {"GET": face.page})]
    return face.routes(table)
