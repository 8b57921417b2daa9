"""Bulk write: a zipped CSV uploaded (``/crm/v8/upload``, its headers and Zoho's limits), a job created
over ``/crm/bulk/v8/write`` and run by the worker, its status and its result file (a row per uploaded
row with STATUS, RECORD_ID and ERRORS); insert, update and upsert, field mappings, ``find_by``, the
record API's own errors per row, the callback, and no workflow rules run. Checked against
bulk_write.json where it describes the answer."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.oas import validate_response
from tests.support.receiver import receiver
from tests.support.records import get_one, insert_one
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.events import RecordEvent
from zcrm_emulator.resources.bulk_write import rules
from zcrm_emulator.resources.org import repo as org_repo

pytestmark = pytest.mark.usefixtures("both_backends")

UPLOAD = "/crm/v8/upload"
WRITE = "/crm/bulk/v8/write"
SCOPES = ["ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL", "ZohoCRM.users.ALL", "ZohoCRM.org.ALL"]
BULK_SCOPES = [*SCOPES, "ZohoCRM.bulk.ALL", "ZohoFiles.files.ALL"]


@pytest.fixture
def auth(make_token: TokenFactory) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {make_token(BULK_SCOPES)}"}


@pytest.fixture
def zgid(emulator: Emulator) -> str:
    with emulator.store.tx() as conn:
        return str(org_repo.get_org(conn, emulator.default_org_id)["zgid"])


def zipped(rows: list[list[str]], name: str = "Leads.csv", **more: str) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text.getvalue())
        for other, content in more.items():
            archive.writestr(other, content)
    return buffer.getvalue()


def upload(api: TestClient, zgid: str, content: bytes, **headers: str) -> httpx.Response:
    sent = {"feature": "bulk-write", "X-CRM-ORG": zgid, **headers}
    sent = {k: v for k, v in sent.items() if v}
    return api.post(UPLOAD, headers=sent, files={"file": ("data.zip", content, "application/zip")})


def file_id(api: TestClient, zgid: str, rows: list[list[str]]) -> str:
    response = upload(api, zgid, zipped(rows))
    assert response.status_code == 200, response.text
    return str(response.json()["details"]["file_id"])


def resource(fid: str, module: str = "Leads", **extra: Any) -> dict[str, Any]:
    return {"type": "data", "module": {"api_name": module}, "file_id": fid, **extra}


def create(api: TestClient, operation: str, *resources: dict[str, Any], **extra: Any) -> httpx.Response:
    return api.post(WRITE, json={"operation": operation, "resource": list(resources), **extra})


def finished(api: TestClient, job_id: str, timeout_s: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(f"{WRITE}/{job_id}").json()
        if job["status"] in rules.FINISHED:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def result_rows(api: TestClient, job: dict[str, Any]) -> list[list[str]]:
    response = api.get(job["result"]["download_url"])
    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    (name,) = archive.namelist()
    return list(csv.reader(io.StringIO(archive.read(name).decode())))


def run(api: TestClient, operation: str, *resources: dict[str, Any], **extra: Any) -> dict[str, Any]:
    created = create(api, operation, *resources, **extra)
    assert created.status_code == 201, created.text
    job = finished(api, created.json()["details"]["id"])
    assert job["status"] == rules.COMPLETED, job
    return job


def error_of(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


# --- upload ---------------------------------------------------------------------------------------


def test_an_uploaded_zip_gets_a_file_id(api: TestClient, zgid: str) -> None:
    response = upload(api, zgid, zipped([["Last_Name", "Company"], ["Ada", "Zylker"]]))
    validate_response(response, "upload.json", "/upload", "POST")  # bulk_write.json shares the job's schema
    body = response.json()
    assert (body["status"], body["code"], body["message"]) == ("success", "FILE_UPLOAD_SUCCESS", "file uploaded.")
    assert body["details"]["file_id"].isdigit() and body["details"]["created_time"]


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"feature": ""}, "MANDATORY_NOT_FOUND"),
        ({"X-CRM-ORG": ""}, "MANDATORY_NOT_FOUND"),
        ({"feature": "bulk-read"}, "NOT_SUPPORTED_FEATURE"),
        ({"X-CRM-ORG": "12345"}, "INVALID_DATA"),
    ],
)
def test_an_upload_needs_the_feature_and_org_headers(
    api: TestClient, zgid: str, headers: dict[str, str], code: str
) -> None:
    refused = error_of(upload(api, zgid, zipped([["Last_Name"], ["Ada"]]), **headers))
    assert refused["code"] == code
    assert refused["message"] == "check if headers [feature, X-CRM-ORG] are present and valid"


def test_an_upload_must_be_a_zip_of_one_csv(api: TestClient, zgid: str) -> None:
    not_zip = error_of(upload(api, zgid, b"Last_Name\nAda\n"))
    assert (not_zip["code"], not_zip["message"]) == (
        "INVALID_FILE_FORMAT",
        "invalid file format. only zip format is supported",
    )
    two = error_of(upload(api, zgid, zipped([["Last_Name"], ["Ada"]], **{"More.csv": "Last_Name\nBo\n"})))
    assert (two["code"], two["message"]) == ("FILE_NOT_SUPPORTED", "File not supported for bulk write")


def test_an_upload_past_zohos_size_and_row_limits_is_refused(
    api: TestClient, zgid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "MAX_ROWS", 2)
    rows = error_of(upload(api, zgid, zipped([["Last_Name"], ["A"], ["B"], ["C"]])))
    assert (rows["code"], rows["details"]) == ("LIMIT_EXCEEDED", {"limit": 2})
    monkeypatch.setattr(rules, "MAX_ZIP_BYTES", 10)
    large = error_of(upload(api, zgid, zipped([["Last_Name"], ["A"]])), status=413)
    assert (large["code"], large["message"]) == ("FILE_TOO_LARGE", "File size too large to process")


def test_an_upload_needs_the_files_scope(api: TestClient, zgid: str, make_token: TokenFactory) -> None:
    token = make_token([*SCOPES, "ZohoCRM.bulk.ALL"])
    response = api.post(
        UPLOAD,
        headers={"Authorization": f"Zoho-oauthtoken {token}", "feature": "bulk-write", "X-CRM-ORG": zgid},
        files={"file": ("data.zip", zipped([["Last_Name"], ["Ada"]]), "application/zip")},
    )
    assert error_of(response, 401)["code"] == "OAUTH_SCOPE_MISMATCH"


# --- insert, update, upsert -----------------------------------------------------------------------


def test_insert_writes_each_row_and_reports_it_in_the_result_file(api: TestClient, zgid: str) -> None:
    fid = file_id(
        api, zgid, [["Last_Name", "Company", "Email"], ["Ada", "Zylker", "ada@x.com"], ["", "Acme", "b@x.com"]]
    )
    created = create(api, "insert", resource(fid))
    validate_response(created, "bulk_write.json", WRITE, "POST")
    body = created.json()
    assert (body["status"], body["code"], body["message"]) == ("success", "SUCCESS", "success")
    job = finished(api, body["details"]["id"])
    validate_response(api.get(f"{WRITE}/{job['id']}"), "bulk_write.json", f"{WRITE}/{{job_id}}", "GET")
    assert job["status"] == "COMPLETED" and job["operation"] == "insert"
    (done,) = job["resource"]
    assert done["status"] == "COMPLETED" and done["module"]["api_name"] == "Leads"
    assert done["file"] == {
        "status": "COMPLETED",
        "name": "Leads.csv",
        "added_count": 1,
        "skipped_count": 1,
        "updated_count": 0,
        "total_count": 2,
    }
    assert job["result"]["download_url"] == f"/crm/bulk/v8/write/{job['id']}/result"
    header, added, skipped = result_rows(api, job)
    assert header == ["Last_Name", "Company", "Email", "STATUS", "RECORD_ID", "ERRORS"]
    assert added[:4] == ["Ada", "Zylker", "ada@x.com", "ADDED"] and added[5] == ""
    assert get_one(api, "Leads", added[4])["Last_Name"] == "Ada"
    assert skipped == ["", "Acme", "b@x.com", "SKIPPED", "", "MANDATORY_NOT_FOUND-Last_Name"]


def test_a_row_gets_the_record_apis_own_error(api: TestClient, zgid: str) -> None:
    insert_one(api, "Leads", {"Last_Name": "Old", "Email": "taken@x.com"})
    fid = file_id(api, zgid, [["Last_Name", "Email", "No_of_Employees"], ["A", "not-an-email", "3"], ["B", "", "x"]])
    job = run(api, "insert", resource(fid))
    rows = result_rows(api, job)
    assert [row[3:] for row in rows[1:]] == [
        ["SKIPPED", "", "INVALID_DATA-Email"],
        ["SKIPPED", "", "INVALID_DATA-No_of_Employees"],
    ]


def test_update_finds_records_by_the_find_by_field(api: TestClient, zgid: str) -> None:
    lead = insert_one(api, "Leads", {"Last_Name": "Ada", "Email": "ada@x.com", "Company": "Old"})
    fid = file_id(api, zgid, [["Email", "Company"], ["ADA@x.com", "New"], ["nobody@x.com", "None"]])
    job = run(api, "update", resource(fid, find_by="Email"))
    assert job["resource"][0]["file"]["updated_count"] == 1
    assert job["resource"][0]["file"]["skipped_count"] == 1
    rows = result_rows(api, job)
    assert rows[1][2:] == ["UPDATED", lead, ""]
    assert rows[2][2:] == ["SKIPPED", "", "RESOURCE_NOT_FOUND-Email"]
    assert get_one(api, "Leads", lead)["Company"] == "New"


def test_update_by_id_and_empty_cells_empty_the_field_unless_ignored(api: TestClient, zgid: str) -> None:
    first = insert_one(api, "Leads", {"Last_Name": "A", "Company": "Keep", "City": "Paris"})
    second = insert_one(api, "Leads", {"Last_Name": "B", "Company": "Keep", "City": "Rome"})
    fid = file_id(api, zgid, [["Id", "City"], [first, ""]])
    run(
        api,
        "update",
        resource(fid, find_by="id", field_mappings=[{"api_name": "id", "index": 0}, {"api_name": "City", "index": 1}]),
    )
    assert get_one(api, "Leads", first)["City"] is None
    fid = file_id(api, zgid, [["Id", "City"], [second, ""]])
    mappings = [{"api_name": "id", "index": 0}, {"api_name": "City", "index": 1}]
    run(api, "update", resource(fid, find_by="id", field_mappings=mappings), ignore_empty=True)
    assert get_one(api, "Leads", second)["City"] == "Rome"


def test_upsert_updates_what_find_by_matches_and_inserts_the_rest(api: TestClient, zgid: str) -> None:
    lead = insert_one(api, "Leads", {"Last_Name": "Ada", "Email": "ada@x.com"})
    fid = file_id(api, zgid, [["Last_Name", "Email"], ["Ada L", "ada@x.com"], ["Bo", "bo@x.com"]])
    job = run(api, "upsert", resource(fid, find_by="Email"))
    file = job["resource"][0]["file"]
    assert (file["added_count"], file["updated_count"], file["skipped_count"]) == (1, 1, 0)
    rows = result_rows(api, job)
    assert rows[1][2:4] == ["UPDATED", lead] and rows[2][2] == "ADDED"
    assert get_one(api, "Leads", lead)["Last_Name"] == "Ada L"


# --- field mappings -------------------------------------------------------------------------------


def test_field_mappings_pick_columns_read_formats_and_find_lookups(api: TestClient, zgid: str) -> None:
    account = insert_one(api, "Accounts", {"Account_Name": "Zylker"})
    me = api.get("/crm/v8/users?type=CurrentUser").json()["users"][0]
    fid = file_id(
        api,
        zgid,
        [
            ["ignored", "Name", "Account", "Birthday", "Owner email"],
            ["x", "Ada", "zylker", "12/31/1990", me["email"].upper()],
        ],
    )
    mappings = [
        {"api_name": "Last_Name", "index": 1},
        {"api_name": "Account_Name", "index": 2, "find_by": "Account_Name"},
        {"api_name": "Date_of_Birth", "index": 3, "format": "MM/dd/yyyy"},
        {"api_name": "Owner", "index": 4, "find_by": "email"},
        {"api_name": "Department", "default_value": {"value": "Sales"}},
    ]
    job = run(api, "insert", resource(fid, "Contacts", field_mappings=mappings))
    assert job["resource"][0]["field_mappings"][1]["find_by"] == "Account_Name"
    rows = result_rows(api, job)
    assert rows[0] == ["Name", "Account", "Birthday", "STATUS", "RECORD_ID", "ERRORS"]
    assert rows[1][3] == "ADDED", rows
    contact = get_one(api, "Contacts", rows[1][4])
    assert contact["Account_Name"]["id"] == account and contact["Date_of_Birth"] == "1990-12-31"
    assert contact["Owner"]["id"] == me["id"] and contact["Department"] == "Sales"


def test_a_lookup_value_that_finds_nothing_fails_its_row(api: TestClient, zgid: str) -> None:
    fid = file_id(api, zgid, [["Last_Name", "Account_Name.Account_Name"], ["Ada", "Nowhere Inc"]])
    job = run(api, "insert", resource(fid, "Contacts"))
    assert result_rows(api, job)[1][2:] == ["SKIPPED", "", "INVALID_DATA-Account_Name.Account_Name"]


# --- the create call's errors ---------------------------------------------------------------------


def test_create_refuses_what_zoho_refuses(api: TestClient, zgid: str) -> None:
    fid = file_id(api, zgid, [["Last_Name", "Company"], ["Ada", "Zylker"]])
    missing = error_of(api.post(WRITE, json={"resource": [resource(fid)]}))
    assert (missing["code"], missing["message"]) == (
        "MANDATORY_NOT_FOUND",
        "required key operation is not found in request body.",
    )
    method = error_of(create(api, "insert", resource(fid), callback={"url": "https://x.example", "method": "get"}))
    assert (method["code"], method["details"]) == ("INVALID_CALLBACK_METHOD", {"supported_callback_methods": ["post"]})
    module = error_of(create(api, "insert", resource(fid, "asdf")))
    assert (module["code"], module["message"]) == ("MODULE_NOT_AVAILABLE", "Requested module 'asdf' is not available.")
    assert error_of(create(api, "insert", resource("123")))["code"] == "INVALID_FILE_ID"
    bad_name = error_of(create(api, "insert", resource(fid, field_mappings=[{"api_name": "ast_Name", "index": 0}])))
    assert (bad_name["code"], bad_name["message"]) == ("INVALID_FIELD", "invalid mapping. invalid api_name ast_Name.")
    no_index = error_of(create(api, "insert", resource(fid, field_mappings=[{"api_name": "Company"}])))
    assert (no_index["code"], no_index["message"]) == (
        "MISSING_REQUIRED_KEY",
        "required key index for field Company is not found in request body.",
    )
    unmapped = error_of(create(api, "insert", resource(fid, field_mappings=[{"api_name": "Company", "index": 1}])))
    assert (unmapped["code"], unmapped["message"]) == (
        "MANDATORY_FIELDS_NOT_MAPPED",
        "All mandatory fields are not mapped for the layout",
    )
    far = error_of(create(api, "insert", resource(fid, field_mappings=[{"api_name": "Last_Name", "index": 5}])))
    assert far["code"] == "COLUMN_INDEX_NOT_FOUND"
    no_find_by = error_of(create(api, "update", resource(fid)))
    assert (no_find_by["code"], no_find_by["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", "find_by")
    bad_op = error_of(create(api, "delete", resource(fid)))
    assert (bad_op["code"], bad_op["details"]["api_name"]) == ("INVALID_DATA", "operation")


def test_an_unknown_job_is_resource_not_found(api: TestClient) -> None:
    refused = error_of(api.get(f"{WRITE}/111111000000000001"))
    assert refused["code"] == "RESOURCE_NOT_FOUND"
    validate_response(api.get(f"{WRITE}/111111000000000001"), "bulk_write.json", f"{WRITE}/{{job_id}}", "GET")


# --- the callback and automation ------------------------------------------------------------------


def test_the_callback_gets_the_finished_job(api: TestClient, zgid: str) -> None:
    fid = file_id(api, zgid, [["Last_Name"], ["Ada"]])
    with receiver() as box:
        created = create(api, "insert", resource(fid), callback={"url": box.url + "done", "method": "post"})
        job_id = created.json()["details"]["id"]
        (arrived,) = box.wait_for(1)
    assert (arrived.method, arrived.path) == ("POST", "/done")
    body = json.loads(arrived.body)
    assert (body["id"], body["status"], body["operation"]) == (job_id, "COMPLETED", "insert")
    assert body["resource"][0]["file"]["added_count"] == 1
    assert body["result"]["download_url"].endswith(f"/write/{job_id}/result")


def test_written_records_emit_events_that_run_no_workflow_rules(api: TestClient, zgid: str, emulator: Emulator) -> None:
    seen: list[RecordEvent] = []
    unsubscribe = emulator.events.subscribe(seen.append)
    try:
        fid = file_id(api, zgid, [["Last_Name"], ["Ada"], ["Bo"]])
        job = run(api, "insert", resource(fid))
    finally:
        unsubscribe()
    (event,) = [e for e in seen if e.module == "Leads"]
    assert event.operation == "create" and len(event.changes) == 2
    assert event.cause.trigger == ()  # Zoho's bulk write runs no workflow rules
    assert {row[2] for row in result_rows(api, job)[1:]} == set(event.ids)
