"""What the watch tests share: the path, a channel item, calls and result readers."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.testclient import TestClient

WATCH = "/crm/v8/actions/watch"
OAS = "notifications.json"
CHANNEL_ID = "1000000068001"
NOTIFY_URL = "https://hooks.zylker.example/watch?key1=val1&key2=val2"


def channel(**overrides: Any) -> dict[str, Any]:
    """Zoho's enable sample (one channel on every Leads event), keys replaced or (None) removed."""
    item: dict[str, Any] = {
        "channel_id": CHANNEL_ID,
        "events": ["Leads.all"],
        "notify_url": NOTIFY_URL,
        "token": "TOKEN_FOR_VERIFICATION_OF_1000000068001",
    }
    item.update(overrides)
    return {key: value for key, value in item.items() if value is not None}


def enable(api: TestClient, *items: dict[str, Any], version: str = "v8") -> httpx.Response:
    return api.post(f"/crm/{version}/actions/watch", json={"watch": list(items)})


def results(response: httpx.Response) -> list[dict[str, Any]]:
    body = response.json()
    assert list(body) == ["watch"], body
    return list(body["watch"])


def only(response: httpx.Response) -> dict[str, Any]:
    [item] = results(response)
    return item


def rows(api: TestClient, **query: Any) -> list[dict[str, Any]]:
    """The GET rows (none for a 204)."""
    response = api.get(WATCH, params=query)
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.text
    return list(response.json()["watch"])
