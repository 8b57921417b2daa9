"""Every console route, mounted at the root by ``app.py``."""

from __future__ import annotations

from starlette.routing import BaseRoute

from zcrm_emulator.console.connections.routes import routes as connection_routes
from zcrm_emulator.console.unsubscribe.routes import routes as unsubscribe_routes
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.pages import Pages


def routes(emulator: Emulator) -> list[BaseRoute]:
    pages = Pages()
    return [*unsubscribe_routes(emulator, pages), *connection_routes(emulator, Pages("Zoho CRM (emulated)"))]
