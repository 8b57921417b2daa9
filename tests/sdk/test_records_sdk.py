"""The official Python SDK (zohocrmsdk8-0) against a live emulator: field metadata, then record
create, get, update, upsert and delete on Leads (SDK-WIRE §3, §4c, §4d). The SDK reads
/settings/fields before its first record call on a module and refuses to go on if that fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer

pytestmark = pytest.mark.sdk


@pytest.fixture
def sdk(live_server: LiveServer, tmp_path: Path) -> str:
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
    from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
    from zohocrmsdk.src.com.zoho.api.logger import Logger
    from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer

    url = live_server.url
    access_token = httpx.post(f"{url}/_emulator/tokens", json={}).json()["access_token"]
    Initializer.initialize(
        environment=DataCenter.Environment(url, f"{url}/oauth/v2/token", url),
        token=OAuthToken(access_token=access_token),
        store=FileStore(str(tmp_path / "tokens.csv")),
        resource_path=str(tmp_path),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(tmp_path / "sdk.log")),
    )
    return access_token


def _only(response: Any) -> Any:
    """The single action item of a write response (an ActionResponse: SuccessResponse or APIException)."""
    [item] = response.get_object().get_data()
    return item


def test_the_sdk_reads_field_metadata(sdk: str) -> None:
    from zohocrmsdk.src.com.zoho.crm.api.fields import FieldsOperations, GetFieldsParam
    from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap

    params = ParameterMap()
    params.add(GetFieldsParam.module, "Leads")
    response = FieldsOperations().get_fields(params)
    assert response.get_status_code() == 200
    fields = {f.get_api_name(): f for f in response.get_object().get_fields()}
    assert fields["Last_Name"].get_system_mandatory() is True
    assert fields["Last_Name"].get_data_type() == "text"
    assert fields["Email"].get_data_type() == "email"


def test_the_sdk_creates_reads_updates_upserts_and_deletes_leads(sdk: str) -> None:
    from zohocrmsdk.src.com.zoho.crm.api.record import (
        ActionWrapper,
        APIException,
        BodyWrapper,
        Field,
        Record,
        RecordOperations,
        ResponseWrapper,
        SuccessResponse,
    )
    from zohocrmsdk.src.com.zoho.crm.api.util import Choice

    leads = RecordOperations("Leads")

    record = Record()
    record.add_field_value(Field.Leads.last_name(), "Boyle")
    record.add_field_value(Field.Leads.company(), "Zylker")
    record.add_field_value(Field.Leads.email(), "boyle@zylker.example")
    record.add_key_value("Annual_Revenue", 125000.5)
    body = BodyWrapper()
    body.set_data([record])
    created = leads.create_records(body)
    assert created.get_status_code() == 201
    assert isinstance(created.get_object(), ActionWrapper)
    item = _only(created)
    assert isinstance(item, SuccessResponse), vars(item)
    assert item.get_message().get_value() == "record added"
    record_id = int(item.get_details()["id"])

    missing = Record()
    missing.add_field_value(Field.Leads.company(), "No name")
    body.set_data([missing])
    refused = leads.create_records(body)
    assert refused.get_status_code() == 400
    error = _only(refused)
    assert isinstance(error, APIException)
    assert error.get_code().get_value() == "MANDATORY_NOT_FOUND"
    assert error.get_details()["api_name"] == "Last_Name"

    fetched = leads.get_record(record_id)
    assert fetched.get_status_code() == 200
    assert isinstance(fetched.get_object(), ResponseWrapper)
    [lead] = fetched.get_object().get_data()
    assert lead.get_key_value("Last_Name") == "Boyle"
    assert lead.get_key_value("Annual_Revenue") == 125000.5
    assert lead.get_key_value("Owner").get_name() == "Zylker Admin"
    assert lead.get_created_time() is not None

    change = Record()
    change.add_field_value(Field.Leads.company(), "Zylker Inc")
    body.set_data([change])
    updated = leads.update_record(record_id, body)
    assert updated.get_status_code() == 200
    assert _only(updated).get_message().get_value() == "record updated"
    [lead] = leads.get_record(record_id).get_object().get_data()
    assert lead.get_key_value("Company") == "Zylker Inc"

    again = Record()
    again.add_field_value(Field.Leads.last_name(), "Boyle")
    again.add_field_value(Field.Leads.email(), "boyle@zylker.example")
    again.add_key_value("Lead_Source", Choice("Web Download"))  # the SDK sends picklists as Choice
    body.set_data([again])
    body.set_duplicate_check_fields(["Email"])
    upserted = leads.upsert_records(body)
    assert upserted.get_status_code() == 200
    item = _only(upserted)
    assert isinstance(item, SuccessResponse)
    assert int(item.get_details()["id"]) == record_id
    assert item.get_message().get_value() == "record updated"

    deleted = leads.delete_record(record_id)
    assert deleted.get_status_code() == 200
    assert _only(deleted).get_message().get_value() == "record deleted"
    assert leads.get_record(record_id).get_status_code() == 204
