"""The emulator on real HTTP over loopback, for clients that need a URL (another process, an SDK in
another language): uvicorn in a thread of the test process, serving the same app object as the
in-process transports, so both see one emulator.

The port is taken (bound, not yet listening) when the emulator is made, since its URL is the
emulator's public URL from the start (handed out as ``api_domain``); the server listens on it only
when first asked for. The app's lifespan runs in the in-process bridge, not here, so the background
work it starts runs once.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette

START_TIMEOUT_S = 10.0


def reserve_port(host: str = "127.0.0.1") -> socket.socket:
    """A socket bound to a free port on ``host`` that accepts nothing until a server listens on it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, 0))
    return sock


class LoopbackServer:
    """uvicorn serving ``app`` on the reserved socket, in a daemon thread."""

    def __init__(self, app: Starlette, sock: socket.socket) -> None:
        host, port = sock.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        self.port = int(port)
        self._sock = sock
        config = uvicorn.Config(app, lifespan="off", log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"zcrm-emulator:{port}", daemon=True
        )

    def start(self) -> LoopbackServer:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the emulator's loopback server did not start on {self.url}")
            time.sleep(0.01)
        return self

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=START_TIMEOUT_S)
