"""Related lists metadata and related records over HTTP (OAS related_lists.json, related_records.json)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.allowances import RELATED_LIST_SORT_BY
from tests.support.oas import validate_response
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.events import RecordEvent

pytestmark = pytest.mark.usefixtures("both_backends")

V8 = "/crm/v8"
RECORDS_OAS = "/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}"
ONE_OAS = RECORDS_OAS + "/{related_record_id}"


def make(api: TestClient, module: str, **values: Any) -> str:
    response = api.post(f"{V8}/{module}", json={"data": [values]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def lists_of(api: TestClient, module: str) -> dict[str, dict[str, Any]]:
    response = api.get(f"{V8}/settings/related_lists", params={"module": module})
    assert response.status_code == 200, response.text
    validate_response(response, "related_lists.json", "/crm/v8/settings/related_lists", allow=[RELATED_LIST_SORT_BY])
    return {entry["api_name"]: entry for entry in response.json()["related_lists"]}


# --- related lists metadata -----------------------------------------------------------------------


def test_a_module_lists_notes_attachments_its_lookups_and_many_to_many_relations(api: TestClient) -> None:
    lists = lists_of(api, "Accounts")
    assert list(lists)[:2] == ["Notes", "Attachments"]
    contacts = lists["Contacts"]
    assert contacts["module"]["api_name"] == "Contacts"
    assert contacts["href"] == "Accounts/{ENTITYID}/Contacts"
    assert contacts["type"] == "default" and contacts["visible"] is True
    fields = api.get(f"{V8}/settings/fields", params={"module": "Contacts"}).json()["fields"]
    lookup = next(f for f in fields if f["api_name"] == "Account_Name")["lookup"]
    assert contacts["id"] == lookup["id"]  # the lookup's related list is this list
    assert {"Deals", "Cases", "Quotes", "Child_Accounts", "Products"} <= set(lists)
    assert lists["Child_Accounts"]["display_label"] == "Child Accounts"
    assert [entry["sequence_number"] for entry in lists.values()] == [str(n) for n in range(1, len(lists) + 1)]


@pytest.mark.parametrize(
    ("module", "present"),
    [
        ("Price_Books", {"Products", "Notes"}),
        ("Products", {"Price_Books", "Leads", "Accounts", "Contacts", "Deals", "Cases", "Solutions"}),
        ("Campaigns", {"Leads", "Contacts", "Deals", "Child_Campaigns"}),
        ("Leads", {"Campaigns", "Products", "Notes", "Attachments"}),
    ],
)
def test_the_standard_many_to_many_lists_are_on_both_modules(api: TestClient, module: str, present: set[str]) -> None:
    assert present <= set(lists_of(api, module))


def test_one_related_list_by_id_and_an_unknown_id_answers_204(api: TestClient) -> None:
    wanted = lists_of(api, "Accounts")["Deals"]
    one = api.get(f"{V8}/settings/related_lists/{wanted['id']}", params={"module": "Accounts"})
    assert one.status_code == 200
    validate_response(one, "related_lists.json", "/crm/v8/settings/related_lists/{id}", allow=[RELATED_LIST_SORT_BY])
    assert one.json()["related_lists"] == [wanted]
    assert api.get(f"{V8}/settings/related_lists/111", params={"module": "Accounts"}).status_code == 204


@pytest.mark.parametrize(
    ("query", "code", "details"),
    [
        ({}, "REQUIRED_PARAM_MISSING", {"param_name": "module"}),
        ({"module": "Nope"}, "INVALID_MODULE", {"param": "module"}),
        ({"module": "Home"}, "INVALID_MODULE", {"param": "module"}),
    ],
)
def test_the_module_param_is_mandatory_and_must_name_a_records_module(
    api: TestClient, query: dict[str, str], code: str, details: dict[str, str]
) -> None:
    response = api.get(f"{V8}/settings/related_lists", params=query)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["details"] == details
    if code == "INVALID_MODULE":  # REQUIRED_PARAM_MISSING says param_name (REFERENCE §9 #36; params.py)
        validate_response(response, "related_lists.json", "/crm/v8/settings/related_lists")


# --- lookup lists ---------------------------------------------------------------------------------


def test_relating_a_contact_to_an_account_sets_its_lookup_and_delinking_clears_it(
    api: TestClient, emulator: Emulator
) -> None:
    account, contact = make(api, "Accounts", Account_Name="Acme"), make(api, "Contacts", Last_Name="Doe")
    seen: list[RecordEvent] = []
    emulator.events.subscribe(seen.append)
    put = api.put(f"{V8}/Accounts/{account}/Contacts", json={"data": [{"id": contact}]})
    assert put.status_code == 200
    assert put.json() == {
        "data": [{"code": "SUCCESS", "details": {"id": contact}, "message": "relation added", "status": "success"}]
    }
    validate_response(put, "related_records.json", RECORDS_OAS, "PUT")
    assert [(event.module, event.operation) for event in seen] == [("Contacts", "update")]
    assert api.get(f"{V8}/Contacts/{contact}").json()["data"][0]["Account_Name"] == {"name": "Acme", "id": account}

    listed = api.get(f"{V8}/Accounts/{account}/Contacts", params={"fields": "Last_Name,Account_Name"})
    assert listed.status_code == 200
    validate_response(listed, "related_records.json", RECORDS_OAS)
    assert listed.json()["data"] == [
        {"Last_Name": "Doe", "Account_Name": {"name": "Acme", "id": account}, "id": contact}
    ]
    assert listed.json()["info"] == {
        "per_page": 200,
        "count": 1,
        "page": 1,
        "more_records": False,
        "next_page_token": None,
        "previous_page_token": None,
        "page_token_expiry": None,
    }

    removed = api.delete(f"{V8}/Accounts/{account}/Contacts/{contact}")
    assert removed.status_code == 200
    assert removed.json()["data"][0]["message"] == "relation removed"
    validate_response(removed, "related_records.json", ONE_OAS, "DELETE")
    assert api.get(f"{V8}/Contacts/{contact}").json()["data"][0]["Account_Name"] is None
    assert api.get(f"{V8}/Accounts/{account}/Contacts", params={"fields": "Last_Name"}).status_code == 204


def test_related_records_page_and_one_related_record(api: TestClient) -> None:
    account = make(api, "Accounts", Account_Name="Paged")
    deals = [make(api, "Deals", Deal_Name=f"D{n}", Stage="Qualification", Account_Name=account) for n in range(3)]
    first = api.get(f"{V8}/Accounts/{account}/Deals", params={"fields": "Deal_Name", "per_page": 2})
    assert [d["id"] for d in first.json()["data"]] == [deals[2], deals[1]]
    assert first.json()["info"]["more_records"] is True
    second = api.get(f"{V8}/Accounts/{account}/Deals", params={"fields": "Deal_Name", "per_page": 2, "page": 2})
    assert [d["id"] for d in second.json()["data"]] == [deals[0]]
    one = api.get(f"{V8}/Accounts/{account}/Deals/{deals[1]}", params={"fields": "Deal_Name"})
    assert one.status_code == 200 and one.json()["data"] == [{"Deal_Name": "D1", "id": deals[1]}]
    other = make(api, "Deals", Deal_Name="elsewhere", Stage="Qualification")
    assert api.get(f"{V8}/Accounts/{account}/Deals/{other}").status_code == 204


# --- many-to-many lists ---------------------------------------------------------------------------


def test_products_of_a_price_book_keep_their_list_price_on_both_sides(api: TestClient) -> None:
    book = make(api, "Price_Books", Price_Book_Name="Retail")
    products = [make(api, "Products", Product_Name=f"P{n}") for n in range(2)]
    put = api.put(
        f"{V8}/Price_Books/{book}/Products",
        json={"data": [{"id": products[0], "list_price": 10.5}, {"id": products[1], "list_price": 3}]},
    )
    assert put.status_code == 200, put.text
    assert [item["message"] for item in put.json()["data"]] == ["relation added"] * 2
    listed = api.get(f"{V8}/Price_Books/{book}/Products", params={"fields": "Product_Name,list_price"})
    validate_response(listed, "related_records.json", RECORDS_OAS)
    assert listed.json()["data"] == [
        {"Product_Name": "P1", "id": products[1], "list_price": 3},
        {"Product_Name": "P0", "id": products[0], "list_price": 10.5},
    ]
    again = api.put(f"{V8}/Price_Books/{book}/Products/{products[0]}", json={"data": [{"list_price": 12}]})
    assert again.status_code == 200
    reverse = api.get(f"{V8}/Products/{products[0]}/Price_Books", params={"fields": "Price_Book_Name,list_price"})
    assert reverse.json()["data"] == [{"Price_Book_Name": "Retail", "id": book, "list_price": 12}]

    gone = api.delete(f"{V8}/Price_Books/{book}/Products", params={"ids": ",".join(products)})
    assert gone.status_code == 200
    assert [item["message"] for item in gone.json()["data"]] == ["relation removed"] * 2
    validate_response(gone, "related_records.json", RECORDS_OAS, "DELETE")
    assert api.get(f"{V8}/Price_Books/{book}/Products", params={"fields": "Product_Name"}).status_code == 204


def test_campaign_members_keep_their_member_status(api: TestClient) -> None:
    campaign, contact = make(api, "Campaigns", Campaign_Name="Launch"), make(api, "Contacts", Last_Name="M")
    put = api.put(f"{V8}/Contacts/{contact}/Campaigns", json={"data": [{"id": campaign, "Member_Status": "Invited"}]})
    assert put.status_code == 200, put.text
    members = api.get(f"{V8}/Campaigns/{campaign}/Contacts", params={"fields": "Last_Name,Member_Status"})
    assert members.json()["data"] == [{"Last_Name": "M", "id": contact, "Member_Status": "Invited"}]


# --- errors ---------------------------------------------------------------------------------------


def test_a_mixed_relate_answers_207_with_each_items_result(api: TestClient) -> None:
    book, product = make(api, "Price_Books", Price_Book_Name="B"), make(api, "Products", Product_Name="P")
    response = api.put(
        f"{V8}/Price_Books/{book}/Products",
        json={
            "data": [{"id": product}, {"id": "1234567890123"}, {"list_price": 1}, {"id": product, "list_price": "x"}]
        },
    )
    assert response.status_code == 207
    results = response.json()["data"]
    assert results[0]["status"] == "success"
    assert results[1] == {
        "code": "INVALID_DATA",
        "details": {"id": "1234567890123"},
        "message": "the related id given seems to be invalid",
        "status": "error",
    }
    assert results[2]["code"] == "MANDATORY_NOT_FOUND"
    assert results[2]["details"] == {"api_name": "id", "json_path": "$.data[2].id"}
    assert results[3]["details"] == {
        "api_name": "list_price",
        "json_path": "$.data[3].list_price",
        "expected_data_type": "double",
    }


@pytest.mark.parametrize(
    ("path", "query", "code", "message"),
    [
        ("/Accounts/{account}/Nope", {"fields": "id"}, "INVALID_DATA", "The relation name given seems to be invalid"),
        (
            "/Accounts/1234567890123/Contacts",
            {"fields": "id"},
            "INVALID_DATA",
            "the related id given seems to be invalid",
        ),
        ("/Accounts/{account}/Contacts", {}, "REQUIRED_PARAM_MISSING", None),
        ("/Nope/{account}/Contacts", {"fields": "id"}, "INVALID_MODULE", "the module name given seems to be invalid"),
    ],
)
def test_reading_related_records_refuses_bad_paths_and_params(
    api: TestClient, path: str, query: dict[str, str], code: str, message: str | None
) -> None:
    account = make(api, "Accounts", Account_Name="E")
    response = api.get(V8 + path.format(account=account), params=query)
    assert response.status_code == 400
    assert response.json()["code"] == code
    if message is not None:
        assert response.json()["message"] == message


def test_delinking_a_record_that_is_not_related_fails_and_ids_are_mandatory(api: TestClient) -> None:
    account, contact = make(api, "Accounts", Account_Name="X"), make(api, "Contacts", Last_Name="Y")
    response = api.delete(f"{V8}/Accounts/{account}/Contacts/{contact}")
    assert response.status_code == 400
    assert response.json()["data"][0]["message"] == "the related id given seems to be invalid"
    missing = api.delete(f"{V8}/Accounts/{account}/Contacts")
    assert missing.status_code == 400 and missing.json()["code"] == "REQUIRED_PARAM_MISSING"


def test_other_methods_on_a_records_own_sub_resources_keep_their_answers(api: TestClient) -> None:
    account = make(api, "Accounts", Account_Name="Z")
    assert api.put(f"{V8}/Accounts/{account}/Attachments", json={"data": [{}]}).json()["code"] == (
        "INVALID_REQUEST_METHOD"
    )
    assert api.delete(f"{V8}/Accounts/actions/count").json()["code"] == "INVALID_REQUEST_METHOD"


# --- page tokens --------------------------------------------------------------------------------


def test_a_related_list_pages_on_by_token_and_the_token_is_bound_to_its_list(api: TestClient) -> None:
    account = make(api, "Accounts", Account_Name="Tokens")
    deals = [make(api, "Deals", Deal_Name=f"T{n}", Stage="Qualification", Account_Name=account) for n in range(3)]
    path = f"{V8}/Accounts/{account}/Deals"
    first = api.get(path, params={"fields": "Deal_Name", "per_page": 2})
    info = first.json()["info"]
    assert info["more_records"] is True and info["previous_page_token"] is None and info["page_token_expiry"]
    validate_response(first, "related_records.json", RECORDS_OAS)
    token = info["next_page_token"]
    second = api.get(path, params={"fields": "Deal_Name", "per_page": 2, "page_token": token})
    assert [d["id"] for d in second.json()["data"]] == [deals[0]]
    assert second.json()["info"] | {"page_token_expiry": None} == {
        "per_page": 2,
        "count": 1,
        "page": 2,
        "more_records": False,
        "next_page_token": None,
        "previous_page_token": token,
        "page_token_expiry": None,
    }
    other = make(api, "Accounts", Account_Name="Elsewhere")
    moved = api.get(f"{V8}/Accounts/{other}/Deals", params={"fields": "Deal_Name", "per_page": 2, "page_token": token})
    assert moved.status_code == 400 and moved.json()["code"] == "TOKEN_BOUND_DATA_MISMATCH"
    both = api.get(path, params={"fields": "Deal_Name", "per_page": 2, "page_token": token, "page": 2})
    assert both.status_code == 400 and both.json()["code"] == "AMBIGUITY_DURING_PROCESSING"
    unknown = api.get(path, params={"fields": "Deal_Name", "page_token": "nope"})
    assert unknown.status_code == 400
    assert unknown.json() | {"message": None} == {
        "code": "INVALID_DATA",
        "details": {"param_name": "page_token"},
        "message": None,
        "status": "error",
    }


def test_without_a_token_a_related_list_reaches_only_the_first_2000_records(api: TestClient) -> None:
    account = make(api, "Accounts", Account_Name="Far")
    far = api.get(f"{V8}/Accounts/{account}/Deals", params={"fields": "Deal_Name", "page": 11, "per_page": 200})
    assert far.status_code == 400 and far.json()["code"] == "DISCRETE_PAGINATION_LIMIT_EXCEEDED"


# --- a deleted parent's related records --------------------------------------------------------------


DELETED_OAS = "/crm/v8/{module_api_name}/deleted/{record_id}/{related_list_api_name}"


def test_a_deleted_accounts_lookup_list_still_lists_its_contacts(api: TestClient) -> None:
    account = make(api, "Accounts", Account_Name="Gone")
    contacts = [make(api, "Contacts", Last_Name=f"C{n}", Account_Name=account) for n in range(2)]
    assert api.delete(f"{V8}/Accounts/{account}").status_code == 200
    listed = api.get(f"{V8}/Accounts/deleted/{account}/Contacts", params={"fields": "Last_Name"})
    assert listed.status_code == 200, listed.text
    assert [c["id"] for c in listed.json()["data"]] == contacts[::-1]
    assert listed.json()["info"] == {"per_page": 200, "count": 2, "page": 1, "more_records": False}
    validate_response(listed, "related_records.json", DELETED_OAS)
    one = api.get(f"{V8}/Accounts/deleted/{account}/Contacts", params={"fields": "Last_Name", "ids": contacts[0]})
    assert one.json()["data"] == [{"Last_Name": "C0", "id": contacts[0]}]


def test_a_deleted_parents_list_needs_a_parent_in_the_recycle_bin_and_a_lookup_list(api: TestClient) -> None:
    live = make(api, "Accounts", Account_Name="Alive")
    not_deleted = api.get(f"{V8}/Accounts/deleted/{live}/Contacts", params={"fields": "Last_Name"})
    assert not_deleted.status_code == 400
    assert not_deleted.json() == {
        "code": "INVALID_DATA",
        "details": {"resource_path_index": 2},
        "message": "the related id given seems to be invalid",
        "status": "error",
    }
    gone = make(api, "Accounts", Account_Name="Gone")
    api.delete(f"{V8}/Accounts/{gone}")
    for name in ("Notes", "Products", "Nope"):
        refused = api.get(f"{V8}/Accounts/deleted/{gone}/{name}", params={"fields": "Last_Name"})
        assert refused.status_code == 400
        assert refused.json()["details"] == {"resource_path_index": 3}
        assert refused.json()["message"] == "The relation name given seems to be invalid"
    assert api.get(f"{V8}/Accounts/deleted/{gone}/Contacts", params={"fields": "Last_Name"}).status_code == 204
