"""Whole-store snapshots: save, restore, list, delete, and restoring a fresh-org template.

A snapshot holds every table (records, tokens, clients, usage, the clock offset in
``emulator_state``) except the keys that belong to the database rather than its state
(``state.KEPT_ON_RESTORE``). A restore replaces the store's whole content in one step that other
connections and processes see at once or not at all:

- SQLite (``sqlite.py``): a snapshot is a file beside the database, written and read back through
  SQLite's backup API, which copies pages under the database's own locks, so live connections,
  the checkpointer thread and other processes on the file stay valid.
- PostgreSQL (``postgres.py``): a snapshot is a schema in the same database, copied from and back
  into the live tables in one transaction (``CREATE DATABASE … TEMPLATE`` would need every other
  connection to the live database closed first).

The store layer knows nothing of HTTP: these errors become Zoho envelopes in ``zcrm_emulator/snapshots.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zcrm_emulator.store.snapshots.base import (
    NAME_PATTERN,
    NAME_RULE,
    AlreadyExists,
    BadName,
    NotFound,
    NotSupported,
    OtherSchema,
    SnapshotError,
    SnapshotInfo,
    Snapshots,
    checked_name,
)

if TYPE_CHECKING:
    from zcrm_emulator.store import Store

__all__ = [
    "NAME_PATTERN",
    "NAME_RULE",
    "AlreadyExists",
    "BadName",
    "NotFound",
    "NotSupported",
    "OtherSchema",
    "SnapshotError",
    "SnapshotInfo",
    "Snapshots",
    "checked_name",
    "for_store",
]


def for_store(store: Store) -> Snapshots:
    if store.dialect == "postgresql":
        from zcrm_emulator.store.snapshots.postgres import PostgresSnapshots

        return PostgresSnapshots(store)
    from zcrm_emulator.store.snapshots.sqlite import SqliteSnapshots

    return SqliteSnapshots(store)
