"""The embedded store's SQLite settings (docs/decisions.md, "SQLite durability and checkpoints")."""

from __future__ import annotations

from pathlib import Path

from zcrm_emulator.store import Store


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


def test_checkpoints_come_every_forty_megabytes_and_the_wal_is_cut_back_after(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'zcrm.sqlite3'}")
    try:
        assert pragma(store, "wal_autocheckpoint") == 10_000  # pages of 4 KiB
        assert pragma(store, "journal_size_limit") == 64 * 1024 * 1024
        assert pragma(store, "cache_size") == -32_768  # KiB: 32 MB per connection
    finally:
        store.dispose()
