"""A rule's webhook action, end to end: a webhook and a rule made over HTTP, a lead written over
HTTP, and the webhook's request arriving at a real receiver on loopback (sync deliveries); the
webhooks package refusing to delete a webhook an active rule uses (``webhook_in_use``)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.support.receiver import Receiver, receiver
from tests.support.webhooks import WEBHOOKS, create_webhook
from tests.support.workflow import (
    RULES,
    action,
    action_runs,
    add_field_update,
    add_record,
    add_rule,
    advance,
    condition,
    leaf,
    post_rule,
    rule_error,
    rule_item,
)
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.workflow_rules.service import webhook_in_use

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, public_url="http://testserver", deliveries="sync")


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        yield box


def webhook_to(api: TestClient, hook: Receiver) -> str:
    body = {"type": "raw", "format": "JSON", "raw_data_content": '{"id": "${!Leads.Id}", "rating": "${!Leads.Rating}"}'}
    return create_webhook(api, url=hook.url + "lead", body=body)


def test_a_create_rule_fires_its_webhook_after_its_field_updates(
    api: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    webhook_id = webhook_to(api, hook)
    update = add_field_update(api)
    add_rule(api, rule_item(condition(action("webhooks", webhook_id), action("field_updates", update))))
    lead = add_record(api, Company="Zylker")
    (got,) = hook.wait_for(1)
    assert got.method == "POST" and got.path == "/lead"
    assert json.loads(got.body) == {"id": lead, "rating": "Active"}  # the field update ran first
    (delivery,) = api.get("/_emulator/deliveries", params={"source": "webhook"}).json()["deliveries"]
    assert delivery["status"] == "delivered" and delivery["context"]["workflow_rule"]["name"] == "Hot leads"
    assert {r["action_type"]: r["outcome"] for r in action_runs(emulator, lead)} == {
        "field_updates": "success",
        "webhooks": "success",
    }


def test_no_webhook_for_a_call_that_runs_no_workflow(api: TestClient, hook: Receiver) -> None:
    add_rule(api, rule_item(condition(action("webhooks", webhook_to(api, hook)))))
    add_record(api, trigger=[])
    add_record(api, trigger=["approval"])
    assert hook.received == []


def test_a_scheduled_webhook_fires_after_the_clock_advance(api: TestClient, hook: Receiver) -> None:
    webhook_id = webhook_to(api, hook)
    update = add_field_update(api)
    later = [{"execute_after": {"period": "minutes", "unit": 15}, "actions": [action("webhooks", webhook_id)]}]
    add_rule(
        api,
        rule_item(
            condition(action("field_updates", update), criteria=leaf("Company", "equal", "Zylker"), scheduled=later)
        ),
    )
    add_record(api, Company="Zylker")
    assert hook.received == []
    advance(api, 14 * 60)
    assert hook.received == []
    advance(api, 2 * 60)
    assert len(hook.wait_for(1)) == 1


def test_rules_associate_only_webhooks_of_their_module(api: TestClient, hook: Receiver) -> None:
    plain = {"module_parameters": [], "custom_parameters": []}
    body = {"type": "raw", "format": "JSON", "raw_data_content": '{"id": "${!Contacts.Id}"}'}
    contacts_hook = create_webhook(api, module={"api_name": "Contacts"}, url=hook.url, headers=plain, body=body)
    error = rule_error(post_rule(api, rule_item(condition(action("webhooks", contacts_hook)))))
    assert error["message"] == "action not supported for this module"
    unknown = rule_error(post_rule(api, rule_item(condition(action("webhooks", "777")))))
    assert unknown["message"] == "the id given seems to be invalid"


def test_one_webhook_per_rule(api: TestClient, hook: Receiver) -> None:
    first, second = webhook_to(api, hook), create_webhook(api, name="Second", url=hook.url)
    a, b = (leaf("Company", "equal", name) for name in ("a", "b"))
    two = rule_item(
        condition(action("webhooks", first), criteria=a), condition(action("webhooks", second), criteria=b, sequence=2)
    )
    error = rule_error(post_rule(api, two))
    assert error["code"] == "LIMIT_EXCEEDED" and error["details"]["limit"] == 1


def test_a_webhook_an_active_rule_uses_stays(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    webhook_id = webhook_to(api, hook)
    rule_id = add_rule(api, rule_item(condition(action("webhooks", webhook_id))))
    with emulator.store.tx() as conn:
        assert webhook_in_use(conn, emulator.default_org_id, webhook_id)
    refused = api.delete(f"{WEBHOOKS}/{webhook_id}")
    assert refused.status_code == 400 and refused.json()["code"] == "NOT_ALLOWED"
    api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [{"status": {"active": False}}]})
    with emulator.store.tx() as conn:
        assert not webhook_in_use(conn, emulator.default_org_id, webhook_id)
    assert api.delete(f"{WEBHOOKS}/{webhook_id}").status_code == 200
