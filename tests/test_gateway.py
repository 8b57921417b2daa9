"""Every gateway error, in the order a request meets them, plus the wire rules all routes share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.gateway import CrmGateway
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply


async def echo(call: Call) -> Response:
    return reply({"echo": call.json(), "version": call.version, "params": call.params})


async def empty(call: Call) -> Response:
    return no_content()


async def broken(call: Call) -> Response:
    raise RuntimeError("secret internals")


async def refuses(call: Call) -> Response:
    raise ZohoError("INVALID_MODULE", {"resource_path_index": 0})


TEST_ENDPOINTS = [
    Endpoint("POST", "/things", echo, "ZohoCRM.settings.things"),
    Endpoint("GET", "/things", empty, "ZohoCRM.settings.things"),
    Endpoint("GET", "/things/new", echo, "ZohoCRM.settings.things", since="v6"),
    Endpoint("GET", "/things/broken", broken, "ZohoCRM.settings.things"),
    Endpoint("GET", "/things/refuses", refuses, "ZohoCRM.settings.things"),
    Endpoint("POST", "/admin-only", echo, "ZohoCRM.settings.things", permission="Crm_Implied_Customize_Zoho_CRM"),
]


@pytest.fixture
def gateway_client(emulator: Emulator) -> Iterator[TestClient]:
    app = Starlette(routes=[Route("/crm/{version}/{rest:path}", CrmGateway(emulator, TEST_ENDPOINTS))])
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def header(token: str) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {token}"}


def assert_error(response, status: int, code: str, details: dict | None = None) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["status"] == "error"
    assert isinstance(body["message"], str) and body["message"]
    assert body["details"] == (details if details is not None else body["details"])


def test_an_unknown_path_is_invalid_url_pattern_404(gateway_client: TestClient, make_token: TokenFactory) -> None:
    response = gateway_client.get("/crm/v8/nothing/here", headers=header(make_token()))
    assert_error(response, 404, "INVALID_URL_PATTERN", {})


def test_an_unknown_version_is_invalid_url_pattern_404(gateway_client: TestClient, make_token: TokenFactory) -> None:
    assert_error(gateway_client.get("/crm/v9/things", headers=header(make_token())), 404, "INVALID_URL_PATTERN")


def test_a_known_path_with_the_wrong_method_is_invalid_request_method_400(
    gateway_client: TestClient, make_token: TokenFactory
) -> None:
    response = gateway_client.delete("/crm/v8/things", headers=header(make_token()))
    assert_error(response, 400, "INVALID_REQUEST_METHOD", {"resource_path_index": 0})


@pytest.mark.parametrize("value", [None, "", "Bearer abc", "Zoho-oauthtoken", "Zoho-oauthtoken   "])
def test_a_missing_or_malformed_authorization_is_authentication_failure_401(
    gateway_client: TestClient, value: str | None
) -> None:
    headers = {} if value is None else {"Authorization": value}
    assert_error(gateway_client.get("/crm/v8/things", headers=headers), 401, "AUTHENTICATION_FAILURE")


def test_an_unknown_token_is_invalid_token_401(gateway_client: TestClient) -> None:
    response = gateway_client.get("/crm/v8/things", headers=header("1000.deadbeef.cafe"))
    assert_error(response, 401, "INVALID_TOKEN", {})
    assert response.json()["message"] == "invalid oauth token"


def test_an_expired_token_is_invalid_token_401(
    gateway_client: TestClient, make_token: TokenFactory, emulator: Emulator
) -> None:
    token = make_token()
    emulator.advance_clock(3599)
    assert gateway_client.get("/crm/v8/things", headers=header(token)).status_code == 204
    emulator.advance_clock(1)
    assert_error(gateway_client.get("/crm/v8/things", headers=header(token)), 401, "INVALID_TOKEN")


def test_the_scheme_word_is_case_insensitive(gateway_client: TestClient, make_token: TokenFactory) -> None:
    response = gateway_client.get("/crm/v8/things", headers={"Authorization": f"zoho-oauthtoken {make_token()}"})
    assert response.status_code == 204


@pytest.mark.parametrize(
    ("granted", "allowed"),
    [
        (["ZohoCRM.settings.ALL"], True),
        (["ZohoCRM.settings.things.ALL"], True),
        (["ZohoCRM.settings.things.CREATE"], True),
        (["ZohoCRM.settings.things.READ"], False),
        (["ZohoCRM.modules.ALL"], False),
        (["ZohoCRM.settings.other.ALL", "ZohoCRM.settings.things.create"], True),
    ],
)
def test_scopes_must_cover_the_call_else_oauth_scope_mismatch_401(
    gateway_client: TestClient, make_token: TokenFactory, granted: list[str], allowed: bool
) -> None:
    response = gateway_client.post("/crm/v8/things", headers=header(make_token(granted)), content=b"{}")
    if allowed:
        assert response.status_code == 200
    else:
        assert_error(response, 401, "OAUTH_SCOPE_MISMATCH", {})


def test_a_resource_missing_in_an_older_version_is_api_not_supported(
    gateway_client: TestClient, make_token: TokenFactory
) -> None:
    response = gateway_client.get("/crm/v5/things/new", headers=header(make_token()))
    assert_error(response, 400, "API_NOT_SUPPORTED", {"supported_version": 6})
    assert gateway_client.get("/crm/v6/things/new", headers=header(make_token())).status_code == 400  # no body
    assert gateway_client.get("/crm/v2.1/things", headers=header(make_token())).status_code == 204


def test_an_unexpected_exception_is_the_internal_error_envelope_without_internals(
    gateway_client: TestClient, make_token: TokenFactory, caplog: pytest.LogCaptureFixture
) -> None:
    response = gateway_client.get("/crm/v8/things/broken", headers=header(make_token()))
    assert_error(response, 500, "INTERNAL_ERROR", {})
    assert "secret internals" not in response.text
    assert "secret internals" in caplog.text


def test_domain_errors_raised_by_handlers_render_as_bare_envelopes(
    gateway_client: TestClient, make_token: TokenFactory
) -> None:
    response = gateway_client.get("/crm/v8/things/refuses", headers=header(make_token()))
    assert_error(response, 400, "INVALID_MODULE", {"resource_path_index": 0})


@pytest.mark.parametrize("body", [b"", b"[1,2]", b"not json", b'"text"', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_invalid_data(
    gateway_client: TestClient, make_token: TokenFactory, body: bytes
) -> None:
    response = gateway_client.post("/crm/v8/things", headers=header(make_token()), content=body)
    assert_error(response, 400, "INVALID_DATA", {"expected_data_type": "jsonobject"})


def test_bodies_are_json_whatever_the_content_type_and_big_ids_stay_exact(
    gateway_client: TestClient, make_token: TokenFactory
) -> None:
    body = b'{"profiles":[{"id":5725767000000001001}],"big":123456789012345678901}'
    for content_type in (None, "text/plain", "application/x-www-form-urlencoded"):
        headers = header(make_token()) | ({"Content-Type": content_type} if content_type else {})
        response = gateway_client.post("/crm/v8/things", headers=headers, content=body)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json;charset=UTF-8"
        assert b"5725767000000001001" in response.content
        assert response.json()["echo"]["profiles"][0]["id"] == 5725767000000001001


def test_empty_results_are_204_without_body_or_content_type(
    gateway_client: TestClient, make_token: TokenFactory
) -> None:
    response = gateway_client.get("/crm/v8/things", headers=header(make_token()))
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


def test_a_profile_without_the_permission_gets_no_permission_403(
    gateway_client: TestClient, make_token: TokenFactory, emulator: Emulator
) -> None:
    from tests.support.people import add_standard_user

    user_id = add_standard_user(emulator)
    response = gateway_client.post("/crm/v8/admin-only", headers=header(make_token(user_id=user_id)), content=b"{}")
    assert_error(response, 403, "NO_PERMISSION", {"permissions": ["Crm_Implied_Customize_Zoho_CRM"]})
    admin = gateway_client.post("/crm/v8/admin-only", headers=header(make_token()), content=b"{}")
    assert admin.status_code == 200
