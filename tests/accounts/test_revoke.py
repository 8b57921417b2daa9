"""``POST /oauth/v2/token/revoke`` (REFERENCE §2.5, SDK-WIRE §2): errors first, then revocation."""

from __future__ import annotations

import pytest

from tests.support.accounts import Flows


def revoke(flows: Flows, token: str | None, where: str = "form") -> object:
    args = {} if token is None else {"data" if where == "form" else "params": {"token": token}}
    response = flows.http.post("/oauth/v2/token/revoke", **args)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize("token", [None, ""])
def test_without_a_token_it_is_invalid_request(flows: Flows, token: str | None) -> None:
    assert revoke(flows, token) == {"error": "invalid_request"}


def test_an_unknown_token_answers_success_and_changes_nothing(flows: Flows) -> None:
    tokens = flows.offline_tokens()
    assert revoke(flows, "1000.ffffffffffffffffffffffffffffffff.ffffffffffffffffffffffffffffffff") == {
        "status": "success"
    }
    assert "access_token" in flows.refresh(tokens["refresh_token"])


@pytest.mark.parametrize("where", ["query", "form"])
def test_revoking_a_refresh_token_kills_it_and_every_access_token_minted_from_it(flows: Flows, where: str) -> None:
    tokens = flows.offline_tokens()
    more = [flows.refresh(tokens["refresh_token"])["access_token"] for _ in range(3)]
    other = flows.offline_tokens()
    assert revoke(flows, tokens["refresh_token"], where) == {"status": "success"}
    for access in [tokens["access_token"], *more]:
        response = flows.http.get("/crm/v8/org", headers={"Authorization": f"Zoho-oauthtoken {access}"})
        assert (response.status_code, response.json()["code"]) == (401, "INVALID_TOKEN")
    assert flows.refresh(tokens["refresh_token"]) == {"error": "invalid_code"}
    assert flows.crm_status(other["access_token"]) == 200
    assert "access_token" in flows.refresh(other["refresh_token"])


def test_revoking_twice_answers_success_both_times(flows: Flows) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    assert revoke(flows, refresh) == revoke(flows, refresh) == {"status": "success"}


def test_revoking_an_access_token_kills_only_that_token(flows: Flows) -> None:
    tokens = flows.offline_tokens()
    second = flows.refresh(tokens["refresh_token"])["access_token"]
    assert revoke(flows, tokens["access_token"]) == {"status": "success"}
    assert flows.crm_status(tokens["access_token"]) == 401
    assert flows.crm_status(second) == 200
    assert "access_token" in flows.refresh(tokens["refresh_token"])
