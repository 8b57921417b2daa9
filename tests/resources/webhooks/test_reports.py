"""The failure log (/settings/automation/webhook_failures) and the usage report
(/settings/automation/webhooks/actions/usage_reports), built from the webhook deliveries: their
shapes, filters, day windows in the org's time zone and limits; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.support.receiver import Receiver, receiver
from tests.support.records import module_id
from tests.support.webhooks import create_lead, create_webhook, fire
from zcrm_emulator import create_app
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.webhooks import service
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import users

pytestmark = pytest.mark.usefixtures("both_backends")

FAILURES = "/crm/v8/settings/automation/webhook_failures"
USAGE = "/crm/v8/settings/automation/webhooks/actions/usage_reports"
DAY_S = 24 * 3600
RULE = {"id": "4876876000016390881", "name": "WF-C"}


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, public_url="http://testserver", deliveries="sync")


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        box.status = 404
        yield box


def later(emulator: Emulator, api: TestClient, make_token: TokenFactory, seconds: int) -> None:
    """Move emulator time on; the client's token (an hour's) is made again."""
    emulator.advance_clock(seconds)
    api.headers["Authorization"] = f"Zoho-oauthtoken {make_token()}"


def today(emulator: Emulator) -> date:
    with emulator.store.tx() as conn:
        return service.today(emulator, service.org_zone(conn, emulator.default_org_id))


def failures(api: TestClient, **query: str) -> list[dict[str, Any]]:
    response = api.get(FAILURES, params=query)
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.text
    return list(response.json()["webhook_failures"])


def test_a_delivery_that_failed_is_in_the_log(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    assert api.get(FAILURES).status_code == 204
    webhook_id = create_webhook(api, url=hook.url, name="Premium Lead Alert")
    lead = create_lead(api, Last_Name="Freelancer")
    delivery_id = fire(emulator, webhook_id, lead, rule=RULE)
    response = api.get(FAILURES)
    assert response.status_code == 200
    (item,) = response.json()["webhook_failures"]
    assert item == {
        "webhook": {"name": "Premium Lead Alert", "id": webhook_id},
        "entity_details": {
            "module": {"api_name": "Leads", "id": module_id(emulator, "Leads")},
            "name": "Freelancer",
            "id": lead,
        },
        "failure_time": item["failure_time"],
        "failure_reason": "page_notfound",
        "id": delivery_id,
        "workflow_rule": {"name": "WF-C", "id": RULE["id"]},
    }
    assert item["failure_time"].startswith(today(emulator).isoformat())
    assert response.json()["info"] == {"per_page": 200, "count": 1, "page": 1, "more_records": False}


def test_only_failures_are_logged_and_filters_apply(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    on_leads = create_webhook(api, url=hook.url, name="Leads hook")
    on_contacts = create_webhook(
        api, url=hook.url, name="Contacts hook", module={"api_name": "Contacts"}, headers=None, body=None
    )
    contact = api.post("/crm/v8/Contacts", json={"data": [{"Last_Name": "Byron"}]}).json()["data"][0]["details"]["id"]
    fire(emulator, on_leads, create_lead(api), rule=RULE)
    fire(emulator, on_contacts, contact, "Contacts", rule=RULE)
    hook.status = 200
    fire(emulator, on_leads, create_lead(api), rule=RULE)
    hook.status = 500
    fire(emulator, on_leads, create_lead(api), rule=RULE)
    assert [f["failure_reason"] for f in failures(api)] == ["server_error", "page_notfound", "page_notfound"]
    assert [f["webhook"]["name"] for f in failures(api, webhook_id=on_contacts)] == ["Contacts hook"]
    assert [f["webhook"]["name"] for f in failures(api, module="Leads")] == ["Leads hook", "Leads hook"]
    assert failures(api, webhook_id="1234567890") == []
    paged = api.get(FAILURES, params={"per_page": 1, "page": 3}).json()
    assert paged["info"] == {"per_page": 1, "count": 1, "page": 3, "more_records": False}


def test_the_log_reads_whole_days_of_the_org_within_90(
    api: TestClient, emulator: Emulator, hook: Receiver, make_token: TokenFactory
) -> None:
    webhook_id = create_webhook(api, url=hook.url)
    fire(emulator, webhook_id, create_lead(api), rule=RULE)
    failed_on = today(emulator)
    later(emulator, api, make_token, 31 * DAY_S)
    now = today(emulator)
    assert failures(api) == []  # the last 30 days
    assert len(failures(api, **{"from": failed_on.isoformat()})) == 1
    assert len(failures(api, **{"from": failed_on.isoformat(), "to": failed_on.isoformat()})) == 1
    assert failures(api, **{"to": (failed_on - timedelta(days=1)).isoformat()}) == []
    within = {"from": (now - timedelta(days=90)).isoformat(), "to": now.isoformat()}
    assert len(failures(api, **within)) == 1


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ({"from": "2025-1-1"}, "from"),
        ({"from": "2025-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"to": "FUTURE"}, "to"),
        ({"from": "FUTURE"}, "from"),
        ({"from": "TODAY", "to": "YESTERDAY"}, "from"),
        ({"from": "91 DAYS AGO"}, "from"),
    ],
)
def test_a_bad_day_window_is_refused(api: TestClient, emulator: Emulator, query: dict[str, str], param: str) -> None:
    now = today(emulator)
    days = {"FUTURE": now + timedelta(days=1), "TODAY": now, "YESTERDAY": now - timedelta(days=1)}
    days["91 DAYS AGO"] = now - timedelta(days=91)
    given = {key: days[value].isoformat() if value in days else value for key, value in query.items()}
    response = api.get(FAILURES, params=given)
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_DATA",
        "details": {"param_name": param, "expected_data_type": "datetime"},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"webhook_id": "x1"}, ("INVALID_DATA", {"param_name": "webhook_id"}, "the id given seems to be invalid")),
        (
            {"module": "Nope"},
            ("INVALID_MODULE", {"param_name": "module"}, "The value provided to the param is Invalid"),
        ),
        (
            {"per_page": "201"},
            ("INVALID_DATA", {"param_name": "per_page"}, "The value provided to the param is Invalid"),
        ),
    ],
)
def test_bad_log_params_are_named(api: TestClient, query: dict[str, str], expected: tuple[str, Any, str]) -> None:
    response = api.get(FAILURES, params=query)
    assert response.status_code == 400
    code, details, message = expected
    assert response.json() == {"code": code, "details": details, "message": message, "status": "error"}


def test_a_delivery_is_a_failure_once_every_attempt_failed(db_url: str, hook: Receiver) -> None:
    emulator = Emulator(Settings(db_url=db_url, deliveries="sync", delivery_attempts=2, delivery_backoff_ms=60_000))
    try:
        with emulator.store.tx() as conn:
            admin = documents.list_data(conn, users, emulator.default_org_id)[0]["id"]
            token = mint_access_token(
                conn, org_id=emulator.default_org_id, user_id=admin, scopes=ALL_SCOPES, now_ms=emulator.clock.now_ms()
            )
        with TestClient(create_app(emulator=emulator), base_url="http://testserver") as api:
            api.headers["Authorization"] = f"Zoho-oauthtoken {token}"
            fire(emulator, create_webhook(api, url=hook.url), create_lead(api), rule=RULE)
            assert failures(api) == []  # the second attempt is still due
            emulator.advance_clock(61)
            emulator.deliveries.kick()
            assert len(hook.wait_for(2)) == 2
            assert [f["failure_reason"] for f in failures(api)] == ["page_notfound"]
    finally:
        emulator.close()


def usage(api: TestClient, **query: str) -> list[dict[str, Any]]:
    response = api.get(USAGE, params=query)
    assert response.status_code == 200, response.text
    assert response.json()["info"]["max_limit"] == 2500
    return list(response.json()["data_usage"])


def test_usage_counts_fired_webhooks_per_day_and_webhook(
    api: TestClient, emulator: Emulator, hook: Receiver, make_token: TokenFactory
) -> None:
    alpha, beta = create_webhook(api, url=hook.url, name="Alpha"), create_webhook(api, url=hook.url, name="Beta")
    lead = create_lead(api)
    for webhook_id in (alpha, alpha, beta):
        fire(emulator, webhook_id, lead, rule=RULE)
    first = today(emulator).isoformat()
    later(emulator, api, make_token, DAY_S)
    fire(emulator, alpha, lead, rule=RULE)
    second = today(emulator).isoformat()
    assert usage(api, group_by="date") == [
        {"date": second, "count": 1, "type": "webhooks"},
        {"date": first, "count": 3, "type": "webhooks"},
    ]
    by_webhook = usage(api, group_by="date,resource", sort_order="asc")
    assert [(row["date"], row["resource"], row["count"]) for row in by_webhook] == [
        (first, {"name": "Alpha", "id": alpha}, 2),
        (first, {"name": "Beta", "id": beta}, 1),
        (second, {"name": "Alpha", "id": alpha}, 1),
    ]
    assert usage(api, group_by="date,resource,type", type="webhooks", **{"from": second}) == [
        {"date": second, "resource": {"name": "Alpha", "id": alpha}, "count": 1, "type": "webhooks"}
    ]
    assert usage(api, group_by="date", type="workflow_rules") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ("REQUIRED_PARAM_MISSING", {"param_name": "group_by"}, "One of the expected param is missing")),
        (
            {"group_by": "resource"},
            ("INVALID_DATA", {"param_name": "group_by"}, "The value provided to the param is Invalid"),
        ),
        ({"group_by": "date", "type": "macros"}, ("INVALID_DATA", {"param_name": "type"}, "feature type is invalid")),
        ({"group_by": "date", "to": "FUTURE"}, ("INVALID_DATA", {"param_name": "date"}, "provided time is ahead")),
        (
            {"group_by": "date", "from": "2025-13-01"},
            ("INVALID_DATA", {"param_name": "from"}, "The value provided to the param is Invalid"),
        ),
        (
            {"group_by": "date", "sort_order": "up"},
            ("INVALID_DATA", {"param_name": "sort_order"}, "The value provided to the param is Invalid"),
        ),
    ],
)
def test_bad_usage_params_are_named(
    api: TestClient, emulator: Emulator, query: dict[str, str], expected: tuple[str, Any, str]
) -> None:
    future = (today(emulator) + timedelta(days=1)).isoformat()
    response = api.get(USAGE, params={k: future if v == "FUTURE" else v for k, v in query.items()})
    assert response.status_code == 400
    code, details, message = expected
    assert response.json() == {"code": code, "details": details, "message": message, "status": "error"}
