"""Which token policy is in force and what the server tells clients about itself: ``serve
--token-policy/--token-limit`` (Settings), published at start-up for the command line, switchable on
the control plane."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from tests.support.accounts import Flows, FrozenClock, register
from zcrm_emulator import create_app
from zcrm_emulator.accounts import server_info
from zcrm_emulator.cli import main
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator


def test_a_server_started_with_a_policy_and_limits_applies_and_publishes_them(db_url: str) -> None:
    settings = Settings(
        db_url=db_url,
        public_url="http://crm.local:8080/",
        dc="in",
        token_policy="legacy",
        token_limits={"access_token_seconds": "60"},
    )
    emulator = Emulator(settings, clock=FrozenClock())
    with TestClient(create_app(emulator=emulator), base_url="http://crm.local:8080") as http:
        shown = http.get("/_emulator/token-policy").json()
        assert (shown["name"], shown["overrides"]) == ("legacy", {"access_token_seconds": "60"})
        assert shown["limits"]["access_tokens_active_per_refresh_token"] == 30
        assert shown["limits"]["access_token_seconds"] == 60
        flows = Flows(http, register(emulator), emulator)
        redirect = flows.authorize()
        tokens = flows.exchange(redirect.params["code"])
        assert tokens["expires_in"] == 60
        assert (redirect.params["location"], tokens["api_domain"]) == ("in", "http://crm.local:8080")
    with emulator.store.tx() as conn:
        published = server_info.published(conn)
    assert (published.public_url, published.dc, published.policy.name) == ("http://crm.local:8080", "in", "legacy")


def test_nothing_published_means_the_defaults(emulator: Emulator) -> None:
    with emulator.store.tx() as conn:
        published = server_info.published(conn)
    assert (published.public_url, published.dc, published.policy.name) == ("http://127.0.0.1:8000", "us", "current")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"name": "strict"}, "unknown token policy"),
        ({"overrides": {"forever": 1}}, "unknown token limit"),
        ({"overrides": {"access_token_seconds": 0}}, "positive integer"),
        ({"overrides": ["access_token_seconds"]}, None),
    ],
)
def test_a_wrong_policy_change_is_invalid_data_and_changes_nothing(
    client: TestClient, body: dict[str, object], problem: str | None
) -> None:
    response = client.put("/_emulator/token-policy", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_DATA"
    if problem:
        assert problem in response.json()["message"]
    assert client.get("/_emulator/token-policy").json()["name"] == "current"


def test_a_policy_change_keeps_the_name_when_only_limits_change(client: TestClient) -> None:
    client.put("/_emulator/token-policy", json={"name": "legacy"})
    shown = client.put("/_emulator/token-policy", json={"overrides": {"grant_code_seconds": 30}}).json()
    assert (shown["name"], shown["limits"]["grant_code_seconds"]) == ("legacy", 30)
    back = client.put("/_emulator/token-policy", json={"name": "current"}).json()
    assert (back["overrides"], back["limits"]["grant_code_seconds"]) == ({}, 180)


@pytest.mark.parametrize(
    "args",
    [["--token-policy", "strict"], ["--token-limit", "forever=1"], ["--token-limit", "access_token_seconds"]],
)
def test_serve_refuses_a_wrong_policy_before_starting(tmp_path: object, args: list[str]) -> None:
    result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path), *args])
    assert result.exit_code == 2
    assert "--token-policy/--token-limit" in result.output
