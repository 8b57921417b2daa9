"""``/Contacts/roles`` over HTTP, on both stores: Zoho's ten default roles, create/update/delete one
or many, the name and position rules at their edges, unknown ids, the scope, against Zoho's
contact_roles.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import CONTACT_ROLE_ALLOWANCES
from tests.support.oas import validate_response

pytestmark = pytest.mark.usefixtures("both_backends")

PATH = "/Contacts/roles"
URL = f"/crm/v8{PATH}"
DEFAULTS = [
    "Purchasing",
    "Evaluator",
    "Decision Maker",
    "Executive Sponsor",
    "Influencer",
    "Technical Buyer",
    "Developer/Evaluator",
    "Product Management",
    "Economic Decision Maker",
    "Other",
]


def check(response: httpx.Response, method: str, path: str = PATH) -> None:
    """Against the file, but a mixed batch (207), which it does not document: its items one by one
    with the all-succeeded or the all-failed status."""
    if response.status_code == 207:
        for item in response.json()["contact_roles"]:
            status = 200 if item["status"] == "success" else 400
            one = httpx.Response(status, json={"contact_roles": [item]}, request=response.request)
            validate_response(one, "contact_roles.json", f"/crm/v8{path}", method, allow=CONTACT_ROLE_ALLOWANCES)
        return
    validate_response(response, "contact_roles.json", f"/crm/v8{path}", method, allow=CONTACT_ROLE_ALLOWANCES)


def listed(api: TestClient) -> list[dict[str, Any]]:
    response = api.get(URL)
    assert response.status_code == 200, response.text
    check(response, "GET")
    roles: list[dict[str, Any]] = response.json()["contact_roles"]
    return roles


def create(api: TestClient, *items: Any) -> httpx.Response:
    response: httpx.Response = api.post(URL, json={"contact_roles": list(items)})
    check(response, "POST")
    return response


def new(api: TestClient, name: str, **extra: Any) -> str:
    response = create(api, {"name": name, **extra})
    assert response.status_code == 200, response.text
    return str(response.json()["contact_roles"][0]["details"]["id"])


def only_item(response: httpx.Response) -> dict[str, Any]:
    items: list[dict[str, Any]] = response.json()["contact_roles"]
    assert len(items) == 1, items
    return items[0]


def test_a_fresh_org_has_zohos_ten_roles_in_order(api: TestClient) -> None:
    roles = listed(api)
    assert [r["name"] for r in roles] == DEFAULTS
    assert [r["sequence_number"] for r in roles] == list(range(1, 11))
    one = api.get(f"{URL}/{roles[2]['id']}")
    check(one, "GET", PATH + "/{id}")
    assert one.json() == {"contact_roles": [roles[2]]}


def test_a_created_role_goes_last_and_is_read_back(api: TestClient) -> None:
    created = create(api, {"name": "  Sales Lead "})
    assert created.status_code == 200
    assert only_item(created)["message"] == "contact role added"
    role_id = only_item(created)["details"]["id"]
    assert listed(api)[-1] == {"id": role_id, "name": "Sales Lead", "sequence_number": 11}


def test_a_position_moves_the_roles_from_there_down(api: TestClient) -> None:
    role_id = new(api, "Champion", sequence_number=2)
    roles = listed(api)
    assert [r["name"] for r in roles[:3]] == ["Purchasing", "Champion", "Evaluator"]
    assert [r["sequence_number"] for r in roles] == list(range(1, 12))
    assert roles[1]["id"] == role_id


def test_a_position_past_the_end_means_last(api: TestClient) -> None:
    new(api, "Tail", sequence_number=500)
    assert listed(api)[-1]["name"] == "Tail"
    assert listed(api)[-1]["sequence_number"] == 11


@pytest.mark.parametrize(
    ("item", "code", "details"),
    [
        ({}, "MANDATORY_NOT_FOUND", {"api_name": "name", "json_path": "$.contact_roles[0].name"}),
        ({"name": "   "}, "MANDATORY_NOT_FOUND", {"api_name": "name", "json_path": "$.contact_roles[0].name"}),
        (
            {"name": 5},
            "INVALID_DATA",
            {"api_name": "name", "json_path": "$.contact_roles[0].name", "expected_data_type": "text"},
        ),
        (
            {"name": "x" * 51},
            "INVALID_DATA",
            {"api_name": "name", "json_path": "$.contact_roles[0].name", "maximum_length": 50},
        ),
        ({"name": "Other"}, "DUPLICATE_DATA", {"api_name": "name", "json_path": "$.contact_roles[0].name"}),
        ({"name": "other "}, "DUPLICATE_DATA", {"api_name": "name", "json_path": "$.contact_roles[0].name"}),
        (
            {"name": "A", "sequence_number": "2"},
            "INVALID_DATA",
            {
                "api_name": "sequence_number",
                "json_path": "$.contact_roles[0].sequence_number",
                "expected_data_type": "integer",
            },
        ),
        (
            {"name": "A", "sequence_number": 0},
            "INVALID_DATA",
            {"api_name": "sequence_number", "json_path": "$.contact_roles[0].sequence_number"},
        ),
        (
            "Sales",
            "INVALID_DATA",
            {"api_name": "contact_roles", "json_path": "$.contact_roles[0]", "expected_data_type": "jsonobject"},
        ),
    ],
)
def test_a_refused_item_says_why_and_adds_nothing(api: TestClient, item: Any, code: str, details: Any) -> None:
    response = create(api, item)
    assert response.status_code == 400
    assert (only_item(response)["code"], only_item(response)["details"]) == (code, details)
    assert len(listed(api)) == 10


def test_a_name_of_fifty_characters_is_taken(api: TestClient) -> None:
    new(api, "x" * 50)


def test_a_batch_answers_each_item_and_keeps_the_good_ones(api: TestClient) -> None:
    response = create(api, {"name": "New One"}, {"name": "New One"})
    assert response.status_code == 207
    assert [i["status"] for i in response.json()["contact_roles"]] == ["success", "error"]
    assert [r["name"] for r in listed(api)].count("New One") == 1


def test_more_than_a_hundred_roles_in_one_call_is_refused(api: TestClient) -> None:
    response = api.post(URL, json={"contact_roles": [{"name": f"R{i}"} for i in range(101)]})
    assert (response.status_code, response.json()["code"]) == (400, "LIMIT_EXCEEDED")
    assert len(listed(api)) == 10
    assert api.post(URL, json={"contact_roles": [{"name": f"R{i}"} for i in range(100)]}).status_code == 200


def test_an_update_renames_and_moves_by_body_id(api: TestClient) -> None:
    other = listed(api)[-1]
    response = api.put(URL, json={"contact_roles": [{"id": other["id"], "name": "Anyone", "sequence_number": 1}]})
    check(response, "PUT")
    assert (response.status_code, only_item(response)["message"]) == (200, "contact role updated")
    roles = listed(api)
    assert roles[0] == {"id": other["id"], "name": "Anyone", "sequence_number": 1}
    assert roles[1]["name"] == "Purchasing"


def test_an_update_by_path_id_keeps_the_position_when_none_is_sent(api: TestClient) -> None:
    third = listed(api)[2]
    response = api.put(f"{URL}/{third['id']}", json={"contact_roles": [{"name": "Decider"}]})
    check(response, "PUT", PATH + "/{id}")
    assert response.status_code == 200
    assert listed(api)[2] == {**third, "name": "Decider"}


def test_an_update_to_another_roles_name_is_duplicate_data(api: TestClient) -> None:
    first = listed(api)[0]
    response = api.put(URL, json={"contact_roles": [{"id": first["id"], "name": "OTHER"}]})
    assert (response.status_code, only_item(response)["code"]) == (400, "DUPLICATE_DATA")
    same = api.put(URL, json={"contact_roles": [{"id": first["id"], "name": "purchasing"}]})
    assert same.status_code == 200  # its own name, in another case


@pytest.mark.parametrize(("item", "code"), [({"name": "X"}, "MANDATORY_NOT_FOUND"), ({"id": "111"}, "INVALID_DATA")])
def test_an_update_needs_a_known_id(api: TestClient, item: dict[str, Any], code: str) -> None:
    response = api.put(URL, json={"contact_roles": [item]})
    check(response, "PUT")
    assert (response.status_code, only_item(response)["code"]) == (400, code)
    if code == "INVALID_DATA":
        assert only_item(response)["details"] == {"id": "111"}


def test_unknown_path_ids_are_no_content_to_read_and_invalid_to_write(api: TestClient) -> None:
    assert api.get(f"{URL}/111").status_code == 204
    put = api.put(f"{URL}/111", json={"contact_roles": [{"name": "X"}]})
    check(put, "PUT", PATH + "/{id}")
    assert (put.status_code, only_item(put)["details"]) == (400, {"id": "111"})
    gone = api.delete(f"{URL}/abc")
    check(gone, "DELETE", PATH + "/{id}")
    assert (gone.status_code, only_item(gone)["details"]) == (400, {"id": "abc"})


def test_a_deleted_role_goes_and_the_rest_move_up(api: TestClient) -> None:
    second = listed(api)[1]
    response = api.delete(f"{URL}/{second['id']}")
    check(response, "DELETE", PATH + "/{id}")
    assert (response.status_code, only_item(response)) == (
        200,
        {"code": "SUCCESS", "details": {"id": second["id"]}, "message": "contact role deleted", "status": "success"},
    )
    roles = listed(api)
    assert second["id"] not in [r["id"] for r in roles]
    assert [r["sequence_number"] for r in roles] == list(range(1, 10))
    assert api.get(f"{URL}/{second['id']}").status_code == 204


def test_deleting_by_ids_answers_each_id(api: TestClient) -> None:
    roles = listed(api)
    response = api.delete(URL, params={"ids": f"{roles[0]['id']},{roles[1]['id']},999"})
    check(response, "DELETE")
    assert response.status_code == 207
    assert [i["status"] for i in response.json()["contact_roles"]] == ["success", "success", "error"]
    assert [r["name"] for r in listed(api)] == DEFAULTS[2:]


def test_deleting_without_ids_is_a_missing_param_inside_the_envelope(api: TestClient) -> None:
    response = api.delete(URL)
    check(response, "DELETE")
    assert response.status_code == 400
    assert only_item(response) == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param": "ids"},
        "message": "One of the expected parameter is missing",
        "status": "error",
    }


def test_every_role_deleted_lists_as_no_content(api: TestClient) -> None:
    ids = ",".join(r["id"] for r in listed(api))
    assert api.delete(URL, params={"ids": ids}).status_code == 200
    assert api.get(URL).status_code == 204


@pytest.mark.parametrize(
    ("method", "granted", "allowed"),
    [
        ("GET", "ZohoCRM.modules.contacts.READ", True),
        ("GET", "ZohoCRM.modules.ALL", True),
        ("GET", "ZohoCRM.modules.leads.READ", False),
        ("POST", "ZohoCRM.modules.contacts.READ", False),
        ("POST", "ZohoCRM.modules.contacts.CREATE", True),
        ("DELETE", "ZohoCRM.settings.ALL", False),
    ],
)
def test_the_scope_is_the_contacts_modules(
    client: TestClient, make_token: Any, method: str, granted: str, allowed: bool
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[granted])}"}
    body = {"contact_roles": [{"name": "Scoped"}]} if method == "POST" else None
    url = URL + ("?ids=111" if method == "DELETE" else "")
    response = client.request(method, url, headers=headers, json=body)
    assert (response.status_code != 401) is allowed, response.text
    if not allowed:
        assert response.json()["code"] == "OAUTH_SCOPE_MISMATCH"
