"""Every console route, mounted at the root by ``app.py``."""

from __future__ import annotations

from starlette.routing import BaseRoute

from zcrm_emulator.console.pages import Pages
from zcrm_emulator.console.unsubscribe.routes import routes as unsubscribe_routes
from zcrm_emulator.emulator import Emulator


def routes(emulator: Emulator) -> list[BaseRoute]:
    pages = Pages()
    return [*unsubscribe_routes(emulator, pages)]
