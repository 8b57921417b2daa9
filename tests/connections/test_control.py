"""``/_emulator/connections``: seeding connections for tests with AUTOMATION.md §6.3's keys, listing
them without secrets, reading and deleting one; on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from tests.support.connections import CONNECTIONS, seed
from zcrm_emulator.config import Settings
from zcrm_emulator.connections import service
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")


def test_an_api_key_connection_makes_its_service_and_is_connected(client: TestClient) -> None:
    shown = seed(
        client,
        link_name="mailchimp_main",
        service_link_name="mailchimp",
        auth_type="api_key",
        param_type="query",
        credentials={"apikey": "mc-secret-1"},
    )
    assert shown["connection_link_name"] == "mailchimp_main"
    assert shown["connection_name"] == "mailchimp_main"
    assert (shown["service_link_name"], shown["auth_type"], shown["param_type"]) == ("mailchimp", "api_key", "query")
    assert shown["status"] == "connected"
    listed = client.get(CONNECTIONS).json()
    assert [c["connection_link_name"] for c in listed["connections"]] == ["mailchimp_main"]
    (made,) = [s for s in listed["services"] if s["service_link_name"] == "mailchimp"]
    assert made["api_key_params"] == [{"key": "apikey", "display_name": "apikey"}]
    assert "mc-secret-1" not in json.dumps(listed)


def test_a_second_connection_reuses_the_service(client: TestClient) -> None:
    seed(
        client,
        link_name="a",
        service_link_name="svc",
        auth_type="basic",
        credentials={"username": "u", "password": "p"},
    )
    second = seed(client, link_name="b", service_link_name="svc", params={"username": "v", "password": "q"})
    assert second["auth_type"] == "basic"
    refused = client.post(CONNECTIONS, json={"link_name": "c", "service_link_name": "svc", "auth_type": "api_key"})
    assert (refused.status_code, refused.json()["details"]["api_name"]) == (400, "auth_type")


def test_an_oauth2_connection_is_seeded_with_tokens_and_an_expiry_on_the_emulator_clock(client: TestClient) -> None:
    now_ms = client.get("/_emulator/clock").json()["now_ms"]
    shown = seed(
        client,
        link_name="crm_sync",
        service_link_name="thirdparty",
        auth_type="oauth2",
        param_type="header",
        token_url="https://login.example/token",
        client_id="cid",
        client_secret="client-secret-1",
        scopes=["contacts.read"],
        access_token="access-token-1",
        refresh_token="refresh-token-1",
        expires_in=120,
    )
    assert shown["status"] == "connected"
    assert shown["scopes"] == ["contacts.read"]
    assert shown["refreshable"] is True
    assert shown["access_token_expiry"] is not None
    listed = json.dumps(client.get(CONNECTIONS).json())
    for secret in ("client-secret-1", "access-token-1", "refresh-token-1"):
        assert secret not in listed
    got = client.get(f"{CONNECTIONS}/crm_sync").json()["connection"]
    assert got == shown
    assert now_ms <= client.get("/_emulator/clock").json()["now_ms"]


def test_the_zoho_crm_service_is_ready_made_and_points_at_this_emulator(client: TestClient) -> None:
    shown = seed(client, link_name="crm", service_link_name="zohocrm", access_token="1000.abc")
    assert (shown["service_name"], shown["builtin"], shown["status"]) == ("Zoho CRM", True, "connected")
    (crm,) = [s for s in client.get(CONNECTIONS).json()["services"] if s["builtin"]]
    assert crm["token_url"] == "http://testserver/oauth/v2/token"
    assert crm["authorize_url"] == "http://testserver/oauth/v2/auth"
    assert crm["redirect_uri"] == "http://testserver/console/connections/callback"
    clients = client.get("/_emulator/clients").json()["clients"]
    assert crm["client_id"] in {c["client_id"] for c in clients}


def test_an_oauth2_connection_without_tokens_is_not_connected(client: TestClient) -> None:
    shown = seed(client, link_name="later", service_link_name="svc", auth_type="oauth2", token_url="https://t.example/")
    assert shown["status"] == "not_connected"


@pytest.mark.parametrize(
    "body, code, api_name",
    [
        ({"service_link_name": "svc", "auth_type": "basic"}, "MANDATORY_NOT_FOUND", "connection_link_name"),
        ({"link_name": "Bad-Name", "service_link_name": "svc", "auth_type": "basic"}, "INVALID_DATA", None),
        ({"link_name": "x"}, "MANDATORY_NOT_FOUND", "service_link_name"),
        ({"link_name": "x", "service_link_name": "svc"}, "MANDATORY_NOT_FOUND", "auth_type"),
        ({"link_name": "x", "service_link_name": "svc", "auth_type": "oauth2"}, "DEPENDENT_FIELD_MISSING", "token_url"),
        ({"link_name": "x", "service_link_name": "Svc", "auth_type": "basic"}, "INVALID_DATA", "service_link_name"),
        ({"link_name": "x", "service_link_name": "s", "auth_type": "basic", "credentials": []}, "INVALID_DATA", None),
        (
            {
                "link_name": "x",
                "service_link_name": "s",
                "auth_type": "api_key",
                "api_key_params": [{"key": "k"}],
                "credentials": {"other": "v"},
            },
            "MANDATORY_NOT_FOUND",
            "k",
        ),
        (
            {
                "link_name": "x",
                "service_link_name": "s",
                "auth_type": "oauth2",
                "token_url": "https://t.example/",
                "access_token": "a",
                "expires_in": -5,
            },
            "INVALID_DATA",
            "expires_in",
        ),
    ],
)
def test_refusals_name_the_key(client: TestClient, body: dict[str, object], code: str, api_name: str | None) -> None:
    response = client.post(CONNECTIONS, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == code
    if api_name is not None:
        assert response.json()["details"]["api_name"] == api_name
    assert client.get(CONNECTIONS).json()["connections"] == []


def test_a_taken_link_name_is_duplicate_data(client: TestClient) -> None:
    seed(client, link_name="one", service_link_name="svc", auth_type="basic")
    again = client.post(CONNECTIONS, json={"link_name": "one", "service_link_name": "svc"})
    assert (again.status_code, again.json()["code"]) == (400, "DUPLICATE_DATA")


def test_delete_removes_one_and_unknown_names_are_invalid(client: TestClient) -> None:
    seed(client, link_name="gone", service_link_name="svc", auth_type="basic")
    assert client.delete(f"{CONNECTIONS}/gone").json() == {"status": "success"}
    for response in (client.delete(f"{CONNECTIONS}/gone"), client.get(f"{CONNECTIONS}/gone")):
        assert (response.status_code, response.json()["details"]) == (400, {"api_name": "link_name"})


def test_a_reset_takes_the_orgs_connections_with_it(client: TestClient) -> None:
    seed(client, link_name="before", service_link_name="svc", auth_type="basic")
    client.post("/_emulator/reset")
    assert client.get(CONNECTIONS).json() == {"connections": [], "services": []}


def test_the_control_plane_access_rule_applies(client: TestClient) -> None:
    foreign = client.post(
        CONNECTIONS,
        json={"link_name": "x", "service_link_name": "svc", "auth_type": "basic"},
        headers={"Origin": "http://evil.example"},
    )
    assert (foreign.status_code, foreign.json()["code"]) == (403, "NO_PERMISSION")
    form = client.post(CONNECTIONS, data={"link_name": "x"})
    assert form.status_code == 415


def test_a_new_public_url_registers_a_new_zoho_crm_client(client: TestClient, emulator: Emulator, db_url: str) -> None:
    seed(client, link_name="crm", service_link_name="zohocrm", access_token="1000.abc")
    moved = Emulator(Settings(db_url=db_url, public_url="http://crm.internal:9000/"))
    try:
        with moved.store.tx(writes=True) as conn:
            before = service.get_service(conn, moved.default_org_id, "zohocrm")
            after = service.ensure_zoho_crm(conn, moved.default_org_id, moved.settings.base_url, moved.clock.now_ms())
    finally:
        moved.close()
    assert before is not None and after.id == before.id
    assert after.data["client_id"] != before.data["client_id"]
    assert after.data["redirect_uri"] == "http://crm.internal:9000/console/connections/callback"
    assert after.data["token_url"] == "http://crm.internal:9000/oauth/v2/token"
