"""Services, Appointments and their rescheduled history as Zoho's Create Services / Create
Appointments / Add Appointments Rescheduled History pages describe them: an appointment takes its
service's duration and ends that long after it starts, starts Upcoming, and a service's members are
rows of users."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.people import add_standard_user
from tests.support.records import admin_id, get_one, insert_one
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

START = "2030-01-15T10:00:00+00:00"


def service_item(user_id: str, **values: Any) -> dict[str, Any]:
    return {
        "Service_Name": "Consultation",
        "Duration": 45,
        "Availability_Type": "Every Business Days",
        "Members": [{"Members": {"id": user_id}}],
        "Location": "Business Address",
        **values,
    }


def service(api: TestClient, user_id: str, **values: Any) -> str:
    return insert_one(api, "Services__s", service_item(user_id, **values))


def appointment_item(api: TestClient, user_id: str, service_id: str, **values: Any) -> dict[str, Any]:
    lead = insert_one(api, "Leads", {"Last_Name": "Doe"})
    return {
        "Owner": {"id": user_id},
        "Appointment_Name": "First visit",
        "Appointment_For": {"id": lead, "module": {"api_name": "Leads"}},
        "Service_Name": {"id": service_id},
        "Appointment_Start_Time": START,
        "Location": "Business Address",
        **values,
    }


def minutes_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60


@pytest.mark.parametrize(("given", "duration"), [({}, 45), ({"Duration": 30}, 30), ({"Duration": 0}, 0)])
def test_an_appointment_lasts_its_service_unless_told_and_ends_that_long_after_it_starts(
    api: TestClient, emulator: Emulator, given: dict[str, Any], duration: int
) -> None:
    user = admin_id(emulator)
    record_id = insert_one(api, "Appointments__s", appointment_item(api, user, service(api, user), **given))
    shown = get_one(api, "Appointments__s", record_id)
    assert shown["Duration"] == duration
    assert minutes_between(shown["Appointment_Start_Time"], shown["Appointment_End_Time"]) == duration
    assert datetime.fromisoformat(shown["Appointment_Start_Time"]) == datetime.fromisoformat(START)


def test_a_new_appointment_is_upcoming_never_rescheduled_and_without_a_job_sheet(
    api: TestClient, emulator: Emulator
) -> None:
    user = admin_id(emulator)
    shown = get_one(
        api, "Appointments__s", insert_one(api, "Appointments__s", appointment_item(api, user, service(api, user)))
    )
    assert (shown["Status"], shown["Reschedule_Count"], shown["Job_Sheet_Created__s"]) == ("Upcoming", 0, False)
    assert shown["Service_Name"]["name"] == "Consultation"


def test_moving_an_appointment_or_changing_its_service_moves_its_end(api: TestClient, emulator: Emulator) -> None:
    user = admin_id(emulator)
    record_id = insert_one(api, "Appointments__s", appointment_item(api, user, service(api, user)))
    later = (datetime.fromisoformat(START) + timedelta(days=1)).isoformat()
    assert (
        api.put(f"/crm/v8/Appointments__s/{record_id}", json={"data": [{"Appointment_Start_Time": later}]}).status_code
        == 200
    )
    shown = get_one(api, "Appointments__s", record_id)
    assert datetime.fromisoformat(shown["Appointment_End_Time"]) == datetime.fromisoformat(later) + timedelta(
        minutes=45
    )
    longer = service(api, user, Service_Name="Full check", Duration=90)
    api.put(f"/crm/v8/Appointments__s/{record_id}", json={"data": [{"Service_Name": {"id": longer}}]})
    shown = get_one(api, "Appointments__s", record_id)
    assert (shown["Duration"], minutes_between(shown["Appointment_Start_Time"], shown["Appointment_End_Time"])) == (
        90,
        90,
    )


def test_service_members_read_back_as_rows_of_users(api: TestClient, emulator: Emulator) -> None:
    user = admin_id(emulator)
    members = get_one(api, "Services__s", service(api, user, Members=[{"Members": {"id": user}}, {"id": user}]))[
        "Members"
    ]
    assert [(row["id"], row["Members"]["id"]) for row in members] == [(None, user)]
    assert members[0]["Members"]["name"]


@pytest.mark.parametrize("members", [{"id": "1"}, "5", [{"Members": {"id": "abc"}}], [None]])
def test_service_members_that_are_not_rows_of_user_ids_are_invalid(
    api: TestClient, emulator: Emulator, members: Any
) -> None:
    response = api.post("/crm/v8/Services__s", json={"data": [service_item(admin_id(emulator), Members=members)]})
    assert response.status_code == 400
    result = response.json()["data"][0]
    assert (result["code"], result["details"]["api_name"]) == ("INVALID_DATA", "Members")


@pytest.mark.parametrize(
    ("module", "field", "value"),
    [
        ("Services__s", "Location", "Moon Base"),
        ("Services__s", "Availability_Type", "Weekends"),
        ("Appointments__s", "Location", "Business Address and Client Address"),
        ("Appointments__s", "Status", "Postponed"),
    ],
)
def test_values_outside_the_picklists_are_refused_with_the_supported_values(
    api: TestClient, emulator: Emulator, module: str, field: str, value: str
) -> None:
    user = admin_id(emulator)
    base = appointment_item(api, user, service(api, user)) if module == "Appointments__s" else service_item(user)
    response = api.post(f"/crm/v8/{module}", json={"data": [{**base, field: value}]})
    result = response.json()["data"][0]
    assert (response.status_code, result["code"], result["details"]["api_name"]) == (400, "INVALID_DATA", field)


def test_a_rescheduled_history_entry_names_its_appointment(api: TestClient, emulator: Emulator) -> None:
    user = admin_id(emulator)
    appointment = insert_one(api, "Appointments__s", appointment_item(api, user, service(api, user)))
    entry = {
        "Appointment_Name": {"id": appointment},
        "Rescheduled_From": START,
        "Rescheduled_To": "2030-01-16T10:00:00+00:00",
        "Rescheduled_Time": "2030-01-10T09:00:00+00:00",
        "Rescheduled_By": {"id": user},
        "Reschedule_Reason": "By Customer",
    }
    shown = get_one(
        api, "Appointments_Rescheduled_History__s", insert_one(api, "Appointments_Rescheduled_History__s", entry)
    )
    assert (shown["Appointment_Name"], shown["Reschedule_Reason"]) == (
        {"name": "First visit", "id": appointment},
        "By Customer",
    )
    lead = insert_one(api, "Leads", {"Last_Name": "Roe"})
    wrong = api.post(
        "/crm/v8/Appointments_Rescheduled_History__s", json={"data": [{**entry, "Appointment_Name": {"id": lead}}]}
    )
    assert (wrong.status_code, wrong.json()["data"][0]["details"]["api_name"]) == (400, "Appointment_Name")


def test_an_appointment_owner_who_gives_no_part_of_the_service_is_a_dependent_mismatch(
    api: TestClient, emulator: Emulator
) -> None:
    user, other = admin_id(emulator), add_standard_user(emulator)
    item = appointment_item(api, user, service(api, user), Owner={"id": other})
    response = api.post("/crm/v8/Appointments__s", json={"data": [item]})
    assert response.status_code == 400
    assert response.json()["data"][0] == {
        "code": "DEPENDENT_MISMATCH",
        "details": {
            "dependee": {"api_name": "Service_Name", "json_path": "$.data[0].Service_Name"},
            "api_name": "Owner",
            "json_path": "$.data[0].Owner",
        },
        "message": "Appointment Owner is not a part of Service Members",
        "status": "error",
    }
    both = service(api, user, Service_Name="Team visit", Members=[{"id": user}, {"id": other}])
    assert (
        api.post("/crm/v8/Appointments__s", json={"data": [{**item, "Service_Name": {"id": both}}]}).status_code == 201
    )


def test_moving_an_appointment_to_someone_outside_the_service_is_refused(api: TestClient, emulator: Emulator) -> None:
    user, other = admin_id(emulator), add_standard_user(emulator)
    record_id = insert_one(api, "Appointments__s", appointment_item(api, user, service(api, user)))
    moved = api.put(f"/crm/v8/Appointments__s/{record_id}", json={"data": [{"Owner": {"id": other}}]})
    assert (moved.status_code, moved.json()["data"][0]["code"]) == (400, "DEPENDENT_MISMATCH")
    assert get_one(api, "Appointments__s", record_id)["Owner"]["id"] == user
