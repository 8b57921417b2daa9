"""The official Python SDK (zohocrmsdk8-0) through a whole working session against a live emulator:
sign in with a Self Client grant token (``zcrm-emulator self-client`` in a subprocess on the live
server's database), read the user, org, modules and profiles, create and update a custom module,
read fields, write and search records on Leads and on the custom module, manage unsubscribe links,
refresh the access token after it expires, and revoke. Every request the SDK sends is recorded and
must have gone to the live server; the assertions read the SDK's parsed objects."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import requests

from tests.conftest import LiveServer
from tests.support.live import self_client_grant

pytestmark = pytest.mark.sdk

SCOPE = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ"
ACCESS_TOKEN_SECONDS = 3600


@dataclass(frozen=True)
class Sent:
    method: str
    url: str
    headers: dict[str, str]
    form: dict[str, list[str]]

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Sent]]:
    """Every request ``requests`` (the SDK's HTTP client) sends."""
    record: list[Sent] = []
    original = requests.adapters.HTTPAdapter.send

    def recording(self: Any, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        body = request.body.decode() if isinstance(request.body, bytes) else (request.body or "")
        form = parse_qs(body) if request.path_url.startswith("/oauth/") else {}
        record.append(Sent(str(request.method), str(request.url), dict(request.headers), form))
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", recording)
    yield record


class ShiftedTime:
    """The SDK's view of the time, moved forward like the emulator's clock (the SDK decides when to
    refresh from its own clock: SDK-WIRE §2)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def sdk_clock(monkeypatch: pytest.MonkeyPatch) -> ShiftedTime:
    from zohocrmsdk.src.com.zoho.api.authenticator import oauth_token

    shifted = ShiftedTime()
    monkeypatch.setattr(oauth_token, "time", shifted)
    return shifted


def initialize(server: LiveServer, tmp_path: Path, grant: dict[str, Any]) -> Any:
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
    from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
    from zohocrmsdk.src.com.zoho.api.logger import Logger
    from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer

    url = server.url
    token = OAuthToken(client_id=grant["client_id"], client_secret=grant["client_secret"], grant_token=grant["code"])
    Initializer.initialize(
        environment=DataCenter.Environment(url, f"{url}/oauth/v2/token", url),
        token=token,
        store=FileStore(str(tmp_path / "tokens.csv")),
        resource_path=str(tmp_path),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(tmp_path / "sdk.log")),
    )
    return token


def only(items: list[Any] | None) -> Any:
    assert items is not None and len(items) == 1, items
    return items[0]


def param_map(*pairs: tuple[Any, Any]) -> Any:
    from zohocrmsdk.src.com.zoho.crm.api import ParameterMap

    params = ParameterMap()
    for param, value in pairs:
        params.add(param, value)
    return params


# --- users, org, modules, profiles ------------------------------------------------------------------


def who_am_i() -> tuple[Any, Any]:
    from zohocrmsdk.src.com.zoho.crm.api.org import OrgOperations
    from zohocrmsdk.src.com.zoho.crm.api.org import ResponseWrapper as OrgWrapper
    from zohocrmsdk.src.com.zoho.crm.api.users import GetUsersParam, UsersOperations
    from zohocrmsdk.src.com.zoho.crm.api.users import ResponseWrapper as UsersWrapper

    users = UsersOperations().get_users(param_map((GetUsersParam.type, "CurrentUser")))
    assert users.get_status_code() == 200
    assert isinstance(users.get_object(), UsersWrapper)
    org = OrgOperations().get_organization()
    assert org.get_status_code() == 200
    assert isinstance(org.get_object(), OrgWrapper)
    return only(users.get_object().get_users()), only(org.get_object().get_org())


def module_api_names() -> set[str]:
    from zohocrmsdk.src.com.zoho.crm.api.modules import ModulesOperations, ResponseWrapper

    response = ModulesOperations().get_modules()
    assert response.get_status_code() == 200
    assert isinstance(response.get_object(), ResponseWrapper)
    return {module.get_api_name() for module in response.get_object().get_modules()}


def profile_ids() -> dict[str, int]:
    from zohocrmsdk.src.com.zoho.crm.api.profiles import ProfilesOperations, ResponseWrapper

    response = ProfilesOperations().get_profiles()
    assert response.get_status_code() == 200
    assert isinstance(response.get_object(), ResponseWrapper)
    return {profile.get_name(): int(profile.get_id()) for profile in response.get_object().get_profiles()}


def module_success(response: Any, status: int) -> Any:
    from zohocrmsdk.src.com.zoho.crm.api.modules import ActionWrapper, SuccessResponse

    assert response.get_status_code() == status
    assert isinstance(response.get_object(), ActionWrapper)
    result = only(response.get_object().get_modules())
    assert isinstance(result, SuccessResponse), vars(result)
    return result


def create_and_update_custom_module(profiles: dict[str, int]) -> int:
    from zohocrmsdk.src.com.zoho.crm.api.modules import BodyWrapper, Modules, ModulesOperations, ResponseWrapper
    from zohocrmsdk.src.com.zoho.crm.api.profiles import MinifiedProfile

    administrator = MinifiedProfile()
    administrator.set_id(profiles["Administrator"])
    new = Modules()
    new.set_singular_label("Stock")
    new.set_plural_label("Stocks")
    new.set_api_name("Stocks")
    new.set_profiles([administrator])
    body = BodyWrapper()
    body.set_modules([new])
    created = module_success(ModulesOperations().create_custom_modules(body), 201)
    assert created.get_message().get_value() == "module created successfully"
    module_id = int(created.get_details()["id"])

    change = Modules()
    change.set_plural_label("Stock Items")
    body.set_modules([change])
    updated = module_success(ModulesOperations().update_module_by_api_name("Stocks", body), 200)
    assert int(updated.get_details()["id"]) == module_id

    read = ModulesOperations().get_module_by_api_name("Stocks")
    assert isinstance(read.get_object(), ResponseWrapper)
    module = only(read.get_object().get_modules())
    assert (int(module.get_id()), module.get_api_name(), module.get_plural_label()) == (
        module_id,
        "Stocks",
        "Stock Items",
    )
    assert module.get_generated_type().get_value() == "custom"
    assert module.get_api_supported() is True
    return module_id


def fields_of(module: str) -> dict[str, Any]:
    from zohocrmsdk.src.com.zoho.crm.api.fields import FieldsOperations, GetFieldsParam, ResponseWrapper

    response = FieldsOperations().get_fields(param_map((GetFieldsParam.module, module)))
    assert response.get_status_code() == 200
    assert isinstance(response.get_object(), ResponseWrapper)
    return {field.get_api_name(): field for field in response.get_object().get_fields()}


# --- records --------------------------------------------------------------------------------------


def record_of(**values: Any) -> Any:
    from zohocrmsdk.src.com.zoho.crm.api.record import Record

    record = Record()
    for name, value in values.items():
        record.add_key_value(name, value)
    return record


def records_body(*records: Any, duplicate_check_fields: list[str] | None = None) -> Any:
    from zohocrmsdk.src.com.zoho.crm.api.record import BodyWrapper

    body = BodyWrapper()
    body.set_data(list(records))
    if duplicate_check_fields is not None:
        body.set_duplicate_check_fields(duplicate_check_fields)
    return body


def record_success(response: Any, status: int, message: str) -> Any:
    from zohocrmsdk.src.com.zoho.crm.api.record import ActionWrapper, SuccessResponse

    assert response.get_status_code() == status
    assert isinstance(response.get_object(), ActionWrapper)
    result = only(response.get_object().get_data())
    assert isinstance(result, SuccessResponse), vars(result)
    assert result.get_message().get_value() == message
    return result


def read_one(module: str, record_id: int) -> Any:
    from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations, ResponseWrapper

    response = RecordOperations(module).get_record(record_id)
    assert response.get_status_code() == 200
    assert isinstance(response.get_object(), ResponseWrapper)
    return only(response.get_object().get_data())


def search(module: str, param: Any, value: str) -> Any:
    from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations

    return RecordOperations(module).search_records(param_map((param, value)))


def work_with_leads(admin_id: int) -> None:
    from zohocrmsdk.src.com.zoho.crm.api.record import (
        APIException,
        GetRecordsParam,
        RecordOperations,
        SearchRecordsParam,
    )
    from zohocrmsdk.src.com.zoho.crm.api.util import Choice

    leads = RecordOperations("Leads")
    created = record_success(
        leads.create_records(
            records_body(
                record_of(
                    Last_Name="Lovelace",
                    First_Name="Ada",
                    Company="Analytical Engines",
                    Email="ada@example.com",
                    Lead_Source=Choice("Web Download"),
                    Annual_Revenue=125000.5,
                )
            )
        ),
        201,
        "record added",
    )
    lead_id = int(created.get_details()["id"])
    assert int(created.get_details()["Created_By"].get_id()) == admin_id

    refused = leads.create_records(records_body(record_of(Company="No name")))
    assert refused.get_status_code() == 400
    error = only(refused.get_object().get_data())
    assert isinstance(error, APIException)
    assert (error.get_code().get_value(), error.get_details()["api_name"]) == ("MANDATORY_NOT_FOUND", "Last_Name")

    lead = read_one("Leads", lead_id)
    assert lead.get_id() == lead_id
    assert lead.get_key_value("Full_Name") == "Ada Lovelace"
    assert lead.get_key_value("Lead_Source").get_value() == "Web Download"
    assert lead.get_key_value("Annual_Revenue") == 125000.5
    assert lead.get_key_value("Owner").get_id() == admin_id
    created_time = lead.get_created_time()

    updated = record_success(
        leads.update_record(lead_id, records_body(record_of(Company="Analytical Engines Ltd"))), 200, "record updated"
    )
    assert int(updated.get_details()["id"]) == lead_id
    assert read_one("Leads", lead_id).get_key_value("Company") == "Analytical Engines Ltd"

    matched = record_success(
        leads.upsert_records(
            records_body(
                record_of(Last_Name="Lovelace", Email="ada@example.com", Designation="Countess"),
                duplicate_check_fields=["Email"],
            )
        ),
        200,
        "record updated",
    )
    assert int(matched.get_details()["id"]) == lead_id
    inserted = record_success(
        leads.upsert_records(records_body(record_of(Last_Name="Babbage", Email="charles@example.com"))),
        200,
        "record added",
    )
    babbage_id = int(inserted.get_details()["id"])
    assert babbage_id != lead_id
    lead = read_one("Leads", lead_id)
    assert (lead.get_key_value("Designation"), lead.get_created_time()) == ("Countess", created_time)

    by_criteria = search("Leads", SearchRecordsParam.criteria, "(Email:equals:ada@example.com)")
    assert by_criteria.get_status_code() == 200
    assert [record.get_id() for record in by_criteria.get_object().get_data()] == [lead_id]
    by_word = search("Leads", SearchRecordsParam.word, "Countess").get_object().get_data()
    assert [record.get_id() for record in by_word] == [lead_id]
    nothing = search("Leads", SearchRecordsParam.email, "nobody@example.com")
    assert (nothing.get_status_code(), nothing.get_object()) == (204, None)

    listed = leads.get_records(
        param_map((GetRecordsParam.fields, "Last_Name,Email"), (GetRecordsParam.sort_order, "asc"))
    )
    assert listed.get_status_code() == 200
    assert [(record.get_id(), record.get_key_value("Email")) for record in listed.get_object().get_data()] == [
        (lead_id, "ada@example.com"),
        (babbage_id, "charles@example.com"),
    ]
    info = listed.get_object().get_info()
    assert (info.get_count(), info.get_more_records(), info.get_page()) == (2, False, 1)

    deleted = record_success(leads.delete_record(babbage_id), 200, "record deleted")
    assert int(deleted.get_details()["id"]) == babbage_id
    assert leads.get_record(babbage_id).get_status_code() == 204


def work_with_the_custom_module() -> None:
    from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations, SearchRecordsParam

    stocks = RecordOperations("Stocks")
    created = record_success(
        stocks.create_records(records_body(record_of(Name="Difference Engine", Email="engine@example.com"))),
        201,
        "record added",
    )
    stock_id = int(created.get_details()["id"])
    stock = read_one("Stocks", stock_id)
    assert (stock.get_key_value("Name"), stock.get_key_value("Email")) == ("Difference Engine", "engine@example.com")

    record_success(
        stocks.update_record(stock_id, records_body(record_of(Email="engine2@example.com"))), 200, "record updated"
    )
    upserted = record_success(
        stocks.upsert_records(records_body(record_of(Name="Difference Engine", Secondary_Email="spare@example.com"))),
        200,
        "record updated",
    )
    assert int(upserted.get_details()["id"]) == stock_id
    stock = read_one("Stocks", stock_id)
    assert (stock.get_key_value("Email"), stock.get_key_value("Secondary_Email")) == (
        "engine2@example.com",
        "spare@example.com",
    )

    found = search("Stocks", SearchRecordsParam.criteria, "(Name:equals:Difference Engine)")
    assert found.get_status_code() == 200
    assert [record.get_id() for record in found.get_object().get_data()] == [stock_id]

    record_success(stocks.delete_record(stock_id), 200, "record deleted")
    assert search("Stocks", SearchRecordsParam.criteria, "(Name:equals:Difference Engine)").get_status_code() == 204


# --- unsubscribe links ----------------------------------------------------------------------------------


def link_success(response: Any, status: int) -> Any:
    from zohocrmsdk.src.com.zoho.crm.api.unsubscribe_links import ActionWrapper, SuccessResponse

    assert response.get_status_code() == status
    assert isinstance(response.get_object(), ActionWrapper)
    result = only(response.get_object().get_unsubscribe_links())
    assert isinstance(result, SuccessResponse), vars(result)
    return result


def manage_unsubscribe_links() -> None:
    from zohocrmsdk.src.com.zoho.crm.api.unsubscribe_links import (
        BodyWrapper,
        ResponseWrapper,
        UnsubscribeLinks,
        UnsubscribeLinksOperations,
    )
    from zohocrmsdk.src.com.zoho.crm.api.util import Choice

    operations = UnsubscribeLinksOperations()
    link = UnsubscribeLinks()
    link.set_name("Newsletter")
    link.set_page_type(Choice("standard"))
    link.set_standard_page_message("You will not get our newsletter any more.")
    link.set_submission_action_type(Choice("display_message"))
    link.set_submission_message("Unsubscribed.")
    body = BodyWrapper()
    body.set_unsubscribe_links([link])
    created = link_success(operations.create_unsubscribe_link(body), 201)
    assert created.get_message() == "Unsubscribe Link created successfully"
    link_id = int(created.get_details()["id"])

    listed = operations.get_unsubscribe_links()
    assert isinstance(listed.get_object(), ResponseWrapper)
    stored = only(listed.get_object().get_unsubscribe_links())
    assert (stored.get_id(), stored.get_name(), stored.get_page_type().get_value()) == (
        link_id,
        "Newsletter",
        "standard",
    )

    change = UnsubscribeLinks()
    change.set_submission_action_type(Choice("redirect"))
    change.set_submission_redirect_url("https://www.zylker.example/goodbye")
    body.set_unsubscribe_links([change])
    link_success(operations.update_unsubscribe_link(link_id, body), 200)
    read = only(operations.get_unsubscribe_link(link_id).get_object().get_unsubscribe_links())
    assert (read.get_submission_action_type().get_value(), read.get_submission_redirect_url()) == (
        "redirect",
        "https://www.zylker.example/goodbye",
    )

    deleted = link_success(operations.delete_unsubscribe_link(link_id), 200)
    assert int(deleted.get_details()["id"]) == link_id
    assert operations.get_unsubscribe_links().get_status_code() == 204


# --- the whole flow -----------------------------------------------------------------------------------


def assert_only_this_server(sent: list[Sent], server: LiveServer) -> None:
    assert sent
    assert {urlsplit(request.url).netloc for request in sent} == {f"127.0.0.1:{server.port}"}
    assert {urlsplit(request.url).scheme for request in sent} == {"http"}


@pytest.mark.usefixtures("both_backends")
def test_the_official_sdk_works_through_a_whole_session(
    live_server: LiveServer, db_url: str, tmp_path: Path, sent: list[Sent], sdk_clock: ShiftedTime
) -> None:
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
    from zohocrmsdk.src.com.zoho.crm.api.exception import SDKException
    from zohocrmsdk.src.com.zoho.crm.api.modules import APIException, ModulesOperations

    grant = self_client_grant(db_url, SCOPE)
    assert grant["accounts_url"] == live_server.url
    token = initialize(live_server, tmp_path, grant)
    first = sent[0]
    assert (first.method, first.path, first.form["grant_type"]) == ("POST", "/oauth/v2/token", ["authorization_code"])
    assert token.get_refresh_token().startswith("1000.")

    user, org = who_am_i()
    assert user.get_email() == "admin@zylker.example"
    assert str(org.get_id()) == live_server.emulator.default_org_id
    assert token.get_user_signature().get_name() == f"admin@zylker.example:{org.get_zgid()}"
    assert {"Leads", "Contacts", "Accounts", "Deals"} <= module_api_names()
    profiles = profile_ids()
    assert {"Administrator", "Standard"} <= set(profiles)

    create_and_update_custom_module(profiles)
    assert "Stocks" in module_api_names()
    stock_fields = fields_of("Stocks")
    assert {"Name", "Email", "Email_Opt_Out", "Owner"} <= set(stock_fields)
    lead_fields = fields_of("Leads")
    assert lead_fields["Last_Name"].get_system_mandatory() is True
    assert lead_fields["Lead_Source"].get_data_type() == "picklist"

    work_with_leads(int(user.get_id()))
    work_with_the_custom_module()
    manage_unsubscribe_links()

    # An hour later (the emulator's clock and the SDK's) the access token has expired; the SDK
    # refreshes by itself and the call goes through with the new token.
    expired = token.get_access_token()
    advanced = httpx.post(f"{live_server.url}/_emulator/clock/advance", json={"seconds": ACCESS_TOKEN_SECONDS + 1})
    assert advanced.status_code == 200
    stale = httpx.get(f"{live_server.url}/crm/v8/org", headers={"Authorization": f"Zoho-oauthtoken {expired}"})
    assert (stale.status_code, stale.json()["code"]) == (401, "INVALID_TOKEN")
    sdk_clock.offset = ACCESS_TOKEN_SECONDS + 1
    before = len(sent)
    assert "Stocks" in module_api_names()
    refresh, call = sent[before:]
    assert (refresh.path, refresh.form["grant_type"]) == ("/oauth/v2/token", ["refresh_token"])
    assert refresh.form["refresh_token"] == [token.get_refresh_token()]
    assert call.path == "/crm/v8/settings/modules"
    fresh = call.headers["Authorization"].removeprefix("Zoho-oauthtoken ")
    assert fresh != expired and fresh.startswith("1000.")

    # Revoking the refresh token ends the session: its access tokens die with it.
    revoke_url = f"{live_server.url}/oauth/v2/token/revoke"
    assert OAuthToken.revoke_refresh_token(token.get_refresh_token(), revoke_url) is True
    refused = ModulesOperations().get_modules()
    assert refused.get_status_code() == 401
    assert isinstance(refused.get_object(), APIException)
    assert refused.get_object().get_code().get_value() == "INVALID_TOKEN"
    # And the SDK cannot refresh any more (Zoho's invalid_code).
    sdk_clock.offset = 2 * (ACCESS_TOKEN_SECONDS + 1)
    with pytest.raises(SDKException) as raised:
        ModulesOperations().get_modules()
    assert "invalid_code" in str(raised.value)

    assert_only_this_server(sent, live_server)
    crm_calls = [request for request in sent if request.path.startswith("/crm/v8/")]
    assert all(request.headers["Authorization"].startswith("Zoho-oauthtoken 1000.") for request in crm_calls)
    assert all("Authorization" not in request.headers for request in sent if request.path.startswith("/oauth/"))
