"""Every console route, mounted at the root by ``app.py``."""

from __future__ import annotations

from starlette.routing import BaseRoute

from zcrm_emulator.console.api_console.routes import routes as api_console_routes
from zcrm_emulator.console.connections.routes import routes as connection_routes
from zcrm_emulator.console.data.routes import routes as data_routes
from zcrm_emulator.console.deliveries.routes import routes as delivery_routes
from zcrm_emulator.console.home.routes import routes as home_routes
from zcrm_emulator.console.requests.routes import routes as request_routes
from zcrm_emulator.console.unsubscribe.routes import routes as unsubscribe_routes
from zcrm_emulator.console.usage.routes import routes as usage_routes
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.pages import Pages


def routes(emulator: Emulator) -> list[BaseRoute]:
    pages = Pages()
    console = Pages("Zoho CRM (emulated)")
    return [
        *unsubscribe_routes(emulator, pages),
        *connection_routes(emulator, console),
        *home_routes(emulator, console),
        *api_console_routes(emulator, console),
        *data_routes(emulator, console),
        *usage_routes(emulator, console),
        *request_routes(emulator, console),
        *delivery_routes(emulator, console),
    ]
