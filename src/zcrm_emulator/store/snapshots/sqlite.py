"""Snapshots of an SQLite store: one file each beside the database (``<file>-snapshots/<name>.sqlite3``),
written and read back through SQLite's backup API; and new databases made by copying a template file.

The backup API, not a file copy, for everything that touches the live file: it copies pages under
SQLite's own locks in one write transaction, so connections of this process (the pool, the
checkpointer thread) and of other processes keep working and see the old content or the new, never
a mix; a file copied over a live database would leave them with stale pages and a WAL that no longer
matches. A restore waits (``busy_timeout``-like retries) for another connection's write to finish.
Snapshot files are 0600 (they hold token and secret hashes) and in rollback-journal mode, one file each.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from zcrm_emulator.store import heads, state
from zcrm_emulator.store.engine import Store
from zcrm_emulator.store.snapshots.base import (
    NAME_PATTERN,
    AlreadyExists,
    NotFound,
    NotSupported,
    OtherSchema,
    SnapshotInfo,
    checked_name,
)

SUFFIX = ".sqlite3"
_KEPT_QUERY = f"SELECT key, value FROM emulator_state WHERE key IN ({', '.join('?' * len(state.KEPT_ON_RESTORE))})"
BUSY_SLEEP_S = 0.002  # between tries while another connection writes (Python's default is 0.25 s)


def snapshot_folder(db_path: str) -> Path:
    return Path(f"{db_path}-snapshots")


class SqliteSnapshots:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.folder = snapshot_folder(store.path) if store.path is not None else None

    def save(self, name: str, *, replace: bool = False) -> SnapshotInfo:
        target = self._file(name)
        if target.exists() and not replace:
            raise AlreadyExists(name)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = _partial_beside(target)
        try:
            with _private_database(partial) as copy, live_connection(self.store) as live:
                live.backup(copy, sleep=BUSY_SLEEP_S)
                copy.execute("PRAGMA journal_mode=DELETE")
            if not _publish(partial, target, replace=replace):
                raise AlreadyExists(name)
        finally:
            _remove(partial)
        return _info(target)

    def restore(self, name: str) -> None:
        source = self._file(name)
        if not source.is_file():
            raise NotFound(name)
        with closing(_read_only(source)) as copy:
            saved_at = _heads_of(copy)
            if saved_at != heads.code_heads():
                raise OtherSchema(name, saved_at)
            _restore_from(self.store, copy)

    def list(self) -> list[SnapshotInfo]:
        if self.folder is None or not self.folder.is_dir():
            return []
        files = [f for f in self.folder.iterdir() if f.suffix == SUFFIX and NAME_PATTERN.fullmatch(f.stem)]
        return sorted((_info(f) for f in files), key=lambda info: info.name)

    def delete(self, name: str) -> None:
        try:
            self._file(name).unlink()
        except FileNotFoundError:
            raise NotFound(name) from None

    def _file(self, name: str) -> Path:
        checked = checked_name(name)
        if self.folder is None:
            raise NotSupported(checked)
        return self.folder / f"{checked}{SUFFIX}"


def restore_file(store: Store, source: Path) -> None:
    """Replace the store's whole content with the database file ``source`` (a snapshot or a
    template), keeping ``state.KEPT_ON_RESTORE``."""
    with closing(_read_only(source)) as copy:
        _restore_from(store, copy)


def _restore_from(store: Store, copy: sqlite3.Connection) -> None:
    with live_connection(store) as live:
        kept = dict(live.execute(_KEPT_QUERY, state.KEPT_ON_RESTORE).fetchall())
        restored = dict(copy.execute(_KEPT_QUERY, state.KEPT_ON_RESTORE).fetchall()) if kept else {}
        copy.backup(live, sleep=BUSY_SLEEP_S)
    if any(restored.get(key) != value for key, value in kept.items()):  # a transaction only when needed
        with store.tx() as conn:
            state.put_all(conn, kept)


def create_from(template: Path, target: Path) -> bool:
    """Make ``target`` a copy of ``template``, 0600 and on disk before it appears under its name;
    False when ``target`` exists already (another process made it first)."""
    partial = _partial_beside(target)
    try:
        with template.open("rb") as source, os.fdopen(_create_private(partial), "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        return _publish(partial, target, replace=False)
    finally:
        _remove(partial)


def make_self_contained(path: Path) -> None:
    """Turn a closed database file into one file that is the whole database, compacted: rollback
    journal (no -wal beside it), free pages dropped (a template, copied as it is)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")


def _heads_of(conn: sqlite3.Connection) -> frozenset[str]:
    """The schema revisions of a database file (empty when it has none)."""
    try:
        return frozenset(str(row[0]) for row in conn.execute(f"SELECT version_num FROM {heads.VERSION_TABLE}"))
    except sqlite3.Error:
        return frozenset()


@contextmanager
def live_connection(store: Store) -> Iterator[sqlite3.Connection]:
    """A connection of the store's own pool (its pragmas set), outside any transaction."""
    pooled = store.engine.raw_connection()
    try:
        driver = pooled.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        yield driver
    finally:
        pooled.close()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


@contextmanager
def _private_database(path: Path) -> Iterator[sqlite3.Connection]:
    os.close(_create_private(path))
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        yield conn


def _create_private(path: Path) -> int:
    return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)


def _partial_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")


def _publish(partial: Path, target: Path, *, replace: bool) -> bool:
    """Give the finished ``partial`` its name; without ``replace``, only if the name is free."""
    if replace:
        os.replace(partial, target)
        return True
    try:
        os.link(partial, target)  # fails, atomically, when the name is taken
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links
        if target.exists():
            return False
        os.replace(partial, target)
    return True


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


def _info(path: Path) -> SnapshotInfo:
    stat = path.stat()
    return SnapshotInfo(path.stem, int(stat.st_mtime * 1000), stat.st_size)
