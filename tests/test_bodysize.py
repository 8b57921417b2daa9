"""The request body limit (bodysize.py): a body past ``Settings.max_body_bytes`` gets Zoho's 413
envelope, decided by ``Content-Length`` before any byte of the body is read, or by the chunks as
they arrive; bodies within the limit reach the handlers whole."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import LiveServer
from zcrm_emulator import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

LIMIT = 4096
TOO_LARGE = {
    "code": "FILE_SIZE_MORE_THAN_ALLOWED_SIZE",
    "details": {"maximum_size": LIMIT},
    "message": "request entity too large",
    "status": "error",
}


@pytest.fixture
def small(db_url: str) -> Iterator[TestClient]:
    emulator = Emulator(Settings(db_url=db_url, public_url="http://testserver", max_body_bytes=LIMIT))
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as http:
        yield http


def _leads(size: int) -> bytes:
    return b'{"data": [{"Last_Name": "Doe", "Description": "' + b"d" * size + b'"}]}'


def test_a_body_past_the_declared_limit_is_413_with_the_zoho_envelope(small: TestClient) -> None:
    response = small.post("/crm/v8/Leads", content=_leads(LIMIT))
    assert response.status_code == 413
    assert response.json() == TOO_LARGE


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield from (b" " * 1024 for _ in range(8))

    response = small.post("/_emulator/clock/advance", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == TOO_LARGE


def test_a_body_within_the_limit_reaches_the_handler(small: TestClient) -> None:
    token = small.post("/_emulator/tokens", json={}).json()["access_token"]
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    assert small.post("/crm/v8/Leads", content=_leads(LIMIT - 200), headers=headers).status_code == 201

    def chunks() -> Iterator[bytes]:
        yield b'{"seconds":'
        yield b" 60}"

    advanced = small.post("/_emulator/clock/advance", content=chunks(), headers={"Content-Type": "application/json"})
    assert advanced.status_code == 200


def test_the_refusal_comes_before_the_body_is_sent(db_url: str) -> None:
    """Over real HTTP: a client that declares a gigabyte and sends none of it gets its 413 at once."""
    with LiveServer(lambda url: Emulator(Settings(db_url=db_url, public_url=url))) as server:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        with sock:
            sock.sendall(b"POST /crm/v8/Leads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\n")
            reply = sock.recv(65536)
    assert reply.startswith(b"HTTP/1.1 413 ")
    assert b"FILE_SIZE_MORE_THAN_ALLOWED_SIZE" in reply


def test_the_default_limit_is_zohos_20_mb_upload_limit() -> None:
    assert Settings(db_url="sqlite://").max_body_bytes == 20 * 1024 * 1024
