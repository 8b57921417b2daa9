"""What a process keeps between calls is proved current by each call's one admission read
(admission.py): revocation, expiry, metadata, people and automation changes made through another
worker on the same database take effect on that worker's very next call, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.workflow import (
    action,
    add_field_update,
    add_record,
    add_rule,
    advance,
    condition,
    field_of,
    rule_item,
)
from zcrm_emulator import create_app
from zcrm_emulator.delivery import repo as delivery_repo
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store.prepared import Prepared

pytestmark = pytest.mark.usefixtures("both_backends")

LEADS = "/crm/v8/Leads"
FIELDS = "/crm/v8/settings/fields"


@pytest.fixture
def second(emulator: Emulator, auth: dict[str, str]) -> Iterator[TestClient]:
    """Another worker: its own process state (memo, held credits) on the same database."""
    other = Emulator(emulator.settings)
    try:
        with TestClient(create_app(emulator=other), base_url="http://testserver", headers=auth) as client:
            yield client
    finally:
        other.close()


def insert(client: TestClient, **values: Any) -> str:
    response = client.post(LEADS, json={"data": [{"Last_Name": "Lee", **values}]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def add_region(client: TestClient) -> str:
    field = {"field_label": "Region", "data_type": "text"}
    made = client.post(FIELDS, params={"module": "Leads"}, json={"fields": [field]})
    assert made.status_code == 201, made.text
    return str(made.json()["fields"][0]["details"]["id"])


def runs(name: str) -> int:
    return sum(p.runs for p in Prepared.made if p.name == name)


def test_a_record_call_reads_the_store_once_before_its_handler(api: TestClient) -> None:
    lead = insert(api)
    api.get(f"{LEADS}/{lead}")  # the memo now holds Leads and the caller
    before = {name: runs(name) for name in ("admission", "modules: find", "fields: version", "records: people stamp")}
    assert api.get(f"{LEADS}/{lead}").status_code == 200
    after = {name: runs(name) - count for name, count in before.items()}
    assert after == {"admission": 1, "modules: find": 0, "fields: version": 0, "records: people stamp": 0}


def test_a_token_revoked_through_one_worker_is_refused_by_the_other_at_once(
    api: TestClient, second: TestClient, make_token: Any
) -> None:
    token = make_token()
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    assert second.get(LEADS, params={"fields": "Last_Name"}, headers=headers).status_code == 204
    assert api.post("/oauth/v2/token/revoke", params={"token": token}).status_code == 200
    refused = second.get(LEADS, params={"fields": "Last_Name"}, headers=headers)
    assert (refused.status_code, refused.json()["code"]) == (401, "INVALID_TOKEN")


def test_an_expired_token_is_refused_on_the_next_call(api: TestClient) -> None:
    assert api.get(LEADS, params={"fields": "Last_Name"}).status_code == 204
    advance(api, 3601)  # past the token's hour, through the control plane
    refused = api.get(LEADS, params={"fields": "Last_Name"})
    assert (refused.status_code, refused.json()["code"]) == (401, "INVALID_TOKEN")


def test_a_field_created_through_one_worker_is_used_by_the_others_next_write(
    api: TestClient, second: TestClient
) -> None:
    lead = insert(second)  # the second worker has Leads' metadata in its memo
    assert "Region" not in second.get(f"{LEADS}/{lead}").json()["data"][0]
    made = api.post(
        FIELDS, params={"module": "Leads"}, json={"fields": [{"field_label": "Region", "data_type": "text"}]}
    )
    assert made.status_code == 201, made.text
    other = insert(second, Region="North")
    assert second.get(f"{LEADS}/{other}").json()["data"][0]["Region"] == "North"


def test_a_field_deleted_through_one_worker_leaves_the_others_answers(api: TestClient, second: TestClient) -> None:
    made = api.post(
        FIELDS, params={"module": "Leads"}, json={"fields": [{"field_label": "Region", "data_type": "text"}]}
    )
    field_id = made.json()["fields"][0]["details"]["id"]
    lead = insert(second, Region="North")
    assert second.get(f"{LEADS}/{lead}").json()["data"][0]["Region"] == "North"
    assert api.delete(f"{FIELDS}/{field_id}", params={"module": "Leads"}).status_code == 200
    assert "Region" not in second.get(f"{LEADS}/{lead}").json()["data"][0]


def test_a_permission_turned_off_through_one_worker_refuses_the_others_next_call(
    api: TestClient, second: TestClient
) -> None:
    profiles = api.get("/crm/v8/settings/profiles").json()["profiles"]
    admin = next(p for p in profiles if p["name"] == "Administrator")
    assert second.get(LEADS, params={"fields": "Last_Name"}).status_code == 204
    # An administrator passes every module permission; taking the profile away from the user is
    # the people change to see: the user is moved to Standard with Leads viewing off.
    standard = next(p for p in profiles if p["name"] == "Standard")
    detail = api.get(f"/crm/v8/settings/profiles/{standard['id']}").json()["profiles"][0]
    view = next(p for p in detail["permissions_details"] if p["name"] == "Crm_Implied_View_Leads")
    off = {"permissions_details": [{"id": view["id"], "enabled": False}]}
    assert api.put(f"/crm/v8/settings/profiles/{standard['id']}", json={"profiles": [off]}).status_code == 200
    me = api.get("/crm/v8/users", params={"type": "CurrentUser"}).json()["users"][0]
    moved = api.put(f"/crm/v8/users/{me['id']}", json={"users": [{"profile": standard["id"]}]})
    if moved.status_code != 200:  # the org's only administrator keeps the profile: nothing to see here
        pytest.skip(f"the only admin cannot leave the Administrator profile: {moved.text}")
    refused = second.get(LEADS, params={"fields": "Last_Name"})
    assert (refused.status_code, refused.json()["code"]) == (403, "NO_PERMISSION")
    assert admin["id"] != standard["id"]


def test_a_rule_created_through_one_worker_runs_on_the_others_next_insert(api: TestClient, second: TestClient) -> None:
    insert(second)  # no rule yet: the second worker's insert needs no automation lookup
    add_rule(api, rule_item(condition(action("field_updates", add_field_update(api)))))
    lead = add_record(second)
    assert field_of(second, "Leads", lead, "Rating") == "Active"


def test_a_watch_enabled_through_one_worker_is_called_back_on_the_others_next_insert(
    api: TestClient, second: TestClient, emulator: Emulator
) -> None:
    insert(second)
    watch = {"channel_id": "1000000068001", "events": ["Leads.create"], "notify_url": "http://127.0.0.1:9/callback"}
    assert api.post("/crm/v8/actions/watch", json={"watch": [watch]}).status_code == 201
    insert(second)
    with emulator.store.tx() as conn:
        callbacks = delivery_repo.list_deliveries(conn, None, source="watch", status=None, limit=10, offset=0)
    assert len(callbacks) == 1
