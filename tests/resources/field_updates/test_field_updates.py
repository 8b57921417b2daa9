"""/settings/automation/field_updates over HTTP: each rule of AUTOMATION.md §4 at its edges, the
answers checked against Zoho's field_updates.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import AUTOMATION_REFS, FIELD_UPDATE_MISMATCH, FIELD_UPDATE_VALUES
from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from tests.support.workflow import (
    FIELD_UPDATES,
    action,
    add_field_update,
    add_rule,
    condition,
    field_update_item,
    rule_item,
)
from zcrm_emulator.emulator import Emulator

OAS = "field_updates.json"
LIST = "/settings/automation/field_updates"
ONE = "/settings/automation/field_updates/{id}"
P0 = "$.field_updates[0]"


def post(api: TestClient, **overrides: Any) -> httpx.Response:
    return api.post(FIELD_UPDATES, json={"field_updates": [field_update_item(**overrides)]})


def item_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    validate_response(response, OAS, LIST, "POST", allow=[*FIELD_UPDATE_MISMATCH, *AUTOMATION_REFS])
    (error,) = response.json()["field_updates"]
    return dict(error)


def test_create_then_read_back(api: TestClient) -> None:
    response = post(api)
    assert response.status_code == 201
    validate_response(response, OAS, LIST, "POST")
    (result,) = response.json()["field_updates"]
    assert result["message"] == "fieldupdate created successfully" and result["code"] == "SUCCESS"
    one = api.get(f"{FIELD_UPDATES}/{result['details']['id']}")
    validate_response(one, OAS, ONE, "GET")
    (found,) = one.json()["field_updates"]
    assert found["name"] == "Rate it" and found["value"] == "Active" and found["type"] == "static"
    assert found["module"]["api_name"] == "Leads" and found["module"]["plural_label"] == "Leads"
    assert found["field"]["api_name"] == "Rating" and found["associated"] is False
    assert found["feature_type"] == "workflow" and found["related_records"] is None
    listed = api.get(FIELD_UPDATES)
    validate_response(listed, OAS, LIST, "GET")
    assert [u["id"] for u in listed.json()["field_updates"]] == [found["id"]]
    assert listed.json()["info"] == {"per_page": 200, "count": 1, "page": 1, "more_records": False}


def test_an_empty_list_is_204_and_an_unknown_id_too(api: TestClient) -> None:
    assert api.get(FIELD_UPDATES).status_code == 204
    assert api.get(f"{FIELD_UPDATES}/123456789").status_code == 204


@pytest.mark.parametrize(
    ("overrides", "code", "key", "message"),
    [
        ({"name": None}, "MANDATORY_NOT_FOUND", "name", "Required field is missing"),
        ({"module": None}, "MANDATORY_NOT_FOUND", "module", "Required field is missing"),
        ({"field": None}, "MANDATORY_NOT_FOUND", "field", "Required field is missing"),
        ({"type": None}, "MANDATORY_NOT_FOUND", "type", "Required field is missing"),
        ({"name": 7}, "INVALID_DATA", "name", "Invalid data type"),
        ({"name": "n" * 256}, "INVALID_DATA", "name", "Invalid data"),
        ({"module": "Leads"}, "INVALID_DATA", "module", "Invalid data type"),
        ({"type": "dynamic"}, "INVALID_DATA", "type", "Invalid data"),
        ({"feature_type": "blueprint"}, "INVALID_DATA", "feature_type", "Invalid data"),
        ({"notify": "yes"}, "INVALID_DATA", "notify", "Invalid data type"),
    ],
)
def test_key_rules(api: TestClient, overrides: dict[str, Any], code: str, key: str, message: str) -> None:
    error = item_error(post(api, **overrides))
    assert (error["code"], error["details"]["api_name"], error["message"]) == (code, key, message)
    assert error["details"]["json_path"] == f"{P0}.{key}"


def test_value_must_be_given_but_may_be_null(api: TestClient) -> None:
    body = field_update_item()
    del body["value"]
    error = item_error(api.post(FIELD_UPDATES, json={"field_updates": [body]}))
    assert error["code"] == "MANDATORY_NOT_FOUND" and error["details"]["api_name"] == "value"
    assert post(api, value=None, name="Clear").status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [("Rating", "Hot"), ("Rating", ["Active"]), ("No_of_Employees", "many"), ("Email_Opt_Out", "yes")],
)
def test_a_value_the_field_does_not_take_is_a_dependent_mismatch(api: TestClient, field: str, value: Any) -> None:
    error = item_error(post(api, field={"api_name": field}, value=value))
    assert error["code"] == "DEPENDENT_MISMATCH" and error["message"] == "Dependent Field is not matching"
    assert error["details"] == {
        "api_name": "value",
        "json_path": f"{P0}.value",
        "dependee": {"api_name": "field", "json_path": f"{P0}.field"},
    }


def test_text_values_stop_at_255_characters(api: TestClient) -> None:
    assert post(api, field={"api_name": "Company"}, value="c" * 255).status_code == 201
    error = item_error(post(api, name="Long", field={"api_name": "Company"}, value="c" * 256))
    assert error["code"] == "INVALID_DATA" and error["details"]["maximum_length"] == 255


def test_module_and_field_references(api: TestClient, emulator: Emulator) -> None:
    error = item_error(post(api, module={}))
    assert error["code"] == "EXPECTED_FIELD_MISSING" and error["message"] == "Specify atleast one field"
    assert [e["api_name"] for e in error["details"]["expected_fields"]] == ["api_name", "id"]
    error = item_error(post(api, module={"api_name": "Nope"}))
    assert error["message"] == "the module name given seems to be invalid"
    contacts = api.get("/crm/v8/settings/modules/Contacts").json()["modules"][0]["id"]
    error = item_error(post(api, module={"api_name": "Leads", "id": contacts}))
    assert (
        error["code"] == "AMBIGUITY_DURING_PROCESSING" and error["message"] == "The given moduleid seems to be invalid"
    )
    error = item_error(post(api, field={"api_name": "Nope"}))
    assert error["message"] == "the field api name given seems to be invalid"
    assert error["details"] == {"api_name": "field", "json_path": f"{P0}.field"}
    error = item_error(post(api, field={"api_name": "Created_Time"}))  # read-only: no update may set it
    assert error["details"]["api_name"] == "field"


def test_owner_updates_need_notify_and_related_records(api: TestClient, emulator: Emulator) -> None:
    user = add_standard_user(emulator)
    error = item_error(post(api, field={"api_name": "Owner"}, value={"id": user}))
    assert error["code"] == "DEPENDENT_FIELD_MISSING" and error["message"] == "Dependent Field missing"
    assert error["details"]["dependee"] == {"api_name": "field", "json_path": f"{P0}.field"}
    made = post(
        api,
        field={"api_name": "Owner"},
        value={"id": user},
        notify=True,
        related_records=[{"api_name": "Tasks"}],
        apply_assignment_threshold=True,
    )
    assert made.status_code == 201
    found = api.get(f"{FIELD_UPDATES}/{made.json()['field_updates'][0]['details']['id']}").json()["field_updates"][0]
    assert found["value"]["id"] == user and found["value"]["name"] and found["notify"] is True
    error = item_error(
        post(api, name="Bad owner", field={"api_name": "Owner"}, value={"id": "1"}, notify=True, related_records=[])
    )
    assert error["message"] == "Invalid User ID"


@pytest.mark.parametrize("key", ["notify", "related_records", "apply_assignment_threshold"])
def test_owner_only_keys_are_refused_elsewhere(api: TestClient, key: str) -> None:
    value = [{"api_name": "Tasks"}] if key == "related_records" else True
    error = item_error(post(api, **{key: value}))
    assert error["code"] == "NOT_ALLOWED" and error["message"] == "This key is not supported for this particular action"
    assert error["details"] == {"api_name": key, "json_path": f"{P0}.{key}"}


def test_names_are_unique_in_the_org(api: TestClient) -> None:
    assert post(api).status_code == 201
    error = item_error(post(api, name=" RATE IT "))
    assert error["code"] == "DUPLICATE_DATA" and error["details"]["api_name"] == "name"


def test_multi_select_values_and_booleans(api: TestClient) -> None:
    made = post(api, name="Opt out", field={"api_name": "Email_Opt_Out"}, value=True)
    assert made.status_code == 201
    found = api.get(f"{FIELD_UPDATES}/{made.json()['field_updates'][0]['details']['id']}")
    validate_response(found, OAS, ONE, "GET", allow=FIELD_UPDATE_VALUES)
    assert found.json()["field_updates"][0]["value"] is True


def test_update_replaces_the_keys_sent(api: TestClient) -> None:
    update_id = add_field_update(api)
    response = api.put(
        f"{FIELD_UPDATES}/{update_id}", json={"field_updates": [{"value": "Acquired", "name": "Renamed"}]}
    )
    assert response.status_code == 200, response.text
    validate_response(response, OAS, ONE, "PUT")
    assert response.json()["field_updates"][0]["message"] == "fieldupdate updated successfully"
    found = api.get(f"{FIELD_UPDATES}/{update_id}").json()["field_updates"][0]
    assert (found["name"], found["value"], found["field"]["api_name"]) == ("Renamed", "Acquired", "Rating")
    bad = api.put(f"{FIELD_UPDATES}/{update_id}", json={"field_updates": [{"value": "Hot"}]})
    assert bad.status_code == 400 and bad.json()["field_updates"][0]["code"] == "DEPENDENT_MISMATCH"


def test_an_unknown_id_in_the_path(api: TestClient) -> None:
    for method in ("PUT", "DELETE"):
        response = api.request(method, f"{FIELD_UPDATES}/999", json={"field_updates": [{"name": "x"}]})
        assert response.status_code == 400
        assert response.json() == {
            "code": "INVALID_DATA",
            "details": {"resource_path_index": 3},
            "message": "the id given seems to be invalid",
            "status": "error",
        }


def test_delete_one_and_many(api: TestClient) -> None:
    first, second = add_field_update(api), add_field_update(api, name="Second")
    gone = api.delete(f"{FIELD_UPDATES}/{first}")
    assert gone.status_code == 200
    validate_response(gone, OAS, ONE, "DELETE")
    mixed = api.delete(FIELD_UPDATES, params={"ids": f"{second},12345"})
    assert mixed.status_code == 207
    validate_response(mixed, OAS, LIST, "DELETE")
    assert [r["code"] for r in mixed.json()["field_updates"]] == ["SUCCESS", "INVALID_DATA"]
    assert mixed.json()["field_updates"][0]["message"] == "field update deleted successfully"
    assert api.delete(FIELD_UPDATES, params={"ids": "1,2"}).status_code == 400


def test_ids_param_rules(api: TestClient) -> None:
    missing = api.delete(FIELD_UPDATES)
    assert missing.status_code == 400
    assert missing.json()["code"] == "REQUIRED_PARAM_MISSING" and missing.json()["details"] == {"param_name": "ids"}
    too_many = api.delete(FIELD_UPDATES, params={"ids": ",".join(str(n) for n in range(1, 12))})
    assert too_many.json() == {
        "code": "INVALID_DATA",
        "details": {"maximum_length": 10, "param_name": "ids"},
        "message": "Ids maximum length exceeded",
        "status": "error",
    }


def test_a_field_update_a_rule_uses_cannot_be_deleted(api: TestClient) -> None:
    update_id = add_field_update(api)
    add_rule(api, rule_item(condition(action("field_updates", update_id))))
    assert api.get(f"{FIELD_UPDATES}/{update_id}").json()["field_updates"][0]["associated"] is True
    refused = api.delete(f"{FIELD_UPDATES}/{update_id}")
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        "This field update is associated with at least one of Approval Process/Workflow Rules/Blueprint"
    )
    bulk = api.delete(FIELD_UPDATES, params={"ids": update_id})
    assert bulk.status_code == 400 and bulk.json()["field_updates"][0]["code"] == "NOT_ALLOWED"


def test_list_params(api: TestClient) -> None:
    add_field_update(api)
    add_field_update(api, name="Deal", module={"api_name": "Deals"}, field={"api_name": "Stage"}, value="Qualification")
    only_deals = api.get(FIELD_UPDATES, params={"module": "Deals"}).json()["field_updates"]
    assert [u["name"] for u in only_deals] == ["Deal"]
    for name, value in (("sort_order", "up"), ("sort_by", "name"), ("include_inner_details", "nope")):
        bad = api.get(FIELD_UPDATES, params={name: value})
        assert bad.status_code == 400 and bad.json()["details"] == {"param_name": name}
        assert bad.json()["message"] == "The value provided to the param is Invalid"
    module = api.get(FIELD_UPDATES, params={"module": "Nope"})
    assert module.json()["code"] == "INVALID_MODULE" and module.json()["details"] == {"param_name": "module"}
    feature = api.get(FIELD_UPDATES, params={"feature_type": "action"})
    assert feature.json()["message"] == "the given feature name is invalid"
    newest = api.get(FIELD_UPDATES, params={"sort_by": "modified_time", "sort_order": "desc"}).json()
    assert [u["name"] for u in newest["field_updates"]] == ["Deal", "Rate it"]


def test_scope_and_permission(client: TestClient, make_token: TokenFactory, emulator: Emulator) -> None:
    rules_only = {"Authorization": f"Zoho-oauthtoken {make_token(['ZohoCRM.settings.workflow_rules.ALL'])}"}
    assert client.get(FIELD_UPDATES, headers=rules_only).json()["code"] == "OAUTH_SCOPE_MISMATCH"
    actions = {"Authorization": f"Zoho-oauthtoken {make_token(['ZohoCRM.settings.automation_actions.READ'])}"}
    assert client.get(FIELD_UPDATES, headers=actions).status_code == 204
    rep = add_standard_user(emulator)
    standard = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}
    refused = client.get(FIELD_UPDATES, headers=standard)
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "NO_PERMISSION",
        "details": {"permissions": ["Crm_Implied_Manage_Workflow"]},
        "message": "feature not available in this edition",
        "status": "error",
    }
    validate_response(refused, OAS, LIST, "GET")
