"""GET /crm/v8/workflow_configurations?module= (OASx getWorkflowConfigurations), checked against
Zoho's workflow_configurations.json."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.support.oas import validate_response

PATH = "/crm/v8/workflow_configurations"
OAS = "workflow_configurations.json"


def test_leads_configuration_is_zohos_example(api: TestClient) -> None:
    response = api.get(PATH, params={"module": "Leads"})
    assert response.status_code == 200
    validate_response(response, OAS, "/workflow_configurations", "GET")
    found = response.json()["workflow_configurations"]
    triggers = {t["api_name"]: t for t in found["triggers"]}
    assert list(triggers)[:3] == ["create", "create_or_edit", "edit"]
    assert triggers["delete"]["actions"] == ["email_notifications", "webhooks", "functions"]
    assert triggers["delete"]["scheduled_actions_supported"] is False
    limits = {a["api_name"]: a["limit"] for a in found["actions"]}
    assert limits["field_updates"] == 5 and limits["webhooks"] == 1 and limits["email_notifications"] == 5
    assert found["related_triggers_details"][0]["api_name"] == "Notes"


def test_convert_only_where_records_convert(api: TestClient) -> None:
    deals = api.get(PATH, params={"module": "Deals"}).json()["workflow_configurations"]
    assert "convert" not in {a["api_name"] for a in deals["actions"]}
    assert all("convert" not in t["actions"] for t in deals["triggers"])


def test_the_module_param(api: TestClient) -> None:
    missing = api.get(PATH)
    assert missing.status_code == 400
    assert missing.json() == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "module"},
        "message": "required param not found",
        "status": "error",
    }
    validate_response(missing, OAS, "/workflow_configurations", "GET")
    for name in ("Nope", "Notes", "Home"):
        invalid = api.get(PATH, params={"module": name})
        assert invalid.json()["code"] == "INVALID_MODULE"
        validate_response(invalid, OAS, "/workflow_configurations", "GET")
