"""What clients rely on in the metadata reads, beyond the schemas (SDK-WIRE §1, §3, §4a-4b).

The keys the official SDK reads (``users[0].email`` + ``org[0].zgid`` as its user signature, an
integer ``info.license_limit``, ``api_name``/``api_supported``/``generated_type`` on every module);
``If-Modified-Since`` (304 when nothing changed, whole seconds, ISO 8601 as the SDK sends it); 204
with no body for empty results; the ``status`` filter on modules and the ``type`` filters on users.
The last test drives the official SDK itself over real HTTP.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.conftest import LiveServer, TokenFactory
from tests.support.people import add_standard_user
from zcrm_emulator.clock import iso
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store.schema import orgs

CONDITIONAL_LISTS = ["/crm/v8/settings/modules", "/crm/v8/users", "/crm/v8/settings/profiles", "/crm/v8/settings/roles"]


def created_ms(emulator: Emulator) -> int:
    with emulator.store.tx() as conn:
        return conn.execute(select(orgs.c.created_ms).where(orgs.c.id == emulator.default_org_id)).scalar_one()


def since(epoch_ms: int) -> dict[str, str]:
    """The header as the SDK sends it: ISO 8601 with an offset, not RFC 1123 (SDK-WIRE §3)."""
    return {"If-Modified-Since": iso(epoch_ms)}


# --- keys the SDK reads -----------------------------------------------------------------------


def test_the_org_is_an_array_of_one_with_the_zgid_the_sdk_signs_users_with(api: TestClient) -> None:
    org = api.get("/crm/v8/org").json()["org"]
    assert len(org) == 1
    assert org[0]["zgid"].isdigit()
    assert org[0]["id"].isdigit()


def test_current_user_is_the_token_owner_with_the_email_the_sdk_reads(
    api: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    rep = add_standard_user(emulator, "rep@zylker.example")
    as_rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}
    body = api.get("/crm/v8/users", params={"type": "CurrentUser"}, headers=as_rep).json()
    assert [(u["id"], u["email"]) for u in body["users"]] == [(rep, "rep@zylker.example")]
    assert body["info"] == {"per_page": 200, "count": 1, "page": 1, "more_records": False}


def test_the_profile_list_license_limit_is_an_integer(api: TestClient) -> None:
    limit = api.get("/crm/v8/settings/profiles").json()["info"]["license_limit"]
    assert type(limit) is int  # the SDK does int(); an object there raises in the client


def test_every_module_has_the_keys_the_sdk_needs_to_refresh_fields(api: TestClient) -> None:
    modules = api.get("/crm/v8/settings/modules").json()["modules"]
    assert modules
    for module in modules:
        assert isinstance(module["api_name"], str) and module["api_name"]
        assert type(module["api_supported"]) is bool
        assert isinstance(module["generated_type"], str) and module["generated_type"]
    assert {"Leads", "Contacts", "Accounts", "Deals"} <= {m["api_name"] for m in modules if m["api_supported"]}
    assert "Home" in {m["api_name"] for m in modules if not m["api_supported"]}


# --- If-Modified-Since ------------------------------------------------------------------------


@pytest.mark.parametrize("path", CONDITIONAL_LISTS)
@pytest.mark.parametrize(
    ("offset_ms", "status"),
    [(-1000, 200), (0, 304), (999, 304), (86_400_000, 304)],
    ids=["one-second-before", "same-second", "same-second-later-millis", "a-day-after"],
)
def test_if_modified_since_answers_304_once_the_client_is_current(
    api: TestClient, emulator: Emulator, path: str, offset_ms: int, status: int
) -> None:
    # Compared in whole seconds: the header carries none of the milliseconds.
    moment = created_ms(emulator) // 1000 * 1000 + offset_ms
    response = api.get(path, headers=since(moment))
    assert response.status_code == status
    if status == 304:
        assert response.content == b""
        assert "content-type" not in response.headers


def test_a_changed_user_list_is_sent_again_in_full(api: TestClient, emulator: Emulator) -> None:
    created = created_ms(emulator)
    emulator.advance_clock(60)
    add_standard_user(emulator)
    response = api.get("/crm/v8/users", headers=since(created))
    assert response.status_code == 200
    assert len(response.json()["users"]) == 2


def test_modules_since_before_the_org_existed_are_all_sent(api: TestClient, emulator: Emulator) -> None:
    everything = api.get("/crm/v8/settings/modules").json()["modules"]
    response = api.get("/crm/v8/settings/modules", headers=since(created_ms(emulator) - 86_400_000))
    assert response.status_code == 200
    assert response.json()["modules"] == everything


def test_a_malformed_if_modified_since_is_ignored(api: TestClient) -> None:
    response = api.get("/crm/v8/settings/modules", headers={"If-Modified-Since": "yesterday"})
    assert response.status_code == 200


# --- empty results ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/crm/v8/users?type=DeletedUsers",
        "/crm/v8/users?type=NotConfirmedUsers",
        "/crm/v8/users?ids=111111000000000001",
        "/crm/v8/users?page=2",
        "/crm/v8/users/111111000000000001",
        "/crm/v8/settings/modules?status=scheduled_for_deletion",
        "/crm/v8/settings/profiles/111111000000000001",
        "/crm/v8/settings/roles/111111000000000001",
    ],
)
def test_nothing_to_show_is_204_without_body_or_content_type(api: TestClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["visible", "user_hidden", "system_hidden"])
def test_the_module_status_filter_keeps_exactly_that_status(api: TestClient, status: str) -> None:
    everything = api.get("/crm/v8/settings/modules").json()["modules"]
    expected = [m["api_name"] for m in everything if m["status"] == status]
    assert expected, f"a fresh org has {status} modules"
    chosen = api.get("/crm/v8/settings/modules", params={"status": status}).json()["modules"]
    assert [m["api_name"] for m in chosen] == expected


def test_several_statuses_are_one_comma_separated_union(api: TestClient) -> None:
    everything = api.get("/crm/v8/settings/modules").json()["modules"]
    expected = [m["api_name"] for m in everything if m["status"] in ("user_hidden", "system_hidden")]
    chosen = api.get("/crm/v8/settings/modules", params={"status": "user_hidden,system_hidden"}).json()
    assert [m["api_name"] for m in chosen["modules"]] == expected


def test_an_unknown_module_status_is_invalid_data(api: TestClient) -> None:
    response = api.get("/crm/v8/settings/modules", params={"status": "visible,archived"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_DATA"
    assert body["details"]["param_name"] == "status"


@pytest.mark.parametrize(
    ("user_type", "who"),
    [
        ("AllUsers", {"admin", "rep"}),
        ("ActiveUsers", {"admin", "rep"}),
        ("ConfirmedUsers", {"admin", "rep"}),
        ("ActiveConfirmedUsers", {"admin", "rep"}),
        ("AdminUsers", {"admin"}),
        ("ActiveConfirmedAdmins", {"admin"}),
        ("CurrentUser", {"admin"}),
        ("DeactiveUsers", set()),
        ("DeletedUsers", set()),
    ],
)
def test_the_user_type_filter_selects_the_documented_users(
    api: TestClient, emulator: Emulator, user_type: str, who: set[str]
) -> None:
    rep = add_standard_user(emulator)
    admin = next(u["id"] for u in api.get("/crm/v8/users").json()["users"] if u["id"] != rep)
    ids = {"admin": admin, "rep": rep}
    response = api.get("/crm/v8/users", params={"type": user_type})
    chosen = {u["id"] for u in response.json()["users"]} if response.status_code == 200 else set()
    assert chosen == {ids[name] for name in who}
    assert response.status_code == (200 if who else 204)
    count = api.get("/crm/v8/users/actions/count", params={"type": user_type}).json()
    assert count == {"count": len(who)}


def test_an_unknown_user_type_is_invalid_data(api: TestClient) -> None:
    response = api.get("/crm/v8/users", params={"type": "Everyone"})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_DATA"
    assert response.json()["details"]["param_name"] == "type"


# --- the official SDK -------------------------------------------------------------------------


@pytest.mark.sdk
def test_the_official_sdk_signs_in_and_reads_modules_and_profiles(live_server: LiveServer, tmp_path: Path) -> None:
    import httpx
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
    from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
    from zohocrmsdk.src.com.zoho.api.logger import Logger
    from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
    from zohocrmsdk.src.com.zoho.crm.api.modules import ModulesOperations
    from zohocrmsdk.src.com.zoho.crm.api.profiles import ProfilesOperations

    url = live_server.url
    access_token = httpx.post(f"{url}/_emulator/tokens", json={}).json()["access_token"]
    token = OAuthToken(access_token=access_token)
    Initializer.initialize(
        environment=DataCenter.Environment(url, f"{url}/oauth/v2/token", url),
        token=token,
        store=FileStore(str(tmp_path / "tokens.csv")),
        resource_path=str(tmp_path),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(tmp_path / "sdk.log")),
    )
    headers = {"Authorization": f"Zoho-oauthtoken {access_token}"}
    me = httpx.get(f"{url}/crm/v8/users", params={"type": "CurrentUser"}, headers=headers).json()["users"][0]
    org = httpx.get(f"{url}/crm/v8/org", headers=headers).json()["org"][0]
    # The SDK's user signature: users[0].email from ?type=CurrentUser, then org[0].zgid.
    assert token.get_user_signature().get_name() == f"{me['email']}:{org['zgid']}"

    modules = ModulesOperations().get_modules()
    assert modules.get_status_code() == 200
    parsed = modules.get_object().get_modules()
    assert all(m.get_api_name() and m.get_generated_type() is not None for m in parsed)
    assert all(isinstance(m.get_api_supported(), bool) for m in parsed)

    profiles = ProfilesOperations().get_profiles()
    assert profiles.get_status_code() == 200
    assert isinstance(profiles.get_object().get_info().get_license_limit(), int)
