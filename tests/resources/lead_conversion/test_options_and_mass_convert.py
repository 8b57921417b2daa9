"""GET /Leads/{id}/__conversion_options (conversion_option.json) and the mass convert job,
POST and GET /Leads/actions/mass_convert (mass_convert.json), over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.resources.lead_conversion.test_convert import DEAL, convert, converted, count, create, lead, record
from tests.support.allowances import CONVERSION_OPTIONS, MASS_CONVERT, MASS_CONVERT_STATUS
from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

OPTIONS_OAS, OPTIONS_PATH = "conversion_option.json", "/crm/v8/Leads/{lead_id}/__conversion_options"
MASS_OAS, MASS_PATH = "mass_convert.json", "/crm/v8/Leads/actions/mass_convert"
MASS_SCOPES = ["ZohoCRM.mass_convert.leads.CREATE", "ZohoCRM.mass_convert.leads.READ"]


def options(api: TestClient, lead_id: str) -> httpx.Response:
    response = api.get(f"/crm/v8/Leads/{lead_id}/__conversion_options")
    validate_response(response, OPTIONS_OAS, OPTIONS_PATH, "GET", allow=CONVERSION_OPTIONS)
    return response


@pytest.fixture
def mass(client: TestClient, make_token: TokenFactory) -> TestClient:
    """The client with a token holding every test scope and the mass convert ones."""
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token(scopes=[*ALL_SCOPES, *MASS_SCOPES])}"
    return client


def admin(emulator: Emulator) -> str:
    from tests.support.records import admin_id

    return admin_id(emulator)


def start(api: TestClient, body: dict[str, Any]) -> httpx.Response:
    response = api.post(MASS_PATH, json=body)
    mandatory = response.json().get("code") == "MANDATORY_NOT_FOUND"
    validate_response(response, MASS_OAS, MASS_PATH, "POST", allow=MASS_CONVERT if mandatory else ())
    return response


def status(api: TestClient, job_id: str | None) -> httpx.Response:
    response = api.get(MASS_PATH, params={} if job_id is None else {"job_id": job_id})
    validate_response(response, MASS_OAS, MASS_PATH, "GET", allow=MASS_CONVERT_STATUS if job_id is None else ())
    return response


# --- conversion options ---------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_the_options_show_the_contacts_and_accounts_the_lead_matches_and_their_deals(api: TestClient) -> None:
    by_email = create(api, "Contacts", Last_Name="Boyle", Email="pat.boyle@zylker.example")
    by_phone = create(api, "Contacts", Last_Name="Pat", Phone="9844444444")
    create(api, "Contacts", Last_Name="Stranger", Email="someone@else.example")
    account_id = create(api, "Accounts", Account_Name="ZYLKER biotech")
    deal_id = create(api, "Deals", **DEAL, Account_Name={"id": account_id})
    lead_id = lead(api)

    response = options(api, lead_id)

    assert response.status_code == 200
    found = response.json()["__conversion_options"]
    assert found["module_preference"]["api_name"] == "Contacts"
    assert [c["id"] for c in found["Contacts"]] == [by_email, by_phone]
    assert found["Contacts"][0]["Email"] == "pat.boyle@zylker.example"
    assert [a["id"] for a in found["Accounts"]] == [account_id]
    assert found["Accounts"][0]["Account_Name"] == "ZYLKER biotech"
    assert [d["id"] for d in found["Deals"]] == [deal_id]
    matched = found["preference_field_matched_value"]
    assert [(m["field"]["api_name"], m["matched_lead_value"]) for m in matched["Contacts"]] == [
        ("Email", "pat.boyle@zylker.example"),
        ("Phone", "9844444444"),
    ]
    assert [(m["field"]["api_name"], m["matched_lead_value"]) for m in matched["Accounts"]] == [
        ("Account_Name", "Zylker Biotech")
    ]
    assert matched["Deals"] == [] and found["modules_with_multiple_layouts"] == []


def test_a_lead_matching_nothing_has_empty_options(api: TestClient) -> None:
    found = options(api, lead(api, Email="nobody@zylker.example", Phone=None)).json()["__conversion_options"]
    assert (found["Contacts"], found["Accounts"], found["Deals"]) == ([], [], [])
    assert found["preference_field_matched_value"] == {"Contacts": [], "Accounts": [], "Deals": []}


def test_accounts_alone_are_preferred_when_only_they_match(api: TestClient) -> None:
    create(api, "Accounts", Account_Name="Zylker Biotech")
    found = options(api, lead(api, Phone=None)).json()["__conversion_options"]
    assert found["module_preference"]["api_name"] == "Accounts"


@pytest.mark.parametrize("lead_id", ["12345678901234567", "abc"])
def test_options_of_no_lead_are_no_content(api: TestClient, lead_id: str) -> None:
    assert options(api, lead_id).status_code == 204


def test_options_of_a_converted_lead_are_no_content(api: TestClient) -> None:
    lead_id = lead(api)
    converted(convert(api, lead_id), with_deal=False)
    assert options(api, lead_id).status_code == 204


# --- mass convert ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_a_mass_convert_job_converts_its_leads_and_counts_the_rest(mass: TestClient, emulator: Emulator) -> None:
    rep = add_standard_user(emulator)
    fresh = [lead(mass, Email=f"l{n}@zylker.example", Company=f"Co {n}") for n in range(3)]
    already = lead(mass, Email="done@zylker.example")
    converted(convert(mass, already), with_deal=False)

    response = start(mass, {"ids": [*fresh, already, "12345678901234567"], "assign_to": {"id": rep}, "Deals": DEAL})

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["code"], body["status"]) == ("SCHEDULED", "success")
    read = status(mass, body["details"]["job_id"])
    assert read.status_code == 200
    assert read.json() == {
        "data": [
            {"Status": "COMPLETED", "Failed_Count": 2, "Not_Converted_Count": 0, "Total_Count": 5, "Converted_Count": 3}
        ]
    }
    for lead_id in fresh:
        stored = record(mass, "Leads", lead_id)
        assert stored["Converted__s"] is True
        assert record(mass, "Deals", stored["Converted_Deal"]["id"])["Owner"]["id"] == rep
    assert count(mass, "Deals") == 3


def test_a_lead_the_deals_module_refuses_fails_alone(mass: TestClient, emulator: Emulator) -> None:
    lead_id = lead(mass)
    response = start(mass, {"ids": [lead_id], "assign_to": {"id": admin(emulator)}, "Deals": {**DEAL, "Stage": "No"}})
    job = status(mass, response.json()["details"]["job_id"]).json()["data"][0]
    assert (job["Converted_Count"], job["Failed_Count"]) == (0, 1)
    assert count(mass, "Contacts") == 0 and count(mass, "Accounts") == 0
    assert record(mass, "Leads", lead_id)["$converted_detail"] == {}


@pytest.mark.parametrize(
    ("body", "code", "details"),
    [
        ({"assign_to": {"id": "1"}}, "MANDATORY_NOT_FOUND", {"api_name": "ids", "json_path": "$.ids"}),
        ({"ids": [], "assign_to": {"id": "1"}}, "MANDATORY_NOT_FOUND", {"api_name": "ids", "json_path": "$.ids"}),
        (
            {"ids": "1", "assign_to": {"id": "1"}},
            "INVALID_DATA",
            {"api_name": "ids", "json_path": "$.ids", "expected_data_type": "jsonarray"},
        ),
        (
            {"ids": [str(10**17 + n) for n in range(51)], "assign_to": {"id": "1"}},
            "INVALID_DATA",
            {"api_name": "ids", "json_path": "$.ids", "maximum_length": 50},
        ),
        ({"ids": ["1", "x"], "assign_to": {"id": "1"}}, "INVALID_DATA", {"api_name": "ids", "json_path": "$.ids[1]"}),
        ({"ids": ["1"]}, "MANDATORY_NOT_FOUND", {"api_name": "assign_to", "json_path": "$.assign_to"}),
        (
            {"ids": ["1"], "assign_to": {"id": "1"}},
            "INVALID_DATA",
            {"api_name": "assign_to", "json_path": "$.assign_to"},
        ),
        (
            {"ids": ["1"], "assign_to": {"id": "1"}, "Deals": {"Deal_Name": "d"}},
            "MANDATORY_NOT_FOUND",
            {"api_name": "Stage", "json_path": "$.Deals.Stage"},
        ),
    ],
)
def test_a_mass_convert_body_is_checked_before_anything_runs(
    mass: TestClient, body: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = start(mass, body)
    assert response.status_code == 400, response.text
    assert (response.json()["code"], response.json()["details"]) == (code, details)


def test_fifty_ids_are_accepted(mass: TestClient, emulator: Emulator) -> None:
    body = {"ids": [str(10**17 + n) for n in range(50)], "assign_to": {"id": admin(emulator)}}
    job_id = start(mass, body).json()["details"]["job_id"]
    assert status(mass, job_id).json()["data"][0]["Failed_Count"] == 50


@pytest.mark.parametrize(
    ("job_id", "code", "details"),
    [
        (None, "REQUIRED_PARAM_MISSING", {"param_name": "job_id"}),
        ("12345678901234567", "INVALID_DATA", {"param_name": "job_id"}),
        ("abc", "INVALID_DATA", {"param_name": "job_id"}),
    ],
)
def test_a_job_status_needs_a_job_of_the_org(
    mass: TestClient, job_id: str | None, code: str, details: dict[str, Any]
) -> None:
    response = status(mass, job_id)
    assert response.status_code == 400, response.text
    assert (response.json()["code"], response.json()["details"]) == (code, details)


def test_mass_convert_needs_its_own_scope(api: TestClient) -> None:
    response = api.post(MASS_PATH, json={"ids": ["1"], "assign_to": {"id": "1"}})
    assert (response.status_code, response.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")
    assert api.get(MASS_PATH, params={"job_id": "1"}).status_code == 401


def test_the_mass_convert_scopes_can_be_granted() -> None:
    from zcrm_emulator.accounts import scope_families

    assert scope_families.parse(" ".join(MASS_SCOPES)) == MASS_SCOPES
    assert scope_families.describe("ZohoCRM.mass_convert.leads.CREATE") == "Create mass conversion of leads"
