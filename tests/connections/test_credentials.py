"""``credential_for``: what a request sent with a connection carries, per auth type and param type,
and OAuth 2 tokens refreshed once expired on the emulator clock — at a third-party provider on
loopback over HTTP, and for the Zoho CRM service at the emulator's own accounts server; on SQLite
and PostgreSQL."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.testclient import TestClient

from tests.support.connections import connect_zoho_crm, seed
from tests.support.oauth_provider import REFRESH_TOKEN, Provider, oauth_provider
from zcrm_emulator.connections import Credential, CredentialUnavailable, credential_for, find_connection
from zcrm_emulator.delivery import DeliveryPolicy
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
def provider() -> Iterator[Provider]:
    with oauth_provider() as running:
        yield running


def credential(emulator: Emulator, link_name: str, policy: DeliveryPolicy | None = None) -> Credential:
    with emulator.store.tx(writes=True) as conn:
        return credential_for(conn, emulator.clock, emulator.default_org_id, link_name, policy=policy)


def unavailable(emulator: Emulator, link_name: str, policy: DeliveryPolicy | None = None) -> CredentialUnavailable:
    with pytest.raises(CredentialUnavailable) as raised:
        credential(emulator, link_name, policy)
    return raised.value


def advance(client: TestClient, seconds: int) -> None:
    assert client.post("/_emulator/clock/advance", json={"seconds": seconds}).status_code == 200


@pytest.mark.parametrize(
    "param_type, expected",
    [
        ("header", Credential(headers=[("X-Api-Key", "k-1")])),
        ("query", Credential(query=[("X-Api-Key", "k-1")])),
        ("form", Credential(form=[("X-Api-Key", "k-1")])),
    ],
)
def test_an_api_key_goes_where_its_param_type_says(
    client: TestClient, emulator: Emulator, param_type: str, expected: Credential
) -> None:
    seed(
        client,
        link_name="keyed",
        service_link_name="keyed_api",
        auth_type="api_key",
        param_type=param_type,
        credentials={"X-Api-Key": "k-1"},
    )
    assert credential(emulator, "keyed") == expected


def test_basic_sends_the_user_name_and_password(client: TestClient, emulator: Emulator) -> None:
    seed(
        client,
        link_name="legacy",
        service_link_name="legacy_api",
        auth_type="basic",
        credentials={"username": "ada", "password": "s3cret"},
    )
    expected = "Basic " + base64.b64encode(b"ada:s3cret").decode()
    assert credential(emulator, "legacy").headers == [("Authorization", expected)]


def test_a_third_party_token_is_refreshed_once_expired_on_the_emulator_clock(
    client: TestClient, emulator: Emulator, provider: Provider
) -> None:
    seed(
        client,
        link_name="contacts",
        service_link_name="provider",
        access_token="seeded-token",
        refresh_token=REFRESH_TOKEN,
        expires_in=60,
        **provider.service_item(),
    )
    assert credential(emulator, "contacts").headers == [("Authorization", "Bearer seeded-token")]
    advance(client, 59)
    assert credential(emulator, "contacts").headers == [("Authorization", "Bearer seeded-token")]
    assert provider.token_requests == []

    advance(client, 1)
    assert credential(emulator, "contacts").headers == [("Authorization", "Bearer at-1")]
    assert provider.token_requests == [
        {
            "grant_type": "refresh_token",
            "refresh_token": REFRESH_TOKEN,
            "client_id": "provider-client",
            "client_secret": "provider-secret-value",
        }
    ]
    assert credential(emulator, "contacts").headers == [("Authorization", "Bearer at-1")]  # kept, not refreshed again
    assert len(provider.token_requests) == 1
    with emulator.store.tx() as conn:
        shown = find_connection(conn, emulator.default_org_id, "contacts")
    assert shown is not None and shown["status"] == "connected" and shown["refreshable"] is True

    advance(client, 3600)
    assert credential(emulator, "contacts").headers == [("Authorization", "Bearer at-2")]  # refresh token kept


def test_a_query_param_type_token_is_the_access_token_parameter(
    client: TestClient, emulator: Emulator, provider: Provider
) -> None:
    seed(
        client,
        link_name="q",
        service_link_name="provider",
        access_token="t",
        **provider.service_item(param_type="query"),
    )
    assert credential(emulator, "q") == Credential(query=[("access_token", "t")])


def test_a_refused_refresh_is_a_clear_error_and_changes_nothing(
    client: TestClient, emulator: Emulator, provider: Provider
) -> None:
    seed(
        client,
        link_name="c",
        service_link_name="provider",
        access_token="old",
        refresh_token=REFRESH_TOKEN,
        expires_in=1,
        **provider.service_item(),
    )
    provider.refuse_refresh = True
    advance(client, 2)
    refused = unavailable(emulator, "c")
    assert (refused.reason, refused.link_name) == ("refresh_failed", "c")
    assert "invalid_grant" in refused.detail
    provider.refuse_refresh = False
    assert credential(emulator, "c").headers == [("Authorization", "Bearer at-1")]


def test_the_strict_outbound_policy_refuses_a_loopback_refresh_url(
    client: TestClient, emulator: Emulator, provider: Provider
) -> None:
    seed(
        client,
        link_name="c",
        service_link_name="provider",
        access_token="old",
        refresh_token=REFRESH_TOKEN,
        expires_in=1,
        **provider.service_item(),
    )
    advance(client, 2)
    assert unavailable(emulator, "c", DeliveryPolicy(outbound="strict")).reason == "refresh_failed"
    assert provider.token_requests == []


def test_what_cannot_give_a_credential(client: TestClient, emulator: Emulator) -> None:
    assert unavailable(emulator, "nobody").reason == "not_found"
    seed(client, link_name="never", service_link_name="svc", auth_type="oauth2", token_url="https://t.example/")
    assert unavailable(emulator, "never").reason == "not_connected"
    seed(client, link_name="short", service_link_name="svc", access_token="t", expires_in=10)
    advance(client, 10)
    assert unavailable(emulator, "short").reason == "expired"
    seed(client, link_name="keyless", service_link_name="k", auth_type="api_key", api_key_params=[{"key": "k"}])
    assert unavailable(emulator, "keyless").reason == "not_connected"


def test_the_zoho_crm_service_connects_and_refreshes_through_the_emulators_own_accounts_server(
    client: TestClient, emulator: Emulator
) -> None:
    connect_zoho_crm(client, "crm_here")
    first = credential(emulator, "crm_here").headers
    (name, value) = first[0]
    assert name == "Authorization" and value.startswith("Zoho-oauthtoken 1000.")
    assert client.get("/crm/v8/org", headers=dict(first)).status_code == 200

    advance(client, 3600)
    assert client.get("/crm/v8/org", headers=dict(first)).status_code == 401  # the old token expired
    second = credential(emulator, "crm_here").headers
    assert second != first
    assert client.get("/crm/v8/org", headers=dict(second)).status_code == 200
    assert credential(emulator, "crm_here").headers == second


def test_two_workers_finding_the_token_expired_refresh_it_once(
    client: TestClient, emulator: Emulator, provider: Provider
) -> None:
    seed(
        client,
        link_name="c",
        service_link_name="provider",
        access_token="old",
        refresh_token=REFRESH_TOKEN,
        expires_in=1,
        **provider.service_item(),
    )
    advance(client, 2)
    provider.refresh_delay_s = 0.3
    with ThreadPoolExecutor(2) as workers:
        found = list(workers.map(lambda _: credential(emulator, "c"), range(2)))
    assert found == [Credential(headers=[("Authorization", "Bearer at-1")])] * 2
    assert len(provider.token_requests) == 1
