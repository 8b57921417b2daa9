"""Line items of Quotes, Sales_Orders, Purchase_Orders and Invoices (record_model/line_items.py;
docs/decisions.md "Line items"): the product lookup, List_Price from the product, the amounts per
row and for the record, computed fields ignored on the way in, line items mandatory on create, the
subform modules' own paths, and seeding the inventory modules."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.records import get_one, insert_one
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.seeding import seed_module

pytestmark = pytest.mark.usefixtures("both_backends")

# Each inventory module with its line-item field (the standard org's metadata names Purchase
# Orders' field Purchased_Items; its subform module is Purchase_Items).
INVENTORY = [
    ("Quotes", "Quoted_Items", {}),
    ("Sales_Orders", "Ordered_Items", {}),
    ("Purchase_Orders", "Purchased_Items", {"Vendor_Name": "VENDOR"}),
    ("Invoices", "Invoiced_Items", {}),
]


@pytest.fixture
def product(api: TestClient) -> str:
    return insert_one(api, "Products", {"Product_Name": "Widget", "Unit_Price": 12.5, "Qty_in_Stock": 7})


def create(api: TestClient, module: str, values: dict[str, Any]) -> str:
    if values.get("Vendor_Name") == "VENDOR":
        values = {**values, "Vendor_Name": {"id": insert_one(api, "Vendors", {"Vendor_Name": "Acme"})}}
    return insert_one(api, module, {"Subject": "S", **values})


@pytest.mark.parametrize(("module", "field", "extra"), INVENTORY)
def test_amounts_are_computed_per_row_and_for_the_record(
    api: TestClient, product: str, module: str, field: str, extra: dict[str, Any]
) -> None:
    rows = [
        {"Product_Name": {"id": product}, "Quantity": 2, "Line_Tax": [{"name": "VAT", "percentage": 10}]},
        {"Product_Name": {"id": product}, "Quantity": 3, "List_Price": 4, "Discount": 2},
    ]
    record_id = create(api, module, {**extra, field: rows, "Discount": 5, "Adjustment": 1.5})
    record = get_one(api, module, record_id)
    first, second = record[field]
    assert (first["List_Price"], first["Unit_Price"], first["Quantity_in_Stock"]) == (12.5, 12.5, 7)
    assert (first["Total"], first["Discount"], first["Total_After_Discount"]) == (25, 0, 25)
    assert (first["Tax"], first["Net_Total"], first["Line_Tax"]) == (
        2.5,
        27.5,
        [{"name": "VAT", "percentage": 10, "value": 2.5}],
    )
    assert (second["List_Price"], second["Total"], second["Total_After_Discount"]) == (4, 12, 10)
    assert (second["Tax"], second["Net_Total"], second["Line_Tax"]) == (0, 10, [])
    assert [first["Sequence_Number"], second["Sequence_Number"]] == [1, 2]
    assert (record["Sub_Total"], record["Discount"], record["Tax"], record["Adjustment"]) == (37.5, 5, 0, 1.5)
    assert record["Grand_Total"] == 34


def test_quantity_defaults_to_one_and_values_sent_for_computed_fields_are_ignored(
    api: TestClient, product: str
) -> None:
    record_id = create(
        api,
        "Quotes",
        {
            "Quoted_Items": [{"Product_Name": {"id": product}, "Total": 999, "Net_Total": 999, "Unit_Price": 1}],
            "Sub_Total": 999,
            "Grand_Total": 999,
            "Tax": 999,
        },
    )
    record = get_one(api, "Quotes", record_id)
    [row] = record["Quoted_Items"]
    assert (row["Quantity"], row["Total"], row["Net_Total"], row["Unit_Price"]) == (1, 12.5, 12.5, 12.5)
    assert (record["Sub_Total"], record["Tax"], record["Grand_Total"]) == (12.5, 0, 12.5)


def test_an_update_recomputes_the_amounts(api: TestClient, product: str) -> None:
    record_id = create(api, "Quotes", {"Quoted_Items": [{"Product_Name": {"id": product}, "Quantity": 2}]})
    [row] = get_one(api, "Quotes", record_id)["Quoted_Items"]
    change = {"Quoted_Items": [{"id": row["id"], "Quantity": 4}, {"Product_Name": {"id": product}}], "Discount": 10}
    assert api.put(f"/crm/v8/Quotes/{record_id}", json={"data": [change]}).status_code == 200
    record = get_one(api, "Quotes", record_id)
    assert [r["Net_Total"] for r in record["Quoted_Items"]] == [50, 12.5]
    assert (record["Sub_Total"], record["Grand_Total"]) == (62.5, 52.5)
    assert api.put(f"/crm/v8/Quotes/{record_id}", json={"data": [{"Adjustment": -2.5}]}).status_code == 200
    assert get_one(api, "Quotes", record_id)["Grand_Total"] == 50


@pytest.mark.parametrize(("module", "field", "extra"), INVENTORY)
def test_line_items_are_mandatory_on_create(api: TestClient, module: str, field: str, extra: dict[str, Any]) -> None:
    response = api.post(f"/crm/v8/{module}", json={"data": [{"Subject": "S"}]})
    item = response.json()["data"][0]
    assert response.status_code == 400
    assert item["code"] == "MANDATORY_NOT_FOUND"
    if not extra:  # Purchase_Orders misses its vendor first
        assert item["details"] == {"api_name": field, "json_path": f"$.data[0].{field}"}


@pytest.mark.parametrize(
    ("tax", "details"),
    [
        ({"name": "VAT", "percentage": 120}, {"api_name": "percentage", "expected_data_type": "double"}),
        ({"name": "VAT", "percentage": "ten"}, {"api_name": "percentage", "expected_data_type": "double"}),
        ({"percentage": 5}, {"api_name": "name"}),
    ],
)
def test_a_bad_line_tax_is_refused_with_its_path(api: TestClient, product: str, tax: Any, details: Any) -> None:
    rows = [{"Product_Name": {"id": product}, "Line_Tax": [tax]}]
    response = api.post("/crm/v8/Quotes", json={"data": [{"Subject": "S", "Quoted_Items": rows}]})
    assert response.status_code == 400
    item = response.json()["data"][0]
    path = "$.data[0].Quoted_Items[0].Line_Tax[0]"
    assert item["details"] == {**details, "json_path": f"{path}.{details['api_name']}"}
    assert item["code"] == ("MANDATORY_NOT_FOUND" if details["api_name"] == "name" else "INVALID_DATA")


def test_the_product_must_be_a_product(api: TestClient) -> None:
    lead = insert_one(api, "Leads", {"Last_Name": "Doe"})
    response = api.post(
        "/crm/v8/Quotes", json={"data": [{"Subject": "S", "Quoted_Items": [{"Product_Name": {"id": lead}}]}]}
    )
    item = response.json()["data"][0]
    assert (item["code"], item["details"]["json_path"]) == ("INVALID_DATA", "$.data[0].Quoted_Items[0].Product_Name")


def test_the_line_item_modules_are_listed_as_subform_modules_and_written_through_their_parent(
    api: TestClient,
) -> None:
    modules = {m["api_name"]: m for m in api.get("/crm/v8/settings/modules").json()["modules"]}
    for name, parent in (
        ("Quoted_Items", "Quotes"),
        ("Ordered_Items", "Sales_Orders"),
        ("Purchase_Items", "Purchase_Orders"),
        ("Invoiced_Items", "Invoices"),
    ):
        assert modules[name]["generated_type"] == "subform"
        assert modules[name]["parent_module"]["api_name"] == parent
        for method, path in (
            ("POST", f"/crm/v8/{name}"),
            ("PUT", f"/crm/v8/{name}"),
            ("GET", f"/crm/v8/{name}/1234567890123456789"),
            ("DELETE", f"/crm/v8/{name}?ids=1234567890123456789"),
        ):
            response = api.request(method, path, json={"data": [{}]} if method in ("POST", "PUT") else None)
            body = response.json()
            refused = body["data"][0] if "data" in body else body
            assert (response.status_code, refused["code"]) == (400, "INVALID_MODULE"), (method, path)


def test_seeding_fills_the_inventory_modules_with_line_items(api: TestClient, emulator: Emulator) -> None:
    for module in ("Products", "Vendors"):
        seed_module(emulator, module, 5, seed=3, progress=False)
    for module, field, _ in INVENTORY:
        assert seed_module(emulator, module, 6, seed=3, progress=False) == 6
        listed = api.get(f"/crm/v8/{module}", params={"fields": "Subject,Grand_Total"}).json()["data"]
        assert len(listed) == 6
        record = get_one(api, module, listed[0]["id"])
        assert record[field] and all(row["Product_Name"]["id"] for row in record[field])
        assert record["Sub_Total"] == round(sum(row["Net_Total"] for row in record[field]), 2)
