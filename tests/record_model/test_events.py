"""Record events (events.py): one per record write call, handed to subscribers after the call's
transaction commits, with what changed; nothing for a rolled-back call or a refused item."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.support.console import create_link, open_page, recipient_url
from tests.support.records import admin_id
from zcrm_emulator import record_model
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.events import Cause, RecordChange, RecordEvent

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
def seen(emulator: Emulator) -> Iterator[list[RecordEvent]]:
    events: list[RecordEvent] = []
    unsubscribe = emulator.events.subscribe(events.append)
    yield events
    unsubscribe()


def _created(api: TestClient, *records: dict[str, object], **body: object) -> list[str]:
    response = api.post("/crm/v8/Leads", json={"data": list(records), **body})
    assert response.status_code in (201, 207), response.text
    return [item["details"]["id"] for item in response.json()["data"] if item["status"] == "success"]


def test_an_insert_emits_one_event_with_every_value_set(
    api: TestClient, emulator: Emulator, seen: list[RecordEvent]
) -> None:
    response = api.post(
        "/crm/v8/Leads",
        json={"data": [{"Last_Name": "Ada", "Email": "ada@zylker.example"}, {"Last_Name": "Bo"}], "trigger": []},
    )
    first, second = (item["details"]["id"] for item in response.json()["data"])
    [event] = seen
    admin = admin_id(emulator)
    assert (event.org_id, event.module, event.operation, event.actor) == (
        emulator.default_org_id,
        "Leads",
        "create",
        admin,
    )
    assert event.cause == Cause((), response.headers["x-request-id"])
    assert event.ids == (first, second)
    ada = event.changes[0]
    assert ada.action == "insert"
    assert ada.fields["Last_Name"] == (None, "Ada")
    assert ada.fields["Email"] == (None, "ada@zylker.example")
    assert ada.fields["Owner"] == (None, admin)
    assert ada.fields["Full_Name"] == (None, "Ada")


def test_an_update_lists_only_the_fields_that_changed_with_old_and_new(
    api: TestClient, seen: list[RecordEvent]
) -> None:
    [lead] = _created(api, {"Last_Name": "Ada", "Company": "Zylker"})
    api.put(
        f"/crm/v8/Leads/{lead}", json={"data": [{"Company": "Zylker", "Phone": "555-0100"}], "trigger": ["workflow"]}
    )
    update = seen[-1]
    assert update.operation == "update"
    assert update.cause.trigger == ("workflow",)
    assert [(c.record_id, c.action, c.fields) for c in update.changes] == [
        (lead, "update", {"Phone": (None, "555-0100")})
    ]


def test_an_upsert_says_which_records_were_inserted_and_which_updated(api: TestClient, seen: list[RecordEvent]) -> None:
    [lead] = _created(api, {"Last_Name": "Ada", "Email": "ada@zylker.example"})
    response = api.post(
        "/crm/v8/Leads/upsert",
        json={
            "data": [
                {"Last_Name": "Ada L", "Email": "ada@zylker.example"},
                {"Last_Name": "New", "Email": "n@z.example"},
            ]
        },
    )
    new = response.json()["data"][1]["details"]["id"]
    upsert = seen[-1]
    assert upsert.operation == "upsert"
    assert [(c.record_id, c.action) for c in upsert.changes] == [(lead, "update"), (new, "insert")]
    assert upsert.changes[0].fields["Last_Name"] == ("Ada", "Ada L")


def test_a_delete_names_the_records_it_binned(api: TestClient, seen: list[RecordEvent]) -> None:
    leads = _created(api, {"Last_Name": "A"}, {"Last_Name": "B"})
    api.delete("/crm/v8/Leads", params={"ids": ",".join([*leads, "1234567000000000001"])})
    delete = seen[-1]
    assert delete.operation == "delete"
    assert [(c.record_id, c.action, c.fields) for c in delete.changes] == [(lead, "delete", {}) for lead in leads]


def test_events_come_in_the_order_of_the_writes(api: TestClient, seen: list[RecordEvent]) -> None:
    [lead] = _created(api, {"Last_Name": "A"})
    api.put(f"/crm/v8/Leads/{lead}", json={"data": [{"Company": "Z"}]})
    api.delete(f"/crm/v8/Leads/{lead}")
    assert [e.operation for e in seen] == ["create", "update", "delete"]


def test_a_call_that_writes_nothing_emits_nothing(api: TestClient, seen: list[RecordEvent]) -> None:
    assert api.post("/crm/v8/Leads", json={"data": [{"Company": "no last name"}]}).status_code == 400
    assert api.put("/crm/v8/Leads", json={"data": [{"id": "1234567000000000001", "Company": "x"}]}).status_code == 400
    assert seen == []


def test_only_the_written_items_of_a_mixed_call_are_in_its_event(api: TestClient, seen: list[RecordEvent]) -> None:
    written = _created(api, {"Company": "refused"}, {"Last_Name": "Kept"})
    assert seen[-1].ids == tuple(written)


def test_a_rolled_back_transaction_emits_nothing(emulator: Emulator, seen: list[RecordEvent]) -> None:
    org_id = emulator.default_org_id
    with pytest.raises(RuntimeError), emulator.store.tx(writes=True) as conn:
        meta = record_model.load_module(conn, org_id, "Leads", emulator.clock.now_ms())
        who = record_model.caller(conn, org_id, admin_id(emulator))
        record_model.insert(conn, org_id, who, meta, [{"Last_Name": "Gone"}], now_ms=emulator.clock.now_ms())
        raise RuntimeError("the call failed after writing")
    assert seen == []


def test_a_failing_subscriber_is_logged_and_neither_fails_the_call_nor_the_others(
    api: TestClient, emulator: Emulator, seen: list[RecordEvent], caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: RecordEvent) -> None:
        raise ValueError("subscriber bug")

    emulator.events.subscribe(broken)
    after: list[RecordEvent] = []
    emulator.events.subscribe(after.append)
    with caplog.at_level(logging.ERROR, logger="zcrm_emulator.events"):
        assert api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Ada"}]}).status_code == 201
    assert len(seen) == len(after) == 1
    assert "subscriber bug" in caplog.text


def test_a_restore_brings_records_back_from_the_recycle_bin(
    api: TestClient, emulator: Emulator, seen: list[RecordEvent]
) -> None:
    [lead] = _created(api, {"Last_Name": "Back"})
    api.delete(f"/crm/v8/Leads/{lead}")
    org_id = emulator.default_org_id
    with emulator.store.tx(writes=True) as conn:
        meta = record_model.load_module(conn, org_id, "Leads", emulator.clock.now_ms())
        who = record_model.caller(conn, org_id, admin_id(emulator))
        results = record_model.restore(conn, org_id, who, meta, [lead, "1234567000000000001"])
    assert [r["status"] for r in results] == ["success", "error"]
    assert seen[-1].changes == (RecordChange(lead, "restore"),)
    assert api.get(f"/crm/v8/Leads/{lead}").json()["data"][0]["Last_Name"] == "Back"


def test_unsubscribing_on_the_hosted_page_is_an_update_event(
    api: TestClient, emulator: Emulator, seen: list[RecordEvent]
) -> None:
    [lead] = _created(api, {"Last_Name": "Ada", "Email": "ada@zylker.example"})
    link = create_link(api)
    _, form = open_page(api, recipient_url(api, link, "Leads", lead))
    api.post(f"/unsubscribe/{link}", data=form)
    unsubscribed = seen[-1]
    assert (unsubscribed.operation, unsubscribed.ids) == ("update", (lead,))
    assert unsubscribed.changes[0].fields["Email_Opt_Out"] == (None, True)
