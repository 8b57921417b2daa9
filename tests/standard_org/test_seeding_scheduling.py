"""``zcrm-emulator seed`` fills the scheduling modules: their mandatory users and lookups point at the
seeding user and at records already there, and a lookup with nothing to point at says which module
to seed first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click
import pytest
from starlette.testclient import TestClient

from tests.support.records import admin_id
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.seeding import seed_module

pytestmark = pytest.mark.usefixtures("both_backends")


def ids_of(api: TestClient, module: str, fields: str) -> dict[str, dict[str, Any]]:
    response = api.get(f"/crm/v8/{module}", params={"fields": fields, "per_page": 200})
    assert response.status_code == 200, response.text
    return {record["id"]: record for record in response.json()["data"]}


def test_appointments_are_seeded_for_seeded_customers_and_services(api: TestClient, emulator: Emulator) -> None:
    assert seed_module(emulator, "Contacts", 4, seed=3, progress=False) == 4
    assert seed_module(emulator, "Services__s", 3, seed=3, progress=False) == 3
    assert seed_module(emulator, "Appointments__s", 12, seed=3, progress=False) == 12
    assert seed_module(emulator, "Appointments_Rescheduled_History__s", 5, seed=3, progress=False) == 5
    contacts, services = ids_of(api, "Contacts", "Last_Name"), ids_of(api, "Services__s", "Members,Duration")
    user = admin_id(emulator)
    assert all([row["Members"]["id"] for row in s["Members"]] == [user] for s in services.values())
    fields = "Appointment_For,Service_Name,Owner,Appointment_Start_Time,Appointment_End_Time,Duration"
    appointments = ids_of(api, "Appointments__s", fields)
    assert len(appointments) == 12
    for appointment in appointments.values():
        assert appointment["Appointment_For"]["id"] in contacts
        assert appointment["Service_Name"]["id"] in services
        assert appointment["Owner"]["id"] == user
        start = datetime.fromisoformat(str(appointment["Appointment_Start_Time"]))
        end = datetime.fromisoformat(str(appointment["Appointment_End_Time"]))
        assert (end - start).total_seconds() == 60 * int(appointment["Duration"])
    history = ids_of(api, "Appointments_Rescheduled_History__s", "Appointment_Name,Rescheduled_By")
    assert all(entry["Appointment_Name"]["id"] in appointments for entry in history.values())


@pytest.mark.parametrize(
    ("module", "named"),
    [
        ("Appointments__s", "Appointment_For, a record of Leads or Contacts or Accounts"),
        ("Appointments_Rescheduled_History__s", "Appointment_Name, a record of Appointments__s"),
    ],
)
def test_a_lookup_with_nothing_to_point_at_names_the_module_to_seed_first(
    emulator: Emulator, module: str, named: str
) -> None:
    with pytest.raises(click.ClickException) as refused:
        seed_module(emulator, module, 1, seed=1, progress=False)
    assert refused.value.message == f"{module} records need {named}, and there is none yet: seed that module first"
