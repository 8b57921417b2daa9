"""Every webhooks answer against Zoho's webhooks.json (an OpenAPI 3.1 file), each tolerated erratum a
named allowance that some answer here needs (tests/support/allowances.py)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.support.allowances import (
    WEBHOOK_ERRORS_THE_FILE_MISSES,
    WEBHOOK_FAILURE_ALLOWANCES,
    WEBHOOK_PATH_ID_ALLOWANCES,
    WEBHOOK_READ_ALLOWANCES,
)
from tests.support.oas import Allowance, validate_response
from tests.support.receiver import receiver
from tests.support.webhooks import WEBHOOKS, create_lead, create_webhook, fire, post_webhook, webhook_item
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

FILE = "webhooks.json"
ONE = "/settings/automation/webhooks/{webhookId}"
ALL = "/settings/automation/webhooks"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, public_url="http://testserver", deliveries="sync")


def test_reads_and_writes_match_the_file(api: TestClient) -> None:
    used: set[Allowance] = set()
    formats = {"date_format": "dd-mm-yyyy", "datetime_format": "dd-mm-yyyy H:M:S", "time_zone": "UTC"}
    created = post_webhook(api, webhook_item(description="d", date_time_format=formats))
    validate_response(created, FILE, ALL, "POST")
    post_id = created.json()["webhooks"][0]["details"]["id"]
    url_parameters = {
        "custom_parameters": [{"name": "a", "value": "b"}],
        "module_parameters": [{"name": "m", "value": "${!Leads.Email}"}],
        "user_defined_parameters": {"name": "u", "value": "v"},
    }
    get_id = create_webhook(api, http_method="GET", headers=None, body=None, url_parameters=url_parameters)
    used |= validate_response(api.get(WEBHOOKS), FILE, ALL, allow=WEBHOOK_READ_ALLOWANCES)
    for webhook_id in (post_id, get_id):
        used |= validate_response(api.get(f"{WEBHOOKS}/{webhook_id}"), FILE, ONE, allow=WEBHOOK_READ_ALLOWANCES)
    validate_response(api.get(f"{WEBHOOKS}/1"), FILE, ONE)  # 204
    validate_response(api.put(f"{WEBHOOKS}/{post_id}", json={"webhooks": [webhook_item()]}), FILE, ONE, "PUT")
    body = {"webhooks": [{**webhook_item(), "id": post_id}]}
    validate_response(api.put(WEBHOOKS, json=body), FILE, ALL, "PUT")
    validate_response(api.get(f"{WEBHOOKS}/actions/associated_modules"), FILE, f"{ALL}/actions/associated_modules")
    validate_response(api.delete(WEBHOOKS, params={"ids": f"{get_id},5"}), FILE, ALL, "DELETE")
    validate_response(api.delete(f"{WEBHOOKS}/{post_id}"), FILE, ONE, "DELETE")
    for allowance in WEBHOOK_READ_ALLOWANCES:
        if allowance.rule != "maxItems":
            assert allowance in used, allowance


@pytest.mark.parametrize(
    "item",
    [
        webhook_item(name="x" * 251),
        webhook_item(name=None),
        webhook_item(name="a~b"),
        webhook_item(http_method=None),
        webhook_item(http_method="GET"),
        webhook_item(url="ftp://x"),
        webhook_item(authentication={"type": "connection"}),
        webhook_item(module={"api_name": "Leads", "id": "1"}),
        webhook_item(headers={"module_parameters": [{"name": "a", "value": "${!Leads.Nope}"}]}),
        webhook_item(headers={"module_parameters": [{"name": "a"}]}),
    ],
)
def test_create_errors_the_file_lists_match_it(api: TestClient, item: dict[str, object]) -> None:
    response = post_webhook(api, item)
    assert response.status_code == 400
    validate_response(response, FILE, ALL, "POST")
    validate_response(api.put(WEBHOOKS, json={"webhooks": [item]}), FILE, ALL, "PUT")


def test_create_errors_the_file_leaves_out_match_it_with_allowances(api: TestClient) -> None:
    used: set[Allowance] = set()
    for body in (
        {"webhooks": [webhook_item(module={})]},
        {"webhooks": [webhook_item(), webhook_item()]},
        {"webhooks": [webhook_item(feature_type="macro")]},
    ):
        response = api.post(WEBHOOKS, json=body)
        assert response.status_code == 400
        used |= validate_response(response, FILE, ALL, "POST", allow=WEBHOOK_ERRORS_THE_FILE_MISSES)
    assert used == set(WEBHOOK_ERRORS_THE_FILE_MISSES)


def test_list_and_delete_errors_match_the_file(api: TestClient) -> None:
    for query in ({"sort_order": "up"}, {"module": "Nope"}, {"feature_type": "macro"}):
        validate_response(api.get(WEBHOOKS, params=query), FILE, ALL)
    validate_response(api.delete(WEBHOOKS), FILE, ALL, "DELETE")
    eleven = ",".join(str(10**9 + n) for n in range(11))
    validate_response(api.delete(WEBHOOKS, params={"ids": eleven}), FILE, ALL, "DELETE")
    used = validate_response(api.delete(f"{WEBHOOKS}/1"), FILE, ONE, "DELETE", allow=WEBHOOK_PATH_ID_ALLOWANCES)
    assert used == set(WEBHOOK_PATH_ID_ALLOWANCES)


def test_the_failure_log_and_usage_report_match_the_file(api: TestClient, emulator: Emulator) -> None:
    failures, usage = "/settings/automation/webhook_failures", f"{ALL}/actions/usage_reports"
    # 204 when there are none: OASx getWebhookFailures documents it, the file does not
    validate_response(api.get(f"/crm/v8{failures}"), FILE, failures, undocumented_ok=[204])
    with receiver() as box:
        box.status = 404
        webhook_id = create_webhook(api, url=box.url)
        lead = create_lead(api)
        for _ in range(2):
            fire(emulator, webhook_id, lead, rule={"id": "4876876000016390881", "name": "WF-C"})
    used = validate_response(api.get(f"/crm/v8{failures}"), FILE, failures, allow=WEBHOOK_FAILURE_ALLOWANCES)
    assert used == set(WEBHOOK_FAILURE_ALLOWANCES)
    for query in ({"webhook_id": "x"}, {"to": "2999-01-01"}, {"from": "2025-13-01"}, {"module": "Nope"}):
        validate_response(api.get(f"/crm/v8{failures}", params=query), FILE, failures)
    for grouping in ("date", "date,resource", "date,resource,type"):
        validate_response(api.get(f"/crm/v8{usage}", params={"group_by": grouping}), FILE, usage)
    for query in ({}, {"group_by": "date", "type": "macros"}):
        validate_response(api.get(f"/crm/v8{usage}", params=query), FILE, usage)
