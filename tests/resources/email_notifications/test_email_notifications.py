"""/settings/automation/email_notifications: opaque notifications rules associate (AUTOMATION.md §4)."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.support.workflow import (
    EMAIL_NOTIFICATIONS,
    action,
    add_email_notification,
    add_rule,
    condition,
    rule_item,
)


def test_create_keeps_every_key_and_reads_back(api: TestClient) -> None:
    body = {"name": "Tell", "module": {"api_name": "Leads"}, "template": {"id": "77"}, "to": ["owner"]}
    response = api.post(EMAIL_NOTIFICATIONS, json={"email_notifications": [body]})
    assert response.status_code == 201
    (result,) = response.json()["email_notifications"]
    assert result["message"] == "email notification created successfully"
    found = api.get(f"{EMAIL_NOTIFICATIONS}/{result['details']['id']}").json()["email_notifications"][0]
    assert found["template"] == {"id": "77"} and found["to"] == ["owner"]
    assert found["module"]["api_name"] == "Leads" and found["associated"] is False and found["created_by"]["id"]
    assert [n["id"] for n in api.get(EMAIL_NOTIFICATIONS).json()["email_notifications"]] == [found["id"]]


def test_rules_of_the_keys(api: TestClient) -> None:
    missing = api.post(EMAIL_NOTIFICATIONS, json={"email_notifications": [{"module": {"api_name": "Leads"}}]})
    assert missing.status_code == 400
    assert missing.json()["email_notifications"][0]["code"] == "MANDATORY_NOT_FOUND"
    unknown = api.post(EMAIL_NOTIFICATIONS, json={"email_notifications": [{"name": "x", "module": {"api_name": "N"}}]})
    assert unknown.json()["email_notifications"][0]["message"] == "the module name given seems to be invalid"
    two = api.post(EMAIL_NOTIFICATIONS, json={"email_notifications": [{"name": "a"}, {"name": "b"}]})
    assert two.status_code == 400 and two.json()["details"]["maximum_length"] == 1


def test_delete_and_its_refusal_while_a_rule_uses_it(api: TestClient) -> None:
    used, free = add_email_notification(api), add_email_notification(api, name="Other")
    add_rule(api, rule_item(condition(action("email_notifications", used))))
    refused = api.delete(f"{EMAIL_NOTIFICATIONS}/{used}")
    assert refused.status_code == 400 and refused.json()["code"] == "NOT_ALLOWED"
    gone = api.delete(EMAIL_NOTIFICATIONS, params={"ids": free})
    assert gone.status_code == 200
    assert gone.json()["email_notifications"][0]["message"] == "email notification deleted successfully"
    assert api.get(f"{EMAIL_NOTIFICATIONS}/{free}").status_code == 204
