"""Roles writes over HTTP: create, update (one or many), delete with ``transfer_to_id``, and the
hierarchy rules, against roles.json and Zoho's OASx examples."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support import allowances
from tests.support.oas import validate_response
from tests.support.people import add_person

pytestmark = pytest.mark.usefixtures("both_backends")

ROLES = "/crm/v8/settings/roles"
OAS = "roles.json"
ALLOW = allowances.ROLE_ALLOWANCES


def roles(api: TestClient) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in api.get(ROLES).json()["roles"]}


def create(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.post(ROLES, json={"roles": list(items)})


def created_id(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    validate_response(response, OAS, ROLES, "POST")
    result = response.json()["roles"][0]
    assert result["message"] == "Role added"
    return str(result["details"]["id"])


def test_a_new_role_reports_to_the_role_named_or_the_top_role(api: TestClient) -> None:
    ceo, manager = roles(api)["CEO"], roles(api)["Manager"]
    rep = created_id(
        create(api, {"name": "Sales Rep", "reporting_to": {"id": manager["id"]}, "share_with_peers": True})
    )
    lead = created_id(create(api, {"name": "Team Lead", "description": "leads a team"}))
    after = roles(api)
    assert after["Sales Rep"]["reporting_to"] == {"name": "Manager", "id": manager["id"]}
    assert after["Sales Rep"]["share_with_peers"] is True
    assert after["Team Lead"]["reporting_to"] == {"name": "CEO", "id": ceo["id"]}
    assert {rep, lead} <= {r["id"] for r in after.values()}
    one = api.get(f"{ROLES}/{rep}")
    validate_response(one, OAS, f"{ROLES}/{{role_id}}", allow=ALLOW)


@pytest.mark.parametrize(
    ("item", "code", "api_name"),
    [
        ({}, "MANDATORY_NOT_FOUND", "name"),
        ({"name": "Manager"}, "DUPLICATE_DATA", "name"),
        ({"name": "manager"}, "DUPLICATE_DATA", "name"),
        ({"name": "Bad#Name"}, "INVALID_DATA", "name"),
        ({"name": "x" * 201}, "INVALID_DATA", "name"),
        ({"name": "Ok", "reporting_to": "111111000000000001"}, "INVALID_DATA", "reporting_to"),
        ({"name": "Ok", "share_with_peers": "yes"}, "INVALID_DATA", "share_with_peers"),
    ],
)
def test_create_refuses_bad_items(api: TestClient, item: dict[str, Any], code: str, api_name: str) -> None:
    response = create(api, item)
    assert response.status_code == 400, response.text
    error = response.json()["roles"][0]
    assert (error["code"], error["details"]["api_name"], error["details"]["json_path"]) == (
        code,
        api_name,
        f"$.roles[0].{api_name}",
    )
    validate_response(response, OAS, ROLES, "POST")


def test_a_batch_with_good_and_bad_items_is_207(api: TestClient) -> None:
    response = create(api, {"name": "One"}, {"name": "One"})
    assert response.status_code == 207
    assert [r["code"] for r in response.json()["roles"]] == ["SUCCESS", "DUPLICATE_DATA"]


def test_a_rename_shows_on_the_roles_users_and_sub_roles(api: TestClient, emulator: Any) -> None:
    manager = roles(api)["Manager"]
    created_id(create(api, {"name": "Rep", "reporting_to": manager["id"]}))
    person = add_person(emulator, "rep@zylker.example")
    response = api.put(f"{ROLES}/{manager['id']}", json={"roles": [{"name": "Sales Manager"}]})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, f"{ROLES}/{{role_id}}", "PUT")
    assert response.json()["roles"][0]["message"] == "Role updated"
    assert roles(api)["Rep"]["reporting_to"]["name"] == "Sales Manager"
    assert api.get(f"/crm/v8/users/{person['id']}").json()["users"][0]["role"]["name"] == "Sales Manager"


def test_a_role_never_reports_to_itself_or_below_itself(api: TestClient) -> None:
    manager = roles(api)["Manager"]
    rep = created_id(create(api, {"name": "Rep", "reporting_to": manager["id"]}))
    ceo = roles(api)["CEO"]
    for role_id, target in ((manager["id"], manager["id"]), (manager["id"], rep), (ceo["id"], manager["id"])):
        response = api.put(f"{ROLES}/{role_id}", json={"roles": [{"reporting_to": {"id": target}}]})
        assert response.status_code == 400, response.text
        assert response.json()["roles"][0]["details"]["api_name"] == "reporting_to"
    moved = api.put(ROLES, json={"roles": [{"id": rep, "reporting_to": ceo["id"]}]})
    assert moved.status_code == 200, moved.text
    assert roles(api)["Rep"]["reporting_to"]["id"] == ceo["id"]


def test_bulk_update_needs_known_ids(api: TestClient) -> None:
    response = api.put(ROLES, json={"roles": [{"name": "X"}, {"id": "111111000000000001", "name": "Y"}]})
    assert response.status_code == 400
    assert [r["code"] for r in response.json()["roles"]] == ["MANDATORY_NOT_FOUND", "INVALID_DATA"]


def test_delete_moves_users_and_sub_roles_to_the_transfer_role(api: TestClient, emulator: Any) -> None:
    ceo, manager = roles(api)["CEO"], roles(api)["Manager"]
    doomed = created_id(create(api, {"name": "Doomed", "reporting_to": manager["id"]}))
    child = created_id(create(api, {"name": "Child", "reporting_to": doomed}))
    person = add_person(emulator, "rep@zylker.example")
    api.put(f"/crm/v8/users/{person['id']}", json={"users": [{"role": doomed}]})
    response = api.delete(f"{ROLES}/{doomed}", params={"transfer_to_id": manager["id"]})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, f"{ROLES}/{{role_id}}", "DELETE")
    assert response.json()["roles"][0] == {
        "code": "SUCCESS",
        "details": {"id": doomed},
        "message": "Role Deleted",
        "status": "success",
    }
    after = roles(api)
    assert "Doomed" not in after and after["Child"]["reporting_to"]["id"] == manager["id"]
    assert api.get(f"/crm/v8/users/{person['id']}").json()["users"][0]["role"]["id"] == manager["id"]
    assert ceo["id"] in {r["id"] for r in after.values()} and child in {r["id"] for r in after.values()}


def test_delete_needs_a_transfer_role_outside_the_branch(api: TestClient) -> None:
    ceo, manager = roles(api)["CEO"], roles(api)["Manager"]
    below = created_id(create(api, {"name": "Below", "reporting_to": manager["id"]}))
    missing = api.delete(f"{ROLES}/{manager['id']}")
    assert (missing.status_code, missing.json()["code"]) == (400, "REQUIRED_PARAM_MISSING")
    assert missing.json()["details"] == {"param_name": "transfer_to_id"}
    for target in (manager["id"], below, "111111000000000001"):
        response = api.delete(f"{ROLES}/{manager['id']}", params={"transfer_to_id": target})
        assert response.status_code == 400
        assert response.json()["roles"][0]["message"] == "invalid transferToId"
    top = api.delete(f"{ROLES}/{ceo['id']}", params={"transfer_to_id": manager["id"]})
    assert (top.status_code, top.json()["roles"][0]["code"]) == (400, "INVALID_DATA")
    assert set(roles(api)) == {"CEO", "Manager", "Below"}


def test_an_unknown_path_id_is_refused_whole(api: TestClient) -> None:
    response = api.put(f"{ROLES}/111111000000000001", json={"roles": [{"name": "X"}]})
    assert response.status_code == 400
    assert response.json()["details"] == {"resource_path_index": 2}
