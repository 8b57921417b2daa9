"""Refresh tokens per user per client (REFERENCE §2.6, §8 item 8): 20 alive (the 21st deletes the
oldest with its access tokens) and 10 minted per 10 minutes (then "Access Denied")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.accounts import Flows, register
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

THROTTLED = {
    "error": "Access Denied",
    "error_description": "You have made too many requests continuously. Please try again after some time.",
    "status": "failure",
}


def offline_grants(flows: Flows, emulator: Emulator, count: int, **overrides: str) -> list[dict[str, Any]]:
    """``count`` refresh tokens for the same user and client, one a minute (inside every limit)."""
    grants = []
    for _ in range(count):
        grants.append(flows.offline_tokens(**overrides))
        emulator.advance_clock(60)
    return grants


@pytest.fixture
def codes_unlimited(flows: Flows) -> None:
    """Lift the grant-code limit so that the refresh-token limit is the one reached."""
    response = flows.http.put("/_emulator/token-policy", json={"overrides": {"grant_codes_per_client": "1000/600"}})
    assert response.status_code == 200


# --- 20 alive ---------------------------------------------------------------------------------


def test_the_twentieth_refresh_token_keeps_all_and_the_twenty_first_deletes_the_oldest(
    flows: Flows, emulator: Emulator
) -> None:
    grants = offline_grants(flows, emulator, 20)
    assert all("access_token" in flows.refresh(g["refresh_token"]) for g in grants)
    emulator.advance_clock(600)
    offline_grants(flows, emulator, 1)
    assert flows.refresh(grants[0]["refresh_token"]) == {"error": "invalid_code"}
    assert all("access_token" in flows.refresh(g["refresh_token"]) for g in grants[1:])


def test_the_evicted_refresh_tokens_access_tokens_die_with_it(flows: Flows, emulator: Emulator) -> None:
    grants = offline_grants(flows, emulator, 20)
    oldest = grants[0]
    extra = flows.refresh(oldest["refresh_token"])["access_token"]
    assert flows.crm_status(oldest["access_token"]) == flows.crm_status(extra) == 200
    offline_grants(flows, emulator, 1)
    assert flows.crm_status(oldest["access_token"]) == 401
    assert flows.crm_status(extra) == 401
    assert flows.crm_status(grants[1]["access_token"]) == 200


def test_the_cap_is_per_user(flows: Flows, emulator: Emulator) -> None:
    rep = add_standard_user(emulator, "rep@zylker.example")
    mine = offline_grants(flows, emulator, 1, user_id=rep)[0]
    offline_grants(flows, emulator, 20)
    assert "access_token" in flows.refresh(mine["refresh_token"])


def test_the_cap_is_per_client(flows: Flows, emulator: Emulator) -> None:
    other = register(emulator, name="Other App")
    theirs = Flows(flows.http, other, emulator).offline_tokens()
    offline_grants(flows, emulator, 21)
    assert "access_token" in Flows(flows.http, other, emulator).refresh(theirs["refresh_token"])


# --- 10 per 10 minutes ------------------------------------------------------------------------


@pytest.mark.usefixtures("codes_unlimited")
def test_the_tenth_refresh_token_in_ten_minutes_is_made_and_the_eleventh_throttled(flows: Flows) -> None:
    for _ in range(10):
        assert "refresh_token" in flows.offline_tokens()
    code = flows.code(access_type="offline", prompt="consent")
    assert flows.exchange(code) == THROTTLED


@pytest.mark.usefixtures("codes_unlimited")
def test_a_throttled_exchange_leaves_the_code_redeemable(flows: Flows, emulator: Emulator) -> None:
    for _ in range(10):
        flows.offline_tokens()
    emulator.advance_clock(599.999)
    code = flows.code(access_type="offline", prompt="consent")
    assert flows.exchange(code) == THROTTLED
    emulator.advance_clock(0.001)  # the first ten are now exactly 10 minutes old; the code is 1 ms old
    assert "refresh_token" in flows.exchange(code)


def test_the_legacy_policy_throttles_refresh_tokens_at_five_a_minute(flows: Flows, emulator: Emulator) -> None:
    assert flows.http.put("/_emulator/token-policy", json={"name": "legacy"}).status_code == 200
    for _ in range(5):
        assert "refresh_token" in flows.offline_tokens()
    assert flows.exchange(flows.code(access_type="offline", prompt="consent")) == THROTTLED
    emulator.advance_clock(60)
    assert "refresh_token" in flows.offline_tokens()


@pytest.mark.usefixtures("codes_unlimited")
def test_online_codes_mint_no_refresh_token_and_are_not_throttled_by_it(flows: Flows) -> None:
    for _ in range(10):
        flows.offline_tokens()
    assert set(flows.exchange(flows.code())) == {"access_token", "scope", "api_domain", "token_type", "expires_in"}
