"""Fault injection: rules that answer matching requests with a Zoho error, an accounts-server error,
latency or a dropped connection (``rules.py``), kept in the store so every worker of one database
follows the same rules and counts (``repo.py``), applied by an ASGI middleware (``middleware.py``).

In tests: ``emulator.faults.inject(error="INVALID_TOKEN", path="/crm/v8/Leads", times=1)``; over
HTTP: ``/_emulator/faults`` (control/faults.py). A reset empties them.

Each process reads the rules at most every ``RELOAD_S`` (a rule added on another worker answers
there within 100 ms, as the clock offset does); its own changes apply at once. Only a call that
matches a rule touches the store: its count is taken in a write transaction under the rule's lock,
so ``after`` and ``times`` hold across workers.
"""

from __future__ import annotations

import builtins
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from zcrm_emulator.faults import repo
from zcrm_emulator.faults.rules import Fault, Target, fires, matches, parse
from zcrm_emulator.store import locks
from zcrm_emulator.store.engine import Store

__all__ = ["Fault", "Faults", "Target"]


class Faults:
    RELOAD_S = 0.1

    def __init__(self, store: Store, now_ms: Callable[[], int]) -> None:
        self.store = store
        self._now_ms = now_ms
        self._lock = threading.Lock()
        self._rules: builtins.list[Fault] = []
        self._read_at = -1.0

    # --- the Python API (the control plane calls the same) -------------------------------------
    def inject(self, **rule: Any) -> Fault:
        """Add a rule (keys as in ``rules.py``); ZohoError INVALID_DATA when one is wrong."""
        return self.add(rule)

    def add(self, body: dict[str, Any]) -> Fault:
        fault = parse(body, fault_id=f"fault_{secrets.token_hex(6)}", now_ms=self._now_ms())
        with self.store.tx(writes=True) as conn:
            repo.add(conn, fault)
        self.forget()
        return fault

    def list(self) -> builtins.list[Fault]:
        with self.store.tx() as conn:
            return repo.all_faults(conn)

    def get(self, fault_id: str) -> Fault | None:
        with self.store.tx() as conn:
            return repo.find(conn, fault_id)

    def remove(self, fault_id: str) -> bool:
        with self.store.tx(writes=True) as conn:
            removed = repo.remove(conn, fault_id)
        self.forget()
        return removed

    def clear(self) -> int:
        with self.store.tx(writes=True) as conn:
            removed = repo.clear(conn)
        self.forget()
        return removed

    def forget(self) -> None:
        """Read the rules again on the next request (after a change, a reset or a restore)."""
        with self._lock:
            self._read_at = -1.0

    # --- the middleware's side -----------------------------------------------------------------
    def active(self) -> builtins.list[Fault]:
        """The rules not yet spent, as this process last read them (at most ``RELOAD_S`` ago)."""
        now = time.monotonic()
        with self._lock:
            stale = self._read_at < 0 or now - self._read_at >= self.RELOAD_S
        if stale:
            rules = self.list()
            with self._lock:
                self._rules, self._read_at = rules, now
        with self._lock:
            return [fault for fault in self._rules if not fault.spent]

    def pick(self, target: Target, client_of: Callable[[], str | None]) -> Fault | None:
        """The first rule (in the order they were added) that matches ``target`` and answers this
        call; every matching rule tried counts the call. ``client_of`` is asked at most once, and
        only when a rule names a client."""
        client: str | None = None
        asked = False
        for fault in self.active():
            if fault.client is not None and not asked:
                client, asked = client_of(), True
            if matches(fault, target, client) and (fired := self._claim(fault.id)) is not None:
                return fired
        return None

    def _claim(self, fault_id: str) -> Fault | None:
        """Count one matching call on the rule in the store; the rule when it answers this call."""
        with self.store.tx(writes=True) as conn:
            locks.serialize(conn, f"fault:{fault_id}")
            fault = repo.find(conn, fault_id)
            if fault is None:  # removed meanwhile, here or on another worker
                return None
            nth = fault.matched + 1
            answer = fires(fault, nth, fault.fired)
            repo.set_counts(conn, fault_id, nth, fault.fired + answer)
        if answer and fault.times is not None and fault.fired + 1 >= fault.times:
            self.forget()  # spent: no more store reads for it here
        return fault if answer else None
