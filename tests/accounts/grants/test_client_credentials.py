"""``grant_type=client_credentials`` for Self Clients (Accounts "Self Client – Client credentials
flow"; REFERENCE §2.4, §9 #3): errors first, then the token."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.accounts import Flows
from zcrm_emulator.emulator import Emulator


@pytest.fixture
def self_app(client: TestClient) -> dict[str, Any]:
    response = client.post("/_emulator/self-client", json={"scope": "ZohoCRM.org.READ"})
    assert response.status_code == 200
    return response.json()


def credentials(http: TestClient, app: dict[str, Any], path: str = "/oauth/v2/token", **params: str) -> Any:
    form = {"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"]}
    response = http.post(path, data={**form, **params})
    assert response.status_code == 200
    return response.json()


def soid(emulator: Emulator) -> str:
    return f"ZohoCRM.{emulator.default_org_id}"


# --- errors -----------------------------------------------------------------------------------


def test_a_server_based_client_cannot_use_it(flows: Flows, emulator: Emulator) -> None:
    body = flows.token(grant_type="client_credentials", scope="ZohoCRM.org.READ", soid=soid(emulator))
    assert body == {"error": "invalid_client"}


def test_a_wrong_secret_is_invalid_client_secret(
    client: TestClient, self_app: dict[str, Any], emulator: Emulator
) -> None:
    wrong = {**self_app, "client_secret": "f" * 42}
    assert credentials(client, wrong, scope="ZohoCRM.org.READ", soid=soid(emulator)) == {
        "error": "invalid_client_secret"
    }


@pytest.mark.parametrize(
    "value",
    [None, "", "ZohoCRM", "ZohoCRM.", "ZohoCRM.1234567000000000000", "ZohoBooks.{org}", "{org}"],
    ids=["missing", "empty", "service-only", "no-org", "another-org", "another-service", "org-only"],
)
def test_without_this_orgs_soid_it_is_missing_org_info(
    client: TestClient, self_app: dict[str, Any], emulator: Emulator, value: str | None
) -> None:
    params = {"scope": "ZohoCRM.org.READ"}
    if value is not None:
        params["soid"] = value.format(org=emulator.default_org_id)
    assert credentials(client, self_app, **params) == {"error": "missing_org_info"}


@pytest.mark.parametrize("scope", [None, "", "ZohoCRM.modules", "ZohoCRM.nothing.READ", "ZohoBooks.invoices.READ"])
def test_a_missing_or_unknown_scope_is_invalid_scope(
    client: TestClient, self_app: dict[str, Any], emulator: Emulator, scope: str | None
) -> None:
    params = {"soid": soid(emulator)}
    if scope is not None:
        params["scope"] = scope
    assert credentials(client, self_app, **params) == {"error": "invalid_scope"}


# --- success ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/oauth/v2/token", "/oauth/v2/auth"])
def test_the_token_carries_the_scopes_space_separated_and_no_refresh_token(
    client: TestClient, self_app: dict[str, Any], emulator: Emulator, path: str
) -> None:
    body = credentials(
        client,
        self_app,
        path,
        scope="ZohoCRM.modules.leads.READ,ZohoCRM.org.READ",
        soid=f"zohocrm.{emulator.default_org_id}",
    )
    assert set(body) == {"access_token", "scope", "api_domain", "token_type", "expires_in"}
    assert body["scope"] == "ZohoCRM.modules.leads.READ ZohoCRM.org.READ"
    headers = {"Authorization": f"Zoho-oauthtoken {body['access_token']}"}
    assert client.get("/crm/v8/org", headers=headers).status_code == 200
    denied = client.get("/crm/v8/settings/modules", headers=headers)
    assert (denied.status_code, denied.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")


def test_the_token_acts_as_the_self_clients_user(
    client: TestClient, self_app: dict[str, Any], emulator: Emulator
) -> None:
    body = credentials(client, self_app, scope="ZohoCRM.users.READ", soid=soid(emulator))
    me = client.get(
        "/crm/v8/users",
        params={"type": "CurrentUser"},
        headers={"Authorization": f"Zoho-oauthtoken {body['access_token']}"},
    )
    assert me.json()["users"][0]["profile"]["name"] == "Administrator"


def test_only_client_credentials_is_taken_at_the_auth_path(client: TestClient, self_app: dict[str, Any]) -> None:
    body = credentials(client, self_app, "/oauth/v2/auth", grant_type="refresh_token", refresh_token="x")
    assert body == {"error": "invalid_client"}
