"""The pytest plugin (entry point ``zcrm_emulator`` in ``pytest11``): fixtures that give each test a
Zoho CRM emulator in a known state, quickly.

One emulator per session (per ``pytest-xdist`` worker: each worker is a session) and per set of
options, made when a test first asks for it and restored from its snapshot before every test that
uses it. Options, most specific first: the ``zcrm`` marker (``@pytest.mark.zcrm(edition=...,
dc=..., token_policy=..., seed={"Leads": 20})``), the command line (``--zcrm-edition`` …), the ini
file (``zcrm_edition`` …), the defaults (enterprise, us, current, no seed data).

Fixtures (all named ``zcrm*``, none autouse, so a project's own fixtures are left alone):

* ``zcrm``: the session emulator restored for this test (``SessionEmulator``: ``emulator``,
  ``base_url``, ``token()``, ``client()``, ``server()``, ``in_process``);
* ``zcrm_emulator``: its ``Emulator`` (snapshots, the clock, the store);
* ``zcrm_client`` / ``zcrm_api``: an ``httpx.Client`` on the in-process app, bare / with an
  all-scope admin token;
* ``zcrm_token``: ``zcrm_token(scopes=None, user_id=None)`` -> an access token;
* ``zcrm_server``: the emulator on a loopback port, for clients that need a URL;
* ``zcrm_requests``: every ``requests`` session made in the test sends the emulator's URL in-process;
* ``zcrm_sdk``: the official Python SDK initialised in-process with an admin token;
* ``zcrm_prepare``: override it (session scope) to return ``f(zcrm)``, run once on each emulator
  before the snapshot every test starts from.

This module is imported by every pytest run where the package is installed, so it imports the
emulator only when a fixture is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx

    from zcrm_emulator.emulator import Emulator
    from zcrm_emulator.faults import Faults
    from zcrm_emulator.journal import Journal
    from zcrm_emulator.testing.instances import Options, Prepare, SessionEmulator, SessionEmulators
    from zcrm_emulator.testing.requests_adapter import InProcessAdapter
    from zcrm_emulator.testing.server import LoopbackServer

MARKER = "zcrm"
SETTINGS = ("edition", "dc", "token_policy")
HELP = {
    "edition": "edition of the emulated org (enterprise, professional …)",
    "dc": "data center the emulator reports (us, eu, in …)",
    "token_policy": "OAuth token limits: current or legacy",
    "seed": "fake records seeded before the snapshot, as MODULE=COUNT",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("zcrm-emulator", "Zoho CRM emulator")
    for name in SETTINGS:
        flag = name.replace("_", "-")
        group.addoption(f"--zcrm-{flag}", dest=f"zcrm_{name}", default=None, help=HELP[name])
        parser.addini(f"zcrm_{name}", HELP[name])
    group.addoption("--zcrm-seed", dest="zcrm_seed", action="append", default=None, help=HELP["seed"] + " (repeatable)")
    parser.addini("zcrm_seed", HELP["seed"] + " (one a line)", type="linelist", default=[])


def pytest_configure(config: pytest.Config) -> None:
    try:  # a bad option on the command line or in the ini file stops the run before any test
        chosen = _run_wide(config)
        if chosen:
            _checked(chosen)
    except BadOption as problem:
        raise pytest.UsageError(str(problem)) from None
    config.addinivalue_line(
        "markers",
        f"{MARKER}(edition=None, dc=None, token_policy=None, seed=None): the Zoho CRM emulator this test's "
        "zcrm fixtures use (seed: {module: count})",
    )


class BadOption(ValueError):
    """An emulator option no emulator can be made with."""


def _seed_pairs(lines: list[str]) -> tuple[tuple[str, int], ...]:
    pairs = []
    for line in lines:
        module, sep, count = line.partition("=")
        if not sep or not module.strip() or not count.strip().isdigit():
            raise BadOption(f"zcrm seed: expected MODULE=COUNT, got {line!r}")
        pairs.append((module.strip(), int(count)))
    return tuple(pairs)


def _run_wide(config: pytest.Config) -> dict[str, Any]:
    """The options the command line and the ini file give every test."""
    chosen: dict[str, Any] = {}
    for name in SETTINGS:
        value = config.getoption(f"zcrm_{name}") or config.getini(f"zcrm_{name}")
        if value:
            chosen[name] = str(value)
    seed = config.getoption("zcrm_seed") or config.getini("zcrm_seed")
    if seed:
        chosen["seed"] = _seed_pairs(seed)
    return chosen


def _checked(chosen: dict[str, Any]) -> Options:
    from zcrm_emulator.accounts.policy import POLICIES
    from zcrm_emulator.editions import EDITIONS
    from zcrm_emulator.testing.instances import Options

    options = Options(**chosen)
    if options.edition not in EDITIONS:
        raise BadOption(f"zcrm edition {options.edition!r} is not one of {', '.join(EDITIONS)}")
    if options.token_policy not in POLICIES:
        raise BadOption(f"zcrm token policy {options.token_policy!r} is not one of {', '.join(POLICIES)}")
    return options


def options_for(node: pytest.Item, config: pytest.Config) -> Options:
    """The emulator options of one test: its ``zcrm`` markers (the closest wins) over the command
    line over the ini file. ``BadOption`` for a key or value the emulator does not know."""
    from zcrm_emulator.testing.instances import Options

    marked: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers(MARKER))):  # the closest marker last, so it wins
        marked.update(marker.kwargs)
    unknown = set(marked) - {*SETTINGS, "seed"}
    if unknown:
        raise BadOption(f"@pytest.mark.{MARKER} takes {', '.join((*SETTINGS, 'seed'))}; not {sorted(unknown)}")
    chosen = _run_wide(config)
    chosen.update({name: str(value) for name, value in marked.items() if name in SETTINGS and value})
    if "seed" in marked:
        chosen["seed"] = Options.seed_from(marked["seed"] or {})
    return _checked(chosen)


@pytest.fixture(scope="session")
def zcrm_prepare() -> Prepare | None:
    """Override to return a function of the ``SessionEmulator`` (the ``zcrm`` fixture's handle), run
    once on each emulator before its snapshot: the records, users, custom modules every test starts with."""
    return None


@pytest.fixture(scope="session")
def zcrm_emulators(
    tmp_path_factory: pytest.TempPathFactory, zcrm_prepare: Prepare | None
) -> Iterator[SessionEmulators]:
    from zcrm_emulator.testing.instances import SessionEmulators

    made = SessionEmulators(lambda: tmp_path_factory.mktemp("zcrm-emulator"), zcrm_prepare)
    yield made
    made.close()


@pytest.fixture
def zcrm(request: pytest.FixtureRequest, zcrm_emulators: SessionEmulators) -> SessionEmulator:
    """The session's emulator for this test's options, restored to its snapshot."""
    assert isinstance(request.node, pytest.Item)
    options: Options | str
    try:
        options = options_for(request.node, request.config)
    except BadOption as problem:
        options = str(problem)
    if isinstance(options, str):  # failed outside the except block: no chained traceback
        pytest.fail(options, pytrace=False)
    instance = zcrm_emulators.get(options)
    instance.restore()
    return instance


@pytest.fixture
def zcrm_emulator(zcrm: SessionEmulator) -> Emulator:
    return zcrm.emulator


@pytest.fixture
def zcrm_faults(zcrm: SessionEmulator) -> Faults:
    """The emulator's fault rules (``inject``, ``list``, ``remove``, ``clear``); none at a test's start."""
    return zcrm.emulator.faults


@pytest.fixture
def zcrm_journal(zcrm: SessionEmulator) -> Journal:
    """The request journal of this test's calls (``entries(method=, path=, status=, module=, …)``)."""
    return zcrm.emulator.journal


TokenFactory = Callable[..., str]


@pytest.fixture
def zcrm_token(zcrm: SessionEmulator) -> TokenFactory:
    """``zcrm_token(scopes=None, user_id=None)``: an access token (every scope, the admin by default)."""

    def make(scopes: list[str] | None = None, user_id: str | None = None) -> str:
        return zcrm.token(scopes, user_id=user_id)

    return make


@pytest.fixture
def zcrm_client(zcrm: SessionEmulator) -> Iterator[httpx.Client]:
    """An ``httpx.Client`` on the in-process app, at the emulator's base URL, with no token."""
    with zcrm.client() as client:
        yield client


@pytest.fixture
def zcrm_api(zcrm_client: httpx.Client, zcrm_token: TokenFactory) -> httpx.Client:
    """``zcrm_client`` with an all-scope admin token on every request."""
    zcrm_client.headers["Authorization"] = f"Zoho-oauthtoken {zcrm_token()}"
    return zcrm_client


@pytest.fixture
def zcrm_server(zcrm: SessionEmulator) -> LoopbackServer:
    """The emulator on real HTTP at ``zcrm_server.url`` (the emulator's base URL)."""
    return zcrm.server()


@pytest.fixture
def zcrm_requests(zcrm: SessionEmulator) -> Iterator[InProcessAdapter]:
    """For the test, ``requests`` sends whatever goes to the emulator's base URL in-process."""
    from zcrm_emulator.testing.requests_adapter import route_requests

    with route_requests(zcrm.base_url, zcrm.in_process) as adapter:
        yield adapter


@pytest.fixture
def zcrm_sdk(zcrm: SessionEmulator, zcrm_requests: InProcessAdapter, tmp_path: Path) -> Any:
    """The official Python SDK (zohocrmsdk8-0) initialised in-process with an all-scope admin token;
    the SDK's ``OAuthToken``. Its token file and field cache are in the test's ``tmp_path``."""
    from zcrm_emulator.testing.sdk import initialize_sdk

    return initialize_sdk(zcrm.base_url, tmp_path / "zcrm-sdk", access_token=zcrm.token())
