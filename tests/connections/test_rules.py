"""Connections' rules without HTTP or a database: what a service may hold, where a credential goes
per auth type and param type, and the authorization URL's scopes per delimiter."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from zcrm_emulator.connections import Credential, rules
from zcrm_emulator.errors import ZohoError


def nothing_taken(key: str, value: Any) -> bool:
    return False


def service(**overrides: Any) -> dict[str, Any]:
    item = {
        "service_name": "Mailchimp",
        "service_link_name": "mailchimp",
        "auth_type": "oauth2",
        "client_id": "id",
        "client_secret": "secret",
        "authorize_url": "https://login.example/authorize",
        "token_url": "https://login.example/token",
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def refusal(item: dict[str, Any], **options: Any) -> ZohoError:
    with pytest.raises(ZohoError) as raised:
        rules.check_service(item, "$", nothing_taken, **options)
    return raised.value


@pytest.mark.parametrize("name, ok", [("x" * 50, True), ("x" * 51, False), ("", False)])
def test_a_service_name_is_at_most_fifty_characters(name: str, ok: bool) -> None:
    if ok:
        assert rules.check_service(service(service_name=name), "$", nothing_taken)[0]["service_name"] == name
    else:
        assert refusal(service(service_name=name)).details["api_name"] == "service_name"


@pytest.mark.parametrize(
    "link_name, ok",
    [
        ("mailchimp_2", True),
        ("m", True),
        ("m" * 50, True),
        ("m" * 51, False),
        ("Mailchimp", False),
        ("2mailchimp", False),
        ("_mailchimp", False),
        ("mail-chimp", False),
        ("mail chimp", False),
    ],
)
def test_a_link_name_starts_with_a_lower_case_letter(link_name: str, ok: bool) -> None:
    if ok:
        data, _ = rules.check_service(service(service_link_name=link_name), "$", nothing_taken)
        assert data["service_link_name"] == link_name
    else:
        error = refusal(service(service_link_name=link_name))
        assert (error.code, error.details["api_name"]) == ("INVALID_DATA", "service_link_name")


def test_a_taken_link_name_is_duplicate_data() -> None:
    with pytest.raises(ZohoError) as raised:
        rules.check_service(service(), "$", lambda key, value: value == "mailchimp")
    assert (raised.value.code, raised.value.details["api_name"]) == ("DUPLICATE_DATA", "service_link_name")


def test_the_client_secret_is_kept_apart_and_defaults_are_filled() -> None:
    data, secrets = rules.check_service(service(scopes=["a", "b"]), "$", nothing_taken)
    assert secrets == {"client_secret": "secret"}
    assert "client_secret" not in data
    assert data["refresh_url"] == data["token_url"]
    assert (data["param_type"], data["scope_delimiter"], data["scopes"]) == ("header", "comma", ["a", "b"])


@pytest.mark.parametrize(
    "auth_type, param_type, ok",
    [
        ("oauth2", "header", True),
        ("oauth2", "query", True),
        ("oauth2", "form", False),
        ("api_key", "form", True),
        ("basic", "query", False),
    ],
)
def test_param_types_per_auth_type(auth_type: str, param_type: str, ok: bool) -> None:
    item = service(auth_type=auth_type, param_type=param_type, api_key_params=[{"key": "apikey"}])
    if ok:
        assert rules.check_service(item, "$", nothing_taken)[0]["param_type"] == param_type
    else:
        assert refusal(item).details["api_name"] == "param_type"


def test_oauth2_needs_a_token_url_and_the_console_needs_the_whole_client() -> None:
    assert refusal(service(token_url=None)).code == "DEPENDENT_FIELD_MISSING"
    seeded, _ = rules.check_service(service(client_id=None, authorize_url=None), "$", nothing_taken)
    assert seeded["authorize_url"] is None
    error = refusal(service(authorize_url=None), interactive=True)
    assert (error.code, error.details["api_name"]) == ("DEPENDENT_FIELD_MISSING", "authorize_url")


def test_api_key_parameters_are_required_and_unique() -> None:
    assert refusal(service(auth_type="api_key")).details["api_name"] == "api_key_params"
    twice = service(auth_type="api_key", api_key_params=[{"key": "apikey"}, {"key": "ApiKey"}])
    assert refusal(twice).code == "DUPLICATE_DATA"
    data, _ = rules.check_service(service(auth_type="api_key", api_key_params=[{"key": "k"}]), "$", nothing_taken)
    assert data["api_key_params"] == [{"key": "k", "display_name": "k"}]
    assert "token_url" not in data


def test_an_unknown_auth_type_names_the_supported_ones() -> None:
    error = refusal(service(auth_type="oauth1"))
    assert error.details["supported_values"] == ["oauth2", "api_key", "basic"]


def test_basic_credentials_refuse_a_colon_in_the_user_name() -> None:
    basic = {"auth_type": "basic"}
    with pytest.raises(ZohoError):
        rules.check_credentials(basic, {"username": "a:b", "password": "p"}, "$")
    with pytest.raises(ZohoError):
        rules.check_credentials(basic, {"username": "a", "password": ""}, "$")
    assert rules.check_credentials(basic, {"username": "a", "password": "p"}, "$") == {"username": "a", "password": "p"}


def test_connection_link_names_exclude_the_console_page_names() -> None:
    oauth = {"auth_type": "oauth2", "scopes": ["s"]}
    item = {"connection_link_name": "new", "service_link_name": "x"}
    with pytest.raises(ZohoError):
        rules.check_connection(item, "$", nothing_taken, oauth)
    data = rules.check_connection({**item, "connection_link_name": "newer"}, "$", nothing_taken, oauth)
    assert data == {"connection_name": "newer", "connection_link_name": "newer", "scopes": ["s"]}


# --- where the credential goes --------------------------------------------------------------------

API_KEY_SERVICE = {"auth_type": "api_key", "api_key_params": [{"key": "apikey"}, {"key": "account"}]}


@pytest.mark.parametrize(
    "param_type, expected",
    [
        ("header", Credential(headers=[("apikey", "K"), ("account", "7")])),
        ("query", Credential(query=[("apikey", "K"), ("account", "7")])),
        ("form", Credential(form=[("apikey", "K"), ("account", "7")])),
    ],
)
def test_api_key_parameters_go_where_the_param_type_says(param_type: str, expected: Credential) -> None:
    secrets = {"params": {"apikey": "K", "account": "7"}}
    assert rules.credential({**API_KEY_SERVICE, "param_type": param_type}, secrets) == expected


def test_basic_is_a_base64_authorization_header() -> None:
    found = rules.credential({"auth_type": "basic", "param_type": "header"}, {"username": "zé", "password": "p:w"})
    assert found.headers == [("Authorization", "Basic " + base64.b64encode("zé:p:w".encode()).decode())]


@pytest.mark.parametrize(
    "service_data, expected",
    [
        ({"builtin": True, "param_type": "header"}, Credential(headers=[("Authorization", "Zoho-oauthtoken T")])),
        ({"param_type": "header"}, Credential(headers=[("Authorization", "Bearer T")])),
        ({"param_type": "query"}, Credential(query=[("access_token", "T")])),
    ],
)
def test_oauth2_tokens_go_in_the_scheme_of_their_service(service_data: dict[str, Any], expected: Credential) -> None:
    assert rules.credential({"auth_type": "oauth2", **service_data}, {"access_token": "T"}) == expected


# --- the authorization URL --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "delimiter, wire", [("comma", "a.read,b%2Fwrite"), ("space", "a.read%20b%2Fwrite"), ("plus", "a.read+b%2Fwrite")]
)
def test_scopes_are_joined_by_the_chosen_delimiter(delimiter: str, wire: str) -> None:
    assert rules.scope_parameter(["a.read", "b/write"], delimiter) == wire


def test_the_authorization_url_keeps_the_service_query_and_adds_the_flow() -> None:
    data = {"authorize_url": "https://p.example/auth?tenant=1", "client_id": "c i", "scope_delimiter": "space"}
    url = rules.authorization_url(data, ["x", "y"], "http://127.0.0.1:8000/console/connections/callback", "s.1")
    assert url == (
        "https://p.example/auth?tenant=1&response_type=code&client_id=c%20i"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fconsole%2Fconnections%2Fcallback&state=s.1&scope=x%20y"
    )
    zoho = rules.authorization_url({**data, "builtin": True}, [], "http://h/cb", "s")
    assert "access_type=offline&prompt=consent" in zoho and "scope=" not in zoho


def test_a_reply_without_a_refresh_token_keeps_the_one_held() -> None:
    assert rules.token_secrets({"access_token": "new"}, {"refresh_token": "r"}) == {
        "access_token": "new",
        "refresh_token": "r",
    }
    assert rules.token_secrets({"error": "invalid_code"}, {}) is None


def test_expiry_is_on_the_clock_given() -> None:
    assert rules.expires_ms(1_000, 60) == 61_000
    assert rules.expires_ms(1_000, "junk") == 1_000 + rules.DEFAULT_EXPIRES_IN * 1000
    assert rules.expired({"expires_ms": 61_000}, 61_000)
    assert not rules.expired({"expires_ms": 61_000}, 60_999)
    assert not rules.expired({}, 10**15)
