"""``PUT /settings/custom_views[/{id}]/actions/change_sort``: a view's sort field and order, the
order a list by its ``cvid`` then comes back in, and Zoho's errors at each edge, checked against
custom_views.json (Zoho doc page "Change Sort Order of Custom Views")."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.resources.custom_views.test_custom_views import listed, view_id, views
from tests.support.allowances import CUSTOM_VIEW_ONE
from tests.support.oas import validate_response
from tests.support.records import insert_one

pytestmark = pytest.mark.usefixtures("both_backends")

VIEWS = "/crm/v8/settings/custom_views"
MANY = f"{VIEWS}/actions/change_sort"
OAS_ONE = "/crm/v8/settings/custom_views/{id}/actions/change_sort"
OAS_MANY = "/crm/v8/settings/custom_views/actions/change_sort"


def field_id(api: TestClient, api_name: str, module: str = "Leads") -> str:
    response = api.get("/crm/v8/settings/fields", params={"module": module})
    return next(str(f["id"]) for f in response.json()["fields"] if f["api_name"] == api_name)


def sort_item(api: TestClient, api_name: str, order: str, **extra: Any) -> dict[str, Any]:
    return {"sort_by": {"api_name": api_name, "id": field_id(api, api_name)}, "sort_order": order, **extra}


def change_one(api: TestClient, cvid: str, body: Any, module: str = "Leads") -> httpx.Response:
    return api.put(f"{VIEWS}/{cvid}/actions/change_sort", params={"module": module}, json=body)


def lead_names(api: TestClient, *names: str) -> None:
    for name in names:
        insert_one(api, "Leads", {"Last_Name": name})


def test_a_view_sorted_by_a_field_lists_its_records_in_that_order(api: TestClient) -> None:
    lead_names(api, "Beta", "Alpha", "Gamma")
    cvid = view_id(api, "All Leads")
    response = change_one(api, cvid, {"custom_views": [sort_item(api, "Last_Name", "asc")]})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "custom_views": [
            {"code": "SUCCESS", "details": {"id": cvid}, "message": "custom view updated", "status": "success"}
        ]
    }
    validate_response(response, "custom_views.json", OAS_ONE, "PUT")
    assert listed(api, cvid) == ["Alpha", "Beta", "Gamma"]
    records = api.get("/crm/v8/Leads", params={"cvid": cvid, "fields": "Last_Name"}).json()
    assert records["info"]["sort_by"] == "Last_Name" and records["info"]["sort_order"] == "asc"
    change_one(api, cvid, {"custom_views": [sort_item(api, "Last_Name", "desc")]})
    assert listed(api, cvid) == ["Gamma", "Beta", "Alpha"]


def test_the_view_shows_its_new_sort_and_who_changed_it(api: TestClient) -> None:
    cvid = view_id(api, "All Leads")
    change_one(api, cvid, {"custom_views": [sort_item(api, "Email", "asc")]})
    response = api.get(f"{VIEWS}/{cvid}", params={"module": "Leads"})
    validate_response(response, "custom_views.json", "/crm/v8/settings/custom_views/{id}", allow=CUSTOM_VIEW_ONE)
    view = response.json()["custom_views"][0]
    assert view["sort_by"] == {"api_name": "Email", "id": field_id(api, "Email")} and view["sort_order"] == "asc"
    me = api.get("/crm/v8/users", params={"type": "CurrentUser"}).json()["users"][0]
    assert view["modified_by"]["id"] == me["id"]


def test_several_views_change_at_once_and_an_unknown_id_fails_alone(api: TestClient) -> None:
    lead_names(api, "Beta", "Alpha")
    all_leads, mine = view_id(api, "All Leads"), view_id(api, "My Leads")
    body = {
        "custom_views": [
            sort_item(api, "Last_Name", "asc", id=all_leads),
            sort_item(api, "Last_Name", "desc", id=mine),
            sort_item(api, "Last_Name", "desc", id="1234567890123456789"),
        ]
    }
    response = api.put(MANY, params={"module": "Leads"}, json=body)
    assert response.status_code == 207, response.text
    results = response.json()["custom_views"]
    assert [r["status"] for r in results] == ["success", "success", "error"]
    assert results[2]["code"] == "INVALID_DATA" and results[2]["details"] == {"id": "1234567890123456789"}
    assert listed(api, all_leads) == ["Alpha", "Beta"] and listed(api, mine) == ["Beta", "Alpha"]


def test_all_views_changed_at_once_answer_200(api: TestClient) -> None:
    body = {"custom_views": [sort_item(api, "Email", "desc", id=view_id(api, "All Leads"))]}
    response = api.put(MANY, params={"module": "Leads"}, json=body)
    assert response.status_code == 200, response.text
    validate_response(response, "custom_views.json", OAS_MANY, "PUT")


def test_a_view_named_in_the_path_must_be_one_of_the_module(api: TestClient) -> None:
    contacts_view = view_id(api, "All Contacts", "Contacts")
    for cvid in (contacts_view, "1234567890123456789", "abc"):
        response = change_one(api, cvid, {"custom_views": [sort_item(api, "Last_Name", "asc")]})
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "INVALID_DATA" and response.json()["details"] == {"resource_path_index": 0}
        validate_response(response, "custom_views.json", OAS_ONE, "PUT")


@pytest.mark.parametrize(
    ("item", "code", "details"),
    [
        ({"sort_order": "asc"}, "MANDATORY_NOT_FOUND", {"api_name": "sort_by"}),
        ({"sort_by": {"api_name": "Last_Name"}}, "MANDATORY_NOT_FOUND", {"api_name": "sort_order"}),
        ({"sort_by": {"api_name": "Last_Name"}, "sort_order": "up"}, "INVALID_DATA", {"api_name": "sort_order"}),
        ({"sort_by": {"api_name": "No_Such_Field"}, "sort_order": "asc"}, "INVALID_DATA", {"api_name": "sort_by"}),
        ({"sort_by": {"api_name": "Description"}, "sort_order": "asc"}, "INVALID_DATA", {"api_name": "sort_by"}),
        ({"sort_by": {}, "sort_order": "asc"}, "INVALID_DATA", {"api_name": "sort_by"}),
        ({"sort_by": "Last_Name", "sort_order": "asc"}, "INVALID_DATA", {"api_name": "sort_by"}),
    ],
)
def test_sort_by_and_sort_order_are_mandatory_and_checked(
    api: TestClient, item: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    cvid = view_id(api, "All Leads")
    response = change_one(api, cvid, {"custom_views": [item]})
    assert response.status_code == 400, response.text
    error = response.json()["custom_views"][0]
    assert error["code"] == code
    assert {k: error["details"][k] for k in details} == details
    assert error["details"]["json_path"].startswith("$.custom_views[0].")
    validate_response(response, "custom_views.json", OAS_ONE, "PUT")
    assert views(api)["All Leads"]["id"] == cvid  # the view is still there, unchanged below
    assert api.get(f"{VIEWS}/{cvid}", params={"module": "Leads"}).json()["custom_views"][0]["sort_by"] is None


def test_sort_by_id_and_api_name_must_name_the_same_field(api: TestClient) -> None:
    cvid = view_id(api, "All Leads")
    item = {"sort_by": {"api_name": "Last_Name", "id": field_id(api, "Email")}, "sort_order": "asc"}
    error = change_one(api, cvid, {"custom_views": [item]}).json()["custom_views"][0]
    assert error["code"] == "INVALID_DATA" and error["details"]["api_name"] == "sort_by"
    by_id = {"sort_by": {"id": field_id(api, "Email")}, "sort_order": "asc"}
    assert change_one(api, cvid, {"custom_views": [by_id]}).status_code == 200


def test_the_one_view_call_takes_one_item_and_the_many_call_at_most_100(api: TestClient) -> None:
    cvid = view_id(api, "All Leads")
    two = {"custom_views": [sort_item(api, "Email", "asc")] * 2}
    assert change_one(api, cvid, two).json()["details"]["maximum_length"] == 1
    assert change_one(api, cvid, {}).json()["code"] == "MANDATORY_NOT_FOUND"
    many = {"custom_views": [sort_item(api, "Email", "asc", id=cvid)] * 101}
    response = api.put(MANY, params={"module": "Leads"}, json=many)
    assert response.status_code == 400 and response.json()["code"] == "LIMIT_EXCEEDED"


def test_the_many_call_needs_each_views_id(api: TestClient) -> None:
    response = api.put(MANY, params={"module": "Leads"}, json={"custom_views": [sort_item(api, "Email", "asc")]})
    assert response.status_code == 400, response.text
    error = response.json()["custom_views"][0]
    assert error["code"] == "MANDATORY_NOT_FOUND" and error["details"]["api_name"] == "id"


def test_the_module_param_is_required(api: TestClient) -> None:
    cvid = view_id(api, "All Leads")
    response = api.put(f"{VIEWS}/{cvid}/actions/change_sort", json={"custom_views": [sort_item(api, "Email", "asc")]})
    assert response.status_code == 400 and response.json()["code"] == "REQUIRED_PARAM_MISSING"
    response = change_one(api, cvid, {"custom_views": [sort_item(api, "Email", "asc")]}, module="Nope")
    assert response.status_code == 400 and response.json()["code"] == "INVALID_MODULE"


def test_changing_the_sort_needs_the_update_scope(api: TestClient, client: TestClient, make_token: Any) -> None:
    cvid = view_id(api, "All Leads")
    body = {"custom_views": [sort_item(api, "Email", "asc")]}
    url = f"{VIEWS}/{cvid}/actions/change_sort"
    read_only = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.custom_views.READ'])}"}
    response = client.put(url, params={"module": "Leads"}, json=body, headers=read_only)
    assert response.status_code == 401 and response.json()["code"] == "OAUTH_SCOPE_MISMATCH"
    update = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.custom_views.UPDATE'])}"}
    assert client.put(url, params={"module": "Leads"}, json=body, headers=update).status_code == 200
