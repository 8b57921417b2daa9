"""Users writes over HTTP: add (one per call, license limit, duplicate email, role and profile
checked), update (bulk and by id; activate and deactivate), delete, transfer-and-delete with its job
status, against users.json, users_transfer_delete.json and Zoho's OASx examples."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.modules import set_edition
from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from zcrm_emulator import events
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

USERS = "/crm/v8/users"
OAS = "users.json"
TRANSFER = "users_transfer_delete.json"


def ids_of(api: TestClient, path: str, key: str) -> dict[str, str]:
    return {item["name"]: item["id"] for item in api.get(path).json()[key]}


@pytest.fixture
def refs(api: TestClient) -> dict[str, str]:
    """The fresh org's profile and role ids by name."""
    return {**ids_of(api, "/crm/v8/settings/profiles", "profiles"), **ids_of(api, "/crm/v8/settings/roles", "roles")}


def new_user(refs: dict[str, str], **overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "first_name": "Patricia",
        "last_name": "Boyle",
        "email": "patricia@zylker.example",
        "role": refs["Manager"],
        "profile": refs["Standard"],
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def add(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.post(USERS, json={"users": list(items)})


def added_id(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    validate_response(response, OAS, USERS, "POST")
    result = response.json()["users"][0]
    assert (result["code"], result["message"]) == ("SUCCESS", "User added")
    return str(result["details"]["id"])


def user(api: TestClient, user_id: str) -> dict[str, Any]:
    response = api.get(f"{USERS}/{user_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["users"][0]
    return found


def item_error(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["users"][0]
    return error


# --- add ------------------------------------------------------------------------------------------
def test_an_added_user_is_active_unconfirmed_with_the_role_and_profile_sent(
    api: TestClient, refs: dict[str, str]
) -> None:
    user_id = added_id(add(api, new_user(refs, role={"name": "Manager", "id": refs["Manager"]})))
    made = user(api, user_id)
    assert made["email"] == "patricia@zylker.example"
    assert made["full_name"] == "Patricia Boyle"
    assert (made["status"], made["confirm"]) == ("active", False)
    assert made["role"] == {"name": "Manager", "id": refs["Manager"]}
    assert made["profile"] == {"name": "Standard", "id": refs["Standard"]}
    assert api.get(USERS, params={"type": "NotConfirmedUsers"}).json()["users"][0]["id"] == user_id
    assert api.get(f"{USERS}/actions/count").json()["count"] == 2


@pytest.mark.parametrize("missing", ["email", "role", "profile"])
def test_email_role_and_profile_are_mandatory(api: TestClient, refs: dict[str, str], missing: str) -> None:
    error = item_error(add(api, new_user(refs, **{missing: None})))
    assert error["code"] == "MANDATORY_NOT_FOUND"
    assert error["details"] == {"api_name": missing, "json_path": f"$.users[0].{missing}"}


def test_a_user_needs_a_first_or_last_name(api: TestClient, refs: dict[str, str]) -> None:
    error = item_error(add(api, new_user(refs, first_name=None, last_name=None)))
    assert (error["code"], error["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", "last_name")
    added_id(add(api, new_user(refs, first_name=None)))


@pytest.mark.parametrize("key", ["role", "profile"])
def test_a_role_or_profile_the_org_lacks_is_invalid(api: TestClient, refs: dict[str, str], key: str) -> None:
    response = add(api, new_user(refs, **{key: "111111000000000001"}))
    error = item_error(response)
    assert error == {
        "code": "INVALID_DATA",
        "details": {"api_name": key, "json_path": f"$.users[0].{key}"},
        "message": "INVALID_DATA",
        "status": "error",
    }
    validate_response(response, OAS, USERS, "POST")


def test_an_email_in_use_in_any_case_is_duplicate(api: TestClient, refs: dict[str, str]) -> None:
    added_id(add(api, new_user(refs)))
    error = item_error(add(api, new_user(refs, email="PATRICIA@zylker.example")))
    assert error["code"] == "DUPLICATE_DATA"
    assert error["message"] == "Failed to add user since same email id is already present"


def test_one_user_per_call(api: TestClient, refs: dict[str, str]) -> None:
    response = add(api, new_user(refs), new_user(refs, email="b@zylker.example"))
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_DATA",
        "details": {"maximum_length": 1, "api_name": "users", "json_path": "$.users"},
        "message": "invalid data",
        "status": "error",
    }


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("email", "not-an-email", "Invalid Email Id. Please choose a different email id"),
        ("first_name", "Pat<script>", "Special Characters Found"),
        ("time_format", "HH.mm", "Pattern not matched"),
        ("time_zone", "Mars/Olympus", "Give a proper time zone value"),
        ("decimal_separator", "Dot", "Invalid data. Valid values are Comma/Period (Not case-sensitive)"),
        ("language", "english", "Give a proper language code"),
    ],
)
def test_bad_values_are_refused_with_zohos_messages(
    api: TestClient, refs: dict[str, str], key: str, value: str, message: str
) -> None:
    error = item_error(add(api, new_user(refs, **{key: value})))
    assert (error["code"], error["message"], error["details"]["api_name"]) == ("INVALID_DATA", message, key)


def test_created_by_is_not_the_clients_to_set(api: TestClient, refs: dict[str, str]) -> None:
    error = item_error(add(api, new_user(refs, created_by={"id": "1"})))
    assert (error["code"], error["details"]["api_name"]) == ("NOT_SUPPORTED", "created_by")


def test_the_edition_caps_active_users(api: TestClient, emulator: Emulator, refs: dict[str, str]) -> None:
    set_edition(api, emulator, "free")  # 3 users at most
    added_id(add(api, new_user(refs)))
    third = added_id(add(api, new_user(refs, email="third@zylker.example")))
    error = item_error(add(api, new_user(refs, email="fourth@zylker.example")))
    assert error == {
        "code": "LICENSE_LIMIT_EXCEEDED",
        "details": {},
        "message": "Request exceeds your license limit. Need to upgrade in order to add a user",
        "status": "error",
    }
    assert api.put(f"{USERS}/{third}", json={"users": [{"status": "disabled"}]}).status_code == 200
    added_id(add(api, new_user(refs, email="fourth@zylker.example")))  # a deactivated user frees a license
    reactivate = item_error(api.put(f"{USERS}/{third}", json={"users": [{"status": "active"}]}))
    assert (reactivate["code"], reactivate["message"]) == ("LICENSE_LIMIT_EXCEEDED", "License Limit is Exceeded")


def test_a_standard_user_may_not_manage_users(
    client: TestClient, emulator: Emulator, make_token: Any, refs: dict[str, str]
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    response = client.post(USERS, json={"users": [new_user(refs)]}, headers=headers)
    assert response.status_code == 403
    assert response.json()["details"] == {"permissions": ["Crm_Implied_Manage_Users"]}


# --- update -----------------------------------------------------------------------------------------
def test_update_changes_the_keys_sent(api: TestClient, refs: dict[str, str]) -> None:
    user_id = added_id(add(api, new_user(refs)))
    body = {"users": [{"last_name": "Smith", "profile": refs["Administrator"], "role": refs["CEO"], "locale": "fr_FR"}]}
    response = api.put(f"{USERS}/{user_id}", json=body)
    assert response.status_code == 200, response.text
    validate_response(response, OAS, f"{USERS}/{{user}}", "PUT")
    assert response.json()["users"][0]["message"] == "User updated"
    changed = user(api, user_id)
    assert (changed["full_name"], changed["locale"]) == ("Patricia Smith", "fr_FR")
    assert changed["profile"]["name"] == "Administrator" and changed["role"]["name"] == "CEO"
    assert api.get(USERS, params={"type": "AdminUsers"}).json()["info"]["count"] == 2


def test_bulk_update_answers_per_user(api: TestClient, refs: dict[str, str]) -> None:
    user_id = added_id(add(api, new_user(refs)))
    body = {"users": [{"id": user_id, "city": "Chennai"}, {"id": "111111000000000001", "city": "X"}, {"city": "Y"}]}
    response = api.put(USERS, json=body)
    assert response.status_code == 207, response.text
    results = response.json()["users"]
    assert results[0]["code"] == "SUCCESS"
    assert (results[1]["code"], results[1]["details"]) == (
        "INVALID_DATA",
        {"api_name": "id", "json_path": "$.users[1].id"},
    )
    assert (results[2]["code"], results[2]["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", "id")
    assert user(api, user_id)["city"] == "Chennai"


def test_deactivate_then_activate(api: TestClient, refs: dict[str, str]) -> None:
    user_id = added_id(add(api, new_user(refs)))
    path = f"{USERS}/{user_id}"
    assert api.put(path, json={"users": [{"status": "disabled"}]}).status_code == 200
    assert user(api, user_id)["status"] == "disabled"
    assert [u["id"] for u in api.get(USERS, params={"type": "DeactiveUsers"}).json()["users"]] == [user_id]
    assert api.get("/crm/v8/settings/profiles").json()["info"]["license_limit"] == 1  # the admin's seat only
    again = item_error(api.put(path, json={"users": [{"status": "disabled"}]}))
    assert (again["code"], again["message"]) == ("ID_ALREADY_DEACTIVATED", "User is already deactivated")
    assert api.put(path, json={"users": [{"status": "active"}]}).status_code == 200
    active = item_error(api.put(path, json={"users": [{"status": "active"}]}))
    assert (active["code"], active["message"]) == ("ID_ALREADY_ACTIVE", "User is already active")
    odd = item_error(api.put(path, json={"users": [{"status": "sleeping"}]}))
    assert (odd["code"], odd["message"]) == ("INVALID_DATA", "Pattern not matched")


def test_the_caller_and_the_primary_contact_stay_active(api: TestClient) -> None:
    admin = api.get(USERS, params={"type": "CurrentUser"}).json()["users"][0]["id"]
    error = item_error(api.put(f"{USERS}/{admin}", json={"users": [{"status": "disabled"}]}))
    assert (error["code"], error["message"]) == ("INVALID_REQUEST", "You can't perform this action over logged in user")


def test_a_confirmed_users_email_is_fixed_an_invited_ones_is_not(api: TestClient, refs: dict[str, str]) -> None:
    admin = api.get(USERS, params={"type": "CurrentUser"}).json()["users"][0]["id"]
    fixed = item_error(api.put(f"{USERS}/{admin}", json={"users": [{"email": "other@zylker.example"}]}))
    assert (fixed["code"], fixed["message"]) == (
        "EMAIL_UPDATE_NOT_ALOWED",
        "Cannot update email of a confirmed CRM User",
    )
    invited = added_id(add(api, new_user(refs)))
    assert api.put(f"{USERS}/{invited}", json={"users": [{"email": "new@zylker.example"}]}).status_code == 200
    assert user(api, invited)["email"] == "new@zylker.example"


def test_an_unknown_path_id_is_refused_whole(api: TestClient) -> None:
    for method in ("PUT", "DELETE"):
        response = api.request(method, f"{USERS}/111111000000000001", json={"users": [{"city": "X"}]})
        assert response.status_code == 400
        assert response.json()["details"] == {"resource_path_index": 1}


# --- delete ---------------------------------------------------------------------------------------
def test_delete_lists_the_user_among_deleted_users_and_keeps_their_records(
    api: TestClient, refs: dict[str, str]
) -> None:
    user_id = added_id(add(api, new_user(refs)))
    lead = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Kept", "Owner": {"id": user_id}}]})
    lead_id = lead.json()["data"][0]["details"]["id"]
    response = api.delete(f"{USERS}/{user_id}")
    assert response.status_code == 200, response.text
    validate_response(response, OAS, f"{USERS}/{{user}}", "DELETE")
    assert response.json()["users"][0]["message"] == "User deleted"
    assert [u["id"] for u in api.get(USERS, params={"type": "DeletedUsers"}).json()["users"]] == [user_id]
    assert user_id not in {u["id"] for u in api.get(USERS).json()["users"]}
    assert api.get(f"/crm/v8/Leads/{lead_id}").json()["data"][0]["Owner"]["id"] == user_id
    again = item_error(api.delete(f"{USERS}/{user_id}"))
    assert (again["code"], again["details"]) == ("ID_ALREADY_DELETED", {"json_path": "$.users[0].id", "id": user_id})
    updated = api.put(f"{USERS}/{user_id}", json={"users": [{"city": "X"}]})
    assert (updated.status_code, updated.json()["code"]) == (400, "NOT_ALLOWED")
    bulk = item_error(api.put(USERS, json={"users": [{"id": user_id, "city": "X"}]}))
    assert (bulk["code"], bulk["message"]) == ("CANNOT_UPDATE_DELETED_USER", "Deleted user cannot be updated")


def test_the_caller_cannot_delete_themselves(api: TestClient) -> None:
    admin = api.get(USERS, params={"type": "CurrentUser"}).json()["users"][0]["id"]
    assert item_error(api.delete(f"{USERS}/{admin}"))["code"] == "INVALID_REQUEST"


# --- transfer and delete ----------------------------------------------------------------------------
def test_transfer_and_delete_moves_the_records_then_deletes(
    api: TestClient, emulator: Emulator, refs: dict[str, str]
) -> None:
    leaving = added_id(add(api, new_user(refs)))
    heir = added_id(add(api, new_user(refs, email="heir@zylker.example")))
    admin = api.get(USERS, params={"type": "CurrentUser"}).json()["users"][0]["id"]
    leads = api.post(
        "/crm/v8/Leads",
        json={"data": [{"Last_Name": "A", "Owner": {"id": leaving}}, {"Last_Name": "B", "Owner": {"id": admin}}]},
    )
    mine, other = (item["details"]["id"] for item in leads.json()["data"])
    seen: list[events.RecordEvent] = []
    emulator.events.subscribe(seen.append)
    body = {"transfer_and_delete": [{"transfer": {"id": heir, "records": True, "assignment": True, "criteria": False}}]}
    response = api.post(f"{USERS}/{leaving}/actions/transfer_and_delete", json=body)
    assert response.status_code == 200, response.text
    validate_response(response, TRANSFER, f"{USERS}/{{id}}/actions/transfer_and_delete", "POST")
    result = response.json()["transfer_and_delete"][0]
    assert (result["code"], result["details"]["id"]) == ("SUCCESS", leaving)
    assert api.get(f"/crm/v8/Leads/{mine}").json()["data"][0]["Owner"]["id"] == heir
    assert api.get(f"/crm/v8/Leads/{other}").json()["data"][0]["Owner"]["id"] == admin
    assert user(api, leaving)["status"] == "deleted"
    assert any(e.module == "Leads" and e.operation == "update" for e in seen)
    status = api.get(f"{USERS}/actions/transfer_and_delete", params={"job_id": result["details"]["jobId"]})
    assert status.json() == {"transfer_and_delete": [{"status": "completed"}]}
    validate_response(status, TRANSFER, f"{USERS}/actions/transfer_and_delete", "GET")


def test_transfer_needs_an_active_other_user(api: TestClient, refs: dict[str, str]) -> None:
    leaving = added_id(add(api, new_user(refs)))
    idle = added_id(add(api, new_user(refs, email="idle@zylker.example")))
    api.put(f"{USERS}/{idle}", json={"users": [{"status": "disabled"}]})
    flags = {"records": True, "assignment": False, "criteria": False}
    cases = [
        ({"id": leaving, "transfer": {"id": idle, **flags}}, {"owner_status": "disabled"}),
        ({"id": leaving, "transfer": {"id": leaving, **flags}}, {}),
        ({"id": leaving, "transfer": {"id": idle, "records": True}}, None),
    ]
    response = api.post(f"{USERS}/actions/transfer_and_delete", json={"transfer_and_delete": [c for c, _ in cases]})
    assert response.status_code == 400, response.text
    results = response.json()["transfer_and_delete"]
    assert results[0]["code"] == "INVALID_DATA" and results[0]["details"]["owner_status"] == "disabled"
    assert results[1]["details"] == {"api_name": "id", "json_path": "$.transfer_and_delete[1].transfer.id"}
    assert (results[2]["code"], results[2]["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", "assignment")
    assert user(api, leaving)["status"] == "active"


def test_transfer_status_needs_a_job_id_and_knows_only_its_jobs(api: TestClient) -> None:
    missing = api.get(f"{USERS}/actions/transfer_and_delete")
    assert (missing.status_code, missing.json()["code"]) == (400, "REQUIRED_PARAM_MISSING")
    assert api.get(f"{USERS}/actions/transfer_and_delete", params={"job_id": "1"}).status_code == 204
