"""The deliveries' pages: thin HTTP over ``reads.py``, for the default org.

GET /console/deliveries[?source=&status=&page=]   the deliveries, newest first, with their attempts
GET /console/deliveries/{id}                      one delivery: the request and every attempt
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from zcrm_emulator.console.data.routes import page_number
from zcrm_emulator.console.deliveries import reads
from zcrm_emulator.console.kit import ConsoleFace, Handler
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.pages import PageError, Pages

BASE = "/console/deliveries"


class DeliveryPages(ConsoleFace):
    async def deliveries(self, request: Request) -> Response:
        self.admit(request)
        query = request.query_params
        page = page_number(query.get("page"))
        source = query.get("source") or None
        status = query.get("status") or None
        if status is not None and status not in reads.STATUSES:
            raise PageError("Invalid Status", f"The status must be one of: {', '.join(reads.STATUSES)}.")
        with self.emulator.store.tx() as conn:
            found = reads.deliveries(conn, self.emulator.default_org_id, source=source, status=status, page=page)
        return self.render(
            request,
            "console_deliveries.html",
            base=BASE,
            found=found,
            source=source or "",
            status_filter=status or "",
            statuses=reads.STATUSES,
        )

    async def detail(self, request: Request) -> Response:
        self.admit(request)
        delivery_id = request.path_params["delivery_id"]
        found = None
        if normalize_id(delivery_id) is not None:
            with self.emulator.store.tx() as conn:
                found = reads.delivery(conn, self.emulator.default_org_id, delivery_id)
        if found is None:
            raise PageError("Not Found", f"There is no delivery with the id {delivery_id}.", 404)
        return self.render(request, "console_delivery.html", base=BASE, detail=found, delivery=found.delivery)


def routes(emulator: Emulator, pages: Pages) -> list[BaseRoute]:
    face = DeliveryPages(emulator, pages)
    table: list[tuple[str, dict[str, Handler]]] = [
        (BASE, {"GET": face.deliveries}),
        (BASE + "/{delivery_id}", {"GET": face.detail}),
    ]
    return face.routes(table)
