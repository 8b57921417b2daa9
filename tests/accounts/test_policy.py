"""The token policy table (REFERENCE §2.6, §9 #1-#2) and its overrides (no HTTP)."""

from __future__ import annotations

import pytest

from zcrm_emulator.accounts.policy import POLICIES, PolicyError, Rate, parse_assignments, resolve


def test_the_current_policy_has_zohos_current_figures() -> None:
    policy = resolve()
    assert policy.grant_code_seconds == 180
    assert policy.self_client_code_minutes == (3, 5, 7, 10)
    assert policy.self_client_default_minutes == 3
    assert policy.grant_codes_per_client == Rate(10, 600)
    assert policy.access_token_seconds == 3600
    assert policy.access_tokens_active_per_refresh_token == 15
    assert policy.access_tokens_per_refresh_token == Rate(10, 600)
    assert policy.refresh_tokens_active_per_user_client == 20
    assert policy.refresh_tokens_per_user_client == Rate(10, 600)
    assert policy.enhance_token_seconds == 600


def test_the_legacy_policy_has_the_older_figures() -> None:
    legacy = POLICIES["legacy"]
    assert legacy.access_tokens_active_per_refresh_token == 30
    assert legacy.refresh_tokens_per_user_client == Rate(5, 60)
    assert legacy.grant_code_seconds == 120
    assert legacy.refresh_tokens_active_per_user_client == 20


@pytest.mark.parametrize(
    ("overrides", "field", "value"),
    [
        ({"access_token_seconds": "60"}, "access_token_seconds", 60),
        ({"access_token_seconds": 60}, "access_token_seconds", 60),
        ({"grant_codes_per_client": "3/60"}, "grant_codes_per_client", Rate(3, 60)),
        ({"grant_codes_per_client": "3"}, "grant_codes_per_client", Rate(3, 600)),
        ({"grant_codes_per_client": {"count": 2, "window_seconds": 30}}, "grant_codes_per_client", Rate(2, 30)),
        ({"self_client_code_minutes": "3,60", "self_client_default_minutes": 60}, "self_client_code_minutes", (3, 60)),
    ],
)
def test_a_single_limit_can_be_overridden(overrides: dict[str, object], field: str, value: object) -> None:
    policy = resolve("current", overrides)
    assert getattr(policy, field) == value
    assert policy.access_tokens_active_per_refresh_token == 15  # the rest stays


@pytest.mark.parametrize(
    ("name", "overrides", "problem"),
    [
        ("newest", {}, "unknown token policy"),
        ("current", {"tokens_forever": "1"}, "unknown token limit"),
        ("current", {"name": "x"}, "unknown token limit"),
        ("current", {"access_token_seconds": "0"}, "positive integer"),
        ("current", {"access_token_seconds": "-5"}, "positive integer"),
        ("current", {"access_token_seconds": "ten"}, "positive integer"),
        ("current", {"access_token_seconds": True}, "positive integer"),
        ("current", {"grant_codes_per_client": "10/"}, "positive integer"),
        ("current", {"self_client_default_minutes": 4}, "must be one of"),
    ],
)
def test_a_wrong_policy_or_limit_is_named(name: str, overrides: dict[str, object], problem: str) -> None:
    with pytest.raises(PolicyError, match=problem):
        resolve(name, overrides)


def test_cli_assignments_are_name_equals_value() -> None:
    assert parse_assignments(["access_token_seconds=60", " grant_codes_per_client = 5/60 "]) == {
        "access_token_seconds": "60",
        "grant_codes_per_client": "5/60",
    }
    with pytest.raises(PolicyError):
        parse_assignments(["access_token_seconds"])
