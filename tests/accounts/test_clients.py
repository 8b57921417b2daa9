"""Registering clients (Accounts "Client registration"): the rules, ``/_emulator/clients`` and
``zcrm-emulator client create|list|delete``. Errors first."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from tests.support.accounts import Flows, Registered
from zcrm_emulator.accounts.clients import new_client_id, new_client_secret, validate_server_client
from zcrm_emulator.cli import main
from zcrm_emulator.config import Settings
from zcrm_emulator.errors import ZohoError

VALID = {
    "client_name": "Zylker Sync",
    "homepage_url": "https://sync.zylker.example",
    "redirect_uris": ["https://sync.zylker.example/cb"],
}


# --- the rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "details"),
    [
        ({"client_name": None}, "MANDATORY_NOT_FOUND", {"api_name": "client_name", "json_path": "$.client_name"}),
        (
            {"client_name": "  "},
            "INVALID_DATA",
            {"api_name": "client_name", "json_path": "$.client_name", "minimum_length": 1},
        ),
        ({"homepage_url": None}, "MANDATORY_NOT_FOUND", {"api_name": "homepage_url", "json_path": "$.homepage_url"}),
        (
            {"homepage_url": "sync.zylker.example"},
            "INVALID_DATA",
            {"api_name": "homepage_url", "json_path": "$.homepage_url", "expected_data_type": "website"},
        ),
        ({"redirect_uris": None}, "MANDATORY_NOT_FOUND", {"api_name": "redirect_uris", "json_path": "$.redirect_uris"}),
        ({"redirect_uris": []}, "MANDATORY_NOT_FOUND", {"api_name": "redirect_uris", "json_path": "$.redirect_uris"}),
        (
            {"redirect_uris": "https://sync.zylker.example/cb"},
            "INVALID_DATA",
            {"api_name": "redirect_uris", "json_path": "$.redirect_uris", "expected_data_type": "jsonarray"},
        ),
        (
            {"redirect_uris": ["ftp://sync.zylker.example/cb"]},
            "INVALID_DATA",
            {"api_name": "redirect_uris", "json_path": "$.redirect_uris", "expected_data_type": "website"},
        ),
        (
            {"redirect_uris": ["https://sync.zylker.example/cb#frag"]},
            "INVALID_DATA",
            {"api_name": "redirect_uris", "json_path": "$.redirect_uris"},
        ),
    ],
)
def test_a_server_based_client_needs_a_name_a_homepage_and_redirect_uris(
    change: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    with pytest.raises(ZohoError) as raised:
        validate_server_client({**VALID, **change})
    assert (raised.value.code, raised.value.details) == (code, details)


def test_ids_and_secrets_look_like_zohos() -> None:
    ids = {new_client_id() for _ in range(50)}
    secrets = {new_client_secret() for _ in range(50)}
    assert len(ids) == len(secrets) == 50
    assert all(re.fullmatch(r"1000\.[A-Z0-9]{30}", value) for value in ids)
    assert all(re.fullmatch(r"[0-9a-f]{42}", value) for value in secrets)


def test_duplicate_redirect_uris_are_kept_once() -> None:
    uris = ["https://a.example/cb", "https://b.example/cb", "https://a.example/cb"]
    assert validate_server_client({**VALID, "redirect_uris": uris}).redirect_uris == tuple(uris[:2])


# --- the control plane ------------------------------------------------------------------------


def test_creating_answers_201_with_the_secret_shown_only_then(client: TestClient) -> None:
    response = client.post("/_emulator/clients", json=VALID)
    assert response.status_code == 201
    created = response.json()["client"]
    assert created["client_type"] == "server"
    assert created["redirect_uris"] == VALID["redirect_uris"]
    listed = client.get("/_emulator/clients").json()["clients"]
    assert [c["client_id"] for c in listed] == [created["client_id"]]
    assert "client_secret" not in listed[0]
    assert created["client_secret"] not in json.dumps(listed)


def test_bad_input_gets_zohos_envelope(client: TestClient) -> None:
    response = client.post("/_emulator/clients", json={**VALID, "redirect_uris": []})
    assert response.status_code == 400
    assert response.json() == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"api_name": "redirect_uris", "json_path": "$.redirect_uris"},
        "message": "required field not found",
        "status": "error",
    }


def test_an_unknown_org_is_refused(client: TestClient) -> None:
    response = client.post("/_emulator/clients", json={**VALID, "org_id": "1234567000000000000"})
    assert (response.status_code, response.json()["details"]) == (400, {"api_name": "org_id"})


def test_deleting_an_unknown_client_is_invalid_data(client: TestClient) -> None:
    response = client.delete("/_emulator/clients/1000.NOPE")
    assert (response.status_code, response.json()["code"]) == (400, "INVALID_DATA")


def test_deleting_a_client_kills_its_codes_and_tokens(flows: Flows, registered: Registered) -> None:
    tokens = flows.offline_tokens()
    online = flows.exchange(flows.code())["access_token"]
    code = flows.code()
    assert flows.http.delete(f"/_emulator/clients/{registered.client_id}").json() == {"status": "success"}
    assert flows.crm_status(tokens["access_token"]) == 401
    assert flows.crm_status(online) == 401
    assert flows.refresh(tokens["refresh_token"]) == {"error": "invalid_client"}
    assert flows.exchange(code) == {"error": "invalid_client"}
    assert flows.http.get("/_emulator/clients").json()["clients"] == []


def test_a_reset_org_has_no_clients(flows: Flows) -> None:
    flows.offline_tokens()
    assert flows.http.post("/_emulator/reset").status_code == 200
    assert flows.http.get("/_emulator/clients").json()["clients"] == []


# --- the command line -------------------------------------------------------------------------


def cli(settings: Settings, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--db", settings.db_url])


def test_client_create_list_and_delete(settings: Settings, client: TestClient) -> None:
    made = cli(
        settings,
        "client",
        "create",
        "--name",
        "CLI App",
        "--homepage",
        "https://cli.example",
        "--redirect-uri",
        "http://127.0.0.1:9999/cb",
        "--redirect-uri",
        "https://cli.example/cb",
        "--json",
    )
    assert made.exit_code == 0, made.output
    created = json.loads(made.output)
    assert created["redirect_uris"] == ["http://127.0.0.1:9999/cb", "https://cli.example/cb"]
    listed = cli(settings, "client", "list", "--json")
    assert [c["client_id"] for c in json.loads(listed.output)["clients"]] == [created["client_id"]]
    table = cli(settings, "client", "list")
    assert created["client_id"] in table.output and "Server-based Applications" in table.output
    assert created["client_secret"] not in listed.output + table.output
    # The server sees what the command made.
    html = client.get(
        "/oauth/v2/auth",
        params={
            "client_id": created["client_id"],
            "response_type": "code",
            "redirect_uri": "https://cli.example/cb",
            "scope": "ZohoCRM.org.READ",
        },
    ).text
    assert "CLI App would like to access your Zoho CRM data" in html
    gone = cli(settings, "client", "delete", created["client_id"])
    assert gone.exit_code == 0 and "deleted" in gone.output
    assert json.loads(cli(settings, "client", "list", "--json").output)["clients"] == []
    again = cli(settings, "client", "delete", created["client_id"])
    assert again.exit_code == 1 and "no client" in again.output


def test_client_create_refuses_a_bad_redirect_uri(settings: Settings) -> None:
    result = cli(settings, "client", "create", "--name", "X", "--homepage", "https://x.example", "--redirect-uri", "x")
    assert result.exit_code == 1
    assert "INVALID_DATA" in result.output and "redirect_uris" in result.output
