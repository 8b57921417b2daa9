"""Data sharing rules over HTTP, on both stores: the twelve operations of sharing_rules.json, each
rule at its edge (module param, one rule per call, mandatory keys, closed values, what a type needs,
sources and targets that must exist, names unique per module, the per-module limit, activation,
filters), answers checked against Zoho's file."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import SHARING_RULE_ITEM_ERRORS, SHARING_RULE_SHAPES
from tests.support.oas import schema_errors, validate_response
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.sharing_rules import rules

pytestmark = pytest.mark.usefixtures("both_backends")

BASE = "/crm/v8/settings/data_sharing/rules"
OAS = "sharing_rules.json"


# The file documents its successes without a schema; each is checked against the component that
# describes it (by operation: the envelope key and the schema of each of its items).
SUCCESSES = {
    (BASE, "GET"): (rules.ENVELOPE, "Get_All_Sharing_Rules"),
    (f"{BASE}/search", "POST"): (rules.ENVELOPE, "Get_All_Sharing_Rules"),
    (f"{BASE}/{{id}}", "GET"): (rules.ENVELOPE, "Sharing_Rule_By_Id"),
    (BASE, "POST"): (rules.ENVELOPE, "Success_Response"),
    (BASE, "PUT"): (rules.ENVELOPE, "Update_Success_Response"),
    (f"{BASE}/{{id}}", "PUT"): (rules.ENVELOPE, "Update_Success_Response"),
    (f"{BASE}/{{id}}", "DELETE"): (rules.ENVELOPE, "Delete_Success_Response"),
    (f"{BASE}/{{id}}/actions/activate", "PUT"): (rules.ENVELOPE, "Activate_Response"),
    (f"{BASE}/{{id}}/actions/activate", "DELETE"): (rules.ENVELOPE, "Deactivate_Response"),
    (f"{BASE}/actions/summary", "GET"): (rules.SUMMARY_ENVELOPE, "Rules_Summary"),
    (f"{BASE}/actions/summary", "POST"): (rules.SUMMARY_ENVELOPE, "Rules_Summary"),
    (f"{BASE}/actions/run", "POST"): (rules.ENVELOPE, "Rerun_Sharing_Rules"),
}


def check(response: httpx.Response, path: str, method: str) -> None:
    if response.status_code >= 400:
        validate_response(response, OAS, path, method, allow=SHARING_RULE_ITEM_ERRORS)
        return
    envelope, component = SUCCESSES[(path, method)]
    for item in response.json()[envelope]:
        errors = schema_errors(item, OAS, f"/components/schemas/{component}", SHARING_RULE_SHAPES)
        assert not errors, errors


def role_ids(api: TestClient) -> list[str]:
    return [role["id"] for role in api.get("/crm/v8/settings/roles").json()["roles"]]


def group_id(api: TestClient) -> str:
    admin = api.get("/crm/v8/users", params={"type": "AllUsers"}).json()["users"][0]["id"]
    group = {"name": "Sales", "sources": [{"type": "users", "source": {"id": admin}}]}
    made = api.post("/crm/v8/settings/user_groups", json={"user_groups": [group]})
    assert made.status_code == 201, made.text
    return str(made.json()["user_groups"][0]["details"]["id"])


def owner_rule(api: TestClient, name: str = "Share up", **extra: Any) -> dict[str, Any]:
    source, target = role_ids(api)[:2]
    return {
        "name": name,
        "type": "Record_Owner_Based",
        "permission_type": "read",
        "superiors_allowed": False,
        "shared_from": {"type": "roles", "resource": {"id": source}, "subordinates": True},
        "shared_to": {"type": "roles", "resource": {"id": target}, "subordinates": False},
        **extra,
    }


def criteria_rule(api: TestClient, name: str = "Web leads") -> dict[str, Any]:
    return {
        "name": name,
        "type": "Criteria_Based",
        "permission_type": "read_write_delete",
        "superiors_allowed": True,
        "criteria": {"field": {"api_name": "Last_Name"}, "comparator": "equal", "value": "Doe"},
        "shared_to": {"type": "all_users"},
    }


def create(api: TestClient, *items: dict[str, Any], module: str | None = "Leads") -> httpx.Response:
    params = {"module": module} if module else {}
    return api.post(BASE, params=params, json={"sharing_rules": list(items)})


def new(api: TestClient, item: dict[str, Any], module: str = "Leads") -> str:
    response = create(api, item, module=module)
    assert response.status_code == 201, response.text
    check(response, BASE, "POST")
    return str(response.json()["sharing_rules"][0]["details"]["id"])


def item_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["sharing_rules"][0]
    assert error["status"] == "error"
    return error


def bare_error(response: httpx.Response, path: str, method: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    check(response, path, method)
    error: dict[str, Any] = response.json()
    return error


def get_one(api: TestClient, rule_id: str, **params: str) -> dict[str, Any]:
    response = api.get(f"{BASE}/{rule_id}", params=params)
    assert response.status_code == 200, response.text
    check(response, f"{BASE}/{{id}}", "GET")
    rule: dict[str, Any] = response.json()["sharing_rules"][0]
    return rule


# --- create -------------------------------------------------------------------------------------
def test_an_owner_based_rule_is_stored_active_and_read_back_with_its_names(api: TestClient) -> None:
    rule_id = new(api, owner_rule(api))
    roles = {r["id"]: r["name"] for r in api.get("/crm/v8/settings/roles").json()["roles"]}
    rule = get_one(api, rule_id)
    assert rule["status"] == "active" and rule["match_limit_exceeded"] is False
    assert rule["module"]["api_name"] == "Leads" and rule["criteria"] is None
    source = rule["shared_from"]
    assert source["resource"]["name"] == roles[source["resource"]["id"]] and source["subordinates"] is True
    assert (rule["type"], rule["permission_type"], rule["superiors_allowed"]) == ("Record_Owner_Based", "read", False)


def test_a_criteria_based_rule_keeps_its_criteria_with_the_field_id(api: TestClient) -> None:
    rule = get_one(api, new(api, criteria_rule(api)))
    assert rule["shared_from"] is None and rule["shared_to"] == {
        "resource": None,
        "subordinates": False,
        "type": "all_users",
    }
    assert rule["criteria"]["field"]["api_name"] == "Last_Name" and rule["criteria"]["field"]["id"]
    assert (rule["criteria"]["comparator"], rule["criteria"]["value"]) == ("equal", "Doe")


def test_a_rule_can_target_a_group(api: TestClient) -> None:
    group = group_id(api)
    item = owner_rule(api, shared_to={"type": "groups", "resource": {"id": group}})
    assert get_one(api, new(api, item))["shared_to"]["resource"] == {"id": group, "name": "Sales"}


@pytest.mark.parametrize(
    ("module", "code", "details"),
    [
        (None, "REQUIRED_PARAM_MISSING", {"param_name": "module"}),
        ("Nope", "INVALID_DATA", {"param_name": "module"}),
        ("Notes", "INVALID_DATA", {"param_name": "module"}),  # a module that rules do not share
    ],
)
def test_the_module_param_is_required_and_must_share(
    api: TestClient, module: str | None, code: str, details: dict[str, Any]
) -> None:
    error = bare_error(create(api, owner_rule(api), module=module), BASE, "POST")
    assert (error["code"], error["details"]) == (code, details)


def test_one_rule_per_call(api: TestClient) -> None:
    error = bare_error(create(api, owner_rule(api, "A"), owner_rule(api, "B")), BASE, "POST")
    assert (error["code"], error["message"], error["details"]["maximum_length"]) == ("INVALID_DATA", "invalid data", 1)


def test_status_is_not_allowed_in_a_create(api: TestClient) -> None:
    error = item_error(create(api, owner_rule(api, status="inactive")))
    assert (error["code"], error["message"]) == ("NOT_ALLOWED", "status is not allowed in this api")
    assert error["details"] == {"api_name": "status", "json_path": "$.sharing_rules[0].status"}


@pytest.mark.parametrize("key", ["name", "type", "permission_type", "superiors_allowed", "shared_to"])
def test_each_mandatory_key(api: TestClient, key: str) -> None:
    item = owner_rule(api)
    del item[key]
    response = create(api, item)
    check(response, BASE, "POST")
    error = item_error(response)
    assert (error["code"], error["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", key)


@pytest.mark.parametrize(
    ("key", "value", "supported"),
    [
        ("type", "Everything", list(rules.RULE_TYPES)),
        ("permission_type", "read_only", list(rules.PERMISSION_TYPES)),
    ],
)
def test_closed_values_name_what_they_take(api: TestClient, key: str, value: str, supported: list[str]) -> None:
    response = create(api, owner_rule(api, **{key: value}))
    check(response, BASE, "POST")
    error = item_error(response)
    assert (error["code"], error["message"]) == ("INVALID_DATA", "the value given is invalid")
    assert error["details"]["supported_values"] == supported


def test_a_wrong_type_names_the_expected_one(api: TestClient) -> None:
    error = item_error(create(api, owner_rule(api, superiors_allowed="yes")))
    assert (error["code"], error["details"]["expected_data_type"]) == ("INVALID_DATA", "boolean")


def test_what_each_type_needs_and_refuses(api: TestClient) -> None:
    item = owner_rule(api)
    del item["shared_from"]
    missing = item_error(create(api, item))
    assert missing["code"] == "DEPENDENT_FIELD_MISSING"
    assert missing["details"]["api_name"] == "shared_from" and missing["details"]["dependee"]["api_name"] == "type"
    no_criteria = criteria_rule(api)
    del no_criteria["criteria"]
    assert item_error(create(api, no_criteria))["details"]["api_name"] == "criteria"
    both = {**criteria_rule(api), "shared_from": owner_rule(api)["shared_from"]}
    mismatch = item_error(create(api, both))
    assert (mismatch["code"], mismatch["details"]["api_name"]) == ("DEPENDENT_FIELD_MISMATCH", "shared_from")


def test_a_source_or_target_must_exist_and_be_of_its_type(api: TestClient) -> None:
    unknown = owner_rule(api, shared_to={"type": "roles", "resource": {"id": "111111111111111111"}})
    error = item_error(create(api, unknown))
    assert error["code"] == "INVALID_DATA"
    assert error["details"] == {"api_name": "id", "json_path": "$.sharing_rules[0].shared_to.resource.id"}
    group_as_role = owner_rule(api, shared_to={"type": "roles", "resource": {"id": group_id(api)}})
    mismatch = item_error(create(api, group_as_role))
    assert mismatch["code"] == "DEPENDENT_FIELD_MISMATCH" and mismatch["details"]["dependee"]["api_name"] == "type"
    no_resource = item_error(create(api, owner_rule(api, shared_to={"type": "groups"})))
    assert (no_resource["code"], no_resource["details"]["api_name"]) == ("DEPENDENT_FIELD_MISSING", "resource")
    subordinates_of_group = owner_rule(api, shared_to={"type": "all_users", "subordinates": True})
    assert item_error(create(api, subordinates_of_group))["details"]["api_name"] == "subordinates"


def test_the_criteria_are_checked_against_the_module_fields(api: TestClient) -> None:
    item = criteria_rule(api)
    item["criteria"] = {"field": {"api_name": "No_Such_Field"}, "comparator": "equal", "value": "x"}
    assert item_error(create(api, item))["code"] == "INVALID_DATA"
    item["criteria"] = {"field": {"api_name": "Last_Name"}, "comparator": "sounds_like", "value": "x"}
    assert item_error(create(api, item))["details"]["api_name"] == "comparator"


def test_names_are_unique_within_a_module(api: TestClient) -> None:
    new(api, owner_rule(api, "Twin"))
    error = item_error(create(api, owner_rule(api, "twin ")))
    assert (error["code"], error["details"]["api_name"]) == ("DUPLICATE_DATA", "name")
    new(api, owner_rule(api, "Twin"), module="Contacts")


def test_a_module_takes_fifteen_rules(api: TestClient) -> None:
    for i in range(rules.RULES_PER_MODULE):
        new(api, owner_rule(api, f"Rule {i}"))
    response = create(api, owner_rule(api, "One too many"))
    check(response, BASE, "POST")
    error = item_error(response)
    assert (error["code"], error["message"], error["details"]) == (
        "INVALID_DATA",
        "Module limit exceeded",
        {"limit": rules.RULES_PER_MODULE},
    )
    new(api, owner_rule(api, "Elsewhere"), module="Deals")


# --- reads --------------------------------------------------------------------------------------
def test_the_list_leaves_out_criteria_filters_by_module_and_is_204_when_empty(api: TestClient) -> None:
    assert api.get(BASE).status_code == 204
    new(api, criteria_rule(api))
    new(api, owner_rule(api), module="Contacts")
    response = api.get(BASE)
    assert response.status_code == 200
    check(response, BASE, "GET")
    listed = response.json()["sharing_rules"]
    assert len(listed) == 2 and all("criteria" not in rule for rule in listed)
    assert response.json()["info"]["count"] == 2
    contacts = api.get(BASE, params={"module": "Contacts"}).json()["sharing_rules"]
    assert [rule["module"]["api_name"] for rule in contacts] == ["Contacts"]
    assert api.get(BASE, params={"module": "Accounts"}).status_code == 204


def test_a_path_id_no_rule_has_is_invalid_at_its_segment(api: TestClient) -> None:
    rule_id = new(api, owner_rule(api))
    for path, method in ((f"{BASE}/111", "GET"), (f"{BASE}/{rule_id}?module=Contacts", "GET")):
        error = bare_error(api.request(method, path), f"{BASE}/{{id}}", method)
        assert error["details"] == {"resource_path_index": 3}
        assert error["message"] == "the given sharing rule id seems invalid."


def test_roles_show_under_their_current_name(api: TestClient) -> None:
    rule_id = new(api, owner_rule(api))
    target = get_one(api, rule_id)["shared_to"]["resource"]["id"]
    renamed = api.put(f"/crm/v8/settings/roles/{target}", json={"roles": [{"name": "Renamed Role"}]})
    assert renamed.status_code == 200, renamed.text
    assert get_one(api, rule_id)["shared_to"]["resource"]["name"] == "Renamed Role"


# --- update -------------------------------------------------------------------------------------
def test_an_update_replaces_what_it_gives(api: TestClient) -> None:
    rule_id = new(api, owner_rule(api))
    change = {"id": rule_id, "name": "Renamed", "type": "Record_Owner_Based", "superiors_allowed": True}
    response = api.put(BASE, params={"module": "Leads"}, json={"sharing_rules": [change]})
    assert response.status_code == 200, response.text
    check(response, BASE, "PUT")
    assert response.json()["sharing_rules"][0]["message"] == "sharing rule is updated successfully"
    rule = get_one(api, rule_id)
    assert (rule["name"], rule["superiors_allowed"], rule["permission_type"]) == ("Renamed", True, "read")


def test_an_update_needs_type_and_superiors_allowed(api: TestClient) -> None:
    rule_id = new(api, owner_rule(api))
    response = api.put(f"{BASE}/{rule_id}", params={"module": "Leads"}, json={"sharing_rules": [{"name": "X"}]})
    check(response, f"{BASE}/{{id}}", "PUT")
    assert item_error(response)["code"] == "MANDATORY_NOT_FOUND"
    assert get_one(api, rule_id)["name"] == "Share up"


def test_changing_the_type_needs_what_the_new_type_needs(api: TestClient) -> None:
    rule_id = new(api, owner_rule(api))
    to_criteria = {"type": "Criteria_Based", "superiors_allowed": False}
    path = f"{BASE}/{rule_id}"
    missing = item_error(api.put(path, params={"module": "Leads"}, json={"sharing_rules": [to_criteria]}))
    assert (missing["code"], missing["details"]["api_name"]) == ("DEPENDENT_FIELD_MISSING", "criteria")
    with_criteria = {**to_criteria, "criteria": criteria_rule(api)["criteria"]}
    done = api.put(path, params={"module": "Leads"}, json={"sharing_rules": [with_criteria]})
    assert done.status_code == 200, done.text
    check(done, f"{BASE}/{{id}}", "PUT")
    rule = get_one(api, rule_id)
    assert rule["type"] == "Criteria_Based" and rule["shared_from"] is None and rule["criteria"]["value"] == "Doe"


def test_an_update_refuses_status_unknown_ids_and_names_in_use(api: TestClient) -> None:
    first = new(api, owner_rule(api, "First"))
    new(api, owner_rule(api, "Second"))
    base = {"type": "Record_Owner_Based", "superiors_allowed": False}

    def put(item: dict[str, Any]) -> httpx.Response:
        return api.put(BASE, params={"module": "Leads"}, json={"sharing_rules": [item]})

    assert item_error(put({**base, "id": first, "status": "inactive"}))["code"] == "NOT_ALLOWED"
    assert item_error(put({**base}))["details"]["api_name"] == "id"
    unknown = item_error(put({**base, "id": "111"}))
    assert (unknown["code"], unknown["message"]) == ("INVALID_DATA", "the given sharing rule id seems invalid.")
    assert item_error(put({**base, "id": first, "name": "second"}))["code"] == "DUPLICATE_DATA"
    assert put({**base, "id": first, "name": "First"}).status_code == 200  # its own name is no duplicate
    missing_path = bare_error(
        api.put(f"{BASE}/111", params={"module": "Leads"}, json={"sharing_rules": [base]}), f"{BASE}/{{id}}", "PUT"
    )
    assert missing_path["details"] == {"resource_path_index": 3}


# --- activation and delete ------------------------------------------------------------------------
def test_a_rule_is_deactivated_and_activated_once_each(api: TestClient) -> None:
    rule_id = new(api, owner_rule(api))
    path = f"{BASE}/{rule_id}/actions/activate"
    oas_path = f"{BASE}/{{id}}/actions/activate"
    again = bare_error(api.put(path, params={"module": "Leads"}), oas_path, "PUT")
    assert (again["code"], again["message"]) == ("ID_ALREADY_ACTIVE", "data sharing rule is already activated.")
    off = api.delete(path, params={"module": "Leads"})
    assert off.status_code == 200, off.text
    check(off, oas_path, "DELETE")
    assert off.json()["sharing_rules"][0]["message"] == "sharing rule is deactivated successfully"
    assert get_one(api, rule_id)["status"] == "inactive"
    twice = bare_error(api.delete(path, params={"module": "Leads"}), oas_path, "DELETE")
    assert (twice["code"], twice["details"]) == ("ID_ALREADY_DEACTIVATED", {"resource_path_index": 3})
    on = api.put(path, params={"module": "Leads"})
    assert on.status_code == 200 and on.json()["sharing_rules"][0]["details"] == {"id": rule_id}
    assert get_one(api, rule_id)["status"] == "active"
    no_module = bare_error(api.put(path), oas_path, "PUT")
    assert no_module["code"] == "REQUIRED_PARAM_MISSING"


def test_a_deleted_rule_is_gone(api: TestClient) -> None:
    rule_id = new(api, owner_rule(api))
    gone = api.delete(f"{BASE}/{rule_id}", params={"module": "Leads"})
    assert gone.status_code == 200, gone.text
    check(gone, f"{BASE}/{{id}}", "DELETE")
    assert gone.json()["sharing_rules"][0] == {
        "code": "SUCCESS",
        "details": {"id": rule_id},
        "message": "Sharing Rule deleted",
        "status": "success",
    }
    again = bare_error(api.delete(f"{BASE}/{rule_id}", params={"module": "Leads"}), f"{BASE}/{{id}}", "DELETE")
    assert again["code"] == "INVALID_DATA"
    new(api, owner_rule(api))  # its name is free again


# --- search, summary, rerun -----------------------------------------------------------------------
def search(api: TestClient, *leaves: dict[str, Any], operator: str = "and", path: str = "/search") -> httpx.Response:
    body = {"filters": [{"group_operator": operator, "group": list(leaves)}]}
    return api.post(f"{BASE}{path}", json=body)


def leaf(field: str, comparator: str, value: Any) -> dict[str, Any]:
    return {"field": {"api_name": field}, "comparator": comparator, "value": value}


def test_search_filters_rules_by_their_keys(api: TestClient) -> None:
    first = new(api, owner_rule(api, "Alpha share"))
    new(api, criteria_rule(api, "Beta"))
    api.delete(f"{BASE}/{first}/actions/activate", params={"module": "Leads"})
    found = search(api, leaf("status", "equal", "inactive"))
    assert found.status_code == 200, found.text
    check(found, f"{BASE}/search", "POST")
    assert [rule["id"] for rule in found.json()["sharing_rules"]] == [first]
    either = search(api, leaf("name", "like", "BETA"), leaf("shared_to.type", "equal", "roles"), operator="or")
    assert len(either.json()["sharing_rules"]) == 2
    target = get_one(api, first)["shared_to"]["resource"]["id"]
    by_target = search(api, leaf("shared_to.resource.id", "in", [target]))
    assert [rule["id"] for rule in by_target.json()["sharing_rules"]] == [first]
    assert search(api, leaf("superiors_allowed", "equal", True), leaf("status", "equal", "inactive")).status_code == 204


@pytest.mark.parametrize(
    ("body", "code", "api_name"),
    [
        ({}, "MANDATORY_NOT_FOUND", "filters"),
        (
            {"filters": [{"group_operator": "xor", "group": [leaf("status", "equal", "active")]}]},
            "INVALID_DATA",
            "group_operator",
        ),
        (
            {"filters": [{"group_operator": "and", "group": [leaf("status", "in", ["active"])]}]},
            "DEPENDENT_MISMATCH",
            "comparator",
        ),
        (
            {"filters": [{"group_operator": "and", "group": [leaf("colour", "equal", "red")]}]},
            "INVALID_DATA",
            "api_name",
        ),
        ({"filters": [{"group_operator": "and", "group": [leaf("status", "equal", "on")]}]}, "INVALID_DATA", "value"),
    ],
)
def test_search_refuses_bad_filters(api: TestClient, body: dict[str, Any], code: str, api_name: str) -> None:
    error = bare_error(api.post(f"{BASE}/search", json=body), f"{BASE}/search", "POST")
    assert (error["code"], error["details"]["api_name"]) == (code, api_name)


def test_the_summary_counts_rules_per_module(api: TestClient) -> None:
    assert api.get(f"{BASE}/actions/summary").status_code == 204
    new(api, owner_rule(api, "One"))
    new(api, owner_rule(api, "Two"))
    new(api, owner_rule(api, "Three"), module="Contacts")
    response = api.get(f"{BASE}/actions/summary")
    assert response.status_code == 200, response.text
    check(response, f"{BASE}/actions/summary", "GET")
    counts = {row["module"]["api_name"]: row["rule_count"] for row in response.json()["sharing_rules_summary"]}
    assert counts == {"Leads": 2, "Contacts": 1}
    assert all(row["rule_computation_status"] is False for row in response.json()["sharing_rules_summary"])
    one = api.get(f"{BASE}/actions/summary", params={"module": "Contacts"}).json()["sharing_rules_summary"]
    assert [row["rule_count"] for row in one] == [1]
    filtered = search(api, leaf("name", "like", "t"), path="/actions/summary")
    assert filtered.status_code == 200, filtered.text
    check(filtered, f"{BASE}/actions/summary", "POST")
    counts = {row["module"]["api_name"]: row["rule_count"] for row in filtered.json()["sharing_rules_summary"]}
    assert counts == {"Leads": 1, "Contacts": 1}


def test_a_rerun_is_scheduled_for_a_module_with_rules(api: TestClient) -> None:
    run = f"{BASE}/actions/run"
    assert api.post(run, params={"module": "Leads"}).status_code == 204
    new(api, owner_rule(api))
    response = api.post(run, params={"module": "Leads"})
    assert response.status_code == 200, response.text
    check(response, run, "POST")
    assert response.json() == {
        "sharing_rules": [
            {"code": "SCHEDULED", "details": {}, "message": "Rerun successfully scheduled", "status": "success"}
        ]
    }
    assert bare_error(api.post(run), run, "POST")["code"] == "REQUIRED_PARAM_MISSING"
    assert bare_error(api.post(run, params={"module": "Nope"}), run, "POST")["code"] == "INVALID_DATA"


# --- scopes and permissions -------------------------------------------------------------------------
def test_the_data_sharing_scope_is_needed(client: TestClient, make_token: Any) -> None:
    def call(scopes: list[str]) -> httpx.Response:
        token = make_token(scopes=scopes)
        return client.get(BASE, headers={"Authorization": f"Zoho-oauthtoken {token}"})

    assert call(["ZohoCRM.settings.data_sharing.READ"]).status_code == 204
    refused = call(["ZohoCRM.settings.roles.ALL"])
    assert (refused.status_code, refused.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")
    token = make_token(scopes=["ZohoCRM.settings.data_sharing.READ"])
    writing = client.post(
        BASE,
        params={"module": "Leads"},
        json={"sharing_rules": [{}]},
        headers={"Authorization": f"Zoho-oauthtoken {token}"},
    )
    assert writing.json()["code"] == "OAUTH_SCOPE_MISMATCH"


def test_a_user_without_the_data_sharing_permission_is_refused(
    client: TestClient, make_token: Any, emulator: Emulator
) -> None:
    token = make_token(user_id=add_standard_user(emulator))
    refused = client.get(BASE, headers={"Authorization": f"Zoho-oauthtoken {token}"})
    assert (refused.status_code, refused.json()["code"]) == (403, "NO_PERMISSION")
    check(refused, BASE, "GET")
