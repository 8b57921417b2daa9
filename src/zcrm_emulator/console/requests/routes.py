"""The request journal's pages: thin HTTP over ``emulator.journal``.

GET /console/requests[?method=&path=&status=&module=&face=&since=&live=off]
    the newest requests that pass the filters; reloads itself every 2 s unless ``live=off``
GET /console/requests/{id}   one request and its answer, headers and bodies
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from zcrm_emulator.console.kit import ConsoleFace, Handler, time_text
from zcrm_emulator.console.requests import filters
from zcrm_emulator.console.requests.views import view
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.pages import PageError, Pages

BASE = "/console/requests"
SHOWN = 200  # the newest this many of those that pass; the ring keeps ``journal_size``
REFRESH_SECONDS = 2


class RequestPages(ConsoleFace):
    async def journal(self, request: Request) -> Response:
        self.admit(request)
        wanted = filters.read(request.query_params)
        live = request.query_params.get("live") != "off"
        found = [] if wanted.problems else self.emulator.journal.entries(**wanted.journal_filters())
        shown = [(entry, time_text(entry.time_ms)) for entry in reversed(found[-SHOWN:])]
        return self.render(
            request,
            "console_requests.html",
            400 if wanted.problems else 200,
            base=BASE,
            filters=wanted,
            faces=filters.FACES,
            methods=filters.METHODS,
            entries=shown,
            passed=len(found),
            size=self.emulator.journal.size,
            live=live,
            refresh_seconds=REFRESH_SECONDS,
            toggle_url=f"{BASE}?{urlencode({**wanted.typed, **({'live': 'off'} if live else {})})}",
            problem=" ".join(wanted.problems) or None,
        )

    async def detail(self, request: Request) -> Response:
        self.admit(request)
        entry = self.emulator.journal.get(request.path_params["request_id"])
        if entry is None:
            raise PageError(
                "Not Found",
                f"This server process keeps no request with the id {request.path_params['request_id']}: "
                f"the journal keeps its last {self.emulator.journal.size} requests, and a reset empties it.",
                404,
            )
        return self.render(request, "console_request.html", base=BASE, entry=entry, request_view=view(entry))


def routes(emulator: Emulator, pages: Pages) -> list[BaseRoute]:
    face = RequestPages(emulator, pages)
    table: list[tuple[str, dict[str, Handler]]] = [
        (BASE, {"GET": face.journal}),
        (BASE + "/{request_id}", {"GET": face.detail}),
    ]
    return face.routes(table)
