"""A module's api name in any case: Zoho resolves ``/crm/v2/leads`` as Leads (n8n's Zoho CRM node
calls lower-case paths), on record paths and wherever a ``module`` parameter names a module, and
answers with the canonical api name."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.records import insert_one

pytestmark = pytest.mark.usefixtures("both_backends")

INVALID_MODULE = {
    "code": "INVALID_MODULE",
    "details": {"resource_path_index": 0},
    "message": "the module name given seems to be invalid",
    "status": "error",
}


@pytest.mark.parametrize(
    ("spelled", "module", "item"),
    [
        ("leads", "Leads", {"Last_Name": "Doe"}),
        ("LEADS", "Leads", {"Last_Name": "Doe"}),
        ("accounts", "Accounts", {"Account_Name": "Zylker"}),
        ("contacts", "Contacts", {"Last_Name": "Doe"}),
        ("sales_orders", "Sales_Orders", None),
        ("services__s", "Services__s", None),
    ],
)
def test_a_record_path_names_its_module_in_any_case(
    api: TestClient, spelled: str, module: str, item: dict[str, str] | None
) -> None:
    if item is not None:
        created = api.post(f"/crm/v2/{spelled}", json={"data": [item]})
        assert created.status_code == 201, created.text
        record_id = created.json()["data"][0]["details"]["id"]
        assert api.get(f"/crm/v8/{module}/{record_id}").status_code == 200
        assert api.get(f"/crm/v2/{spelled}/{record_id}").json()["data"][0]["id"] == record_id
        listed = api.get(f"/crm/v2/{spelled}", params={"fields": next(iter(item))})
        assert [r["id"] for r in listed.json()["data"]] == [record_id]
        assert api.put(f"/crm/v2/{spelled}/{record_id}", json={"data": [item]}).status_code == 200
        assert api.delete(f"/crm/v2/{spelled}/{record_id}").status_code == 200
    else:
        assert api.get(f"/crm/v8/{spelled}", params={"fields": "Created_Time"}).status_code == 204


@pytest.mark.parametrize("spelled", ["Leadz", "lead", "leads_", "1234"])
def test_a_name_no_module_has_in_any_case_stays_invalid(api: TestClient, spelled: str) -> None:
    response = api.get(f"/crm/v8/{spelled}", params={"fields": "Last_Name"})
    assert (response.status_code, response.json()) == (400, INVALID_MODULE)


def test_a_lower_case_path_needs_the_same_record_scope(client: TestClient, make_token: TokenFactory) -> None:
    leads_only = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.modules.leads.READ'])}"}
    assert client.get("/crm/v2/leads?fields=Last_Name", headers=leads_only).status_code == 204
    assert client.get("/crm/v2/contacts?fields=Last_Name", headers=leads_only).status_code == 401


def test_a_custom_module_is_found_in_any_case(api: TestClient) -> None:
    from tests.support.records import create_custom_module

    create_custom_module(api)
    record_id = insert_one(api, "stocks", {"Name": "Widget"})
    assert api.get(f"/crm/v8/STOCKS/{record_id}").json()["data"][0]["Name"] == "Widget"


@pytest.mark.parametrize(
    "path", ["/crm/v8/settings/fields", "/crm/v8/settings/layouts", "/crm/v8/settings/modules/{module}"]
)
def test_metadata_calls_take_the_module_in_any_case_and_answer_its_canonical_name(api: TestClient, path: str) -> None:
    canonical = api.get(path.format(module="Sales_Orders"), params={"module": "Sales_Orders"})
    spelled = api.get(path.format(module="sales_orders"), params={"module": "sales_orders"})
    assert spelled.status_code == canonical.status_code == 200
    assert spelled.json() == canonical.json()
    if "modules" in spelled.json():
        assert spelled.json()["modules"][0]["api_name"] == "Sales_Orders"


@pytest.mark.parametrize("path", ["/crm/v8/settings/custom_links", "/crm/v8/settings/automation/workflow_rules"])
def test_module_params_of_settings_lists_take_any_case(api: TestClient, path: str) -> None:
    canonical = api.get(path, params={"module": "Leads"})
    spelled = api.get(path, params={"module": "LEADS"})
    assert (spelled.status_code, spelled.content) == (canonical.status_code, canonical.content)
    assert spelled.status_code in (200, 204)
