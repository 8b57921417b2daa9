"""The Self Client (REFERENCE §2.2): ``POST /_emulator/self-client`` and ``zcrm-emulator self-client``.
Errors first, then codes, their lifetimes, secrets and the per-client code limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from tests.support.accounts import FrozenClock
from tests.support.people import add_standard_user
from zcrm_emulator import create_app
from zcrm_emulator.accounts import repo
from zcrm_emulator.cli import main
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

SCOPE = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL"


def generate(http: TestClient, **body: Any) -> Any:
    return http.post("/_emulator/self-client", json={"scope": SCOPE, **body})


def exchange(http: TestClient, grant: dict[str, Any], **extra: str) -> dict[str, Any]:
    form = {
        "grant_type": "authorization_code",
        "client_id": grant["client_id"],
        "client_secret": grant["client_secret"],
        "code": grant["code"],
        **extra,
    }
    return http.post("/oauth/v2/token", data=form).json()


# --- control plane: errors --------------------------------------------------------------------


@pytest.mark.parametrize("scope", [None, "", "ZohoCRM.modules", "ZohoCRM.modules.ALL,ZohoBooks.x.READ"])
def test_a_missing_or_unknown_scope_is_invalid_data(client: TestClient, scope: str | None) -> None:
    response = client.post("/_emulator/self-client", json={} if scope is None else {"scope": scope})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["details"]) == ("INVALID_DATA", {"api_name": "scope"})


@pytest.mark.parametrize("minutes", [0, 2, 4, 6, 11, 60, "3", 3.0, True])
def test_a_duration_other_than_3_5_7_10_minutes_is_invalid_data(client: TestClient, minutes: Any) -> None:
    response = generate(client, minutes=minutes)
    assert response.status_code == 400
    assert response.json()["details"]["api_name"] == "minutes"


@pytest.mark.parametrize("user", ["nobody@zylker.example", "111111000000000001"])
def test_an_unknown_user_is_invalid_data(client: TestClient, user: str) -> None:
    response = generate(client, user=user)
    assert response.status_code == 400
    assert response.json()["details"] == {"api_name": "user"}


def test_an_unknown_org_is_invalid_data(client: TestClient) -> None:
    response = generate(client, org_id="1234567000000000000")
    assert (response.status_code, response.json()["details"]) == (400, {"api_name": "org_id"})


# --- control plane: codes ---------------------------------------------------------------------


def test_the_grant_has_everything_needed_to_exchange_it(client: TestClient) -> None:
    grant = generate(client).json()
    assert set(grant) == {"client_id", "client_secret", "code", "scope", "expires_in", "accounts_url", "api_domain"}
    assert grant["client_id"].startswith("1000.") and len(grant["client_id"]) == 35
    assert grant["client_id"][5:].isalnum() and grant["client_id"][5:].upper() == grant["client_id"][5:]
    assert len(grant["client_secret"]) == 42
    int(grant["client_secret"], 16)
    assert grant["scope"] == SCOPE
    assert grant["expires_in"] == 180
    assert grant["accounts_url"] == grant["api_domain"] == "http://testserver"
    tokens = exchange(client, grant)
    assert set(tokens) == {"access_token", "refresh_token", "scope", "api_domain", "token_type", "expires_in"}


def test_a_self_client_code_needs_no_redirect_uri_and_ignores_one(client: TestClient) -> None:
    assert "refresh_token" in exchange(client, generate(client).json(), redirect_uri="https://anything.example")


@pytest.mark.parametrize("minutes", [3, 5, 7, 10])
def test_a_code_lives_exactly_the_chosen_minutes(client: TestClient, emulator: Emulator, minutes: int) -> None:
    first, second = generate(client, minutes=minutes).json(), generate(client, minutes=minutes).json()
    assert first["expires_in"] == minutes * 60
    emulator.advance_clock(minutes * 60 - 0.001)
    assert "access_token" in exchange(client, first)
    emulator.advance_clock(0.001)
    assert exchange(client, second) == {"error": "invalid_code"}


def test_one_self_client_per_user_made_on_first_use(client: TestClient, emulator: Emulator) -> None:
    assert client.get("/_emulator/clients").json()["clients"] == []
    first, again = generate(client).json(), generate(client).json()
    rep = add_standard_user(emulator, "rep@zylker.example")
    emulator.advance_clock(1)
    theirs = generate(client, user="rep@zylker.example").json()
    assert first["client_id"] == again["client_id"] != theirs["client_id"]
    listed = client.get("/_emulator/clients").json()["clients"]
    with emulator.store.tx() as conn:
        admin = repo.admin_user_id(conn, emulator.default_org_id)
    assert [(c["client_type"], c["user_id"]) for c in listed] == [("self", admin), ("self", rep)]
    assert "client_secret" not in json.dumps(listed)


def test_every_secret_ever_shown_stays_valid(client: TestClient) -> None:
    grants = [generate(client).json() for _ in range(3)]
    assert len({g["client_secret"] for g in grants}) == 3
    for grant in grants:
        assert "refresh_token" in exchange(client, grant)


def test_the_user_signs_the_tokens(client: TestClient, emulator: Emulator) -> None:
    add_standard_user(emulator, "rep@zylker.example")
    grant = generate(client, user="REP@zylker.example", scope="ZohoCRM.users.READ").json()
    token = exchange(client, grant)["access_token"]
    me = client.get(
        "/crm/v8/users", params={"type": "CurrentUser"}, headers={"Authorization": f"Zoho-oauthtoken {token}"}
    )
    assert me.json()["users"][0]["email"] == "rep@zylker.example"


def test_the_tenth_code_in_ten_minutes_is_made_and_the_eleventh_refused(client: TestClient, emulator: Emulator) -> None:
    for _ in range(10):
        assert generate(client).status_code == 200
    refused = generate(client)
    assert refused.status_code == 400
    assert refused.json()["code"] == "LIMIT_EXCEEDED"
    assert refused.json()["details"] == {"limit": 10, "limit_due_to": "grant_codes_per_client"}
    emulator.advance_clock(600)
    assert generate(client).status_code == 200


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def served(settings: Settings) -> Iterator[TestClient]:
    """A server that has started (and so published its URL) on the test database."""
    emulator = Emulator(settings, clock=FrozenClock())
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as http:
        yield http


def run(settings: Settings, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--db", settings.db_url], catch_exceptions=False)


def test_the_cli_prints_the_grant_as_json_with_the_running_servers_urls(served: TestClient, settings: Settings) -> None:
    result = run(settings, "self-client", "--scope", SCOPE, "--minutes", "10", "--json")
    assert result.exit_code == 0, result.output
    grant = json.loads(result.output)
    assert set(grant) == {"client_id", "client_secret", "code", "scope", "expires_in", "accounts_url", "api_domain"}
    assert (grant["expires_in"], grant["accounts_url"], grant["api_domain"]) == (
        600,
        "http://testserver",
        "http://testserver",
    )


def test_without_a_started_server_the_cli_prints_the_default_url(settings: Settings) -> None:
    grant = json.loads(run(settings, "self-client", "--scope", SCOPE, "--json").output)
    assert grant["accounts_url"] == grant["api_domain"] == "http://127.0.0.1:8000"
    assert grant["expires_in"] == 180


def test_the_cli_prints_how_to_exchange_the_code(served: TestClient, settings: Settings) -> None:
    result = run(settings, "self-client", "--scope", SCOPE)
    assert result.exit_code == 0
    lines = dict(line.split(":", 1) for line in result.output.splitlines() if line and not line.startswith(" "))
    assert {"client_id", "client_secret", "code", "scope", "accounts_url", "api_domain"} <= set(lines)
    assert "curl -s -X POST http://testserver/oauth/v2/token -d grant_type=authorization_code" in result.output


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--scope", "ZohoCRM.nothing.READ"], "--scope"),
        (["--scope", SCOPE, "--minutes", "4"], "--minutes"),
        (["--scope", SCOPE, "--user", "nobody@zylker.example"], "--user"),
    ],
)
def test_the_cli_refuses_bad_choices(settings: Settings, args: list[str], problem: str) -> None:
    result = CliRunner().invoke(main, ["self-client", *args, "--db", settings.db_url])
    assert result.exit_code == 2
    assert problem in result.output
