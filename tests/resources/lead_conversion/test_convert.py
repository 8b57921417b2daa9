"""POST /Leads/{id}/actions/convert over HTTP: what a lead becomes, how existing Accounts and
Contacts are found or named, what the converted lead looks like afterwards, the events it fires,
and every refusal leaving nothing written; bodies checked against convert_lead.json and the newer
convert.json."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from tests.support.records import admin_id
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.events import RecordEvent

LEADS_NOTE = {"$se_module": "Leads"}  # a note names its parent's module
OLD_OAS, NEW_OAS = "convert_lead.json", "convert.json"
OLD_PATH, NEW_PATH = "/crm/v8/Leads/{lead_id}/actions/convert", "/Leads/{leadId}/actions/convert"
DEAL = {"Deal_Name": "Zylker deal", "Stage": "Qualification", "Closing_Date": "2026-12-31"}
LEAD = {
    "Last_Name": "Boyle",
    "First_Name": "Patricia",
    "Company": "Zylker Biotech",
    "Email": "pat.boyle@zylker.example",
    "Phone": "9844444444",
    "Designation": "CTO",
    "City": "Chennai",
    "Industry": "ASP (Application Service Provider)",
    "Lead_Source": "Cold Call",
    "Description": "met at the fair",
}


def create(api: TestClient, module: str, **values: Any) -> str:
    response = api.post(f"/crm/v8/{module}", json={"data": [values]})
    assert response.status_code in (200, 201), response.text  # Notes answers 200
    return str(response.json()["data"][0]["details"]["id"])


def lead(api: TestClient, **overrides: Any) -> str:
    values = {**LEAD, **overrides}
    return create(api, "Leads", **{k: v for k, v in values.items() if v is not None})


def convert(api: TestClient, lead_id: str, **item: Any) -> httpx.Response:
    return api.post(f"/crm/v8/Leads/{lead_id}/actions/convert", json={"data": [item]})


def converted(response: httpx.Response, *, with_deal: bool = True) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    validate_response(response, NEW_OAS, NEW_PATH, "POST")
    if with_deal:  # the older file types every entity as a record object, never null
        validate_response(response, OLD_OAS, OLD_PATH, "POST")
    (result,) = response.json()["data"]
    assert result["code"] == "SUCCESS" and result["message"] == "The record has been converted successfully"
    assert list(result["details"]) == ["Contacts", "Deals", "Accounts"]
    return dict(result["details"])


def item_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    validate_response(response, OLD_OAS, OLD_PATH, "POST")
    validate_response(response, NEW_OAS, NEW_PATH, "POST")
    (result,) = response.json()["data"]
    return dict(result)


def bare_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    validate_response(response, OLD_OAS, OLD_PATH, "POST")
    validate_response(response, NEW_OAS, NEW_PATH, "POST")
    return dict(response.json())


def record(api: TestClient, module: str, record_id: str) -> dict[str, Any]:
    response = api.get(f"/crm/v8/{module}/{record_id}")
    assert response.status_code == 200, response.text
    return dict(response.json()["data"][0])


def count(api: TestClient, module: str) -> int:
    return int(api.get(f"/crm/v8/{module}/actions/count", params={"converted": "both"}).json()["count"])


def counts(api: TestClient) -> tuple[int, ...]:
    return tuple(count(api, module) for module in ("Accounts", "Contacts", "Deals"))


@pytest.fixture
def seen(emulator: Emulator) -> Iterator[list[RecordEvent]]:
    events: list[RecordEvent] = []
    unsubscribe = emulator.events.subscribe(events.append)
    yield events
    unsubscribe()


# --- what a lead becomes --------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_a_lead_becomes_an_account_a_contact_and_a_deal_with_the_standard_mapping(api: TestClient) -> None:
    lead_id = lead(api)
    details = converted(convert(api, lead_id, Deals={**DEAL, "Amount": 5000}))

    account = record(api, "Accounts", details["Accounts"]["id"])
    contact = record(api, "Contacts", details["Contacts"]["id"])
    deal = record(api, "Deals", details["Deals"]["id"])
    assert details["Accounts"] == {"name": "Zylker Biotech", "id": account["id"]}
    assert details["Contacts"] == {"name": "Patricia Boyle", "id": contact["id"]}
    assert details["Deals"] == {"name": "Zylker deal", "id": deal["id"]}
    assert (account["Account_Name"], account["Phone"], account["Billing_City"], account["Industry"]) == (
        "Zylker Biotech",
        "9844444444",
        "Chennai",
        "ASP (Application Service Provider)",
    )
    assert account["Description"] == "met at the fair"
    assert (contact["First_Name"], contact["Last_Name"], contact["Email"], contact["Title"]) == (
        "Patricia",
        "Boyle",
        "pat.boyle@zylker.example",
        "CTO",
    )
    assert (contact["Mailing_City"], contact["Lead_Source"]) == ("Chennai", "Cold Call")
    assert contact["Account_Name"] == {"name": "Zylker Biotech", "id": account["id"]}
    assert (deal["Deal_Name"], deal["Stage"], deal["Closing_Date"], deal["Amount"]) == (
        "Zylker deal",
        "Qualification",
        "2026-12-31",
        5000,
    )
    assert deal["Account_Name"]["id"] == account["id"] and deal["Contact_Name"]["id"] == contact["id"]
    assert (deal["Lead_Source"], deal["Pipeline"]) == ("Cold Call", "Standard (Standard)")


@pytest.mark.usefixtures("both_backends")
def test_the_converted_lead_leaves_lists_and_searches_and_reads_as_converted(
    api: TestClient, emulator: Emulator
) -> None:
    lead_id = lead(api)
    details = converted(convert(api, lead_id, Deals=DEAL))

    listed = api.get("/crm/v8/Leads", params={"fields": "Last_Name"})
    assert listed.status_code == 204
    searched = api.get("/crm/v8/Leads/search", params={"email": LEAD["Email"]})
    assert searched.status_code == 204
    shown = api.get("/crm/v8/Leads", params={"fields": "Last_Name", "converted": "true"})
    assert [r["id"] for r in shown.json()["data"]] == [lead_id]

    stored = record(api, "Leads", lead_id)
    assert stored["Converted__s"] is True
    assert stored["Converted_Contact"]["id"] == details["Contacts"]["id"]
    assert stored["Converted_Account"]["id"] == details["Accounts"]["id"]
    assert stored["Converted_Deal"]["id"] == details["Deals"]["id"]
    assert stored["Converted_Date_Time"] is not None and stored["Lead_Conversion_Time"] == 0
    detail = stored["$converted_detail"]
    assert detail["convert_user"]["id"] == admin_id(emulator)
    assert (detail["contact"], detail["account"], detail["deal"]) == (
        details["Contacts"]["id"],
        details["Accounts"]["id"],
        details["Deals"]["id"],
    )
    assert detail["converted_datetime"] == stored["Converted_Date_Time"]


def test_a_lead_not_converted_reads_an_empty_converted_detail(api: TestClient) -> None:
    assert record(api, "Leads", lead(api))["$converted_detail"] == {}


def test_without_deals_no_deal_is_made(api: TestClient) -> None:
    details = converted(convert(api, lead(api)), with_deal=False)
    assert details["Deals"] is None
    assert count(api, "Deals") == 0


def test_a_lead_without_company_makes_no_account(api: TestClient) -> None:
    details = converted(convert(api, lead(api, Company=None)), with_deal=False)
    assert details["Accounts"] is None
    assert record(api, "Contacts", details["Contacts"]["id"])["Account_Name"] is None
    assert count(api, "Accounts") == 0


def test_the_bare_id_form_of_version_2_is_read_too(api: TestClient) -> None:
    account_id = create(api, "Accounts", Account_Name="Elsewhere")
    response = api.post(f"/crm/v2/Leads/{lead(api)}/actions/convert", json={"data": [{"Accounts": account_id}]})
    assert response.status_code == 200, response.text
    assert response.json()["data"][0]["details"]["Accounts"]["id"] == account_id


# --- existing accounts and contacts ---------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_an_account_of_the_company_and_a_contact_of_the_email_are_used_not_duplicated(api: TestClient) -> None:
    account_id = create(api, "Accounts", Account_Name="  zylker BIOTECH ")
    contact_id = create(api, "Contacts", Last_Name="Old", Email="PAT.BOYLE@zylker.example")
    before = counts(api)

    details = converted(convert(api, lead(api)), with_deal=False)

    assert (details["Accounts"]["id"], details["Contacts"]["id"]) == (account_id, contact_id)
    assert counts(api) == before
    assert record(api, "Contacts", contact_id)["Account_Name"]["id"] == account_id


def test_the_accounts_and_contacts_given_win_over_matching(api: TestClient) -> None:
    create(api, "Accounts", Account_Name="Zylker Biotech")
    account_id = create(api, "Accounts", Account_Name="Chosen")
    contact_id = create(api, "Contacts", Last_Name="Chosen")
    details = converted(
        convert(api, lead(api), Accounts={"id": account_id}, Contacts={"id": contact_id}), with_deal=False
    )
    assert details["Accounts"] == {"name": "Chosen", "id": account_id}
    assert details["Contacts"] == {"name": "Chosen", "id": contact_id}


@pytest.mark.parametrize(("overwrite", "keeps_old"), [(False, True), (True, False), (None, True)])
def test_overwrite_decides_whether_a_contacts_own_account_is_replaced(
    api: TestClient, overwrite: bool | None, keeps_old: bool
) -> None:
    old = create(api, "Accounts", Account_Name="Old employer")
    contact_id = create(api, "Contacts", Last_Name="Boyle", Account_Name={"id": old})
    flags = {} if overwrite is None else {"overwrite": overwrite}
    details = converted(convert(api, lead(api), Contacts={"id": contact_id}, **flags), with_deal=False)
    tied = record(api, "Contacts", contact_id)["Account_Name"]["id"]
    assert tied == (old if keeps_old else details["Accounts"]["id"])


def test_assign_to_owns_the_new_records(api: TestClient, emulator: Emulator) -> None:
    rep = add_standard_user(emulator)
    details = converted(convert(api, lead(api), assign_to={"id": rep}, Deals=DEAL))
    for module in ("Accounts", "Contacts", "Deals"):
        assert record(api, module, details[module]["id"])["Owner"]["id"] == rep


def test_without_assign_to_the_lead_owner_owns_them(api: TestClient, emulator: Emulator) -> None:
    rep = add_standard_user(emulator)
    details = converted(convert(api, lead(api, Owner={"id": rep})), with_deal=False)
    assert record(api, "Contacts", details["Contacts"]["id"])["Owner"]["id"] == rep


# --- events and notes -----------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_each_write_fires_one_event_the_lead_last(api: TestClient, seen: list[RecordEvent]) -> None:
    lead_id = lead(api)
    seen.clear()
    details = converted(convert(api, lead_id, Deals=DEAL))
    assert [(e.module, e.operation, e.ids) for e in seen] == [
        ("Accounts", "create", (details["Accounts"]["id"],)),
        ("Contacts", "create", (details["Contacts"]["id"],)),
        ("Deals", "create", (details["Deals"]["id"],)),
        ("Leads", "update", (lead_id,)),
    ]
    changed = seen[-1].changes[0].fields
    assert changed["Converted__s"] == (None, True)
    assert changed["Converted_Contact"] == (None, details["Contacts"]["id"])


def test_the_leads_notes_move_to_the_contact(api: TestClient, seen: list[RecordEvent]) -> None:
    lead_id = lead(api)
    other = lead(api, Email="other@zylker.example")
    notes = [create(api, "Notes", Note_Content=f"n{n}", Parent_Id={"id": lead_id}, **LEADS_NOTE) for n in range(2)]
    kept = create(api, "Notes", Note_Content="other", Parent_Id={"id": other}, **LEADS_NOTE)
    seen.clear()

    contact_id = converted(convert(api, lead_id), with_deal=False)["Contacts"]["id"]

    assert [record(api, "Notes", n)["Parent_Id"]["id"] for n in notes] == [contact_id, contact_id]
    assert record(api, "Notes", kept)["Parent_Id"]["id"] == other
    assert [(e.module, set(e.ids)) for e in seen if e.module == "Notes"] == [("Notes", set(notes))]


# --- refusals -------------------------------------------------------------------------------------


def test_a_converted_lead_cannot_be_converted_again(api: TestClient) -> None:
    lead_id = lead(api)
    converted(convert(api, lead_id), with_deal=False)
    before = counts(api)
    assert bare_error(convert(api, lead_id)) == {
        "code": "ID_ALREADY_CONVERTED",
        "details": {"resource_path_index": 0},
        "message": "id already converted",
        "status": "error",
    }
    assert counts(api) == before


@pytest.mark.parametrize("lead_id", ["12345678901234567", "abc", "0123"])
def test_an_id_naming_no_lead_is_invalid_data_at_the_path(api: TestClient, lead_id: str) -> None:
    assert bare_error(convert(api, lead_id)) == {
        "code": "INVALID_DATA",
        "details": {"resource_path_index": 0},
        "message": "invalid data",
        "status": "error",
    }


def test_a_contact_id_is_no_lead_id(api: TestClient) -> None:
    contact_id = create(api, "Contacts", Last_Name="Not a lead")
    assert bare_error(convert(api, contact_id))["details"] == {"resource_path_index": 0}


@pytest.mark.usefixtures("both_backends")
@pytest.mark.parametrize("missing", ["Deal_Name", "Stage", "Closing_Date"])
def test_a_deal_without_a_mandatory_field_is_refused_and_nothing_is_written(api: TestClient, missing: str) -> None:
    lead_id = lead(api)
    before = counts(api)
    for value in (None, ""):
        deal = {**DEAL, missing: value} if value is not None else {k: v for k, v in DEAL.items() if k != missing}
        assert item_error(convert(api, lead_id, Deals=deal)) == {
            "code": "MANDATORY_NOT_FOUND",
            "details": {"api_name": missing, "json_path": f"$.data[0].Deals.{missing}"},
            "message": "required field not found",
            "status": "error",
        }
    assert counts(api) == before
    assert record(api, "Leads", lead_id)["Converted__s"] in (None, False)


def test_a_deal_refused_by_the_deals_module_undoes_the_account_and_contact(api: TestClient) -> None:
    lead_id = lead(api)
    before = counts(api)
    error = item_error(convert(api, lead_id, Deals={**DEAL, "Stage": "Nowhere"}))
    assert (error["code"], error["details"]["api_name"], error["details"]["json_path"]) == (
        "INVALID_DATA",
        "Stage",
        "$.data[0].Deals.Stage",
    )
    assert counts(api) == before
    assert record(api, "Leads", lead_id)["$converted_detail"] == {}


@pytest.mark.parametrize(
    ("item", "details"),
    [
        ({"Accounts": {"id": "12345678901234567"}}, {"api_name": "Accounts", "json_path": "$.data[0].Accounts"}),
        ({"Contacts": {"id": "12345678901234567"}}, {"api_name": "Contacts", "json_path": "$.data[0].Contacts"}),
        ({"Contacts": {"id": "not-an-id"}}, {"api_name": "Contacts", "json_path": "$.data[0].Contacts"}),
        ({"assign_to": {"id": "12345678901234567"}}, {"api_name": "assign_to", "json_path": "$.data[0].assign_to"}),
        (
            {"overwrite": "yes"},
            {"api_name": "overwrite", "json_path": "$.data[0].overwrite", "expected_data_type": "boolean"},
        ),
        (
            {"notify_lead_owner": 1},
            {
                "api_name": "notify_lead_owner",
                "json_path": "$.data[0].notify_lead_owner",
                "expected_data_type": "boolean",
            },
        ),
        (
            {"Deals": "deal"},
            {"api_name": "Deals", "json_path": "$.data[0].Deals", "expected_data_type": "jsonobject"},
        ),
    ],
)
def test_bad_keys_are_the_items_invalid_data(api: TestClient, item: dict[str, Any], details: dict[str, Any]) -> None:
    lead_id = lead(api)
    before = counts(api)
    error = item_error(convert(api, lead_id, **item))
    assert (error["code"], error["details"], error["message"]) == ("INVALID_DATA", details, "invalid data")
    assert counts(api) == before


def test_an_account_id_of_another_module_is_refused(api: TestClient) -> None:
    contact_id = create(api, "Contacts", Last_Name="Wrong module")
    error = item_error(convert(api, lead(api), Accounts={"id": contact_id}))
    assert error["details"] == {"api_name": "Accounts", "json_path": "$.data[0].Accounts"}


@pytest.mark.parametrize(
    ("body", "code", "details"),
    [
        ({}, "MANDATORY_NOT_FOUND", {"api_name": "data", "json_path": "$.data"}),
        ({"data": []}, "MANDATORY_NOT_FOUND", {"api_name": "data", "json_path": "$.data"}),
        ({"data": [{}, {}]}, "INVALID_DATA", {"maximum_length": 1, "api_name": "data", "json_path": "$.data"}),
    ],
)
def test_the_body_carries_exactly_one_item(
    api: TestClient, body: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = api.post(f"/crm/v8/Leads/{lead(api)}/actions/convert", json=body)
    assert response.status_code == 400, response.text
    assert (response.json()["code"], response.json()["details"]) == (code, details)


def test_converting_needs_the_leads_create_scope(client: TestClient, make_token: Any) -> None:
    token = make_token(scopes=["ZohoCRM.modules.leads.READ"])
    response = client.post(
        "/crm/v8/Leads/12345678901234567/actions/convert",
        json={"data": [{}]},
        headers={"Authorization": f"Zoho-oauthtoken {token}"},
    )
    assert (response.status_code, response.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")
