"""``grant_type=refresh_token`` (REFERENCE §2.4, §2.6): errors first, then tokens and the per-refresh-token caps."""

from __future__ import annotations

import pytest

from tests.support.accounts import Flows, register
from zcrm_emulator.emulator import Emulator

WINDOW_S = 600


def refresh_many(flows: Flows, emulator: Emulator, refresh_token: str, count: int) -> list[str]:
    """``count`` access tokens, one per second, rolling the 10-minute window as needed."""
    minted = []
    for _ in range(count):
        body = flows.refresh(refresh_token)
        if "access_token" not in body:  # the window is full: wait it out, as a client would
            emulator.advance_clock(WINDOW_S)
            body = flows.refresh(refresh_token)
        minted.append(body["access_token"])
        emulator.advance_clock(1)
    return minted


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "1000.aaaabbbbccccddddeeeeffff00001111.aaaabbbbccccddddeeeeffff00001111"])
def test_a_missing_or_unknown_refresh_token_is_invalid_code(flows: Flows, value: str | None) -> None:
    params = {"grant_type": "refresh_token"}
    if value is not None:
        params["refresh_token"] = value
    assert flows.token(**params) == {"error": "invalid_code"}


def test_an_access_token_is_not_a_refresh_token(flows: Flows) -> None:
    access = flows.offline_tokens()["access_token"]
    assert flows.refresh(access) == {"error": "invalid_code"}


def test_another_clients_refresh_token_is_invalid_code(flows: Flows, emulator: Emulator) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    other = register(emulator, name="Other App")
    response = flows.http.post(
        "/oauth/v2/token",
        data={
            "grant_type": "refresh_token",
            "client_id": other.client_id,
            "client_secret": other.client_secret,
            "refresh_token": refresh,
        },
    )
    assert response.json() == {"error": "invalid_code"}


def test_a_wrong_secret_is_invalid_client_secret(flows: Flows) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    response = flows.http.post(
        "/oauth/v2/token",
        data={
            "grant_type": "refresh_token",
            "client_id": flows.app.client_id,
            "client_secret": flows.app.client_secret[:-1] + ("1" if flows.app.client_secret.endswith("0") else "0"),
            "refresh_token": refresh,
        },
    )
    assert response.json() == {"error": "invalid_client_secret"}


def test_a_revoked_refresh_token_is_invalid_code_not_invalid_grant(flows: Flows) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    assert flows.http.post("/oauth/v2/token/revoke", params={"token": refresh}).json() == {"status": "success"}
    assert flows.refresh(refresh) == {"error": "invalid_code"}


# --- success ----------------------------------------------------------------------------------


def test_refreshing_gives_an_access_token_and_no_new_refresh_token(flows: Flows) -> None:
    tokens = flows.offline_tokens()
    body = flows.refresh(tokens["refresh_token"])
    assert set(body) == {"access_token", "scope", "api_domain", "token_type", "expires_in"}
    assert body["expires_in"] == 3600
    assert body["access_token"] != tokens["access_token"]
    assert flows.crm_status(body["access_token"]) == 200
    assert flows.crm_status(tokens["access_token"]) == 200  # the earlier one still works


def test_the_refresh_token_never_expires(flows: Flows, emulator: Emulator) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    emulator.advance_clock(400 * 86_400)
    assert "access_token" in flows.refresh(refresh)


# --- access tokens per refresh token: 10 per 10 minutes ----------------------------------------


def test_the_tenth_access_token_in_ten_minutes_is_made_and_the_eleventh_throttled(
    flows: Flows, emulator: Emulator
) -> None:
    refresh = flows.offline_tokens()["refresh_token"]  # the code exchange made the first one
    for _ in range(9):
        assert "access_token" in flows.refresh(refresh)
    assert flows.refresh(refresh) == {
        "error": "Access Denied",
        "error_description": "You have made too many requests continuously. Please try again after some time.",
        "status": "failure",
    }


def test_the_throttle_lifts_when_the_oldest_mint_leaves_the_window(flows: Flows, emulator: Emulator) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    emulator.advance_clock(1)
    for _ in range(9):
        assert "access_token" in flows.refresh(refresh)
    emulator.advance_clock(WINDOW_S - 1 - 0.001)
    assert flows.refresh(refresh)["error"] == "Access Denied"
    emulator.advance_clock(0.001)  # the first mint is now exactly 10 minutes old
    assert "access_token" in flows.refresh(refresh)


def test_a_throttled_attempt_does_not_count(flows: Flows, emulator: Emulator) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    for _ in range(9):
        flows.refresh(refresh)
    for _ in range(5):
        assert flows.refresh(refresh)["error"] == "Access Denied"
    emulator.advance_clock(WINDOW_S)
    for _ in range(10):
        assert "access_token" in flows.refresh(refresh)


# --- active access tokens per refresh token: 15 -------------------------------------------------


def test_the_fifteenth_access_token_keeps_all_and_the_sixteenth_deletes_the_oldest(
    flows: Flows, emulator: Emulator
) -> None:
    tokens = flows.offline_tokens()
    emulator.advance_clock(1)
    minted = [tokens["access_token"], *refresh_many(flows, emulator, tokens["refresh_token"], 14)]
    assert all(flows.crm_status(token) == 200 for token in minted)
    sixteenth = refresh_many(flows, emulator, tokens["refresh_token"], 1)[0]
    assert flows.crm_status(minted[0]) == 401
    assert all(flows.crm_status(token) == 200 for token in [*minted[1:], sixteenth])


def test_expired_access_tokens_do_not_count_as_active(flows: Flows, emulator: Emulator) -> None:
    tokens = flows.offline_tokens()
    emulator.advance_clock(1)
    old = refresh_many(flows, emulator, tokens["refresh_token"], 14)
    emulator.advance_clock(3600)  # all 15 have expired
    fresh = refresh_many(flows, emulator, tokens["refresh_token"], 15)
    assert not any(flows.crm_status(token) == 200 for token in old)
    assert all(flows.crm_status(token) == 200 for token in fresh)


def test_the_legacy_policy_keeps_thirty_active_access_tokens(flows: Flows, emulator: Emulator) -> None:
    assert flows.http.put("/_emulator/token-policy", json={"name": "legacy"}).status_code == 200
    tokens = flows.offline_tokens()
    emulator.advance_clock(1)
    minted = [tokens["access_token"], *refresh_many(flows, emulator, tokens["refresh_token"], 29)]
    assert all(flows.crm_status(token) == 200 for token in minted)
    refresh_many(flows, emulator, tokens["refresh_token"], 1)
    assert flows.crm_status(minted[0]) == 401
    assert flows.crm_status(minted[1]) == 200
