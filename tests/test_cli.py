"""``zcrm-emulator serve`` and ``reset`` as a user runs them: a real subprocess, a real port.

Start-up time is measured by the benchmark (bench/gateway.py), not asserted here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import pytest

from tests.conftest import free_port
from tests.support.people import add_person
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.users import repo as users_repo

STARTUP_DEADLINE_S = 30
STOP_DEADLINE_S = 15


def command() -> list[str]:
    """The installed console script, as a user would type it."""
    beside = Path(sys.executable).with_name("zcrm-emulator")
    found = str(beside) if beside.exists() else shutil.which("zcrm-emulator")
    if found is None:
        pytest.skip("the zcrm-emulator console script is not installed (pip install -e .)")
    return [found]


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    def read(self) -> None:
        for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr)):
            reader = threading.Thread(target=_pump, args=(stream, lines), daemon=True)
            reader.start()
            self.readers.append(reader)

    def get(self, path: str, token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Zoho-oauthtoken {token}"} if token else {}
        return httpx.get(f"{self.url}{path}", headers=headers, timeout=10)

    def token(self) -> str:
        return httpx.post(f"{self.url}/_emulator/tokens", json={}, timeout=10).json()["access_token"]

    def stop(self, signum: int) -> int:
        """Send the signal; the exit status once the process and its output are finished."""
        self.process.send_signal(signum)
        status = self.process.wait(timeout=STOP_DEADLINE_S)
        for reader in self.readers:
            reader.join(timeout=STOP_DEADLINE_S)
        return status


def _pump(stream: IO[str], into: list[str]) -> None:
    for line in iter(stream.readline, ""):
        into.append(line.rstrip("\n"))


Serve = Callable[..., Served]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """``serve(*args, env={...})`` starts ``zcrm-emulator serve --port <free> *args`` and waits for
    its health check."""
    started: list[Served] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Served:
        port = free_port()
        process = subprocess.Popen(
            [*command(), "serve", "--port", str(port), "--log-level", "warning", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # signals reach the server only when a test sends them
            env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
        )
        served = Served(process, f"http://127.0.0.1:{port}")
        started.append(served)
        served.read()
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"serve exited with {process.returncode}: {served.stderr[-20:]}")
            try:
                if served.get("/_emulator/health").status_code == 200:
                    return served
            except httpx.TransportError:
                time.sleep(0.05)
        pytest.fail(f"serve did not answer within {STARTUP_DEADLINE_S} s")

    yield start
    for served in started:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait(timeout=STOP_DEADLINE_S)


def test_serve_prints_the_url_the_data_location_and_the_next_command(serve: Serve, tmp_path: Path) -> None:
    served = serve("--data", str(tmp_path))
    lines = served.stdout[:3]
    assert lines[0] == f"zcrm-emulator listening on {served.url}"
    assert lines[1].split() == ["data:", str(tmp_path / "zcrm.sqlite3")]
    assert lines[2].split()[:3] == ["next:", "zcrm-emulator", "self-client"]
    assert lines[2].endswith(f"--data {tmp_path}")
    assert (tmp_path / "zcrm.sqlite3").is_file()


def test_serve_answers_the_crm_api_over_http(serve: Serve, tmp_path: Path) -> None:
    served = serve("--data", str(tmp_path))
    token = served.token()
    org = served.get("/crm/v8/org", token)
    assert org.status_code == 200
    assert org.json()["org"][0]["id"].isdigit()
    assert served.get("/crm/v8/org").json()["code"] == "AUTHENTICATION_FAILURE"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_cleanly_on_a_signal(serve: Serve, tmp_path: Path, signum: int) -> None:
    served = serve("--data", str(tmp_path), "--log-level", "info")
    assert served.get("/_emulator/clock").status_code == 200
    assert served.stop(signum) == 0
    assert any("Application shutdown complete" in line for line in served.stderr)
    assert not any("Traceback" in line for line in served.stderr)
    with pytest.raises(httpx.TransportError):
        served.get("/_emulator/clock")


def test_serve_keeps_the_data_for_the_next_start(serve: Serve, tmp_path: Path) -> None:
    first = serve("--data", str(tmp_path))
    token = first.token()
    org = first.get("/crm/v8/org", token).json()
    assert first.stop(signal.SIGTERM) == 0
    second = serve("--data", str(tmp_path))
    assert second.get("/crm/v8/org", token).json() == org


@pytest.mark.parametrize("level", ["trace", "DEBUG", "critical"])
def test_serve_takes_every_uvicorn_log_level(serve: Serve, tmp_path: Path, level: str) -> None:
    served = serve("--data", str(tmp_path), "--log-level", level)
    assert served.get("/_emulator/clock").status_code == 200
    assert served.stop(signal.SIGTERM) == 0
    assert not any("Traceback" in line for line in served.stderr)


def test_the_cli_log_levels_are_uvicorns() -> None:
    from uvicorn.config import LOG_LEVELS

    from zcrm_emulator.cli import LOG_LEVELS as OURS

    assert set(OURS) == set(LOG_LEVELS)


def test_the_admin_key_can_come_from_the_environment_out_of_sight_of_ps(serve: Serve, tmp_path: Path) -> None:
    served = serve("--data", str(tmp_path), env={"ZCRM_ADMIN_KEY": "from-env"})
    assert served.get("/_emulator/clock").status_code == 401
    keyed = httpx.get(f"{served.url}/_emulator/clock", headers={"X-Emulator-Admin-Key": "from-env"}, timeout=10)
    assert keyed.status_code == 200
    assert "from-env" not in str(served.process.args)


def test_a_new_sqlite_file_is_readable_by_its_owner_only(serve: Serve, tmp_path: Path) -> None:
    served = serve("--data", str(tmp_path))
    served.token()  # a write, so the WAL exists
    for name in ("zcrm.sqlite3", "zcrm.sqlite3-wal"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600


def run_reset(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command(), "reset", *args], capture_output=True, text=True, timeout=120, check=False)


def test_reset_gives_the_fresh_org_back(tmp_path: Path) -> None:
    emulator = Emulator(Settings.for_data_dir(tmp_path))
    old_org = emulator.default_org_id
    add_person(emulator, "gone@zylker.example", first_name="", last_name="Gone", org_id=old_org)
    emulator.close()

    done = run_reset("--data", str(tmp_path))
    assert done.returncode == 0, done.stderr
    new_org = done.stdout.split()[2]
    assert done.stdout.strip() == f"fresh org {new_org} in {tmp_path / 'zcrm.sqlite3'}"
    assert new_org == old_org  # the template's org, every reset alike

    emulator = Emulator(Settings.for_data_dir(tmp_path))
    try:
        assert emulator.default_org_id == new_org
        with emulator.store.tx() as conn:
            assert [u["email"] for u in users_repo.list_users(conn, new_org)] != []
            assert "gone@zylker.example" not in {u["email"] for u in users_repo.list_users(conn, new_org)}
    finally:
        emulator.close()


@pytest.mark.postgres
def test_serve_and_reset_work_on_postgresql(serve: Serve, db_url: str) -> None:
    served = serve("--db", db_url)
    assert served.stdout[1].split() == ["data:", db_url.split("@")[-1]]
    token = served.token()
    org_id = served.get("/crm/v8/org", token).json()["org"][0]["id"]
    assert served.stop(signal.SIGTERM) == 0

    done = run_reset("--db", db_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[2] == org_id

    again = serve("--db", db_url)
    assert again.get("/crm/v8/org", token).json()["code"] == "INVALID_TOKEN"
    assert again.get("/crm/v8/org", again.token()).json()["org"][0]["id"] == done.stdout.split()[2]


def test_the_served_log_has_access_lines_and_no_secret(serve: Serve, tmp_path: Path) -> None:
    secret = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210"
    served = serve("--data", str(tmp_path), "--log-level", "info")
    token = served.token()
    httpx.get(f"{served.url}/crm/v8/users", params={"code": secret, "client_secret": secret}, timeout=10)
    httpx.post(f"{served.url}/oauth/v2/token", data={"refresh_token": secret, "client_secret": secret}, timeout=10)
    served.get("/crm/v8/org", token)
    served.get("/crm/v8/org", secret)
    assert served.stop(signal.SIGTERM) == 0
    output = served.stdout + served.stderr
    access = [json.loads(line) for line in output if line.startswith("{")]
    assert ("GET", "/crm/v8/org", 200) in {(a["method"], a["path"], a["status"]) for a in access}
    assert all(set(a) == {"method", "path", "status", "duration_ms", "request_id"} for a in access)
    assert not [line for line in output if secret in line or token in line]


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux's /proc), e.g. uvicorn's workers."""
    listed = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in listed.read_text().split()] if listed.exists() else []


@pytest.mark.usefixtures("both_backends")
def test_serve_with_two_workers_shares_one_store_between_them(serve: Serve, db_url: str) -> None:
    served = serve("--workers", "2", "--db", db_url)
    assert "(2 workers)" in served.stdout[0]
    if sys.platform.startswith("linux"):
        assert len(_children(served.process.pid)) >= 2
    token = served.token()
    lead = httpx.post(
        f"{served.url}/crm/v8/Leads",
        json={"data": [{"Last_Name": "Shared"}]},
        headers={"Authorization": f"Zoho-oauthtoken {token}"},
        timeout=10,
    ).json()["data"][0]["details"]["id"]
    # whichever worker answers, the token and the record are the store's, not a process's
    answers = [served.get(f"/crm/v8/Leads/{lead}", token) for _ in range(20)]
    assert {(a.status_code, a.json()["data"][0]["Last_Name"]) for a in answers} == {(200, "Shared")}
    assert served.stop(signal.SIGTERM) == 0
