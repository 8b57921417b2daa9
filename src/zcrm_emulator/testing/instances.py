"""Emulators made for a test session: one per set of options (edition, data center, token policy,
seed data), each built once, saved as a snapshot, and restored before each test that uses it; a
restore copies the saved database back, which is far quicker than a new org.

An emulator here has an SQLite database in a folder of its own, its app running in-process
(transports.py) from the start, and a loopback server started the first time one is asked for
(server.py); its public URL is the loopback server's from the start, and in-process clients use the
same base URL, so tokens and links read the same either way.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.app import create_app
from zcrm_emulator.config import DEFAULT_DC, DEFAULT_EDITION, Settings, sqlite_url
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.testing.server import LoopbackServer, reserve_port
from zcrm_emulator.testing.transports import InProcessApp, InProcessTransport

# The snapshot each test starts from (store/snapshots: a name in lower case).
BASELINE = "pytest-baseline"
# What an access token covers when a test names no scopes: every API the emulator serves.
ALL_SCOPES = (
    "ZohoCRM.modules.ALL",
    "ZohoCRM.settings.ALL",
    "ZohoCRM.users.ALL",
    "ZohoCRM.org.ALL",
    "ZohoCRM.notifications.ALL",
    "ZohoCRM.bulk.ALL",
    "ZohoFiles.files.ALL",  # the bulk write upload's scope
)
# The seeding's random seed: the same options give the same records in every run and on every worker.
SEED = 0

# What a project runs once on each session emulator before its snapshot (the ``zcrm_prepare`` fixture).
Prepare = Callable[["SessionEmulator"], object]


@dataclass(frozen=True)
class Options:
    """What makes one session emulator differ from another."""

    edition: str = DEFAULT_EDITION
    dc: str = DEFAULT_DC
    token_policy: str = "current"
    seed: tuple[tuple[str, int], ...] = ()  # (module, how many records), seeded in this order

    @staticmethod
    def seed_from(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
        pairs = value.items() if isinstance(value, Mapping) else value
        return tuple((str(module), int(count)) for module, count in pairs)


class SessionEmulator:
    """One emulator for the session, with its in-process app and, once asked for, its loopback server."""

    def __init__(self, options: Options, folder: Path, prepare: Prepare | None = None) -> None:
        self.options = options
        self._port: socket.socket | None = reserve_port()
        host, port = self._port.getsockname()[:2]
        self.base_url = f"http://{host}:{port}"
        settings = Settings(
            db_url=sqlite_url(folder),
            public_url=self.base_url,
            edition=options.edition,
            dc=options.dc,
            token_policy=options.token_policy,
        )
        self.emulator = Emulator(settings)
        self.app = create_app(emulator=self.emulator)
        self.in_process = InProcessApp(self.app)
        self._server: LoopbackServer | None = None
        try:
            self.in_process.start()  # the lifespan publishes the URLs and policy into the store first
            self._fill(prepare)
            self.emulator.snapshot(BASELINE, replace=True)
        except BaseException:
            self.close()
            raise

    def _fill(self, prepare: Prepare | None) -> None:
        if self.options.seed:
            from zcrm_emulator.seeding import seed_module  # Faker is loaded only when seeding

            for module, count in self.options.seed:
                seed_module(self.emulator, module, count, seed=SEED, progress=False)
        if prepare is not None:
            prepare(self)

    def restore(self) -> Emulator:
        """Back to the state saved after seeding, with an empty request journal; the emulator."""
        self.emulator.restore(BASELINE)
        self.emulator.journal.clear()  # per process, not in the snapshot: each test sees its own calls
        return self.emulator

    def server(self) -> LoopbackServer:
        """The loopback server on the emulator's base URL, started on first use."""
        if self._server is None:
            if self._port is None:
                raise RuntimeError("this emulator is closed")
            self._server = LoopbackServer(self.app, self._port).start()
        return self._server

    def client(self, *, token: str | None = None) -> httpx.Client:
        """An ``httpx.Client`` on the in-process app at the base URL, sending ``token`` if given."""
        headers = {"Authorization": f"Zoho-oauthtoken {token}"} if token else None
        return httpx.Client(transport=InProcessTransport(self.in_process), base_url=self.base_url, headers=headers)

    def token(self, scopes: Iterable[str] | None = None, *, user_id: str | None = None) -> str:
        """An access token for the default org's first user (the admin), or ``user_id``."""
        emulator = self.emulator
        org_id = emulator.default_org_id
        with emulator.store.tx() as conn:
            user = user_id or str(users_repo.list_users(conn, org_id)[0]["id"])
            return mint_access_token(
                conn,
                org_id=org_id,
                user_id=user,
                scopes=list(scopes or ALL_SCOPES),
                now_ms=emulator.clock.now_ms(),
            )

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._port is not None:
            self._port.close()
            self._port = None
        if self.in_process.running:
            self.in_process.close()  # the app's shutdown closes the emulator
        else:
            self.emulator.close()


class SessionEmulators:
    """The session's emulators by options, made when first asked for."""

    def __init__(self, folder: Callable[[], Path], prepare: Prepare | None = None) -> None:
        self._folder = folder
        self._prepare = prepare
        self._made: dict[Options, SessionEmulator] = {}

    def get(self, options: Options) -> SessionEmulator:
        if options not in self._made:
            self._made[options] = SessionEmulator(options, self._folder(), self._prepare)
        return self._made[options]

    def close(self) -> None:
        while self._made:
            _, made = self._made.popitem()
            made.close()
