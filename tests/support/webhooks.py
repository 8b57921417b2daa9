"""Webhooks for tests: a valid create item, creating one over HTTP, and firing one for a record."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.testclient import TestClient

from zcrm_emulator import record_model
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.webhooks import service

WEBHOOKS = "/crm/v8/settings/automation/webhooks"


def webhook_item(**overrides: Any) -> dict[str, Any]:
    """A valid POST webhook on Leads (Zoho's own sample, shortened), with keys replaced or (value
    None) removed."""
    item: dict[str, Any] = {
        "name": "Lead sync",
        "module": {"api_name": "Leads"},
        "url": "https://hooks.zylker.example/leads",
        "http_method": "POST",
        "authentication": {"type": "general"},
        "feature_type": "workflow",
        "headers": {
            "module_parameters": [{"name": "lead_email", "value": "${!Leads.Email}"}],
            "custom_parameters": [{"name": "source", "value": "website"}],
        },
        "body": {"type": "raw", "format": "JSON", "raw_data_content": '{"id": "${!Leads.Id}"}'},
    }
    item.update(overrides)
    return {key: value for key, value in item.items() if value is not None}


def post_webhook(api: TestClient, item: Any) -> httpx.Response:
    return api.post(WEBHOOKS, json={"webhooks": [item]})


def create_webhook(api: TestClient, **overrides: Any) -> str:
    response = post_webhook(api, webhook_item(**overrides))
    assert response.status_code == 201, response.text
    return str(response.json()["webhooks"][0]["details"]["id"])


def create_lead(api: TestClient, **values: Any) -> str:
    response = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Lovelace", **values}]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def fire(
    emulator: Emulator, webhook_id: str, record_id: str, module: str = "Leads", rule: dict[str, str] | None = None
) -> str:
    """Fire a webhook for a record as a workflow rule does: store it, commit, then kick the sender."""
    org_id = emulator.default_org_id
    with emulator.store.tx(writes=True) as conn:
        meta = record_model.load_module(conn, org_id, module, emulator.clock.now_ms())
        row = record_model.get_records(conn, meta.id, [record_id])[record_id]
        delivery_id = service.fire(conn, emulator, org_id, webhook_id, meta, row, rule=rule)
    emulator.deliveries.kick()
    return delivery_id
