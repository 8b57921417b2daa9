"""Real server processes on one database (``zcrm-emulator serve --db URL``), the way several
workers are deployed: each test talks to them over loopback HTTP and can kill them with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx

from tests.conftest import free_port
from tests.support.live import console_script
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

STARTUP_DEADLINE_S = 30
STOP_DEADLINE_S = 15
REQUEST_TIMEOUT_S = 30
MAX_CONNECTIONS = 64

T = TypeVar("T")


def prepare(db_url: str) -> None:
    """Migrate the database and create its default org once, before any server starts: servers
    starting together on an empty database would race on the schema itself."""
    Emulator(Settings(db_url=db_url)).close()


class ServerProcess:
    """``zcrm-emulator serve --port <free> --db URL`` in its own process group; output in ``log``."""

    def __init__(self, db_url: str, log: Path) -> None:
        self.db_url = db_url
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        # One pooled client per server, shared by a burst's threads (a client per request would
        # spend more time building its TLS context than the server spends on the request).
        self.http = httpx.Client(
            base_url=self.url, timeout=REQUEST_TIMEOUT_S, limits=httpx.Limits(max_connections=MAX_CONNECTIONS)
        )

    def start(self) -> ServerProcess:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [console_script(), "serve", "--port", str(self.port), "--db", self.db_url, "--log-level", "warning"],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # only the test's own signals reach it
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
        return self

    def wait_ready(self) -> ServerProcess:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                if self.http.get("/_emulator/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve did not answer within {STARTUP_DEADLINE_S} s:\n{self.output()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the machine or the OOM killer ends a worker."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_DEADLINE_S)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_DEADLINE_S)
            except subprocess.TimeoutExpired:
                self.kill()
        self.http.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def start_all(servers: Iterable[ServerProcess]) -> list[ServerProcess]:
    """Start every server at once, then wait for each (start-up is most of a test's time)."""
    started = [server.start() for server in servers]
    return [server.wait_ready() for server in started]


def burst(count: int, call: Callable[[int], T]) -> list[T]:
    """``call(0) … call(count - 1)``, each on its own thread, released together by a barrier so the
    requests reach the servers at the same moment; results in call order."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        barrier.wait()
        return call(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {token}"}


def control(server: ServerProcess, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """A control-plane call (``/_emulator/...``, loopback): its JSON answer."""
    response = server.http.request(method, f"/_emulator{path}", json=body)
    assert response.status_code < 300, response.text
    return response.json()


def admin_token(server: ServerProcess) -> str:
    """An all-scopes access token of the default org's administrator."""
    return str(control(server, "POST", "/tokens", {})["access_token"])
