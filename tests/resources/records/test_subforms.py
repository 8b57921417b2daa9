"""Subform rows written through their parent record and listed on the subform's own path
(record_model/subforms.py; docs/decisions.md "Subforms and line items"): ids and stamps per row,
updates by row id, added and removed rows, each row checked by its subform module's fields with
Zoho's json_path. Quotes' Quoted_Items is the subform here."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.records import admin_id, get_one, insert_one
from zcrm_emulator import ids
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.events import RecordEvent

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
def product(api: TestClient) -> str:
    return insert_one(api, "Products", {"Product_Name": "Widget", "Unit_Price": 10})


def quote(api: TestClient, rows: list[dict[str, Any]], **values: Any) -> str:
    return insert_one(api, "Quotes", {"Subject": "Q", "Quoted_Items": rows, **values})


def rows_of(api: TestClient, quote_id: str) -> list[dict[str, Any]]:
    return list(get_one(api, "Quotes", quote_id)["Quoted_Items"])


def update(api: TestClient, quote_id: str, rows: Any) -> Any:
    return api.put(f"/crm/v8/Quotes/{quote_id}", json={"data": [{"Quoted_Items": rows}]})


def test_new_rows_get_ids_and_the_stamps_of_the_write(api: TestClient, emulator: Emulator, product: str) -> None:
    quote_id = quote(api, [{"Product_Name": {"id": product}}, {"Product_Name": {"id": product}, "Quantity": 2}])
    record = get_one(api, "Quotes", quote_id)
    first, second = record["Quoted_Items"]
    assert first["id"] != second["id"] and quote_id not in (first["id"], second["id"])
    assert ids.normalize_id(first["id"]) == first["id"] and len(first["id"]) == len(quote_id)
    admin = admin_id(emulator)
    for row in (first, second):
        assert row["Parent_Id"] == {"name": "Q", "id": quote_id}
        assert row["Created_By"]["id"] == row["Modified_By"]["id"] == admin
        assert row["Created_Time"] == row["Modified_Time"] == record["Created_Time"]
        assert row["Product_Name"] == {"name": "Widget", "id": product}
        assert "Owner" not in row and "Layout" not in row
    assert record["$has_more"] == {"Quoted_Items": False}


def test_a_row_named_by_id_changes_only_its_given_fields(api: TestClient, emulator: Emulator, product: str) -> None:
    quote_id = quote(api, [{"Product_Name": {"id": product}, "Quantity": 2, "Description": "blue"}])
    [row] = rows_of(api, quote_id)
    emulator.advance_clock(5)
    assert update(api, quote_id, [{"id": row["id"], "Quantity": 3}]).status_code == 200
    [changed] = rows_of(api, quote_id)
    assert (changed["id"], changed["Quantity"], changed["Description"]) == (row["id"], 3, "blue")
    assert changed["Created_Time"] == row["Created_Time"] and changed["Modified_Time"] > row["Modified_Time"]


def test_rows_without_id_are_added_and_rows_with_delete_removed(api: TestClient, product: str) -> None:
    quote_id = quote(api, [{"Product_Name": {"id": product}, "Quantity": 1}, {"Product_Name": {"id": product}}])
    first, second = rows_of(api, quote_id)
    response = update(
        api, quote_id, [{"id": first["id"]}, {"id": second["id"], "_delete": None}, {"Product_Name": {"id": product}}]
    )
    assert response.status_code == 200, response.text
    after = rows_of(api, quote_id)
    assert after[0]["id"] == first["id"]
    assert second["id"] not in {r["id"] for r in after} and len(after) == 2


def test_rows_the_update_does_not_name_are_removed(api: TestClient, product: str) -> None:
    quote_id = quote(api, [{"Product_Name": {"id": product}}, {"Product_Name": {"id": product}}])
    first, _ = rows_of(api, quote_id)
    assert update(api, quote_id, [{"id": first["id"]}]).status_code == 200
    assert [r["id"] for r in rows_of(api, quote_id)] == [first["id"]]


def test_an_update_that_leaves_the_subform_out_keeps_its_rows(api: TestClient, product: str) -> None:
    quote_id = quote(api, [{"Product_Name": {"id": product}}])
    before = rows_of(api, quote_id)
    assert api.put(f"/crm/v8/Quotes/{quote_id}", json={"data": [{"Subject": "Q2"}]}).status_code == 200
    assert [r["id"] for r in rows_of(api, quote_id)] == [r["id"] for r in before]


@pytest.mark.parametrize(
    ("rows", "code", "details", "message"),
    [
        (
            [{"id": "111111111111111111", "Quantity": 2}],
            "INVALID_DATA",
            {"api_name": "id", "json_path": "$.data[0].Quoted_Items[0].id"},
            "the id given seems to be invalid",
        ),
        (
            [{"_delete": None}],
            "MANDATORY_NOT_FOUND",
            {"api_name": "id", "json_path": "$.data[0].Quoted_Items[0].id"},
            "required field not found",
        ),
        (
            ["not a row"],
            "INVALID_DATA",
            {"json_path": "$.data[0].Quoted_Items[0]", "expected_data_type": "jsonobject"},
            "invalid data",
        ),
        (
            [{"Quantity": 2}],
            "MANDATORY_NOT_FOUND",
            {"api_name": "Product_Name", "json_path": "$.data[0].Quoted_Items[0].Product_Name"},
            "required field not found",
        ),
        (
            [{"Product_Name": {"id": "111111111111111111"}}],
            "INVALID_DATA",
            {"api_name": "Product_Name", "json_path": "$.data[0].Quoted_Items[0].Product_Name"},
            "the id given seems to be invalid",
        ),
        (
            [{"Product_Name": "PRODUCT", "Quantity": "many"}],
            "INVALID_DATA",
            {"api_name": "Quantity", "json_path": "$.data[0].Quoted_Items[0].Quantity", "expected_data_type": "double"},
            "invalid data",
        ),
        (
            [{"Product_Name": "PRODUCT", "Colour": "red"}],
            "INVALID_DATA",
            {"api_name": "Colour", "json_path": "$.data[0].Quoted_Items[0].Colour"},
            "the field api name given seems to be invalid",
        ),
        (
            [],
            "MANDATORY_NOT_FOUND",
            {"api_name": "Quoted_Items", "json_path": "$.data[0].Quoted_Items"},
            "required field not found",
        ),
    ],
)
def test_a_bad_row_fails_its_record_with_zohos_json_path(
    api: TestClient, product: str, rows: list[Any], code: str, details: dict[str, Any], message: str
) -> None:
    quote_id = quote(api, [{"Product_Name": {"id": product}}])
    rows = [
        {**r, "Product_Name": {"id": product}} if isinstance(r, dict) and r.get("Product_Name") == "PRODUCT" else r
        for r in rows
    ]
    for response in (
        update(api, quote_id, rows),
        api.post("/crm/v8/Quotes", json={"data": [{"Subject": "Q", "Quoted_Items": rows}]}),
    ):
        assert response.status_code == 400, response.text
        item = response.json()["data"][0]
        assert (item["code"], item["details"], item["message"]) == (code, details, message)
    assert len(rows_of(api, quote_id)) == 1  # the refused update changed nothing


def test_a_subform_takes_at_most_100_rows(api: TestClient, product: str) -> None:
    rows = [{"Product_Name": {"id": product}}] * 101
    response = api.post("/crm/v8/Quotes", json={"data": [{"Subject": "Q", "Quoted_Items": rows}]})
    item = response.json()["data"][0]
    assert (item["code"], item["details"]) == (
        "LIMIT_EXCEEDED",
        {"api_name": "Quoted_Items", "json_path": "$.data[0].Quoted_Items", "limit": 100},
    )
    assert api.post("/crm/v8/Quotes", json={"data": [{"Subject": "Q", "Quoted_Items": rows[:100]}]}).status_code == 201


def test_a_row_write_is_a_record_event_of_the_parent(api: TestClient, emulator: Emulator, product: str) -> None:
    quote_id = quote(api, [{"Product_Name": {"id": product}, "Quantity": 1}])
    [row] = rows_of(api, quote_id)
    seen: list[RecordEvent] = []
    unsubscribe = emulator.events.subscribe(seen.append)
    try:
        assert update(api, quote_id, [{"id": row["id"], "Quantity": 4}]).status_code == 200
    finally:
        unsubscribe()
    [event] = seen
    [change] = event.changes
    assert (event.module, event.operation, change.record_id, change.action) == ("Quotes", "update", quote_id, "update")
    old, new = change.fields["Quoted_Items"]
    assert (old[0]["Quantity"], new[0]["Quantity"]) == (1, 4)
    assert change.fields["Grand_Total"] == (10, 40)


def test_rows_come_with_a_listed_record_when_asked_for(api: TestClient, product: str) -> None:
    quote_id = quote(api, [{"Product_Name": {"id": product}}])
    listed = api.get("/crm/v8/Quotes", params={"fields": "Subject,Quoted_Items"}).json()["data"][0]
    assert listed["id"] == quote_id
    assert [r["Product_Name"]["id"] for r in listed["Quoted_Items"]] == [product]


def test_the_subform_path_lists_the_rows_of_every_record(api: TestClient, product: str) -> None:
    first = quote(api, [{"Product_Name": {"id": product}, "Quantity": 1}, {"Product_Name": {"id": product}}])
    second = quote(api, [{"Product_Name": {"id": product}, "Quantity": 5}])
    response = api.get("/crm/v8/Quoted_Items", params={"fields": "Quantity,Parent_Id,Nope"})
    assert response.status_code == 200, response.text
    body = response.json()
    row_ids = [r["id"] for r in rows_of(api, first) + rows_of(api, second)]
    assert [r["id"] for r in body["data"]] == sorted(row_ids, reverse=True)
    assert body["data"][0] == {"Quantity": 5, "Parent_Id": {"name": "Q", "id": second}, "id": row_ids[-1]}
    assert (body["info"]["count"], body["info"]["more_records"], body["info"]["page"]) == (3, False, 1)
    paged = api.get("/crm/v8/Quoted_Items", params={"fields": "Quantity", "per_page": 2, "page": 2}).json()
    assert ([r["id"] for r in paged["data"]], paged["info"]["more_records"]) == ([min(row_ids)], False)
    asc = api.get("/crm/v8/Quoted_Items", params={"fields": "Quantity", "sort_order": "asc"}).json()
    assert [r["id"] for r in asc["data"]] == sorted(row_ids)


def test_the_subform_path_needs_fields_and_answers_204_without_rows(api: TestClient) -> None:
    assert api.get("/crm/v8/Quoted_Items", params={"fields": "Quantity"}).status_code == 204
    missing = api.get("/crm/v8/Quoted_Items")
    assert (missing.status_code, missing.json()["code"]) == (400, "REQUIRED_PARAM_MISSING")


def test_the_subform_path_takes_if_modified_since(api: TestClient, emulator: Emulator, product: str) -> None:
    old = quote(api, [{"Product_Name": {"id": product}}])
    emulator.advance_clock(10)
    since = get_one(api, "Quotes", old)["Modified_Time"]
    emulator.advance_clock(10)
    new = quote(api, [{"Product_Name": {"id": product}}])
    params = {"fields": "Quantity"}
    changed = api.get("/crm/v8/Quoted_Items", params=params, headers={"If-Modified-Since": since})
    assert [r["id"] for r in changed.json()["data"]] == [r["id"] for r in rows_of(api, new)]
    later = api.get("/crm/v8/Quoted_Items", params=params, headers={"If-Modified-Since": "2099-01-01T00:00:00+00:00"})
    assert later.status_code == 304


def test_rows_follow_the_order_sent_and_an_unchanged_row_keeps_its_stamps(
    api: TestClient, emulator: Emulator, product: str
) -> None:
    quote_id = quote(api, [{"Product_Name": {"id": product}, "Quantity": 1}, {"Product_Name": {"id": product}}])
    first, second = rows_of(api, quote_id)
    emulator.advance_clock(5)
    sent = [{"Product_Name": {"id": product}, "Quantity": 7}, {"id": second["id"]}, {"id": first["id"], "Quantity": 1}]
    assert update(api, quote_id, sent).status_code == 200
    added, kept_second, kept_first = rows_of(api, quote_id)
    assert (added["Quantity"], kept_second["id"], kept_first["id"]) == (7, second["id"], first["id"])
    assert kept_second["Modified_Time"] == second["Modified_Time"]
    assert kept_first["Modified_Time"] == first["Modified_Time"]  # Quantity 1 is what it held
    assert added["Created_Time"] > first["Created_Time"]


@pytest.mark.parametrize(
    ("scope", "allowed"), [("ZohoCRM.modules.quotes.READ", True), ("ZohoCRM.modules.leads.ALL", False)]
)
def test_the_subform_path_takes_the_parent_modules_scope(
    client: TestClient, make_token: TokenFactory, scope: str, allowed: bool
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[scope])}"}
    response = client.get("/crm/v8/Quoted_Items", params={"fields": "Quantity"}, headers=headers)
    if allowed:
        assert response.status_code == 204
    else:
        assert (response.status_code, response.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")
