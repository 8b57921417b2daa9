"""Checkpoints of the embedded store's write-ahead log, off the request path.

With SQLite's automatic checkpoints, the commit that crosses the threshold copies every page written
since into the database file and syncs it: at a million records, one 100-record insert in every few
dozen paid some 150 ms for all of them (bench/RESULTS.md). Instead, each ``Store`` on an SQLite file
runs one thread that checkpoints every ``INTERVAL_S`` on a connection of its own, and the store's
connections run with automatic checkpoints off (``store/engine.py``). The checkpoint is PASSIVE: it
never waits for readers nor blocks writers, and copies what no reader still needs; SQLite releases
the GIL while it copies and syncs, so requests go on meanwhile. Durability is unchanged
(``synchronous=NORMAL``: the log is synced before the database file is written).
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

INTERVAL_S = 0.1
# The log is cut back to this size after a checkpoint, as the store's connections do.
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024


class Checkpointer:
    """One daemon thread checkpointing the SQLite file at ``path`` until ``stop``."""

    def __init__(self, path: str) -> None:
        self.path = path
        # (frames in the log, frames of them copied into the database) after the latest checkpoint.
        self.last: tuple[int, int] | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpointer", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, *, wait: bool = True) -> None:
        """End the thread (after its current checkpoint, if any); the store's last connection to
        close checkpoints what is left."""
        self._stopping.set()
        if wait and self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self._stopping.wait(INTERVAL_S):
                try:
                    if conn is None:
                        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                        conn.execute("PRAGMA busy_timeout=10000")
                        conn.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
                    _busy, logged, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.last = (logged, copied)
                except sqlite3.Error:
                    # A locked or vanished file: try again next time (a test's folder may be gone).
                    log.debug("checkpoint of %s failed", self.path, exc_info=True)
        finally:
            if conn is not None:
                conn.close()
