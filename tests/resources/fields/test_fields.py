"""GET /settings/fields, and what it shares with /settings/layouts (REFERENCE §3.2-§3.3; SDK-WIRE §4c)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from zcrm_emulator.clock import iso
from zcrm_emulator.emulator import Emulator


def test_fields_of_a_module_in_zohos_shape(api: TestClient) -> None:
    response = api.get("/crm/v8/settings/fields", params={"module": "Leads"})
    assert response.status_code == 200
    fields = {f["api_name"]: f for f in response.json()["fields"]}
    last_name = fields["Last_Name"]
    assert (last_name["data_type"], last_name["system_mandatory"], last_name["json_type"]) == ("text", True, "string")
    assert last_name["id"].isdigit()
    assert {v["actual_value"] for v in fields["Lead_Status"]["pick_list_values"]} >= {"Contacted"}
    assert fields["Owner"]["data_type"] == "ownerlookup"


def test_deals_require_name_and_stage(api: TestClient) -> None:
    fields = api.get("/crm/v8/settings/fields", params={"module": "Deals"}).json()["fields"]
    assert {f["api_name"] for f in fields if f["system_mandatory"]} >= {"Deal_Name", "Stage"}


def test_one_field_by_id_is_an_array_of_one(api: TestClient) -> None:
    fields = api.get("/crm/v8/settings/fields", params={"module": "Leads"}).json()["fields"]
    one = api.get(f"/crm/v8/settings/fields/{fields[3]['id']}", params={"module": "Leads"})
    assert one.json() == {"fields": [fields[3]]}
    assert api.get("/crm/v8/settings/fields/1234567000000000001", params={"module": "Leads"}).status_code == 204


@pytest.mark.parametrize("path", ["/crm/v8/settings/fields", "/crm/v8/settings/layouts"])
def test_module_is_required(api: TestClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 400
    assert response.json() == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "module"},
        "message": "required param is missing",
        "status": "error",
    }


@pytest.mark.parametrize("path", ["/crm/v8/settings/fields", "/crm/v8/settings/layouts"])
@pytest.mark.parametrize("module", ["Nope", "Home", "Visits", "leads_"])
def test_an_unknown_module_is_invalid_module(api: TestClient, path: str, module: str) -> None:
    response = api.get(path, params={"module": module})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_MODULE"
    assert response.json()["details"] == {"api_name": "module"}


def test_type_filters_used_and_unused_fields(api: TestClient) -> None:
    every = api.get("/crm/v8/settings/fields", params={"module": "Leads", "type": "all"}).json()["fields"]
    used = api.get("/crm/v8/settings/fields", params={"module": "Leads", "type": "used"}).json()["fields"]
    assert used == [f for f in every if f["type"] == "used"]
    unused = api.get("/crm/v8/settings/fields", params={"module": "Leads", "type": "unused"})
    assert unused.status_code == (204 if len(used) == len(every) else 200)
    bad = api.get("/crm/v8/settings/fields", params={"module": "Leads", "type": "some"})
    assert bad.json()["details"] == {"param_name": "type", "supported_values": ["all", "used", "unused"]}


def test_if_modified_since_on_fields_and_layouts(api: TestClient, emulator: Emulator) -> None:
    later = {"If-Modified-Since": iso(emulator.clock.now_ms() + 5000)}
    earlier = {"If-Modified-Since": "2020-01-01T00:00:00+00:00"}  # before the fresh-org template was built
    for path in ("/crm/v8/settings/fields", "/crm/v8/settings/layouts"):
        assert api.get(path, params={"module": "Leads"}, headers=later).status_code == 304
        assert api.get(path, params={"module": "Leads"}, headers=earlier).status_code == 200


def test_a_module_named_in_another_case_answers_its_fields(api: TestClient) -> None:
    assert api.get("/crm/v8/settings/fields", params={"module": "leads"}).json() == (
        api.get("/crm/v8/settings/fields", params={"module": "Leads"}).json()
    )


def test_metadata_reads_need_their_settings_scope(client: TestClient, make_token) -> None:  # type: ignore[no-untyped-def]
    records_only = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.modules.ALL'])}"}
    fields_only = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.fields.READ'])}"}
    assert client.get("/crm/v8/settings/fields?module=Leads", headers=records_only).status_code == 401
    assert client.get("/crm/v8/settings/fields?module=Leads", headers=fields_only).status_code == 200
    assert client.get("/crm/v8/settings/layouts?module=Leads", headers=fields_only).status_code == 401
