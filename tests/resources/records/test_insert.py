"""POST /{module}: values checked by field data type, mandatory and unknown fields, system fields,
and the 201/207/400 rule (REFERENCE §4.4-§4.5, §1.4, §1.7)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.records import add_field, get_one, insert_one, picklist
from zcrm_emulator.emulator import Emulator

# Every test runs on SQLite and, when a server is configured, on PostgreSQL.
pytestmark = pytest.mark.usefixtures("both_backends")

BASE: dict[str, dict[str, Any]] = {
    "Leads": {"Last_Name": "Doe"},
    "Contacts": {"Last_Name": "Doe"},
    "Accounts": {"Account_Name": "Zylker"},
    "Calls": {"Subject": "Intro", "Call_Type": "Outbound", "Call_Start_Time": "2026-01-20T10:00:00-05:00"},
    "Products": {"Product_Name": "Widget"},
}

# (module, field, value sent, value read back)
ACCEPTED = [
    ("Leads", "Company", "Zylker", "Zylker"),
    ("Leads", "Company", "x" * 200, "x" * 200),
    ("Leads", "Company", 12345, "12345"),
    ("Leads", "Email", " jo@zylker.example ", "jo@zylker.example"),
    ("Leads", "Phone", "+1 (555) 010-2000", "+1 (555) 010-2000"),
    ("Leads", "Phone", "1" * 30, "1" * 30),
    ("Leads", "Website", "www.zylker.example", "www.zylker.example"),
    ("Leads", "Website", "https://zylker.example/a?b=1", "https://zylker.example/a?b=1"),
    ("Leads", "Lead_Status", "Contacted", "Contacted"),
    ("Leads", "No_of_Employees", 250, 250),
    ("Leads", "No_of_Employees", "3827", 3827),
    ("Leads", "No_of_Employees", 999_999_999, 999_999_999),
    ("Leads", "Annual_Revenue", 1250.75, 1250.75),
    ("Leads", "Annual_Revenue", "0.5", 0.5),
    ("Leads", "Email_Opt_Out", True, True),
    ("Leads", "Description", "d" * 32000, "d" * 32000),
    ("Contacts", "Date_of_Birth", "1985-04-12", "1985-04-12"),
    ("Calls", "Call_Start_Time", "2026-01-20T10:00:00-05:00", "2026-01-20T07:00:00-08:00"),
    ("Calls", "Call_Start_Time", "2026-01-20T15:00:00Z", "2026-01-20T07:00:00-08:00"),
    ("Accounts", "Account_Number", 10023, "10023"),
    ("Accounts", "Account_Number", "10023", "10023"),
    ("Products", "Qty_Ordered", 12.5, 12.5),
]


@pytest.mark.parametrize(("module", "field", "sent", "read"), ACCEPTED)
def test_a_valid_value_is_stored_and_read_back_in_zoho_form(
    api: TestClient, module: str, field: str, sent: Any, read: Any
) -> None:
    record_id = insert_one(api, module, {**BASE[module], field: sent})
    assert get_one(api, module, record_id)[field] == read


TYPE = "expected_data_type"
# (module, field, bad value, details beyond api_name/json_path, message)
REFUSED = [
    ("Leads", "Company", "x" * 201, {"maximum_length": 200}, "invalid data"),
    ("Leads", "Company", True, {TYPE: "text"}, "invalid data"),
    ("Leads", "Email", "not-an-email", {TYPE: "email"}, "invalid data"),
    ("Leads", "Email", "a@b", {TYPE: "email"}, "invalid data"),
    ("Leads", "Phone", "1" * 31, {"maximum_length": 30}, "invalid data"),
    ("Leads", "Website", "not a site", {TYPE: "website"}, "invalid data"),
    ("Leads", "No_of_Employees", 1_234_567_890, {"maximum_length": 9}, "invalid data"),
    ("Leads", "No_of_Employees", 3_000_000_000, {TYPE: "integer"}, "invalid data"),
    ("Leads", "No_of_Employees", 12.5, {TYPE: "integer"}, "invalid data"),
    ("Leads", "No_of_Employees", "abc", {TYPE: "integer"}, "invalid data"),
    ("Leads", "No_of_Employees", True, {TYPE: "integer"}, "invalid data"),
    ("Leads", "Annual_Revenue", "lots", {TYPE: "double"}, "invalid data"),
    ("Leads", "Annual_Revenue", 12_345_678_901_234_567.0, {"maximum_length": 14}, "invalid data"),
    ("Leads", "Email_Opt_Out", "true", {TYPE: "boolean"}, "invalid data"),
    ("Leads", "Description", "d" * 32001, {"maximum_length": 32000}, "invalid data"),
    ("Contacts", "Date_of_Birth", "12/04/1985", {TYPE: "date"}, "invalid data"),
    ("Contacts", "Date_of_Birth", "2025-02-30", {TYPE: "date"}, "invalid data"),
    ("Calls", "Call_Start_Time", "2026-01-20T10:00:00", {TYPE: "datetime"}, "invalid data"),
    ("Calls", "Call_Start_Time", 1737385200000, {TYPE: "datetime"}, "invalid data"),
    ("Accounts", "Account_Number", "12a", {TYPE: "bigint"}, "invalid data"),
    ("Contacts", "Account_Name", {"id": "1234567000000000001"}, {}, "the id given seems to be invalid"),
    ("Contacts", "Account_Name", {"name": "no id"}, {TYPE: "jsonobject"}, "invalid data"),
    ("Leads", "Owner", {"id": "1234567000000000001"}, {}, "the id given seems to be invalid"),
    ("Leads", "Tag", [{"name": "t" * 26}], {TYPE: "jsonarray"}, "invalid data"),
]


@pytest.mark.parametrize(("module", "field", "bad", "extra", "message"), REFUSED)
def test_a_wrong_value_is_refused_with_zoho_details(
    api: TestClient, module: str, field: str, bad: Any, extra: dict[str, Any], message: str
) -> None:
    response = api.post(f"/crm/v8/{module}", json={"data": [{**BASE[module], field: bad}]})
    assert response.status_code == 400
    assert response.json() == {
        "data": [
            {
                "code": "INVALID_DATA",
                "details": {"api_name": field, "json_path": f"$.data[0].{field}", **extra},
                "message": message,
                "status": "error",
            }
        ]
    }


def test_a_picklist_value_outside_the_list_names_the_supported_values(api: TestClient) -> None:
    response = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Doe", "Lead_Status": "Warm-ish"}]})
    details = response.json()["data"][0]["details"]
    assert response.status_code == 400
    assert details["api_name"] == "Lead_Status"
    assert {"Contacted", "Not Contacted", "Junk Lead"} <= set(details["supported_values"])
    assert "Warm-ish" not in details["supported_values"]


@pytest.mark.parametrize(
    ("module", "record", "missing"),
    [
        ("Leads", {"Company": "Zylker"}, "Last_Name"),
        ("Leads", {"Last_Name": ""}, "Last_Name"),
        ("Leads", {"Last_Name": None}, "Last_Name"),
        ("Accounts", {"Phone": "1"}, "Account_Name"),
        ("Deals", {"Stage": "Qualification"}, "Deal_Name"),
        ("Deals", {"Deal_Name": "Big one"}, "Stage"),
        ("Calls", {"Subject": "s", "Call_Type": "Outbound"}, "Call_Start_Time"),
    ],
)
def test_a_missing_mandatory_field_is_mandatory_not_found(
    api: TestClient, module: str, record: dict[str, Any], missing: str
) -> None:
    response = api.post(f"/crm/v8/{module}", json={"data": [record]})
    assert response.status_code == 400
    assert response.json()["data"] == [
        {
            "code": "MANDATORY_NOT_FOUND",
            "details": {"api_name": missing, "json_path": f"$.data[0].{missing}"},
            "message": "required field not found",
            "status": "error",
        }
    ]


def test_an_unknown_field_is_invalid_data_naming_it(api: TestClient) -> None:
    response = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Doe", "Favourite_Colour": "blue"}]})
    assert response.json()["data"][0] == {
        "code": "INVALID_DATA",
        "details": {"api_name": "Favourite_Colour", "json_path": "$.data[0].Favourite_Colour"},
        "message": "the field api name given seems to be invalid",
        "status": "error",
    }


def test_all_added_is_201_mixed_is_207_none_is_400_in_input_order(api: TestClient) -> None:
    good, bad = {"Last_Name": "Doe"}, {"Company": "no last name"}
    assert api.post("/crm/v8/Leads", json={"data": [good, good]}).status_code == 201
    mixed = api.post("/crm/v8/Leads", json={"data": [bad, good, bad]})
    assert mixed.status_code == 207
    assert [item["status"] for item in mixed.json()["data"]] == ["error", "success", "error"]
    assert [item.get("details", {}).get("json_path") for item in mixed.json()["data"]][::2] == [
        "$.data[0].Last_Name",
        "$.data[2].Last_Name",
    ]
    assert api.post("/crm/v8/Leads", json={"data": [bad]}).status_code == 400


def test_success_details_carry_the_system_stamps_in_the_users_zone(api: TestClient, emulator: Emulator) -> None:
    item = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Doe"}]}).json()["data"][0]
    details = item["details"]
    assert item["code"] == "SUCCESS" and item["message"] == "record added"
    assert set(details) == {"Modified_Time", "Modified_By", "Created_Time", "id", "Created_By", "$approval_state"}
    assert details["id"].isdigit() and len(details["id"]) in (18, 19)
    assert details["Created_Time"] == details["Modified_Time"]
    assert details["Created_Time"].endswith(("-08:00", "-07:00"))  # the admin's America/Los_Angeles
    assert details["Created_By"]["name"] == "Zylker Admin" and set(details["Created_By"]) == {"name", "id"}
    assert details["$approval_state"] == "approved"


def test_the_server_sets_system_fields_and_ignores_read_only_ones(api: TestClient) -> None:
    sent = {
        "Last_Name": "Doe",
        "First_Name": "Jo",
        "Full_Name": "Somebody Else",
        "Created_Time": "2001-01-01T00:00:00+00:00",
        "id": "42",
        "$approval_state": "rejected",
    }
    record = get_one(api, "Leads", insert_one(api, "Leads", sent))
    assert record["Full_Name"] == "Jo Doe"
    assert record["Created_Time"] != "2001-01-01T00:00:00+00:00"
    assert record["id"] != "42"
    assert record["Owner"]["name"] == "Zylker Admin" and set(record["Owner"]) == {"name", "id", "email"}
    assert record["Created_By"] == record["Modified_By"] == record["Owner"]
    assert record["Layout"]["name"] == "Standard" and record["Layout"]["id"].isdigit()
    assert record["Tag"] == [] and record["Locked__s"] is False
    assert record["$approval_state"] == "approved"
    assert record["Company"] is None  # unset fields read as null


def test_owner_can_be_another_user_of_the_org(api: TestClient, emulator: Emulator) -> None:
    from tests.support.people import add_standard_user

    rep = add_standard_user(emulator)
    record = get_one(api, "Leads", insert_one(api, "Leads", {"Last_Name": "Doe", "Owner": {"id": rep}}))
    assert record["Owner"] == {"name": "Sam Rep", "id": rep, "email": "rep@zylker.example"}


def test_a_lookup_is_written_as_an_id_and_read_as_name_and_id(api: TestClient) -> None:
    account = insert_one(api, "Accounts", {"Account_Name": "Zylker Corp"})
    for written in ({"id": account}, account, {"id": int(account), "name": "ignored"}):
        contact = get_one(api, "Contacts", insert_one(api, "Contacts", {"Last_Name": "Doe", "Account_Name": written}))
        assert contact["Account_Name"] == {"name": "Zylker Corp", "id": account}


def test_a_lookup_to_a_record_of_another_module_is_refused(api: TestClient) -> None:
    lead = insert_one(api, "Leads", {"Last_Name": "Doe"})
    response = api.post("/crm/v8/Contacts", json={"data": [{"Last_Name": "Doe", "Account_Name": {"id": lead}}]})
    assert response.json()["data"][0]["message"] == "the id given seems to be invalid"


def test_tags_are_kept_by_name(api: TestClient) -> None:
    record = get_one(api, "Leads", insert_one(api, "Leads", {"Last_Name": "Doe", "Tag": [{"name": "Hot"}]}))
    (tag,) = record["Tag"]  # the name became one of the module's tags (tests/resources/tags)
    assert (tag["name"], tag["color_code"]) == ("Hot", None) and tag["id"].isdigit()


def test_autonumbers_are_server_generated_in_sequence(api: TestClient) -> None:
    case = {"Subject": "Broken", "Status": "New", "Case_Origin": "Email", "Case_Number": "999"}
    first = get_one(api, "Cases", insert_one(api, "Cases", case))
    second = get_one(api, "Cases", insert_one(api, "Cases", case))
    assert (first["Case_Number"], second["Case_Number"]) == ("1", "2")


def test_custom_field_types_percent_multiselect_and_unique(api: TestClient, emulator: Emulator) -> None:
    add_field(emulator, "Leads", "Discount", "percent", length=5, decimal_place=2)
    add_field(emulator, "Leads", "Colours", "multiselectpicklist", pick_list_values=picklist("Red", "Blue"))
    add_field(emulator, "Leads", "Badge", "text", length=10, unique={"casesensitive": False})
    record_id = insert_one(api, "Leads", {"Last_Name": "A", "Discount": 12.5, "Colours": ["Red"], "Badge": "B-1"})
    assert get_one(api, "Leads", record_id)["Colours"] == ["Red"]
    wrong = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "B", "Colours": ["Red", "Green"]}]})
    assert wrong.json()["data"][0]["details"] == {
        "api_name": "Colours",
        "json_path": "$.data[0].Colours",
        "supported_values": ["Red", "Blue"],
    }
    not_a_list = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "B", "Colours": "Red"}]})
    assert not_a_list.json()["data"][0]["details"]["expected_data_type"] == "jsonarray"
    too_big = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "B", "Discount": 1234.5}]})
    assert too_big.json()["data"][0]["details"]["maximum_length"] == 3


def test_a_unique_value_in_use_is_duplicate_data_with_the_holder(api: TestClient, emulator: Emulator) -> None:
    add_field(emulator, "Leads", "Badge", "text", length=10, unique={"casesensitive": False})
    holder = insert_one(api, "Leads", {"Last_Name": "A", "Badge": "B-1"})
    response = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "B", "Badge": " b-1 "}, {"Last_Name": "C"}]})
    assert response.status_code == 207
    error = response.json()["data"][0]
    assert error["code"] == "DUPLICATE_DATA" and error["message"] == "duplicate data"
    details = error["details"]
    assert (details["api_name"], details["json_path"], details["more_records"]) == ("Badge", "$.data[0].Badge", False)
    assert details["duplicate_record"]["id"] == holder
    assert details["duplicate_record"]["module"]["api_name"] == "Leads"
    assert details["duplicate_record"]["Owner"]["name"] == "Zylker Admin"


def test_duplicates_within_one_call_are_caught(api: TestClient, emulator: Emulator) -> None:
    add_field(emulator, "Leads", "Badge", "text", length=10, unique={"casesensitive": False})
    response = api.post(
        "/crm/v8/Leads", json={"data": [{"Last_Name": "A", "Badge": "X"}, {"Last_Name": "B", "Badge": "x"}]}
    )
    assert [item["code"] for item in response.json()["data"]] == ["SUCCESS", "DUPLICATE_DATA"]


def test_duplicate_check_fields_on_insert_refuse_an_existing_email(api: TestClient) -> None:
    insert_one(api, "Leads", {"Last_Name": "A", "Email": "jo@zylker.example"})
    body = {"data": [{"Last_Name": "B", "Email": "JO@zylker.example"}], "duplicate_check_fields": ["Email"]}
    assert api.post("/crm/v8/Leads", json=body).json()["data"][0]["code"] == "DUPLICATE_DATA"
    assert api.post("/crm/v8/Leads", json={"data": body["data"]}).status_code == 201  # Email is not unique


@pytest.mark.parametrize(
    ("body", "code", "details"),
    [
        ({}, "MANDATORY_NOT_FOUND", {"api_name": "data", "json_path": "$.data"}),
        ({"data": []}, "MANDATORY_NOT_FOUND", {"api_name": "data", "json_path": "$.data"}),
        (
            {"data": {"Last_Name": "x"}},
            "INVALID_DATA",
            {"api_name": "data", "json_path": "$.data", "expected_data_type": "jsonarray"},
        ),
        ({"data": [{"Last_Name": "x"}] * 101}, "LIMIT_EXCEEDED", {"maximum_length": 100, "api_name": "data"}),
        (
            {"data": [{"Last_Name": "x"}], "trigger": ["workflow", "magic"]},
            "INVALID_DATA",
            {
                "api_name": "trigger",
                "json_path": "$.trigger[1]",
                "supported_values": ["workflow", "approval", "blueprint", "pathfinder", "orchestration"],
            },
        ),
    ],
)
def test_a_refused_call_answers_inside_the_data_array(
    api: TestClient, body: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = api.post("/crm/v8/Leads", json=body)
    assert response.status_code == 400
    assert response.json()["data"][0]["code"] == code
    assert response.json()["data"][0]["details"] == details


def test_exactly_100_records_are_accepted(api: TestClient) -> None:
    response = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": f"L{n}"} for n in range(100)]})
    assert response.status_code == 201 and len(response.json()["data"]) == 100


def test_a_body_that_is_not_json_is_refused(api: TestClient) -> None:
    response = api.post("/crm/v8/Leads", content=b"not json")
    assert response.status_code == 400
    assert response.json()["data"][0]["details"] == {"expected_data_type": "jsonobject"}


def test_an_item_that_is_not_an_object_fails_alone(api: TestClient) -> None:
    response = api.post("/crm/v8/Leads", json={"data": ["oops", {"Last_Name": "ok"}]})
    assert response.status_code == 207
    assert response.json()["data"][0]["details"] == {"json_path": "$.data[0]", "expected_data_type": "jsonobject"}


@pytest.mark.parametrize("module", ["Nope", "Home", "Quoted_Items", "Visits", "leads_"])
def test_an_unknown_or_non_record_module_is_invalid_module(api: TestClient, module: str) -> None:
    response = api.post(f"/crm/v8/{module}", json={"data": [{"Last_Name": "x"}]})
    assert response.status_code == 400
    assert response.json() == {
        "data": [
            {
                "code": "INVALID_MODULE",
                "details": {"resource_path_index": 0},
                "message": "the module name given seems to be invalid",
                "status": "error",
            }
        ]
    }


def test_nothing_is_half_written_when_a_call_fails_midway(api: TestClient, emulator: Emulator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from zcrm_emulator.record_model import repo

    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(repo, "replace_keys", explode)
    response = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Doe"}]})
    assert response.status_code == 500
    assert response.json()["code"] == "INTERNAL_ERROR"
    monkeypatch.undo()
    assert api.get("/crm/v8/Leads/actions/count").json() == {"count": 0}
