"""/settings/automation/webhooks over HTTP: create, read, list, replace, delete, the modules that
have webhooks; scopes, the profile permission, the edition gate; on SQLite and PostgreSQL alike."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.modules import set_edition
from tests.support.people import add_standard_user
from tests.support.records import module_id
from tests.support.webhooks import WEBHOOKS, create_webhook, post_webhook, webhook_item
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.webhooks import service
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import profiles

pytestmark = pytest.mark.usefixtures("both_backends")


def only(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    (result,) = response.json()["webhooks"]
    return dict(result)


def test_a_webhook_is_created_and_read_back_whole(api: TestClient, emulator: Emulator) -> None:
    response = post_webhook(api, webhook_item(description="Protected Data"))
    webhook_id = only(response, 201)["details"]["id"]
    assert response.json() == {
        "webhooks": [
            {
                "code": "SUCCESS",
                "details": {"id": webhook_id},
                "message": "webhook created successfully",
                "status": "success",
            }
        ]
    }
    got = only(api.get(f"{WEBHOOKS}/{webhook_id}"), 200)
    admin = got["created_by"]
    assert got == {
        "id": webhook_id,
        "name": "Lead sync",
        "description": "Protected Data",
        "module": {"api_name": "Leads", "id": module_id(emulator, "Leads")},
        "related_module": None,
        "url": "https://hooks.zylker.example/leads",
        "http_method": "POST",
        "feature_type": "workflow",
        "headers": {
            "module_parameters": [{"name": "lead_email", "value": "${!Leads.Email}"}],
            "custom_parameters": [{"name": "source", "value": "website"}],
        },
        "url_parameters": None,
        "body": {"type": "raw", "format": "JSON", "raw_data_content": '{"id": "${!Leads.Id}"}'},
        "date_time_format": None,
        "authentication": {"type": "general", "connection_name": ""},
        "lock_status": {"locked": False, "message": None},
        "editable": True,
        "deletable": True,
        "source": "user",
        "associated": False,
        "created_by": admin,
        "created_time": got["created_time"],
        "modified_by": admin,
        "modified_time": got["created_time"],
    }
    assert admin["name"] == "Zylker Admin"
    listed = api.get(WEBHOOKS)
    assert listed.status_code == 200
    assert listed.json()["info"] == {"per_page": 200, "count": 1, "page": 1, "more_records": False, "max_limit": 200}
    (summary,) = listed.json()["webhooks"]
    assert summary == {k: v for k, v in got.items() if k not in service.shapes.DETAIL_KEYS}


def test_an_unknown_webhook_reads_as_nothing(api: TestClient) -> None:
    assert api.get(f"{WEBHOOKS}/1234567890").status_code == 204
    assert api.get(f"{WEBHOOKS}/nope").status_code == 204
    assert api.get(WEBHOOKS).status_code == 204


def _names(api: TestClient, **query: str) -> list[str]:
    response = api.get(WEBHOOKS, params=query)
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.text
    return [w["name"] for w in response.json()["webhooks"]]


def test_the_list_filters_sorts_and_pages(api: TestClient, emulator: Emulator) -> None:
    create_webhook(api, name="Alpha lead")
    emulator.advance_clock(1)
    create_webhook(api, name="Beta deal", module={"api_name": "Deals"}, headers=None, body=None)
    emulator.advance_clock(1)
    create_webhook(
        api, name="Gamma note", feature_type="kiosk", related_module={"api_name": "Notes"}, headers=None, body=None
    )
    assert _names(api) == ["Gamma note", "Beta deal", "Alpha lead"]  # newest change first
    assert _names(api, sort_order="asc", sort_by="Modified_Time") == ["Alpha lead", "Beta deal", "Gamma note"]
    assert _names(api, module="Deals") == ["Beta deal"]
    assert _names(api, feature_type="kiosk") == ["Gamma note"]
    assert _names(api, related_module="Notes") == ["Gamma note"]
    assert _names(api, filters='{"field":{"api_name":"name"},"comparator":"contains","value":"LEAD"}') == ["Alpha lead"]
    assert _names(api, module="Contacts") == []
    second = api.get(WEBHOOKS, params={"per_page": 1, "page": 2}).json()
    assert [w["name"] for w in second["webhooks"]] == ["Beta deal"]
    assert second["info"] == {"per_page": 1, "count": 1, "page": 2, "more_records": True, "max_limit": 200}


@pytest.mark.parametrize(
    ("query", "code", "param"),
    [
        ({"sort_by": "Created_Time"}, "INVALID_DATA", "sort_by"),
        ({"sort_order": "up"}, "INVALID_DATA", "sort_order"),
        ({"feature_type": "macro"}, "INVALID_DATA", "feature_type"),
        ({"module": "Nope"}, "INVALID_MODULE", "module"),
        ({"related_module": "Nope"}, "INVALID_MODULE", "related_module"),
        ({"filters": "{not json"}, "INVALID_DATA", "filters"),
        ({"filters": '{"field":{"api_name":"url"},"comparator":"contains","value":"x"}'}, "INVALID_DATA", "filters"),
        ({"filters": '{"field":{"api_name":"name"},"comparator":"equals","value":"x"}'}, "INVALID_DATA", "filters"),
        ({"filters": "[" * 5000}, "INVALID_DATA", "filters"),
        ({"per_page": "201"}, "INVALID_DATA", "per_page"),
        ({"page": "0"}, "INVALID_DATA", "page"),
    ],
)
def test_a_bad_list_param_is_named(api: TestClient, query: dict[str, str], code: str, param: str) -> None:
    response = api.get(WEBHOOKS, params=query)
    assert response.status_code == 400
    assert response.json() == {
        "code": code,
        "details": {"param_name": param},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }


def test_an_update_replaces_the_whole_webhook(api: TestClient, emulator: Emulator) -> None:
    webhook_id = create_webhook(api, description="first", date_time_format={"date_format": "dd-mm-yyyy"})
    before = only(api.get(f"{WEBHOOKS}/{webhook_id}"), 200)
    emulator.advance_clock(5)
    replacement = webhook_item(name="Lead sync v2", http_method="GET", headers=None, body=None)
    replacement["url_parameters"] = {"custom_parameters": [{"name": "v", "value": "2"}]}
    response = api.put(f"{WEBHOOKS}/{webhook_id}", json={"webhooks": [replacement]})
    assert response.json() == {
        "webhooks": [
            {
                "code": "SUCCESS",
                "details": {"id": webhook_id},
                "message": "webhook updated successfully",
                "status": "success",
            }
        ]
    }
    after = only(api.get(f"{WEBHOOKS}/{webhook_id}"), 200)
    assert (after["name"], after["http_method"], after["description"]) == ("Lead sync v2", "GET", None)
    assert (after["headers"], after["body"], after["date_time_format"]) == (None, None, None)
    assert after["url_parameters"] == {"custom_parameters": [{"name": "v", "value": "2"}], "module_parameters": []}
    assert (after["created_time"], after["created_by"]) == (before["created_time"], before["created_by"])
    assert after["modified_time"] != before["modified_time"]


def test_an_update_by_body_names_its_webhook_by_id(api: TestClient) -> None:
    webhook_id = create_webhook(api)
    body = {"webhooks": [{**webhook_item(name="Renamed"), "id": webhook_id}]}
    assert only(api.put(WEBHOOKS, json=body), 200)["details"] == {"id": webhook_id}
    assert only(api.get(f"{WEBHOOKS}/{webhook_id}"), 200)["name"] == "Renamed"
    missing = only(api.put(WEBHOOKS, json={"webhooks": [webhook_item()]}), 400)
    assert missing == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"api_name": "id", "json_path": "$.webhooks[0].id"},
        "message": "Required field is missing",
        "status": "error",
    }
    for bad in ("123", "x", 5):
        unknown = only(api.put(WEBHOOKS, json={"webhooks": [{**webhook_item(), "id": bad}]}), 400)
        assert (unknown["code"], unknown["message"]) == ("INVALID_DATA", "The ID given is invalid")
        assert unknown["details"] == {"api_name": "id", "json_path": "$.webhooks[0].id"}


def test_the_module_of_a_webhook_cannot_change(api: TestClient) -> None:
    webhook_id = create_webhook(api)
    moved = webhook_item(module={"api_name": "Contacts"}, headers=None, body=None)
    error = only(api.put(f"{WEBHOOKS}/{webhook_id}", json={"webhooks": [moved]}), 400)
    assert error == {
        "code": "NOT_ALLOWED",
        "details": {"api_name": "module", "json_path": "$.webhooks[0].module"},
        "message": "old value cannot be changed with new value for this field",
        "status": "error",
    }


def test_a_kiosk_webhook_keeps_its_name(api: TestClient) -> None:
    kiosk = {"feature_type": "kiosk", "related_module": {"api_name": "Notes"}}
    webhook_id = create_webhook(api, **kiosk)
    renamed = webhook_item(name="Other", **kiosk)
    error = only(api.put(f"{WEBHOOKS}/{webhook_id}", json={"webhooks": [renamed]}), 400)
    assert (error["code"], error["message"]) == (
        "NOT_ALLOWED",
        "Action name not allow to change for kiosk feature actions",
    )
    assert only(api.put(f"{WEBHOOKS}/{webhook_id}", json={"webhooks": [webhook_item(**kiosk)]}), 200)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_a_path_id_that_names_no_webhook_is_refused_bare(api: TestClient, method: str) -> None:
    for bad in ("1234567890", "nope"):
        response = api.request(method, f"{WEBHOOKS}/{bad}", json={"webhooks": [webhook_item()]})
        assert response.status_code == 400
        assert response.json() == {
            "code": "INVALID_DATA",
            "details": {"resource_path_index": 3},
            "message": "the id given seems to be invalid",
            "status": "error",
        }


@pytest.mark.parametrize(("method", "path"), [("POST", ""), ("PUT", ""), ("PUT", "/{id}")])
def test_a_body_without_exactly_one_webhook_is_refused_in_the_envelope(api: TestClient, method: str, path: str) -> None:
    url = WEBHOOKS + path.format(id=create_webhook(api))
    cases: list[tuple[Any, dict[str, Any], str, str]] = [
        ({}, {"api_name": "webhooks", "json_path": "$.webhooks"}, "MANDATORY_NOT_FOUND", "Required field is missing"),
        (
            {"webhooks": []},
            {"api_name": "webhooks", "json_path": "$.webhooks"},
            "MANDATORY_NOT_FOUND",
            "Required field is missing",
        ),
        (
            {"webhooks": {}},
            {"api_name": "webhooks", "json_path": "$.webhooks", "expected_data_type": "jsonarray"},
            "INVALID_DATA",
            "Invalid data type",
        ),
        (
            {"webhooks": [webhook_item(), webhook_item()]},
            {"api_name": "webhooks", "json_path": "$.webhooks", "limit": 1},
            "LIMIT_EXCEEDED",
            "can't pass more than the limit",
        ),
    ]
    for body, details, code, message in cases:
        response = api.request(method, url, json=body)
        assert only(response, 400) == {"code": code, "details": details, "message": message, "status": "error"}
    not_json = api.request(method, url, content=b"webhooks")
    assert only(not_json, 400)["code"] == "INVALID_DATA"


def test_webhooks_are_deleted_one_by_path_or_several_by_ids(api: TestClient) -> None:
    first, second, third = (create_webhook(api, name=f"W{n}") for n in range(3))
    response = api.delete(f"{WEBHOOKS}/{first}")
    assert response.status_code == 200
    assert response.json() == {
        "webhooks": [
            {"code": "SUCCESS", "details": {"id": first}, "message": "Webhook is deleted", "status": "success"}
        ]
    }
    mixed = api.delete(WEBHOOKS, params={"ids": f"{second},{first},x"})
    assert mixed.status_code == 207
    assert mixed.json()["webhooks"] == [
        {"code": "SUCCESS", "details": {"id": second}, "message": "Webhook is deleted", "status": "success"},
        {
            "code": "INVALID_DATA",
            "details": {"id": first},
            "message": "the id given seems to be invalid",
            "status": "error",
        },
        {
            "code": "INVALID_DATA",
            "details": {"id": "x"},
            "message": "the id given seems to be invalid",
            "status": "error",
        },
    ]
    assert api.delete(WEBHOOKS, params={"ids": first}).status_code == 400
    assert api.delete(WEBHOOKS, params={"ids": third}).status_code == 200
    assert api.get(WEBHOOKS).status_code == 204


def test_the_ids_param_is_required_and_holds_ten_at_most(api: TestClient) -> None:
    missing = api.delete(WEBHOOKS)
    assert missing.status_code == 400
    assert missing.json() == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "ids"},
        "message": "One of the expected parameter is missing",
        "status": "error",
    }
    ten = ",".join(str(1_000_000_000 + n) for n in range(10))
    assert api.delete(WEBHOOKS, params={"ids": ten}).status_code == 400  # ten unknown ids, each refused
    eleven = api.delete(WEBHOOKS, params={"ids": f"{ten},1"})
    assert eleven.status_code == 400
    assert eleven.json() == {
        "code": "INVALID_DATA",
        "details": {"param_name": "ids", "limit": 10},
        "message": "Bulk deletion of records limit reached",
        "status": "error",
    }


@pytest.fixture
def rule_uses(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The webhooks a (stand-in) workflow rules package says are in use: the interface
    ``workflow_rules.service.webhook_in_use(conn, org_id, webhook_id)``."""
    used: set[str] = set()
    stand_in = types.ModuleType(service.WORKFLOW_RULES_SERVICE)
    stand_in.webhook_in_use = lambda conn, org_id, webhook_id: webhook_id in used  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, service.WORKFLOW_RULES_SERVICE, stand_in)
    return used


def test_a_webhook_a_rule_uses_is_associated_and_kept(api: TestClient, rule_uses: set[str]) -> None:
    used, free = create_webhook(api, name="Used"), create_webhook(api, name="Free")
    rule_uses.add(used)
    assert only(api.get(f"{WEBHOOKS}/{used}"), 200)["associated"] is True
    assert {w["name"]: w["associated"] for w in api.get(WEBHOOKS).json()["webhooks"]} == {"Used": True, "Free": False}
    by_path = api.delete(f"{WEBHOOKS}/{used}")
    assert by_path.status_code == 400
    assert by_path.json() == {
        "code": "NOT_ALLOWED",
        "details": {"resource_path_index": 3},
        "message": "This webhook is associated with at least one of Approval Process/Workflow Rules/Blueprint",
        "status": "error",
    }
    by_ids = api.delete(WEBHOOKS, params={"ids": f"{used},{free}"})
    assert by_ids.status_code == 207
    assert by_ids.json()["webhooks"][0] == {
        "code": "NOT_ALLOWED",
        "details": {"id": used},
        "message": "This webhook is associated with at least one of Approval Process/Workflow Rules/Blueprint",
        "status": "error",
    }
    assert api.get(f"{WEBHOOKS}/{used}").status_code == 200


def test_the_modules_with_webhooks_are_those_the_caller_sees(
    api: TestClient, emulator: Emulator, client: TestClient, make_token: TokenFactory
) -> None:
    path = f"{WEBHOOKS}/actions/associated_modules"
    assert api.get(path).status_code == 204
    create_webhook(api, module={"api_name": "Deals"}, headers=None, body=None)
    create_webhook(api)
    create_webhook(api, name="again")
    assert api.get(path).json() == {
        "associated_modules": [
            {"api_name": "Leads", "id": module_id(emulator, "Leads")},
            {"api_name": "Deals", "id": module_id(emulator, "Deals")},
        ]
    }
    rep = add_standard_user(emulator)
    _standard_profile_may(emulator, manage_workflow=True, view_deals=False)
    rep_headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}
    seen = client.get(path, headers=rep_headers).json()["associated_modules"]
    assert [m["api_name"] for m in seen] == ["Leads"]


def _standard_profile_may(emulator: Emulator, *, manage_workflow: bool, view_deals: bool) -> None:
    with emulator.store.tx(writes=True) as conn:
        for profile in documents.list_data(conn, profiles, emulator.default_org_id):
            if profile["name"] != "Standard":
                continue
            details = [p for p in profile["permissions_details"] if p["name"] != "Crm_Implied_Manage_Workflow"]
            details.append({"name": "Crm_Implied_Manage_Workflow", "enabled": manage_workflow})
            for permission in details:
                if permission["name"] == "Crm_Implied_View_Deals":
                    permission["enabled"] = view_deals
            data = {**profile, "permissions_details": details}
            conn.execute(update(profiles).where(profiles.c.id == profile["id"]).values(data=data))


ENDPOINTS = [
    ("POST", WEBHOOKS),
    ("GET", WEBHOOKS),
    ("PUT", WEBHOOKS),
    ("DELETE", f"{WEBHOOKS}?ids=1"),
    ("GET", f"{WEBHOOKS}/1"),
    ("PUT", f"{WEBHOOKS}/1"),
    ("DELETE", f"{WEBHOOKS}/1"),
    ("GET", f"{WEBHOOKS}/actions/associated_modules"),
    ("GET", f"{WEBHOOKS}/actions/usage_reports?group_by=date"),
    ("GET", "/crm/v8/settings/automation/webhook_failures"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_user_without_manage_workflow_is_refused(
    client: TestClient, emulator: Emulator, make_token: TokenFactory, method: str, path: str
) -> None:
    rep = add_standard_user(emulator)
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}
    response = client.request(method, path, headers=headers, json={"webhooks": [webhook_item()]})
    assert response.status_code == 403
    assert response.json() == {
        "code": "NO_PERMISSION",
        "details": {"permissions": ["Crm_Implied_Manage_Workflow"]},
        "message": "permission denied",
        "status": "error",
    }


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_free_org_has_no_webhooks(api: TestClient, emulator: Emulator, method: str, path: str) -> None:
    set_edition(api, emulator, "free")
    response = api.request(method, path, json={"webhooks": [webhook_item()]})
    assert response.status_code == 403
    assert response.json() == {
        "code": "FEATURE_NOT_SUPPORTED",
        "details": {},
        "message": "feature not available in this edition",
        "status": "error",
    }


@pytest.mark.parametrize(
    ("scope", "allowed"),
    [
        ("ZohoCRM.settings.automation_actions.ALL", {"POST", "GET", "PUT", "DELETE"}),
        ("ZohoCRM.settings.automation_actions.READ", {"GET"}),
        ("ZohoCRM.settings.automation_actions.CREATE", {"POST"}),
        ("ZohoCRM.settings.automation_actions.UPDATE", {"PUT"}),
        ("ZohoCRM.settings.automation_actions.DELETE", {"DELETE"}),
        ("ZohoCRM.settings.ALL", {"POST", "GET", "PUT", "DELETE"}),
        ("ZohoCRM.settings.workflow_rules.ALL", set()),
    ],
)
def test_the_automation_actions_scopes_cover_their_operations(
    client: TestClient, make_token: TokenFactory, scope: str, allowed: set[str]
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[scope])}"}
    for method in ("POST", "GET", "PUT", "DELETE"):
        response = client.request(method, WEBHOOKS, headers=headers, json={"webhooks": [webhook_item()]})
        refused = response.status_code == 401 and response.json()["code"] == "OAUTH_SCOPE_MISMATCH"
        assert refused == (method not in allowed), (method, response.text)


def test_webhooks_are_a_v8_api(api: TestClient) -> None:
    response = api.get("/crm/v7/settings/automation/webhooks")
    assert response.status_code == 400
    assert response.json()["code"] == "API_NOT_SUPPORTED"
