"""The official Python SDK (zohocrmsdk8-0) signing in with a Self Client grant token made by
``zcrm-emulator self-client`` (a subprocess on the live server's database), then calling the API,
refreshing and revoking — and never sending anything to any host but this server (SDK-WIRE §0, §2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import requests

from tests.conftest import LiveServer
from tests.support.live import self_client_grant

SCOPE = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ"

pytestmark = pytest.mark.sdk


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str, dict[str, list[str]]]]]:
    """Every request ``requests`` sends: (method, url, form fields)."""
    record: list[tuple[str, str, dict[str, list[str]]]] = []
    original = requests.adapters.HTTPAdapter.send

    def recording(self: Any, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        body = request.body.decode() if isinstance(request.body, bytes) else (request.body or "")
        record.append((str(request.method), str(request.url), parse_qs(body)))
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", recording)
    yield record


def initialize(server: LiveServer, tmp_path: Path, grant: dict[str, Any]) -> Any:
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
    from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
    from zohocrmsdk.src.com.zoho.api.logger import Logger
    from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
    from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig

    url = grant["accounts_url"]
    token = OAuthToken(client_id=grant["client_id"], client_secret=grant["client_secret"], grant_token=grant["code"])
    Initializer.initialize(
        environment=DataCenter.Environment(url, f"{url}/oauth/v2/token", url),
        token=token,
        store=FileStore(str(tmp_path / "tokens.csv")),
        sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False),
        resource_path=str(tmp_path),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(tmp_path / "sdk.log")),
    )
    return token


def module_names() -> set[str]:
    from zohocrmsdk.src.com.zoho.crm.api.modules import ModulesOperations

    response = ModulesOperations().get_modules()
    assert response.get_status_code() == 200
    return {module.get_api_name() for module in response.get_object().get_modules()}


def assert_only_this_server(sent: list[tuple[str, str, dict[str, list[str]]]], server: LiveServer) -> None:
    assert sent
    assert {urlsplit(url).netloc for _, url, _ in sent} == {f"127.0.0.1:{server.port}"}
    assert {urlsplit(url).scheme for _, url, _ in sent} == {"http"}


def test_the_sdk_exchanges_a_self_client_grant_token_and_reads_modules(
    live_server: LiveServer, db_url: str, tmp_path: Path, sent: list[tuple[str, str, dict[str, list[str]]]]
) -> None:
    grant = self_client_grant(db_url, SCOPE)
    assert grant["accounts_url"] == live_server.url
    token = initialize(live_server, tmp_path, grant)
    assert {"Leads", "Contacts", "Accounts", "Deals"} <= module_names()
    assert_only_this_server(sent, live_server)
    method, url, form = sent[0]
    assert (method, urlsplit(url).path) == ("POST", "/oauth/v2/token")
    assert form["grant_type"] == ["authorization_code"]
    assert form["code"] == [grant["code"]]
    paths = [urlsplit(url).path for _, url, _ in sent]
    assert "/crm/v8/settings/modules" in paths
    # The SDK kept the refresh token and signed the user in from CurrentUser + org (SDK-WIRE §3).
    assert token.get_refresh_token().startswith("1000.")
    assert token.get_user_signature().get_name().startswith("admin@zylker.example:")


def test_the_sdk_refreshes_and_revokes_against_this_server_only(
    live_server: LiveServer, db_url: str, tmp_path: Path, sent: list[tuple[str, str, dict[str, list[str]]]]
) -> None:
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken

    # Access tokens that live 4 s: the SDK refreshes whenever fewer than 5 s remain, so before each call.
    policy = httpx.put(f"{live_server.url}/_emulator/token-policy", json={"overrides": {"access_token_seconds": 4}})
    assert policy.status_code == 200
    token = initialize(live_server, tmp_path, self_client_grant(db_url, SCOPE))
    module_names()
    module_names()
    refreshes = [form for _, url, form in sent if form.get("grant_type") == ["refresh_token"]]
    assert len(refreshes) >= 2
    assert all(form["refresh_token"] == [token.get_refresh_token()] for form in refreshes)

    revoke_url = f"{live_server.url}/oauth/v2/token/revoke"
    assert OAuthToken.revoke_refresh_token(token.get_refresh_token(), revoke_url) is True
    assert_only_this_server(sent, live_server)
    refreshed = httpx.post(
        f"{live_server.url}/oauth/v2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": token.get_refresh_token(),
            "client_id": token.get_client_id(),
            "client_secret": token.get_client_secret(),
        },
    )
    assert refreshed.json() == {"error": "invalid_code"}
    last = token.get_access_token()
    response = httpx.get(f"{live_server.url}/crm/v8/org", headers={"Authorization": f"Zoho-oauthtoken {last}"})
    assert (response.status_code, response.json()["code"]) == (401, "INVALID_TOKEN")
