"""Scheduled actions and date-based rules run when the emulator clock reaches their time: after
``POST /_emulator/clock/advance`` and from the app's background task (automation/scheduler.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.workflow import (
    RULES,
    action,
    action_runs,
    add_email_notification,
    add_field_update,
    add_record,
    add_rule,
    advance,
    condition,
    field_of,
    leaf,
    rule_item,
    update_record,
)
from zcrm_emulator.automation import repo as runs_repo
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store import state as state_repo

pytestmark = pytest.mark.usefixtures("both_backends")


def later(minutes: int, *actions: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"execute_after": {"period": "minutes", "unit": minutes}, "actions": list(actions)}]


def statuses(emulator: Emulator) -> list[str]:
    with emulator.store.tx() as conn:
        return [entry["status"] for entry in runs_repo.entries(conn, emulator.default_org_id)]


def test_a_scheduled_action_fires_only_once_the_clock_passes_its_time(api: TestClient, emulator: Emulator) -> None:
    update = add_field_update(api)
    notification = add_email_notification(api)
    add_rule(
        api,
        rule_item(
            condition(action("email_notifications", notification), scheduled=later(30, action("field_updates", update)))
        ),
    )
    lead = add_record(api)
    assert field_of(api, "Leads", lead, "Rating") is None
    advance(api, 29 * 60)
    assert field_of(api, "Leads", lead, "Rating") is None
    advance(api, 61)
    assert field_of(api, "Leads", lead, "Rating") == "Active"
    runs = action_runs(emulator, lead)
    assert [(r["action_type"], r["group_id"] is not None) for r in runs] == [
        ("email_notifications", False),
        ("field_updates", True),
    ]
    advance(api, 3600 - 30 * 60 - 120)
    assert len(action_runs(emulator, lead)) == 2  # ran once


def test_an_entry_is_cancelled_when_the_record_no_longer_meets_the_condition(
    api: TestClient, emulator: Emulator
) -> None:
    update = add_field_update(api)
    notification = add_email_notification(api)
    zylker = leaf("Company", "equal", "Zylker")
    add_rule(
        api,
        rule_item(
            condition(
                action("email_notifications", notification),
                criteria=zylker,
                scheduled=later(10, action("field_updates", update)),
            )
        ),
    )
    lead = add_record(api, Company="Zylker")
    update_record(api, "Leads", lead, Company="Acme")
    advance(api, 11 * 60)
    assert field_of(api, "Leads", lead, "Rating") is None
    assert statuses(emulator) == ["cancelled"]


def test_a_deleted_record_cancels_its_entries(api: TestClient, emulator: Emulator) -> None:
    notification = add_email_notification(api)
    send = action("email_notifications", notification)
    add_rule(api, rule_item(condition(send, scheduled=later(10, send))))
    lead = add_record(api)
    api.delete("/crm/v8/Leads", params={"ids": lead})
    advance(api, 11 * 60)
    assert len(action_runs(emulator, lead)) == 1  # only the instant one


def test_switching_a_rule_off_with_delete_schedule_action_drops_its_entries(
    api: TestClient, emulator: Emulator
) -> None:
    notification = add_email_notification(api)
    send = action("email_notifications", notification)
    rule_id = add_rule(api, rule_item(condition(send, scheduled=later(10, send))))
    lead = add_record(api)
    off = {"status": {"active": False, "delete_schedule_action": True}}
    assert api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [off]}).status_code == 200
    advance(api, 11 * 60)
    assert len(action_runs(emulator, lead)) == 1


def test_the_usage_report_counts_queued_and_run_actions(api: TestClient) -> None:
    notification = add_email_notification(api)
    send = action("email_notifications", notification)
    rule_id = add_rule(api, rule_item(condition(send, scheduled=later(10, send))))
    add_record(api)
    today = datetime.now(UTC).date()
    window = {"executed_from": str(today - timedelta(days=2)), "executed_till": str(today + timedelta(days=2))}
    (report,) = api.get(f"{RULES}/{rule_id}/actions/usage", params=window).json()["workflow_rules"]
    (used,) = report["conditions"]
    assert report["trigger_count"] == 1 and used["usage_count"] == 1
    assert used["instant_actions"]["actions"][0]["success_count"] == 1
    assert used["scheduled_actions"][0]["actions"][0]["queue_count"] == 1


def test_date_based_rules_fire_at_the_date(
    api: TestClient, emulator: Emulator, make_token: TokenFactory, client: TestClient
) -> None:
    update = add_field_update(
        api, name="Birthday", module={"api_name": "Contacts"}, field={"api_name": "Description"}, value="Happy birthday"
    )
    details = {
        "field": {"api_name": "Date_of_Birth"},
        "period": "days",
        "unit": 0,
        "execute_at": "09:00",
        "recur_cycle": "once",
    }
    add_rule(
        api,
        rule_item(
            condition(action("field_updates", update)), module="Contacts", trigger="date_or_datetime", details=details
        ),
    )
    tomorrow = (datetime.fromtimestamp(emulator.clock.now_ms() / 1000, UTC) + timedelta(days=2)).date().isoformat()
    contact = add_record(api, "Contacts", Date_of_Birth=tomorrow)
    past = add_record(api, "Contacts", Date_of_Birth="2000-01-01")
    assert field_of(api, "Contacts", contact, "Description") is None
    advance(client, 3 * 24 * 3600)
    fresh = {"Authorization": f"Zoho-oauthtoken {make_token()}"}
    client.headers.update(fresh)
    assert field_of(client, "Contacts", contact, "Description") == "Happy birthday"
    assert field_of(client, "Contacts", past, "Description") is None  # its date had passed


def test_changing_the_date_moves_the_entry(api: TestClient, emulator: Emulator) -> None:
    notification = add_email_notification(api, module="Contacts")
    details = {"field": {"api_name": "Date_of_Birth"}, "period": "days", "unit": 1}
    add_rule(
        api,
        rule_item(
            condition(action("email_notifications", notification)),
            module="Contacts",
            trigger="date_or_datetime",
            details=details,
        ),
    )
    contact = add_record(api, "Contacts", Date_of_Birth="2999-01-01")
    update_record(api, "Contacts", contact, Date_of_Birth="2999-02-01")
    assert statuses(emulator) == ["cancelled", "pending"]


def test_the_background_task_runs_what_came_due(api: TestClient, emulator: Emulator) -> None:
    update = add_field_update(api)
    notification = add_email_notification(api)
    add_rule(
        api,
        rule_item(
            condition(action("email_notifications", notification), scheduled=later(10, action("field_updates", update)))
        ),
    )
    lead = add_record(api)
    with emulator.store.tx(writes=True) as conn:  # as another worker's advance: no listener here runs
        offset = int(state_repo.get(conn, state_repo.CLOCK_OFFSET) or 0)
        state_repo.put(conn, state_repo.CLOCK_OFFSET, str(offset + 11 * 60 * 1000))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(r["group_id"] for r in action_runs(emulator, lead)):
        time.sleep(0.1)
    assert any(r["action_type"] == "field_updates" for r in action_runs(emulator, lead))
