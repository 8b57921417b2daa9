"""A worker killed with SIGKILL under write load loses nothing it acknowledged: every record whose
create answered with an id is there after a restart on the same data (WAL with synchronous=NORMAL
on SQLite, docs/decisions.md "SQLite durability"; a commit is a commit on PostgreSQL)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.reliability.servers import ServerProcess, admin_token, bearer, prepare

pytestmark = pytest.mark.usefixtures("both_backends")

WRITERS = 4
ACKED_BEFORE_KILL = 60  # acknowledged creates to wait for before the kill
LOAD_DEADLINE_S = 30


class Writers:
    """Threads creating one Lead per call until the server goes away; the ids it acknowledged."""

    def __init__(self, server: ServerProcess, token: str) -> None:
        self.server = server
        self.headers = bearer(token)
        self.acked: dict[str, str] = {}  # record id -> Last_Name
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.write, args=(n,), daemon=True) for n in range(WRITERS)]

    def write(self, writer: int) -> None:
        for n in range(1_000_000):
            name = f"Crash {writer}-{n}"
            try:
                response = self.server.http.post(
                    "/crm/v8/Leads", json={"data": [{"Last_Name": name}]}, headers=self.headers
                )
            except httpx.TransportError:  # killed: this write's answer never came
                return
            assert response.status_code == 201, response.text
            with self.lock:
                self.acked[response.json()["data"][0]["details"]["id"]] = name

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for thread in self.threads:
            thread.join(timeout=LOAD_DEADLINE_S)

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + LOAD_DEADLINE_S
        while len(self.acked) < count:
            assert time.monotonic() < deadline, f"only {len(self.acked)} creates acknowledged"
            assert any(thread.is_alive() for thread in self.threads), "every writer stopped"
            time.sleep(0.01)


def test_acknowledged_creates_survive_kill_9(db_url: str, tmp_path: Path) -> None:
    prepare(db_url)
    server = ServerProcess(db_url, tmp_path / "server.log").start().wait_ready()
    token = admin_token(server)
    try:
        with Writers(server, token) as writers:
            writers.wait_for(ACKED_BEFORE_KILL)
            server.kill()  # mid-load: the writers are still sending
        acked = dict(writers.acked)
    finally:
        server.stop()
    restarted = ServerProcess(db_url, tmp_path / "restarted.log").start().wait_ready()
    try:
        missing = []
        for record_id, name in acked.items():
            response = restarted.http.get(f"/crm/v8/Leads/{record_id}", headers=bearer(token))
            if response.status_code != 200 or response.json()["data"][0]["Last_Name"] != name:
                missing.append((record_id, response.status_code))
        assert not missing, f"{len(missing)} of {len(acked)} acknowledged creates lost: {missing[:5]}"
    finally:
        restarted.stop()
