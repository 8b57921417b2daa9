"""The official Python SDK's ``RecordOperations.search_records`` (SDK-WIRE §4d) against the emulator
over real HTTP: criteria with Zoho's escaping, email, word, 204 for no hit, and an error."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer

pytestmark = pytest.mark.sdk


def test_the_official_sdk_searches_records(live_server: LiveServer, tmp_path: Path) -> None:
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
    from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
    from zohocrmsdk.src.com.zoho.api.logger import Logger
    from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
    from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
    from zohocrmsdk.src.com.zoho.crm.api.record import (
        APIException,
        RecordOperations,
        ResponseWrapper,
        SearchRecordsParam,
    )

    url = live_server.url
    access_token = httpx.post(f"{url}/_emulator/tokens", json={}).json()["access_token"]
    leads = [
        {"Last_Name": "Burns,B", "Company": "Zylker (East)", "Email": "b.burns@zylker.example"},
        {"Last_Name": "Patel", "Company": "Zylker Inc.", "Email": "patel@other.example"},
    ]
    created = httpx.post(
        f"{url}/crm/v8/Leads", json={"data": leads}, headers={"Authorization": f"Zoho-oauthtoken {access_token}"}
    )
    assert created.status_code == 201, created.text
    Initializer.initialize(
        environment=DataCenter.Environment(url, f"{url}/oauth/v2/token", url),
        token=OAuthToken(access_token=access_token),
        store=FileStore(str(tmp_path / "tokens.csv")),
        resource_path=str(tmp_path),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(tmp_path / "sdk.log")),
    )
    operations = RecordOperations("Leads")

    def search(param: object, value: str) -> object:
        params = ParameterMap()
        params.add(param, value)
        return operations.search_records(params)

    # Zoho's escaping of ( ) and , inside a value; the SDK URL-encodes the rest.
    response = search(SearchRecordsParam.criteria, r"((Last_Name:equals:Burns\,B)and(Company:equals:Zylker \(East\)))")
    assert response.get_status_code() == 200
    wrapper = response.get_object()
    assert isinstance(wrapper, ResponseWrapper)
    found = wrapper.get_data()
    assert [record.get_key_value("Last_Name") for record in found] == ["Burns,B"]
    assert wrapper.get_info().get_count() == 1 and wrapper.get_info().get_more_records() is False

    by_word = search(SearchRecordsParam.word, "zylker").get_object().get_data()
    assert sorted(record.get_key_value("Last_Name") for record in by_word) == ["Burns,B", "Patel"]
    by_email = search(SearchRecordsParam.email, "patel@other.example").get_object().get_data()
    assert [record.get_key_value("Email") for record in by_email] == ["patel@other.example"]

    nothing = search(SearchRecordsParam.email, "nobody@nowhere.example")
    assert nothing.get_status_code() == 204 and nothing.get_object() is None

    refused = search(SearchRecordsParam.criteria, "(Company:greater_than:Zylker)")
    assert refused.get_status_code() == 400
    error = refused.get_object()
    assert isinstance(error, APIException)
    assert error.get_code().get_value() == "INVALID_QUERY"
    assert error.get_details() == {
        "api_name": "Company",
        "operator": "greater_than",
        "reason": "invalid operator found",
    }
