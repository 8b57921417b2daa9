"""Shared fixtures: a fresh emulator per test (SQLite file in tmp_path, or a fresh PostgreSQL
database for tests marked ``postgres``), an in-process HTTP client, tokens, and a live server.

A fresh database is a copy of the session's fresh-org template, never built again per test
(standard_org/template.py): on SQLite the emulator copies the template file to the test's path when
it opens it (the product's own start-up path); on PostgreSQL each test's database is created with
``CREATE DATABASE … TEMPLATE``, a few ahead on a thread. Tests marked ``empty_database`` get a
PostgreSQL database with no tables (SQLite paths start empty anyway until an emulator opens them),
for tests of the migrations.
"""

from __future__ import annotations

import os
import queue
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from zcrm_emulator import create_app
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.config import DEFAULT_DC, DEFAULT_EDITION, Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.standard_org import template
from zcrm_emulator.store import databases

# Fixtures every package may use by name (headless Chromium; pytester, for the testing kit's plugin).
pytest_plugins = ("tests.support.browser", "pytester")

POSTGRES_URL = os.environ.get("ZCRM_TEST_POSTGRES_URL")
ALL_SCOPES = [
    "ZohoCRM.modules.ALL",
    "ZohoCRM.settings.ALL",
    "ZohoCRM.users.ALL",
    "ZohoCRM.org.ALL",
    "ZohoCRM.notifications.ALL",
    "ZohoCRM.bulk.ALL",
    "ZohoFiles.files.ALL",  # the bulk write upload's scope
]


def pytest_configure(config: pytest.Config) -> None:
    """One template folder per session (inherited by the servers tests start as subprocesses): each
    session builds its templates once, and never reads a user's cache."""
    config.addinivalue_line("markers", "empty_database: the test's PostgreSQL database has no tables yet")
    folder = tempfile.mkdtemp(prefix="zcrm-templates-")
    config.stash[_TEMPLATE_DIR] = (folder, os.environ.get(template.TEMPLATE_DIR_ENV))
    os.environ[template.TEMPLATE_DIR_ENV] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder, before = config.stash[_TEMPLATE_DIR]
    if before is None:
        os.environ.pop(template.TEMPLATE_DIR_ENV, None)
    else:
        os.environ[template.TEMPLATE_DIR_ENV] = before
    shutil.rmtree(folder, ignore_errors=True)


_TEMPLATE_DIR = pytest.StashKey[tuple[str, str | None]]()


@pytest.fixture(scope="session")
def postgres_template() -> str:
    """The fresh-org template database (default edition and data center) on the test server."""
    if not POSTGRES_URL:
        pytest.skip("ZCRM_TEST_POSTGRES_URL is not set")
    name = template.postgres_template(POSTGRES_URL, DEFAULT_EDITION, DEFAULT_DC)
    assert name is not None, "the test server's role must be allowed to create databases"
    return name


class PostgresDatabases:
    """Test databases on the test server, each new: copies of a template made a few ahead on
    threads (``CREATE DATABASE … TEMPLATE`` takes 0.05-0.5 s of the server's time on the 2-core
    machine, spent while tests run), or empty ones made on the spot; dropped after their test, on a
    thread too."""

    AHEAD = 4
    MAKERS = 2  # the server makes two at once about as fast as one

    def __init__(self, url: str, source: str) -> None:
        self.url = url
        self.source = source
        self.admin = databases.server(url)
        self._ready: queue.Queue[str | BaseException] = queue.Queue()
        self._room = threading.Semaphore(self.AHEAD)
        self._doomed: queue.Queue[str | None] = queue.Queue()
        self._closing = threading.Event()
        self._threads = [threading.Thread(target=self._make_ahead, daemon=True) for _ in range(self.MAKERS)]
        self._threads.append(threading.Thread(target=self._drop_behind, daemon=True))
        for thread in self._threads:
            thread.start()

    def take(self, *, empty: bool = False) -> str:
        if empty:
            return self._create(None)
        made = self._ready.get(timeout=120)
        self._room.release()
        if isinstance(made, BaseException):
            raise made
        return made

    def give_back(self, name: str) -> None:
        self._doomed.put(name)

    def close(self) -> None:
        self._closing.set()
        for _ in range(self.MAKERS):
            self._room.release()
        self._doomed.put(None)
        for thread in self._threads:
            thread.join(timeout=60)
        while not self._ready.empty():
            left = self._ready.get()
            if isinstance(left, str):
                databases.drop(self.admin, left)
        self.admin.dispose()

    def _make_ahead(self) -> None:
        while True:
            self._room.acquire()
            if self._closing.is_set():
                return
            try:
                self._ready.put(self._create(self.source))
            except BaseException as failure:  # handed to the test that takes it
                self._ready.put(failure)

    def _drop_behind(self) -> None:
        while (name := self._doomed.get()) is not None:
            databases.drop(self.admin, name)

    def _create(self, source: str | None) -> str:
        name = f"zcrm_test_{uuid.uuid4().hex[:12]}"
        databases.create(self.admin, name, template=source)
        return name


@pytest.fixture(scope="session")
def postgres_databases(postgres_template: str) -> Iterator[PostgresDatabases]:
    assert POSTGRES_URL
    made = PostgresDatabases(POSTGRES_URL, postgres_template)
    yield made
    made.close()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLite in tmp_path; a new PostgreSQL database for tests marked ``postgres`` (a copy of the
    template database, or empty for tests marked ``empty_database``)."""
    if not request.node.get_closest_marker("postgres"):
        yield f"sqlite:///{tmp_path / 'zcrm.sqlite3'}"
        return
    if not POSTGRES_URL:
        pytest.skip("ZCRM_TEST_POSTGRES_URL is not set")
    made: PostgresDatabases = request.getfixturevalue("postgres_databases")
    name = made.take(empty=request.node.get_closest_marker("empty_database") is not None)
    try:
        yield f"{POSTGRES_URL.rpartition('/')[0]}/{name}"
    finally:
        made.give_back(name)


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
