"""Fixtures for the accounts server's tests: time that stands still until a test moves it (so each
limit is tested at its exact edge), a registered Server-based client, and the consent flow driven
over HTTP the way a browser would (tests/support/accounts.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.accounts import Flows, FrozenClock, Registered, register
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator


@pytest.fixture
def emulator(settings: Settings) -> Iterator[Emulator]:
    emu = Emulator(settings, clock=FrozenClock())
    yield emu
    emu.close()


@pytest.fixture
def registered(emulator: Emulator) -> Registered:
    return register(emulator)


@pytest.fixture
def flows(client, registered: Registered, emulator: Emulator) -> Flows:  # type: ignore[no-untyped-def]
    return Flows(client, registered, emulator)
