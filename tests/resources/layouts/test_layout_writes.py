"""Layout writes (Zoho doc pages "Update Custom Layout", "Delete Custom Layout", "Activate/Deactivate
Custom Layout"; OAS layouts.json): a layout's sections and the fields placed in them, deleting and
deactivating a custom layout with ``transfer_to``, activating it again, and Zoho's errors at each
edge. Every change shows on the next GET; the Standard layout is system-defined.

The API has no call that creates a layout, so the custom layouts here are stored the way an org
that has one keeps it (a row beside the Standard one)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import LAYOUT_ALLOWANCES, LAYOUT_WRITE_ALLOWANCES
from tests.support.oas import validate_response
from tests.support.records import insert_one
from zcrm_emulator import ids, record_model
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.layouts import rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.store.schema import layouts as layouts_table

pytestmark = pytest.mark.usefixtures("both_backends")

LAYOUTS = "/crm/v8/settings/layouts"
OAS_ONE = "/crm/v8/settings/layouts/{id}"
OAS_ACTIVATE = "/crm/v8/settings/layouts/{id}/actions/activate"
ALLOW = [*LAYOUT_ALLOWANCES, *LAYOUT_WRITE_ALLOWANCES]


def all_layouts(api: TestClient, module: str = "Leads") -> list[dict[str, Any]]:
    response = api.get(LAYOUTS, params={"module": module})
    assert response.status_code == 200, response.text
    return list(response.json()["layouts"])


def standard(api: TestClient, module: str = "Leads") -> dict[str, Any]:
    return next(layout for layout in all_layouts(api, module) if layout["name"] == "Standard")


def one(api: TestClient, layout_id: str, module: str = "Leads") -> dict[str, Any]:
    response = api.get(f"{LAYOUTS}/{layout_id}", params={"module": module})
    assert response.status_code == 200, response.text
    return dict(response.json()["layouts"][0])


def section(layout: dict[str, Any], label: str) -> dict[str, Any]:
    return next(s for s in layout["sections"] if s["display_label"] == label)


def field_ids(api: TestClient, *names: str, module: str = "Leads") -> list[str]:
    fields = {
        f["api_name"]: str(f["id"])
        for f in api.get("/crm/v8/settings/fields", params={"module": module}).json()["fields"]
    }
    return [fields[name] for name in names]


def patch_one(api: TestClient, layout_id: str, body: Any, module: str = "Leads") -> httpx.Response:
    return api.patch(f"{LAYOUTS}/{layout_id}", params={"module": module}, json=body)


def add_custom_layout(api: TestClient, emulator: Emulator, name: str, *, status: str = "active") -> str:
    """A custom layout of Leads beside the Standard one, as an org that has one stores it."""
    standard(api)  # the Standard layout first, as any call about layouts makes it
    org_id = emulator.default_org_id
    with emulator.store.tx(writes=True) as conn:
        module = modules_repo.find(conn, org_id, "Leads")
        assert module is not None
        (layout_id,) = ids.allocate(conn, org_id, 1)
        data = {
            **rules.template(module.data),
            "id": layout_id,
            "name": name,
            "display_label": name,
            "api_name": name,
            "generated_type": "custom",
            "status": status,
            "profiles": [],
            "actions_allowed": {**rules.template(module.data)["actions_allowed"], "delete": True, "deactivate": True},
        }
        conn.execute(
            layouts_table.insert().values(
                id=layout_id, org_id=org_id, module_id=module.id, name=name, modified_ms=0, data=data
            )
        )
    return str(layout_id)


# --- update sections ------------------------------------------------------------------------------


def test_a_new_section_takes_the_fields_named_and_shows_on_the_next_get(api: TestClient) -> None:
    layout = standard(api)
    email, phone = field_ids(api, "Email", "Phone")
    body = {"layouts": [{"sections": [{"display_label": "Contact Details", "fields": [{"id": phone}, {"id": email}]}]}]}
    response = patch_one(api, layout["id"], body)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "layouts": [
            {"code": "SUCCESS", "details": {"id": layout["id"]}, "message": "layout updated", "status": "success"}
        ]
    }
    validate_response(response, "layouts.json", OAS_ONE, "PATCH", allow=ALLOW)
    after = one(api, layout["id"])
    validate_response(
        api.get(f"{LAYOUTS}/{layout['id']}", params={"module": "Leads"}), "layouts.json", OAS_ONE, allow=ALLOW
    )
    added = section(after, "Contact Details")
    assert [f["api_name"] for f in added["fields"]] == ["Phone", "Email"]
    assert added["generated_type"] == "custom" and added["id"] and added["api_name"] == "Contact_Details"
    rest = [f["api_name"] for f in section(after, "Record Information")["fields"]]
    assert "Email" not in rest and "Last_Name" in rest
    everywhere = [f["api_name"] for s in after["sections"] for f in s["fields"]]
    assert len(everywhere) == len(set(everywhere))  # each field in one section only
    assert after["modified_by"] is not None and after["modified_time"] is not None


def test_an_existing_section_is_renamed_reshaped_and_its_fields_reordered(api: TestClient) -> None:
    layout = standard(api)
    record_info = section(layout, "Record Information")
    last, first = field_ids(api, "Last_Name", "First_Name")
    item = {
        "id": record_info["id"],
        "display_label": "Lead Basics",
        "column_count": 1,
        "tab_traversal": "top_to_bottom",
        "fields": [{"id": last}, {"id": first}],
    }
    assert patch_one(api, layout["id"], {"layouts": [{"sections": [item]}]}).status_code == 200
    changed = section(one(api, layout["id"]), "Lead Basics")
    assert changed["id"] == record_info["id"]
    assert (changed["column_count"], changed["tab_traversal"]) == (1, "top_to_bottom")
    assert [f["api_name"] for f in changed["fields"]][:2] == ["Last_Name", "First_Name"]
    assert len(changed["fields"]) == len(record_info["fields"])


def test_a_new_custom_field_lands_in_a_section_after_sections_changed(api: TestClient) -> None:
    layout = standard(api)
    body = {"layouts": [{"sections": [{"display_label": "Extra", "fields": [{"id": field_ids(api, "Email")[0]}]}]}]}
    assert patch_one(api, layout["id"], body).status_code == 200
    created = api.post(
        "/crm/v8/settings/fields",
        params={"module": "Leads"},
        json={"fields": [{"field_label": "Shoe Size", "data_type": "integer"}]},
    )
    assert created.status_code == 201, created.text
    placed = {f["api_name"]: s["display_label"] for s in one(api, layout["id"])["sections"] for f in s["fields"]}
    assert placed["Shoe_Size"] == "Record Information" and placed["Email"] == "Extra"


def test_deleting_a_section_returns_its_fields_to_their_default_section(api: TestClient) -> None:
    layout = standard(api)
    body = {"layouts": [{"sections": [{"display_label": "Extra", "fields": [{"id": field_ids(api, "Email")[0]}]}]}]}
    patch_one(api, layout["id"], body)
    extra = section(one(api, layout["id"]), "Extra")
    assert (
        patch_one(api, layout["id"], {"layouts": [{"sections": [{"id": extra["id"], "_delete": None}]}]}).status_code
        == 200
    )
    after = one(api, layout["id"])
    assert [s["display_label"] for s in after["sections"]].count("Extra") == 0
    assert "Email" in [f["api_name"] for f in section(after, "Record Information")["fields"]]


def test_the_many_call_names_each_layout_and_an_unknown_one_fails_alone(api: TestClient) -> None:
    leads = standard(api)
    body = {
        "layouts": [
            {"id": leads["id"], "sections": [{"display_label": "Extra"}]},
            {"id": "1234567890123456789", "sections": [{"display_label": "Extra"}]},
        ]
    }
    response = api.patch(LAYOUTS, params={"module": "Leads"}, json=body)
    assert response.status_code == 207, response.text
    first, second = response.json()["layouts"]
    assert first["status"] == "success"
    assert second["code"] == "INVALID_DATA" and second["details"] == {"api_name": "id", "json_path": "$.layouts[1].id"}
    assert any(s["display_label"] == "Extra" for s in one(api, leads["id"])["sections"])
    # layouts.json documents 200 and 400 only (no 207): the all-success answer is checked.
    ok = api.patch(LAYOUTS, params={"module": "Leads"}, json={"layouts": [body["layouts"][0]]})
    assert ok.status_code == 400 and ok.json()["layouts"][0]["code"] == "DUPLICATE_DATA"
    validate_response(ok, "layouts.json", "/crm/v8/settings/layouts", "PATCH", allow=ALLOW)
    renamed = {"id": leads["id"], "sections": [{"display_label": "Extra 2"}]}
    ok = api.patch(LAYOUTS, params={"module": "Leads"}, json={"layouts": [renamed]})
    assert ok.status_code == 200, ok.text
    validate_response(ok, "layouts.json", "/crm/v8/settings/layouts", "PATCH", allow=ALLOW)


@pytest.mark.parametrize(
    ("sections", "code", "api_name", "json_path"),
    [
        ([{"fields": []}], "MANDATORY_NOT_FOUND", "display_label", "$.layouts[0].sections[0].display_label"),
        ([{"display_label": "x" * 51}], "INVALID_DATA", "display_label", "$.layouts[0].sections[0].display_label"),
        (
            [{"display_label": "record information"}],
            "DUPLICATE_DATA",
            "display_label",
            "$.layouts[0].sections[0].display_label",
        ),
        ([{"id": "1234567890123456789"}], "INVALID_DATA", "id", "$.layouts[0].sections[0].id"),
        (
            [{"display_label": "A", "fields": [{"id": "1234567890123456789"}]}],
            "INVALID_DATA",
            "id",
            "$.layouts[0].sections[0].fields[0].id",
        ),
        (
            [{"display_label": "A", "column_count": 3}],
            "INVALID_DATA",
            "column_count",
            "$.layouts[0].sections[0].column_count",
        ),
        (
            [{"display_label": "A", "tab_traversal": "sideways"}],
            "INVALID_DATA",
            "tab_traversal",
            "$.layouts[0].sections[0].tab_traversal",
        ),
        ("nope", "INVALID_DATA", "sections", "$.layouts[0].sections"),
        ([], "MANDATORY_NOT_FOUND", "sections", "$.layouts[0].sections"),
    ],
)
def test_a_bad_section_is_refused_with_zohos_details_and_nothing_changes(
    api: TestClient, sections: Any, code: str, api_name: str, json_path: str
) -> None:
    layout = standard(api)
    response = patch_one(api, layout["id"], {"layouts": [{"sections": sections}]})
    assert response.status_code == 400, response.text
    error = response.json()["layouts"][0]
    assert (error["code"], error["details"]["api_name"], error["details"]["json_path"]) == (code, api_name, json_path)
    validate_response(response, "layouts.json", OAS_ONE, "PATCH", allow=ALLOW)
    assert one(api, layout["id"]) == layout


def test_the_last_section_cannot_be_deleted(api: TestClient) -> None:
    layout = standard(api)
    kept = [{"id": s["id"], "_delete": None} for s in layout["sections"]]
    response = patch_one(api, layout["id"], {"layouts": [{"sections": kept}]})
    assert response.status_code == 400 and response.json()["layouts"][0]["code"] == "NOT_ALLOWED"
    assert one(api, layout["id"]) == layout


def test_a_layout_named_in_the_path_must_be_one_of_the_modules(api: TestClient) -> None:
    contacts = standard(api, "Contacts")
    for layout_id in (contacts["id"], "1234567890123456789", "abc"):
        response = patch_one(api, layout_id, {"layouts": [{"sections": [{"display_label": "A"}]}]})
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "INVALID_DATA" and response.json()["details"] == {"resource_path_index": 0}
        validate_response(response, "layouts.json", OAS_ONE, "PATCH", allow=ALLOW)


def test_the_module_param_is_required_and_known(api: TestClient) -> None:
    layout = standard(api)
    body = {"layouts": [{"sections": [{"display_label": "A"}]}]}
    response = api.patch(f"{LAYOUTS}/{layout['id']}", json=body)
    assert response.status_code == 400 and response.json()["code"] == "REQUIRED_PARAM_MISSING"
    assert patch_one(api, layout["id"], body, module="Nope").json()["code"] == "INVALID_MODULE"


def test_updating_needs_the_update_scope(api: TestClient, client: TestClient, make_token: Any) -> None:
    layout = standard(api)
    body = {"layouts": [{"sections": [{"display_label": "A"}]}]}
    url = f"{LAYOUTS}/{layout['id']}"
    read = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.layouts.READ'])}"}
    response = client.patch(url, params={"module": "Leads"}, json=body, headers=read)
    assert response.status_code == 401 and response.json()["code"] == "OAUTH_SCOPE_MISMATCH"
    write = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.layouts.UPDATE'])}"}
    assert client.patch(url, params={"module": "Leads"}, json=body, headers=write).status_code == 200


# --- delete, deactivate, activate -------------------------------------------------------------------


def delete_layout(api: TestClient, layout_id: str, **params: str) -> httpx.Response:
    return api.delete(f"{LAYOUTS}/{layout_id}", params={"module": "Leads", **params})


def deactivate(api: TestClient, layout_id: str, **params: str) -> httpx.Response:
    return api.delete(f"{LAYOUTS}/{layout_id}/actions/activate", params={"module": "Leads", **params})


def activate(api: TestClient, layout_id: str, body: Any) -> httpx.Response:
    return api.post(f"{LAYOUTS}/{layout_id}/actions/activate", params={"module": "Leads"}, json=body)


def test_the_standard_layout_cannot_be_deleted_or_deactivated(api: TestClient, emulator: Emulator) -> None:
    std = standard(api)
    other = add_custom_layout(api, emulator, "Field Sales")
    response = delete_layout(api, std["id"], transfer_to=other)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "NOT_ALLOWED"
    assert response.json()["message"] == "You cannot delete the system-defined layout"
    validate_response(response, "layouts.json", OAS_ONE, "DELETE", allow=ALLOW)
    response = deactivate(api, std["id"], transfer_to=other)
    assert response.status_code == 400 and response.json()["code"] == "NOT_ALLOWED"
    validate_response(response, "layouts.json", OAS_ACTIVATE, "DELETE", allow=ALLOW)
    assert standard(api)["status"] == "active"


def test_deleting_a_custom_layout_moves_its_records_and_profiles(api: TestClient, emulator: Emulator) -> None:
    std = standard(api)
    custom = add_custom_layout(api, emulator, "Field Sales")
    profile = api.get("/crm/v8/settings/profiles").json()["profiles"][0]
    activate_body = {"layouts": [{"profiles": [{"id": profile["id"]}]}]}
    # The custom layout, deactivated then active again for one profile, holds a record.
    assert deactivate(api, custom, transfer_to=std["id"]).status_code == 200
    assert activate(api, custom, activate_body).status_code == 200
    record_id = insert_one(api, "Leads", {"Last_Name": "Moved"})
    with emulator.store.tx(writes=True) as conn:
        meta = record_model.load_module(conn, emulator.default_org_id, "Leads", emulator.clock.now_ms())
        row = record_model.get_records(conn, meta.id, [record_id])[record_id]
        record_model.update_records(conn, [replace(row, data={**row.data, "Layout": custom})])
    response = delete_layout(api, custom, transfer_to=std["id"])
    assert response.status_code == 200, response.text
    assert response.json()["layouts"][0] == {
        "code": "SUCCESS",
        "details": {"id": custom},
        "message": "layout deleted",
        "status": "success",
    }
    validate_response(response, "layouts.json", OAS_ONE, "DELETE", allow=ALLOW)
    assert [layout["id"] for layout in all_layouts(api)] == [std["id"]]
    assert api.get(f"{LAYOUTS}/{custom}", params={"module": "Leads"}).status_code == 204
    record = api.get(f"/crm/v8/Leads/{record_id}").json()["data"][0]
    assert record["Layout"]["id"] == std["id"]


def test_deactivation_shows_on_the_next_get_and_twice_is_refused(api: TestClient, emulator: Emulator) -> None:
    std = standard(api)
    custom = add_custom_layout(api, emulator, "Field Sales")
    response = deactivate(api, custom, transfer_to=std["id"])
    assert response.status_code == 200, response.text
    assert response.json()["layouts"][0]["message"] == "layout deactivated"
    validate_response(response, "layouts.json", OAS_ACTIVATE, "DELETE", allow=ALLOW)
    assert one(api, custom)["status"] == "inactive"
    again = deactivate(api, custom, transfer_to=std["id"])
    assert again.status_code == 400 and again.json()["code"] == "ALREADY_DEACTIVATED"
    # Nothing can be moved to an inactive layout.
    other = add_custom_layout(api, emulator, "Partners")
    refused = delete_layout(api, other, transfer_to=custom)
    assert refused.status_code == 400 and refused.json()["code"] == "NOT_ALLOWED"
    assert refused.json()["message"] == "Cannot transfer to the deactivated layout"
    assert refused.json()["details"] == {"param_name": "transfer_to"}


def test_activation_takes_existing_profiles_and_shows_on_the_next_get(api: TestClient, emulator: Emulator) -> None:
    std = standard(api)
    custom = add_custom_layout(api, emulator, "Field Sales", status="inactive")
    profile = api.get("/crm/v8/settings/profiles").json()["profiles"][0]
    unknown = activate(api, custom, {"layouts": [{"profiles": [{"id": "1234567890123456789"}]}]})
    assert unknown.status_code == 400, unknown.text
    assert unknown.json()["layouts"][0]["details"] == {"api_name": "id", "json_path": "$.layouts[0].profiles[0].id"}
    missing = activate(api, custom, {"layouts": [{}]})
    assert missing.json()["layouts"][0]["code"] == "MANDATORY_NOT_FOUND"
    assert one(api, custom)["status"] == "inactive"
    response = activate(api, custom, {"layouts": [{"profiles": [{"id": profile["id"]}]}]})
    assert response.status_code == 200, response.text
    assert response.json()["layouts"][0]["message"] == "layout activated"
    validate_response(response, "layouts.json", OAS_ACTIVATE, "POST", allow=ALLOW)
    shown = one(api, custom)
    assert shown["status"] == "active" and [p["id"] for p in shown["profiles"]] == [profile["id"]]
    again = activate(api, custom, {"layouts": [{"profiles": [{"id": profile["id"]}]}]})
    assert again.json()["layouts"][0]["code"] == "ALREADY_ACTIVATED"
    assert std["status"] == "active"


@pytest.mark.parametrize("call", [delete_layout, deactivate])
def test_transfer_to_is_required_and_must_be_another_layout_of_the_module(
    api: TestClient, emulator: Emulator, call: Any
) -> None:
    custom = add_custom_layout(api, emulator, "Field Sales")
    missing = call(api, custom)
    assert missing.status_code == 400 and missing.json()["code"] == "REQUIRED_PARAM_MISSING"
    assert missing.json()["details"] == {"param_name": "transfer_to"}
    for target in (custom, standard(api, "Contacts")["id"], "1234567890123456789", "abc"):
        response = call(api, custom, transfer_to=target)
        assert response.status_code == 400, target
        assert response.json()["code"] == "INVALID_DATA" and response.json()["details"] == {"param_name": "transfer_to"}
    assert one(api, custom)["status"] == "active"
    unknown = call(api, "1234567890123456789", transfer_to=standard(api)["id"])
    assert unknown.json()["details"] == {"resource_path_index": 0}


def test_deleting_needs_the_delete_scope(
    api: TestClient, client: TestClient, make_token: Any, emulator: Emulator
) -> None:
    custom = add_custom_layout(api, emulator, "Field Sales")
    url = f"{LAYOUTS}/{custom}"
    params = {"module": "Leads", "transfer_to": standard(api)["id"]}
    update = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.layouts.UPDATE'])}"}
    assert client.delete(url, params=params, headers=update).status_code == 401
    delete = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.layouts.DELETE'])}"}
    assert client.delete(url, params=params, headers=delete).status_code == 200


def test_a_new_sections_api_name_comes_from_its_label_and_stays_unique(api: TestClient) -> None:
    layout = standard(api)
    body = {"layouts": [{"sections": [{"display_label": "Record-Information"}, {"display_label": " Notes & Links "}]}]}
    assert patch_one(api, layout["id"], body).status_code == 200
    after = one(api, layout["id"])
    assert section(after, "Record-Information")["api_name"] == "Record_Information_2"
    assert section(after, "Notes & Links")["api_name"] == "Notes_Links"  # an empty custom section shows too
    assert section(after, "Record Information")["api_name"] == "Record_Information"
