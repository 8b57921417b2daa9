"""The ASGI app factory: one process, four faces (DESIGN "One process, four faces").

/oauth/v2/...        accounts server       (accounts/)
/crm/{version}/...   CRM REST API gateway  (gateway.py + resources/)
/crm/bulk/{version}/... the bulk APIs, through a gateway of their own (endpoints.BULK_ENDPOINTS)
/_emulator/...       control plane         (control/)
/                    console pages         (console/)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from zcrm_emulator.accesslog import AccessLog
from zcrm_emulator.accounts import server_info
from zcrm_emulator.accounts.routes import routes as accounts_routes
from zcrm_emulator.bodysize import BodySizeLimit
from zcrm_emulator.clock import Clock
from zcrm_emulator.config import Settings, default_data_dir
from zcrm_emulator.console.routes import routes as console_routes
from zcrm_emulator.control.routes import routes as control_routes
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.endpoints import BULK_ENDPOINTS, ENDPOINTS
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.faults.middleware import InjectFaults
from zcrm_emulator.gateway import CrmGateway
from zcrm_emulator.journal.middleware import RecordRequests
from zcrm_emulator.traffic import CountRequests
from zcrm_emulator.wire import error_reply

log = logging.getLogger("zcrm_emulator")


async def _unknown_path(request: Request, exc: Exception) -> Response:
    return error_reply(ZohoError("INVALID_URL_PATTERN"))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_reply(ZohoError("INTERNAL_ERROR"))


def create_app(
    settings: Settings | None = None,
    *,
    data_dir: Path | None = None,
    clock: Clock | None = None,
    emulator: Emulator | None = None,
) -> Starlette:
    """A complete emulator app. With no arguments: embedded SQLite in the per-user data dir."""
    if emulator is None:
        settings = settings or Settings.for_data_dir(data_dir or default_data_dir())
        emulator = Emulator(settings, clock=clock)
    gateway = CrmGateway(emulator, ENDPOINTS)
    bulk_gateway = CrmGateway(emulator, BULK_ENDPOINTS)  # /crm/bulk/{version}/...: the same checks, its own table
    app = Starlette(
        routes=[
            Route("/crm/bulk/{version}/{rest:path}", bulk_gateway, methods=None),  # before /crm/{version}
            Route("/crm/{version}/{rest:path}", gateway, methods=None),
            Mount("/oauth", routes=accounts_routes(emulator)),
            Mount("/_emulator", routes=control_routes(emulator)),
            *console_routes(emulator),
        ],
        exception_handlers={HTTPException: _unknown_path, Exception: _internal_error},
        lifespan=_lifespan(emulator),
    )
    app.state.emulator = emulator
    app.add_middleware(InjectFaults, faults=emulator.faults, now_ms=emulator.clock.now_ms)
    app.add_middleware(BodySizeLimit, limit=emulator.settings.max_body_bytes)
    # Outside the body limit and faults: their answers are journaled too (and marked, for faults).
    app.add_middleware(RecordRequests, journal=emulator.journal, now_ms=emulator.clock.now_ms)
    app.add_middleware(AccessLog)  # outside the body limit: it logs the body limit's refusals too
    # Outermost: a request counts as in flight from its first byte (a restore waits for none; traffic.py).
    app.add_middleware(CountRequests, traffic=emulator.traffic)
    return app


def _lifespan(emulator: Emulator):  # type: ignore[no-untyped-def]
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Other processes on this database (`zcrm-emulator self-client`) read the URLs and policy from here.
        with emulator.store.tx() as conn:
            server_info.publish(conn, emulator.settings)
        sender = asyncio.create_task(emulator.deliveries.run()) if emulator.deliveries.mode == "async" else None
        scheduled = asyncio.create_task(emulator.workflow.run())  # scheduled workflow actions as they come due
        bulk_reads = asyncio.create_task(emulator.bulk_reads.run())  # bulk read jobs claimed from the store
        bulk_writes = asyncio.create_task(emulator.bulk_writes.run())  # bulk write jobs, likewise
        yield
        bulk_writes.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await bulk_writes
        bulk_reads.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await bulk_reads
        scheduled.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await scheduled
        if sender is not None:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
        emulator.close()

    return lifespan
