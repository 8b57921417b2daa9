"""Requests in flight in this process, so that a restore never lands in the middle of one.

A restore (or reset) replaces the whole store. A request of this process half done at that moment
would mix two states: its token checked before and its handler run after, or its transaction
committed before and its credit debit held after (usage/pending.py). So ``alone`` refuses to begin
while any other request of this process is in flight (``Busy``), and requests that arrive while it
runs wait for it: a restore takes milliseconds, and runs no await, so a request waiting here on the
event loop's thread can only be waiting for a restore made by another thread. Other processes on
the same database are kept apart by the database's own locks (docs/architecture.md, "Snapshots").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from starlette.types import ASGIApp, Receive, Scope, Send

# The Traffic whose request the running task is serving: a restore asked for by a control-plane
# request does not count that request among the others in flight.
_SERVING: ContextVar[Traffic | None] = ContextVar("zcrm_serving", default=None)


class Busy(Exception):
    def __init__(self, others: int) -> None:
        super().__init__(f"{others} other requests in flight")
        self.others = others


class Traffic:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._in_flight = 0
        self._alone = False

    @contextmanager
    def request(self) -> Iterator[None]:
        with self._changed:
            while self._alone:
                self._changed.wait()
            self._in_flight += 1
        serving = _SERVING.set(self)
        try:
            yield
        finally:
            _SERVING.reset(serving)
            with self._changed:
                self._in_flight -= 1

    @contextmanager
    def alone(self) -> Iterator[None]:
        """Run the block with no other request of this process in flight; ``Busy`` if one is."""
        own = 1 if _SERVING.get() is self else 0
        with self._changed:
            others = self._in_flight - own
            if self._alone or others > 0:
                raise Busy(max(others, 1))
            self._alone = True
        try:
            yield
        finally:
            with self._changed:
                self._alone = False
                self._changed.notify_all()


class CountRequests:
    """ASGI middleware: every HTTP request counts as in flight until its response is sent."""

    def __init__(self, app: ASGIApp, traffic: Traffic) -> None:
        self.app = app
        self.traffic = traffic

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.traffic.request():
            await self.app(scope, receive, send)
