"""The emulator clock's offset lives in the store: workers sharing one database agree on 'now'."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from zcrm_emulator.clock import Clock
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")
HOUR = 3600


@pytest.fixture
def two_workers(settings: Settings) -> Iterator[tuple[Emulator, Emulator]]:
    first, second = Emulator(settings), Emulator(settings)
    yield first, second
    first.close()
    second.close()


def wait_for_reload() -> None:
    time.sleep(Clock.RELOAD_S * 1.5)


def test_an_advance_by_one_worker_shows_in_another_within_the_reload_time(
    two_workers: tuple[Emulator, Emulator],
) -> None:
    first, second = two_workers
    before = second.clock.now_ms()
    first.advance_clock(HOUR)
    wait_for_reload()
    assert second.clock.now_ms() - before >= HOUR * 1000


def test_advances_by_two_workers_add_up(two_workers: tuple[Emulator, Emulator]) -> None:
    first, second = two_workers
    first.advance_clock(HOUR)
    second.advance_clock(HOUR)  # before it has read the first worker's advance
    wait_for_reload()
    first.clock.now_ms(), second.clock.now_ms()  # each reads the stored offset again
    assert first.clock.offset_ms == second.clock.offset_ms == 2 * HOUR * 1000


def test_a_clock_whose_store_is_unreadable_keeps_its_offset() -> None:
    def unreadable() -> int:
        raise RuntimeError("database is locked")

    clock = Clock(5_000, reload=unreadable)
    wait_for_reload()
    assert clock.now_ms() - time.time_ns() // 1_000_000 >= 4_000
    assert clock.offset_ms == 5_000
