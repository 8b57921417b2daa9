"""Values a JSON body can carry but no store can hold — lone surrogates, NaN, Infinity, 1e400, numbers
past a Java long — are per-item INVALID_DATA naming the field and its type, never a 500; the other
items of the call are written as usual (issue: every bad input a 4xx)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

pytestmark = pytest.mark.usefixtures("both_backends")

TYPE = "expected_data_type"
CALL = '{"Subject": "Intro", "Call_Type": "Outbound", "Call_Start_Time": "START"}'

# (module, JSON text of one record, field, expected_data_type)
UNSTORABLE = [
    ("Leads", '{"Last_Name": "\\ud800"}', "Last_Name", "text"),
    ("Leads", '{"Last_Name": "Doe", "Company": "Zy\\udfffker"}', "Company", "text"),
    ("Leads", '{"Last_Name": "Doe", "Email": "jo\\ud83d@zylker.example"}', "Email", "email"),
    ("Leads", '{"Last_Name": "Doe", "Owner": {"id": "1", "name": "\\ud800"}}', "Owner", "jsonobject"),
    ("Leads", '{"Last_Name": "Doe", "Tag": [{"name": "\\udc00"}]}', "Tag", "jsonarray"),
    ("Leads", '{"Last_Name": "Doe", "No_of_Employees": NaN}', "No_of_Employees", "integer"),
    ("Leads", '{"Last_Name": "Doe", "No_of_Employees": Infinity}', "No_of_Employees", "integer"),
    ("Leads", '{"Last_Name": "Doe", "No_of_Employees": 1e400}', "No_of_Employees", "integer"),
    ("Leads", '{"Last_Name": "Doe", "Annual_Revenue": NaN}', "Annual_Revenue", "double"),
    ("Leads", '{"Last_Name": "Doe", "Annual_Revenue": -Infinity}', "Annual_Revenue", "double"),
    ("Leads", '{"Last_Name": "Doe", "Annual_Revenue": 1e400}', "Annual_Revenue", "double"),
    ("Leads", '{"Last_Name": "Doe", "Annual_Revenue": "9' + "9" * 400 + '"}', "Annual_Revenue", "double"),
    ("Products", '{"Product_Name": "W", "Qty_Ordered": NaN}', "Qty_Ordered", "double"),
    ("Accounts", '{"Account_Name": "Z", "Account_Number": 9223372036854775808}', "Account_Number", "bigint"),
    ("Accounts", '{"Account_Name": "Z", "Account_Number": "' + "9" * 5000 + '"}', "Account_Number", "bigint"),
    ("Accounts", '{"Account_Name": "Z", "Account_Number": 1e400}', "Account_Number", "bigint"),
    # Offsets that move a moment past year 9999 or before year 1.
    ("Calls", CALL.replace("START", "9999-12-31T23:59:59-01:00"), "Call_Start_Time", "datetime"),
    ("Calls", CALL.replace("START", "0001-01-01T00:00:00+14:00"), "Call_Start_Time", "datetime"),
]


def _insert(api: TestClient, module: str, records: list[str]) -> Any:
    return api.post(f"/crm/v8/{module}", content=('{"data": [' + ",".join(records) + "]}").encode())


@pytest.mark.parametrize(("module", "record", "field", "expected"), UNSTORABLE)
def test_an_unstorable_value_is_invalid_data_for_its_field(
    api: TestClient, module: str, record: str, field: str, expected: str
) -> None:
    response = _insert(api, module, [record])
    assert response.status_code == 400
    [item] = response.json()["data"]
    assert item["code"] == "INVALID_DATA"
    assert item["details"] == {"api_name": field, "json_path": f"$.data[0].{field}", TYPE: expected}


@pytest.mark.parametrize("module", ["0.", ".Leads", "a..b", "_"])
def test_a_module_name_that_cannot_be_a_scope_is_still_invalid_module(api: TestClient, module: str) -> None:
    response = api.get(f"/crm/v8/{module}/actions/count")
    assert (response.status_code, response.json()["code"]) == (400, "INVALID_MODULE")


def test_a_search_for_a_moment_past_year_9999_is_invalid_query(api: TestClient) -> None:
    response = api.get(
        "/crm/v8/Leads/search", params={"criteria": "(Created_Time:greater_than:9999-12-31T23:59:59-01:00)"}
    )
    assert (response.status_code, response.json()["code"]) == (400, "INVALID_QUERY")


def test_the_other_items_of_the_call_are_written(api: TestClient) -> None:
    response = _insert(api, "Leads", ['{"Last_Name": "\\ud800"}', '{"Last_Name": "Kept"}'])
    assert response.status_code == 207
    failed, added = response.json()["data"]
    assert failed["code"] == "INVALID_DATA"
    assert api.get(f"/crm/v8/Leads/{added['details']['id']}").json()["data"][0]["Last_Name"] == "Kept"


def test_an_unknown_key_holding_a_lone_surrogate_is_named_in_an_ascii_escape(api: TestClient) -> None:
    response = _insert(api, "Leads", ['{"Last_Name": "Doe", "X\\ud800": 1}'])
    assert response.status_code == 400
    assert b"X\\ud800" in response.content  # escaped: the reply stays valid UTF-8
    assert response.json()["data"][0]["details"]["api_name"] == "X\ud800"


def test_a_surrogate_pair_is_ordinary_text(api: TestClient) -> None:
    response = _insert(api, "Leads", ['{"Last_Name": "\\ud83d\\ude00"}'])
    assert response.status_code == 201
    record_id = response.json()["data"][0]["details"]["id"]
    assert api.get(f"/crm/v8/Leads/{record_id}").json()["data"][0]["Last_Name"] == "\U0001f600"


@pytest.mark.parametrize("path", ["/crm/v8/Leads", "/crm/v8/Leads/upsert", "/crm/v8/settings/modules"])
def test_a_body_nested_thousands_deep_is_answered_as_a_body_that_is_not_json(api: TestClient, path: str) -> None:
    deep = api.post(path, content=b'{"data":' + b"[" * 5000 + b"]" * 5000 + b"}")
    unreadable = api.post(path, content=b"not json")
    assert deep.status_code == unreadable.status_code == 400
    assert deep.json() == unreadable.json()
    assert "jsonobject" in deep.text
