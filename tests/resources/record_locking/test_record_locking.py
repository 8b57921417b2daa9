"""Record locking over HTTP: a module's locking configuration, locking a record by hand, and what a
lock refuses on the record API, against Zoho's record_locking_configuration.json and
record_locking.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import RECORD_LOCK_ALLOWANCES, RECORD_LOCKING_CONFIG_ALLOWANCES
from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

C = "/crm/v8/settings/record_locking_configurations"
CONFIG_OAS = "record_locking_configuration.json"
LOCK_OAS = "record_locking.json"
LOCKS = "/crm/v8/{module_name}/{record_id}/Locking_Information__s"
MANUAL = {"lock_type": "manual", "restricted_actions": ["update", "delete"]}
RULE = {"name": "Won", "criteria": {"comparator": "equal", "field": {"api_name": "Company"}, "value": "Acme"}}


def check_config(response: httpx.Response, path: str, method: str) -> None:
    validate_response(response, CONFIG_OAS, f"/crm/v8{path}", method, allow=RECORD_LOCKING_CONFIG_ALLOWANCES)


def check_lock(response: httpx.Response, path: str, method: str) -> None:
    validate_response(response, LOCK_OAS, path, method, allow=RECORD_LOCK_ALLOWANCES)


def configure(api: TestClient, module: str = "Leads", **item: Any) -> str:
    response = api.post(C, params={"module": module}, json={"record_locking_configurations": [item or MANUAL]})
    assert response.status_code == 201, response.text
    check_config(response, "/settings/record_locking_configurations", "POST")
    return str(response.json()["record_locking_configurations"][0]["details"]["id"])


def lead(api: TestClient, **values: Any) -> str:
    response = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Lee", "Company": "Acme", **values}]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def lock(api: TestClient, record_id: str, reason: str = "deal in progress") -> httpx.Response:
    return api.post(f"/crm/v8/Leads/{record_id}/Locking_Information__s", json={"data": [{"Locked_Reason__s": reason}]})


def locked(api: TestClient, record_id: str) -> str:
    response = lock(api, record_id)
    assert response.status_code == 201, response.text
    check_lock(response, LOCKS, "POST")
    return str(response.json()["data"][0]["details"]["id"])


def first(response: httpx.Response) -> dict[str, Any]:
    item: dict[str, Any] = next(iter(response.json().values()))[0]
    return item


# --- configurations --------------------------------------------------------------------------------


def test_a_configuration_reads_back_with_its_defaults_and_resolved_references(api: TestClient) -> None:
    config_id = configure(api, lock_type="manual", excluded_fields=[{"api_name": "Description"}])
    response = api.get(C, params={"module": "Leads"})
    assert response.status_code == 200, response.text
    check_config(response, "/settings/record_locking_configurations", "GET")
    (got,) = response.json()["record_locking_configurations"]
    assert got["id"] == config_id
    assert got["feature_type"] == "record_locking"
    assert got["locked_for"] == "all_profiles"
    assert got["restricted_actions"] == ["update"]  # the UI's default: edits are restricted
    assert got["excluded_fields"][0]["api_name"] == "Description" and got["excluded_fields"][0]["id"]
    assert got["created_by"]["name"] == "Zylker Admin"
    one = api.get(f"{C}/{config_id}", params={"module": "Leads"})
    assert one.status_code == 200, one.text
    check_config(one, "/settings/record_locking_configurations/{record_locking_config_id}", "GET")
    assert one.json()["record_locking_configurations"] == [got]


def test_a_module_without_a_configuration_lists_none(api: TestClient) -> None:
    response = api.get(C, params={"module": "Deals"})
    assert response.status_code == 200, response.text
    assert response.json() == {"record_locking_configurations": []}


@pytest.mark.parametrize(
    ("item", "code", "key"),
    [
        ({"restricted_actions": ["update"]}, "MANDATORY_NOT_FOUND", "lock_type"),
        ({"lock_type": "sometimes"}, "INVALID_DATA", "lock_type"),
        ({"lock_type": "manual", "restricted_actions": ["print"]}, "INVALID_DATA", "restricted_actions"),
        ({"lock_type": "manual", "restricted_actions": "update"}, "INVALID_DATA", "restricted_actions"),
        ({"lock_type": "manual", "locked_for": "some"}, "INVALID_DATA", "locked_for"),
        (
            {"lock_type": "manual", "locked_for": "all_profiles_except_excluded_profile"},
            "DEPENDENT_FIELD_MISSING",
            "lock_excluded_profiles",
        ),
        ({"lock_type": "automatic"}, "DEPENDENT_FIELD_MISSING", "locking_rules"),
        ({"lock_type": "both", "locking_rules": [RULE] * 6}, "LIMIT_EXCEEDED", "locking_rules"),
        ({"lock_type": "manual", "lock_for_portal_users": "yes"}, "INVALID_DATA", "lock_for_portal_users"),
        ({"lock_type": "manual", "restricted_communications": ["call"]}, "INVALID_DATA", "restricted_communications"),
        ({"lock_type": "manual", "excluded_fields": [{"api_name": "Nope"}]}, "INVALID_DATA", "api_name"),
        (
            {
                "lock_type": "manual",
                "locked_for": "all_profiles_except_excluded_profile",
                "lock_excluded_profiles": [{"id": "111111111111111111"}],
            },
            "INVALID_DATA",
            "id",
        ),
        ({"lock_type": "manual", "restricted_custom_buttons": [{"id": "1234"}]}, "INVALID_DATA", "id"),
    ],
)
def test_a_create_item_is_refused_at_the_key_at_fault(
    api: TestClient, item: dict[str, Any], code: str, key: str
) -> None:
    response = api.post(C, params={"module": "Leads"}, json={"record_locking_configurations": [item]})
    assert response.status_code == 400, response.text
    check_config(response, "/settings/record_locking_configurations", "POST")
    error = first(response)
    assert (error["code"], error["details"]["api_name"]) == (code, key)
    assert api.get(C, params={"module": "Leads"}).json() == {"record_locking_configurations": []}


def test_a_module_takes_one_configuration(api: TestClient) -> None:
    configure(api)
    response = api.post(C, params={"module": "Leads"}, json={"record_locking_configurations": [MANUAL]})
    assert response.status_code == 400, response.text
    check_config(response, "/settings/record_locking_configurations", "POST")
    error = first(response)
    assert error["code"] == "LIMIT_EXCEEDED"
    assert (error["details"]["limit"], error["details"]["available_limit"]) == (1, 0)
    configure(api, "Contacts")  # another module has its own


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "REQUIRED_PARAM_MISSING"),
        ({"module": "Nope"}, 400, "INVALID_MODULE"),
        ({"module": "Calls"}, 400, "INVALID_MODULE"),  # not a module the record-locking pages list
    ],
)
def test_the_module_param_is_required_and_must_take_locks(
    api: TestClient, params: dict[str, str], status: int, code: str
) -> None:
    response = api.get(C, params=params)
    assert (response.status_code, response.json()["code"]) == (status, code)
    check_config(response, "/settings/record_locking_configurations", "GET")


def test_an_update_changes_only_the_keys_given_and_manages_rules_by_id(api: TestClient) -> None:
    config_id = configure(api, lock_type="both", locking_rules=[RULE])
    rules = api.get(f"{C}/{config_id}", params={"module": "Leads"}).json()["record_locking_configurations"][0]
    rule_id = rules["locking_rules"][0]["id"]
    body = {
        "record_locking_configurations": [
            {
                "id": config_id,
                "restricted_actions": ["delete", "change_owner"],
                "locking_rules": [{"id": rule_id, "_delete": True}, {**RULE, "name": "Lost"}],
            }
        ]
    }
    response = api.put(C, params={"module": "Leads"}, json=body)
    assert response.status_code == 200, response.text
    check_config(response, "/settings/record_locking_configurations", "PUT")
    assert first(response)["message"] == "record locking configuration updated successfully"
    (got,) = api.get(C, params={"module": "Leads"}).json()["record_locking_configurations"]
    assert got["restricted_actions"] == ["delete", "change_owner"]
    assert got["lock_type"] == "both"
    assert [r["name"] for r in got["locking_rules"]] == ["Lost"]
    one = api.put(
        f"{C}/{config_id}",
        params={"module": "Leads"},
        json={"record_locking_configurations": [{"lock_type": "manual"}]},
    )
    assert one.status_code == 200, one.text
    check_config(one, "/settings/record_locking_configurations/{record_locking_config_id}", "PUT")


def test_an_update_naming_no_configuration_of_the_module_is_refused(api: TestClient) -> None:
    other = configure(api, "Contacts")
    response = api.put(C, params={"module": "Leads"}, json={"record_locking_configurations": [{"id": other}]})
    assert response.status_code == 400, response.text
    check_config(response, "/settings/record_locking_configurations", "PUT")
    assert (first(response)["code"], first(response)["details"]["api_name"]) == ("INVALID_DATA", "id")
    missing = api.put(C, params={"module": "Leads"}, json={"record_locking_configurations": [{"lock_type": "both"}]})
    assert first(missing)["code"] == "MANDATORY_NOT_FOUND"
    path = api.put(f"{C}/{other}", params={"module": "Leads"}, json={"record_locking_configurations": [{}]})
    assert (path.status_code, path.json()["details"]) == (400, {"resource_path_index": 0})
    check_config(path, "/settings/record_locking_configurations/{record_locking_config_id}", "PUT")


def test_deleting_a_configuration_unlocks_its_records(api: TestClient) -> None:
    config_id = configure(api)
    record_id = lead(api)
    locked(api, record_id)
    response = api.delete(f"{C}/{config_id}", params={"module": "Leads"})
    assert response.status_code == 200, response.text
    check_config(response, "/settings/record_locking_configurations/{record_locking_config_id}", "DELETE")
    assert first(response)["message"] == "record locking configuration deleted successfully"
    assert api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": "Free"}]}).status_code == 200
    again = api.delete(f"{C}/{config_id}", params={"module": "Leads"})
    assert (again.status_code, again.json()["code"]) == (400, "INVALID_DATA")


def test_a_delete_of_many_reports_each_id(api: TestClient) -> None:
    config_id = configure(api)
    response = api.delete(C, params={"module": "Leads", "ids": f"{config_id},123456789012345678"})
    assert response.status_code == 207, response.text  # the file documents no 207: items checked below
    results = response.json()["record_locking_configurations"]
    assert [r["code"] for r in results] == ["SUCCESS", "INVALID_DATA"]
    missing = api.delete(C, params={"module": "Leads"})
    assert (missing.status_code, missing.json()["code"]) == (400, "REQUIRED_PARAM_MISSING")


def test_configuration_writes_need_their_scope(api: TestClient, make_token: Any) -> None:
    headers = {
        "Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.record_locking_configurations.READ'])}"
    }
    assert api.get(C, params={"module": "Leads"}, headers=headers).status_code == 200
    refused = api.post(C, params={"module": "Leads"}, json={"record_locking_configurations": [MANUAL]}, headers=headers)
    assert (refused.status_code, refused.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")


# --- locks -----------------------------------------------------------------------------------------


def test_a_locked_record_shows_its_lock(api: TestClient) -> None:
    config_id = configure(api)
    record_id = lead(api)
    lock_id = locked(api, record_id)
    response = api.get(f"/crm/v8/Leads/{record_id}/Locking_Information__s/{lock_id}")
    assert response.status_code == 200, response.text
    check_lock(response, LOCKS + "/{lock_id}", "GET")
    (got,) = response.json()["data"]
    assert got["id"] == int(lock_id)
    assert got["locked_reason__s"] == "deal in progress"
    assert got["lock_source__s"] == "Manual"
    assert got["record_locking_configuration_id__s"] == int(config_id)
    assert got["locked_for_s"]["id"] == record_id and got["locked_for_s"]["module"]["api_name"] == "Leads"
    assert got["locked_by__s"]["name"] == "Zylker Admin"
    listed = api.get(f"/crm/v8/Leads/{record_id}/Locking_Information__s", params={"fields": "locked_reason__s"})
    assert listed.status_code == 200, listed.text
    check_lock(listed, LOCKS, "GET")
    assert listed.json()["data"] == [{"id": int(lock_id), "locked_reason__s": "deal in progress"}]
    assert listed.json()["info"]["count"] == 1


def test_the_lock_list_wants_fields_and_is_empty_for_an_unlocked_record(api: TestClient) -> None:
    configure(api)
    record_id = lead(api)
    missing = api.get(f"/crm/v8/Leads/{record_id}/Locking_Information__s")
    assert (missing.status_code, missing.json()["code"]) == (400, "REQUIRED_PARAM_MISSING")
    check_lock(missing, LOCKS, "GET")
    assert api.get(f"/crm/v8/Leads/{record_id}/Locking_Information__s", params={"fields": "id"}).status_code == 204


def test_a_record_is_locked_once(api: TestClient) -> None:
    configure(api)
    record_id = lead(api)
    locked(api, record_id)
    again = lock(api, record_id)
    assert again.status_code == 403, again.text
    assert (again.json()["code"], again.json()["message"]) == ("NOT_ALLOWED", "Record is already locked.")


@pytest.mark.parametrize(
    ("config", "body", "code"),
    [
        (None, {"data": [{"Locked_Reason__s": "x"}]}, "INVALID_MODULE"),  # no configuration
        ({"lock_type": "automatic", "locking_rules": [RULE]}, {"data": [{"Locked_Reason__s": "x"}]}, "INVALID_MODULE"),
        (MANUAL, {"data": [{}]}, "MANDATORY_NOT_FOUND"),
        (MANUAL, {"data": [{"Locked_Reason__s": "x" * 2001}]}, "INVALID_DATA"),
        (MANUAL, {"data": []}, "MANDATORY_NOT_FOUND"),
    ],
)
def test_a_lock_is_refused_without_manual_locking_or_a_reason(
    api: TestClient, config: dict[str, Any] | None, body: dict[str, Any], code: str
) -> None:
    if config is not None:
        configure(api, **config)
    record_id = lead(api)
    response = api.post(f"/crm/v8/Leads/{record_id}/Locking_Information__s", json=body)
    assert (response.status_code, response.json().get("code")) == (400, code), response.text
    check_lock(response, LOCKS, "POST")


def test_locking_an_unknown_record_names_its_path_index(api: TestClient) -> None:
    configure(api)
    response = lock(api, "123456789012345678")
    assert (response.status_code, response.json()["details"]) == (400, {"resource_path_index": 1})
    check_lock(response, LOCKS, "POST")


def test_a_lock_changes_its_reason_and_unlocks(api: TestClient) -> None:
    configure(api)
    record_id = lead(api)
    lock_id = locked(api, record_id)
    path = f"/crm/v8/Leads/{record_id}/Locking_Information__s/{lock_id}"
    changed = api.put(path, json={"data": [{"Locked_Reason__s": "deal info updated"}]})
    assert changed.status_code == 200, changed.text
    check_lock(changed, LOCKS + "/{lock_id}", "PUT")
    assert api.get(path).json()["data"][0]["locked_reason__s"] == "deal info updated"
    removed = api.delete(path)
    assert removed.status_code == 200, removed.text
    check_lock(removed, LOCKS + "/{lock_id}", "DELETE")
    assert first(removed)["message"] == "relation removed"
    unknown = api.delete(path)
    assert (unknown.status_code, unknown.json()["details"]) == (400, {"resource_path_index": 3})
    assert api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": "Free"}]}).status_code == 200


# --- what a lock refuses ---------------------------------------------------------------------------


def test_a_locked_record_refuses_the_restricted_update_and_delete(api: TestClient) -> None:
    configure(api)
    record_id = lead(api)
    free_id = lead(api, Last_Name="Free")
    locked(api, record_id)
    response = api.put(
        "/crm/v8/Leads", json={"data": [{"id": record_id, "Company": "X"}, {"id": free_id, "Company": "Y"}]}
    )
    assert response.status_code == 207, response.text
    refused, done = response.json()["data"]
    assert refused == {
        "code": "RECORD_LOCKED",
        "details": {"id": record_id, "action": "update"},
        "message": "Sorry, you cannot perform this operation as the record is locked.",
        "status": "error",
    }
    assert done["code"] == "SUCCESS"
    deleted = api.delete(f"/crm/v8/Leads/{record_id}")
    assert deleted.status_code == 400, deleted.text
    assert first(deleted)["details"] == {"id": record_id, "action": "delete"}
    record = api.get(f"/crm/v8/Leads/{record_id}").json()["data"][0]
    assert record["Company"] == "Acme"


def test_an_update_of_excluded_fields_only_passes_the_lock(api: TestClient) -> None:
    configure(api, lock_type="manual", excluded_fields=[{"api_name": "Description"}])
    record_id = lead(api)
    locked(api, record_id)
    assert api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Description": "note"}]}).status_code == 200
    mixed = api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Description": "n", "Company": "X"}]})
    assert first(mixed)["code"] == "RECORD_LOCKED"


def test_an_action_the_configuration_leaves_free_passes(api: TestClient) -> None:
    configure(api, lock_type="manual", restricted_actions=["delete"])
    record_id = lead(api)
    locked(api, record_id)
    assert api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": "X"}]}).status_code == 200
    assert first(api.delete(f"/crm/v8/Leads/{record_id}"))["code"] == "RECORD_LOCKED"


def test_a_change_of_owner_is_refused_when_restricted(api: TestClient, emulator: Emulator) -> None:
    configure(api, lock_type="manual", restricted_actions=["change_owner"])
    other = add_standard_user(emulator)
    record_id = lead(api)
    locked(api, record_id)
    response = api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Owner": {"id": other}}]})
    assert first(response)["details"] == {"id": record_id, "action": "change_owner"}
    assert api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": "X"}]}).status_code == 200


def test_an_excluded_profile_edits_a_locked_record(api: TestClient, emulator: Emulator, make_token: Any) -> None:
    profiles = api.get("/crm/v8/settings/profiles").json()["profiles"]
    standard = next(p["id"] for p in profiles if p["name"] == "Standard")
    configure(
        api,
        lock_type="manual",
        locked_for="all_profiles_except_excluded_profile",
        lock_excluded_profiles=[{"id": standard}],
    )
    record_id = lead(api)
    locked(api, record_id)
    rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    assert api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": "Rep"}]}, headers=rep).status_code == 200
    admin = api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": "Admin"}]})
    assert first(admin)["code"] == "RECORD_LOCKED"


def test_lock_calls_need_the_locking_information_scope(api: TestClient, make_token: Any) -> None:
    configure(api)
    record_id = lead(api)
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.modules.lockinginformation.READ'])}"}
    listed = api.get(f"/crm/v8/Leads/{record_id}/Locking_Information__s", params={"fields": "id"}, headers=headers)
    assert listed.status_code == 204
    refused = api.post(
        f"/crm/v8/Leads/{record_id}/Locking_Information__s", json={"data": [{"Locked_Reason__s": "x"}]}, headers=headers
    )
    assert (refused.status_code, refused.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")


def test_configurations_need_the_customize_permission(api: TestClient, emulator: Emulator, make_token: Any) -> None:
    rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    refused = api.post(C, params={"module": "Leads"}, json={"record_locking_configurations": [MANUAL]}, headers=rep)
    assert (refused.status_code, refused.json()["code"]) == (403, "NO_PERMISSION")
