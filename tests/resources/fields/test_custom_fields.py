"""Custom fields: POST/PATCH/DELETE /settings/fields (OAS fields.json; the v8 "Create Custom
Fields", "Update Custom Fields" and "Delete Custom Field" pages; docs/decisions.md "Custom fields").
A field written here is taken by the next records call on its module."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import FIELD_ALLOWANCES
from tests.support.modules import profile_ids, set_edition
from tests.support.oas import Allowance, validate_response
from zcrm_emulator.editions import FIELD_LIMITS
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

OAS = "fields.json"
URL = "/crm/v8/settings/fields"
# fields.json lists no DUPLICATE_DATA, yet labels are unique per module; the emulator answers it as
# for custom modules' labels (docs/decisions.md "Custom fields").
DUPLICATE_LABEL = Allowance("$.fields.*.code", "enum", "a taken label is DUPLICATE_DATA, as modules' labels are")


def create(api: TestClient, *fields: dict[str, Any], module: str = "Leads") -> httpx.Response:
    return api.post(URL, params={"module": module}, json={"fields": list(fields)})


def listed(api: TestClient, module: str = "Leads") -> dict[str, dict[str, Any]]:
    return {f["api_name"]: f for f in api.get(URL, params={"module": module}).json()["fields"]}


def created_id(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    return str(response.json()["fields"][0]["details"]["id"])


def only_error(response: httpx.Response, status: int = 400, method: str = "POST", path: str = URL) -> dict[str, Any]:
    assert response.status_code == status, response.text
    validate_response(response, OAS, path, method, allow=[DUPLICATE_LABEL])
    (item,) = response.json()["fields"]
    assert item["status"] == "error"
    return dict(item)


def test_a_created_text_field_is_listed_with_an_api_name_from_its_label(api: TestClient) -> None:
    response = create(api, {"field_label": "Favourite Colour", "data_type": "text"})
    assert response.status_code == 201, response.text
    validate_response(response, OAS, URL, "POST")
    item = response.json()["fields"][0]
    assert (item["code"], item["message"], item["status"]) == ("SUCCESS", "field created successfully", "success")
    field = listed(api)["Favourite_Colour"]
    assert field["id"] == item["details"]["id"]
    assert (field["data_type"], field["json_type"], field["length"], field["custom_field"]) == (
        "text",
        "string",
        255,
        True,
    )
    one = api.get(f"{URL}/{field['id']}", params={"module": "Leads"})
    validate_response(one, OAS, f"{URL}/{{field}}", "GET", allow=FIELD_ALLOWANCES)
    assert one.json()["fields"] == [field]


TYPES = [
    ({"data_type": "textarea"}, "string", 2000),
    ({"data_type": "textarea", "textarea": {"type": "large"}}, "string", 32000),
    ({"data_type": "email"}, "string", 100),
    ({"data_type": "phone"}, "string", 30),
    ({"data_type": "website"}, "string", 255),
    (
        {"data_type": "picklist", "pick_list_values": [{"display_value": "Red"}, {"display_value": "Blue"}]},
        "string",
        None,
    ),
    ({"data_type": "multiselectpicklist", "pick_list_values": [{"display_value": "A"}]}, "jsonarray", None),
    ({"data_type": "integer"}, "integer", 9),
    ({"data_type": "bigint"}, "string", 18),
    ({"data_type": "double"}, "double", 16),
    ({"data_type": "currency"}, "double", 16),
    ({"data_type": "percent"}, "double", 5),
    ({"data_type": "boolean"}, "boolean", None),
    ({"data_type": "date"}, "string", None),
    ({"data_type": "datetime"}, "string", None),
    ({"data_type": "lookup", "lookup": {"module": {"api_name": "Accounts"}}}, "jsonobject", None),
    ({"data_type": "userlookup"}, "jsonobject", None),
    ({"data_type": "fileupload"}, "jsonarray", None),
    ({"data_type": "imageupload"}, "jsonarray", None),
    ({"data_type": "autonumber", "auto_number": {"prefix": "T-", "start_number": "100"}}, "string", 255),
    ({"data_type": "formula", "formula": {"return_type": "double", "expression": "1+1"}}, "string", None),
]


@pytest.mark.parametrize(("item", "json_type", "length"), TYPES, ids=[t[0]["data_type"] for t in TYPES])
def test_every_data_type_zoho_creates_through_the_api(
    api: TestClient, item: dict[str, Any], json_type: str, length: int | None
) -> None:
    field_id = created_id(create(api, {"field_label": "New One", **item}))
    field = listed(api)["New_One"]
    assert (field["id"], field["data_type"], field["json_type"], field["length"]) == (
        field_id,
        item["data_type"],
        json_type,
        length,
    )
    one = api.get(f"{URL}/{field_id}", params={"module": "Leads"})
    validate_response(one, OAS, f"{URL}/{{field}}", "GET", allow=FIELD_ALLOWANCES)


def test_picklist_options_and_lookup_target_are_shaped_as_zoho_shows_them(api: TestClient) -> None:
    created_id(
        create(api, {"field_label": "Tier", "data_type": "picklist", "pick_list_values": [{"display_value": "Gold"}]})
    )
    created_id(
        create(api, {"field_label": "Partner", "data_type": "lookup", "lookup": {"module": {"api_name": "accounts"}}})
    )
    fields = listed(api)
    (gold,) = fields["Tier"]["pick_list_values"]
    assert (gold["display_value"], gold["actual_value"], gold["sequence_number"]) == ("Gold", "Gold", 1)
    assert fields["Partner"]["lookup"]["module"]["api_name"] == "Accounts"


def test_a_new_field_is_accepted_by_the_next_record_write(api: TestClient) -> None:
    record = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Before"}]}).json()["data"][0]["details"]["id"]
    assert api.get(f"/crm/v8/Leads/{record}").json()["data"][0].get("Shoe_Size") is None
    created_id(create(api, {"field_label": "Shoe Size", "data_type": "integer"}))
    written = api.put(f"/crm/v8/Leads/{record}", json={"data": [{"Shoe_Size": 44}]})
    assert written.status_code == 200, written.text
    assert api.get(f"/crm/v8/Leads/{record}").json()["data"][0]["Shoe_Size"] == 44
    refused = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "X", "Shoe_Size": "big"}]})
    assert refused.json()["data"][0]["details"]["api_name"] == "Shoe_Size"


def test_a_deleted_field_is_refused_by_the_next_record_write(api: TestClient) -> None:
    field_id = created_id(create(api, {"field_label": "Nickname", "data_type": "text"}))
    assert api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "A", "Nickname": "Al"}]}).status_code == 201
    deleted = api.delete(f"{URL}/{field_id}", params={"module": "Leads"})
    assert deleted.status_code == 200, deleted.text
    validate_response(deleted, OAS, f"{URL}/{{field}}", "DELETE")
    assert deleted.json()["fields"][0]["message"] == "field deleted successfully"
    assert "Nickname" not in listed(api)
    refused = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "B", "Nickname": "Bo"}]})
    assert refused.json()["data"][0]["code"] == "INVALID_DATA"


def test_a_field_made_again_after_a_delete_starts_empty(api: TestClient) -> None:
    made = {"field_label": "Badge", "data_type": "text", "unique": {"casesensitive": False}}
    field_id = created_id(create(api, made))
    record = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "A", "Badge": "B-1"}]}).json()
    record_id = record["data"][0]["details"]["id"]
    api.delete(f"{URL}/{field_id}", params={"module": "Leads"})
    created_id(create(api, made))
    assert api.get(f"/crm/v8/Leads/{record_id}").json()["data"][0]["Badge"] is None
    # the old value's unique key went with it: the same value is free again
    again = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "C", "Badge": "B-1"}]})
    assert again.status_code == 201, again.text


def test_labels_are_unique_per_module_in_any_case(api: TestClient) -> None:
    created_id(create(api, {"field_label": "Region", "data_type": "text"}))
    error = only_error(create(api, {"field_label": "region", "data_type": "text"}))
    assert error["code"] == "DUPLICATE_DATA"
    assert error["details"] == {"api_name": "field_label", "json_path": "$.fields[0].field_label"}
    assert (
        create(api, {"field_label": "Last Name", "data_type": "text"}).json()["fields"][0]["code"] == "DUPLICATE_DATA"
    )
    created_id(create(api, {"field_label": "Region", "data_type": "text"}, module="Contacts"))


def test_an_api_name_taken_by_another_field_gets_a_number(api: TestClient) -> None:
    created_id(create(api, {"field_label": "Area Code", "data_type": "text"}))
    created_id(create(api, {"field_label": "Area-Code", "data_type": "text"}))
    fields = listed(api)
    assert fields["Area_Code"]["field_label"] == "Area Code"
    assert fields["Area_Code1"]["field_label"] == "Area-Code"


@pytest.mark.parametrize(
    ("item", "code", "details"),
    [
        (
            {"data_type": "text"},
            "MANDATORY_NOT_FOUND",
            {"api_name": "field_label", "json_path": "$.fields[0].field_label"},
        ),
        ({"field_label": "X"}, "MANDATORY_NOT_FOUND", {"api_name": "data_type", "json_path": "$.fields[0].data_type"}),
        ({"field_label": "X", "data_type": "text", "length": 256}, "INVALID_DATA", {"maximum_length": 255}),
        ({"field_label": "X", "data_type": "double", "decimal_place": 10}, "INVALID_DATA", {"maximum_length": 9}),
        ({"field_label": "X", "data_type": "picklist"}, "DEPENDENT_FIELD_MISSING", {"api_name": "pick_list_values"}),
        ({"field_label": "X", "data_type": "lookup"}, "DEPENDENT_FIELD_MISSING", {"api_name": "lookup"}),
        ({"field_label": "X", "data_type": "lookup", "lookup": {"module": {"api_name": "Nope"}}}, "INVALID_DATA", {}),
        ({"field_label": "X" * 51, "data_type": "text"}, "INVALID_DATA", {"maximum_length": 50}),
        ({"field_label": "X", "data_type": "subform"}, "INVALID_DATA", {"api_name": "data_type"}),
        ({"field_label": "X", "data_type": "text", "profiles": [{"id": "123"}]}, "INVALID_DATA", {"api_name": "id"}),
    ],
)
def test_refused_creates_name_the_key(
    api: TestClient, item: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    error = only_error(create(api, item))
    assert error["code"] == code
    assert details.items() <= error["details"].items()


def test_the_edition_limits_custom_fields_of_a_type_per_module(
    api: TestClient, client: TestClient, emulator: Emulator
) -> None:
    set_edition(client, emulator, "standard")
    limit = FIELD_LIMITS["standard"].per_type["fileupload"]
    for n in range(limit):
        created_id(create(api, {"field_label": f"Scan {n}", "data_type": "fileupload"}))
    error = only_error(create(api, {"field_label": "One More", "data_type": "fileupload"}))
    assert error["code"] == "LIMIT_EXCEEDED"
    assert error["details"] == {
        "limit": limit,
        "limit_due_to": [{"api_name": "data_type", "json_path": "$.fields[0].data_type"}],
    }
    created_id(create(api, {"field_label": "One More", "data_type": "fileupload"}, module="Contacts"))


def test_an_update_renames_a_custom_field_and_keeps_its_api_name(api: TestClient) -> None:
    field_id = created_id(create(api, {"field_label": "Hobby", "data_type": "text", "length": 100}))
    response = api.patch(f"{URL}/{field_id}", params={"module": "Leads"}, json={"fields": [{"field_label": "Pastime"}]})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, f"{URL}/{{field}}", "PATCH")
    assert response.json()["fields"][0]["message"] == "field updated successfully"
    field = listed(api)["Hobby"]
    assert (field["field_label"], field["display_label"], field["length"]) == ("Pastime", "Pastime", 100)


def test_bulk_updates_name_their_fields_and_take_five_at_most(api: TestClient) -> None:
    first = created_id(create(api, {"field_label": "One", "data_type": "text"}))
    body = {"fields": [{"id": first, "length": 20}, {"id": "1234567000000000001", "field_label": "Two"}, {"length": 3}]}
    response = api.patch(URL, params={"module": "Leads"}, json=body)
    assert response.status_code == 207, response.text
    ok, unknown, missing = response.json()["fields"]
    assert ok["code"] == "SUCCESS" and listed(api)["One"]["length"] == 20
    assert (unknown["code"], unknown["details"]) == ("INVALID_DATA", {"api_name": "id", "json_path": "$.fields[1].id"})
    assert (missing["code"], missing["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", "id")
    too_many = api.patch(URL, params={"module": "Leads"}, json={"fields": [{"id": first}] * 6})
    assert too_many.status_code == 400
    assert too_many.json()["fields"][0]["code"] == "LIMIT_EXCEEDED"


def test_system_fields_keep_their_labels_types_and_place(api: TestClient) -> None:
    last_name = listed(api)["Last_Name"]
    rename = api.patch(
        f"{URL}/{last_name['id']}", params={"module": "Leads"}, json={"fields": [{"field_label": "Surname"}]}
    )
    error = only_error(rename, method="PATCH", path=f"{URL}/{{field}}")
    assert (error["code"], error["details"]["api_name"]) == ("INVALID_DATA", "field_label")
    custom = created_id(create(api, {"field_label": "Notes Two", "data_type": "text"}))
    retype = api.patch(f"{URL}/{custom}", params={"module": "Leads"}, json={"fields": [{"data_type": "integer"}]})
    assert only_error(retype, method="PATCH", path=f"{URL}/{{field}}")["details"]["api_name"] == "data_type"
    deleted = api.delete(f"{URL}/{last_name['id']}", params={"module": "Leads"})
    assert deleted.status_code == 400
    validate_response(deleted, OAS, f"{URL}/{{field}}", "DELETE")
    assert deleted.json()["code"] == "INVALID_DATA"
    assert "Last_Name" in listed(api)


def test_profiles_given_on_create_get_their_permission_the_rest_read_write(api: TestClient, emulator: Emulator) -> None:
    standard = profile_ids(emulator)["Standard"]
    body = {"field_label": "Secret", "data_type": "text", "profiles": [{"id": standard, "permission_type": "hidden"}]}
    created_id(create(api, body))
    permissions = {p["name"]: p["permission_type"] for p in listed(api)["Secret"]["profiles"]}
    assert permissions == {"Administrator": "read_write", "Standard": "hidden"}


def test_an_unknown_field_id_cannot_be_deleted(api: TestClient) -> None:
    response = api.delete(f"{URL}/1234567000000000001", params={"module": "Leads"})
    assert response.status_code == 400
    validate_response(response, OAS, f"{URL}/{{field}}", "DELETE")
    assert response.json()["code"] == "INVALID_DATA"


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_missing_or_unknown_module_is_refused_bare(api: TestClient, method: str) -> None:
    body = {"fields": [{"field_label": "X", "data_type": "text"}]}
    missing = api.request(method, URL, json=body)
    assert (missing.status_code, missing.json()["code"]) == (400, "REQUIRED_PARAM_MISSING")
    unknown = api.request(method, URL, params={"module": "Nope"}, json=body)
    assert unknown.json() == {
        "code": "INVALID_MODULE",
        "details": {"api_name": "module"},
        "message": "the module name given seems to be invalid",
        "status": "error",
    }


def test_a_body_without_fields_is_refused_inside_the_envelope(api: TestClient) -> None:
    response = api.post(URL, params={"module": "Leads"}, json={"field": []})
    error = only_error(response)
    assert (error["code"], error["details"]) == ("MANDATORY_NOT_FOUND", {"api_name": "fields", "json_path": "$.fields"})
