"""Who may drive the control plane: no web page in the user's browser (foreign Origin, a DNS-rebound
Host, a form or text/plain post), a loopback client under a name of this server, or any client with
the admin key (control/access.py)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from zcrm_emulator import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

WRITES = [("POST", "/_emulator/tokens"), ("POST", "/_emulator/clock/advance"), ("POST", "/_emulator/reset")]


def _refusal(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_page_of_another_site_cannot_mint_a_token_or_move_the_clock(
    client: TestClient, method: str, path: str
) -> None:
    response = client.request(
        method,
        path,
        content=b'{"seconds": 60}',
        headers={"Origin": "http://evil.example", "Content-Type": "text/plain"},
    )
    assert _refusal(response) == (403, "NO_PERMISSION")
    assert client.get("/_emulator/clock").json()["offset_ms"] == 0


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "[bad"])
def test_a_dns_rebound_host_is_refused_even_from_loopback(client: TestClient, host: str) -> None:
    response = client.post("/_emulator/tokens", json={}, headers={"Host": host})
    assert _refusal(response) == (403, "NO_PERMISSION")
    assert "Host" in response.json()["message"]


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "[::1]:9000", "app.localhost", "testserver"])
def test_loopback_names_and_the_public_host_are_taken(client: TestClient, host: str) -> None:
    assert client.post("/_emulator/tokens", json={}, headers={"Host": host}).status_code == 200


def test_an_allowed_host_is_taken(db_url: str) -> None:
    settings = Settings(db_url=db_url, public_url="http://testserver", allowed_hosts=("emulator.internal",))
    with _client(settings) as http:
        assert http.post("/_emulator/tokens", json={}, headers={"Host": "emulator.internal:8000"}).status_code == 200


def test_this_servers_own_origin_is_taken(client: TestClient) -> None:
    assert client.post("/_emulator/tokens", json={}, headers={"Origin": "http://testserver"}).status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_write_body_must_be_json(client: TestClient, content_type: str) -> None:
    response = client.post(
        "/_emulator/clock/advance", content=b'{"seconds": 60}', headers={"Content-Type": content_type}
    )
    assert response.status_code == 415
    assert response.json() == {
        "code": "UNSUPPORTED_MEDIA_TYPE",
        "details": {"supported_content_types": ["application/json"]},
        "message": "unsupported media type",
        "status": "error",
    }


def test_a_write_without_a_content_type_must_have_no_body(client: TestClient) -> None:
    assert client.post("/_emulator/clock/advance", content=b'{"seconds": 60}').status_code == 415
    assert client.post("/_emulator/reset").status_code == 200
    assert client.post("/_emulator/clock/advance", json={"seconds": 60}).status_code == 200


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(emulator=Emulator(settings)), base_url="http://testserver")


@pytest.fixture
def keyed(db_url: str) -> Iterator[TestClient]:
    with _client(Settings(db_url=db_url, public_url="http://testserver", admin_key="s3cret")) as http:
        yield http
        http.app.state.emulator.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("offered", [None, "", "s3cre", "s3cret ", "S3CRET"])
def test_with_an_admin_key_only_that_exact_key_is_taken(keyed: TestClient, offered: str | None) -> None:
    headers = {} if offered is None else {"X-Emulator-Admin-Key": offered}
    assert _refusal(keyed.post("/_emulator/tokens", json={}, headers=headers)) == (401, "AUTHENTICATION_FAILURE")
    assert keyed.post("/_emulator/tokens", json={}, headers={"X-Emulator-Admin-Key": "s3cret"}).status_code == 200


def test_with_the_admin_key_any_host_is_taken_but_never_a_foreign_origin(keyed: TestClient) -> None:
    key = {"X-Emulator-Admin-Key": "s3cret"}
    assert keyed.post("/_emulator/tokens", json={}, headers={**key, "Host": "emulator.example"}).status_code == 200
    response = keyed.post("/_emulator/tokens", json={}, headers={**key, "Origin": "http://evil.example"})
    assert _refusal(response) == (403, "NO_PERMISSION")


@pytest.mark.parametrize("body", [b'{"seconds": 1e400}', b'{"seconds": NaN}', b'{"seconds": -1}', b'{"seconds": "1"}'])
def test_a_clock_advance_that_is_not_a_finite_number_of_seconds_is_invalid_data(
    client: TestClient, body: bytes
) -> None:
    response = client.post("/_emulator/clock/advance", content=body, headers={"Content-Type": "application/json"})
    assert _refusal(response) == (400, "INVALID_DATA")


def test_the_clock_moves_at_most_a_century_ahead(client: TestClient) -> None:
    century = 100 * 365 * 24 * 3600
    response = client.post("/_emulator/clock/advance", json={"seconds": century + 1})
    assert response.json()["details"] == {"api_name": "seconds", "limit": century}
    assert client.post("/_emulator/clock/advance", json={"seconds": century}).status_code == 200
    assert _refusal(client.post("/_emulator/clock/advance", json={"seconds": 1})) == (400, "LIMIT_EXCEEDED")


def test_a_control_plane_body_with_a_lone_surrogate_is_refused(client: TestClient) -> None:
    response = client.post(
        "/_emulator/users",
        content=b'{"email": "a\\ud800@zylker.example", "last_name": "X"}',
        headers={"Content-Type": "application/json"},
    )
    assert _refusal(response) == (400, "INVALID_DATA")
