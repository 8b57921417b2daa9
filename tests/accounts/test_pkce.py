"""PKCE (RFC 7636) as the authorization request and the code exchange check it (no HTTP)."""

from __future__ import annotations

import pytest

from zcrm_emulator.accounts.pkce import challenge_of, checked_challenge, verify

VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"


def test_s256_matches_the_rfc_example() -> None:
    assert challenge_of(VERIFIER, "S256") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.mark.parametrize(("length", "ok"), [(42, False), (43, True), (128, True), (129, False)])
def test_a_challenge_is_43_to_128_characters(length: int, ok: bool) -> None:
    if ok:
        assert checked_challenge("a" * length, "plain") == ("a" * length, "plain")
    else:
        with pytest.raises(ValueError):
            checked_challenge("a" * length, "plain")


def test_a_challenge_without_method_is_plain_and_a_method_without_challenge_is_refused() -> None:
    assert checked_challenge(VERIFIER, None) == (VERIFIER, "plain")
    assert checked_challenge(None, None) == (None, None)
    with pytest.raises(ValueError):
        checked_challenge(None, "S256")


@pytest.mark.parametrize("method", ["s256", "PLAIN", "S512", "none"])
def test_only_s256_and_plain_are_methods(method: str) -> None:
    with pytest.raises(ValueError):
        checked_challenge(VERIFIER, method)


@pytest.mark.parametrize(
    ("verifier", "challenge", "method", "ok"),
    [
        (VERIFIER, challenge_of(VERIFIER, "S256"), "S256", True),
        (VERIFIER, VERIFIER, "plain", True),
        (VERIFIER, VERIFIER, "S256", False),
        (None, VERIFIER, "plain", False),
        ("a" * 42, "a" * 42, "plain", False),
        (VERIFIER + "!", VERIFIER + "!", "plain", False),
    ],
)
def test_verification(verifier: str | None, challenge: str, method: str, ok: bool) -> None:
    assert verify(verifier, challenge, method) is ok
