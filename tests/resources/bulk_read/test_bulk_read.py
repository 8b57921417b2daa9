"""/crm/bulk/{version}/read: a job created over HTTP, run by the worker in the background, its status
and its zipped CSV (or ICS) download; criteria, fields, pages past the page size, the callback, the
org's limits and Zoho's errors, checked against bulk_read.json."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.support.allowances import BULK_READ_JOB
from tests.support.oas import validate_response
from tests.support.receiver import receiver
from tests.support.records import add_rows, insert_one
from zcrm_emulator.app import create_app
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.bulk_read import rules
from zcrm_emulator.store.schema import orgs

pytestmark = pytest.mark.usefixtures("both_backends")

READ = "/crm/bulk/v8/read"
BULK_SCOPES = [*ALL_SCOPES, "ZohoCRM.bulk.READ"]


@pytest.fixture
def auth(make_token: TokenFactory) -> dict[str, str]:
    """An admin token that may also read in bulk."""
    return {"Authorization": f"Zoho-oauthtoken {make_token(BULK_SCOPES)}"}


def create(api: TestClient, query: dict[str, Any], **extra: Any) -> httpx.Response:
    return api.post(READ, json={"query": query, **extra})


def job_id_of(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def finished(api: TestClient, job_id: str, timeout_s: float = 20.0) -> dict[str, Any]:
    """The job once the worker has finished it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(f"{READ}/{job_id}").json()["data"][0]
        if job["state"] in rules.FINISHED:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def download(api: TestClient, job_id: str) -> list[list[str]]:
    response = api.get(f"{READ}/{job_id}/result")
    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"{job_id}.csv"]
    return list(csv.reader(io.StringIO(archive.read(f"{job_id}.csv").decode())))


def run(api: TestClient, query: dict[str, Any], **extra: Any) -> tuple[dict[str, Any], list[list[str]]]:
    job_id = job_id_of(create(api, query, **extra))
    job = finished(api, job_id)
    assert job["state"] == rules.COMPLETED, job
    return job, download(api, job_id)


@pytest.fixture
def idle(emulator: Emulator, auth: dict[str, str]) -> TestClient:
    """A client of an app whose lifespan does not run, so no background worker: the jobs it creates
    stay where they are until the test runs them (``emulator.bulk_reads.run_pending``)."""
    emulator.bulk_reads.kick = lambda: None  # type: ignore[method-assign]
    idle_client = TestClient(create_app(emulator=emulator), base_url="http://testserver")
    idle_client.headers.update(auth)
    return idle_client


def error_of(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


# --- create, status, download ---------------------------------------------------------------------


def test_a_job_is_added_then_completed_with_a_zipped_csv_of_the_module(api: TestClient) -> None:
    first = insert_one(api, "Leads", {"Last_Name": "Ada", "Company": "Zylker"})
    second = insert_one(api, "Leads", {"Last_Name": "Bo", "Company": "Acme"})
    created = create(api, {"module": {"api_name": "Leads"}, "fields": ["Last_Name", "Company"]})
    validate_response(created, "bulk_read.json", READ, "POST")
    item = created.json()["data"][0]
    assert (item["code"], item["message"], item["details"]["state"]) == (
        "ADDED_SUCCESSFULLY",
        "Added successfully.",
        "ADDED",
    )
    assert item["details"]["operation"] == "read"
    job = finished(api, item["details"]["id"])
    status = api.get(f"{READ}/{item['details']['id']}")
    validate_response(status, "bulk_read.json", f"{READ}/{{job_id}}", "GET", allow=BULK_READ_JOB)
    assert job["result"] == {
        "page": 1,
        "count": 2,
        "download_url": f"/crm/bulk/v8/read/{item['details']['id']}/result",
        "per_page": rules.PER_PAGE,
        "more_records": False,
    }
    assert job["query"]["module"]["api_name"] == "Leads" and job["file_type"] == "csv"
    response = api.get(f"{READ}/{item['details']['id']}/result")
    assert response.headers["content-type"] == "application/x-download"
    assert response.headers["content-disposition"] == f'attachment; filename="{item["details"]["id"]}.zip"'
    assert download(api, item["details"]["id"]) == [
        ["Id", "Last_Name", "Company"],
        [first, "Ada", "Zylker"],
        [second, "Bo", "Acme"],
    ]


def test_values_are_written_as_zoho_bulk_csv_writes_them(api: TestClient) -> None:
    account = insert_one(api, "Accounts", {"Account_Name": "Zylker"})
    contact = insert_one(
        api,
        "Contacts",
        {"Last_Name": "Ada", "Account_Name": {"id": account}, "Email_Opt_Out": True, "Date_of_Birth": "1990-05-01"},
    )
    _, rows = run(
        api,
        {
            "module": {"api_name": "Contacts"},
            "fields": ["Account_Name", "Email_Opt_Out", "Date_of_Birth", "Owner", "Created_Time"],
        },
    )
    header, row = rows
    assert header == ["Id", "Account_Name", "Email_Opt_Out", "Date_of_Birth", "Owner", "Created_Time"]
    assert row[:4] == [contact, account, "true", "1990-05-01"]
    assert row[4].isdigit() and row[5].endswith("+00:00")


def test_multi_select_values_are_joined_with_semicolons(api: TestClient, emulator: Emulator) -> None:
    from tests.support.records import add_field, picklist

    add_field(emulator, "Leads", "Hobbies", "multiselectpicklist", pick_list_values=picklist("Chess", "Golf"))
    insert_one(api, "Leads", {"Last_Name": "Ada", "Company": "Z", "Hobbies": ["Chess", "Golf"]})
    _, rows = run(api, {"module": {"api_name": "Leads"}, "fields": ["Hobbies"]})
    assert rows[1][1] == "Chess;Golf"


def test_without_fields_every_readable_field_is_a_column(api: TestClient) -> None:
    insert_one(api, "Leads", {"Last_Name": "Ada", "Company": "Zylker"})
    _, rows = run(api, {"module": {"api_name": "Leads"}})
    assert rows[0][0] == "Id" and {"Last_Name", "Company", "Owner", "Created_Time"} <= set(rows[0])
    assert len(rows) == 2


def test_every_version_serves_the_bulk_paths(api: TestClient) -> None:
    response = api.post("/crm/bulk/v2/read", json={"query": {"module": {"api_name": "Leads"}}})
    job_id = job_id_of(response)
    assert finished(api, job_id)["result"]["download_url"] == f"/crm/bulk/v2/read/{job_id}/result"
    assert error_of(api.post("/crm/bulk/v9/read", json={}), 404)["code"] == "INVALID_URL_PATTERN"
    assert error_of(api.get("/crm/bulk/v8/write_nothing"), 404)["code"] == "INVALID_URL_PATTERN"
    assert error_of(api.delete(READ))["code"] == "INVALID_REQUEST_METHOD"


# --- criteria ---------------------------------------------------------------------------------------


def names(rows: list[list[str]]) -> list[str]:
    return [row[1] for row in rows[1:]]


def test_a_criteria_group_filters_the_records_in_sql(api: TestClient) -> None:
    for name, company, revenue in (("Ada", "Zylker", 10), ("Bo", "Acme", 50), ("Cy", "Zylker Inc", 90)):
        insert_one(api, "Leads", {"Last_Name": name, "Company": company, "Annual_Revenue": revenue})
    criteria = {
        "group_operator": "and",
        "group": [
            {"field": {"api_name": "Company"}, "comparator": "starts_with", "value": "zylker"},
            {"field": {"api_name": "Annual_Revenue"}, "comparator": "greater_than", "value": 20},
        ],
    }
    _, rows = run(api, {"module": {"api_name": "Leads"}, "fields": ["Last_Name"], "criteria": criteria})
    assert names(rows) == ["Cy"]


@pytest.mark.parametrize(
    ("comparator", "value", "expected"),
    [
        ("equal", "Acme", ["Bo"]),
        ("not_equal", "Acme", ["Ada", "Cy"]),
        ("in", ["Acme", "Zylker"], ["Ada", "Bo"]),
        ("not_in", ["Acme"], ["Ada", "Cy"]),
        ("contains", "ylk", ["Ada", "Cy"]),
        ("not_contains", "ylk", ["Bo"]),
        ("ends_with", "inc", ["Cy"]),
    ],
)
def test_each_text_comparator_matches_as_zoho_documents(
    api: TestClient, comparator: str, value: Any, expected: list[str]
) -> None:
    for name, company in (("Ada", "Zylker"), ("Bo", "Acme"), ("Cy", "Zylker Inc")):
        insert_one(api, "Leads", {"Last_Name": name, "Company": company})
    criteria = {"field": {"api_name": "Company"}, "comparator": comparator, "value": value}
    _, rows = run(api, {"module": {"api_name": "Leads"}, "fields": ["Last_Name"], "criteria": criteria})
    assert names(rows) == expected


def test_between_on_a_number_and_a_lookup_path_criteria(api: TestClient) -> None:
    zylker = insert_one(api, "Accounts", {"Account_Name": "Zylker"})
    acme = insert_one(api, "Accounts", {"Account_Name": "Acme"})
    insert_one(api, "Contacts", {"Last_Name": "Ada", "Account_Name": {"id": zylker}})
    insert_one(api, "Contacts", {"Last_Name": "Bo", "Account_Name": {"id": acme}})
    criteria = {"field": {"api_name": "Account_Name.Account_Name"}, "comparator": "equal", "value": "Acme"}
    _, rows = run(api, {"module": {"api_name": "Contacts"}, "fields": ["Last_Name"], "criteria": criteria})
    assert names(rows) == ["Bo"]
    for name, revenue in (("X", 5), ("Y", 15), ("Z", 25)):
        insert_one(api, "Leads", {"Last_Name": name, "Company": "C", "Annual_Revenue": revenue})
    criteria = {"field": {"api_name": "Annual_Revenue"}, "comparator": "between", "value": [10, 20]}
    _, rows = run(api, {"module": {"api_name": "Leads"}, "fields": ["Last_Name"], "criteria": criteria})
    assert names(rows) == ["Y"]


def test_cvid_reads_the_records_of_the_view(api: TestClient) -> None:
    views = api.get("/crm/v8/settings/custom_views", params={"module": "Leads"}).json()["custom_views"]
    mine = next(view for view in views if view["name"] == "My Leads")
    insert_one(api, "Leads", {"Last_Name": "Ada", "Company": "Z"})
    job, rows = run(api, {"module": {"api_name": "Leads"}, "cvid": str(mine["id"]), "fields": ["Last_Name"]})
    assert job["query"]["cvid"] == str(mine["id"]) and names(rows) == ["Ada"]


# --- pages ------------------------------------------------------------------------------------------


def test_records_past_the_page_size_are_read_by_the_next_page(api: TestClient, emulator: Emulator) -> None:
    emulator.bulk_reads.per_page = 3
    created = add_rows(emulator, "Leads", 7)
    first, rows = run(api, {"module": {"api_name": "Leads"}, "fields": ["Last_Name"]})
    assert (first["result"]["count"], first["result"]["more_records"], first["result"]["per_page"]) == (3, True, 3)
    assert [row[0] for row in rows[1:]] == created[:3]
    second, rows = run(api, {"module": {"api_name": "Leads"}, "fields": ["Last_Name"], "page": 2})
    assert (second["result"]["page"], second["result"]["count"], second["result"]["more_records"]) == (2, 3, True)
    assert [row[0] for row in rows[1:]] == created[3:6]
    last, rows = run(api, {"module": {"api_name": "Leads"}, "fields": ["Last_Name"], "page": 3})
    assert (last["result"]["count"], last["result"]["more_records"]) == (1, False)
    assert [row[0] for row in rows[1:]] == created[6:]


# --- ICS ----------------------------------------------------------------------------------------------


def test_events_export_as_an_ics_file(api: TestClient) -> None:
    event = insert_one(
        api,
        "Events",
        {
            "Event_Title": "Demo",
            "Start_DateTime": "2030-01-02T10:00:00+00:00",
            "End_DateTime": "2030-01-02T11:00:00+00:00",
        },
    )
    job_id = job_id_of(api.post(READ, json={"query": {"module": {"api_name": "Events"}}, "file_type": "ics"}))
    job = finished(api, job_id)
    assert (job["state"], job["file_type"]) == ("COMPLETED", "ics")
    content = zipfile.ZipFile(io.BytesIO(api.get(f"{READ}/{job_id}/result").content)).read(f"{job_id}.ics").decode()
    assert content.startswith("BEGIN:VCALENDAR\r\n") and f"UID:{event}\r\n" in content
    assert "DTSTART:20300102T100000Z" in content and "SUMMARY:Demo" in content
    refused = api.post(READ, json={"query": {"module": {"api_name": "Leads"}}, "file_type": "ics"})
    assert error_of(refused)["details"] == {"api_name": "file_type", "json_path": "$.file_type"}


# --- callback -----------------------------------------------------------------------------------------


def test_the_callback_url_receives_the_finished_job(api: TestClient) -> None:
    insert_one(api, "Leads", {"Last_Name": "Ada", "Company": "Z"})
    with receiver() as box:
        job_id = job_id_of(
            create(api, {"module": {"api_name": "Leads"}}, callback={"url": box.url + "done", "method": "post"})
        )
        (arrived,) = box.wait_for(1)
    assert (arrived.method, arrived.path) == ("POST", "/done")
    body = json.loads(arrived.body)
    assert (body["job_id"], body["operation"], body["state"]) == (job_id, "read", "COMPLETED")
    assert body["result"]["count"] == 1 and body["result"]["download_url"].endswith(f"/read/{job_id}/result")


# --- limits -------------------------------------------------------------------------------------------


def test_unfinished_and_daily_jobs_are_limited_per_edition(idle: TestClient, emulator: Emulator) -> None:
    api = idle
    with emulator.store.tx(writes=True) as conn:
        conn.execute(update(orgs).where(orgs.c.id == emulator.default_org_id).values(edition="free"))
    job_id_of(create(api, {"module": {"api_name": "Leads"}}))
    refused = error_of(create(api, {"module": {"api_name": "Leads"}}))
    assert (refused["code"], refused["details"]) == ("TOO_MANY_REQUESTS", {"limit": 1})
    emulator.bulk_reads.run_pending()
    for _ in range(9):
        job_id_of(create(api, {"module": {"api_name": "Leads"}}))
        emulator.bulk_reads.run_pending()
    refused = error_of(create(api, {"module": {"api_name": "Leads"}}))
    assert (refused["code"], refused["details"]) == ("TOO_MANY_REQUESTS", {"limit": 10})


def test_a_job_created_while_another_runs_is_queued(idle: TestClient, emulator: Emulator) -> None:
    api = idle
    job_id_of(create(api, {"module": {"api_name": "Leads"}}))
    assert emulator.bulk_reads.claim() is not None  # now IN PROGRESS
    queued = create(api, {"module": {"api_name": "Leads"}}).json()["data"][0]["details"]
    assert queued["state"] == "QUEUED"
    assert api.get(f"{READ}/{queued['id']}").json()["data"][0]["state"] == "QUEUED"


# --- scopes and errors -------------------------------------------------------------------------------


def test_bulk_read_needs_the_bulk_scope_and_the_module_read_scope(client: TestClient, make_token: TokenFactory) -> None:
    body = {"query": {"module": {"api_name": "Leads"}}}

    def post(scopes: list[str]) -> httpx.Response:
        return client.post(READ, json=body, headers={"Authorization": f"Zoho-oauthtoken {make_token(scopes)}"})

    assert error_of(post(["ZohoCRM.modules.leads.READ"]), 401)["code"] == "OAUTH_SCOPE_MISMATCH"
    assert error_of(post(["ZohoCRM.bulk.READ"]), 401)["code"] == "OAUTH_SCOPE_MISMATCH"
    assert post(["ZohoCRM.bulk.READ", "ZohoCRM.modules.leads.READ"]).status_code == 201
    assert post(["ZohoCRM.bulk.ALL", "ZohoCRM.modules.ALL"]).status_code == 201


@pytest.mark.parametrize(
    ("body", "code", "details"),
    [
        ({}, "MANDATORY_NOT_FOUND", {"api_name": "query", "json_path": "$.query"}),
        ({"query": {}}, "MANDATORY_NOT_FOUND", {"api_name": "module", "json_path": "$.query.module"}),
        (
            {"query": {"module": {"api_name": "Nope"}}},
            "MODULE_NOT_AVAILABLE",
            {"api_name": "module", "json_path": "$.query.module"},
        ),
        (
            {"query": {"module": {"api_name": "Leads"}, "fields": ["Nope"]}},
            "FIELD_NOT_AVAILABLE",
            {"api_name": "Nope", "json_path": "$.query.fields[0]"},
        ),
        (
            {"query": {"module": {"api_name": "Leads"}, "fields": "Last_Name"}},
            "INVALID_DATA",
            {"api_name": "fields", "json_path": "$.query.fields"},
        ),
        (
            {"query": {"module": {"api_name": "Leads"}, "page": 0}},
            "INVALID_DATA",
            {"api_name": "page", "json_path": "$.query.page"},
        ),
        ({"query": {"module": {"api_name": "Leads"}, "page": 51}}, "PAGE_RANGE_EXCEEDED", {"max_limit": 50}),
        (
            {"query": {"module": {"api_name": "Leads"}, "cvid": "123"}},
            "INVALID_DATA",
            {"api_name": "cvid", "json_path": "$.query.cvid"},
        ),
        (
            {"query": {"module": {"api_name": "Leads"}}, "file_type": "xls"},
            "INVALID_DATA",
            {"api_name": "file_type", "json_path": "$.file_type"},
        ),
        (
            {"query": {"module": {"api_name": "Leads"}}, "callback": {"url": "not a url", "method": "post"}},
            "INVALID_CALLBACK_URL",
            {"api_name": "url", "json_path": "$.callback.url"},
        ),
        (
            {"query": {"module": {"api_name": "Leads"}}, "callback": {"url": "https://example.com/x", "method": "get"}},
            "INVALID_CALLBACK_METHOD",
            {"api_name": "method", "json_path": "$.callback.method"},
        ),
    ],
)
def test_bad_requests_get_zoho_errors(
    api: TestClient, body: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = api.post(READ, json=body)
    found = error_of(response)
    assert (found["code"], found["details"], found["status"]) == (code, details, "error")
    validate_response(response, "bulk_read.json", READ, "POST")


LEADS = {"api_name": "Leads"}


@pytest.mark.parametrize(
    ("criteria", "code", "details"),
    [
        (
            {"field": {"api_name": "Nope"}, "comparator": "equal", "value": "x"},
            "FIELD_IN_CRITERIA_NOT_AVAILABLE",
            {"api_name": "Nope"},
        ),
        (
            {"field": {"api_name": "Description"}, "comparator": "equal", "value": "x"},
            "FIELD_IN_CRITERIA_NOT_SUPPORTED",
            {"api_name": "Description"},
        ),
        (
            {"field": {"api_name": "Annual_Revenue"}, "comparator": "contains", "value": "1"},
            "FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE",
            {
                "comparator": "contains",
                "api_name": "Annual_Revenue",
                "supported": [
                    "between",
                    "equal",
                    "greater_equal",
                    "greater_than",
                    "in",
                    "less_equal",
                    "less_than",
                    "not_between",
                    "not_equal",
                    "not_in",
                ],
            },
        ),
        (
            {"field": {"api_name": "Annual_Revenue"}, "comparator": "equal", "value": "lots"},
            "FIELD_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE",
            {"api_name": "Annual_Revenue", "expected_data_type": "double"},
        ),
        (
            {"field": {"api_name": "Company"}, "comparator": "in", "value": "x"},
            "COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE",
            {"api_name": "Company", "comparator": "in"},
        ),
        (
            {
                "group_operator": "xor",
                "group": [{"field": {"api_name": "Company"}, "comparator": "equal", "value": "x"}],
            },
            "GROUP_OPERATOR_NOT_SUPPORTED",
            {"json_path": "$.query.criteria.group_operator"},
        ),
        (
            {"group_operator": "and", "group": [], "comparator": "equal"},
            "AMBIGUOUS_CRITERIA",
            {"json_path": "$.query.criteria"},
        ),
        ({"field": {"api_name": "Company"}}, "INVALID_CRITERIA", {"json_path": "$.query.criteria"}),
        (
            {
                "group_operator": "or",
                "group": [
                    {"field": {"api_name": "Company"}, "comparator": "equal", "value": str(n)} for n in range(26)
                ],
            },
            "CRITERIA_LIMIT_EXCEEDED",
            {"limit": 25},
        ),
    ],
)
def test_bad_criteria_get_zoho_errors(
    api: TestClient, criteria: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = create(api, {"module": LEADS, "criteria": criteria})
    found = error_of(response)
    assert (found["code"], found["details"]) == (code, details)
    validate_response(response, "bulk_read.json", READ, "POST")


def test_an_unknown_job_is_not_found_and_an_unfinished_one_cannot_be_downloaded(idle: TestClient) -> None:
    api = idle
    response = api.get(f"{READ}/111111111111111111")
    missing = error_of(response, 404)
    assert (missing["code"], missing["details"]) == ("RESOURCE_NOT_FOUND", {"resource": "job_id"})
    validate_response(response, "bulk_read.json", f"{READ}/{{job_id}}", "GET")
    response = api.get(f"{READ}/111111111111111111/result")
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"
    validate_response(response, "bulk_read.json", f"{READ}/{{job_id}}/result", "GET")
    job_id = job_id_of(create(api, {"module": LEADS}))
    assert error_of(api.get(f"{READ}/{job_id}/result"))["code"] == "RESOURCE_NOT_FOUND"


def test_an_empty_body_is_refused(api: TestClient) -> None:
    assert error_of(api.post(READ, content=b""))["code"] == "REQUEST_BODY_IS_EMPTY"
