"""The module list is rendered once per change (memo.py), and never served stale: every change to a
module shows in the very next list, in this process and in another worker on the same database."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from zcrm_emulator import create_app
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.modules import repo

pytestmark = pytest.mark.usefixtures("both_backends")

LIST = "/crm/v8/settings/modules"


def labels(client: TestClient, **params: str) -> dict[str, str]:
    response = client.get(LIST, params=params)
    assert response.status_code == 200, response.text
    return {m["api_name"]: m["plural_label"] for m in response.json()["modules"]}


def rename(client: TestClient, api_name: str, label: str) -> None:
    response = client.put(f"{LIST}/{api_name}", json={"modules": [{"plural_label": label}]})
    assert response.status_code == 200, response.text


def test_a_renamed_module_shows_in_the_next_list(api: TestClient) -> None:
    assert labels(api)["Leads"] == "Leads"
    assert labels(api)["Leads"] == "Leads"  # rendered once, served twice
    rename(api, "Leads", "Prospects")
    assert labels(api)["Leads"] == "Prospects"
    assert labels(api, status="visible")["Leads"] == "Prospects"


def test_a_created_module_shows_in_the_next_list(api: TestClient) -> None:
    before = labels(api)
    admin = next(p["id"] for p in api.get("/crm/v8/settings/profiles").json()["profiles"])
    created = api.post(
        LIST, json={"modules": [{"plural_label": "Cars", "singular_label": "Car", "profiles": [{"id": admin}]}]}
    )
    assert created.status_code == 201, created.text
    after = labels(api)
    assert set(after) - set(before) == {"Cars"}


def test_two_saves_in_the_same_millisecond_both_show(api: TestClient, emulator: Emulator) -> None:
    labels(api)
    now = emulator.clock.now_ms()
    with emulator.store.tx() as conn:
        leads = repo.find(conn, emulator.default_org_id, "Leads")
        assert leads is not None
        repo.save_module(conn, leads.id, {**leads.data, "plural_label": "First"}, now)
    assert labels(api)["Leads"] == "First"
    with emulator.store.tx() as conn:
        repo.save_module(conn, leads.id, {**leads.data, "plural_label": "Second"}, now)
    assert labels(api)["Leads"] == "Second"


def test_another_worker_on_the_same_database_sees_the_change(
    api: TestClient, emulator: Emulator, auth: dict[str, Any]
) -> None:
    other = Emulator(emulator.settings)
    try:
        with TestClient(create_app(emulator=other), base_url="http://testserver", headers=auth) as second:
            assert labels(second)["Contacts"] == "Contacts"  # the other worker has rendered it
            rename(api, "Contacts", "People")
            assert labels(second)["Contacts"] == "People"
    finally:
        other.close()
