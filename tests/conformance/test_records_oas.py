"""Records, fields and layouts, validated against Zoho's v8 OAS files (record.json, fields.json,
layouts.json, record_count.json).

record.json documents only a 200 for every record operation, with one schema covering both the
success wrapper and ``API_Exception``; REFERENCE §0 notes its status codes are stale (the OASx
examples show 201, 207, 400 and 412). So every record response body, whatever its status, is
checked against the operation's 200 schema, and the status against the batch rule elsewhere.

Deliberate deviations are the named allowances of tests/support/allowances.py (records part).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.allowances import ERROR_ENUMS, FIELD_ALLOWANCES, LAYOUT_ALLOWANCES, PERMANENT, TAGS
from tests.support.oas import Allowance, record_schema_pointer, require_oas_dir, schema_errors, validate_response
from tests.support.records import add_rows, insert_one
from zcrm_emulator.clock import iso
from zcrm_emulator.emulator import Emulator

RECORD = "/crm/v8/{module_api_name}"


@pytest.fixture
def api(client: TestClient, auth: dict[str, str]) -> Iterator[TestClient]:
    require_oas_dir()
    client.headers.update(auth)
    yield client


def conforms(response: Any, path: str, method: str, allow: list[Allowance]) -> None:
    """The body matches the operation's 200 schema in record.json, whatever the status."""
    body = response.json()
    errors = schema_errors(body, "record.json", record_schema_pointer(path, method.lower()), allow)
    assert not errors, f"{method} {path} {response.status_code} breaks record.json:\n  " + "\n  ".join(errors[:30])


def test_record_writes_and_reads_conform(api: TestClient) -> None:
    account = insert_one(api, "Accounts", {"Account_Name": "Zylker"})
    created = api.post(
        "/crm/v8/Contacts",
        json={"data": [{"Last_Name": "Doe", "Account_Name": {"id": account}, "Tag": [{"name": "Hot"}]}, {"Nope": 1}]},
    )
    assert created.status_code == 207
    conforms(created, RECORD, "POST", ERROR_ENUMS)
    contact = created.json()["data"][0]["details"]["id"]
    conforms(api.get("/crm/v8/Contacts", params={"fields": "Last_Name,Account_Name,Owner,Tag"}), RECORD, "GET", TAGS)
    conforms(api.get(f"/crm/v8/Contacts/{contact}"), f"{RECORD}/{{id}}", "GET", TAGS)
    conforms(api.put(f"/crm/v8/Contacts/{contact}", json={"data": [{"Title": "CTO"}]}), f"{RECORD}/{{id}}", "PUT", [])
    conforms(api.put("/crm/v8/Contacts", json={"data": [{"id": contact, "Title": "CEO"}]}), RECORD, "PUT", [])
    upserted = api.post("/crm/v8/Contacts/upsert", json={"data": [{"Last_Name": "New", "Email": "n@zylker.example"}]})
    conforms(upserted, f"{RECORD}/upsert", "POST", [])
    conforms(api.delete("/crm/v8/Contacts", params={"ids": f"{contact},1234567000000000001"}), RECORD, "DELETE", [])
    conforms(
        api.delete(f"/crm/v8/Contacts/{upserted.json()['data'][0]['details']['id']}"), f"{RECORD}/{{id}}", "DELETE", []
    )
    conforms(api.get("/crm/v8/Contacts/deleted"), f"{RECORD}/deleted", "GET", PERMANENT)


def test_record_errors_conform(api: TestClient, emulator: Emulator) -> None:
    add_rows(emulator, "Leads", 3)
    token = api.get("/crm/v8/Leads", params={"fields": "Last_Name", "per_page": 1}).json()["info"]["next_page_token"]
    for query in (
        {},
        {"fields": "Last_Name", "page": 11},
        {"fields": "Last_Name", "per_page": 500},
        {"fields": "Email", "page_token": token},
        {"fields": ",".join(f"F{n}" for n in range(51))},
    ):
        response = api.get("/crm/v8/Leads", params=query)
        assert response.status_code == 400
        conforms(response, RECORD, "GET", ERROR_ENUMS)
    conforms(api.get("/crm/v8/Nope", params={"fields": "a"}), RECORD, "GET", ERROR_ENUMS)
    conforms(api.post("/crm/v8/Nope", json={"data": [{}]}), RECORD, "POST", ERROR_ENUMS)
    conforms(api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "x"}] * 101}), RECORD, "POST", ERROR_ENUMS)
    conforms(api.delete("/crm/v8/Leads", params={"ids": "x"}), RECORD, "DELETE", ERROR_ENUMS)
    conforms(api.delete("/crm/v8/Leads/abc"), f"{RECORD}/{{id}}", "DELETE", ERROR_ENUMS)
    conforms(api.get("/crm/v8/Leads/deleted", params={"type": "x"}), f"{RECORD}/deleted", "GET", ERROR_ENUMS)
    lead = insert_one(api, "Leads", {"Last_Name": "Doe"})
    stale = {"If-Unmodified-Since": iso(emulator.clock.now_ms() - 60_000)}
    conflict = api.put(f"/crm/v8/Leads/{lead}", json={"data": [{"Company": "x"}]}, headers=stale)
    assert conflict.status_code == 412
    conforms(conflict, f"{RECORD}/{{id}}", "PUT", ERROR_ENUMS)


def test_record_count_is_a_number(api: TestClient) -> None:
    insert_one(api, "Leads", {"Last_Name": "Doe"})
    response = api.get("/crm/v8/Leads/actions/count")
    validate_response(api.get("/crm/v8/Nope/actions/count"), "record_count.json", f"{RECORD}/actions/count")
    assert response.headers["content-type"].startswith("application/json")
    assert type(response.json()["count"]) is int


def test_fields_conform(api: TestClient) -> None:
    for module in ("Leads", "Contacts", "Accounts", "Deals", "Quotes", "Events", "Price_Books"):
        validate_response(
            api.get("/crm/v8/settings/fields", params={"module": module}),
            "fields.json",
            "/crm/v8/settings/fields",
            allow=FIELD_ALLOWANCES,
        )
    first = api.get("/crm/v8/settings/fields", params={"module": "Leads"}).json()["fields"][0]
    validate_response(
        api.get(f"/crm/v8/settings/fields/{first['id']}", params={"module": "Leads"}),
        "fields.json",
        "/crm/v8/settings/fields/{field}",
        allow=FIELD_ALLOWANCES,
    )
    for query in ({}, {"module": "Nope"}):
        validate_response(api.get("/crm/v8/settings/fields", params=query), "fields.json", "/crm/v8/settings/fields")


def test_layouts_conform(api: TestClient) -> None:
    for module in ("Leads", "Deals", "Quotes"):
        response = api.get("/crm/v8/settings/layouts", params={"module": module})
        validate_response(response, "layouts.json", "/crm/v8/settings/layouts", allow=LAYOUT_ALLOWANCES)
        layout_id = response.json()["layouts"][0]["id"]
        validate_response(
            api.get(f"/crm/v8/settings/layouts/{layout_id}", params={"module": module}),
            "layouts.json",
            "/crm/v8/settings/layouts/{id}",
            allow=LAYOUT_ALLOWANCES,
        )
    for query in ({}, {"module": "Nope"}):
        response = api.get("/crm/v8/settings/layouts", params=query)
        validate_response(response, "layouts.json", "/crm/v8/settings/layouts", allow=LAYOUT_ALLOWANCES)
