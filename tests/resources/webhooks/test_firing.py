"""Firing a webhook for a record (service.fire), as a workflow rule does, through the delivery engine
(sync mode) to a real receiver on loopback: the method, the URL with its tokens resolved and its URL
parameters, the headers, and the body of each type, exactly; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from tests.support.receiver import Received, Receiver, receiver
from tests.support.webhooks import create_lead, create_webhook, fire
from zcrm_emulator import record_model
from zcrm_emulator.config import Settings
from zcrm_emulator.delivery import repo as delivery_repo
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.webhooks import service

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, public_url="http://testserver", deliveries="sync")


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        yield box


def sent(emulator: Emulator, hook: Receiver, webhook_id: str, record_id: str, module: str = "Leads") -> Received:
    fire(emulator, webhook_id, record_id, module, rule={"id": "4876876000016390881", "name": "WF-C"})
    (got,) = hook.wait_for(1)
    hook.received.clear()
    return got


OURS = ("host", "user-agent", "content-length", "accept", "accept-encoding", "connection")


def own_headers(got: Received) -> list[tuple[str, str]]:
    """The headers the webhook made (not those every HTTP request carries)."""
    return [(name, value) for name, value in got.headers.items() if name.lower() not in OURS]


def test_a_raw_json_body_with_tokens_resolved_and_escaped(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    webhook_id = create_webhook(
        api,
        url=hook.url + "leads/${!Leads.Last_Name}?src=crm",
        headers={
            "custom_parameters": [{"name": "X-Api-Key", "value": "s3cret"}],
            "module_parameters": [{"name": "X-Lead-Email", "value": "${!Leads.Email}"}],
        },
        body={
            "type": "raw",
            "format": "JSON",
            "raw_data_content": '{"id": "${!Leads.Id}", "name": "${!Leads.Last_Name}", "owner": "${!Leads.Owner}"}',
        },
    )
    lead = create_lead(api, Last_Name='Ada "AL" Lovelace', Email="ada@zylker.example")
    got = sent(emulator, hook, webhook_id, lead)
    assert (got.method, got.path) == ("POST", "/leads/Ada%20%22AL%22%20Lovelace?src=crm")
    assert own_headers(got) == [
        ("X-Api-Key", "s3cret"),
        ("X-Lead-Email", "ada@zylker.example"),
        ("Content-Type", "application/json; charset=UTF-8"),
    ]
    assert json.loads(got.body) == {"id": lead, "name": 'Ada "AL" Lovelace', "owner": "Zylker Admin"}


@pytest.mark.parametrize(
    ("fmt", "content_type", "template", "expected"),
    [
        ("XML", "application/xml", "<lead>${!Leads.Last_Name}</lead>", "<lead>Smith &amp; &lt;Sons&gt;</lead>"),
        ("HTML", "text/html", "<p>${!Leads.Last_Name}</p>", "<p>Smith &amp; &lt;Sons&gt;</p>"),
        ("Text", "text/plain", "Lead: ${!Leads.Last_Name}", "Lead: Smith & <Sons>"),
    ],
)
def test_raw_bodies_are_escaped_for_their_format(
    api: TestClient, emulator: Emulator, hook: Receiver, fmt: str, content_type: str, template: str, expected: str
) -> None:
    body = {"type": "raw", "format": fmt, "raw_data_content": template}
    webhook_id = create_webhook(api, url=hook.url, headers=None, body=body, http_method="PUT")
    got = sent(emulator, hook, webhook_id, create_lead(api, Last_Name="Smith & <Sons>"))
    assert got.method == "PUT"
    assert got.header("Content-Type") == f"{content_type}; charset=UTF-8"
    assert got.body.decode() == expected


def test_a_form_body_carries_every_kind_of_parameter(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    content = {
        "custom_parameters": [{"name": "source", "value": "zoho crm"}],
        "module_parameters": [{"name": "email", "value": "${!Leads.Email}"}, {"name": "id", "value": "${!Leads.Id}"}],
        "user_defined_parameter": {"name": "note", "value": "lead ${!Leads.Last_Name}"},
    }
    webhook_id = create_webhook(
        api, url=hook.url, headers=None, body={"type": "form_data", "form_data_content": content}
    )
    lead = create_lead(api, Last_Name="Lovelace", Email="a+b@zylker.example")
    got = sent(emulator, hook, webhook_id, lead)
    assert got.header("Content-Type") == "application/x-www-form-urlencoded; charset=UTF-8"
    assert parse_qsl(got.body.decode()) == [
        ("source", "zoho crm"),
        ("email", "a+b@zylker.example"),
        ("id", lead),
        ("note", "lead Lovelace"),
    ]


def test_a_bodiless_post_sends_no_body_and_no_content_type(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    webhook_id = create_webhook(api, url=hook.url, headers=None, body={"type": "none"})
    got = sent(emulator, hook, webhook_id, create_lead(api))
    assert (got.method, got.body, got.header("Content-Type")) == ("POST", b"", None)
    without_body = create_webhook(api, url=hook.url, headers=None, body=None)
    assert sent(emulator, hook, without_body, create_lead(api)).body == b""


def test_get_appends_the_url_parameters(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    url_parameters = {
        "custom_parameters": [{"name": "v", "value": "1 2"}],
        "module_parameters": [{"name": "email", "value": "${!Leads.Email}"}],
        "user_defined_parameters": {"name": "who", "value": "${!Leads.Last_Name}&co"},
    }
    webhook_id = create_webhook(
        api, url=hook.url + "find?x=1", http_method="GET", headers=None, body=None, url_parameters=url_parameters
    )
    got = sent(emulator, hook, webhook_id, create_lead(api, Email="ada@zylker.example"))
    assert got.method == "GET"
    assert got.path == "/find?x=1&v=1%202&email=ada%40zylker.example&who=Lovelace%26co"
    assert (own_headers(got), got.body) == ([], b"")


def test_delete_sends_url_parameters_and_headers(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    webhook_id = create_webhook(
        api,
        url=hook.url + "leads/${!Leads.Id}",
        http_method="DELETE",
        body=None,
        headers={"module_parameters": [], "custom_parameters": [{"name": "X-Token", "value": "t"}]},
        url_parameters={"custom_parameters": [{"name": "hard", "value": "true"}]},
    )
    lead = create_lead(api)
    got = sent(emulator, hook, webhook_id, lead)
    assert (got.method, got.path, own_headers(got), got.body) == (
        "DELETE",
        f"/leads/{lead}?hard=true",
        [("X-Token", "t")],
        b"",
    )


def test_a_url_made_of_a_token_is_the_records_address(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    webhook_id = create_webhook(api, url="${!Leads.Website}?id=${!Leads.Id}", headers=None, body=None)
    lead = create_lead(api, Website=hook.url.removeprefix("http://") + "from-website")
    got = sent(emulator, hook, webhook_id, lead)
    assert got.path == f"/from-website?id={lead}"


def test_dates_and_datetimes_follow_the_webhooks_formats(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    contact = api.post("/crm/v8/Contacts", json={"data": [{"Last_Name": "Byron", "Date_of_Birth": "1815-12-10"}]})
    contact_id = contact.json()["data"][0]["details"]["id"]
    content = "${!Contacts.Date_of_Birth}|${!Contacts.Created_Time}"
    plain = create_webhook(
        api,
        module={"api_name": "Contacts"},
        url=hook.url,
        headers=None,
        body={"type": "raw", "format": "Text", "raw_data_content": content},
    )
    formatted = create_webhook(
        api,
        module={"api_name": "Contacts"},
        url=hook.url,
        headers=None,
        body={"type": "raw", "format": "Text", "raw_data_content": content},
        date_time_format={"date_format": "dd-mmmm-yyyy", "datetime_format": "yyyy/mm/dd HH:MM:SS", "time_zone": "UTC"},
    )
    with emulator.store.tx() as conn:
        meta = record_model.load_module(conn, emulator.default_org_id, "Contacts", emulator.clock.now_ms())
        created_ms = record_model.get_records(conn, meta.id, [contact_id])[contact_id].created_ms
    created = datetime.fromtimestamp(created_ms // 1000, tz=UTC)
    org_time = created.astimezone(ZoneInfo("America/Los_Angeles")).isoformat()
    assert sent(emulator, hook, plain, contact_id, "Contacts").body.decode() == f"1815-12-10|{org_time}"
    expected = f"10-December-1815|{created.strftime('%Y/%m/%d %H:%M:%S')}"
    assert sent(emulator, hook, formatted, contact_id, "Contacts").body.decode() == expected


def test_header_values_stay_ascii_on_the_wire(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    module_parameters = [{"name": "X-Name", "value": "${!Leads.Last_Name}"}]
    webhook_id = create_webhook(
        api,
        url=hook.url,
        headers={
            "module_parameters": module_parameters,
            "custom_parameters": [{"name": "Content-Type", "value": "text/csv"}],
        },
    )
    got = sent(emulator, hook, webhook_id, create_lead(api, Last_Name="Gödel\nEscher"))
    assert got.header("X-Name") == "G%C3%B6del Escher"
    assert got.header("Content-Type") == "text/csv"  # the webhook's own, not the body's default


def test_every_fired_webhook_is_a_delivery_with_its_context(
    api: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    webhook_id = create_webhook(api, url=hook.url, name="Lead sync")
    lead = create_lead(api, Last_Name="Lovelace")
    delivery_id = fire(emulator, webhook_id, lead, rule={"id": "77", "name": "New lead"})
    hook.wait_for(1)
    with emulator.store.tx() as conn:
        rows = delivery_repo.list_deliveries(conn, None, source="webhook", status=None, limit=10, offset=0)
    (row,) = rows
    assert (row["id"], row["source_id"], row["status"]) == (delivery_id, webhook_id, "delivered")
    assert row["context"] == {
        "webhook": {"name": "Lead sync", "id": webhook_id},
        "workflow_rule": {"name": "New lead", "id": "77"},
        "entity_details": {
            "module": {"api_name": "Leads", "id": row["context"]["entity_details"]["module"]["id"]},
            "name": "Lovelace",
            "id": lead,
        },
        "request_id": None,
    }


def test_firing_a_webhook_the_org_does_not_have_is_an_error(api: TestClient, emulator: Emulator) -> None:
    lead = create_lead(api)
    with pytest.raises(service.UnknownWebhook):
        fire(emulator, "1234567890", lead)


def test_a_url_a_token_made_unsendable_fails_without_stopping_the_sender(
    api: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    broken = create_webhook(api, url="${!Leads.Company}/hook", headers=None, body=None)
    working = create_webhook(api, url=hook.url, headers=None, body=None)
    lead = create_lead(api, Company="a:b:c")
    fire(emulator, broken, lead, rule={"id": "1", "name": "WF"})
    fire(emulator, working, lead, rule={"id": "1", "name": "WF"})
    hook.wait_for(1)
    (failure,) = api.get("/crm/v8/settings/automation/webhook_failures").json()["webhook_failures"]
    assert (failure["webhook"]["id"], failure["failure_reason"]) == (broken, "connection_failure")
