"""The reads of /settings/automation/workflow_rules: the list and its params, reordering, the
action, module and rule counts, and the usage report, checked against Zoho's workflow_rules.json."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.allowances import RULE_LIST_PARAMS, RULE_USAGE
from tests.support.oas import validate_response
from tests.support.workflow import (
    RULES,
    action,
    add_email_notification,
    add_field_update,
    add_record,
    add_rule,
    condition,
    leaf,
    rule_item,
)

OAS = "workflow_rules.json"
LIST = "/settings/automation/workflow_rules"


@pytest.fixture
def three(api: TestClient) -> dict[str, str]:
    """Rules A (Leads, create), B (Leads, edit, inactive) and C (Contacts)."""
    send = action("email_notifications", add_email_notification(api))
    ids = {
        "A": add_rule(api, rule_item(condition(send), name="Alpha lead")),
        "B": add_rule(api, rule_item(condition(send), name="Beta lead", trigger="edit", details={"repeat": True})),
        "C": add_rule(
            api,
            rule_item(
                condition(action("email_notifications", add_email_notification(api, "Contacts"))),
                module="Contacts",
                name="Gamma",
            ),
        ),
    }
    api.put(f"{RULES}/{ids['B']}", json={"workflow_rules": [{"status": {"active": False}}]})
    return ids


def names(response: Any) -> list[str]:
    return [r["name"] for r in response.json()["workflow_rules"]] if response.status_code == 200 else []


def test_the_list_and_its_filters(api: TestClient, three: dict[str, str]) -> None:
    listed = api.get(RULES)
    validate_response(listed, OAS, LIST, "GET")
    assert names(listed) == ["Alpha lead", "Beta lead", "Gamma"]
    assert "conditions" not in listed.json()["workflow_rules"][0]
    assert listed.json()["info"] == {"per_page": 200, "count": 3, "page": 1, "more_records": False}
    assert names(api.get(RULES, params={"module": "Contacts"})) == ["Gamma"]
    assert names(api.get(RULES, params={"status_active": "false"})) == ["Beta lead"]
    assert names(api.get(RULES, params={"execute_on": "edit"})) == ["Beta lead"]
    assert names(
        api.get(RULES, params={"filter": '{"field":{"api_name":"name"},"comparator":"contains","value":"LEAD"}'})
    ) == [
        "Alpha lead",
        "Beta lead",
    ]
    assert names(api.get(RULES, params={"sort_by": "modified_time", "sort_order": "desc"}))[0] == "Beta lead"
    inner = api.get(RULES, params={"include_inner_details": "true", "per_page": 1, "page": 2})
    validate_response(inner, OAS, LIST, "GET")
    assert names(inner) == ["Beta lead"] and inner.json()["workflow_rules"][0]["conditions"]
    assert inner.json()["info"]["more_records"] is True
    assert api.get(RULES, params={"module": "Deals"}).status_code == 204


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sort_order", "sideways"),
        ("sort_by", "name"),
        ("status_active", "maybe"),
        ("execute_on", "whenever"),
        ("include_inner_details", "yes"),
        ("filter", '{"field":{"api_name":"id"},"comparator":"contains","value":"1"}'),
        ("filter", "name"),
    ],
)
def test_bad_list_params(api: TestClient, name: str, value: str) -> None:
    response = api.get(RULES, params={name: value})
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_DATA",
        "details": {"param_name": name},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }
    validate_response(response, OAS, LIST, "GET", allow=RULE_LIST_PARAMS)


def test_an_unknown_module_param(api: TestClient) -> None:
    response = api.get(RULES, params={"module": "Nope"})
    assert response.json() == {
        "code": "INVALID_MODULE",
        "details": {"param_name": "module"},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }
    validate_response(response, OAS, LIST, "GET")


def test_reorder(api: TestClient, three: dict[str, str]) -> None:
    path = f"{RULES}/actions/reorder"
    body = {"reorder": {"workflow_rules": [{"id": three["B"], "module_specific_sequence": 1}]}}
    response = api.put(path, params={"module": "Leads"}, json=body)
    assert response.status_code == 200
    validate_response(response, OAS, "/settings/automation/workflow_rules/actions/reorder", "PUT")
    assert response.json() == {
        "reorder": [
            {
                "code": "SUCCESS",
                "details": {"id": three["B"]},
                "message": "rules reordered successfully",
                "status": "success",
            }
        ]
    }
    missing = api.put(path, json=body)
    assert missing.json() == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "module"},
        "message": "required param not found",
        "status": "error",
    }
    assert api.put(path, params={"module": "Nope"}, json=body).json()["message"] == "Invalid Module"


@pytest.mark.parametrize(
    ("items", "key", "message"),
    [
        ([{"id": "1", "module_specific_sequence": 1}], "id", "Invalid process id"),
        (
            [{"id": "{A}", "module_specific_sequence": 3}],
            "module_specific_sequence",
            "Invalid sequence number is given",
        ),
        (
            [{"id": "{A}", "module_specific_sequence": 1}, {"id": "{A}", "module_specific_sequence": 2}],
            "id",
            "duplicate data",
        ),
        (
            [{"id": "{A}", "module_specific_sequence": 1}, {"id": "{B}", "module_specific_sequence": 1}],
            "module_specific_sequence",
            "duplicate data",
        ),
        ([{"id": "{A}"}], "module_specific_sequence", "The required data missing"),
    ],
)
def test_reorder_is_all_or_nothing(
    api: TestClient, three: dict[str, str], items: list[dict[str, Any]], key: str, message: str
) -> None:
    for item in items:
        item["id"] = item["id"].format(**three)
    response = api.put(
        f"{RULES}/actions/reorder", params={"module": "Leads"}, json={"reorder": {"workflow_rules": items}}
    )
    assert response.status_code == 400
    (error,) = response.json()["reorder"]
    assert (error["code"], error["details"]["api_name"], error["message"]) in {
        ("INVALID_DATA", key, message),
        ("MANDATORY_NOT_FOUND", key, message),
    }


def test_actions_count(api: TestClient, three: dict[str, str]) -> None:
    update = add_field_update(api)
    send = action("email_notifications", add_email_notification(api))
    scheduled = [{"execute_after": {"period": "days", "unit": 1}, "actions": [send]}]
    rule = add_rule(
        api, rule_item(condition(action("field_updates", update), send, scheduled=scheduled), name="Counted")
    )
    response = api.get(f"{RULES}/actions/actions_count", params={"ids": f"{rule},{three['A']},999"})
    validate_response(response, OAS, "/settings/automation/workflow_rules/actions/actions_count", "GET")
    counted, plain = response.json()["workflow_rules"]
    (first,) = counted["conditions"]
    assert first["instant_actions"] == {
        "actions_count": [{"type": "field_updates", "value": 1}, {"type": "email_notifications", "value": 1}]
    }
    assert first["scheduled_actions"] == [{"actions_count": [{"type": "email_notifications", "value": 1}]}]
    assert plain["conditions"][0]["scheduled_actions"] is None
    assert api.get(f"{RULES}/actions/actions_count").json()["code"] == "REQUIRED_PARAM_MISSING"
    assert api.get(f"{RULES}/actions/actions_count", params={"ids": "999"}).status_code == 204


def test_module_specific_and_rules_counts(api: TestClient, three: dict[str, str]) -> None:
    response = api.get(f"{RULES}/actions/module_specific_count")
    validate_response(response, OAS, "/settings/automation/workflow_rules/actions/module_specific_count", "GET")
    counts = {c["module"]["api_name"]: c for c in response.json()["module_specific_count"]}
    assert (counts["Leads"]["total_rules_configured"], counts["Leads"]["active_rules_configured"]) == (2, 1)
    assert (counts["Contacts"]["total_rules_configured"], counts["Contacts"]["active_rules_configured"]) == (1, 1)
    one = api.get(f"{RULES}/actions/module_specific_count", params={"module": "Deals"}).json()
    assert one["module_specific_count"][0]["total_rules_configured"] == 0
    quota = api.get(f"{RULES}/actions/rules_count")
    validate_response(quota, OAS, "/settings/automation/workflow_rules/actions/rules_count", "GET")
    assert quota.json()["rules_count"] == {
        "scheduled_actions_per_rule_limit": 5,
        "total_rules_limit": 2500,
        "active_rules_configured": 2,
        "rules_per_process_limit": 10,
        "total_rules_limit_per_module": 125,
        "active_rules_limit": 2000,
        "total_rules_configured": 3,
        "active_rules_limit_per_module": 75,
        "total_actions_per_rule_limit": 50,
    }


def test_usage(api: TestClient) -> None:
    update = add_field_update(api)
    send = action("email_notifications", add_email_notification(api))
    rule = add_rule(
        api,
        rule_item(
            condition(action("field_updates", update), criteria=leaf("Company", "equal", "Zylker")),
            condition(
                send,
                sequence=2,
                criteria=leaf("Company", "equal", "Acme"),
                scheduled=[{"execute_after": {"period": "days", "unit": 1}, "actions": [send]}],
            ),
        ),
    )
    add_record(api, Company="Zylker")
    add_record(api, Company="Acme")
    add_record(api, Company="Other")
    today = datetime.now(UTC).date()
    window = {"executed_from": str(today - timedelta(days=3)), "executed_till": str(today + timedelta(days=3))}
    path = "/settings/automation/workflow_rules/{workflowRuleId}/actions/usage"
    response = api.get(f"{RULES}/{rule}/actions/usage", params=window)
    assert response.status_code == 200
    validate_response(response, OAS, path, "GET", allow=RULE_USAGE)
    (report,) = response.json()["workflow_rules"]
    assert report["trigger_count"] == 3 and report["reset_time"] is None
    zylker, acme = report["conditions"]
    assert zylker["usage_count"] == 1 and zylker["instant_actions"]["actions"][0]["success_count"] == 1
    email = acme["instant_actions"]["actions"][0]
    assert email["related_details"]["sent"] == 1 and email["queue_count"] == 0
    assert acme["scheduled_actions"][0]["actions"][0]["queue_count"] == 1


@pytest.mark.parametrize(
    ("window", "code", "details"),
    [
        ({"executed_till": "2025-01-02"}, "REQUIRED_PARAM_MISSING", {"param_name": "executed_from"}),
        (
            {"executed_from": "01-01-2025", "executed_till": "2025-01-02"},
            "INVALID_DATA",
            {"expected_data_type": "datetime", "param_name": "executed_from"},
        ),
        ({"executed_from": "2025-01-01", "executed_till": "2025-06-01"}, "INVALID_REQUEST", {}),
    ],
)
def test_usage_params(api: TestClient, window: dict[str, str], code: str, details: dict[str, Any]) -> None:
    rule = add_rule(api, rule_item(condition(action("email_notifications", add_email_notification(api)))))
    response = api.get(f"{RULES}/{rule}/actions/usage", params=window)
    assert response.status_code == 400 and response.json()["code"] == code and response.json()["details"] == details
    validate_response(response, OAS, "/settings/automation/workflow_rules/{workflowRuleId}/actions/usage", "GET")
    unknown = api.get(
        f"{RULES}/123/actions/usage", params={"executed_from": "2025-01-01", "executed_till": "2025-01-02"}
    )
    assert unknown.json()["details"] == {"resource_path_index": 3}
