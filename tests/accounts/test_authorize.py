"""``GET /oauth/v2/auth`` and its answer (REFERENCE §2.3): error pages first, then the redirects,
the page's CSRF protection, ``access_type``/``prompt`` and the grant-code limit."""

from __future__ import annotations

import pytest

from tests.support.accounts import SECOND_REDIRECT_URI, Flows, consent_token, redirect_of, user_ids
from tests.support.people import add_standard_user
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

# --- requests that get an error page, never a redirect ------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "title"),
    [
        ({"client_id": None}, "Invalid Client"),
        ({"client_id": "1000.DOESNOTEXIST0000000000000000000"}, "Invalid Client"),
        ({"redirect_uri": None}, "Invalid Redirect URI"),
        ({"redirect_uri": "https://evil.example/oauth/callback"}, "Invalid Redirect URI"),
        ({"redirect_uri": "https://sync.zylker.example/oauth/callback/"}, "Invalid Redirect URI"),
        ({"redirect_uri": "https://sync.zylker.example/oauth/callbacks"}, "Invalid Redirect URI"),
        ({"redirect_uri": "https://sync.zylker.example/oauth"}, "Invalid Redirect URI"),
        ({"redirect_uri": "HTTPS://sync.zylker.example/oauth/callback"}, "Invalid Redirect URI"),
        ({"redirect_uri": "http://localhost:8765/cb"}, "Invalid Redirect URI"),
        ({"response_type": None}, "Invalid Response Type"),
        ({"response_type": "token"}, "Invalid Response Type"),
        ({"scope": None}, "Invalid OAuth Scope"),
        ({"scope": "ZohoCRM.modules"}, "Invalid OAuth Scope"),
        ({"scope": "ZohoCRM.modules.ALL,ZohoCRM.nothing.READ"}, "Invalid OAuth Scope"),
        ({"scope": "ZohoCRM.users.leads.READ"}, "Invalid OAuth Scope"),
        ({"scope": "ZohoCRM.org.DELETE"}, "Invalid OAuth Scope"),
        ({"access_type": "forever"}, "Invalid Access Type"),
        ({"code_challenge": "a" * 43, "code_challenge_method": "S512"}, "Invalid Code Challenge"),
        ({"code_challenge": "too-short"}, "Invalid Code Challenge"),
        ({"code_challenge_method": "S256"}, "Invalid Code Challenge"),
    ],
)
def test_a_bad_request_is_an_html_error_page(flows: Flows, overrides: dict[str, str | None], title: str) -> None:
    response = flows.http.get("/oauth/v2/auth", params=flows.auth_params(**overrides), follow_redirects=False)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "location" not in response.headers
    assert f'<h1 id="error-title">{title}</h1>' in response.text
    assert "consent_token" not in response.text


def test_the_error_page_escapes_what_it_repeats(flows: Flows) -> None:
    response = flows.http.get("/oauth/v2/auth", params=flows.auth_params(scope="<script>alert(1)</script>.X.READ"))
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_a_self_client_has_no_redirect_uri_to_authorize_with(flows: Flows) -> None:
    app = flows.http.post("/_emulator/self-client", json={"scope": "ZohoCRM.org.READ"}).json()
    response = flows.http.get("/oauth/v2/auth", params=flows.auth_params(client_id=app["client_id"]))
    assert "Invalid Redirect URI" in response.text


# --- the page ------------------------------------------------------------------------------------


def test_the_page_lists_the_users_and_the_scopes_in_plain_words(flows: Flows, emulator: Emulator) -> None:
    add_standard_user(emulator, "rep@zylker.example")
    html = flows.open_consent(scope="ZohoCRM.modules.leads.READ,ZohoCRM.settings.custom_links.ALL,ZohoCRM.org.READ")
    assert "Zylker Sync would like to access your Zoho CRM data" in html
    assert "admin@zylker.example" in html and "rep@zylker.example" in html
    assert len(user_ids(html)) == 2
    for words in (
        "View Leads records",
        "Full access to the custom links settings",
        "View the details of your organization",
    ):
        assert words in html
    assert 'value="accept"' in html and 'value="deny"' in html


def test_the_page_is_not_cached_nor_framed(flows: Flows) -> None:
    response = flows.http.get("/oauth/v2/auth", params=flows.auth_params())
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "same-origin"


def test_offline_access_is_spelled_out(flows: Flows) -> None:
    assert "offline access" in flows.open_consent(access_type="offline")
    assert "offline access" not in flows.open_consent()


# --- the answer ----------------------------------------------------------------------------------


def test_accepting_redirects_with_state_code_location_and_accounts_server(flows: Flows) -> None:
    redirect = flows.authorize(state="abc 123/+")
    assert redirect.base == flows.app.redirect_uri
    assert list(redirect.params) == ["state", "code", "location", "accounts-server"]
    assert redirect.params["state"] == "abc 123/+"
    assert redirect.params["location"] == "us"
    assert redirect.params["accounts-server"] == "http://testserver"
    assert "accounts-server=http%3A%2F%2Ftestserver" in redirect.raw


def test_without_state_none_is_sent_back(flows: Flows) -> None:
    assert "state" not in flows.authorize(state=None).params


def test_a_registered_uri_with_a_query_keeps_it(flows: Flows) -> None:
    redirect = flows.authorize(redirect_uri=SECOND_REDIRECT_URI)
    assert redirect.raw.startswith(SECOND_REDIRECT_URI + "&state=")
    assert redirect.params["tenant"] == "7"
    assert "access_token" in flows.exchange(redirect.params["code"], redirect_uri=SECOND_REDIRECT_URI)


def test_denying_redirects_with_access_denied_and_the_state(flows: Flows) -> None:
    redirect = flows.authorize(decision="deny")
    assert redirect.base == flows.app.redirect_uri
    assert redirect.params == {"error": "access_denied", "state": "st-1"}


def test_the_code_is_for_the_user_who_signed_in(flows: Flows, emulator: Emulator) -> None:
    rep = add_standard_user(emulator, "rep@zylker.example")
    code = flows.authorize(user_id=rep, scope="ZohoCRM.users.READ").params["code"]
    token = flows.exchange(code)["access_token"]
    me = flows.http.get(
        "/crm/v8/users", params={"type": "CurrentUser"}, headers={"Authorization": f"Zoho-oauthtoken {token}"}
    )
    assert me.json()["users"][0]["email"] == "rep@zylker.example"


@pytest.mark.parametrize("user_id", ["", "123", "not-a-user"])
def test_an_unknown_user_is_refused_and_the_page_stays_answerable(flows: Flows, user_id: str) -> None:
    html = flows.open_consent()
    form = {"consent_token": consent_token(html), "decision": "accept", "user_id": user_id}
    response = flows.http.post("/oauth/v2/consent", data=form, follow_redirects=False)
    assert response.status_code == 400
    assert "Invalid User" in response.text
    assert "code" in flows.answer(html).params


def test_a_location_other_than_us_comes_from_the_dc_setting(db_url: str, tmp_path: object) -> None:
    from starlette.testclient import TestClient

    from tests.support.accounts import Flows as F
    from tests.support.accounts import FrozenClock, register
    from zcrm_emulator import create_app

    emu = Emulator(Settings(db_url=db_url, public_url="https://crm.local:9443/", dc="eu"), clock=FrozenClock())
    try:
        with TestClient(create_app(emulator=emu), base_url="http://any-host.example") as http:
            redirect = F(http, register(emu), emu).authorize()
        assert redirect.params["location"] == "eu"
        assert redirect.params["accounts-server"] == "https://crm.local:9443"
    finally:
        emu.close()


# --- the page's CSRF protection ---------------------------------------------------------------


def test_each_page_is_answered_once(flows: Flows) -> None:
    html = flows.open_consent()
    assert "code" in flows.answer(html).params
    form = {"consent_token": consent_token(html), "decision": "accept", "user_id": user_ids(html)[0]}
    response = flows.http.post("/oauth/v2/consent", data=form, follow_redirects=False)
    assert response.status_code == 400
    assert "Request Expired" in response.text


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_an_answer_without_the_pages_token_is_refused(flows: Flows, token: str | None) -> None:
    html = flows.open_consent()
    form = {"decision": "accept", "user_id": user_ids(html)[0]}
    if token is not None:
        form["consent_token"] = token
    response = flows.http.post("/oauth/v2/consent", data=form, follow_redirects=False)
    assert response.status_code == 400
    assert "location" not in response.headers


@pytest.mark.parametrize(("seconds", "answerable"), [(599.999, True), (600, False)])
def test_a_page_can_be_answered_for_ten_minutes(
    flows: Flows, emulator: Emulator, seconds: float, answerable: bool
) -> None:
    html = flows.open_consent()
    emulator.advance_clock(seconds)
    form = {"consent_token": consent_token(html), "decision": "accept", "user_id": user_ids(html)[0]}
    response = flows.http.post("/oauth/v2/consent", data=form, follow_redirects=False)
    assert response.status_code == (302 if answerable else 400)


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}],
    ids=["foreign-origin", "opaque-origin", "cross-site-fetch"],
)
def test_an_answer_posted_from_another_site_is_refused(flows: Flows, headers: dict[str, str]) -> None:
    html = flows.open_consent()
    form = {"consent_token": consent_token(html), "decision": "accept", "user_id": user_ids(html)[0]}
    response = flows.http.post("/oauth/v2/consent", data=form, headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert "location" not in response.headers


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("testserver", "http://testserver"),
        ("10.0.0.5:8000", "http://10.0.0.5:8000"),
        ("10.0.0.5:8000", "https://testserver"),
    ],
    ids=["same-host", "host-as-posted", "public-url-behind-a-proxy"],
)
def test_an_answer_from_the_servers_own_origin_is_taken(flows: Flows, host: str, origin: str) -> None:
    html = flows.open_consent()
    form = {"consent_token": consent_token(html), "decision": "accept", "user_id": user_ids(html)[0]}
    headers = {"Host": host, "Origin": origin, "Sec-Fetch-Site": "same-origin"}
    assert flows.http.post("/oauth/v2/consent", data=form, headers=headers, follow_redirects=False).status_code == 302


def test_the_form_cannot_change_what_was_asked(flows: Flows) -> None:
    html = flows.open_consent(scope="ZohoCRM.org.READ")
    form = {
        "consent_token": consent_token(html),
        "decision": "accept",
        "user_id": user_ids(html)[0],
        "scope": "ZohoCRM.modules.ALL",
        "redirect_uri": "https://evil.example/cb",
    }
    redirect = redirect_of(flows.http.post("/oauth/v2/consent", data=form, follow_redirects=False).headers["location"])
    assert redirect.base == flows.app.redirect_uri
    assert flows.exchange(redirect.params["code"])["scope"] == "ZohoCRM.org.READ"


# --- access_type and prompt ------------------------------------------------------------------


def test_offline_gives_a_refresh_token_on_first_consent_only(flows: Flows) -> None:
    assert "refresh_token" in flows.exchange(flows.code(access_type="offline"))
    assert "refresh_token" not in flows.exchange(flows.code(access_type="offline"))


def test_prompt_consent_gives_a_new_refresh_token_every_time(flows: Flows) -> None:
    first = flows.exchange(flows.code(access_type="offline"))["refresh_token"]
    second = flows.exchange(flows.code(access_type="offline", prompt="consent"))["refresh_token"]
    third = flows.exchange(flows.code(access_type="offline", prompt="consent"))["refresh_token"]
    assert len({first, second, third}) == 3
    assert all("access_token" in flows.refresh(token) for token in (first, second, third))


def test_first_consent_is_per_user(flows: Flows, emulator: Emulator) -> None:
    rep = add_standard_user(emulator, "rep@zylker.example")
    assert "refresh_token" in flows.exchange(flows.code(access_type="offline"))
    assert "refresh_token" in flows.exchange(flows.code(access_type="offline", user_id=rep))


def test_an_online_consent_counts_as_the_first_consent(flows: Flows) -> None:
    flows.exchange(flows.code())
    assert "refresh_token" not in flows.exchange(flows.code(access_type="offline"))


# --- grant codes per client: 10 per 10 minutes -------------------------------------------------


def test_the_tenth_code_in_ten_minutes_is_made_and_the_eleventh_denied(flows: Flows, emulator: Emulator) -> None:
    for _ in range(10):
        assert "code" in flows.authorize().params
    redirect = flows.authorize()
    assert redirect.params == {"error": "access_denied", "state": "st-1"}
    emulator.advance_clock(600)
    assert "code" in flows.authorize().params


def test_denied_answers_do_not_count_as_codes(flows: Flows) -> None:
    for _ in range(12):
        assert flows.authorize(decision="deny").params["error"] == "access_denied"
    assert "code" in flows.authorize().params
