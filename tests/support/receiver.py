"""A webhook receiver on loopback for tests: a real HTTP server in a thread that records every
request (method, path with query, headers, body) and answers with the status a test sets."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.conftest import free_port


@dataclass
class Received:
    method: str
    path: str  # with the query string
    headers: dict[str, str]
    body: bytes

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    status: int = 200
    answer: bytes = b'{"ok": true}'

    def wait_for(self, count: int, timeout_s: float = 10.0) -> list[Received]:
        """The first ``count`` requests, once they have arrived (AssertionError after the timeout)."""
        arrived = threading.Event()
        deadline = timeout_s
        step = 0.02
        while len(self.received) < count and deadline > 0:
            arrived.wait(step)
            deadline -= step
        assert len(self.received) >= count, f"{len(self.received)} of {count} requests arrived"
        return self.received[:count]


@contextmanager
def receiver() -> Iterator[Receiver]:
    """A receiver listening on 127.0.0.1; its ``url`` ends with ``/``."""
    port = free_port()
    box = Receiver(f"http://127.0.0.1:{port}/")

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            box.received.append(Received(self.command, self.path, dict(self.headers.items()), body))
            self.send_response(box.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(box.answer)))
            self.end_headers()
            self.wfile.write(box.answer)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _record

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()
