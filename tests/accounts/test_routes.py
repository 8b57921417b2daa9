"""The accounts face as a whole: unknown paths and methods answer JSON, any Host is served, and
what the server hands out points back at itself (REFERENCE §8 item 12)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.support.accounts import Flows


@pytest.mark.parametrize("path", ["/oauth/v2/nothing", "/oauth/v3/token", "/oauth/", "/oauth/v2/token/extra"])
def test_an_unknown_accounts_path_is_a_json_404(client: TestClient, path: str) -> None:
    response = client.post(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "invalid_url"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/oauth/v2/token", "POST"),
        ("PUT", "/oauth/v2/token/revoke", "POST"),
        ("DELETE", "/oauth/v2/auth", "GET, POST"),
        ("GET", "/oauth/v2/consent", "POST"),
        ("POST", "/oauth/v2/token/addextrascope", "GET"),
    ],
)
def test_a_wrong_method_is_a_json_405(client: TestClient, method: str, path: str, allow: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["error"] == "invalid_request_method"


@pytest.mark.parametrize("host", ["accounts.zoho.com", "accounts.zoho.eu", "127.0.0.1:8000", "emulator.internal"])
def test_any_host_is_served_and_the_answers_point_at_the_public_url(flows: Flows, host: str) -> None:
    flows.http.headers["host"] = host
    redirect = flows.authorize()
    tokens = flows.exchange(redirect.params["code"])
    assert redirect.params["accounts-server"] == tokens["api_domain"] == "http://testserver"
    assert "zoho" not in tokens["api_domain"]
