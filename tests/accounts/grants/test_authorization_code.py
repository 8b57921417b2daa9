"""``grant_type=authorization_code`` (REFERENCE §2.4, §8 item 1): errors first, then the tokens."""

from __future__ import annotations

import base64
import hashlib

import pytest

from tests.support.accounts import SECOND_REDIRECT_URI, Flows, register
from zcrm_emulator.emulator import Emulator

VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # RFC 7636 appendix B
S256_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


# --- errors -----------------------------------------------------------------------------------


def test_an_unknown_client_is_invalid_client(flows: Flows) -> None:
    code = flows.code()
    body = flows.http.post(
        "/oauth/v2/token",
        data={"grant_type": "authorization_code", "client_id": "1000.NOPE", "client_secret": "x", "code": code},
    ).json()
    assert body == {"error": "invalid_client"}


@pytest.mark.parametrize("grant_type", [None, "", "password", "implicit", "update_scopes_token", "AUTHORIZATION_CODE"])
def test_a_missing_or_unsupported_grant_type_is_invalid_client(flows: Flows, grant_type: str | None) -> None:
    params = {"code": flows.code(), "redirect_uri": flows.app.redirect_uri}
    if grant_type is not None:
        params["grant_type"] = grant_type
    assert flows.token(**params) == {"error": "invalid_client"}


@pytest.mark.parametrize("secret", ["", "0" * 42, "wrong"])
def test_a_wrong_secret_is_invalid_client_secret_and_leaves_the_code_usable(flows: Flows, secret: str) -> None:
    code = flows.code()
    response = flows.http.post(
        "/oauth/v2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": flows.app.client_id,
            "client_secret": secret,
            "code": code,
            "redirect_uri": flows.app.redirect_uri,
        },
    )
    assert response.status_code == 200
    assert response.json() == {"error": "invalid_client_secret"}
    assert "access_token" in flows.exchange(code)


@pytest.mark.parametrize("code", [None, "", "1000.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef"])
def test_a_missing_or_unknown_code_is_invalid_code(flows: Flows, code: str | None) -> None:
    params = {"grant_type": "authorization_code", "redirect_uri": flows.app.redirect_uri}
    if code is not None:
        params["code"] = code
    assert flows.token(**params) == {"error": "invalid_code"}


def test_a_code_works_once(flows: Flows) -> None:
    code = flows.code()
    assert "access_token" in flows.exchange(code)
    assert flows.exchange(code) == {"error": "invalid_code"}


@pytest.mark.parametrize(("seconds", "usable"), [(179.999, True), (180, False)], ids=["last-ms", "expired"])
def test_a_code_lives_three_minutes(flows: Flows, emulator: Emulator, seconds: float, usable: bool) -> None:
    code = flows.code()
    emulator.advance_clock(seconds)
    assert ("access_token" in flows.exchange(code)) is usable


@pytest.mark.parametrize(("seconds", "usable"), [(119.999, True), (120, False)], ids=["last-ms", "expired"])
def test_under_the_legacy_policy_a_code_lives_two_minutes(
    flows: Flows, emulator: Emulator, seconds: float, usable: bool
) -> None:
    assert flows.http.put("/_emulator/token-policy", json={"name": "legacy"}).status_code == 200
    code = flows.code()
    emulator.advance_clock(seconds)
    assert ("access_token" in flows.exchange(code)) is usable


def test_another_clients_code_is_invalid_code_for_it_and_stays_usable_for_its_owner(
    flows: Flows, emulator: Emulator
) -> None:
    code = flows.code()
    other = register(emulator, flows.app.redirect_uri, name="Other App")
    response = flows.http.post(
        "/oauth/v2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": other.client_id,
            "client_secret": other.client_secret,
            "code": code,
            "redirect_uri": flows.app.redirect_uri,
        },
    )
    assert response.json() == {"error": "invalid_code"}
    assert "access_token" in flows.exchange(code)


@pytest.mark.parametrize(
    "redirect_uri",
    [
        None,
        "",
        SECOND_REDIRECT_URI,
        "https://sync.zylker.example/oauth/callback/",
        "https://SYNC.zylker.example/oauth/callback",
        "https://sync.zylker.example/oauth/callback?x=1",
    ],
    ids=["missing", "empty", "another-registered-one", "trailing-slash", "host-case", "extra-query"],
)
def test_the_redirect_uri_must_be_exactly_the_authorize_time_one(flows: Flows, redirect_uri: str | None) -> None:
    code = flows.code()
    params = {"grant_type": "authorization_code", "code": code}
    if redirect_uri is not None:
        params["redirect_uri"] = redirect_uri
    assert flows.token(**params) == {"error": "invalid_redirect_uri"}


@pytest.mark.parametrize(
    ("method", "challenge", "verifier"),
    [
        ("S256", S256_CHALLENGE, None),
        ("S256", S256_CHALLENGE, VERIFIER[:-1] + "l"),
        ("S256", S256_CHALLENGE, S256_CHALLENGE),
        ("plain", VERIFIER, VERIFIER.upper()),
        ("plain", VERIFIER, "short"),
    ],
    ids=["s256-missing", "s256-wrong", "s256-challenge-as-verifier", "plain-wrong", "plain-malformed"],
)
def test_a_pkce_code_needs_the_matching_verifier(
    flows: Flows, method: str, challenge: str, verifier: str | None
) -> None:
    code = flows.code(code_challenge=challenge, code_challenge_method=method)
    extra = {"code_verifier": verifier} if verifier is not None else {}
    assert flows.exchange(code, **extra) == {"error": "invalid_code"}
    assert "access_token" in flows.exchange(code, code_verifier=VERIFIER)


def test_a_json_body_is_not_read(flows: Flows) -> None:
    code = flows.code()
    body = {
        "grant_type": "authorization_code",
        "client_id": flows.app.client_id,
        "client_secret": flows.app.client_secret,
        "code": code,
        "redirect_uri": flows.app.redirect_uri,
    }
    assert flows.http.post("/oauth/v2/token", json=body).json() == {"error": "invalid_client"}


# --- success ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "challenge"),
    [("S256", S256_CHALLENGE), ("plain", VERIFIER), (None, VERIFIER)],
    ids=["S256", "plain", "method-defaults-to-plain"],
)
def test_pkce_with_the_right_verifier_gives_tokens(flows: Flows, method: str | None, challenge: str) -> None:
    assert base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode() == S256_CHALLENGE
    code = flows.code(code_challenge=challenge, code_challenge_method=method)
    assert "access_token" in flows.exchange(code, code_verifier=VERIFIER)


def test_an_online_code_gives_an_access_token_only(flows: Flows) -> None:
    body = flows.exchange(flows.code())
    assert set(body) == {"access_token", "scope", "api_domain", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["api_domain"] == "http://testserver"
    assert body["scope"] == "ZohoCRM.modules.ALL ZohoCRM.settings.READ"
    assert flows.crm_status(body["access_token"]) == 200


def test_an_offline_code_also_gives_a_refresh_token_shaped_like_zohos(flows: Flows) -> None:
    body = flows.exchange(flows.code(access_type="offline"))
    assert set(body) == {"access_token", "refresh_token", "scope", "api_domain", "token_type", "expires_in"}
    assert "expires_in_sec" not in body
    for value in (body["access_token"], body["refresh_token"]):
        prefix, first, second = value.split(".")
        assert prefix == "1000"
        assert len(first) == len(second) == 32
        int(first + second, 16)
    assert body["access_token"] != body["refresh_token"]


def test_parameters_may_come_in_the_query_string(flows: Flows) -> None:
    code = flows.code()
    params = {
        "grant_type": "authorization_code",
        "client_id": flows.app.client_id,
        "client_secret": flows.app.client_secret,
        "code": code,
        "redirect_uri": flows.app.redirect_uri,
    }
    response = flows.http.post("/oauth/v2/token", params=params)
    assert "access_token" in response.json()


def test_the_reply_is_never_cached(flows: Flows) -> None:
    response = flows.http.post("/oauth/v2/token", data={"grant_type": "refresh_token"})
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"] == "application/json;charset=UTF-8"


def test_the_token_expires_after_an_hour_by_the_emulator_clock(flows: Flows, emulator: Emulator) -> None:
    access = flows.exchange(flows.code())["access_token"]
    emulator.advance_clock(3599.999)
    assert flows.crm_status(access) == 200
    emulator.advance_clock(0.001)
    response = flows.http.get("/crm/v8/settings/modules", headers={"Authorization": f"Zoho-oauthtoken {access}"})
    assert response.status_code == 401
    assert response.json()["code"] == "INVALID_TOKEN"
