"""/settings/automation/workflow_rules: create, read, update (a merge), delete, each rule of
AUTOMATION.md §3 at its edges, the answers checked against Zoho's workflow_rules.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import RULE_WRITE_ERRORS
from tests.support.modules import set_edition
from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from tests.support.workflow import (
    RULES,
    action,
    add_email_notification,
    add_field_update,
    add_rule,
    add_task,
    condition,
    leaf,
    post_rule,
    rule_error,
    rule_item,
)
from zcrm_emulator.emulator import Emulator

OAS = "workflow_rules.json"
LIST = "/settings/automation/workflow_rules"
ONE = "/settings/automation/workflow_rules/{id}"
P0 = "$.workflow_rules[0]"
C0 = f"{P0}.conditions[0]"
A0 = f"{C0}.instant_actions.actions[0]"


@pytest.fixture
def notification(api: TestClient) -> str:
    return add_email_notification(api)


def simple(notification: str, **overrides: Any) -> dict[str, Any]:
    return rule_item(condition(action("email_notifications", notification)), **overrides)


def error_of(response: httpx.Response) -> dict[str, Any]:
    validate_response(response, OAS, LIST, "POST", allow=RULE_WRITE_ERRORS)
    return rule_error(response)


def test_create_answers_workflow_created_and_reads_back(api: TestClient, notification: str) -> None:
    update = add_field_update(api)
    response = post_rule(
        api,
        rule_item(
            condition(
                action("field_updates", update),
                action("email_notifications", notification),
                criteria={
                    "group_operator": "AND",
                    "group": [leaf("Company", "equal", "Zylker"), leaf("Phone", "equal", "${NOTEMPTY}")],
                },
            ),
            description="Hot ones",
        ),
    )
    assert response.status_code == 201, response.text
    validate_response(response, OAS, LIST, "POST")
    (result,) = response.json()["workflow_rules"]
    assert (result["code"], result["message"], result["status"]) == ("SUCCESS", "workflow created", "success")
    one = api.get(f"{RULES}/{result['details']['id']}")
    validate_response(one, OAS, ONE, "GET")
    (rule,) = one.json()["workflow_rules"]
    assert rule["status"] == {"active": True} and rule["last_executed_time"] is None
    assert rule["execute_when"] == {
        "details": {"trigger_module": rule["module"]},
        "type": "create",
    }
    assert rule["lock"] == {"locked_by": None, "message": None, "status": False}
    assert (rule["source"], rule["category"], rule["editable"], rule["deletable"]) == ("crm", "default", True, True)
    (found,) = rule["conditions"]
    actions = found["instant_actions"]["actions"]
    assert [a["type"] for a in actions] == ["field_updates", "email_notifications"]
    assert actions[0]["name"] == "Rate it" and actions[0]["details"]["module"]["api_name"] == "Leads"
    assert found["criteria_details"]["relational_criteria"] == {
        "module_selection": None,
        "criteria": None,
        "module": None,
    }
    assert found["criteria_details"]["criteria"]["group"][0]["type"] == "value"
    assert found["scheduled_actions"] is None and found["id"]


def test_creating_an_inactive_rule_is_invalid(api: TestClient, notification: str) -> None:
    error = error_of(post_rule(api, simple(notification, status={"active": False})))
    assert error == {
        "code": "INVALID_DATA",
        "details": {"api_name": "active", "json_path": f"{P0}.status.active"},
        "message": "invalid data",
        "status": "error",
    }


@pytest.mark.parametrize(
    ("overrides", "code", "key", "message"),
    [
        ({"name": None}, "MANDATORY_NOT_FOUND", "name", "Required field is missing"),
        ({"name": 3}, "INVALID_DATA", "name", "Invalid data type"),
        ({"name": "n" * 101}, "INVALID_DATA", "name", "value too long"),
        ({"name": "Hot #1"}, "INVALID_DATA", "name", "Special characters found"),
        ({"module": "Nope"}, "INVALID_DATA", "module", "the module name given seems to be invalid"),
        ({"module": "Notes"}, "INVALID_DATA", "module", "the module name given seems to be invalid"),
    ],
)
def test_rule_keys(
    api: TestClient, notification: str, overrides: dict[str, Any], code: str, key: str, message: str
) -> None:
    error = error_of(post_rule(api, simple(notification, **overrides)))
    assert (error["code"], error["details"]["api_name"], error["message"]) == (code, key, message)


def test_the_module_is_mandatory(api: TestClient, notification: str) -> None:
    item = simple(notification)
    del item["module"]
    error = error_of(post_rule(api, item))
    assert error["code"] == "MANDATORY_NOT_FOUND" and error["details"] == {
        "api_name": "module",
        "json_path": f"{P0}.module",
    }


def test_names_up_to_100_characters_of_words_spaces_and_dashes(api: TestClient, notification: str) -> None:
    assert post_rule(api, simple(notification, name="WORKFLOWRULE-POST (v2) n_" + "x" * 75)).status_code == 201


def test_the_envelope(api: TestClient, notification: str) -> None:
    missing = api.post(RULES, json={"rules": []})
    assert missing.status_code == 400
    assert missing.json() == {
        "code": "INVALID_DATA",
        "details": {"api_name": "workflow_rules", "json_path": "$.workflow_rules"},
        "message": "invalid data",
        "status": "error",
    }
    two = api.post(RULES, json={"workflow_rules": [simple(notification), simple(notification)]})
    assert two.status_code == 400 and two.json()["details"]["maximum_length"] == 1


def test_execute_when_rules(api: TestClient, notification: str) -> None:
    item = simple(notification)
    del item["execute_when"]
    error = error_of(post_rule(api, item))
    assert (error["code"], error["details"]) == (
        "MANDATORY_NOT_FOUND",
        {"api_name": "execute_when", "json_path": f"{P0}.execute_when"},
    )
    error = error_of(post_rule(api, simple(notification, execute_when="create")))
    assert error["code"] == "INVALID_DATA" and error["details"]["expected_data_type"] == "jsonobject"
    error = error_of(post_rule(api, simple(notification, trigger="launch")))
    assert error["details"]["api_name"] == "type" and "date_or_datetime" in error["details"]["supported_values"]
    assert error["details"]["json_path"] == f"{P0}.execute_when.type"
    error = error_of(post_rule(api, simple(notification, trigger="missed_call")))
    assert error["code"] == "INVALID_DATA" and "missed_call" not in error["details"]["supported_values"]


@pytest.mark.parametrize("trigger", ["edit", "create_or_edit", "field_update"])
def test_edit_like_triggers_need_repeat(api: TestClient, notification: str, trigger: str) -> None:
    details = {"criteria": leaf("Company", "equal", "${ANYVALUE}")} if trigger == "field_update" else {}
    error = error_of(post_rule(api, simple(notification, trigger=trigger, details=details)))
    assert error == {
        "code": "DEPENDENT_FIELD_MISSING",
        "details": {
            "dependee": {"api_name": "type", "json_path": f"{P0}.execute_when.type"},
            "api_name": "repeat",
            "json_path": f"{P0}.execute_when.details.repeat",
        },
        "message": "Dependent Field missing",
        "status": "error",
    }
    assert (
        post_rule(api, simple(notification, trigger=trigger, details={**details, "repeat": False})).status_code == 201
    )


def test_field_update_triggers_need_criteria_and_only_they_take_anyvalue(api: TestClient, notification: str) -> None:
    error = error_of(post_rule(api, simple(notification, trigger="field_update", details={"repeat": True})))
    assert error["code"] == "DEPENDENT_FIELD_MISSING" and error["details"]["api_name"] == "criteria"
    anyvalue = rule_item(
        condition(action("email_notifications", notification), criteria=leaf("Company", "equal", "${ANYVALUE}"))
    )
    error = error_of(post_rule(api, anyvalue))
    assert error["code"] == "INVALID_DATA" and error["details"]["api_name"] == "value"


def test_date_based_triggers(api: TestClient, notification: str) -> None:
    details = {"field": {"api_name": "Created_Time"}, "period": "days", "unit": 1, "execute_at": "09:30"}
    assert post_rule(api, simple(notification, trigger="date_or_datetime", details=details)).status_code == 201
    for broken, key in (
        ({**details, "field": None}, "field"),
        ({**details, "period": "fortnights"}, "period"),
        ({**details, "unit": "one"}, "unit"),
        ({**details, "execute_at": "9:30"}, "execute_at"),
        ({**details, "field": {"api_name": "Company"}}, "field"),
        ({**details, "recur_cycle": "weekly"}, "recur_cycle"),
    ):
        error = rule_error(post_rule(api, simple(notification, trigger="date_or_datetime", details=broken)))
        assert error["details"]["api_name"] == key, (broken, error)


def test_trigger_module_defaults_to_the_module_and_may_not_differ(api: TestClient, notification: str) -> None:
    contacts = {"api_name": "Contacts"}
    error = error_of(post_rule(api, simple(notification, details={"trigger_module": contacts})))
    assert error["code"] == "INVALID_DATA" and error["details"]["api_name"] == "trigger_module"


def test_conditions_rules(api: TestClient, notification: str) -> None:
    send = action("email_notifications", notification)
    error = error_of(post_rule(api, rule_item()))
    assert (error["code"], error["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", "conditions")
    error = rule_error(
        post_rule(
            api,
            rule_item(*(condition(send, sequence=n, criteria=leaf("Company", "equal", str(n))) for n in range(1, 12))),
        )
    )
    assert error == {
        "code": "LIMIT_EXCEEDED",
        "details": {"api_name": "conditions", "json_path": f"{P0}.conditions", "limit": 10},
        "message": "conditions limit exceeded",
        "status": "error",
    }
    error = rule_error(post_rule(api, rule_item(condition(send), condition(send, sequence=2))))
    assert error["code"] == "ALREADY_USED" and error["message"] == "duplicate criteria details."
    assert error["details"] == {
        "api_name": "criteria_details",
        "json_path": f"{P0}.conditions[1].criteria_details",
        "exists_in": {"api_name": "criteria_details", "json_path": f"{C0}.criteria_details"},
    }
    twice = rule_item(
        condition(send, criteria=leaf("Company", "equal", "a")), condition(send, criteria=leaf("Company", "equal", "b"))
    )
    assert rule_error(post_rule(api, twice))["code"] == "DUPLICATE_DATA"
    no_actions = rule_error(post_rule(api, rule_item(condition())))
    assert (no_actions["code"], no_actions["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", "instant_actions")


def test_conditions_limit_follows_the_edition(
    client: TestClient, api: TestClient, emulator: Emulator, notification: str
) -> None:
    send = action("email_notifications", notification)
    four = rule_item(*(condition(send, sequence=n, criteria=leaf("Company", "equal", str(n))) for n in range(1, 5)))
    set_edition(client, emulator, "standard")
    assert rule_error(post_rule(api, four))["details"]["limit"] == 3
    set_edition(client, emulator, "free")
    refused = post_rule(api, four)
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "FEATURE_NOT_SUPPORTED",
        "details": {},
        "message": "feature not available in this edition",
        "status": "error",
    }


@pytest.mark.parametrize(
    ("criteria", "code", "key"),
    [
        ({"field": {"api_name": "Nope"}, "comparator": "equal", "value": "x"}, "INVALID_DATA", "field"),
        ({"field": {"api_name": "Company"}, "comparator": "matches", "value": "x"}, "INVALID_DATA", "comparator"),
        ({"field": {"api_name": "Company"}, "comparator": "equal"}, "MANDATORY_NOT_FOUND", "value"),
        ({"group_operator": "XOR", "group": []}, "INVALID_DATA", "group_operator"),
        ({"group_operator": "and", "group": [leaf("Company", "equal", "x")]}, "INVALID_DATA", "group"),
        (
            {"group_operator": "or", "group": [leaf("Company", "equal", str(n)) for n in range(26)]},
            "LIMIT_EXCEEDED",
            "group",
        ),
        ({"field": {"api_name": "Annual_Revenue"}, "comparator": "between", "value": "5"}, "INVALID_DATA", "value"),
    ],
)
def test_criteria_grammar(api: TestClient, notification: str, criteria: dict[str, Any], code: str, key: str) -> None:
    error = rule_error(
        post_rule(api, rule_item(condition(action("email_notifications", notification), criteria=criteria)))
    )
    assert (error["code"], error["details"]["api_name"]) == (code, key)


def test_associate_actions(api: TestClient, notification: str) -> None:
    error = error_of(post_rule(api, rule_item(condition({"type": "email_notifications"}))))
    assert error == {
        "code": "DEPENDENT_FIELD_MISSING",
        "details": {
            "dependee": {"api_name": "type", "json_path": f"{A0}.type"},
            "api_name": "id",
            "json_path": f"{A0}.id",
        },
        "message": "Dependent Field missing",
        "status": "error",
    }
    unknown = rule_error(post_rule(api, rule_item(condition(action("field_updates", "12345")))))
    assert unknown["code"] == "INVALID_DATA" and unknown["message"] == "the id given seems to be invalid"
    duplicate = rule_error(
        post_rule(
            api,
            rule_item(
                condition(action("email_notifications", notification), action("email_notifications", notification))
            ),
        )
    )
    assert duplicate["code"] == "DUPLICATE_DATA" and duplicate["message"] == "Duplicate action not allowed"
    deals = add_field_update(
        api, name="Deal stage", module={"api_name": "Deals"}, field={"api_name": "Stage"}, value="Qualification"
    )
    other_module = rule_error(post_rule(api, rule_item(condition(action("field_updates", deals)))))
    assert (
        other_module["code"] == "AMBIGUITY_DURING_PROCESSING"
        and other_module["message"] == "action not supported for this module"
    )


def test_a_field_update_of_a_looked_up_module(api: TestClient) -> None:
    accounts = add_field_update(
        api, name="Rate account", module={"api_name": "Accounts"}, field={"api_name": "Rating"}, value="Active"
    )
    through = action("field_updates", accounts, related_details={"lookup_field": {"api_name": "Account_Name"}})
    assert post_rule(api, rule_item(condition(through), module="Contacts")).status_code == 201


def test_action_types_and_triggers(api: TestClient, notification: str) -> None:
    error = error_of(post_rule(api, rule_item(condition({"type": "teleport", "id": "1"}))))
    assert error["details"] == {"api_name": "type", "json_path": f"{A0}.type"}
    update = add_field_update(api)
    error = error_of(post_rule(api, rule_item(condition(action("field_updates", update)), trigger="delete")))
    assert (
        error["code"] == "AMBIGUITY_DURING_PROCESSING" and error["message"] == "action not supported for this trigger"
    )
    assert error["details"]["ambiguity_due_to"] == [
        {"api_name": "type", "json_path": f"{P0}.execute_when.type"},
        {"api_name": "type", "json_path": f"{A0}.type"},
    ]
    convert = {"type": "convert", "details": {"add_to_existing_contact": False}}
    error = error_of(post_rule(api, rule_item(condition(convert), module="Deals")))
    assert error["message"] == "action not supported for this module"
    inline = rule_error(post_rule(api, rule_item(condition({"type": "add_tags", "name": "tag it"}))))
    assert inline["code"] == "DEPENDENT_FIELD_MISSING" and inline["details"]["api_name"] == "details"


def test_per_type_limits_come_from_the_configuration(api: TestClient) -> None:
    updates = [
        add_field_update(api, name=f"U{n}", value=v)
        for n, v in enumerate(["Active", "Acquired", "ShutDown", "Market Failed", "Project Cancelled", "-None-"])
    ]
    error = error_of(post_rule(api, rule_item(condition(*(action("field_updates", u) for u in updates)))))
    assert error == {
        "code": "LIMIT_EXCEEDED",
        "details": {"api_name": "actions", "json_path": f"{C0}.instant_actions.actions", "limit": 5},
        "message": "actions limit exceeded",
        "status": "error",
    }


def test_scheduled_actions(api: TestClient, notification: str) -> None:
    send = action("email_notifications", notification)

    def scheduled(after: Any, *actions: dict[str, Any], **rule: Any) -> dict[str, Any]:
        return rule_item(
            condition(send, scheduled=[{"execute_after": after, "actions": list(actions) or [send]}]), **rule
        )

    assert post_rule(api, scheduled({"period": "minutes", "unit": 5})).status_code == 201
    error = error_of(post_rule(api, scheduled({})))
    assert error["code"] == "EXPECTED_FIELD_MISSING" and error["message"] == "Specify atleast one field"
    error = error_of(post_rule(api, scheduled({"period": "days"})))
    assert error["code"] == "DEPENDENT_FIELD_MISSING" and error["details"]["api_name"] == "unit"
    assert error["details"]["dependee"]["api_name"] == "execute_after"
    for after in ({"period": "minutes", "unit": 4}, {"period": "months", "unit": 25}, {"period": "eons", "unit": 1}):
        assert rule_error(post_rule(api, scheduled(after)))["code"] == "INVALID_DATA", after
    repeat = scheduled({"period": "hours", "unit": 1}, trigger="edit", details={"repeat": True})
    error = error_of(post_rule(api, repeat))
    assert error["code"] == "DEPENDENT_MISMATCH" and error["message"] == "Dependent Field is not matching"
    assert error["details"]["dependee"] == {"api_name": "repeat", "json_path": f"{P0}.execute_when.details.repeat"}
    convert = {"type": "convert", "details": {"add_to_existing_contact": False}}
    error = error_of(post_rule(api, scheduled({"period": "hours", "unit": 1}, convert)))
    assert error["code"] == "NOT_ALLOWED" and error["message"] == "The unsupported action is given"
    groups = [{"execute_after": {"period": "days", "unit": n}, "actions": [send]} for n in range(6)]
    error = rule_error(post_rule(api, rule_item(condition(send, scheduled=groups))))
    assert error["code"] == "LIMIT_EXCEEDED" and error["message"] == "schedule actions limit exceeded"
    deleted = scheduled({"period": "hours", "unit": 1}, trigger="delete")
    assert rule_error(post_rule(api, deleted))["message"] == "action not supported for this trigger"


def test_other_actions_are_kept(api: TestClient) -> None:
    tags = {
        "type": "add_tags",
        "name": "Tag hot",
        "details": {"tags": [{"id": "1", "name": "hot"}], "over_write": False},
    }
    rule_id = add_rule(api, rule_item(condition(tags, {"type": "functions", "id": "4242", "name": "Score"})))
    (rule,) = api.get(f"{RULES}/{rule_id}").json()["workflow_rules"]
    kept = rule["conditions"][0]["instant_actions"]["actions"]
    assert (
        kept[0]["details"] == tags["details"]
        and kept[0]["id"]
        and kept[1] == {"name": "Score", "id": "4242", "type": "functions"}
    )


def test_update_merges(api: TestClient, notification: str) -> None:
    task = add_task(api)
    rule_id = add_rule(api, simple(notification))
    (rule,) = api.get(f"{RULES}/{rule_id}").json()["workflow_rules"]
    condition_id = rule["conditions"][0]["id"]
    change = {
        "name": "Renamed",
        "conditions": [{"id": condition_id, "instant_actions": {"actions": [action("tasks", task)]}}],
    }
    response = api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [change]})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, ONE, "PUT")
    assert response.json()["workflow_rules"][0]["message"] == "workflow updated"
    (rule,) = api.get(f"{RULES}/{rule_id}").json()["workflow_rules"]
    assert rule["name"] == "Renamed"
    assert [a["type"] for a in rule["conditions"][0]["instant_actions"]["actions"]] == ["email_notifications", "tasks"]
    removal = {
        "conditions": [{"id": condition_id, "instant_actions": {"actions": [{"id": notification, "_delete": None}]}}]
    }
    api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [removal]})
    (rule,) = api.get(f"{RULES}/{rule_id}").json()["workflow_rules"]
    assert [a["type"] for a in rule["conditions"][0]["instant_actions"]["actions"]] == ["tasks"]
    last = {"conditions": [{"id": condition_id, "instant_actions": {"actions": [{"id": task, "_delete": None}]}}]}
    refused = api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [last]})
    assert refused.status_code == 400 and refused.json()["workflow_rules"][0]["code"] == "CANNOT_REMOVE"
    unknown = api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [{"conditions": [{"id": "42", "_delete": None}]}]})
    assert unknown.json()["workflow_rules"][0]["message"] == "This given conditionid seems to be invalid"


def test_update_adds_and_removes_conditions(api: TestClient, notification: str) -> None:
    rule_id = add_rule(api, simple(notification))
    send = action("email_notifications", notification)
    added = {"conditions": [condition(send, sequence=2, criteria=leaf("Company", "equal", "x"))]}
    assert api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [added]}).status_code == 200
    (rule,) = api.get(f"{RULES}/{rule_id}").json()["workflow_rules"]
    assert [c["sequence_number"] for c in rule["conditions"]] == [1, 2]
    first = rule["conditions"][0]["id"]
    assert (
        api.put(
            f"{RULES}/{rule_id}", json={"workflow_rules": [{"conditions": [{"id": first, "_delete": None}]}]}
        ).status_code
        == 200
    )
    (rule,) = api.get(f"{RULES}/{rule_id}").json()["workflow_rules"]
    assert [c["sequence_number"] for c in rule["conditions"]] == [2]


def test_activation_and_the_trigger_family(api: TestClient, notification: str) -> None:
    rule_id = add_rule(api, simple(notification))
    off = api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [{"status": {"active": False}}]})
    assert off.status_code == 200
    assert api.get(f"{RULES}/{rule_id}").json()["workflow_rules"][0]["status"] == {"active": False}
    assert api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [{"status": {"active": True}}]}).status_code == 200
    edit = {"execute_when": {"type": "edit", "details": {"repeat": True}}}
    assert api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [edit]}).status_code == 200
    dated = {
        "execute_when": {
            "type": "date_or_datetime",
            "details": {"field": {"api_name": "Created_Time"}, "period": "days", "unit": 1},
        }
    }
    refused = api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [dated]})
    assert refused.status_code == 400 and refused.json()["workflow_rules"][0]["code"] == "NOT_ALLOWED"
    other = api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [{"module": {"api_name": "Contacts"}}]})
    assert other.json()["workflow_rules"][0]["code"] == "NOT_ALLOWED"


def test_bulk_update_names_each_rule(api: TestClient, notification: str) -> None:
    rule_id = add_rule(api, simple(notification))
    response = api.put(
        RULES, json={"workflow_rules": [{"id": rule_id, "description": "d"}, {"name": "no id"}, {"id": "99"}]}
    )
    assert response.status_code == 207
    ok, no_id, unknown = response.json()["workflow_rules"]
    assert ok["code"] == "SUCCESS"
    assert no_id["code"] == "MANDATORY_NOT_FOUND" and no_id["message"] == "The workflow processid is mandatory"
    assert unknown["code"] == "INVALID_DATA" and unknown["details"] == {
        "api_name": "id",
        "json_path": "$.workflow_rules[2].id",
    }


def test_path_ids(api: TestClient) -> None:
    assert api.get(f"{RULES}/123").status_code == 204
    for method in ("PUT", "DELETE"):
        response = api.request(method, f"{RULES}/123", json={"workflow_rules": [{"name": "x"}]})
        assert response.status_code == 400
        validate_response(response, OAS, ONE, method)
        assert response.json()["details"] == {"resource_path_index": 3}


def test_delete_one_many_and_locked(api: TestClient, notification: str) -> None:
    first, second, locked = (add_rule(api, simple(notification, name=n)) for n in ("One", "Two", "Three"))
    api.put(f"{RULES}/{locked}", json={"workflow_rules": [{"lock": {"status": True, "message": "keep"}}]})
    (rule,) = api.get(f"{RULES}/{locked}").json()["workflow_rules"]
    assert rule["lock"]["status"] is True and rule["lock"]["locked_by"]["id"] and rule["deletable"] is False
    gone = api.delete(f"{RULES}/{first}")
    validate_response(gone, OAS, ONE, "DELETE")
    assert gone.json()["workflow_rules"][0]["message"] == "workflow deleted"
    refused = api.delete(f"{RULES}/{locked}")
    assert refused.status_code == 400 and refused.json()["code"] == "NOT_ALLOWED"
    mixed = api.delete(RULES, params={"ids": f"{second},{locked},77"})
    assert mixed.status_code == 207
    validate_response(mixed, OAS, LIST, "DELETE")
    deleted, kept, unknown = mixed.json()["workflow_rules"]
    assert deleted["message"] == "WorkFlow Rule deleted successfully"
    assert kept["message"] == "Sorry, you cannot perform this operation as the record is locked."
    assert unknown == {
        "code": "INVALID_DATA",
        "details": {"id": "77"},
        "message": "the id given seems to be invalid",
        "status": "error",
    }
    too_many = api.delete(RULES, params={"ids": ",".join(str(n) for n in range(1, 12))})
    assert too_many.json()["message"] == "Ids maximum length exceeded"
    validate_response(too_many, OAS, LIST, "DELETE")


def test_scopes_and_permission(client: TestClient, make_token: TokenFactory, emulator: Emulator) -> None:
    actions_only = {"Authorization": f"Zoho-oauthtoken {make_token(['ZohoCRM.settings.automation_actions.ALL'])}"}
    assert client.get(RULES, headers=actions_only).json()["code"] == "OAUTH_SCOPE_MISMATCH"
    read = {"Authorization": f"Zoho-oauthtoken {make_token(['ZohoCRM.settings.workflow_rules.READ'])}"}
    assert client.get(RULES, headers=read).status_code == 204
    assert client.post(RULES, headers=read, json={"workflow_rules": [{}]}).json()["code"] == "OAUTH_SCOPE_MISMATCH"
    rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    refused = client.get(RULES, headers=rep)
    validate_response(refused, OAS, LIST, "GET")
    assert refused.json()["message"] == "feature not available in this edition"
