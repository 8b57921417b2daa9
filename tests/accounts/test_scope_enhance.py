"""Incremental authorization (REFERENCE §2.8): ``POST /oauth/v2/token/scopeenhance`` then
``GET /oauth/v2/token/addextrascope``. Errors first, then the refresh token gaining scopes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.accounts import Flows, consent_token, redirect_of, register
from zcrm_emulator.emulator import Emulator

EXTRA = "ZohoCRM.users.READ"


def enhance(flows: Flows, refresh_token: str, **overrides: str) -> dict[str, Any]:
    form = {
        "grant_type": "update_scopes_token",
        "client_id": flows.app.client_id,
        "client_secret": flows.app.client_secret,
        "refresh_token": refresh_token,
        **overrides,
    }
    response = flows.http.post("/oauth/v2/token/scopeenhance", data=form)
    assert response.status_code == 200
    return response.json()


def extra_scope_page(flows: Flows, token: str, **overrides: str) -> Any:
    params = {
        "client_id": flows.app.client_id,
        "response_type": "update_scopes",
        "redirect_uri": flows.app.redirect_uri,
        "scope": EXTRA,
        "enhance_token": token,
        **overrides,
    }
    return flows.http.get("/oauth/v2/token/addextrascope", params=params)


def answer(flows: Flows, html: str, decision: str = "accept") -> Any:
    form = {"consent_token": consent_token(html), "decision": decision}
    return flows.http.post("/oauth/v2/consent", data=form, follow_redirects=False)


# --- step 1: the enhance token ------------------------------------------------------------------


def test_an_unknown_refresh_token_is_invalid_code(flows: Flows) -> None:
    assert enhance(flows, "1000.00.00") == {"error": "invalid_code"}


def test_another_clients_refresh_token_is_invalid_code(flows: Flows, emulator: Emulator) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    other = register(emulator, name="Other App")
    body = enhance(flows, refresh, client_id=other.client_id, client_secret=other.client_secret)
    assert body == {"error": "invalid_code"}


@pytest.mark.parametrize("grant_type", ["refresh_token", "authorization_code", ""])
def test_only_update_scopes_token_is_taken_there(flows: Flows, grant_type: str) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    assert enhance(flows, refresh, grant_type=grant_type) == {"error": "invalid_client"}


def test_update_scopes_token_is_not_taken_at_the_token_endpoint(flows: Flows) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    assert flows.token(grant_type="update_scopes_token", refresh_token=refresh) == {"error": "invalid_client"}


def test_the_enhance_token_reply(flows: Flows) -> None:
    body = enhance(flows, flows.offline_tokens()["refresh_token"])
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "update_scope"
    assert body["expires_in"] == 600
    assert flows.crm_status(body["access_token"]) == 401  # not an API token


# --- step 2: the consent page ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "title"),
    [
        ({"client_id": "1000.UNKNOWN"}, "Invalid Client"),
        ({"redirect_uri": "https://evil.example/cb"}, "Invalid Redirect URI"),
        ({"response_type": "code"}, "Invalid Response Type"),
        ({"scope": "ZohoCRM.nothing.READ"}, "Invalid OAuth Scope"),
        ({"enhance_token": "1000.aa.bb"}, "Invalid Enhance Token"),
    ],
)
def test_a_bad_request_is_an_error_page_not_a_redirect(flows: Flows, overrides: dict[str, str], title: str) -> None:
    token = enhance(flows, flows.offline_tokens()["refresh_token"])["access_token"]
    response = extra_scope_page(flows, token, **overrides)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert title in response.text


def test_an_enhance_token_lives_ten_minutes(flows: Flows, emulator: Emulator) -> None:
    token = enhance(flows, flows.offline_tokens()["refresh_token"])["access_token"]
    emulator.advance_clock(599.999)
    assert extra_scope_page(flows, token).status_code == 200
    emulator.advance_clock(0.001)
    assert "Invalid Enhance Token" in extra_scope_page(flows, token).text


def test_an_enhance_token_of_a_revoked_refresh_token_is_refused(flows: Flows) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    token = enhance(flows, refresh)["access_token"]
    flows.http.post("/oauth/v2/token/revoke", data={"token": refresh})
    assert "Invalid Enhance Token" in extra_scope_page(flows, token).text


def test_denying_redirects_with_access_denied_and_adds_nothing(flows: Flows) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    page = extra_scope_page(flows, enhance(flows, refresh)["access_token"], state="s9")
    redirect = redirect_of(answer(flows, page.text, "deny").headers["location"])
    assert redirect.params == {"error": "access_denied", "state": "s9"}
    assert EXTRA not in flows.refresh(refresh)["scope"].split()


def test_accepting_adds_the_scopes_to_the_existing_refresh_token(flows: Flows) -> None:
    tokens = flows.offline_tokens()
    before = tokens["access_token"]
    assert flows.crm_status(before, "/crm/v8/users") == 401
    page = extra_scope_page(flows, enhance(flows, tokens["refresh_token"])["access_token"])
    assert page.status_code == 200
    assert "View the users of your organization" in page.text
    assert "admin@zylker.example" in page.text  # whose grant it is: no choice of user here
    redirect = redirect_of(answer(flows, page.text).headers["location"])
    assert (redirect.base, redirect.params) == (flows.app.redirect_uri, {"status": "success"})
    after = flows.refresh(tokens["refresh_token"])
    assert after["scope"].split() == ["ZohoCRM.modules.ALL", "ZohoCRM.settings.READ", EXTRA]
    assert "refresh_token" not in after
    assert flows.crm_status(after["access_token"], "/crm/v8/users") == 200
    assert flows.crm_status(before, "/crm/v8/users") == 401  # tokens minted before keep their scopes


def test_an_enhance_token_is_spent_once(flows: Flows) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    token = enhance(flows, refresh)["access_token"]
    first = extra_scope_page(flows, token)
    second = extra_scope_page(flows, token)
    assert answer(flows, first.text).status_code == 302
    response = answer(flows, second.text)
    assert response.status_code == 400
    assert "Invalid Enhance Token" in response.text
