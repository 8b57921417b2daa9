"""The structured access log (accesslog.py): one JSON line per request with method, path, status,
duration and request id, and never a token, code or secret, wherever the client put them."""

from __future__ import annotations

import json
import logging

import pytest
from starlette.testclient import TestClient

SECRETS = {
    "token": "1000.deadbeefdeadbeefdeadbeefdeadbeef.cafebabecafebabecafebabecafebabe",
    "code": "1000.feedfacefeedfacefeedfacefeedface.0badc0de0badc0de0badc0de0badc0de",
    "secret": "s3cr3t-client-secret-value-42",
    "refresh": "1000.abad1deaabad1deaabad1deaabad1dea.5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e",
}
# The test's own HTTP client logs the URLs it requests; that is the client's log, not the server's.
CLIENT_LOGGERS = ("httpx", "httpcore")


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "zcrm_emulator.access"]


def test_each_request_logs_one_line_with_method_path_status_duration_and_request_id(
    client: TestClient, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="zcrm_emulator.access")
    ok = client.get("/crm/v8/org", headers=auth)
    missing = client.get("/crm/v8/settings/modules/Nope", headers=auth)
    lines = access_lines(caplog)
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/crm/v8/org", 200),
        ("GET", "/crm/v8/settings/modules/Nope", 400),
    ]
    assert [line["request_id"] for line in lines] == [ok.headers["x-request-id"], missing.headers["x-request-id"]]
    assert lines[0]["request_id"] != lines[1]["request_id"]
    for line in lines:
        assert set(line) == {"method", "path", "status", "duration_ms", "request_id"}
        assert isinstance(line["duration_ms"], float | int) and line["duration_ms"] >= 0


def test_no_log_line_carries_a_token_code_or_secret(
    client: TestClient, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    query = {
        "code": SECRETS["code"],
        "client_secret": SECRETS["secret"],
        "refresh_token": SECRETS["refresh"],
        "access_token": SECRETS["token"],
    }
    form = {"grant_type": "refresh_token", **query}
    in_header = {"Authorization": f"Zoho-oauthtoken {SECRETS['token']}", "X-Client-Secret": SECRETS["secret"]}
    client.get("/crm/v8/org", params=query, headers=in_header)  # unknown token: 401
    client.get("/crm/v8/users", params=query, headers=auth)
    client.post("/oauth/v2/token", params=query, data=form)
    client.post("/oauth/v2/token/revoke", params={"token": SECRETS["refresh"]}, data={"token": SECRETS["refresh"]})
    client.post("/crm/v8/settings/modules", json={"modules": [{"secret": SECRETS["secret"]}]}, headers=in_header)
    client.post("/_emulator/tokens", json={"scopes": [SECRETS["secret"]]})

    assert access_lines(caplog), "the requests were logged"
    server_side = [r for r in caplog.records if not r.name.startswith(CLIENT_LOGGERS)]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in server_side)
    for name, value in SECRETS.items():
        assert value not in logged, f"the {name} leaked into the log"
    auth_value = auth["Authorization"].split()[-1]
    assert auth_value not in logged
    for line in access_lines(caplog):
        assert "?" not in str(line["path"])
