"""The request journal: every request and its answer on every face, secrets redacted (redact.py),
kept in a ring of the last ``Settings.journal_size`` entries of this process, bodies cut at
``Settings.journal_body_bytes``. Recorded by ``middleware.RecordRequests``; read over HTTP at
``/_emulator/requests`` (control/journal.py), on the console at ``/console/requests``
(console/requests/) and in tests with ``emulator.journal.entries(...)``.

Per process, in memory (docs/decisions.md "Fault injection and the request journal"): writing each
request into the store would add a write to every call, reads included, where a read call now
commits none; a server with several workers keeps one journal per worker. A reset empties the
journal of the process that runs it. The journal's own reads are not journaled.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from zcrm_emulator.faults.rules import path_matches

log = logging.getLogger("zcrm_emulator.journal")


@dataclass(frozen=True)
class Entry:
    id: str  # the request id, as in the X-Request-Id header and the access log
    time_ms: int  # emulator time when the request came in
    face: str  # crm, accounts, control or console
    method: str
    path: str
    query: str
    module: str | None
    request_headers: dict[str, str]
    request_body: str | None
    request_body_truncated: bool
    status: int | None  # None: the connection was dropped
    response_headers: dict[str, str]
    response_body: str | None
    response_body_truncated: bool
    duration_ms: float
    org_id: str | None
    user_id: str | None
    client_id: str | None
    credits: int | None  # API credits charged (CRM calls the gateway admitted)
    fault: dict[str, Any] | None  # the fault rule that answered, when one did

    @property
    def principal(self) -> dict[str, str | None]:
        return {"org_id": self.org_id, "user_id": self.user_id, "client_id": self.client_id}

    def summary(self) -> dict[str, Any]:
        """The list view: no headers or bodies."""
        return {
            "id": self.id,
            "time_ms": self.time_ms,
            "face": self.face,
            "method": self.method,
            "path": self.path,
            "module": self.module,
            "status": self.status,
            "duration_ms": self.duration_ms,
            "principal": self.principal,
            "credits": self.credits,
            "fault": self.fault,
        }

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("org_id", "user_id", "client_id"):
            del out[key]
        out["principal"] = self.principal
        return out


class Journal:
    def __init__(self, size: int, body_bytes: int) -> None:
        self.size = size
        self.body_bytes = body_bytes
        self._entries: deque[Entry | Callable[[], Entry]] = deque(maxlen=size)
        self._lock = threading.Lock()

    def record(self, entry: Entry | Callable[[], Entry]) -> None:
        """Keep ``entry``, or what ``entry()`` makes: a request's entry is built (its secrets
        redacted, its bodies decoded) only when the journal is read, off the request's path."""
        with self._lock:
            self._entries.append(entry)

    def _built(self) -> list[Entry]:
        """Every entry kept, oldest first, the ones still to build built now (under the lock)."""
        built: list[Entry] = []
        for index, item in enumerate(list(self._entries)):
            if not isinstance(item, Entry):
                try:
                    item = item()
                except Exception:  # the journal watches; one entry it cannot build is left out
                    log.exception("could not build a journal entry")
                    continue
                self._entries[index] = item
            built.append(item)
        return built

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, entry_id: str) -> Entry | None:
        with self._lock:
            return next((e for e in self._built() if e.id == entry_id), None)

    def entries(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        module: str | None = None,
        since: int | None = None,
        face: str | None = None,
        faulted: bool | None = None,
    ) -> list[Entry]:
        """The entries kept, oldest first, that pass every filter given: ``path`` a glob (``*``,
        ``?``) or the exact path; ``module`` in any case; ``since`` emulator ms, inclusive;
        ``faulted`` whether a fault rule answered."""
        with self._lock:
            kept: Iterable[Entry] = self._built()
        return [
            e
            for e in kept
            if (method is None or e.method == method.upper())
            and (path is None or path_matches(path, e.path))
            and (status is None or e.status == status)
            and (module is None or (e.module or "").lower() == module.lower())
            and (since is None or e.time_ms >= since)
            and (face is None or e.face == face)
            and (faulted is None or (e.fault is not None) == faulted)
        ]
