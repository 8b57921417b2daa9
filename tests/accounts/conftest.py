"""Fixtures for the accounts server's tests: time that stands still until a test moves it (so each
limit is tested at its exact edge), a registered Server-based client, and the consent flow driven
over HTTP the way a browser would (tests/accounts/flows.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.accounts.flows import REDIRECT_URI, SECOND_REDIRECT_URI, Flows, Registered
from zcrm_emulator.accounts import api_console
from zcrm_emulator.accounts.clients import NewClient
from zcrm_emulator.clock import Clock
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


class FrozenClock(Clock):
    """Emulator time that moves only when advanced."""

    def __init__(self, start_ms: int = START_MS) -> None:
        super().__init__(0)
        self.start_ms = start_ms

    def now_ms(self) -> int:
        return self.start_ms + self.offset_ms


@pytest.fixture
def emulator(settings: Settings) -> Iterator[Emulator]:
    emu = Emulator(settings, clock=FrozenClock())
    yield emu
    emu.close()


def register(emulator: Emulator, *uris: str, name: str = "Zylker Sync") -> Registered:
    with emulator.store.tx() as conn:
        client, secret = api_console.create_server_client(
            conn,
            emulator.default_org_id,
            NewClient(name, "https://sync.zylker.example", uris or (REDIRECT_URI, SECOND_REDIRECT_URI)),
            emulator.clock.now_ms(),
        )
    return Registered(client.id, secret, client.redirect_uris[0])


@pytest.fixture
def registered(emulator: Emulator) -> Registered:
    return register(emulator)


@pytest.fixture
def flows(client, registered: Registered, emulator: Emulator) -> Flows:  # type: ignore[no-untyped-def]
    return Flows(client, registered, emulator)
