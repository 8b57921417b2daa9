"""The emulator's key for recipient tokens: made once per database, kept there, so every worker and
every restart signs and verifies alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from zcrm_emulator.config import Settings
from zcrm_emulator.console.unsubscribe.repo import signing_secret
from zcrm_emulator.emulator import Emulator


def key_of(db_url: str) -> bytes:
    emulator = Emulator(Settings(db_url=db_url))
    try:
        with emulator.store.tx() as conn:
            first = signing_secret(conn)
        with emulator.store.tx() as conn:
            assert signing_secret(conn) == first
        return first
    finally:
        emulator.close()


@pytest.mark.usefixtures("both_backends")
def test_the_key_is_made_once_and_outlives_the_process(db_url: str) -> None:
    key = key_of(db_url)
    assert len(key) == 32
    assert key_of(db_url) == key


def test_each_database_has_its_own_key(tmp_path: Path) -> None:
    assert key_of(f"sqlite:///{tmp_path / 'a.sqlite3'}") != key_of(f"sqlite:///{tmp_path / 'b.sqlite3'}")
