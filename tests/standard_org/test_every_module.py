"""Every module a fresh org lists as ``api_supported`` is complete: fields and a layout in Zoho's
shapes, and records that can be created with the mandatory fields its metadata names, read back,
listed, updated and deleted. Checked against Zoho's OAS file where one documents the module.

Subform modules (line items) are listed and described but have no record endpoints of their own:
Zoho reaches them only through their parent record.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.allowances import FIELD_ALLOWANCES, LAYOUT_ALLOWANCES, SCHEDULING_RECORDS, TAGS
from tests.support.oas import oas_dir, record_schema_pointer, schema_errors, validate_response
from tests.support.records import admin_id
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

MODULES = "/crm/v8/settings/modules"
INVALID_MODULE = {
    "code": "INVALID_MODULE",
    "details": {"resource_path_index": 0},
    "message": "the module name given seems to be invalid",
    "status": "error",
}
RECORDS = record_schema_pointer("/crm/v8/{module_api_name}", "get")
ONE_RECORD = record_schema_pointer("/crm/v8/{module_api_name}/{id}", "get")
# The scheduling modules' OAS files: (file, the schema of a create's result, of a record).
OWN_SCHEMAS = {
    "Appointments__s": ("appointments.json", "DataNested1", "GETDataNested"),
    "Services__s": ("services.json", "Record_Created", "Service"),
    "Appointments_Rescheduled_History__s": ("reschedule_history.json", "Success_Response", "Reschedule_History"),
}


def listed_modules(api: TestClient) -> list[dict[str, Any]]:
    response = api.get(MODULES)
    assert response.status_code == 200
    return list(response.json()["modules"])


def fields_of(api: TestClient, module: str) -> list[dict[str, Any]]:
    response = api.get("/crm/v8/settings/fields", params={"module": module})
    assert response.status_code == 200, f"{module}: {response.status_code} {response.text[:200]}"
    if oas_dir() is not None:
        validate_response(response, "fields.json", "/crm/v8/settings/fields", allow=FIELD_ALLOWANCES)
    fields = list(response.json()["fields"])
    assert fields, module
    return fields


class Maker:
    """Records made with only the mandatory fields their module's metadata names (lookup targets
    made the same way, first)."""

    def __init__(self, api: TestClient, user_id: str) -> None:
        self.api = api
        self.user_id = user_id
        self.made: dict[str, str] = {}

    def value(self, field: dict[str, Any]) -> Any:
        kind = field["data_type"]
        if kind in ("text", "textarea"):
            return f"Sample {field['api_name']}"[: field.get("length") or 30]
        if kind == "email":
            return "sample@zylker.example"
        if kind == "phone":
            return "555-0100"
        if kind == "website":
            return "www.zylker.example"
        choices = [v["actual_value"] for v in field.get("pick_list_values") or [] if v["actual_value"] != "-None-"]
        if kind == "picklist":
            return choices[0]
        if kind == "multiselectpicklist":
            return choices[:1]
        if kind in ("integer", "bigint"):
            return 1
        if kind in ("double", "currency", "percent"):
            return 1.5
        if kind == "boolean":
            return True
        if kind == "date":
            return "2030-01-15"
        if kind == "datetime":
            return "2030-01-15T10:00:00+00:00"
        if kind in ("ownerlookup", "userlookup"):
            return {"id": self.user_id}
        if kind == "multiuserlookup":
            return [{field["api_name"]: {"id": self.user_id}}]
        if kind == "lookup":
            choices = [m["api_name"] for m in (field.get("multi_module_lookup") or {}).get("modules") or []]
            target = choices[0] if choices else field["lookup"]["module"]["api_name"]
            reference: dict[str, Any] = {"id": self.record(target)}
            if choices:
                reference["module"] = {"api_name": target}
            return reference
        if kind == "subform":  # line items (record_model/line_items.py)
            return [{"Product_Name": {"id": self.record("Products")}, "Quantity": 1}]
        raise AssertionError(f"no sample value for a mandatory {kind} field ({field['api_name']})")

    def item(self, module: str) -> dict[str, Any]:
        return {f["api_name"]: self.value(f) for f in fields_of(self.api, module) if f["system_mandatory"]}

    def record(self, module: str) -> str:
        if module not in self.made:
            response = self.api.post(f"/crm/v8/{module}", json={"data": [self.item(module)]})
            assert response.status_code in (200, 201), f"{module}: {response.text}"  # Notes: 200 (notes.json)
            assert response.json()["data"][0]["status"] == "success", f"{module}: {response.text}"
            self.made[module] = response.json()["data"][0]["details"]["id"]
        return self.made[module]


def test_every_api_supported_module_has_fields_and_a_layout(api: TestClient) -> None:
    supported = [m["api_name"] for m in listed_modules(api) if m["api_supported"]]
    assert len(supported) >= 20
    for module in supported:
        fields_of(api, module)
        layouts = api.get("/crm/v8/settings/layouts", params={"module": module})
        assert layouts.status_code == 200, module
        if oas_dir() is not None:
            validate_response(layouts, "layouts.json", "/crm/v8/settings/layouts", allow=LAYOUT_ALLOWANCES)
        sections = layouts.json()["layouts"][0]["sections"]
        assert sections and all(section["fields"] for section in sections), module


def test_every_record_module_takes_a_record_with_its_mandatory_fields(api: TestClient, emulator: Emulator) -> None:
    maker = Maker(api, admin_id(emulator))
    modules = [m for m in listed_modules(api) if m["api_supported"] and m["generated_type"] != "subform"]
    for module in (m["api_name"] for m in modules):
        record_id = maker.record(module)
        item = maker.item(module)
        one = api.get(f"/crm/v8/{module}/{record_id}")
        assert one.status_code == 200, module
        shown = one.json()["data"][0]
        assert shown["id"] == record_id
        if oas_dir() is not None:  # record.json: every module's record answers
            assert not schema_errors(one.json(), "record.json", ONE_RECORD, TAGS), module
        for name, sent in item.items():
            assert shown[name] is not None, (module, name, sent)
        listed = api.get(f"/crm/v8/{module}", params={"fields": ",".join(item) or "Created_Time"})
        assert listed.status_code == 200, (module, listed.text)
        if oas_dir() is not None:
            assert not schema_errors(listed.json(), "record.json", RECORDS, TAGS), module
        assert record_id in [r["id"] for r in listed.json()["data"]], module
        updated = api.put(f"/crm/v8/{module}/{record_id}", json={"data": [item]})
        assert updated.status_code == 200, (module, updated.text)
        second = api.post(f"/crm/v8/{module}", json={"data": [item]}).json()["data"][0]["details"]["id"]
        deleted = api.delete(f"/crm/v8/{module}/{second}")
        assert deleted.status_code == 200, (module, deleted.text)
        assert api.get(f"/crm/v8/{module}/{second}").status_code == 204, module


def test_a_mandatory_field_left_out_is_named_as_zoho_names_it(api: TestClient, emulator: Emulator) -> None:
    maker = Maker(api, admin_id(emulator))
    for module in ("Services__s", "Appointments__s", "Appointments_Rescheduled_History__s"):
        item = maker.item(module)
        for name in item:
            response = api.post(f"/crm/v8/{module}", json={"data": [{k: v for k, v in item.items() if k != name}]})
            assert response.status_code == 400
            assert response.json()["data"][0] == {
                "code": "MANDATORY_NOT_FOUND",
                "details": {"api_name": name, "json_path": f"$.data[0].{name}"},
                "message": "required field not found",
                "status": "error",
            }


# The Create Services, Create Appointments and Add Appointments Rescheduled History pages.
MANDATORY = [
    ("Services__s", ["Service_Name", "Duration", "Availability_Type", "Members", "Location"]),
    (
        "Appointments__s",
        ["Owner", "Appointment_Name", "Appointment_For", "Service_Name", "Appointment_Start_Time", "Location"],
    ),
    (
        "Appointments_Rescheduled_History__s",
        ["Appointment_Name", "Rescheduled_From", "Rescheduled_To", "Rescheduled_Time", "Rescheduled_By"],
    ),
]


@pytest.mark.parametrize(("module", "mandatory"), MANDATORY)
def test_the_scheduling_modules_ask_for_what_zoho_asks_for(api: TestClient, module: str, mandatory: list[str]) -> None:
    assert [f["api_name"] for f in fields_of(api, module) if f["system_mandatory"]] == mandatory


def test_scheduling_records_conform_to_their_oas_files(api: TestClient, emulator: Emulator) -> None:
    """Their files document no body schema on the operations themselves (or a 200 for a create), so
    a create's result and a record are checked against the files' component schemas."""
    if oas_dir() is None:
        pytest.skip("Zoho's OAS files are not available")
    maker = Maker(api, admin_id(emulator))
    for module, (file, result_schema, record_schema) in OWN_SCHEMAS.items():
        created = api.post(f"/crm/v8/{module}", json={"data": [maker.item(module)]})
        assert created.status_code == 201, created.text
        result = created.json()["data"][0]
        assert not schema_errors(result, file, f"/components/schemas/{result_schema}", SCHEDULING_RECORDS), module
        record = api.get(f"/crm/v8/{module}/{result['details']['id']}").json()["data"][0]
        assert not schema_errors(record, file, f"/components/schemas/{record_schema}", SCHEDULING_RECORDS), module


def test_an_appointment_shows_the_module_of_whom_it_is_for(api: TestClient, emulator: Emulator) -> None:
    maker = Maker(api, admin_id(emulator))
    contact = maker.record("Contacts")
    item = {**maker.item("Appointments__s"), "Appointment_For": {"id": contact, "module": {"api_name": "Contacts"}}}
    record_id = maker.api.post("/crm/v8/Appointments__s", json={"data": [item]}).json()["data"][0]["details"]["id"]
    shown = api.get(f"/crm/v8/Appointments__s/{record_id}").json()["data"][0]["Appointment_For"]
    assert (shown["id"], shown["module"]["api_name"]) == (contact, "Contacts")


def test_an_appointment_is_for_a_lead_contact_account_or_deal_only(api: TestClient, emulator: Emulator) -> None:
    maker = Maker(api, admin_id(emulator))
    product = maker.record("Products")
    item = {**maker.item("Appointments__s"), "Appointment_For": {"id": product, "module": {"api_name": "Products"}}}
    response = api.post("/crm/v8/Appointments__s", json={"data": [item]})
    assert response.status_code == 400
    result = response.json()["data"][0]
    assert (result["code"], result["details"]["api_name"]) == ("INVALID_DATA", "Appointment_For")


@pytest.mark.parametrize("module", ["Quoted_Items", "Ordered_Items", "Purchase_Items", "Invoiced_Items"])
def test_line_item_modules_are_described_and_written_only_through_their_parent(api: TestClient, module: str) -> None:
    listed = next(m for m in listed_modules(api) if m["api_name"] == module)
    assert (listed["api_supported"], listed["generated_type"]) == (True, "subform")
    assert fields_of(api, module)
    # The Subform API's GET /{subform_API_name} lists rows (none yet); writes go through the parent.
    assert api.get(f"/crm/v8/{module}", params={"fields": "Product_Name"}).status_code == 204
    response = api.get(f"/crm/v8/{module}/1234567890123456789")
    assert (response.status_code, response.json()) == (400, INVALID_MODULE)


# Entity_Scores__s is read through its own API (entity_scores.json), not the record one.
@pytest.mark.parametrize(
    "module", ["Visits", "DealHistory", "Approvals", "Attachments", "Consents", "Locking_Information__s"]
)
def test_modules_without_a_record_api_are_listed_as_not_api_supported(api: TestClient, module: str) -> None:
    listed = next(m for m in listed_modules(api) if m["api_name"] == module)
    assert listed["api_supported"] is False
    fields = api.get("/crm/v8/settings/fields", params={"module": module})
    assert (fields.status_code, fields.json()["code"]) == (400, "INVALID_MODULE")
    records = api.get(f"/crm/v8/{module}", params={"fields": "id"})
    assert (records.status_code, records.json()) == (400, INVALID_MODULE)


def test_record_ids_have_the_length_the_id_field_announces(api: TestClient, emulator: Emulator) -> None:
    record_id = Maker(api, admin_id(emulator)).record("Services__s")
    for module in ("Leads", "Services__s", "Appointments__s"):
        (id_field,) = [f for f in fields_of(api, module) if f["api_name"] == "id"]
        assert id_field["length"] == len(record_id) == 19
