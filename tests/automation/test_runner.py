"""Workflow rules run after record writes (automation/runner.py), end to end over HTTP: a rule made
with the API, a record written with the API, and what the rule's actions did to the store."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.support.workflow import (
    action,
    action_runs,
    add_email_notification,
    add_field_update,
    add_record,
    add_rule,
    add_task,
    condition,
    field_of,
    leaf,
    rule_item,
    tasks_of,
    update_record,
)
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

ZYLKER = leaf("Company", "equal", "Zylker")


def test_a_create_rule_updates_the_field_and_makes_the_task(api: TestClient, emulator: Emulator) -> None:
    update, task = add_field_update(api), add_task(api)
    add_rule(api, rule_item(condition(action("field_updates", update), action("tasks", task), criteria=ZYLKER)))
    lead = add_record(api, Company="Zylker", Last_Name="Smith")
    assert field_of(api, "Leads", lead, "Rating") == "Active"
    (made,) = tasks_of(api, lead)
    assert made["Subject"] == "Call Smith" and made["Priority"] == "High" and made["Due_Date"]
    assert made["What_Id"]["id"] == lead and made["Owner"]["id"]
    assert [(r["action_type"], r["outcome"]) for r in action_runs(emulator, lead)] == [
        ("field_updates", "success"),
        ("tasks", "success"),
    ]


def test_criteria_decide_and_the_first_matching_condition_wins(api: TestClient) -> None:
    active = add_field_update(api)
    acquired = add_field_update(api, name="Acquire", value="Acquired")
    add_rule(
        api,
        rule_item(
            condition(action("field_updates", acquired), criteria=leaf("Company", "starts_with", "Zyl"), sequence=2),
            condition(action("field_updates", active), criteria=ZYLKER, sequence=1),
        ),
    )
    assert field_of(api, "Leads", add_record(api, Company="Zylker"), "Rating") == "Active"
    assert field_of(api, "Leads", add_record(api, Company="Zylkerton"), "Rating") == "Acquired"
    assert field_of(api, "Leads", add_record(api, Company="Acme"), "Rating") is None


@pytest.mark.parametrize(("trigger", "runs"), [(None, True), (["workflow"], True), ([], False), (["approval"], False)])
def test_the_trigger_list_decides(api: TestClient, trigger: list[str] | None, runs: bool) -> None:
    add_rule(api, rule_item(condition(action("field_updates", add_field_update(api)))))
    lead = add_record(api, trigger=trigger)
    assert (field_of(api, "Leads", lead, "Rating") == "Active") is runs


def test_an_inactive_rule_does_not_run(api: TestClient) -> None:
    rule_id = add_rule(api, rule_item(condition(action("field_updates", add_field_update(api)))))
    api.put(
        f"/crm/v8/settings/automation/workflow_rules/{rule_id}",
        json={"workflow_rules": [{"status": {"active": False}}]},
    )
    assert field_of(api, "Leads", add_record(api), "Rating") is None


def test_a_refused_call_runs_nothing(api: TestClient, emulator: Emulator) -> None:
    add_rule(api, rule_item(condition(action("field_updates", add_field_update(api)))))
    refused = api.post("/crm/v8/Leads", json={"data": [{"Company": "No last name"}]})
    assert refused.status_code == 400
    assert action_runs(emulator) == []


def test_edit_rules_and_repeat(api: TestClient) -> None:
    update = add_field_update(api)
    clear = add_field_update(api, name="Clear", value=None)
    add_rule(
        api,
        rule_item(
            condition(action("field_updates", update), criteria=ZYLKER), trigger="edit", details={"repeat": False}
        ),
    )
    lead = add_record(api, Company="Acme")
    assert field_of(api, "Leads", lead, "Rating") is None  # created, not edited
    update_record(api, "Leads", lead, Company="Zylker")
    assert field_of(api, "Leads", lead, "Rating") == "Active"
    update_record(api, "Leads", lead, Rating="Acquired")
    assert field_of(api, "Leads", lead, "Rating") == "Acquired"  # repeat false: once per record
    del clear


def test_repeat_true_runs_on_every_qualifying_edit(api: TestClient) -> None:
    add_rule(
        api,
        rule_item(
            condition(action("field_updates", add_field_update(api)), criteria=ZYLKER),
            trigger="edit",
            details={"repeat": True},
        ),
    )
    lead = add_record(api, Company="Zylker")
    for _ in range(2):
        update_record(api, "Leads", lead, Rating="Acquired")
        assert field_of(api, "Leads", lead, "Rating") == "Active"


def test_a_workflow_field_update_fires_no_other_rule(api: TestClient, emulator: Emulator) -> None:
    add_rule(api, rule_item(condition(action("field_updates", add_field_update(api)))))
    acquired = add_field_update(api, name="Acquire", value="Acquired")
    add_rule(
        api,
        rule_item(
            condition(action("field_updates", acquired)), name="On edit", trigger="edit", details={"repeat": True}
        ),
    )
    lead = add_record(api)
    assert field_of(api, "Leads", lead, "Rating") == "Active"  # the edit rule did not see the field update
    assert len(action_runs(emulator, lead)) == 1


def test_field_update_triggers(api: TestClient) -> None:
    update = add_field_update(api, name="Rate", field={"api_name": "Rating"}, value="Active")
    add_rule(
        api,
        rule_item(
            condition(action("field_updates", update)),
            trigger="field_update",
            details={"criteria": leaf("Lead_Status", "equal", "Contacted"), "repeat": True},
        ),
    )
    lead = add_record(api, Lead_Status="Contacted")
    assert field_of(api, "Leads", lead, "Rating") is None  # a create is no field update
    update_record(api, "Leads", lead, Company="Other")
    assert field_of(api, "Leads", lead, "Rating") is None  # the field did not change
    update_record(api, "Leads", lead, Lead_Status="Junk Lead")
    assert field_of(api, "Leads", lead, "Rating") is None  # changed, but not to the value
    update_record(api, "Leads", lead, Lead_Status="Contacted")
    assert field_of(api, "Leads", lead, "Rating") == "Active"


def test_any_value_changes(api: TestClient) -> None:
    update = add_field_update(api)
    details = {"criteria": leaf("Phone", "equal", "${ANYVALUE}"), "repeat": True}
    add_rule(api, rule_item(condition(action("field_updates", update)), trigger="field_update", details=details))
    lead = add_record(api)
    update_record(api, "Leads", lead, Phone="555 0100")
    assert field_of(api, "Leads", lead, "Rating") == "Active"


def test_delete_rules_see_the_record_as_it_went(api: TestClient, emulator: Emulator) -> None:
    notification = add_email_notification(api)
    add_rule(api, rule_item(condition(action("email_notifications", notification), criteria=ZYLKER), trigger="delete"))
    kept, gone = add_record(api, Company="Acme"), add_record(api, Company="Zylker")
    assert api.delete("/crm/v8/Leads", params={"ids": f"{kept},{gone}"}).status_code == 200
    assert [(r["record_id"], r["action_type"]) for r in action_runs(emulator)] == [(gone, "email_notifications")]


def test_email_notifications_are_recorded_as_sent(api: TestClient, emulator: Emulator) -> None:
    notification = add_email_notification(api)
    add_rule(api, rule_item(condition(action("email_notifications", notification))))
    lead = add_record(api)
    (sent,) = api.get("/_emulator/deliveries", params={"source": "email_notification"}).json()["deliveries"]
    assert sent["status"] == "delivered" and sent["attempts"] == 0 and sent["source_id"] == notification
    assert sent["context"]["entity_details"]["id"] == lead and sent["context"]["workflow_rule"]["name"] == "Hot leads"


def test_a_contact_task_links_through_who_id(api: TestClient) -> None:
    task = add_task(
        api,
        module={"api_name": "Contacts"},
        field_mappings=[{"field": {"api_name": "Subject"}, "type": "static", "value": "Hello"}],
    )
    add_rule(api, rule_item(condition(action("tasks", task)), module="Contacts"))
    contact = add_record(api, "Contacts")
    (made,) = tasks_of(api, contact)
    assert made["Who_Id"]["id"] == contact and made["Subject"] == "Hello"


def test_a_field_update_through_a_lookup(api: TestClient) -> None:
    account = add_record(api, "Accounts", Account_Name="Zylker Inc")
    update = add_field_update(
        api, name="Rate account", module={"api_name": "Accounts"}, field={"api_name": "Rating"}, value="Active"
    )
    through = action("field_updates", update, related_details={"lookup_field": {"api_name": "Account_Name"}})
    add_rule(api, rule_item(condition(through), module="Contacts"))
    add_record(api, "Contacts", Account_Name={"id": account})
    assert field_of(api, "Accounts", account, "Rating") == "Active"


def test_rules_run_in_module_order_and_see_earlier_updates(api: TestClient) -> None:
    first = add_field_update(api, name="First", field={"api_name": "Description"}, value="first")
    second = add_field_update(api, name="Second", field={"api_name": "Description"}, value="second")
    add_rule(
        api,
        rule_item(condition(action("field_updates", second), criteria=leaf("Description", "equal", "first")), name="B"),
    )
    add_rule(api, rule_item(condition(action("field_updates", first)), name="A"))
    lead = add_record(api)
    assert field_of(api, "Leads", lead, "Description") == "first"  # B ran first and did not match
    rules = api.get("/crm/v8/settings/automation/workflow_rules", params={"module": "Leads"}).json()["workflow_rules"]
    by_name = {r["name"]: r["id"] for r in rules}
    body = {"reorder": {"workflow_rules": [{"id": by_name["A"], "module_specific_sequence": 1}]}}
    assert (
        api.put(
            "/crm/v8/settings/automation/workflow_rules/actions/reorder", params={"module": "Leads"}, json=body
        ).status_code
        == 200
    )
    assert field_of(api, "Leads", add_record(api), "Description") == "second"


def test_actions_the_emulator_keeps_but_does_not_run(api: TestClient, emulator: Emulator) -> None:
    details = {"tags": [{"id": "1", "name": "hot"}], "over_write": False}
    tags = {"type": "add_tags", "name": "Tag hot", "details": details}
    add_rule(api, rule_item(condition(tags)))
    lead = add_record(api)
    (run,) = action_runs(emulator, lead)
    assert run["outcome"] == "not_run" and "add_tags" in run["detail"]


def test_last_executed_time(api: TestClient) -> None:
    rule_id = add_rule(api, rule_item(condition(action("field_updates", add_field_update(api)))))
    assert (
        api.get(f"/crm/v8/settings/automation/workflow_rules/{rule_id}").json()["workflow_rules"][0][
            "last_executed_time"
        ]
        is None
    )
    add_record(api)
    rule = api.get(f"/crm/v8/settings/automation/workflow_rules/{rule_id}").json()["workflow_rules"][0]
    assert rule["last_executed_time"]
