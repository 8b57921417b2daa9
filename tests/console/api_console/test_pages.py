"""The API console over HTTP: Server-based clients created (secret shown once) and deleted, and the
Self Client's Generate Code, whose code and secret the token endpoint takes."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from tests.support.connections import csrf_of
from zcrm_emulator.console.api_console.forms import chosen_scopes

BASE = "/console/api"


def submit(client: TestClient, path: str, **form: str) -> tuple[int, str]:
    token = csrf_of(client.get(BASE).text)
    answer = client.post(path, data={"csrf_token": token, **form}, follow_redirects=False)
    return answer.status_code, answer.text


def shown(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert found is not None, f"no #{element_id} in the page"
    return found.group(1)


def client_form(**overrides: str) -> dict[str, str]:
    form = {
        "client_name": "Sync App",
        "homepage_url": "https://sync.example",
        "redirect_uris": "https://sync.example/callback\r\nhttp://localhost:8080/cb\r\n",
    }
    return {**form, **overrides}


def test_a_server_based_client_is_created_with_its_secret_shown_once(client: TestClient) -> None:
    status, page = submit(client, f"{BASE}/clients", **client_form())
    assert status == 200
    client_id, secret = shown(page, "created-client-id"), shown(page, "created-client-secret")
    (listed,) = client.get("/_emulator/clients").json()["clients"]
    assert listed["client_id"] == client_id and listed["client_type"] == "server"
    assert listed["redirect_uris"] == ["https://sync.example/callback", "http://localhost:8080/cb"]
    again = client.get(BASE).text
    assert f'data-client-id="{client_id}"' in again and secret not in again


@pytest.mark.parametrize(
    "overrides, problem",
    [
        ({"client_name": "  "}, "Client Name is required."),
        ({"homepage_url": "not a url"}, "Homepage URL must be an http:// or https:// address."),
        ({"redirect_uris": ""}, "Authorized Redirect URIs is required."),
        ({"redirect_uris": "ftp://x.example/cb"}, "Authorized Redirect URIs must be an http:// or https:// address."),
    ],
)
def test_the_client_form_says_what_is_wrong(client: TestClient, overrides: dict[str, str], problem: str) -> None:
    status, page = submit(client, f"{BASE}/clients", **client_form(**overrides))
    assert status == 400 and f'id="problem">{problem}<' in page
    assert client.get("/_emulator/clients").json()["clients"] == []


def test_deleting_a_client_removes_it(client: TestClient) -> None:
    _, page = submit(client, f"{BASE}/clients", **client_form())
    client_id = shown(page, "created-client-id")
    status, _ = submit(client, f"{BASE}/clients/{client_id}/delete")
    assert status == 302
    assert client.get("/_emulator/clients").json()["clients"] == []
    assert submit(client, f"{BASE}/clients/{client_id}/delete")[0] == 404


def test_the_self_client_code_is_taken_by_the_token_endpoint(client: TestClient) -> None:
    status, page = submit(
        client,
        f"{BASE}/self-client",
        **{"scope:ZohoCRM.modules": "ALL", "scope:ZohoCRM.org": "READ", "extra_scopes": "ZohoCRM.settings.fields.READ"},
        minutes="5",
    )
    assert status == 200
    assert shown(page, "grant-scope") == "ZohoCRM.modules.ALL,ZohoCRM.org.READ,ZohoCRM.settings.fields.READ"
    assert shown(page, "grant-expires-in") == "300 s"
    tokens = client.post(
        "/oauth/v2/token",
        data={
            "grant_type": "authorization_code",
            "code": shown(page, "grant-code"),
            "client_id": shown(page, "grant-client-id"),
            "client_secret": shown(page, "grant-client-secret"),
        },
    )
    assert tokens.status_code == 200, tokens.text
    org = client.get("/crm/v8/org", headers={"Authorization": f"Zoho-oauthtoken {tokens.json()['access_token']}"})
    assert org.status_code == 200


@pytest.mark.parametrize(
    "form, problem",
    [
        ({"minutes": "3"}, "No scope was given."),
        (
            {"extra_scopes": "ZohoCRM.nothing.READ", "minutes": "3"},
            "ZohoCRM.nothing.READ is not a valid Zoho CRM scope.",
        ),
        ({"scope:ZohoCRM.users": "READ", "minutes": "4"}, "The duration must be one of 3, 5, 7, 10 minutes."),
    ],
)
def test_a_code_that_cannot_be_made_is_said_so(client: TestClient, form: dict[str, str], problem: str) -> None:
    status, page = submit(client, f"{BASE}/self-client", **form)
    assert status == 400 and f'id="problem">{problem}<' in page
    assert 'id="grant-code"' not in page


def test_the_picker_keeps_picked_scopes_before_typed_ones() -> None:
    form = {"scope:ZohoCRM.users": "READ", "scope:ZohoCRM.org": "", "extra_scopes": "a.b.READ c.d.ALL", "x": "y"}
    assert chosen_scopes(form) == "ZohoCRM.users.READ,a.b.READ,c.d.ALL"
