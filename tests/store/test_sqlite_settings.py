"""The embedded store's SQLite settings (docs/decisions.md, "SQLite durability and checkpoints")."""

from __future__ import annotations

import time
from pathlib import Path

from zcrm_emulator.store import Store
from zcrm_emulator.store.engine import sqlite_file


def pragma(store: Store, name: str) -> object:
    with store.tx() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()


def test_every_connection_gets_wal_normal_sync_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'zcrm.sqlite3'}")
    try:
        assert pragma(store, "journal_mode") == "wal"
        assert pragma(store, "synchronous") == 1  # NORMAL: no corruption on a power cut, unlike OFF
        assert pragma(store, "foreign_keys") == 1
        assert pragma(store, "busy_timeout") == 10_000
    finally:
        store.dispose()


def test_connections_leave_checkpoints_to_the_stores_checkpointer(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'zcrm.sqlite3'}")
    try:
        assert store.checkpointer is not None and store.checkpointer.running
        assert pragma(store, "wal_autocheckpoint") == 0  # no commit pays for a checkpoint
        assert pragma(store, "journal_size_limit") == 64 * 1024 * 1024  # the WAL is cut back after one
        assert pragma(store, "cache_size") == -32_768  # KiB: 32 MB per connection
    finally:
        store.dispose()
    assert not store.checkpointer.running


def test_the_checkpointer_copies_committed_pages_into_the_database_file(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'zcrm.sqlite3'}")
    try:
        with store.tx() as conn:
            conn.exec_driver_sql("CREATE TABLE filler (text TEXT)")
        for _ in range(5):
            with store.tx() as conn:
                conn.exec_driver_sql("INSERT INTO filler VALUES (?)", (("x" * 100_000),))
        assert store.checkpointer is not None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            last = store.checkpointer.last
            if last is not None and last[0] >= 5 * 24 and last[1] == last[0]:
                break  # every frame of the five 100 KB rows (25 pages of 4 KiB each) is in the file
            time.sleep(0.05)
        else:
            raise AssertionError(f"the log was not checkpointed: {store.checkpointer.last}")
    finally:
        store.dispose()


def test_a_postgresql_or_in_memory_store_has_no_checkpointer() -> None:
    assert sqlite_file("postgresql+psycopg://user@host/db") is None
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("sqlite:///:memory:") is None
    assert sqlite_file("sqlite:////data/zcrm.sqlite3") == "/data/zcrm.sqlite3"
