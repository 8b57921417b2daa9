"""Territories over HTTP: the tree under the org territory, its writes and deletes, the users of a
territory and a user's territories, against Zoho's territories.json, territory_users.json and
users_territories.json."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import TERRITORY_ALLOWANCES, TERRITORY_USER_ALLOWANCES, USER_TERRITORY_ALLOWANCES
from tests.support.modules import set_edition
from tests.support.oas import validate_response
from tests.support.people import add_person
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

T = "/crm/v8/settings/territories"
OAS = "territories.json"


def check(response: httpx.Response, path: str, method: str, file: str = OAS) -> None:
    allow = {
        OAS: TERRITORY_ALLOWANCES,
        "territory_users.json": TERRITORY_USER_ALLOWANCES,
        "users_territories.json": USER_TERRITORY_ALLOWANCES,
    }[file]
    validate_response(response, file, f"/crm/v8{path}", method, allow=allow)


def listed(api: TestClient, **params: str) -> list[dict[str, Any]]:
    response = api.get(T, params=params)
    assert response.status_code == 200, response.text
    check(response, "/settings/territories", "GET")
    territories: list[dict[str, Any]] = response.json()["territories"]
    return territories


def root(api: TestClient) -> dict[str, Any]:
    return next(t for t in listed(api) if t["reporting_to"] is None)


def create(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.post(T, json={"territories": list(items)})


def new(api: TestClient, name: str, parent: str | None = None, **extra: Any) -> str:
    parent_id = parent or root(api)["id"]
    item = {"name": name, "reporting_to": {"id": parent_id}, "permission_type": "read_write_delete", **extra}
    response = create(api, item)
    assert response.status_code == 201, response.text
    check(response, "/settings/territories", "POST")
    return str(response.json()["territories"][0]["details"]["id"])


def item_error(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    first: dict[str, Any] = next(iter(body.values()))[0]
    return first


# --- the tree --------------------------------------------------------------------------------------
def test_a_fresh_enterprise_org_has_the_org_territory_named_after_the_company(api: TestClient) -> None:
    (only,) = listed(api)
    assert only["name"] == "Zylker Emulated"
    assert only["reporting_to"] is None
    assert only["description"] == "Organization Parent Territory"
    assert only["manager"]["name"] == "Zylker Admin"
    assert listed(api) == [only]  # made once


def test_a_territory_reports_to_the_one_named_and_reads_back_with_its_criteria(api: TestClient) -> None:
    top = root(api)["id"]
    criteria = {"field": {"api_name": "Billing_City"}, "comparator": "equal", "value": "Chennai"}
    made = new(api, "South India", top, account_rule_criteria=criteria, description="South")
    response = api.get(f"{T}/{made}")
    assert response.status_code == 200, response.text
    check(response, "/settings/territories/{id}", "GET")
    (got,) = response.json()["territories"]
    assert got["reporting_to"] == {"name": "Zylker Emulated", "id": top}
    assert got["account_rule_criteria"]["field"]["api_name"] == "Billing_City"
    assert got["account_rule_criteria"]["field"]["id"]
    assert got["deal_rule_criteria"] is None
    assert got["api_name"] == "South_India"


@pytest.mark.parametrize(
    ("item", "code", "key"),
    [
        ({"reporting_to": "@root", "permission_type": "read_only"}, "MANDATORY_NOT_FOUND", "name"),
        ({"name": "A", "permission_type": "read_only"}, "MANDATORY_NOT_FOUND", "reporting_to"),
        ({"name": "A", "reporting_to": "@root"}, "MANDATORY_NOT_FOUND", "permission_type"),
        ({"name": "A", "reporting_to": "@root", "permission_type": "write"}, "INVALID_DATA", "permission_type"),
        ({"name": 7, "reporting_to": "@root", "permission_type": "read_only"}, "INVALID_DATA", "name"),
        ({"name": "A", "reporting_to": {"id": "111"}, "permission_type": "read_only"}, "INVALID_DATA", "reporting_to"),
        ({"name": "x" * 101, "reporting_to": "@root", "permission_type": "read_only"}, "INVALID_DATA", "name"),
        (
            {"name": "A", "reporting_to": "@root", "permission_type": "read_only", "manager": {"id": "12"}},
            "INVALID_DATA",
            "manager",
        ),
    ],
)
def test_a_create_item_is_refused_at_the_key_at_fault(
    api: TestClient, item: dict[str, Any], code: str, key: str
) -> None:
    item = {k: ({"id": root(api)["id"]} if v == "@root" else v) for k, v in item.items()}
    response = create(api, item)
    assert response.status_code == 400, response.text
    check(response, "/settings/territories", "POST")
    error = item_error(response)
    assert (error["code"], error["details"]["api_name"]) == (code, key)


def test_names_are_unique_regardless_of_case(api: TestClient) -> None:
    new(api, "West")
    response = create(api, {"name": "west", "reporting_to": {"id": root(api)["id"]}, "permission_type": "read_only"})
    assert item_error(response)["code"] == "DUPLICATE_DATA"


@pytest.mark.parametrize(
    ("criteria", "code"),
    [
        ({"field": {"api_name": "No_Such_Field"}, "comparator": "equal", "value": "x"}, "INVALID_DATA"),
        ({"field": {"api_name": "Billing_City"}, "comparator": "resembles", "value": "x"}, "INVALID_DATA"),
        ({"comparator": "equal", "value": "x"}, "MANDATORY_NOT_FOUND"),
        ({"group_operator": "XOR", "group": []}, "INVALID_DATA"),
        ("Billing_City = x", "INVALID_DATA"),
    ],
)
def test_criteria_name_fields_of_the_module_and_known_comparators(api: TestClient, criteria: Any, code: str) -> None:
    item = {"name": "C", "reporting_to": {"id": root(api)["id"]}, "permission_type": "read_only"}
    response = create(api, {**item, "account_rule_criteria": criteria})
    assert item_error(response)["code"] == code


def test_a_territory_cannot_report_to_itself_or_below_itself(api: TestClient) -> None:
    top = new(api, "Europe")
    mid = new(api, "France", top)
    low = new(api, "Paris", mid)
    for target in (top, low):
        response = api.put(f"{T}/{top}", json={"territories": [{"reporting_to": {"id": target}}]})
        assert response.status_code == 400, response.text
        check(response, "/settings/territories/{id}", "PUT")
        error = item_error(response)
        assert error["code"] == "NOT_ALLOWED"
        assert error["message"].startswith("Reporting_to id should not be the child")


def test_the_org_territory_takes_a_new_name_and_nothing_else(api: TestClient) -> None:
    top = root(api)
    renamed = api.put(T, json={"territories": [{"id": top["id"], "name": "Zylker World"}]})
    assert renamed.status_code == 200, renamed.text
    check(renamed, "/settings/territories", "PUT")
    refused = api.put(f"{T}/{top['id']}", json={"territories": [{"description": "x"}]})
    assert item_error(refused)["message"] == "Can't update the Org Territory Properties Except its Name"
    assert root(api)["name"] == "Zylker World"


def test_a_rename_shows_on_the_children(api: TestClient) -> None:
    parent = new(api, "North")
    child = new(api, "Oslo", parent)
    api.put(f"{T}/{parent}", json={"territories": [{"name": "Nordics"}]})
    (got,) = api.get(f"{T}/{child}").json()["territories"]
    assert got["reporting_to"] == {"name": "Nordics", "id": parent}


def test_children_filters_and_ids_narrow_the_lists(api: TestClient) -> None:
    parent = new(api, "Asia")
    new(api, "Japan", parent)
    new(api, "India", parent)
    response = api.get(f"{T}/{parent}/__child_territories")
    check(response, "/settings/territories/{id}/__child_territories", "GET")
    assert {t["name"] for t in response.json()["territories"]} == {"Japan", "India"}
    starts = json.dumps({"field": {"api_name": "name"}, "comparator": "starts_with", "value": "ja"})
    assert [t["name"] for t in listed(api, filters=starts)] == ["Japan"]
    assert [t["id"] for t in listed(api, ids=parent)] == [parent]
    assert api.get(T, params={"filters": "{nope"}).json()["code"] == "INVALID_DATA"
    assert api.get(f"{T}/{new(api, 'Leaf')}/__child_territories").status_code == 204


# --- deletes ---------------------------------------------------------------------------------------
def test_delete_refuses_the_org_territory_and_a_parent(api: TestClient) -> None:
    parent = new(api, "Africa")
    new(api, "Kenya", parent)
    response = api.delete(T, params={"ids": f"{root(api)['id']},{parent}"})
    assert response.status_code == 400, response.text
    messages = [item["message"] for item in response.json()["territories"]]
    assert messages == ["Org Territory cannot be deleted", "Territory can't be deleted as it's having child"]
    one = api.delete(f"{T}/{parent}")
    assert one.status_code == 400
    assert one.json() == {
        "code": "NOT_ALLOWED",
        "details": {"resource_path_index": 2},
        "message": "Territory can't be deleted as it's having child",
        "status": "error",
    }


def test_delete_removes_a_leaf_and_its_name_is_free_again(api: TestClient) -> None:
    leaf = new(api, "Leaf")
    response = api.delete(T, params={"ids": leaf, "delete_previous_forecasts": "false"})
    assert response.status_code == 200, response.text
    check(response, "/settings/territories", "DELETE")
    assert response.json()["territories"][0]["message"] == "Territory Deleted Successfully"
    assert api.get(f"{T}/{leaf}").status_code == 204
    new(api, "Leaf")


def test_delete_takes_at_most_ten_ids_and_needs_them(api: TestClient) -> None:
    ids = ",".join(str(1000 + i) for i in range(11))
    assert api.delete(T, params={"ids": ids}).json()["code"] == "INVALID_REQUEST"
    assert api.delete(T).json()["code"] == "REQUIRED_PARAM_MISSING"


def test_transfer_and_delete_moves_the_children_outside_the_branch(api: TestClient) -> None:
    west, east = new(api, "West"), new(api, "East")
    child = new(api, "Lyon", west)
    inside = api.post(f"{T}/{west}/actions/transfer_and_delete", json={"territories": [{"transfer_to_id": child}]})
    assert item_error(inside)["code"] == "NOT_ALLOWED"
    missing = api.post(f"{T}/{west}/actions/transfer_and_delete", json={"territories": [{}]})
    assert item_error(missing)["code"] == "DEPENDENT_FIELD_MISSING"
    moved = api.post(
        f"{T}/actions/transfer_and_delete",
        json={"territories": [{"id": west, "transfer_to_id": east, "delete_previous_forecasts": False}]},
    )
    assert moved.status_code == 200, moved.text
    check(moved, "/settings/territories/actions/transfer_and_delete", "POST")
    (got,) = api.get(f"{T}/{child}").json()["territories"]
    assert got["reporting_to"]["id"] == east


# --- users of territories ----------------------------------------------------------------------------
def test_users_join_and_leave_a_territory(api: TestClient, emulator: Emulator) -> None:
    rep = add_person(emulator, "rep@zylker.example")["id"]
    place = new(api, "Berlin")
    users = f"{T}/{place}/users"
    added = api.put(users, json={"users": [{"id": rep}]})
    assert added.status_code == 200, added.text
    check(added, "/settings/territories/{territory}/users", "PUT", "territory_users.json")
    again = api.put(users, json={"users": [{"id": rep}, {"id": "999"}]})
    assert [item["code"] for item in again.json()["users"]] == ["DUPLICATE_DATA", "INVALID_DATA"]
    listed_users = api.get(users)
    check(listed_users, "/settings/territories/{territory}/users", "GET", "territory_users.json")
    assert [u["id"] for u in listed_users.json()["users"]] == [rep]
    assert api.get(f"{users}/{rep}").json()["users"][0]["id"] == rep
    counts = api.get(f"{T}/actions/associated_users_count").json()["associated_users_count"]
    assert {c["territory"]["id"]: c["count"] for c in counts}[place] == "1"
    mine = api.get(f"/crm/v8/users/{rep}/territories")
    check(mine, "/users/{user}/territories", "GET", "users_territories.json")
    assert mine.json()["territories"][0]["Name"] == "Berlin"
    removed = api.delete(users, params={"ids": rep})
    assert removed.status_code == 200, removed.text
    not_member = api.delete(users, params={"ids": rep})
    assert item_error(not_member)["message"] == "Given user is not a member of this territory."
    assert api.get(users).status_code == 204


def test_a_users_territories_are_changed_from_the_user_but_not_by_themselves(
    api: TestClient, emulator: Emulator
) -> None:
    rep = add_person(emulator, "rep@zylker.example")["id"]
    place = new(api, "Rome")
    path = f"/crm/v8/users/{rep}/territories"
    added = api.put(path, json={"territories": [{"id": place}, {"id": "1234"}]})
    assert added.status_code == 207, added.text
    assert [item["code"] for item in added.json()["territories"]] == ["SUCCESS", "INVALID_DATA"]
    assert api.get(f"{path}/{place}").json()["territories"][0]["id"] == place
    me = api.get("/crm/v8/users", params={"type": "CurrentUser"}).json()["users"][0]["id"]
    own = api.put(f"/crm/v8/users/{me}/territories", json={"territories": [{"id": place}]})
    assert (own.status_code, own.json()["code"]) == (403, "NOT_ALLOWED")
    gone = api.delete(f"{path}/{place}")
    assert gone.status_code == 200, gone.text
    assert api.get(path).status_code == 204


def test_a_deleted_territory_that_had_users_is_listed_as_such(api: TestClient, emulator: Emulator) -> None:
    rep = add_person(emulator, "rep@zylker.example")["id"]
    place = new(api, "Madrid")
    api.put(f"{T}/{place}/users", json={"users": [{"id": rep}]})
    api.delete(f"{T}/{place}")
    response = api.get(f"{T}/actions/deleted_associated_territories")
    assert response.status_code == 200, response.text
    check(response, "/settings/territories/actions/deleted_associated_territories", "GET")
    assert [t["id"] for t in response.json()["territories"]] == [place]
    assert api.get(f"/crm/v8/users/{rep}/territories").status_code == 204


# --- editions ----------------------------------------------------------------------------------------
def test_below_enterprise_territory_management_is_not_enabled(api: TestClient, emulator: Emulator) -> None:
    set_edition(api, emulator, "professional")
    refused = api.get(T)
    assert (refused.status_code, refused.json()["code"]) == (400, "FEATURE_NOT_ENABLED")
    assert refused.json()["message"] == "Territory Management is not enabled"
    users = api.get(f"{T}/1234/users")
    assert (users.status_code, users.json()["code"]) == (403, "TERRITORY_NOT_ENABLED")
