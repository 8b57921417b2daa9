"""PUT /{module} and PUT /{module}/{id}: partial updates, ids, $append_values, If-Unmodified-Since
(REFERENCE §4.6, §1.2, §1.4)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.records import add_field, get_one, insert_one, picklist
from zcrm_emulator.clock import iso
from zcrm_emulator.emulator import Emulator

# Every test runs on SQLite and, when a server is configured, on PostgreSQL.
pytestmark = pytest.mark.usefixtures("both_backends")


def test_an_update_changes_only_the_given_fields(api: TestClient, emulator: Emulator) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe", "Company": "Zylker", "Email": "jo@zylker.example"})
    emulator.advance_clock(5)
    response = api.put("/crm/v8/Leads", json={"data": [{"id": record_id, "Company": "Zylker Inc"}]})
    assert response.status_code == 200
    item = response.json()["data"][0]
    assert (item["code"], item["message"], item["details"]["id"]) == ("SUCCESS", "record updated", record_id)
    assert item["details"]["Modified_Time"] > item["details"]["Created_Time"]
    record = get_one(api, "Leads", record_id)
    assert (record["Company"], record["Email"], record["Last_Name"]) == ("Zylker Inc", "jo@zylker.example", "Doe")


def test_the_single_form_takes_the_id_from_the_path(api: TestClient) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe"})
    response = api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Lead_Status": "Contacted"}]})
    assert response.status_code == 200
    assert get_one(api, "Leads", record_id)["Lead_Status"] == "Contacted"


def test_an_update_can_clear_a_field_but_not_a_mandatory_one(api: TestClient) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe", "Company": "Zylker"})
    assert api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": None}]}).status_code == 200
    assert get_one(api, "Leads", record_id)["Company"] is None
    for empty in (None, "", "  "):
        refused = api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Last_Name": empty}]})
        assert refused.status_code == 400
        assert refused.json()["data"][0]["code"] == "MANDATORY_NOT_FOUND"


def test_full_name_follows_the_name_parts(api: TestClient) -> None:
    record_id = insert_one(api, "Contacts", {"First_Name": "Jo", "Last_Name": "Doe"})
    api.put(f"/crm/v8/Contacts/{record_id}", json={"data": [{"First_Name": "Sam"}]})
    assert get_one(api, "Contacts", record_id)["Full_Name"] == "Sam Doe"


@pytest.mark.parametrize(
    ("item", "code", "details", "message"),
    [
        (
            {"Company": "x"},
            "MANDATORY_NOT_FOUND",
            {"api_name": "id", "json_path": "$.data[0].id"},
            "required field not found",
        ),
        (
            {"id": "abc", "Company": "x"},
            "INVALID_DATA",
            {"api_name": "id", "json_path": "$.data[0].id"},
            "the id given seems to be invalid",
        ),
        (
            {"id": "1234567000000000001", "Company": "x"},
            "INVALID_DATA",
            {"api_name": "id", "json_path": "$.data[0].id"},
            "the id given seems to be invalid",
        ),
    ],
)
def test_a_bulk_item_needs_the_id_of_a_live_record(
    api: TestClient, item: dict[str, Any], code: str, details: dict[str, Any], message: str
) -> None:
    response = api.put("/crm/v8/Leads", json={"data": [item]})
    assert response.status_code == 400
    assert response.json()["data"][0] == {"code": code, "details": details, "message": message, "status": "error"}


def test_mixed_update_results_are_207(api: TestClient) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe"})
    response = api.put(
        "/crm/v8/Leads", json={"data": [{"id": record_id, "Company": "a"}, {"id": record_id, "Nope": 1}]}
    )
    assert response.status_code == 207
    assert response.json()["data"][1]["details"] == {"api_name": "Nope", "json_path": "$.data[1].Nope"}


def test_ids_may_be_json_numbers(api: TestClient) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe"})
    response = api.put("/crm/v8/Leads", content=f'{{"data":[{{"id":{record_id},"Company":"n"}}]}}'.encode())
    assert response.status_code == 200, response.text


def test_append_values_adds_to_a_multiselect_instead_of_replacing(api: TestClient, emulator: Emulator) -> None:
    add_field(emulator, "Leads", "Colours", "multiselectpicklist", pick_list_values=picklist("Red", "Blue", "Green"))
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe", "Colours": ["Red"]})
    api.put(
        f"/crm/v8/Leads/{record_id}", json={"data": [{"Colours": ["Blue", "Red"], "$append_values": {"Colours": True}}]}
    )
    assert get_one(api, "Leads", record_id)["Colours"] == ["Red", "Blue"]
    api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Colours": ["Green"]}]})
    assert get_one(api, "Leads", record_id)["Colours"] == ["Green"]


def test_if_unmodified_since_refuses_a_record_changed_later_with_412(api: TestClient, emulator: Emulator) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe"})
    before = iso(emulator.clock.now_ms() - 10_000)
    response = api.put(
        f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": "late"}]}, headers={"If-Unmodified-Since": before}
    )
    assert response.status_code == 412
    item = response.json()["data"][0]
    assert item["code"] == "ALREADY_MODIFIED"
    assert item["message"] == "record updated time has already passed if-unmodified-since time"
    assert set(item["details"]) == {"Modified_Time", "Created_Time", "id", "Modified_By", "Created_By"}
    assert get_one(api, "Leads", record_id)["Company"] is None
    after = iso(emulator.clock.now_ms() + 1000)
    ok = api.put(
        f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": "on time"}]}, headers={"If-Unmodified-Since": after}
    )
    assert ok.status_code == 200


def test_if_unmodified_since_conflict_beside_a_success_is_207(api: TestClient, emulator: Emulator) -> None:
    old = insert_one(api, "Leads", {"Last_Name": "Old"})
    moment = iso(emulator.clock.now_ms())
    emulator.advance_clock(10)
    newer = insert_one(api, "Leads", {"Last_Name": "New"})
    response = api.put(
        "/crm/v8/Leads",
        json={"data": [{"id": old, "Company": "a"}, {"id": newer, "Company": "b"}]},
        headers={"If-Unmodified-Since": moment},
    )
    assert response.status_code == 207
    assert [item["code"] for item in response.json()["data"]] == ["SUCCESS", "ALREADY_MODIFIED"]


def test_a_malformed_path_id_is_invalid_record_id(api: TestClient) -> None:
    response = api.put("/crm/v8/Leads/not-an-id", json={"data": [{"Company": "x"}]})
    assert response.status_code == 400
    assert response.json()["data"][0]["message"] == "invalid record id"


def test_an_update_cannot_take_a_unique_value_of_another_record(api: TestClient, emulator: Emulator) -> None:
    add_field(emulator, "Leads", "Badge", "text", length=10, unique={"casesensitive": False})
    insert_one(api, "Leads", {"Last_Name": "A", "Badge": "one"})
    second = insert_one(api, "Leads", {"Last_Name": "B", "Badge": "two"})
    assert api.put(f"/crm/v8/Leads/{second}", json={"data": [{"Badge": "two"}]}).status_code == 200  # its own value
    refused = api.put(f"/crm/v8/Leads/{second}", json={"data": [{"Badge": "ONE"}]})
    assert refused.json()["data"][0]["code"] == "DUPLICATE_DATA"
