"""POST /{module}/upsert (REFERENCE §4.7), DELETE and the recycle bin (§4.8), and the record count
(§4.10)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.records import get_one, insert_one
from zcrm_emulator.emulator import Emulator

# Every test runs on SQLite and, when a server is configured, on PostgreSQL.
pytestmark = pytest.mark.usefixtures("both_backends")

# --- upsert --------------------------------------------------------------------------------------


def test_upsert_updates_the_record_holding_the_default_field_value(api: TestClient) -> None:
    existing = insert_one(api, "Leads", {"Last_Name": "Doe", "Email": "jo@zylker.example"})
    response = api.post(
        "/crm/v8/Leads/upsert",
        json={"data": [{"Last_Name": "Doe", "Email": "JO@zylker.example", "Company": "Z"}, {"Last_Name": "New"}]},
    )
    assert response.status_code == 200
    updated, inserted = response.json()["data"]
    assert (updated["action"], updated["duplicate_field"], updated["message"]) == ("update", "Email", "record updated")
    assert updated["details"]["id"] == existing
    assert (inserted["action"], inserted["duplicate_field"], inserted["message"]) == ("insert", "Email", "record added")
    assert list(updated) == ["code", "duplicate_field", "action", "details", "message", "status"]
    assert get_one(api, "Leads", existing)["Company"] == "Z"


@pytest.mark.parametrize(
    ("module", "first", "second", "field"),
    [
        ("Accounts", {"Account_Name": "Zylker"}, {"Account_Name": "zylker", "Phone": "1"}, "Account_Name"),
        ("Deals", {"Deal_Name": "D", "Stage": "Qualification"}, {"Deal_Name": "D", "Stage": "Closed Won"}, "Deal_Name"),
        ("Products", {"Product_Name": "Widget"}, {"Product_Name": "Widget", "Product_Code": "W1"}, "Product_Name"),
    ],
)
def test_upsert_uses_each_modules_system_default(
    api: TestClient, module: str, first: dict[str, str], second: dict[str, str], field: str
) -> None:
    existing = insert_one(api, module, first)
    item = api.post(f"/crm/v8/{module}/upsert", json={"data": [second]}).json()["data"][0]
    assert (item["action"], item["duplicate_field"], item["details"]["id"]) == ("update", field, existing)


def test_a_value_a_record_left_earlier_in_the_same_call_no_longer_matches_it(api: TestClient) -> None:
    """Item 2 moves the new record from Company "Acme" to "Beta"; item 3 asks for "Acme" and must
    not find it (the call's own index forgets every value a record no longer holds)."""
    body = {
        "data": [
            {"Last_Name": "A", "Email": "a@zylker.example", "Company": "Acme"},
            {"Last_Name": "A2", "Email": "a@zylker.example", "Company": "Beta"},
            {"Last_Name": "C", "Company": "Acme"},
        ],
        "duplicate_check_fields": ["Email", "Company"],
    }
    first, second, third = api.post("/crm/v8/Leads/upsert", json=body).json()["data"]
    assert (first["action"], second["action"], second["details"]["id"]) == ("insert", "update", first["details"]["id"])
    assert third["action"] == "insert"
    assert third["details"]["id"] != first["details"]["id"]


def test_duplicate_check_fields_replace_the_default(api: TestClient) -> None:
    insert_one(api, "Leads", {"Last_Name": "Doe", "Email": "jo@zylker.example", "Phone": "555"})
    by_phone = {
        "data": [{"Last_Name": "X", "Email": "other@zylker.example", "Phone": "555"}],
        "duplicate_check_fields": ["Phone"],
    }
    item = api.post("/crm/v8/Leads/upsert", json=by_phone).json()["data"][0]
    assert (item["action"], item["duplicate_field"]) == ("update", "Phone")
    by_company = {"data": [{"Last_Name": "Y", "Email": "jo@zylker.example"}], "duplicate_check_fields": ["Company"]}
    item = api.post("/crm/v8/Leads/upsert", json=by_company).json()["data"][0]
    assert item["action"] == "insert"  # Email is not consulted when other fields are given


def test_upsert_matches_a_non_key_field_by_its_value(api: TestClient) -> None:
    existing = insert_one(api, "Leads", {"Last_Name": "Doe", "Company": "Zylker"})
    body = {"data": [{"Last_Name": "Doe", "Company": "zylker "}], "duplicate_check_fields": ["Company"]}
    assert api.post("/crm/v8/Leads/upsert", json=body).json()["data"][0]["details"]["id"] == existing


def test_upsert_matches_an_items_id_first(api: TestClient) -> None:
    existing = insert_one(api, "Leads", {"Last_Name": "Doe", "Email": "a@zylker.example"})
    insert_one(api, "Leads", {"Last_Name": "Other", "Email": "b@zylker.example"})
    body = {"data": [{"id": existing, "Last_Name": "Doe", "Email": "b@zylker.example"}]}
    item = api.post("/crm/v8/Leads/upsert", json=body).json()["data"][0]
    assert (item["action"], item["duplicate_field"], item["details"]["id"]) == ("update", "id", existing)


def test_upsert_twice_in_one_call_inserts_then_updates(api: TestClient) -> None:
    body = {
        "data": [
            {"Last_Name": "One", "Email": "same@zylker.example"},
            {"Last_Name": "Two", "Email": "same@zylker.example"},
        ]
    }
    first, second = api.post("/crm/v8/Leads/upsert", json=body).json()["data"]
    assert (first["action"], second["action"]) == ("insert", "update")
    assert first["details"]["id"] == second["details"]["id"]
    assert get_one(api, "Leads", first["details"]["id"])["Last_Name"] == "Two"
    assert api.get("/crm/v8/Leads/actions/count").json() == {"count": 1}


def test_upsert_insert_path_still_checks_mandatory_fields(api: TestClient) -> None:
    response = api.post("/crm/v8/Leads/upsert", json={"data": [{"Email": "new@zylker.example"}]})
    assert response.status_code == 400
    assert response.json()["data"][0]["code"] == "MANDATORY_NOT_FOUND"


def test_upsert_custom_module_matches_on_name(api: TestClient) -> None:
    from tests.support.records import create_custom_module

    create_custom_module(api)
    existing = insert_one(api, "Stocks", {"Name": "S-1"})
    item = api.post("/crm/v8/Stocks/upsert", json={"data": [{"Name": "S-1", "Email": "s@x.example"}]}).json()["data"][0]
    assert (item["action"], item["duplicate_field"], item["details"]["id"]) == ("update", "Name", existing)


@pytest.mark.parametrize(
    ("fields", "json_path", "message"),
    [
        (["Nope"], "$.duplicate_check_fields[0]", "the field api name given seems to be invalid"),
        (["Email", "Lead_Status"], "$.duplicate_check_fields[1]", "invalid data"),
    ],
)
def test_bad_duplicate_check_fields_refuse_the_call(
    api: TestClient, fields: list[str], json_path: str, message: str
) -> None:
    response = api.post("/crm/v8/Leads/upsert", json={"data": [{"Last_Name": "x"}], "duplicate_check_fields": fields})
    assert response.status_code == 400
    error = response.json()["data"][0]
    assert (error["code"], error["details"]["json_path"], error["message"]) == ("INVALID_DATA", json_path, message)


# --- delete and the recycle bin ----------------------------------------------------------------------


def test_delete_many_moves_records_to_the_recycle_bin(api: TestClient) -> None:
    first, second = insert_one(api, "Leads", {"Last_Name": "A"}), insert_one(api, "Leads", {"Last_Name": "B"})
    response = api.delete("/crm/v8/Leads", params={"ids": f"{first},{second}"})
    assert response.status_code == 200
    assert response.json() == {
        "data": [
            {"code": "SUCCESS", "details": {"id": first}, "message": "record deleted", "status": "success"},
            {"code": "SUCCESS", "details": {"id": second}, "message": "record deleted", "status": "success"},
        ]
    }
    assert api.get(f"/crm/v8/Leads/{first}").status_code == 204
    assert api.get("/crm/v8/Leads/actions/count").json() == {"count": 0}


def test_delete_of_unknown_ids_beside_known_ones_is_207(api: TestClient) -> None:
    known = insert_one(api, "Leads", {"Last_Name": "A"})
    response = api.delete("/crm/v8/Leads", params={"ids": f"{known},1234567000000000001"})
    assert response.status_code == 207
    assert response.json()["data"][1] == {
        "code": "INVALID_DATA",
        "details": {"id": "1234567000000000001"},
        "message": "record not deleted",
        "status": "error",
    }
    assert api.delete("/crm/v8/Leads", params={"ids": known}).status_code == 400  # already in the bin


@pytest.mark.parametrize(
    ("query", "code", "details"),
    [
        ({}, "REQUIRED_PARAM_MISSING", {"param_name": "ids"}),
        ({"ids": ""}, "REQUIRED_PARAM_MISSING", {"param_name": "ids"}),
        ({"ids": "123,abc"}, "UNABLE_TO_PARSE_DATA_TYPE", {"param_name": "ids"}),
        (
            {"ids": ",".join(str(1234567000000000001 + n) for n in range(101))},
            "LIMIT_EXCEEDED",
            {"limit": 100, "param_name": "ids"},
        ),
    ],
)
def test_delete_ids_param_rules(api: TestClient, query: dict[str, str], code: str, details: dict[str, object]) -> None:
    response = api.delete("/crm/v8/Leads", params=query)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["details"] == details


def test_delete_accepts_exactly_100_ids(api: TestClient) -> None:
    response = api.delete("/crm/v8/Leads", params={"ids": ",".join(str(1234567000000000001 + n) for n in range(100))})
    assert response.status_code == 400 and len(response.json()["data"]) == 100


def test_delete_one_by_path(api: TestClient) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "A"})
    response = api.delete(f"/crm/v8/Leads/{record_id}")
    assert response.status_code == 200
    assert response.json()["data"][0]["details"] == {"id": record_id}


@pytest.mark.parametrize("record_id", ["not-a-number", "1234567000000000001"])
def test_delete_one_with_a_bad_id_is_a_bare_invalid_record_id(api: TestClient, record_id: str) -> None:
    response = api.delete(f"/crm/v8/Leads/{record_id}")
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_DATA",
        "details": {"resource_path_index": 0},
        "message": "invalid record id",
        "status": "error",
    }


def test_the_deleted_list_shows_recycle_then_permanent_entries(
    api: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    old = insert_one(api, "Leads", {"Last_Name": "Old"})
    api.delete(f"/crm/v8/Leads/{old}")
    emulator.advance_clock(61 * 24 * 3600)  # past the 60-day retention
    api.headers["Authorization"] = f"Zoho-oauthtoken {make_token()}"
    recent = insert_one(api, "Leads", {"Last_Name": "Recent"})
    api.delete(f"/crm/v8/Leads/{recent}")
    everything = api.get("/crm/v8/Leads/deleted")
    assert everything.status_code == 200
    entries = everything.json()["data"]
    assert [(e["id"], e["type"]) for e in entries] == [(recent, "recycle"), (old, "permanent")]
    assert entries[0]["display_name"] == "Recent" and entries[0]["deleted_by"]["name"] == "Zylker Admin"
    assert entries[1] == {
        "deleted_by": None,
        "id": old,
        "display_name": None,
        "type": "permanent",
        "created_by": None,
        "deleted_time": entries[1]["deleted_time"],
    }
    assert everything.json()["info"] == {"per_page": 200, "count": 2, "page": 1, "more_records": False}
    assert [e["id"] for e in api.get("/crm/v8/Leads/deleted", params={"type": "recycle"}).json()["data"]] == [recent]
    assert [e["id"] for e in api.get("/crm/v8/Leads/deleted", params={"type": "permanent"}).json()["data"]] == [old]


def test_the_deleted_list_is_204_when_empty_and_refuses_a_bad_type(api: TestClient) -> None:
    assert api.get("/crm/v8/Leads/deleted").status_code == 204
    response = api.get("/crm/v8/Leads/deleted", params={"type": "trash"})
    assert response.status_code == 400
    assert response.json() == {
        "data": [
            {
                "code": "PATTERN_NOT_MATCHED",
                "details": {"param_name": "type"},
                "message": "Please check whether the input values are correct",
                "status": "error",
            }
        ]
    }


def test_the_deleted_list_since_a_moment_shows_later_deletions_or_304(api: TestClient, emulator: Emulator) -> None:
    from zcrm_emulator.clock import iso

    first, second = insert_one(api, "Leads", {"Last_Name": "A"}), insert_one(api, "Leads", {"Last_Name": "B"})
    api.delete(f"/crm/v8/Leads/{first}")
    emulator.advance_clock(5)
    mark = {"If-Modified-Since": iso(emulator.clock.now_ms())}
    unchanged = api.get("/crm/v8/Leads/deleted", headers=mark)
    assert unchanged.status_code == 304 and unchanged.content == b""
    emulator.advance_clock(2)
    api.delete(f"/crm/v8/Leads/{second}")
    assert [e["id"] for e in api.get("/crm/v8/Leads/deleted", headers=mark).json()["data"]] == [second]


def test_count_counts_live_records_per_module(api: TestClient) -> None:
    assert api.get("/crm/v8/Leads/actions/count").json() == {"count": 0}
    for name in ("A", "B", "C"):
        insert_one(api, "Leads", {"Last_Name": name})
    insert_one(api, "Contacts", {"Last_Name": "D"})
    assert api.get("/crm/v8/Leads/actions/count").json() == {"count": 3}
    assert api.get("/crm/v8/Contacts/actions/count").json() == {"count": 1}
    assert api.get("/crm/v8/Nope/actions/count").json()["code"] == "INVALID_MODULE"
