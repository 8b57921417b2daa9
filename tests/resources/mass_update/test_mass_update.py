"""/{module}/actions/mass_update: updates by ids in the call, by custom view as a job run after the
call commits, the job's status, and Zoho's errors at each edge, over HTTP and checked against
record.json and mass_update.json (OASx massUpdateRecords, getMassUpdateStatus)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.oas import validate_response
from tests.support.records import add_field, add_rows, get_one, insert_one, picklist
from zcrm_emulator import record_model
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.events import RecordEvent
from zcrm_emulator.resources.mass_update import jobs, rules, service
from zcrm_emulator.store.schema import orgs

MASS = "/crm/v8/{module}/actions/mass_update"
OAS_PATH = "/crm/v8/{module_api_name}/actions/mass_update"


def mass(api: TestClient, body: dict[str, Any], module: str = "Leads") -> httpx.Response:
    return api.post(MASS.format(module=module), json=body)


def status(api: TestClient, job_id: str, module: str = "Leads") -> httpx.Response:
    return api.get(MASS.format(module=module), params={"job_id": job_id})


def view_id(api: TestClient, name: str, module: str = "Leads") -> str:
    response = api.get("/crm/v8/settings/custom_views", params={"module": module})
    return str(next(view["id"] for view in response.json()["custom_views"] if view["name"] == name))


def leads(api: TestClient, *names: str) -> list[str]:
    return [insert_one(api, "Leads", {"Last_Name": name, "Company": "Zylker"}) for name in names]


def bare_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    return dict(response.json())


# --- by ids ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_records_named_by_ids_are_updated_in_the_call(api: TestClient, emulator: Emulator) -> None:
    first, second = leads(api, "One", "Two")
    events: list[RecordEvent] = []
    emulator.events.subscribe(events.append)
    response = mass(api, {"data": [{"Lead_Status": "Contacted"}], "ids": [first, second]})
    assert response.status_code == 200, response.text
    validate_response(response, "record.json", OAS_PATH, "POST")
    results = response.json()["data"]
    assert [r["details"]["id"] for r in results] == [first, second]
    assert all(r["code"] == "SUCCESS" and r["message"] == "record updated" for r in results)
    assert {"Modified_Time", "Modified_By", "Created_Time", "Created_By"} <= set(results[0]["details"])
    assert get_one(api, "Leads", first)["Lead_Status"] == "Contacted"
    assert get_one(api, "Leads", second)["Lead_Status"] == "Contacted"
    assert [(e.operation, set(e.ids)) for e in events] == [("update", {first, second})]


def test_an_unknown_id_fails_alone_and_the_others_are_updated(api: TestClient) -> None:
    (known,) = leads(api, "Known")
    response = mass(api, {"data": [{"Lead_Status": "Contacted"}], "ids": [known, "1234567890123456789", "abc"]})
    assert response.status_code == 207, response.text
    results = response.json()["data"]
    assert results[0]["code"] == "SUCCESS"
    assert results[1:] == [
        {
            "code": "INVALID_DATA",
            "details": {"id": raw},
            "message": "the id given seems to be invalid",
            "status": "error",
        }
        for raw in ("1234567890123456789", "abc")
    ]
    none = mass(api, {"data": [{"Lead_Status": "Contacted"}], "ids": ["1234567890123456789"]})
    assert none.status_code == 400 and none.json()["data"][0]["code"] == "INVALID_DATA"


def test_an_id_given_twice_is_updated_once(api: TestClient) -> None:
    (record,) = leads(api, "Twice")
    response = mass(api, {"data": [{"Lead_Status": "Contacted"}], "ids": [record, record]})
    assert response.status_code == 200 and len(response.json()["data"]) == 1


def test_a_value_the_field_refuses_fails_each_record_at_the_one_data_object(api: TestClient) -> None:
    first, second = leads(api, "One", "Two")
    response = mass(api, {"data": [{"No_of_Employees": "many"}], "ids": [first, second]})
    assert response.status_code == 400, response.text
    for result in response.json()["data"]:
        assert result["code"] == "INVALID_DATA"
        assert result["details"]["json_path"] == "$.data[0].No_of_Employees"


def test_a_multi_select_gains_the_values_unless_over_write(api: TestClient, emulator: Emulator) -> None:
    add_field(emulator, "Leads", "Skills", "multiselectpicklist", pick_list_values=picklist("Go", "Rust", "SQL"))
    record = insert_one(api, "Leads", {"Last_Name": "Multi", "Skills": ["Go"]})
    assert mass(api, {"data": [{"Skills": ["Rust"]}], "ids": [record]}).status_code == 200
    assert get_one(api, "Leads", record)["Skills"] == ["Go", "Rust"]
    assert mass(api, {"data": [{"Skills": ["SQL"]}], "ids": [record], "over_write": True}).status_code == 200
    assert get_one(api, "Leads", record)["Skills"] == ["SQL"]


def test_deals_take_three_fields_at_once(api: TestClient) -> None:
    deal = insert_one(api, "Deals", {"Deal_Name": "Big", "Stage": "Qualification"})
    body = {"data": [{"Amount": 10, "Probability": 20, "Next_Step": "Call"}], "ids": [deal]}
    assert mass(api, body, "Deals").status_code == 200
    assert get_one(api, "Deals", deal)["Next_Step"] == "Call"
    body["data"][0]["Type"] = "New Business"
    error = bare_error(mass(api, body, "Deals"))
    assert error["code"] == "INVALID_DATA" and error["details"]["limit"] == 3


def ids_body(**extra: Any) -> dict[str, Any]:
    return {"data": [{"Lead_Status": "Contacted"}], "ids": ["1234567890123456789"], **extra}


@pytest.mark.parametrize(
    ("body", "code", "details"),
    [
        ({"ids": ["1"]}, "MANDATORY_NOT_FOUND", {}),
        ({"data": [], "ids": ["1"]}, "MANDATORY_NOT_FOUND", {}),
        ({"data": [{}], "ids": ["1"]}, "MANDATORY_NOT_FOUND", {}),
        (ids_body(ids=[]), "MANDATORY_NOT_FOUND", {"api_name": "ids", "json_path": "$.ids"}),
        ({"data": [{"Lead_Status": "Contacted"}]}, "MANDATORY_NOT_FOUND", {"api_name": "ids", "json_path": "$.ids"}),
    ],
)
def test_missing_field_values_are_answered_inside_data(
    api: TestClient, body: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = mass(api, body)
    assert response.status_code == 400
    assert response.json() == {
        "data": [{"code": code, "details": details, "message": "required field not found", "status": "error"}]
    }


@pytest.mark.parametrize(
    ("body", "code", "details"),
    [
        ({"data": {"Lead_Status": "x"}, "ids": ["1"]}, "INVALID_DATA", {"api_name": "data", "json_path": "$.data"}),
        ({"data": [{"A": 1}, {"B": 2}], "ids": ["1"]}, "INVALID_DATA", {"json_path": "$.data", "limit": 1}),
        ({"data": ["x"], "ids": ["1"]}, "INVALID_DATA", {"json_path": "$.data[0]"}),
        (
            {"data": [{"Lead_Status": "Contacted", "Rating": "Active"}], "ids": ["1"]},
            "INVALID_DATA",
            {"json_path": "$.data[0]", "limit": 1},
        ),
        ({"data": [{"Nope": 1}], "ids": ["1"]}, "INVALID_DATA", {"api_name": "Nope", "json_path": "$.data[0].Nope"}),
        ({"data": [{"Email": "a@b.c"}], "ids": ["1"]}, "INVALID_DATA", {"json_path": "$.data[0].Email"}),
        ({"data": [{"Description": "x"}], "ids": ["1"]}, "INVALID_DATA", {"json_path": "$.data[0].Description"}),
        ({"data": [{"Layout": {"id": "1"}}], "ids": ["1"]}, "INVALID_DATA", {"json_path": "$.data[0].Layout"}),
        ({"data": [{"Owner": {"id": "1"}}], "ids": ["1"]}, "INVALID_DATA", {"json_path": "$.data[0].Owner"}),
        ({"data": [{"Converted__s": True}], "ids": ["1"]}, "INVALID_DATA", {"json_path": "$.data[0].Converted__s"}),
        (ids_body(cvid="1"), "INVALID_DATA", {"api_name": "cvid", "json_path": "$.cvid"}),
        (ids_body(ids="1"), "INVALID_DATA", {"api_name": "ids", "expected_data_type": "jsonarray"}),
        (ids_body(ids=[str(n) for n in range(501)]), "INVALID_DATA", {"api_name": "ids", "limit": 500}),
        (ids_body(over_write="yes"), "INVALID_DATA", {"api_name": "over_write", "expected_data_type": "boolean"}),
        (ids_body(territory={"id": "1"}), "INVALID_DATA", {"api_name": "territory"}),
        (
            {"data": [{"Lead_Status": "Contacted"}], "cvid": "1", "territory": {"id": "1"}},
            "INVALID_DATA",
            {"json_path": "$.territory.id"},
        ),
        ({"data": [{"Lead_Status": "Contacted"}], "cvid": "x1"}, "INVALID_DATA", {"api_name": "cvid"}),
        ({"data": [{"Lead_Status": "Contacted"}], "cvid": "123456789"}, "INVALID_DATA", {"json_path": "$.cvid"}),
    ],
)
def test_each_body_rule_answers_zohos_error(
    api: TestClient, body: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = mass(api, body)
    error = bare_error(response)
    assert error["code"] == code and error["status"] == "error"
    assert details.items() <= error["details"].items()
    validate_response(response, "mass_update.json", "/crm/v8/{module}/actions/mass_update", "POST")


def test_an_unknown_cvid_has_zohos_message(api: TestClient) -> None:
    response = mass(api, {"data": [{"Lead_Status": "Contacted"}], "cvid": "1234567890123456789"})
    assert bare_error(response) == {
        "code": "INVALID_DATA",
        "details": {"api_name": "cvid", "json_path": "$.cvid"},
        "message": "the cvid given seems to be invalid",
        "status": "error",
    }
    validate_response(response, "mass_update.json", "/crm/v8/{module}/actions/mass_update", "POST")


@pytest.mark.parametrize("module", ["Cases", "Notes"])
def test_a_module_mass_update_does_not_serve_is_not_supported(api: TestClient, module: str) -> None:
    response = mass(api, ids_body(), module)
    assert bare_error(response)["code"] == "NOT_SUPPORTED"
    assert response.json()["details"] == {"resource_path_index": 0}


def test_the_mass_update_or_the_record_scope_is_needed(client: TestClient, make_token: TokenFactory) -> None:
    for scopes, expected in (
        (["ZohoCRM.settings.ALL"], 401),
        (["ZohoCRM.mass_update.leads.READ"], 401),
        (["ZohoCRM.mass_update.leads.UPDATE"], 400),
        (["ZohoCRM.mass_update.ALL"], 400),
        (["ZohoCRM.modules.leads.UPDATE"], 400),
    ):
        headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=scopes)}"}
        response = client.post(MASS.format(module="Leads"), json=ids_body(), headers=headers)
        assert response.status_code == expected, (scopes, response.text)


# --- by custom view -------------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_a_view_is_updated_by_a_job_whose_status_counts_its_records(api: TestClient) -> None:
    first, second = leads(api, "One", "Two")
    deal = insert_one(api, "Deals", {"Deal_Name": "Other", "Stage": "Qualification"})
    response = mass(api, {"data": [{"Lead_Status": "Contacted"}], "cvid": view_id(api, "All Leads")})
    assert response.status_code == 200, response.text
    validate_response(response, "record.json", OAS_PATH, "POST")
    (result,) = response.json()["data"]
    assert result == {
        "code": "SUCCESS",
        "details": {"job_id": result["details"]["job_id"]},
        "message": "mass update scheduled successfully",
        "status": "success",
    }
    # The in-process client returns once the response's background task (the job) has run.
    job = status(api, result["details"]["job_id"])
    validate_response(job, "record.json", OAS_PATH)
    assert job.json() == {
        "data": [
            {"Status": "COMPLETED", "Failed_Count": 0, "Updated_Count": 2, "Not_Updated_Count": 0, "Total_Count": 2}
        ]
    }
    assert get_one(api, "Leads", first)["Lead_Status"] == "Contacted"
    assert get_one(api, "Leads", second)["Lead_Status"] == "Contacted"
    assert bare_error(status(api, result["details"]["job_id"], "Deals"))["code"] == "INVALID_DATA"
    assert deal


def test_a_job_is_scheduled_in_the_call_and_runs_after_it(api: TestClient, emulator: Emulator) -> None:
    first, second = leads(api, "One", "Two")
    org_id, now = emulator.default_org_id, emulator.clock.now_ms()
    with emulator.store.tx(writes=True) as conn:
        meta = record_model.load_module(conn, org_id, "Leads", now, emulator.memo)
        cvid = view_id(api, "All Leads")
        request = rules.MassUpdate({"Rating": "Active"}, None, cvid, False)
        admin = api.get("/crm/v8/users", params={"type": "CurrentUser"}).json()["users"][0]["id"]
        job_id = service.schedule(conn, org_id, admin, meta, request, now)
    assert status(api, job_id).json()["data"][0] == {
        "Status": "SCHEDULED",
        "Failed_Count": 0,
        "Updated_Count": 0,
        "Not_Updated_Count": 2,
        "Total_Count": 2,
    }
    api.delete("/crm/v8/Leads", params={"ids": second})  # gone before the job runs: not updated
    events: list[RecordEvent] = []
    emulator.events.subscribe(events.append)
    jobs.run_job(emulator, org_id, job_id, "req-1")
    assert [(e.operation, e.ids, e.cause.trigger, e.cause.request_id) for e in events] == [
        ("update", (first,), None, "req-1")
    ]
    assert status(api, job_id).json()["data"][0] == {
        "Status": "COMPLETED",
        "Failed_Count": 0,
        "Updated_Count": 1,
        "Not_Updated_Count": 1,
        "Total_Count": 2,
    }
    assert get_one(api, "Leads", first)["Rating"] == "Active"
    jobs.run_job(emulator, org_id, job_id, None)  # a finished job never runs again
    assert status(api, job_id).json()["data"][0]["Updated_Count"] == 1


def test_a_job_over_a_thousand_records_runs_no_automation(api: TestClient, emulator: Emulator) -> None:
    add_rows(emulator, "Leads", rules.AUTOMATION_MAX_RECORDS + 1)
    events: list[RecordEvent] = []
    emulator.events.subscribe(events.append)
    response = mass(api, {"data": [{"Rating": "Active"}], "cvid": view_id(api, "All Leads")})
    job = status(api, response.json()["data"][0]["details"]["job_id"]).json()["data"][0]
    assert job["Status"] == "COMPLETED" and job["Updated_Count"] == rules.AUTOMATION_MAX_RECORDS + 1
    assert events and all(event.cause.trigger == () for event in events)
    assert sum(len(event.ids) for event in events) == rules.AUTOMATION_MAX_RECORDS + 1


def test_a_view_without_records_is_no_records_found(api: TestClient) -> None:
    response = mass(api, {"data": [{"Lead_Status": "Contacted"}], "cvid": view_id(api, "Junk Leads")})
    assert bare_error(response) == {
        "code": "NO_RECORDS_FOUND",
        "details": {},
        "message": "no records found",
        "status": "error",
    }
    validate_response(response, "mass_update.json", "/crm/v8/{module}/actions/mass_update", "POST")


def test_a_view_mass_update_needs_enterprise(api: TestClient, emulator: Emulator) -> None:
    leads(api, "One")
    with emulator.store.tx(writes=True) as conn:
        conn.execute(update(orgs).where(orgs.c.id == emulator.default_org_id).values(edition="professional"))
    response = mass(api, {"data": [{"Lead_Status": "Contacted"}], "cvid": view_id(api, "All Leads")})
    assert bare_error(response)["code"] == "NOT_SUPPORTED"
    assert response.json()["details"] == {"api_name": "cvid", "json_path": "$.cvid"}


@pytest.mark.parametrize(
    ("params", "code", "details"),
    [
        ({}, "MANDATORY_NOT_FOUND", {"param_name": "job_id"}),
        ({"job_id": " "}, "MANDATORY_NOT_FOUND", {"param_name": "job_id"}),
        ({"job_id": "1234567890123456789"}, "INVALID_DATA", {"param_name": "job_id"}),
        ({"job_id": "abc"}, "INVALID_DATA", {"param_name": "job_id"}),
    ],
)
def test_the_status_needs_a_job_of_the_module(
    api: TestClient, params: dict[str, str], code: str, details: dict[str, Any]
) -> None:
    error = bare_error(api.get(MASS.format(module="Leads"), params=params))
    assert error["code"] == code and error["details"] == details
    if code == "INVALID_DATA":
        assert error["message"] == "The jobid given seems to be invalid"
    validate_response(
        api.get(MASS.format(module="Leads"), params=params), "mass_update.json", "/crm/v8/{module}/actions/mass_update"
    )
