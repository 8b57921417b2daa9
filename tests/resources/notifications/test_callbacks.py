"""Watch callbacks to a real receiver on loopback: after each committed record write, every live
channel watching the module gets exactly Zoho's callback JSON (AUTOMATION.md §5.2), one per write
call and action with all its ids, filtered by field conditions; expired or disabled channels and
rolled-back writes get nothing. Sync deliveries (conftest) make the arrival deterministic; one test
goes through the background sender and ``POST /_emulator/deliveries/flush``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.resources.notifications.conftest import WATCH_SCOPES
from tests.resources.notifications.support import CHANNEL_ID, channel, enable
from tests.support.people import add_person
from tests.support.receiver import Received, Receiver
from tests.support.records import admin_id, module_id
from zcrm_emulator import create_app
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.events import NO_CAUSE, RecordChange, RecordEvent

pytestmark = pytest.mark.usefixtures("both_backends")

LEADS = "/crm/v8/Leads"
TOKEN = "TOKEN_FOR_VERIFICATION_OF_1000000068001"


def watch(api: TestClient, hook: Receiver, **overrides: Any) -> None:
    item = channel(notify_url=hook.url + "callback?key1=val1&key2=val2", **overrides)
    response = enable(api, item)
    assert response.status_code == 201, response.text


def insert(api: TestClient, *records: dict[str, Any], **extra: Any) -> list[str]:
    response = api.post(LEADS, json={"data": list(records), **extra})
    assert response.status_code in (201, 207), response.text
    return [item["details"]["id"] for item in response.json()["data"] if item["status"] == "success"]


def lead(name: str = "Ada", **fields: Any) -> dict[str, Any]:
    return {"Last_Name": name, "Company": "Zylker", **fields}


def update(api: TestClient, *records: dict[str, Any]) -> None:
    response = api.put(LEADS, json={"data": list(records)})
    assert response.status_code in (200, 207), response.text


def received_json(request: Received) -> dict[str, Any]:
    body = json.loads(request.body)
    assert isinstance(body, dict)
    return body


def bodies(hook: Receiver) -> list[dict[str, Any]]:
    return [received_json(request) for request in hook.received]


def expected(operation: str, ids: list[str], affected: list[Any], **extra: Any) -> dict[str, Any]:
    """Zoho's callback for this test's channel (server_time compared apart)."""
    return {
        "query_params": {"key1": "val1", "key2": "val2"},
        "module": "Leads",
        "resource_uri": "http://testserver/crm/v2/Leads",
        "ids": ids,
        "affected_fields": affected,
        "operation": operation,
        "channel_id": CHANNEL_ID,
        "token": TOKEN,
        **extra,
    }


def without_time(body: dict[str, Any]) -> dict[str, Any]:
    """The body without ``server_time`` (checked to be an integer), each record's affected fields
    sorted: their order is not part of the contract."""
    assert isinstance(body["server_time"], int)
    shown = {key: value for key, value in body.items() if key != "server_time"}
    shown["affected_fields"] = [
        {rid: sorted(names) for rid, names in entry.items()} for entry in body["affected_fields"]
    ]
    return shown


def test_an_insert_posts_zohos_callback_json(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    watch(api, hook)
    before = emulator.clock.now_ms()
    [record_id] = insert(api, lead())
    [request] = hook.received
    assert (request.method, request.path) == ("POST", "/callback?key1=val1&key2=val2")
    assert request.header("Content-Type") == "application/json"
    body = received_json(request)
    assert before <= body["server_time"] <= emulator.clock.now_ms()
    assert without_time(body) == expected("insert", [record_id], [])


def test_an_update_names_each_records_changed_fields(api: TestClient, hook: Receiver) -> None:
    watch(api, hook, events=["Leads.edit"])
    first, second = insert(api, lead("Ada"), lead("Grace"))
    update(api, {"id": first, "Mobile": "123456789"}, {"id": second, "Company": "Initech", "Phone": "555"})
    [body] = bodies(hook)
    affected = [{first: ["Mobile"]}, {second: ["Company", "Phone"]}]  # sorted
    assert without_time(body) == expected("update", [first, second], affected)


def test_affected_values_come_only_when_the_channel_asks(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    watch(api, hook, events=["Leads.edit", "Leads.delete"], return_affected_field_values=True)
    [record_id] = insert(api, lead())
    rep = add_person(emulator, "rep@zylker.example", first_name="Rita", last_name="Rep")
    update(api, {"id": record_id, "Mobile": "123456789", "Owner": {"id": rep["id"]}})
    assert api.delete(LEADS, params={"ids": record_id}).status_code == 200
    edit, removal = bodies(hook)
    rita = {"name": "Rita Rep", "id": rep["id"], "email": "rep@zylker.example"}
    assert without_time(edit) == expected(
        "update",
        [record_id],
        [{record_id: ["Mobile", "Owner"]}],
        affected_values=[{"record_id": record_id, "values": {"Mobile": "123456789", "Owner": rita}}],
    )
    admin = {"name": "Zylker Admin", "id": admin_id(emulator), "email": "admin@zylker.example"}
    assert without_time(removal) == expected(
        "delete",
        [record_id],
        [{record_id: ["Modified_By", "Record_Status__s"]}],
        affected_values=[{"record_id": record_id, "values": {"Modified_By": admin, "Record_Status__s": 0}}],
    )


def test_an_insert_with_values_asked_carries_an_empty_list(api: TestClient, hook: Receiver) -> None:
    watch(api, hook, return_affected_field_values=True)
    [record_id] = insert(api, lead())
    assert without_time(bodies(hook)[0]) == expected("insert", [record_id], [], affected_values=[])


def test_a_delete_without_values(api: TestClient, hook: Receiver) -> None:
    watch(api, hook, events=["Leads.delete"], token=None)
    ids = insert(api, lead("Ada"), lead("Grace"))
    assert api.delete(LEADS, params={"ids": ",".join(ids)}).status_code == 200
    [body] = bodies(hook)
    affected = [{record_id: ["Modified_By", "Record_Status__s"]} for record_id in ids]
    assert without_time(body) == expected("delete", ids, affected, token=None)


def test_one_call_of_many_records_is_one_callback_with_every_id(api: TestClient, hook: Receiver) -> None:
    watch(api, hook, events=["Leads.create"])
    ids = insert(api, *(lead(f"R{n}") for n in range(25)))
    [body] = bodies(hook)
    assert body["ids"] == ids


def test_an_upsert_calls_back_its_inserts_and_its_updates_apart(api: TestClient, hook: Receiver) -> None:
    watch(api, hook)
    [existing] = insert(api, lead("Ada", Email="ada@zylker.example"))
    hook.received.clear()
    response = api.post(
        f"{LEADS}/upsert",
        json={"data": [lead("Ada", Email="ada@zylker.example", Mobile="1"), lead("Grace", Email="g@zylker.example")]},
    )
    assert response.status_code == 200, response.text
    created = response.json()["data"][1]["details"]["id"]
    updated, inserted = sorted(bodies(hook), key=lambda body: str(body["operation"]), reverse=True)
    assert (inserted["operation"], inserted["ids"]) == ("insert", [created])
    assert (updated["operation"], updated["ids"], updated["affected_fields"]) == (
        "update",
        [existing],
        [{existing: ["Mobile"]}],
    )


def test_only_the_subscribed_events_are_called_back(api: TestClient, hook: Receiver) -> None:
    watch(api, hook, events=["Leads.create"])
    [record_id] = insert(api, lead())
    update(api, {"id": record_id, "Mobile": "1"})
    assert api.delete(LEADS, params={"ids": record_id}).status_code == 200
    assert [body["operation"] for body in bodies(hook)] == ["insert"]


def selection(operator: str, *names: str) -> dict[str, Any]:
    return {"group_operator": operator, "group": [{"field": {"api_name": name}} for name in names]}


def conditional(selected: dict[str, Any]) -> dict[str, Any]:
    return {"type": "field_selection", "module": {"api_name": "Leads"}, "field_selection": selected}


@pytest.mark.parametrize(
    ("selected", "changes", "notified"),
    [
        (selection("or", "Mobile", "Phone"), {"Phone": "5"}, True),
        (selection("or", "Mobile", "Phone"), {"Company": "Initech"}, False),
        (selection("and", "Mobile", "Phone"), {"Phone": "5"}, False),
        (selection("and", "Mobile", "Phone"), {"Phone": "5", "Mobile": "6"}, True),
        ({"field": {"api_name": "Company"}}, {"Company": "Initech"}, True),
        (
            {
                "group_operator": "and",
                "group": [{"field": {"api_name": "Company"}}, selection("or", "Mobile", "Phone")],
            },
            {"Company": "Initech", "Mobile": "6"},
            True,
        ),
        (
            {
                "group_operator": "and",
                "group": [{"field": {"api_name": "Company"}}, selection("or", "Mobile", "Phone")],
            },
            {"Company": "Initech", "Email": "a@b.example"},
            False,
        ),
    ],
)
def test_an_edit_is_called_back_only_when_the_field_condition_is_met(
    api: TestClient, hook: Receiver, selected: dict[str, Any], changes: dict[str, Any], notified: bool
) -> None:
    watch(api, hook, notification_condition=[conditional(selected)])
    [record_id] = insert(api, lead())  # inserts are called back whatever the condition
    update(api, {"id": record_id, **changes})
    assert [body["operation"] for body in bodies(hook)] == (["insert", "update"] if notified else ["insert"])


def test_a_mass_update_calls_back_only_the_records_that_meet_the_condition(api: TestClient, hook: Receiver) -> None:
    watch(api, hook, events=["Leads.edit"], notification_condition=[conditional({"field": {"api_name": "Mobile"}})])
    first, second, third = insert(api, lead("A"), lead("B"), lead("C"))
    update(api, {"id": first, "Mobile": "1"}, {"id": second, "Phone": "2"}, {"id": third, "Mobile": "3"})
    [body] = bodies(hook)
    assert (body["ids"], body["affected_fields"]) == ([first, third], [{first: ["Mobile"]}, {third: ["Mobile"]}])


def test_each_channel_on_the_module_gets_its_own_callback(api: TestClient, hook: Receiver) -> None:
    watch(api, hook)
    watch(api, hook, channel_id="2", token="second")
    watch(api, hook, channel_id="3", events=["Contacts.all"])
    insert(api, lead())
    assert sorted((body["channel_id"], body["token"]) for body in bodies(hook)) == [
        (CHANNEL_ID, TOKEN),
        ("2", "second"),
    ]


def test_each_users_channel_is_called_back(
    client: TestClient, api: TestClient, emulator: Emulator, hook: Receiver, make_token: TokenFactory
) -> None:
    watch(api, hook)
    rep = add_person(emulator, "rep@zylker.example", profile="Administrator")["id"]
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(WATCH_SCOPES, user_id=rep)}"}
    item = channel(notify_url=hook.url + "rep", token="rep")
    assert client.post("/crm/v8/actions/watch", json={"watch": [item]}, headers=headers).status_code == 201
    insert(api, lead())
    assert sorted(body["token"] for body in bodies(hook)) == [TOKEN, "rep"]


def test_an_expired_channel_sends_nothing(
    client: TestClient, api: TestClient, hook: Receiver, make_token: TokenFactory
) -> None:
    watch(api, hook)
    assert client.post("/_emulator/clock/advance", json={"seconds": 3601}).status_code == 200
    api.headers["Authorization"] = f"Zoho-oauthtoken {make_token(WATCH_SCOPES)}"
    insert(api, lead())
    assert hook.received == []
    assert client.get("/_emulator/deliveries", params={"source": "watch"}).json()["deliveries"] == []


def test_a_disabled_channel_sends_nothing(api: TestClient, hook: Receiver) -> None:
    watch(api, hook)
    assert api.delete("/crm/v8/actions/watch", params={"channel_ids": CHANNEL_ID}).status_code == 200
    insert(api, lead())
    assert hook.received == []


def test_a_refused_record_call_sends_nothing_and_a_partial_one_only_its_records(
    api: TestClient, hook: Receiver
) -> None:
    watch(api, hook)
    refused = api.post(LEADS, json={"data": [{"Company": "no last name"}]})
    assert refused.status_code == 400
    assert hook.received == []
    [good] = insert(api, lead(), {"Company": "no last name"})
    assert [body["ids"] for body in bodies(hook)] == [[good]]


def test_an_empty_trigger_list_still_calls_back(api: TestClient, hook: Receiver) -> None:
    watch(api, hook)
    insert(api, lead(), trigger=[])
    assert len(hook.received) == 1


def test_the_delivery_log_names_the_channel_and_the_records(
    client: TestClient, api: TestClient, hook: Receiver
) -> None:
    watch(api, hook)
    [record_id] = insert(api, lead())
    [shown] = client.get("/_emulator/deliveries", params={"source": "watch"}).json()["deliveries"]
    assert (shown["source_id"], shown["status"], shown["method"]) == (CHANNEL_ID, "delivered", "POST")
    assert {k: shown["context"][k] for k in ("module", "operation", "ids")} == {
        "module": "Leads",
        "operation": "insert",
        "ids": [record_id],
    }


def test_a_restore_calls_nothing_back(emulator: Emulator, api: TestClient, hook: Receiver) -> None:
    watch(api, hook)
    [record_id] = insert(api, lead())
    hook.received.clear()
    change = RecordChange(record_id, "restore")
    leads = module_id(emulator, "Leads")
    restore = RecordEvent(emulator.default_org_id, "Leads", leads, "restore", (change,), admin_id(emulator), NO_CAUSE)
    emulator.events.publish([restore])
    assert hook.received == []


@pytest.fixture
def background(db_url: str) -> Iterator[tuple[Emulator, TestClient]]:
    """An emulator with the default async deliveries, its app's lifespan running the sender."""
    emulator = Emulator(Settings(db_url=db_url, public_url="http://testserver"))
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as client:
        yield emulator, client
    emulator.close()


def test_the_background_sender_delivers_and_flush_waits_for_it(
    background: tuple[Emulator, TestClient], hook: Receiver
) -> None:
    emulator, client = background
    with emulator.store.tx() as conn:
        token = mint_access_token(
            conn,
            org_id=emulator.default_org_id,
            user_id=admin_id(emulator),
            scopes=WATCH_SCOPES,
            now_ms=emulator.clock.now_ms(),
        )
    client.headers["Authorization"] = f"Zoho-oauthtoken {token}"
    watch(client, hook)
    [record_id] = insert(client, lead())
    assert client.post("/_emulator/deliveries/flush", json={}).json() == {"pending": 0}
    [body] = bodies(hook)
    assert without_time(body) == expected("insert", [record_id], [])
