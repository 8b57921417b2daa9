"""The data browser pages: thin HTTP over ``reads.py``, for the default org.

GET /console/data                                   the modules
GET /console/data/{module}                          its fields
GET /console/data/{module}/records[?page=&word=]    its records, paged, or those a word finds
GET /console/data/{module}/records/{id}             one record and its related lists
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from zcrm_emulator.console.data import reads
from zcrm_emulator.console.kit import ConsoleFace, Handler
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.pages import PageError, Pages

BASE = "/console/data"
MAX_PAGE = 10_000  # deeper than any console user pages; keeps the offset a small number


def page_number(raw: str | None) -> int:
    try:
        number = int(raw or "1")
    except ValueError:
        raise PageError("Invalid Page", "The page must be a whole number from 1.") from None
    if not 1 <= number <= MAX_PAGE:
        raise PageError("Invalid Page", f"The page must be a whole number from 1 to {MAX_PAGE}.")
    return number


def not_found(missing: reads.NotFound) -> PageError:
    return PageError("Not Found", str(missing), 404)


class DataPages(ConsoleFace):
    async def modules(self, request: Request) -> Response:
        self.admit(request)
        with self.emulator.store.tx() as conn:
            found = reads.modules(conn, self.emulator.default_org_id)
        return self.render(request, "console_data_modules.html", base=BASE, modules=found)

    async def fields(self, request: Request) -> Response:
        self.admit(request)
        with self.emulator.store.tx(writes=True) as conn:  # a module's first read may store its layout
            try:
                meta = reads.module(
                    conn, self.emulator.default_org_id, request.path_params["module"], self.now_ms(), self.emulator.memo
                )
            except reads.NotFound as missing:
                raise not_found(missing) from None
        return self.render(request, "console_data_fields.html", base=BASE, meta=meta, fields=meta.fields)

    async def records(self, request: Request) -> Response:
        self.admit(request)
        page = page_number(request.query_params.get("page"))
        word = (request.query_params.get("word") or "").strip() or None
        org_id = self.emulator.default_org_id
        problem = None
        found = None
        with self.emulator.store.tx(writes=True) as conn:
            try:
                meta = reads.module(conn, org_id, request.path_params["module"], self.now_ms(), self.emulator.memo)
                found = reads.records(conn, org_id, meta, page=page, word=word, memo=self.emulator.memo)
            except reads.NotFound as missing:
                raise not_found(missing) from None
            except ZohoError as refusal:  # the word search's own refusals, e.g. a too short word
                problem = f"The search was refused: {refusal.message}."
        return self.render(
            request,
            "console_data_records.html",
            400 if problem else 200,
            base=BASE,
            meta=meta,
            found=found,
            word=word or "",
            problem=problem,
        )

    async def record(self, request: Request) -> Response:
        self.admit(request)
        org_id = self.emulator.default_org_id
        now_ms, memo = self.now_ms(), self.emulator.memo
        with self.emulator.store.tx(writes=True) as conn:
            try:
                meta = reads.module(conn, org_id, request.path_params["module"], now_ms, memo)
                view = reads.record(conn, org_id, meta, request.path_params["record_id"], now_ms, memo)
            except reads.NotFound as missing:
                raise not_found(missing) from None
        return self.render(request, "console_data_record.html", base=BASE, meta=meta, record=view)


def routes(emulator: Emulator, pages: Pages) -> list[BaseRoute]:
    face = DataPages(emulator, pages)
    table: list[tuple[str, dict[str, Handler]]] = [
        (BASE, {"GET": face.modules}),
        (BASE + "/{module}", {"GET": face.fields}),
        (BASE + "/{module}/records", {"GET": face.records}),
        (BASE + "/{module}/records/{record_id}", {"GET": face.record}),
    ]
    return face.routes(table)
