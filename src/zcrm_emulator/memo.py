"""Derived values kept between requests (e.g. a serialized module list), never trusted blindly.

Each entry remembers the *stamp* it was built from: a small value the caller reads from the store,
inside its own transaction, on every request (e.g. the count and latest change time of an org's
modules). A different stamp rebuilds the entry, so workers sharing one database never serve one
another's stale data; the memo only saves re-reading and re-rendering what has not changed.
One per Emulator (no module-level state), bounded, safe to share between threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_ENTRIES = 512  # each org's modules, callers and renders: room for several orgs


class Memo:
    def __init__(self, max_entries: int = DEFAULT_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, stamp: Hashable, build: Callable[[], T]) -> T:
        """The value for ``key`` built at ``stamp``; ``build()`` runs when there is none yet."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == stamp:
                self._entries.move_to_end(key)
                return entry[1]  # type: ignore[no-any-return]
        value = build()
        with self._lock:
            self._entries[key] = (stamp, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry (the store's content was replaced: a restore)."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
