"""Helpers for the workflow tests (tests/resources/workflow_rules, field_updates, automation_tasks,
email_notifications and tests/automation): saved actions and rules made over HTTP, records written
and read back, and the run log."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.testclient import TestClient

from zcrm_emulator.automation import repo as runs_repo
from zcrm_emulator.emulator import Emulator

AUTOMATION = "/crm/v8/settings/automation"
RULES = f"{AUTOMATION}/workflow_rules"
FIELD_UPDATES = f"{AUTOMATION}/field_updates"
TASKS = f"{AUTOMATION}/tasks"
EMAIL_NOTIFICATIONS = f"{AUTOMATION}/email_notifications"


def created_id(response: httpx.Response, envelope: str) -> str:
    assert response.status_code == 201, response.text
    return str(response.json()[envelope][0]["details"]["id"])


def field_update_item(**overrides: Any) -> dict[str, Any]:
    """Sets a lead's Rating to "Active" unless told otherwise (``None`` removes a key)."""
    item: dict[str, Any] = {
        "name": "Rate it",
        "module": {"api_name": "Leads"},
        "field": {"api_name": "Rating"},
        "value": "Active",
        "type": "static",
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None or k == "value"}


def add_field_update(api: TestClient, **overrides: Any) -> str:
    response = api.post(FIELD_UPDATES, json={"field_updates": [field_update_item(**overrides)]})
    return created_id(response, "field_updates")


def task_item(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "name": "Follow up",
        "module": {"api_name": "Leads"},
        "field_mappings": [
            {"field": {"api_name": "Subject"}, "type": "merge_field", "value": "Call ${!Leads.Last_Name}"},
            {
                "field": {"api_name": "Due_Date"},
                "type": "execution_time",
                "value": {"period": "days", "unit": "2", "sign": "plus", "trigger_field": "${CURRENTTIME}"},
            },
            {"field": {"api_name": "Priority"}, "type": "static", "value": "High"},
        ],
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def add_task(api: TestClient, **overrides: Any) -> str:
    return created_id(api.post(TASKS, json={"tasks": [task_item(**overrides)]}), "tasks")


def add_email_notification(api: TestClient, module: str = "Leads", name: str = "Tell sales") -> str:
    body = {"email_notifications": [{"name": name, "module": {"api_name": module}, "template": {"id": "1"}}]}
    return created_id(api.post(EMAIL_NOTIFICATIONS, json=body), "email_notifications")


def action(kind: str, action_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "id": action_id, **extra}


def condition(
    *actions: dict[str, Any],
    criteria: dict[str, Any] | None = None,
    sequence: int = 1,
    scheduled: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    found: dict[str, Any] = {"sequence_number": sequence, "criteria_details": {"criteria": criteria}}
    if actions:
        found["instant_actions"] = {"actions": list(actions)}
    if scheduled is not None:
        found["scheduled_actions"] = scheduled
    return found


def leaf(field: str, comparator: str, value: Any) -> dict[str, Any]:
    return {"field": {"api_name": field}, "comparator": comparator, "value": value}


def rule_item(
    *conditions: dict[str, Any],
    trigger: str = "create",
    details: dict[str, Any] | None = None,
    module: str = "Leads",
    name: str = "Hot leads",
    **overrides: Any,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "name": name,
        "module": {"api_name": module},
        "execute_when": {"type": trigger, "details": details or {}},
        "conditions": list(conditions),
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def post_rule(api: TestClient, item: dict[str, Any]) -> httpx.Response:
    return api.post(RULES, json={"workflow_rules": [item]})


def add_rule(api: TestClient, item: dict[str, Any]) -> str:
    return created_id(post_rule(api, item), "workflow_rules")


def rule_error(response: httpx.Response) -> dict[str, Any]:
    """The one per-item error of a rule write."""
    assert response.status_code == 400, response.text
    errors = response.json()["workflow_rules"]
    assert len(errors) == 1 and errors[0]["status"] == "error", errors
    return dict(errors[0])


def add_record(api: TestClient, module: str = "Leads", trigger: list[str] | None = None, **values: Any) -> str:
    body: dict[str, Any] = {"data": [{"Last_Name": "Smith", **values} if module in ("Leads", "Contacts") else values]}
    if trigger is not None:
        body["trigger"] = trigger
    response = api.post(f"/crm/v8/{module}", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def update_record(
    api: TestClient, module: str, record_id: str, trigger: list[str] | None = None, **values: Any
) -> None:
    body: dict[str, Any] = {"data": [{"id": record_id, **values}]}
    if trigger is not None:
        body["trigger"] = trigger
    response = api.put(f"/crm/v8/{module}", json=body)
    assert response.status_code == 200, response.text


def field_of(api: TestClient, module: str, record_id: str, field: str) -> Any:
    response = api.get(f"/crm/v8/{module}/{record_id}", params={"fields": field})
    assert response.status_code == 200, response.text
    return response.json()["data"][0].get(field)


def tasks_of(api: TestClient, record_id: str) -> list[dict[str, Any]]:
    """The Tasks records linked to a record (through What_Id or Who_Id)."""
    response = api.get("/crm/v8/Tasks", params={"fields": "Subject,Due_Date,Priority,What_Id,Who_Id,Owner"})
    if response.status_code == 204:
        return []
    linked = []
    for found in response.json()["data"]:
        for link in ("What_Id", "Who_Id"):
            if (found.get(link) or {}).get("id") == record_id:
                linked.append(found)
    return linked


def action_runs(emulator: Emulator, record_id: str | None = None) -> list[dict[str, Any]]:
    with emulator.store.tx() as conn:
        return runs_repo.action_runs(conn, emulator.default_org_id, record_id)


def advance(client: TestClient, seconds: float) -> None:
    response = client.post("/_emulator/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text
