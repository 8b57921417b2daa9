"""What follows a lead into the records it becomes (docs/decisions.md "Lead conversion carry-over"):
its attachments (``move_attachments_to``, the Contact by default), the tags ``carry_over_tags``
names, and its tasks, meetings and calls; the same keys of a mass convert (mass_convert.json)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.resources.lead_conversion.test_convert import DEAL, convert, converted, create, item_error, lead, record
from tests.resources.lead_conversion.test_options_and_mass_convert import MASS_SCOPES, start, status
from tests.support.people import add_standard_user
from tests.support.records import admin_id
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
def mass(client: TestClient, make_token: TokenFactory) -> TestClient:
    """The client with a token holding every test scope and the mass convert ones."""
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token(scopes=[*ALL_SCOPES, *MASS_SCOPES])}"
    return client


def attach(api: TestClient, module: str, record_id: str, name: str) -> str:
    response = api.post(
        f"/crm/v8/{module}/{record_id}/Attachments", files={"file": (name, b"body of " + name.encode())}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["data"][0]["details"]["id"])


def attachment_names(api: TestClient, module: str, record_id: str) -> list[str]:
    response = api.get(f"/crm/v8/{module}/{record_id}/Attachments", params={"fields": "File_Name"})
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.text
    return sorted(item["File_Name"] for item in response.json()["data"])


def tag_names(api: TestClient, module: str, record_id: str) -> list[str]:
    return sorted(tag["name"] for tag in record(api, module, record_id)["Tag"])


def module_id(api: TestClient, api_name: str) -> str:
    response = api.get(f"/crm/v8/settings/modules/{api_name}")
    assert response.status_code == 200, response.text
    return str(response.json()["modules"][0]["id"])


# --- attachments ------------------------------------------------------------------------------------


def test_the_leads_attachments_move_to_the_contact_by_default(api: TestClient) -> None:
    lead_id = lead(api)
    attach(api, "Leads", lead_id, "brief.txt")
    attach(api, "Leads", lead_id, "quote.txt")

    made = converted(convert(api, lead_id, Deals=DEAL))

    assert attachment_names(api, "Contacts", made["Contacts"]["id"]) == ["brief.txt", "quote.txt"]
    assert attachment_names(api, "Leads", lead_id) == []
    assert attachment_names(api, "Deals", made["Deals"]["id"]) == []


@pytest.mark.parametrize(
    ("item", "target"),
    [
        ({"move_attachments_to": {"api_name": "Deals"}}, "Deals"),
        ({"move_attachments_to": {"api_name": "Accounts"}}, "Accounts"),
        ({"Deals": {**DEAL, "$move_attachments": True}}, "Deals"),
    ],
)
def test_move_attachments_to_names_the_record_that_gets_them(
    api: TestClient, item: dict[str, Any], target: str
) -> None:
    lead_id = lead(api)
    attach(api, "Leads", lead_id, "brief.txt")

    made = converted(convert(api, lead_id, **{"Deals": DEAL, **item}))

    assert attachment_names(api, target, made[target]["id"]) == ["brief.txt"]
    assert attachment_names(api, "Contacts", made["Contacts"]["id"]) == ([] if target != "Contacts" else ["brief.txt"])


def test_move_attachments_to_takes_the_modules_id(api: TestClient) -> None:
    lead_id = lead(api)
    attach(api, "Leads", lead_id, "brief.txt")

    made = converted(convert(api, lead_id, move_attachments_to={"id": module_id(api, "Accounts")}), with_deal=False)

    assert attachment_names(api, "Accounts", made["Accounts"]["id"]) == ["brief.txt"]


def test_attachments_meant_for_a_deal_not_made_go_to_the_contact(api: TestClient) -> None:
    lead_id = lead(api)
    attach(api, "Leads", lead_id, "brief.txt")

    made = converted(convert(api, lead_id, move_attachments_to={"api_name": "Deals"}), with_deal=False)

    assert attachment_names(api, "Contacts", made["Contacts"]["id"]) == ["brief.txt"]


@pytest.mark.parametrize(
    "target",
    [{"api_name": "Leads"}, {"api_name": "Deals", "id": "12345678901234567"}, {"id": "1"}],
)
def test_a_module_attachments_cannot_go_to_is_refused_and_nothing_is_written(
    api: TestClient, target: dict[str, str]
) -> None:
    lead_id = lead(api)
    attach(api, "Leads", lead_id, "brief.txt")

    error = item_error(convert(api, lead_id, move_attachments_to=target))

    assert (error["code"], error["details"]) == (
        "INVALID_DATA",
        {"api_name": "move_attachments_to", "json_path": "$.data[0].move_attachments_to"},
    )
    assert attachment_names(api, "Leads", lead_id) == ["brief.txt"]
    assert record(api, "Leads", lead_id)["$converted_detail"] == {}


# --- tags -------------------------------------------------------------------------------------------


def test_carry_over_tags_puts_the_named_tags_of_the_lead_on_each_record(api: TestClient) -> None:
    lead_id = lead(api, Tag=[{"name": "Hot"}, {"name": "Fair 2026"}])

    item = {"Deals": DEAL, "carry_over_tags": {"Contacts": ["hot", "fair 2026"], "Deals": ["Hot", "Cold"]}}
    made = converted(convert(api, lead_id, **item))

    assert tag_names(api, "Contacts", made["Contacts"]["id"]) == ["Fair 2026", "Hot"]
    assert tag_names(api, "Deals", made["Deals"]["id"]) == ["Hot"]  # "Cold" is no tag of the lead
    assert tag_names(api, "Accounts", made["Accounts"]["id"]) == []
    assert tag_names(api, "Leads", lead_id) == ["Fair 2026", "Hot"]


def test_without_carry_over_tags_no_tag_follows(api: TestClient) -> None:
    lead_id = lead(api, Tag=[{"name": "Hot"}])

    made = converted(convert(api, lead_id), with_deal=False)

    assert tag_names(api, "Contacts", made["Contacts"]["id"]) == []


def test_an_existing_contact_keeps_its_tags_beside_the_carried_ones(api: TestClient) -> None:
    contact_id = create(api, "Contacts", Last_Name="Boyle", Email="pat.boyle@zylker.example", Tag=[{"name": "VIP"}])
    lead_id = lead(api, Tag=[{"name": "Hot"}, {"name": "vip"}])

    made = converted(convert(api, lead_id, carry_over_tags={"Contacts": ["Hot", "VIP"]}), with_deal=False)

    assert made["Contacts"]["id"] == contact_id
    assert tag_names(api, "Contacts", contact_id) == ["Hot", "VIP"]


def test_a_renamed_tag_is_carried_by_its_new_name(api: TestClient) -> None:
    lead_id = lead(api, Tag=[{"name": "Hot"}])
    (tag,) = record(api, "Leads", lead_id)["Tag"]
    renamed = api.put(
        f"/crm/v8/settings/tags/{tag['id']}", params={"module": "Leads"}, json={"tags": [{"name": "Warm"}]}
    )
    assert renamed.status_code == 200, renamed.text

    made = converted(convert(api, lead_id, carry_over_tags={"Contacts": ["warm"]}), with_deal=False)

    assert tag_names(api, "Contacts", made["Contacts"]["id"]) == ["Warm"]


@pytest.mark.parametrize(
    ("tags", "details"),
    [
        (
            [],
            {
                "api_name": "carry_over_tags",
                "json_path": "$.data[0].carry_over_tags",
                "expected_data_type": "jsonobject",
            },
        ),
        ({"Leads": ["Hot"]}, {"api_name": "Leads", "json_path": "$.data[0].carry_over_tags.Leads"}),
        (
            {"Contacts": "Hot"},
            {
                "api_name": "Contacts",
                "json_path": "$.data[0].carry_over_tags.Contacts",
                "expected_data_type": "jsonarray",
            },
        ),
    ],
)
def test_carry_over_tags_of_the_wrong_shape_is_the_items_invalid_data(
    api: TestClient, tags: Any, details: dict[str, Any]
) -> None:
    error = item_error(convert(api, lead(api, Tag=[{"name": "Hot"}]), carry_over_tags=tags))
    assert (error["code"], error["details"]) == ("INVALID_DATA", details)


# --- activities -------------------------------------------------------------------------------------


def test_the_leads_activities_go_to_the_contact_and_the_deal(api: TestClient) -> None:
    lead_id = lead(api)
    task = create(api, "Tasks", Subject="Call back", What_Id={"id": lead_id}, **{"$se_module": "Leads"})
    call = create(
        api,
        "Calls",
        Subject="Intro",
        Call_Type="Outbound",
        Call_Start_Time="2026-03-01T10:00:00+00:00",
        Call_Duration="10:00",
        What_Id={"id": lead_id},
        **{"$se_module": "Leads"},
    )
    other = create(api, "Tasks", Subject="Someone else's")

    made = converted(convert(api, lead_id, Deals=DEAL))

    for module, activity in (("Tasks", task), ("Calls", call)):
        stored = record(api, module, activity)
        assert stored["Who_Id"]["id"] == made["Contacts"]["id"]
        assert stored["What_Id"]["id"] == made["Deals"]["id"]
    assert record(api, "Tasks", other)["Who_Id"] is None


def test_without_a_deal_the_activities_go_to_the_account(api: TestClient) -> None:
    lead_id = lead(api)
    task = create(api, "Tasks", Subject="Call back", What_Id={"id": lead_id}, **{"$se_module": "Leads"})

    made = converted(convert(api, lead_id), with_deal=False)

    stored = record(api, "Tasks", task)
    assert (stored["Who_Id"]["id"], stored["What_Id"]["id"]) == (made["Contacts"]["id"], made["Accounts"]["id"])


# --- mass convert -----------------------------------------------------------------------------------


def test_a_mass_convert_carries_tags_attachments_and_hands_over_the_activities(
    mass: TestClient, emulator: Emulator
) -> None:
    rep = add_standard_user(emulator)
    lead_id = lead(mass, Tag=[{"name": "Hot"}])
    attach(mass, "Leads", lead_id, "brief.txt")
    task = create(mass, "Tasks", Subject="Call back", What_Id={"id": lead_id}, **{"$se_module": "Leads"})
    body = {
        "ids": [lead_id],
        "assign_to": {"id": rep},
        "Deals": DEAL,
        "carry_over_tags": [{"api_name": "Contacts", "id": module_id(mass, "Contacts")}, {"api_name": "Deals"}],
        "move_attachments_to": {"api_name": "Accounts", "id": module_id(mass, "Accounts")},
        "related_modules": [{"api_name": "Tasks", "id": module_id(mass, "Tasks")}],
    }

    response = start(mass, body)

    assert response.status_code == 200, response.text
    job = status(mass, response.json()["details"]["job_id"]).json()["data"][0]
    assert (job["Status"], job["Converted_Count"]) == ("COMPLETED", 1)
    stored = record(mass, "Leads", lead_id)
    contact, account, deal = (stored[f"Converted_{name}"]["id"] for name in ("Contact", "Account", "Deal"))
    assert tag_names(mass, "Contacts", contact) == tag_names(mass, "Deals", deal) == ["Hot"]
    assert tag_names(mass, "Accounts", account) == []
    assert attachment_names(mass, "Accounts", account) == ["brief.txt"]
    handed = record(mass, "Tasks", task)
    assert (handed["Owner"]["id"], handed["Who_Id"]["id"], handed["What_Id"]["id"]) == (rep, contact, deal)


@pytest.mark.parametrize(
    ("extra", "details"),
    [
        (
            {"carry_over_tags": {"Contacts": []}},
            {"api_name": "carry_over_tags", "json_path": "$.carry_over_tags", "expected_data_type": "jsonarray"},
        ),
        (
            {"carry_over_tags": [{"api_name": "Leads"}]},
            {"api_name": "carry_over_tags", "json_path": "$.carry_over_tags[0]"},
        ),
        (
            {"related_modules": [{"api_name": "Deals"}]},
            {"api_name": "related_modules", "json_path": "$.related_modules[0]"},
        ),
        (
            {"move_attachments_to": {"api_name": "Leads"}},
            {"api_name": "move_attachments_to", "json_path": "$.move_attachments_to"},
        ),
    ],
)
def test_a_mass_convert_naming_a_module_it_cannot_use_is_refused(
    mass: TestClient, emulator: Emulator, extra: dict[str, Any], details: dict[str, Any]
) -> None:
    lead_id = lead(mass)
    response = start(mass, {"ids": [lead_id], "assign_to": {"id": admin_id(emulator)}, **extra})

    assert response.status_code == 400, response.text
    assert (response.json()["code"], response.json()["details"]) == ("INVALID_DATA", details)
    assert record(mass, "Leads", lead_id)["$converted_detail"] == {}
