"""The Connections pages over HTTP with an in-process client: who may open them (the control
plane's rule; with an admin key, the sign-in cookie), CSRF and Origin on every form, the forms'
refusals beside the fields, Create and Connect against a third-party provider on loopback with
``state`` bound to the browser, and Test connection against a receiver on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.connections import CONSOLE, csrf_of, seed
from tests.support.oauth_provider import Provider, oauth_provider
from tests.support.receiver import receiver
from zcrm_emulator import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator


@pytest.fixture
def provider() -> Iterator[Provider]:
    with oauth_provider() as running:
        yield running


def service_form(provider: Provider, **overrides: str) -> dict[str, str]:
    form = {
        "service_name": "Example CRM Sync",
        "service_link_name": "example_sync",
        "auth_type": "oauth2",
        "param_type": "header",
        "client_id": "provider-client",
        "client_secret": "provider-secret-value",
        "authorize_url": provider.authorize_url,
        "token_url": provider.token_url,
        "scopes": "contacts.read contacts.write",
        "scope_delimiter": "space",
    }
    form.update(overrides)
    return form


def create_service(client: TestClient, form: dict[str, str]) -> tuple[int, str]:
    page = client.get(f"{CONSOLE}/services/new")
    response = client.post(
        f"{CONSOLE}/services", data={"csrf_token": csrf_of(page.text), **form}, follow_redirects=False
    )
    return response.status_code, response.headers.get("location") or response.text


def start_connection(client: TestClient, service: str, link_name: str, **fields: str) -> tuple[int, str]:
    page = client.get(f"{CONSOLE}/new", params={"service": service})
    data = {
        "csrf_token": csrf_of(page.text),
        "service_link_name": service,
        "connection_name": "Sync",
        "connection_link_name": link_name,
        **fields,
    }
    response = client.post(CONSOLE, data=data, follow_redirects=False)
    return response.status_code, response.headers.get("location") or response.text


def approve_at_provider(client: TestClient, authorize_url: str, decision: str = "approve") -> str:
    """What the person's click at the provider does: its redirect back to the emulator's callback."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    decided = httpx.get(
        authorize_url.split("/authorize")[0] + "/decide",
        params={"redirect_uri": query["redirect_uri"], "state": query["state"], "decision": decision},
    )
    assert decided.status_code == 302
    return str(decided.headers["location"])


def test_the_list_shows_the_ready_made_zoho_crm_service(client: TestClient) -> None:
    page = client.get(CONSOLE)
    assert page.status_code == 200
    assert 'data-service="zohocrm"' in page.text
    assert "No connections yet." in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "zcrm_console_csrf=" in page.headers["set-cookie"]


@pytest.mark.usefixtures("both_backends")
def test_create_and_connect_runs_the_authorization_code_flow(client: TestClient, provider: Provider) -> None:
    assert create_service(client, service_form(provider)) == (302, f"{CONSOLE}/new?service=example_sync")
    status, authorize = start_connection(client, "example_sync", "sync_main", scopes="contacts.read contacts.write")
    assert status == 302 and authorize.startswith(provider.authorize_url + "?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert query["redirect_uri"] == "http://testserver/console/connections/callback"
    assert query["client_id"] == "provider-client" and query["response_type"] == "code"
    assert "scope=contacts.read%20contacts.write" in authorize
    assert client.get(f"{CONSOLE}/sync_main").text.count("Not connected") == 1

    callback = approve_at_provider(client, authorize)
    done = client.get(callback, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (302, f"{CONSOLE}/sync_main?connected=1")
    assert provider.token_requests[0]["grant_type"] == "authorization_code"
    assert provider.token_requests[0]["redirect_uri"] == "http://testserver/console/connections/callback"
    page = client.get(done.headers["location"])
    assert 'id="status" class="status-connected">Connected' in page.text
    assert "at-1" not in page.text  # no token is shown

    again = client.get(callback, follow_redirects=False)  # a state works once
    assert again.status_code == 400


def test_a_callback_from_another_browser_is_refused(client: TestClient, provider: Provider) -> None:
    create_service(client, service_form(provider))
    _, authorize = start_connection(client, "example_sync", "sync_main")
    callback = approve_at_provider(client, authorize)
    client.cookies.delete("zcrm_connection_state", path="/console/connections/callback")
    refused = client.get(callback, follow_redirects=False)
    assert refused.status_code == 400 and "not started in this browser" in refused.text
    assert provider.token_requests == []


@pytest.mark.usefixtures("both_backends")
def test_a_late_or_denied_authorization_leaves_the_connection_unconnected(
    client: TestClient, provider: Provider
) -> None:
    create_service(client, service_form(provider))
    _, authorize = start_connection(client, "example_sync", "late")
    callback = approve_at_provider(client, authorize)
    client.post("/_emulator/clock/advance", json={"seconds": 601})
    late = client.get(callback, follow_redirects=False)
    assert late.status_code == 400 and "took too long" in late.text

    page = client.get(f"{CONSOLE}/late")
    reconnect = client.post(f"{CONSOLE}/late/connect", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    denied = client.get(approve_at_provider(client, reconnect.headers["location"], "deny"), follow_redirects=False)
    assert denied.status_code == 400 and "access_denied" in denied.text
    assert provider.token_requests == []
    assert client.get("/_emulator/connections/late").json()["connection"]["status"] == "not_connected"


@pytest.mark.parametrize(
    "overrides, problem",
    [
        ({"service_link_name": "Example"}, "Service Link Name must start with a lower-case letter"),
        ({"service_name": "x" * 51}, "Service Name can be at most 50 characters long."),
        ({"authorize_url": ""}, "Authorize URL is required."),
        ({"token_url": "ftp://x"}, "Access Token URL must be an http:// or https:// address."),
        ({"param_type": "form"}, "Param Type must be one of: Header, Query String."),
        ({"auth_type": "api_key", "api_key_params": ""}, "API Key Parameters is required."),
    ],
)
def test_the_service_form_says_what_is_wrong(
    client: TestClient, provider: Provider, overrides: dict[str, str], problem: str
) -> None:
    status, page = create_service(client, service_form(provider, **overrides))
    assert status == 400
    assert problem in page
    assert client.get("/_emulator/connections").json()["services"] == []


def test_a_taken_link_name_is_said_so(client: TestClient, provider: Provider) -> None:
    create_service(client, service_form(provider))
    status, page = create_service(client, service_form(provider))
    assert (status, "Service Link Name is already in use." in page) == (400, True)
    assert create_service(client, service_form(provider, service_link_name="zohocrm"))[0] == 400


def test_forms_need_the_csrf_token_and_this_servers_origin(client: TestClient, provider: Provider) -> None:
    form = service_form(provider)
    missing = client.post(f"{CONSOLE}/services", data=form)
    assert missing.status_code == 403
    page = client.get(f"{CONSOLE}/services/new")
    foreign = client.post(
        f"{CONSOLE}/services",
        data={"csrf_token": csrf_of(page.text), **form},
        headers={"Origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    other_browser = TestClient(client.app, base_url="http://testserver")
    stolen = other_browser.post(f"{CONSOLE}/services", data={"csrf_token": csrf_of(page.text), **form})
    assert stolen.status_code == 403
    assert client.get("/_emulator/connections").json()["services"] == []


def test_api_key_and_basic_connections_connect_from_the_form(client: TestClient) -> None:
    status, _ = create_service(
        client,
        {
            "service_name": "Keys",
            "service_link_name": "keys",
            "auth_type": "api_key",
            "param_type": "query",
            "api_key_params": "apikey | API Key",
        },
    )
    assert status == 302
    form = client.get(f"{CONSOLE}/new", params={"service": "keys"})
    assert "API Key</label>" in form.text
    assert start_connection(client, "keys", "keyed", **{"param.apikey": "k-123"}) == (302, f"{CONSOLE}/keyed")
    assert client.get("/_emulator/connections/keyed").json()["connection"]["status"] == "connected"
    status, page = start_connection(client, "keys", "empty", **{"param.apikey": ""})
    assert status == 400 and "API Key is required." in page


def test_test_connection_sends_the_credential_to_the_typed_url_only(client: TestClient) -> None:
    seed(
        client,
        link_name="keyed",
        service_link_name="keys",
        auth_type="api_key",
        param_type="query",
        credentials={"apikey": "k-123456789"},
    )
    page = client.get(f"{CONSOLE}/keyed")
    with receiver() as target:
        target.answer = b'{"pong": true}'
        tested = client.post(
            f"{CONSOLE}/keyed/test",
            data={
                "csrf_token": csrf_of(page.text),
                "method": "POST",
                "url": target.url + "ping?x=1",
                "body": '{"a": 1}',
            },
        )
        (received,) = target.wait_for(1)
    assert tested.status_code == 200
    assert (received.method, received.query) == ("POST", {"x": ["1"], "apikey": ["k-123456789"]})
    assert received.body == b'{"a": 1}' and received.header("Content-Type") == "application/json"
    assert 'id="result-status">200<' in tested.text and "{&#34;pong&#34;: true}" in tested.text
    assert "k-123456789" not in tested.text  # shown shortened


def test_test_connection_follows_no_redirect_and_reports_failures(client: TestClient) -> None:
    seed(
        client, link_name="b", service_link_name="s", auth_type="basic", credentials={"username": "u", "password": "p"}
    )
    page = client.get(f"{CONSOLE}/b")
    token = csrf_of(page.text)
    with receiver() as target:
        target.status = 404
        tested = client.post(f"{CONSOLE}/b/test", data={"csrf_token": token, "method": "GET", "url": target.url})
        assert 'id="result-status">404<' in tested.text
        assert target.wait_for(1)[0].header("Authorization") == "Basic dTpw"
    bad = client.post(f"{CONSOLE}/b/test", data={"csrf_token": token, "method": "GET", "url": "not a url"})
    assert bad.status_code == 400 and "full http:// or https:// address" in bad.text


def test_the_strict_outbound_policy_refuses_a_loopback_test(db_url: str) -> None:
    emulator = Emulator(Settings(db_url=db_url, public_url="http://testserver", outbound="strict"))
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as http, receiver() as target:
        seed(
            http,
            link_name="b",
            service_link_name="s",
            auth_type="basic",
            credentials={"username": "u", "password": "p"},
        )
        page = http.get(f"{CONSOLE}/b")
        tested = http.post(
            f"{CONSOLE}/b/test", data={"csrf_token": csrf_of(page.text), "method": "GET", "url": target.url}
        )
        assert "outbound policy forbids" in tested.text
        assert target.received == []


def test_delete_removes_the_connection(client: TestClient) -> None:
    seed(client, link_name="gone", service_link_name="s", auth_type="basic")
    page = client.get(f"{CONSOLE}/gone")
    deleted = client.post(f"{CONSOLE}/gone/delete", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert (deleted.status_code, deleted.headers["location"]) == (302, CONSOLE)
    assert client.get(f"{CONSOLE}/gone").status_code == 404


def test_unknown_pages_and_methods_answer_html(client: TestClient) -> None:
    assert client.get(f"{CONSOLE}/new", params={"service": "nope"}).status_code == 404
    wrong = client.put(CONSOLE)
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "GET, POST")
    assert wrong.headers["content-type"].startswith("text/html")


def test_a_foreign_host_is_refused(client: TestClient) -> None:
    assert client.get(CONSOLE, headers={"Host": "evil.example"}).status_code == 403


def test_with_an_admin_key_the_browser_signs_in_once(db_url: str) -> None:
    emulator = Emulator(Settings(db_url=db_url, public_url="http://testserver", admin_key="k3y"))
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as http:
        assert http.get(CONSOLE).status_code == 401
        assert http.get(CONSOLE, headers={"X-Emulator-Admin-Key": "k3y"}).status_code == 200
        sign_in = http.get("/console/sign-in")
        wrong = http.post("/console/sign-in", data={"csrf_token": csrf_of(sign_in.text), "admin_key": "guess"})
        assert wrong.status_code == 401
        right = http.post(
            "/console/sign-in", data={"csrf_token": csrf_of(sign_in.text), "admin_key": "k3y"}, follow_redirects=False
        )
        assert right.status_code == 302 and "k3y" not in right.headers["set-cookie"]
        assert right.headers["location"].endswith("/console")
        assert http.get(CONSOLE).status_code == 200
