"""Shared fixtures: a fresh emulator per test (SQLite file in tmp_path, or a fresh PostgreSQL
database for tests marked ``postgres``), an in-process HTTP client, tokens, and a live server."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient

from zcrm_emulator import create_app
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store.engine import normalize_url

# Fixtures every package may use by name (headless Chromium).
pytest_plugins = ("tests.support.browser",)

POSTGRES_URL = os.environ.get("ZCRM_TEST_POSTGRES_URL")
ALL_SCOPES = ["ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL", "ZohoCRM.users.ALL", "ZohoCRM.org.ALL"]


def _fresh_postgres_database() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("ZCRM_TEST_POSTGRES_URL is not set")
    name = f"zcrm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = POSTGRES_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLite in tmp_path; a fresh PostgreSQL database for tests marked ``postgres``."""
    if request.node.get_closest_marker("postgres"):
        yield from _fresh_postgres_database()
    else:
        yield f"sqlite:///{tmp_path / 'zcrm.sqlite3'}"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def both_backends(request: pytest.FixtureRequest) -> str:
    """Runs a test once on SQLite and once on PostgreSQL (the second is marked ``postgres``, so
    ``db_url`` and everything built on it — ``emulator``, ``client``, ``live_server`` — follow).

    Per test: ``@pytest.mark.usefixtures("both_backends")``; per module:
    ``pytestmark = pytest.mark.usefixtures("both_backends")``; or take ``both_backends`` as an
    argument to know which backend runs ("sqlite" or "postgresql").
    """
    return str(request.param)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, public_url="http://testserver")


@pytest.fixture
def emulator(settings: Settings) -> Iterator[Emulator]:
    emu = Emulator(settings)
    yield emu
    emu.close()


@pytest.fixture
def client(emulator: Emulator) -> Iterator[TestClient]:
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as test_client:
        yield test_client


TokenFactory = Callable[..., str]


@pytest.fixture
def make_token(emulator: Emulator) -> TokenFactory:
    """``make_token(scopes=[...], user_id=None)`` -> an access token for the default org."""

    def make(scopes: list[str] | None = None, user_id: str | None = None, org_id: str | None = None) -> str:
        from zcrm_emulator.store import documents
        from zcrm_emulator.store.schema import users

        org = org_id or emulator.default_org_id
        with emulator.store.tx() as conn:
            uid = user_id or documents.list_data(conn, users, org)[0]["id"]
            return mint_access_token(
                conn, org_id=org, user_id=uid, scopes=scopes or ALL_SCOPES, now_ms=emulator.clock.now_ms()
            )

    return make


@pytest.fixture
def auth(make_token: TokenFactory) -> dict[str, str]:
    """Headers of an all-scopes admin token."""
    return {"Authorization": f"Zoho-oauthtoken {make_token()}"}


@pytest.fixture
def api(client: TestClient, auth: dict[str, str]) -> Iterator[TestClient]:
    """The in-process client with an all-scopes admin token on every request."""
    client.headers.update(auth)
    yield client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The emulator on real HTTP over loopback, in a thread of the test process."""

    def __init__(self, emulator_factory: Callable[[str], Emulator]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.emulator = emulator_factory(self.url)
        config = uvicorn.Config(create_app(emulator=self.emulator), port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/_emulator/clock", timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("live server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.emulator.close()


@pytest.fixture
def live_server(db_url: str) -> Iterator[LiveServer]:
    with LiveServer(lambda url: Emulator(Settings(db_url=db_url, public_url=url))) as server:
        yield server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly how much of the suite checked responses against Zoho's own OAS files, which are
    not in the repository (tests/support/oas.py finds them), and how much skipped without them."""
    from tests.support import oas

    missing = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if oas.OAS_ENV in str(getattr(report, "longrepr", ""))
    ]
    folder = oas.oas_dir()
    terminalreporter.write_sep("-", "Zoho OAS conformance")
    terminalreporter.write_line(
        f"{len(oas.CHECKED_TESTS)} tests checked {oas.CHECKED_RESPONSES[0]} responses against Zoho's OAS files"
        f" ({folder if folder else 'not found'}); {len(missing)} skipped for want of them"
        + ("" if folder else f" (set {oas.OAS_ENV} to the v8.0 folder of github.com/zoho/crm-oas)")
    )
