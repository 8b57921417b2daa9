"""POST /settings/modules: every rule of the seed "Create Custom Module" at its edges, over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import MODULE_LIST_ALLOWANCES, ONE_MODULE
from tests.support.modules import (
    create_module,
    created_id,
    fill_custom_modules,
    module_item,
    only_result,
    profile_ids,
    set_edition,
)
from tests.support.oas import Allowance, load, schema_errors, validate_response
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

MODULES_PATH = "/crm/v8/settings/modules"
SUCCESS_BODY = "/components/responses/SuccessResponse/content/application~1json/schema"
SEED_MESSAGE = Allowance("$.modules.*.message", "enum", "the seed's message (docs/decisions.md, §9 #10)")


def item_error(response: Any, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    result = only_result(response, "modules")
    assert result["status"] == "error"
    return result


def test_a_created_module_answers_201_with_its_id_and_the_seed_message(api: TestClient, emulator: Emulator) -> None:
    response = create_module(api, module_item(emulator))
    result = only_result(response, "modules")
    assert response.status_code == 201
    assert result == {
        "code": "SUCCESS",
        "details": {"id": result["details"]["id"]},
        "message": "module created successfully",
        "status": "success",
    }
    assert result["details"]["id"].startswith(emulator.default_org_id[:7])
    # modules.json documents 200 "module created"; the seed and the newer examples say 201 and
    # "module created successfully" (docs/decisions.md, §9 #10): everything else matches the schema.
    assert schema_errors(response.json(), "modules.json", SUCCESS_BODY, allow=[SEED_MESSAGE]) == []


@pytest.mark.usefixtures("both_backends")
def test_a_created_module_is_listed_and_read_back_in_zoho_module_shape(api: TestClient, emulator: Emulator) -> None:
    module_id = created_id(create_module(api, module_item(emulator)))
    listed = api.get(MODULES_PATH).json()["modules"]
    mine = [m for m in listed if m["id"] == module_id]
    assert [(m["api_name"], m["generated_type"], m["module_name"]) for m in mine] == [
        ("Stocks", "custom", "CustomModule1")
    ]
    assert mine[0]["sequence_number"] == max(m["sequence_number"] for m in listed)

    by_name, by_id = api.get(f"{MODULES_PATH}/Stocks"), api.get(f"{MODULES_PATH}/{module_id}")
    assert by_name.json() == by_id.json()
    module = by_name.json()["modules"][0]
    assert module["profiles"] == [{"name": "Administrator", "id": profile_ids(emulator)["Administrator"]}]
    assert module["display_field"]["api_name"] == "Name"
    assert module["modified_by"]["name"] == "Zylker Admin"
    assert {"api_name": "Name", "id": module["display_field"]["id"]} in module["fields"]
    # The module carries every key a standard module carries.
    leads = api.get(f"{MODULES_PATH}/Leads").json()["modules"][0]
    assert set(leads) <= set(module)


def test_a_created_module_matches_modules_json_as_standard_modules_do(api: TestClient, emulator: Emulator) -> None:
    """The same tolerated OAS errata as the standard modules (tests/conformance/test_metadata_oas.py)."""
    module_id = created_id(create_module(api, module_item(emulator)))
    one = "/crm/v8/settings/modules/{api_name}"
    validate_response(api.get(f"{MODULES_PATH}/Stocks"), "modules.json", one, allow=ONE_MODULE)
    validate_response(
        api.get(f"{MODULES_PATH}/{module_id}"), "modules.json", "/crm/v8/settings/modules/{id}", allow=ONE_MODULE
    )
    validate_response(api.get(MODULES_PATH), "modules.json", MODULES_PATH, allow=MODULE_LIST_ALLOWANCES)


def test_a_created_module_gets_its_display_field_and_zoho_system_fields(api: TestClient, emulator: Emulator) -> None:
    created_id(create_module(api, module_item(emulator)))
    response = api.get("/crm/v8/settings/fields", params={"module": "Stocks"})
    assert response.status_code == 200, response.text
    fields = {f["api_name"]: f for f in response.json()["fields"]}
    assert list(fields) == [
        "Owner", "Name", "Email", "Secondary_Email", "Email_Opt_Out", "Created_By", "Modified_By",
        "Created_Time", "Modified_Time", "Last_Activity_Time", "Layout", "Tag", "Change_Log_Time__s",
        "Locked__s", "id", "Unsubscribed_Mode", "Unsubscribed_Time",
    ]  # fmt: skip
    assert (fields["Owner"]["field_label"], fields["Name"]["field_label"]) == ("Stock Owner", "Stock Name")
    name = fields["Name"]
    assert (name["data_type"], name["system_mandatory"], name["display_field"], name["length"]) == (
        "text",
        True,
        True,
        120,
    )
    assert len({f["id"] for f in fields.values()}) == len(fields)
    layouts = {a["id"] for f in fields.values() for a in f["layout_associations"]}
    assert len(layouts) == 1
    # Same shape as the standard fields they are copied from.
    leads = {f["api_name"]: f for f in api.get("/crm/v8/settings/fields", params={"module": "Leads"}).json()["fields"]}
    for api_name in ("Owner", "Email", "Created_Time", "Tag", "Unsubscribed_Mode"):
        assert set(fields[api_name]) == set(leads[api_name]) - {"convert_mapping", "quick_sequence_number"}
        assert fields[api_name]["data_type"] == leads[api_name]["data_type"]
    assert {v["id"] for v in fields["Unsubscribed_Mode"]["pick_list_values"]}.isdisjoint(
        {v["id"] for v in leads["Unsubscribed_Mode"]["pick_list_values"]}
    )


@pytest.mark.usefixtures("both_backends")
def test_records_work_on_a_created_module(api: TestClient, emulator: Emulator) -> None:
    created_id(create_module(api, module_item(emulator)))
    inserted = api.post("/crm/v8/Stocks", json={"data": [{"Name": "Widget", "Email": "w@zylker.example"}]})
    assert inserted.status_code == 201, inserted.text
    record_id = inserted.json()["data"][0]["details"]["id"]
    read = api.get(f"/crm/v8/Stocks/{record_id}")
    assert read.status_code == 200, read.text
    assert read.json()["data"][0]["Name"] == "Widget"
    missing_name = api.post("/crm/v8/Stocks", json={"data": [{"Email": "w@zylker.example"}]})
    assert missing_name.json()["data"][0]["code"] == "MANDATORY_NOT_FOUND"


@pytest.mark.parametrize("key", ["plural_label", "singular_label"])
@pytest.mark.parametrize(
    ("value", "code", "details"),
    [
        ("A" * 25, None, None),
        ("A" * 26, "INVALID_DATA", {"maximum_length": 25}),
        ("Stöcke 2", None, None),
        ("Stock$", "INVALID_DATA", {}),
        ("Stock_Item", "INVALID_DATA", {}),
        ("   ", "INVALID_DATA", {"minimum_length": 1}),
        ("", "MANDATORY_NOT_FOUND", {}),
        (25, "INVALID_DATA", {"expected_data_type": "text"}),
        ("Report Folders", "INVALID_DATA", {}),
        ("profiles", "INVALID_DATA", {}),
        ("LockingInformation", "INVALID_DATA", {}),
        ("Leads", "DUPLICATE_DATA", {}),
        ("meeting", "DUPLICATE_DATA", {}),
    ],
)
def test_label_rules(
    api: TestClient, emulator: Emulator, key: str, value: Any, code: str | None, details: dict[str, Any] | None
) -> None:
    response = create_module(api, module_item(emulator, **{key: value}))
    if code is None:
        created_id(response)
        return
    result = item_error(response)
    assert result["code"] == code
    assert result["details"] == {"api_name": key, "json_path": f"$.modules[0].{key}", **(details or {})}


@pytest.mark.parametrize("key", ["plural_label", "singular_label", "profiles"])
def test_a_missing_mandatory_key_is_mandatory_not_found(api: TestClient, emulator: Emulator, key: str) -> None:
    item = module_item(emulator)
    del item[key]
    result = item_error(create_module(api, item))
    assert (result["code"], result["details"]) == (
        "MANDATORY_NOT_FOUND",
        {"api_name": key, "json_path": f"$.modules[0].{key}"},
    )


@pytest.mark.parametrize(
    ("api_name", "status", "code", "details"),
    [
        ("S" * 50, 201, None, None),
        ("S" * 51, 400, "INVALID_DATA", {"maximum_length": 50}),
        ("Stock_Items2", 201, None, None),
        ("2Stocks", 400, "INVALID_DATA", {}),
        ("_Stocks", 400, "INVALID_DATA", {}),
        ("Stocks_", 400, "INVALID_DATA", {}),
        ("Stock__Items", 400, "INVALID_DATA", {}),
        ("Stock Items", 400, "INVALID_DATA", {}),
        ("Stöcke", 400, "INVALID_DATA", {}),
        ("", 400, "INVALID_DATA", {"minimum_length": 1}),
        ("Leads", 400, "DUPLICATE_DATA", {}),
        ("price_books", 400, "DUPLICATE_DATA", {}),
        ("Status", 403, "RESERVED_KEYWORD_NOT_ALLOWED", {}),
        ("signals", 403, "RESERVED_KEYWORD_NOT_ALLOWED", {}),
        ("Converted_Deal", 403, "RESERVED_KEYWORD_NOT_ALLOWED", {}),
        ("nearby_distance__s", 403, "RESERVED_KEYWORD_NOT_ALLOWED", {}),
        ("settings", 403, "RESERVED_KEYWORD_NOT_ALLOWED", {}),
        ("users", 403, "RESERVED_KEYWORD_NOT_ALLOWED", {}),
    ],
)
def test_api_name_rules(
    api: TestClient,
    emulator: Emulator,
    api_name: str,
    status: int,
    code: str | None,
    details: dict[str, Any] | None,
) -> None:
    response = create_module(api, module_item(emulator, api_name=api_name))
    if code is None:
        created_id(response)
        assert api.get(f"{MODULES_PATH}/{api_name}").json()["modules"][0]["api_name"] == api_name
        return
    result = item_error(response, status)
    assert result["code"] == code
    assert result["details"] == {"api_name": "api_name", "json_path": "$.modules[0].api_name", **(details or {})}


def test_a_null_api_name_is_invalid_data(api: TestClient, emulator: Emulator) -> None:
    item = {**module_item(emulator), "api_name": None}
    result = item_error(create_module(api, item))
    assert (result["code"], result["details"]["api_name"]) == ("INVALID_DATA", "api_name")


@pytest.mark.parametrize(
    ("plural_label", "expected"),
    [
        ("Digital Marketings", "Digital_Marketings"),
        ("Stock  Items 2", "Stock_Items_2"),
        ("2024 Plans", "CustomModule1"),
    ],
)
def test_the_api_name_is_generated_from_the_plural_label(
    api: TestClient, emulator: Emulator, plural_label: str, expected: str
) -> None:
    module_id = created_id(create_module(api, module_item(emulator, plural_label=plural_label)))
    assert api.get(f"{MODULES_PATH}/{module_id}").json()["modules"][0]["api_name"] == expected


def test_a_generated_api_name_that_is_taken_gets_a_number(api: TestClient, emulator: Emulator) -> None:
    created_id(create_module(api, module_item(emulator, plural_label="Assets", singular_label="Asset")))
    api.put(f"{MODULES_PATH}/Assets", json={"modules": [{"plural_label": "Old Assets"}]})
    second = created_id(create_module(api, module_item(emulator, plural_label="Assets", singular_label="Asset2")))
    assert api.get(f"{MODULES_PATH}/{second}").json()["modules"][0]["api_name"] == "Assets1"


@pytest.mark.parametrize(
    ("profiles", "code", "details"),
    [
        ([], "MINIMUM_DATA_NOT_FOUND", {"api_name": "profiles", "json_path": "$.modules[0].profiles"}),
        (None, "MINIMUM_DATA_NOT_FOUND", {"api_name": "profiles", "json_path": "$.modules[0].profiles"}),
        (
            [{"id": "111111000000000497"}],
            "INVALID_DATA",
            {"api_name": "id", "json_path": "$.modules[0].profiles[0].id"},
        ),
        (
            [{"id": "abc"}],
            "INVALID_DATA",
            {"api_name": "id", "json_path": "$.modules[0].profiles[0].id", "expected_data_type": "bigint"},
        ),
        ([{}], "MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": "$.modules[0].profiles[0].id"}),
    ],
)
def test_profile_rules(api: TestClient, emulator: Emulator, profiles: Any, code: str, details: dict[str, Any]) -> None:
    item = {**module_item(emulator), "profiles": profiles}
    result = item_error(create_module(api, item))
    assert (result["code"], result["details"]) == (code, details)
    if code == "MINIMUM_DATA_NOT_FOUND":
        assert result["message"] == "Minimum one profile is needed"


def test_profile_ids_may_be_json_numbers_as_the_sdk_sends_them(api: TestClient, emulator: Emulator) -> None:
    ids = profile_ids(emulator)
    item = module_item(emulator, profiles=[{"id": int(ids["Standard"])}, {"id": int(ids["Administrator"])}])
    module_id = created_id(create_module(api, item))
    module = api.get(f"{MODULES_PATH}/{module_id}").json()["modules"][0]
    assert [p["name"] for p in module["profiles"]] == ["Standard", "Administrator"]
    assert module["profile_count"] == 2


AUTO = "$.modules[0].display_field"


@pytest.mark.parametrize(
    ("display_field", "code", "details"),
    [
        ({}, "EXPECTED_FIELD_MISSING", {"expected_fields": ["field_label", "data_type"], "json_path": AUTO}),
        (
            {"data_type": "number"},
            "INVALID_DATA",
            {"api_name": "data_type", "json_path": f"{AUTO}.data_type", "supported_values": ["text", "autonumber"]},
        ),
        (
            {"data_type": "autonumber"},
            "DEPENDENT_FIELD_MISSING",
            {
                "api_name": "auto_number",
                "json_path": f"{AUTO}.auto_number",
                "dependee": {"api_name": "data_type", "json_path": f"{AUTO}.data_type"},
            },
        ),
        (
            {"data_type": "autonumber", "auto_number": {"prefix": "INV"}},
            "MANDATORY_NOT_FOUND",
            {"api_name": "start_number", "json_path": f"{AUTO}.auto_number.start_number"},
        ),
        (
            {"data_type": "autonumber", "auto_number": {"start_number": "1" * 17}},
            "INVALID_DATA",
            {"api_name": "start_number", "json_path": f"{AUTO}.auto_number.start_number", "maximum_length": 16},
        ),
        (
            {"data_type": "autonumber", "auto_number": {"start_number": "10 03"}},
            "INVALID_DATA",
            {
                "api_name": "start_number",
                "json_path": f"{AUTO}.auto_number.start_number",
                "expected_data_type": "integer",
            },
        ),
        (
            {"data_type": "autonumber", "auto_number": {"start_number": 1, "prefix": "P" * 51}},
            "INVALID_DATA",
            {"api_name": "prefix", "json_path": f"{AUTO}.auto_number.prefix", "maximum_length": 50},
        ),
        (
            {"data_type": "autonumber", "auto_number": {"start_number": 1, "suffix": "BR-1"}},
            "INVALID_DATA",
            {"api_name": "suffix", "json_path": f"{AUTO}.auto_number.suffix"},
        ),
        (
            {"field_label": "L" * 51},
            "INVALID_DATA",
            {"api_name": "field_label", "json_path": f"{AUTO}.field_label", "maximum_length": 50},
        ),
        ({"field_label": "email"}, "DUPLICATE_DATA", {"api_name": "field_label", "json_path": f"{AUTO}.field_label"}),
    ],
)
def test_display_field_rules(
    api: TestClient, emulator: Emulator, display_field: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    result = item_error(create_module(api, module_item(emulator, display_field=display_field)))
    assert (result["code"], result["details"]) == (code, details)
    if code == "DEPENDENT_FIELD_MISSING":
        assert result["message"] == "autonumber data is not found"


@pytest.mark.parametrize(
    ("display_field", "expected"),
    [
        ({"field_label": "Ticker"}, {"field_label": "Ticker", "data_type": "text"}),
        ({"data_type": "text"}, {"field_label": "Stock Name", "data_type": "text"}),
        (
            {
                "field_label": "My name field label",
                "data_type": "autonumber",
                "auto_number": {"prefix": "ZOHOCRM", "start_number": "1003", "suffix": "BRANCH"},
            },
            {
                "field_label": "My name field label",
                "data_type": "autonumber",
                "auto_number": {
                    "prefix": "ZOHOCRM",
                    "suffix": "BRANCH",
                    "start_number": 1003,
                    "starting_number_length": 0,
                },
            },
        ),
        (
            {"data_type": "autonumber", "auto_number": {"start_number": "9" * 16, "prefix": "P" * 50}},
            {
                "field_label": "Stock Name",
                "data_type": "autonumber",
                "auto_number": {
                    "prefix": "P" * 50,
                    "suffix": None,
                    "start_number": int("9" * 16),
                    "starting_number_length": 0,
                },
            },
        ),
        (
            {"data_type": "autonumber", "auto_number": {"start_number": "0001"}},
            {
                "field_label": "Stock Name",
                "data_type": "autonumber",
                "auto_number": {"prefix": None, "suffix": None, "start_number": 1, "starting_number_length": 4},
            },
        ),
    ],
)
def test_the_display_field_is_text_or_autonumber(
    api: TestClient, emulator: Emulator, display_field: dict[str, Any], expected: dict[str, Any]
) -> None:
    created_id(create_module(api, module_item(emulator, display_field=display_field)))
    fields = api.get("/crm/v8/settings/fields", params={"module": "Stocks"}).json()["fields"]
    name = next(f for f in fields if f["api_name"] == "Name")
    assert {k: name[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("body", "code", "details"),
    [
        ({}, "MANDATORY_NOT_FOUND", {"api_name": "modules", "json_path": "$.modules"}),
        (
            {"modules": {}},
            "INVALID_DATA",
            {"api_name": "modules", "json_path": "$.modules", "expected_data_type": "jsonarray"},
        ),
        ({"modules": [{}, {}]}, "INVALID_DATA", {"api_name": "modules", "json_path": "$.modules", "maximum_length": 1}),
    ],
)
def test_one_module_per_call_and_request_level_errors_are_bare(
    api: TestClient, body: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = api.post(MODULES_PATH, json=body)
    assert response.status_code == 400
    assert response.json() == {**response.json(), "code": code, "details": details, "status": "error"}


def test_a_body_that_is_not_a_json_object_is_invalid_data(api: TestClient) -> None:
    response = api.post(MODULES_PATH, content=b"[1,2]")
    assert (response.status_code, response.json()["code"], response.json()["message"]) == (400, "INVALID_DATA", "body")


@pytest.mark.parametrize(("version", "status"), [("v2", 400), ("v2.1", 400), ("v5", 400), ("v6", 201), ("v7", 201)])
def test_custom_modules_exist_from_v6(api: TestClient, emulator: Emulator, version: str, status: int) -> None:
    response = create_module(api, module_item(emulator), version=version)
    assert response.status_code == status, response.text
    if status == 400:
        assert response.json() == {
            "code": "API_NOT_SUPPORTED",
            "details": {"supported_version": 6},
            "message": "api version is not supported",
            "status": "error",
        }


@pytest.mark.parametrize(
    ("edition", "status"),
    [("free", 400), ("standard", 400), ("professional", 400), ("enterprise", 201), ("ultimate", 201)],
)
def test_custom_modules_need_the_enterprise_edition(
    api: TestClient, emulator: Emulator, edition: str, status: int
) -> None:
    set_edition(api, emulator, edition)
    response = create_module(api, module_item(emulator))
    assert response.status_code == status, response.text
    if status == 400:
        assert response.json() == {
            "code": "NOT_SUPPORTED",
            "details": {"resource_path_index": 0},
            "message": "Module creation is not supported for the current edition",
            "status": "error",
        }
        validate_response(response, "modules.json", MODULES_PATH, "POST")


@pytest.mark.parametrize(("edition", "limit"), [("enterprise", 200), ("ultimate", 500)])
def test_the_editions_custom_module_limit(api: TestClient, emulator: Emulator, edition: str, limit: int) -> None:
    set_edition(api, emulator, edition)
    fill_custom_modules(emulator, limit - 1)
    created_id(create_module(api, module_item(emulator)))  # the limit-th
    response = create_module(api, module_item(emulator, plural_label="Bonds", singular_label="Bond"))
    assert response.status_code == 400
    assert response.json() == {
        "code": "LIMIT_EXCEEDED",
        "details": {"limit": limit},
        "message": "limit exceeded",
        "status": "error",
    }


def test_only_the_customize_permission_creates_modules(
    client: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    rep = add_standard_user(emulator)
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}
    response = client.post(MODULES_PATH, json={"modules": [module_item(emulator)]}, headers=headers)
    assert response.status_code == 403
    assert response.json()["details"] == {"permissions": ["Crm_Implied_Customize_Zoho_CRM"]}


@pytest.mark.parametrize(
    ("scope", "status"),
    [
        ("ZohoCRM.settings.modules.READ", 401),
        ("ZohoCRM.settings.fields.ALL", 401),
        ("ZohoCRM.settings.modules.CREATE", 201),
        ("ZohoCRM.settings.modules.ALL", 201),
        ("ZohoCRM.settings.ALL", 201),
    ],
)
def test_create_scopes(
    client: TestClient, emulator: Emulator, make_token: TokenFactory, scope: str, status: int
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[scope])}"}
    response = client.post(MODULES_PATH, json={"modules": [module_item(emulator)]}, headers=headers)
    assert response.status_code == status, response.text
    if status == 401:
        assert response.json()["code"] == "OAUTH_SCOPE_MISMATCH"


def test_delete_is_not_a_method_of_the_modules_path(api: TestClient) -> None:
    response = api.delete(MODULES_PATH)
    assert (response.status_code, response.json()["code"]) == (400, "INVALID_REQUEST_METHOD")


def test_module_errors_match_zohos_error_schema(api: TestClient, emulator: Emulator) -> None:
    item = module_item(emulator)
    del item["singular_label"]
    response = create_module(api, item)
    validate_response(response, "modules.json", MODULES_PATH, "POST")
    assert load("modules.json")  # the files are there, so the check above ran
