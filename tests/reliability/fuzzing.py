"""The emulator a fuzzing test module shares, and the checks every fuzzed answer must pass.

One emulator per test module (not per example): the fuzz tests assert properties of each answer, not
of the state, and a fresh database per example would cost seconds each. Its org is Ultimate, whose
credits are unlimited, so no 429 stands in for what a call would answer. Internal errors are logged
by the gateway with their traceback; the fixture keeps them, so a 5xx failure shows where it came from.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES
from zcrm_emulator import create_app
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import users
from zcrm_emulator.wire import JSON_MEDIA_TYPE

# Mass convert, composite requests, COQL and bulk reads have scopes of their own, which no scope of
# ALL_SCOPES covers.
FUZZ_SCOPES = [
    *ALL_SCOPES,
    "ZohoCRM.mass_convert.leads.CREATE",
    "ZohoCRM.mass_convert.leads.READ",
    "ZohoCRM.composite_requests.CUSTOM",
    "ZohoCRM.coql.READ",
    "ZohoCRM.bulk.READ",
]

BODILESS = (204, 304)


@dataclass
class Target:
    """The shared emulator: an in-process client with an all-scope admin token."""

    emulator: Emulator = field(repr=False)
    client: TestClient = field(repr=False)
    # Of the internal errors logged so far (left out of the repr Hypothesis prints for a failure).
    tracebacks: list[str] = field(default_factory=list, repr=False)


class _Tracebacks(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.sink.append(logging.Formatter().formatException(record.exc_info))


def admin_token(emulator: Emulator) -> str:
    org = emulator.default_org_id
    with emulator.store.tx() as conn:
        user_id = documents.list_data(conn, users, org)[0]["id"]
        return mint_access_token(conn, org_id=org, user_id=user_id, scopes=FUZZ_SCOPES, now_ms=emulator.clock.now_ms())


@contextmanager
def shared_emulator(folder: Path) -> Iterator[Target]:
    """An emulator on an SQLite file in ``folder``, its org Ultimate, keeping internal errors' tracebacks."""
    emulator = Emulator(Settings(db_url=f"sqlite:///{folder / 'zcrm.sqlite3'}", public_url="http://testserver"))
    target = Target(emulator, TestClient(create_app(emulator=emulator), base_url="http://testserver"))
    handler = _Tracebacks(target.tracebacks)
    logger = logging.getLogger("zcrm_emulator")
    logger.addHandler(handler)
    try:
        with target.client:
            org = emulator.default_org_id
            target.client.put(f"/_emulator/orgs/{org}/edition", json={"edition": "ultimate"}).raise_for_status()
            target.client.headers["Authorization"] = f"Zoho-oauthtoken {admin_token(emulator)}"
            yield target
    finally:
        logger.removeHandler(handler)
        emulator.close()


def reproduction(response: httpx.Response) -> str:
    """Method, path with query, and body of the request, and the status it got."""
    request = response.request
    body = request.content.decode("utf-8", "backslashreplace")
    body = body if len(body) <= 600 else f"{body[:600]}… ({len(body)} chars)"
    return f"{request.method} {request.url.raw_path.decode()} body={body!r} -> {response.status_code}"


def exchange(target: Target, request: httpx.Request) -> tuple[httpx.Response, list[str]]:
    """The answer to ``request`` and the tracebacks the emulator logged while answering it."""
    logged = len(target.tracebacks)
    response = target.client.send(request)
    return response, target.tracebacks[logged:]


def assert_answered(response: httpx.Response, tracebacks: list[str]) -> None:
    """Below 500, and Zoho's JSON media type with a JSON body, or a bodiless 204/304."""
    if response.status_code >= 500:
        traceback = tracebacks[-1][-3000:] if tracebacks else "(no traceback logged)"
        pytest.fail(f"{reproduction(response)}\n{response.text[:300]}\n{traceback}")
    if response.status_code in BODILESS:
        assert not response.content and "content-type" not in response.headers, reproduction(response)
        return
    assert response.headers.get("content-type") == JSON_MEDIA_TYPE, reproduction(response)
    response.json()
