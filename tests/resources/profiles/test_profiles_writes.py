"""Profiles writes over HTTP: clone, update (name, description, permissions), delete with
``transfer_to``, and a permission turned off gating the profile's users' record calls at once,
against profiles.json and Zoho's OASx examples."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support import allowances
from tests.support.modules import set_edition
from tests.support.oas import validate_response
from tests.support.people import add_person
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

PROFILES = "/crm/v8/settings/profiles"
OAS = "profiles.json"
ONE = f"{PROFILES}/{{id}}"
CLONE = f"{PROFILES}/{{id}}/actions/clone"


def profiles(api: TestClient) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in api.get(PROFILES).json()["profiles"]}


def profile(api: TestClient, profile_id: str) -> dict[str, Any]:
    response = api.get(f"{PROFILES}/{profile_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["profiles"][0]
    return found


def clone(api: TestClient, source: str, **item: Any) -> httpx.Response:
    return api.post(f"{PROFILES}/{source}/actions/clone", json={"profiles": [item]})


def cloned_id(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    validate_response(response, OAS, CLONE, "POST")
    result = response.json()["profiles"][0]
    assert result["message"] == "profile created successfully"
    return str(result["details"]["id"])


def permission_id(data: dict[str, Any], name: str) -> str:
    return str(next(p["id"] for p in data["permissions_details"] if p["name"] == name))


def test_a_clone_has_the_sources_permissions_and_is_custom(api: TestClient) -> None:
    standard = profiles(api)["Standard"]
    new_id = cloned_id(clone(api, standard["id"], name="Sales Manager", description="TX region"))
    made = profile(api, new_id)
    assert (made["name"], made["description"], made["custom"], made["default"]) == (
        "Sales Manager",
        "TX region",
        True,
        False,
    )
    assert made["permissions_details"] == profile(api, standard["id"])["permissions_details"]
    assert made["created_by"]["id"] == api.get("/crm/v8/users", params={"type": "CurrentUser"}).json()["users"][0]["id"]
    validate_response(api.get(f"{PROFILES}/{new_id}"), OAS, ONE, allow=allowances.PROFILE_ALLOWANCES)


@pytest.mark.parametrize(
    ("item", "code", "message"),
    [
        ({}, "MANDATORY_NOT_FOUND", "required field not found"),
        ({"name": "standard"}, "DUPLICATE_DATA", "duplicate data"),
        (
            {"name": "A&B"},
            "INVALID_DATA",
            "Profile name should not contain the following special character(s) : #, %, &, (, ), *, ^",
        ),
        ({"name": "x" * 51}, "INVALID_DATA", "invalid data"),
    ],
)
def test_clone_refuses_bad_names(api: TestClient, item: dict[str, Any], code: str, message: str) -> None:
    response = clone(api, profiles(api)["Standard"]["id"], **item)
    assert response.status_code == 400, response.text
    error = response.json()["profiles"][0]
    assert (error["code"], error["message"], error["details"]["api_name"]) == (code, message, "name")
    validate_response(response, OAS, CLONE, "POST", allow=allowances.PROFILE_WRITE_ALLOWANCES)


def test_the_edition_limits_profiles(api: TestClient, emulator: Emulator) -> None:
    set_edition(api, emulator, "standard")  # 4 profiles
    source = profiles(api)["Standard"]["id"]
    cloned_id(clone(api, source, name="Third"))
    cloned_id(clone(api, source, name="Fourth"))
    response = clone(api, source, name="Fifth")
    assert response.status_code == 400
    assert response.json()["profiles"][0] == {
        "code": "LICENSE_LIMIT_EXCEEDED",
        "details": {"limit": 4},
        "message": "Request exceeds your license limit.",
        "status": "error",
    }


def test_more_than_one_profile_is_refused_whole(api: TestClient) -> None:
    source = profiles(api)["Standard"]["id"]
    response = api.post(f"{PROFILES}/{source}/actions/clone", json={"profiles": [{"name": "A"}, {"name": "B"}]})
    assert response.status_code == 400
    assert response.json()["details"] == {"api_name": "profiles", "maximum_length": 1}


def test_update_changes_name_description_and_permissions(api: TestClient) -> None:
    new_id = cloned_id(clone(api, profiles(api)["Standard"]["id"], name="Reps"))
    view_leads = permission_id(profile(api, new_id), "Crm_Implied_View_Leads")
    body = {
        "profiles": [
            {"name": "Field Reps", "description": "d", "permissions_details": [{"id": view_leads, "enabled": False}]}
        ]
    }
    response = api.put(f"{PROFILES}/{new_id}", json=body)
    assert response.status_code == 200, response.text
    validate_response(response, OAS, ONE, "PUT")
    assert response.json()["profiles"][0]["message"] == "profile updated successfully"
    made = profile(api, new_id)
    assert (made["name"], made["description"]) == ("Field Reps", "d")
    states = {p["name"]: p["enabled"] for p in made["permissions_details"]}
    assert states["Crm_Implied_View_Leads"] is False and states["Crm_Implied_Create_Leads"] is True


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({"id": "111111000000000001", "enabled": False}, "INVALID_DATA", "Invalid permission ID"),
        ({"enabled": False}, "MANDATORY_NOT_FOUND", "required field not found"),
    ],
)
def test_update_refuses_unknown_permissions(api: TestClient, change: dict[str, Any], code: str, message: str) -> None:
    standard = profiles(api)["Standard"]["id"]
    response = api.put(f"{PROFILES}/{standard}", json={"profiles": [{"permissions_details": [change]}]})
    assert response.status_code == 400, response.text
    error = response.json()["profiles"][0]
    assert (error["code"], error["message"]) == (code, message)
    assert error["details"]["json_path"] == "$.profiles[0].permissions_details[0].id"


def test_the_administrator_profile_is_never_edited_or_deleted(api: TestClient) -> None:
    admin = profiles(api)["Administrator"]["id"]
    edited = api.put(f"{PROFILES}/{admin}", json={"profiles": [{"name": "Boss"}]})
    assert (edited.status_code, edited.json()["message"]) == (400, "System profile cannot be updated")
    deleted = api.delete(f"{PROFILES}/{admin}", params={"transfer_to": profiles(api)["Standard"]["id"]})
    assert (deleted.status_code, deleted.json()["message"]) == (400, "System profile cannot be deleted")
    standard = api.delete(f"{PROFILES}/{profiles(api)['Standard']['id']}", params={"transfer_to": admin})
    assert (standard.status_code, standard.json()["code"]) == (400, "CANNOT_DELETE")


def test_delete_moves_the_users_to_the_transfer_profile(api: TestClient, emulator: Emulator) -> None:
    standard = profiles(api)["Standard"]["id"]
    doomed = cloned_id(clone(api, standard, name="Doomed"))
    person = add_person(emulator, "rep@zylker.example", profile="Doomed")
    missing = api.delete(f"{PROFILES}/{doomed}")
    assert missing.status_code == 400
    assert missing.json() == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"param": "transfer_to"},
        "message": "Users in the profile need to be transferred. transfer_to param is mandatory.",
        "status": "error",
    }
    bad = api.delete(f"{PROFILES}/{doomed}", params={"transfer_to": doomed})
    assert (bad.status_code, bad.json()["details"]) == (400, {"id": doomed})
    response = api.delete(f"{PROFILES}/{doomed}", params={"transfer_to": standard})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, ONE, "DELETE")
    assert response.json() == {
        "code": "SUCCESS",
        "details": {"id": doomed},
        "message": "Profile deleted",
        "status": "success",
    }
    assert "Doomed" not in profiles(api)
    moved = api.get(f"/crm/v8/users/{person['id']}").json()["users"][0]
    assert moved["profile"] == {"name": "Standard", "id": standard}


def test_a_permission_turned_off_refuses_the_users_record_calls_at_once(
    api: TestClient, client: TestClient, emulator: Emulator, make_token: Any
) -> None:
    reps = cloned_id(clone(api, profiles(api)["Standard"]["id"], name="Reps"))
    person = add_person(emulator, "rep@zylker.example", profile="Reps")
    rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=person['id'])}"}
    assert client.get("/crm/v8/Leads", params={"fields": "Last_Name"}, headers=rep).status_code == 204
    create = client.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Lee"}]}, headers=rep)
    assert create.status_code == 201, create.text
    data = profile(api, reps)
    off = [
        {"id": permission_id(data, name), "enabled": False}
        for name in ("Crm_Implied_View_Leads", "Crm_Implied_Create_Leads")
    ]
    assert api.put(f"{PROFILES}/{reps}", json={"profiles": [{"permissions_details": off}]}).status_code == 200
    read = client.get("/crm/v8/Leads", params={"fields": "Last_Name"}, headers=rep)
    assert read.status_code == 403
    assert read.json() == {
        "code": "NO_PERMISSION",
        "details": {"permissions": ["Crm_Implied_View_Leads"]},
        "message": "permission denied",
        "status": "error",
    }
    again = client.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Lee"}]}, headers=rep)
    assert (again.status_code, again.json()["data"][0]["code"]) == (403, "NO_PERMISSION")  # inside data (OASx)
    assert client.get("/crm/v8/Contacts", params={"fields": "Last_Name"}, headers=rep).status_code == 204


def test_a_standard_user_may_not_manage_profiles(
    api: TestClient, client: TestClient, emulator: Emulator, make_token: Any
) -> None:
    person = add_person(emulator, "rep@zylker.example")
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=person['id'])}"}
    response = client.post(
        f"{PROFILES}/{profiles(api)['Standard']['id']}/actions/clone",
        json={"profiles": [{"name": "X"}]},
        headers=headers,
    )
    assert response.status_code == 403
    assert response.json()["details"] == {"permissions": ["Crm_Implied_Manage_Profiles"]}


def test_an_unknown_path_id_is_refused_whole(api: TestClient) -> None:
    for method in ("PUT", "DELETE", "POST"):
        path = f"{PROFILES}/111111000000000001" + ("/actions/clone" if method == "POST" else "")
        response = api.request(method, path, json={"profiles": [{"name": "X"}]})
        assert response.status_code == 400
        assert response.json() == {
            "code": "INVALID_DATA",
            "details": {"resource_path_index": 2},
            "message": "the id given seems to be invalid or already deleted",
            "status": "error",
        }
