"""/settings/automation/tasks over HTTP: the task templates rules create tasks from (AUTOMATION.md §4),
at each rule's edges, checked against Zoho's workflow_tasks.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import AUTOMATION_REFS, TASK_ERRORS, TASK_SUPPORTED_VALUES
from tests.support.oas import validate_response
from tests.support.workflow import TASKS, action, add_rule, add_task, condition, rule_item, task_item

OAS = "workflow_tasks.json"
LIST = "/settings/automation/tasks"
ONE = "/settings/automation/tasks/{id}"
P0 = "$.tasks[0]"


def post(api: TestClient, **overrides: Any) -> httpx.Response:
    return api.post(TASKS, json={"tasks": [task_item(**overrides)]})


def item_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    allow = [*AUTOMATION_REFS, *TASK_ERRORS, *TASK_SUPPORTED_VALUES]
    validate_response(response, OAS, LIST, "POST", allow=allow)
    (error,) = response.json()["tasks"]
    return dict(error)


def mapping(field: str, kind: str, value: Any) -> dict[str, Any]:
    return {"field": {"api_name": field}, "type": kind, "value": value}


SUBJECT = mapping("Subject", "static", "Call")


def test_create_read_list(api: TestClient) -> None:
    response = post(api)
    assert response.status_code == 201, response.text
    validate_response(response, OAS, LIST, "POST")
    assert response.json()["tasks"][0]["message"] == "task created successfully"
    task_id = response.json()["tasks"][0]["details"]["id"]
    one = api.get(f"{TASKS}/{task_id}")
    validate_response(one, OAS, ONE, "GET")
    (found,) = one.json()["tasks"]
    assert found["module"]["api_name"] == "Leads" and found["module"]["singular_label"] == "Lead"
    assert found["feature_type"] == "workflow" and found["associated"] is False
    shown = {m["field"]["api_name"]: m for m in found["field_mappings"]}
    assert shown["Due_Date"]["display_value"] == "Trigger Date plus 2 day(s)"
    assert shown["Priority"]["display_value"] == "High"
    listed = api.get(TASKS)
    validate_response(listed, OAS, LIST, "GET")
    assert [t["id"] for t in listed.json()["tasks"]] == [task_id]
    assert api.get(TASKS, params={"module": "Deals"}).status_code == 204


@pytest.mark.parametrize(
    ("overrides", "code", "key"),
    [
        ({"name": None}, "MANDATORY_NOT_FOUND", "name"),
        ({"module": None}, "MANDATORY_NOT_FOUND", "module"),
        ({"field_mappings": None}, "MANDATORY_NOT_FOUND", "field_mappings"),
        ({"field_mappings": []}, "MANDATORY_NOT_FOUND", "field_mappings"),
        ({"field_mappings": {}}, "INVALID_DATA", "field_mappings"),
        ({"notify": "yes"}, "INVALID_DATA", "notify"),
        ({"feature_type": "flows"}, "INVALID_DATA", "feature_type"),
    ],
)
def test_key_rules(api: TestClient, overrides: dict[str, Any], code: str, key: str) -> None:
    error = item_error(post(api, **overrides))
    assert (error["code"], error["details"]["api_name"]) == (code, key)


def test_a_task_needs_a_subject(api: TestClient) -> None:
    error = item_error(post(api, field_mappings=[mapping("Priority", "static", "High")]))
    assert error == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"api_name": "Subject", "json_path": f"{P0}.field_mappings"},
        "message": "mandatory field is not given",
        "status": "error",
    }


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (mapping("Nope", "static", "x"), "INVALID_DATA", "the id given seems to be invalid"),
        (mapping("Priority", "constant", "High"), "INVALID_DATA", "Invalid data"),
        (mapping("Priority", "static", {"id": "1"}), "DEPENDENT_MISMATCH", "Type and value is mismatched"),
        (mapping("Due_Date", "static", "2030-01-01"), "DEPENDENT_MISMATCH", "Dependent Field is not matching"),
        (mapping("Priority", "execution_time", {}), "DEPENDENT_MISMATCH", "Dependent Field is not matching"),
        (mapping("Description", "merge_field", "${!Leads.Nope}"), "INVALID_DATA", "Unsupported mergefield provided"),
        (
            mapping("Description", "merge_field", "${!Deals.Deal_Name}"),
            "INVALID_DATA",
            "Unsupported mergefield provided",
        ),
        (mapping("Owner", "static", {"id": "1"}), "INVALID_DATA", "Invalid User ID"),
    ],
)
def test_mapping_rules(api: TestClient, extra: dict[str, Any], code: str, message: str) -> None:
    error = item_error(post(api, field_mappings=[SUBJECT, extra]))
    assert (error["code"], error["message"]) == (code, message)


@pytest.mark.parametrize(
    ("due", "key", "code", "message"),
    [
        (
            {"unit": "2", "sign": "plus", "trigger_field": "${CURRENTTIME}"},
            "period",
            "DEPENDENT_FIELD_MISSING",
            "Dependent Field missing",
        ),
        (
            {"period": "weeks", "unit": "2", "sign": "plus", "trigger_field": "${CURRENTTIME}"},
            "period",
            "INVALID_DATA",
            "Invalid date Period",
        ),
        (
            {"period": "days", "unit": "2", "sign": "times", "trigger_field": "${CURRENTTIME}"},
            "sign",
            "INVALID_DATA",
            "please specify valid due date",
        ),
        (
            {"period": "days", "unit": "two", "sign": "plus", "trigger_field": "${CURRENTTIME}"},
            "unit",
            "INVALID_DATA",
            "please specify valid due date",
        ),
        (
            {"period": "days", "unit": "2", "sign": "plus", "trigger_field": "${!Leads.Company}"},
            "trigger_field",
            "INVALID_DATA",
            "please specify valid due date",
        ),
    ],
)
def test_due_date_rules(api: TestClient, due: dict[str, Any], key: str, code: str, message: str) -> None:
    error = item_error(post(api, field_mappings=[SUBJECT, mapping("Due_Date", "execution_time", due)]))
    assert (error["code"], error["message"], error["details"]["api_name"]) == (code, message, key)


def test_a_date_field_of_the_module_may_start_the_due_date(api: TestClient) -> None:
    due = {"period": "business_days", "unit": "1", "sign": "minus", "trigger_field": "${!Leads.Created_Time}"}
    assert post(api, field_mappings=[SUBJECT, mapping("Due_Date", "execution_time", due)]).status_code == 201


def test_update_and_delete(api: TestClient) -> None:
    task_id = add_task(api)
    response = api.put(f"{TASKS}/{task_id}", json={"tasks": [{"name": "Renamed", "notify": True}]})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, ONE, "PUT")
    found = api.get(f"{TASKS}/{task_id}").json()["tasks"][0]
    assert (found["name"], found["notify"], len(found["field_mappings"])) == ("Renamed", True, 3)
    gone = api.delete(f"{TASKS}/{task_id}")
    validate_response(gone, OAS, ONE, "DELETE")
    assert gone.json()["tasks"][0]["message"] == "task deleted successfully"
    missing = api.get(f"{TASKS}/{task_id}")
    assert missing.status_code == 400 and missing.json()["details"] == {"resource_path_index": 3}
    validate_response(missing, OAS, ONE, "GET")


def test_a_task_a_rule_uses_cannot_be_deleted(api: TestClient) -> None:
    task_id, other = add_task(api), add_task(api, name="Other")
    add_rule(api, rule_item(condition(action("tasks", task_id))))
    assert api.get(f"{TASKS}/{task_id}").json()["tasks"][0]["associated"] is True
    mixed = api.delete(TASKS, params={"ids": f"{task_id},{other}"})
    assert mixed.status_code == 207
    validate_response(mixed, OAS, LIST, "DELETE")
    refused, deleted = mixed.json()["tasks"]
    assert refused["code"] == "NOT_ALLOWED" and refused["details"] == {"id": task_id}
    assert refused["message"] == (
        "the specified task is associated with at least one of Approval Process/Workflow Rules/Blueprint"
    )
    assert deleted["code"] == "SUCCESS"


def test_list_params(api: TestClient) -> None:
    assert api.get(TASKS, params={"feature_type": "kiosk"}).json()["message"] == "the given feature name is invalid"
    invalid = api.get(TASKS, params={"module": "Nope"})
    assert invalid.status_code == 400 and invalid.json()["details"] == {"param_name": "module"}
    validate_response(invalid, OAS, LIST, "GET")
