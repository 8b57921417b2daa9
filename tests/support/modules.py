"""Helpers for the custom-module, custom-link and unsubscribe-link tests."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import insert, select
from starlette.testclient import TestClient

from zcrm_emulator import ids
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import modules, profiles


def profile_ids(emulator: Emulator) -> dict[str, str]:
    """The fresh org's profiles by name (Administrator, Standard)."""
    with emulator.store.tx() as conn:
        return {p["name"]: p["id"] for p in documents.list_data(conn, profiles, emulator.default_org_id)}


def set_edition(client: TestClient, emulator: Emulator, edition: str) -> None:
    response = client.put(f"/_emulator/orgs/{emulator.default_org_id}/edition", json={"edition": edition})
    assert response.status_code == 200, response.text


def module_item(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    """A valid custom-module create item ("Stocks"), with keys replaced or (value None) removed."""
    item: dict[str, Any] = {
        "plural_label": "Stocks",
        "singular_label": "Stock",
        "profiles": [{"id": profile_ids(emulator)["Administrator"]}],
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def create_module(api: TestClient, item: dict[str, Any], version: str = "v8") -> httpx.Response:
    return api.post(f"/crm/{version}/settings/modules", json={"modules": [item]})


def created_id(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    return str(response.json()["modules"][0]["details"]["id"])


def only_result(response: httpx.Response, envelope: str) -> dict[str, Any]:
    body = response.json()
    assert list(body) == [envelope], body
    assert len(body[envelope]) == 1
    return dict(body[envelope][0])


def fill_custom_modules(emulator: Emulator, count: int) -> None:
    """``count`` bare custom-module rows (enough for the edition limits, which count modules)."""
    org_id = emulator.default_org_id
    now = emulator.clock.now_ms()
    with emulator.store.tx() as conn:
        start = conn.execute(select(modules.c.sequence).order_by(modules.c.sequence.desc()).limit(1)).scalar_one()
        new_ids = ids.allocate(conn, org_id, count)
        rows = [
            {
                "id": module_id,
                "org_id": org_id,
                "api_name": f"Filler{n}",
                "generated_type": "custom",
                "sequence": start + n,
                "scope_name": "custom",
                "modified_ms": now,
                "data": {
                    "id": module_id,
                    "api_name": f"Filler{n}",
                    "plural_label": f"Filler{n}",
                    "singular_label": f"Filler{n}",
                    "module_name": f"CustomModule{n}",
                    "generated_type": "custom",
                },
            }
            for n, module_id in enumerate(new_ids, 1)
        ]
        conn.execute(insert(modules), rows)
