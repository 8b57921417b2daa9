"""Org variables and variable groups over HTTP, against Zoho's variables.json and variable_groups.json:
the default group, creates into groups by id and by name, each type's values, names unique per org,
the org's limit, updates by body id and by path id or api_name, deletes by ``ids`` and by path."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import VARIABLE_ALLOWANCES
from tests.support.oas import validate_response
from zcrm_emulator.resources.variables import rules

pytestmark = pytest.mark.usefixtures("both_backends")

V = "/crm/v8/settings/variables"
G = "/crm/v8/settings/variable_groups"


def check(response: httpx.Response, path: str, method: str) -> None:
    file = "variable_groups.json" if path.startswith(G) else "variables.json"
    validate_response(response, file, path, method, allow=VARIABLE_ALLOWANCES)


def variable(name: str, kind: str | None = "text", value: Any = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"name": name, "api_name": name, "variable_group": {"api_name": "General"}, **extra}
    if kind is not None:
        item["type"] = kind
    if value is not None:
        item["value"] = value
    return item


def create(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    response: httpx.Response = api.post(V, json={"variables": list(items)})
    check(response, V, "POST")
    return response


def new(api: TestClient, name: str, kind: str | None = "text", value: Any = None, **extra: Any) -> str:
    response = create(api, variable(name, kind, value, **extra))
    assert response.status_code == 201, response.text
    return str(response.json()["variables"][0]["details"]["id"])


def one(api: TestClient, id_or_api_name: str, **params: str) -> dict[str, Any]:
    response = api.get(f"{V}/{id_or_api_name}", params=params)
    assert response.status_code == 200, response.text
    check(response, f"{V}/{{id}}", "GET")
    found: dict[str, Any] = response.json()["variables"][0]
    return found


def item_of(response: httpx.Response, index: int = 0) -> dict[str, Any]:
    item: dict[str, Any] = response.json()["variables"][index]
    return item


# --- groups -----------------------------------------------------------------------------------------
def test_a_fresh_org_has_the_general_group_by_id_and_by_api_name(api: TestClient) -> None:
    listed = api.get(G)
    assert listed.status_code == 200
    check(listed, G, "GET")
    [general] = listed.json()["variable_groups"]
    assert (general["api_name"], general["name"], general["display_label"]) == ("General", "General", "General")
    for key in (general["id"], "General"):
        found = api.get(f"{G}/{key}")
        check(found, f"{G}/{{id}}", "GET")
        assert found.json()["variable_groups"] == [general]
    assert api.get(G).json() == listed.json()  # made once


def test_an_unknown_group_is_no_content(api: TestClient) -> None:
    assert api.get(f"{G}/123456789").status_code == 204
    assert api.get(f"{G}/Nowhere").status_code == 204


def test_a_group_named_by_name_is_made_with_the_variable(api: TestClient) -> None:
    new(api, "Rate", "integer", 3, variable_group={"name": "Pricing Rules"})
    groups = {g["api_name"]: g for g in api.get(G).json()["variable_groups"]}
    assert set(groups) == {"General", "Pricing_Rules"}
    assert groups["Pricing_Rules"]["name"] == "Pricing Rules"
    assert one(api, "Rate")["variable_group"] == {
        "id": groups["Pricing_Rules"]["id"],
        "api_name": "Pricing_Rules",
        "name": "Pricing Rules",
    }
    new(api, "Other", variable_group={"name": "pricing rules"})  # the same group, by name regardless of case
    assert len(api.get(G).json()["variable_groups"]) == 2


def test_an_unknown_group_id_refuses_the_item(api: TestClient) -> None:
    response = create(api, variable("Lost", variable_group={"id": "123456789"}))
    assert response.status_code == 400
    assert item_of(response)["code"] == "INVALID_DATA"
    assert item_of(response)["details"]["id"] == "123456789"


# --- create and read --------------------------------------------------------------------------------
def test_no_variables_is_no_content(api: TestClient) -> None:
    assert api.get(V).status_code == 204


def test_created_variables_are_listed_read_by_id_and_api_name_and_filtered_by_group(api: TestClient) -> None:
    general = api.get(f"{G}/General").json()["variable_groups"][0]
    response = create(
        api,
        variable("Tax_Rate", "decimal", 7.5, description="VAT", variable_group={"id": general["id"]}),
        variable("Api_Key", "text", "s3cret", variable_group={"name": "Secrets"}),
    )
    assert response.status_code == 201
    assert [r["message"] for r in response.json()["variables"]] == ["variable created"] * 2
    listed = api.get(V)
    check(listed, V, "GET")
    by_name = {v["api_name"]: v for v in listed.json()["variables"]}
    tax = by_name["Tax_Rate"]
    assert (tax["type"], tax["value"], tax["description"], tax["source"], tax["read_only"]) == (
        "double",
        "7.5",
        "VAT",
        "crm",
        False,
    )
    assert one(api, tax["id"]) == tax == one(api, "Tax_Rate")
    assert [v["api_name"] for v in api.get(V, params={"group": "Secrets"}).json()["variables"]] == ["Api_Key"]
    assert [v["api_name"] for v in api.get(V, params={"group": general["id"]}).json()["variables"]] == ["Tax_Rate"]
    assert api.get(V, params={"group": "Nowhere"}).status_code == 204
    assert one(api, "Tax_Rate", group="General")["id"] == tax["id"]
    assert api.get(f"{V}/Tax_Rate", params={"group": "Secrets"}).status_code == 204
    assert api.get(f"{V}/Missing").status_code == 204


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("integer", 42, ("integer", "42")),
        ("integer", "-7", ("integer", "-7")),
        ("long", "123456789012", ("long", "123456789012")),
        ("percent", "12.5", ("percent", "12.5")),
        ("currency", 10, ("currency", "10")),
        ("date", "2024-02-29", ("date", "2024-02-29")),
        ("datetime", "2024-02-29T10:00:00+05:30", ("datetime", "2024-02-29T10:00:00+05:30")),
        ("email", "ops@zylker.example", ("email", "ops@zylker.example")),
        ("phone", "+1 (555) 010-2030", ("phone", "+1 (555) 010-2030")),
        ("url", "https://zylker.example/hook", ("website", "https://zylker.example/hook")),
        ("checkbox", True, ("checkbox", "true")),
        ("textarea", "line one\nline two", ("textarea", "line one\nline two")),
        (None, "plain", ("text", "plain")),
        ("text", None, ("text", None)),
    ],
)
def test_each_type_keeps_its_value_as_text(
    api: TestClient, kind: str | None, value: Any, stored: tuple[str, Any]
) -> None:
    new(api, "Var", kind, value)
    found = one(api, "Var")
    assert (found["type"], found["value"]) == stored


@pytest.mark.parametrize(
    ("kind", "value", "detail"),
    [
        ("integer", "12a", {"regex": rules.VALUE_PATTERNS["integer"], "expected_data_type": "integer"}),
        ("integer", "1234567890", {"regex": rules.VALUE_PATTERNS["integer"], "expected_data_type": "integer"}),
        ("integer", [1], {"regex": rules.VALUE_PATTERNS["integer"], "expected_data_type": "integer"}),
        ("date", "2023-02-29", {"regex": rules.VALUE_PATTERNS["date"], "expected_data_type": "date"}),
        ("datetime", "2024-01-01 10:00", {"regex": rules.VALUE_PATTERNS["datetime"], "expected_data_type": "datetime"}),
        ("email", "not-an-email", {"regex": rules.VALUE_PATTERNS["email"], "expected_data_type": "email"}),
        ("checkbox", "yes", {"regex": rules.VALUE_PATTERNS["checkbox"], "expected_data_type": "boolean"}),
        ("url", "not a url", {"regex": rules.VALUE_PATTERNS["website"], "expected_data_type": "website"}),
        ("text", "x" * 256, {"maximum_length": 255}),
        ("text", "nul\u0000byte", {"regex": rules.TEXT_PATTERN, "expected_data_type": "text"}),
    ],
)
def test_a_value_not_of_its_type_is_invalid_data_with_the_pattern(
    api: TestClient, kind: str, value: Any, detail: dict[str, Any]
) -> None:
    response = create(api, variable("Var", kind, value))
    assert response.status_code == 400
    error = item_of(response)
    assert error["code"] == "INVALID_DATA"
    assert error["details"] == {"api_name": "value", "json_path": "$.variables[0].value", **detail}
    assert api.get(V).status_code == 204


def test_a_text_value_of_the_longest_length_is_kept(api: TestClient) -> None:
    new(api, "Var", "text", "x" * 255)
    assert len(one(api, "Var")["value"]) == 255


def test_an_unknown_type_refuses_the_whole_request(api: TestClient) -> None:
    response = create(api, variable("Good"), variable("Bad", "picklist"))
    assert response.status_code == 400
    assert response.json() == {
        "code": "PATTERN_NOT_MATCHED",
        "details": {"api_name": "type", "json_path": "$.variables[1].type"},
        "message": "Please check whether the input values are correct",
        "status": "error",
    }
    assert api.get(V).status_code == 204


@pytest.mark.parametrize("missing", ["name", "api_name", "variable_group"])
def test_a_missing_mandatory_key_is_mandatory_not_found(api: TestClient, missing: str) -> None:
    item = variable("Var")
    del item[missing]
    response = create(api, item)
    assert response.status_code == 400
    assert item_of(response)["code"] == "MANDATORY_NOT_FOUND"
    assert item_of(response)["details"] == {"api_name": missing, "json_path": f"$.variables[0].{missing}"}


def test_a_missing_envelope_is_mandatory_not_found(api: TestClient) -> None:
    response = api.post(V, json={"data": []})
    assert response.status_code == 400
    assert response.json()["code"] == "MANDATORY_NOT_FOUND"


@pytest.mark.parametrize(
    ("key", "value", "detail"),
    [
        ("name", "n" * (rules.NAME_MAX + 1), {"maximum_length": rules.NAME_MAX}),
        ("api_name", "a" * (rules.API_NAME_MAX + 1), {"maximum_length": rules.API_NAME_MAX}),
        ("api_name", "1st_rate", {"regex": rules.API_NAME_PATTERN}),
        ("api_name", "has space", {"regex": rules.API_NAME_PATTERN}),
        ("description", "d" * (rules.DESCRIPTION_MAX + 1), {"maximum_length": rules.DESCRIPTION_MAX}),
    ],
)
def test_names_and_descriptions_have_their_bounds(
    api: TestClient, key: str, value: str, detail: dict[str, Any]
) -> None:
    response = create(api, {**variable("Var"), key: value})
    assert response.status_code == 400
    assert item_of(response)["details"] == {"api_name": key, "json_path": f"$.variables[0].{key}", **detail}


def test_names_of_the_longest_length_are_kept(api: TestClient) -> None:
    name = "a" * rules.API_NAME_MAX
    new(api, name, description="d" * rules.DESCRIPTION_MAX)
    assert one(api, name)["name"] == name


@pytest.mark.parametrize("key", ["name", "api_name"])
def test_names_and_api_names_are_unique_per_org_regardless_of_case(api: TestClient, key: str) -> None:
    new(api, "Rate")
    clash = {**variable("Other", variable_group={"name": "Elsewhere"}), key: "RATE"}
    response = create(api, clash)
    assert response.status_code == 400
    assert item_of(response)["code"] == "DUPLICATE_DATA"
    assert item_of(response)["details"] == {"api_name": key, "json_path": f"$.variables[0].{key}"}


def test_a_batch_with_some_refused_items_is_207(api: TestClient) -> None:
    response = api.post(V, json={"variables": [variable("One"), variable("One"), variable("Two", "integer", "x")]})
    assert response.status_code == 207
    assert [r["code"] for r in response.json()["variables"]] == ["SUCCESS", "DUPLICATE_DATA", "INVALID_DATA"]
    assert [v["api_name"] for v in api.get(V).json()["variables"]] == ["One"]


def test_the_org_keeps_at_most_its_limit_of_variables(api: TestClient) -> None:
    filled = api.post(V, json={"variables": [variable(f"V{i}") for i in range(rules.VARIABLES_MAX)]})
    assert filled.status_code == 201
    response = api.post(V, json={"variables": [variable("Over")]})
    assert response.status_code == 400
    assert item_of(response)["code"] == "LIMIT_EXCEEDED"
    assert item_of(response)["details"]["limit"] == rules.VARIABLES_MAX
    assert api.delete(V, params={"ids": filled.json()["variables"][0]["details"]["id"]}).status_code == 201
    assert api.post(V, json={"variables": [variable("Over")]}).status_code == 201


# --- updates ----------------------------------------------------------------------------------------
def test_updates_by_body_id_change_value_name_and_description(api: TestClient) -> None:
    rate = new(api, "Rate", "integer", 1)
    response = api.put(V, json={"variables": [{"id": rate, "value": 9, "name": "Rate 2", "description": None}]})
    check(response, V, "PUT")
    assert response.status_code == 201
    assert item_of(response) == {
        "code": "SUCCESS",
        "details": {"id": rate},
        "message": "variable updated",
        "status": "success",
    }
    found = one(api, rate)
    assert (found["name"], found["value"], found["description"], found["api_name"]) == ("Rate 2", "9", None, "Rate")


def test_an_update_keeps_the_type_and_group_and_checks_the_value_against_the_type(api: TestClient) -> None:
    rate = new(api, "Rate", "integer", 1)
    kept = api.put(V, json={"variables": [{"id": rate, "type": "text", "variable_group": {"name": "X"}}]})
    assert kept.status_code == 201
    assert (one(api, rate)["type"], one(api, rate)["variable_group"]["api_name"]) == ("integer", "General")
    response = api.put(V, json={"variables": [{"id": rate, "value": "nine"}]})
    check(response, V, "PUT")
    assert response.status_code == 400
    assert item_of(response)["details"]["regex"] == rules.VALUE_PATTERNS["integer"]


def test_update_items_need_a_known_id(api: TestClient) -> None:
    rate = new(api, "Rate")
    response = api.put(V, json={"variables": [{"value": "x"}, {"id": "123456789", "value": "x"}, {"id": rate}]})
    assert response.status_code == 207
    missing, unknown, ok = response.json()["variables"]
    assert (missing["code"], missing["details"]) == (
        "MANDATORY_NOT_FOUND",
        {"api_name": "id", "json_path": "$.variables[0].id"},
    )
    assert (unknown["code"], unknown["details"]) == ("INVALID_DATA", {"id": "123456789"})
    assert ok["code"] == "SUCCESS"


def test_an_update_may_not_take_another_variables_name(api: TestClient) -> None:
    new(api, "Rate")
    other = new(api, "Other")
    response = api.put(V, json={"variables": [{"id": other, "api_name": "rate"}]})
    check(response, V, "PUT")
    assert item_of(response)["code"] == "DUPLICATE_DATA"
    assert api.put(V, json={"variables": [{"id": other, "api_name": "Other"}]}).status_code == 201  # its own


@pytest.mark.parametrize("by", ["id", "api_name"])
def test_one_variable_is_updated_by_its_id_or_api_name_in_the_path(api: TestClient, by: str) -> None:
    rate = new(api, "Rate", "integer", 1)
    response = api.put(f"{V}/{rate if by == 'id' else 'Rate'}", json={"variables": [{"api_name": "New_Rate"}]})
    check(response, f"{V}/{{{by}}}", "PUT")
    assert response.status_code == 201
    assert one(api, "New_Rate")["id"] == rate
    assert api.get(f"{V}/Rate").status_code == 204


def test_updating_an_unknown_path_variable_is_invalid_data_for_the_path(api: TestClient) -> None:
    for segment in ("123456789", "Nowhere"):
        response = api.put(f"{V}/{segment}", json={"variables": [{"value": "x"}]})
        check(response, f"{V}/{{id}}", "PUT")
        assert response.status_code == 400
        assert (response.json()["code"], response.json()["details"]) == ("INVALID_DATA", {"resource_path_index": 0})


def test_one_path_update_takes_one_item_and_the_group_the_path_is_read_in(api: TestClient) -> None:
    rate = new(api, "Rate", "integer", 1)
    two = api.put(f"{V}/{rate}", json={"variables": [{"value": 2}, {"value": 3}]})
    check(two, f"{V}/{{id}}", "PUT")
    assert two.status_code == 400
    assert item_of(two)["details"] == {"maximum_length": 1, "api_name": "variables", "json_path": "$.variables"}
    elsewhere = api.put(f"{V}/{rate}", params={"group": "Nowhere"}, json={"variables": [{"value": 2}]})
    assert elsewhere.json()["details"] == {"resource_path_index": 0}
    assert api.put(f"{V}/{rate}", params={"group": "General"}, json={"variables": [{"value": 2}]}).status_code == 201
    assert one(api, rate)["value"] == "2"


def test_a_new_groups_name_has_the_bound_of_a_name(api: TestClient) -> None:
    response = create(api, variable("Var", variable_group={"name": "g" * (rules.NAME_MAX + 1)}))
    assert item_of(response)["details"] == {
        "api_name": "name",
        "json_path": "$.variables[0].variable_group.name",
        "maximum_length": rules.NAME_MAX,
    }
    unstorable = create(api, variable("Var", variable_group={"name": "bad\u0000name"}))
    assert item_of(unstorable)["details"]["regex"] == rules.NAME_PATTERN
    assert len(api.get(G).json()["variable_groups"]) == 1


# --- deletes ----------------------------------------------------------------------------------------
def test_variables_are_deleted_by_ids_and_unknown_ones_are_not_deleted(api: TestClient) -> None:
    one_id, two_id = new(api, "One"), new(api, "Two")
    response = api.delete(V, params={"ids": f"{one_id},123456789"})
    assert response.status_code == 207
    assert response.json()["variables"] == [
        {"code": "SUCCESS", "details": {"id": one_id}, "message": "variable deleted", "status": "success"},
        {"code": "INVALID_DATA", "details": {"id": "123456789"}, "message": "variable not deleted", "status": "error"},
    ]
    refused = api.delete(V, params={"ids": one_id})
    check(refused, V, "DELETE")
    assert refused.status_code == 400
    done = api.delete(f"{V}/{two_id}")
    check(done, f"{V}/{{id}}", "DELETE")
    assert done.status_code == 201
    assert api.get(V).status_code == 204


def test_deleting_needs_ids_and_takes_at_most_the_cap(api: TestClient) -> None:
    missing = api.delete(V)
    check(missing, V, "DELETE")
    assert (missing.status_code, missing.json()["code"], missing.json()["details"]) == (
        400,
        "REQUIRED_PARAM_MISSING",
        {"param_name": "ids"},
    )
    at_cap = ",".join(str(123456789 + i) for i in range(rules.IDS_MAX))
    assert api.delete(V, params={"ids": at_cap}).status_code == 400  # every one unknown, one item each
    over = api.delete(V, params={"ids": f"{at_cap},1"})
    assert (over.status_code, over.json()["code"]) == (400, "LIMIT_EXCEEDED")
    assert over.json()["details"] == {"param_name": "ids", "limit": rules.IDS_MAX}


def test_deleting_an_unknown_variable_by_path_is_not_deleted(api: TestClient) -> None:
    response = api.delete(f"{V}/Nowhere")
    check(response, f"{V}/{{id}}", "DELETE")
    assert response.status_code == 400
    assert item_of(response)["details"] == {"id": "Nowhere"}


# --- scopes -----------------------------------------------------------------------------------------
def test_each_operation_needs_its_settings_scope(client: TestClient, make_token: TokenFactory) -> None:
    def headers(*scopes: str) -> dict[str, str]:
        return {"Authorization": f"Zoho-oauthtoken {make_token(list(scopes))}"}

    reader = headers("ZohoCRM.settings.variables.READ")
    assert client.get(V, headers=reader).status_code == 204
    refused = client.post(V, json={"variables": [variable("Var")]}, headers=reader)
    assert (refused.status_code, refused.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")
    assert client.get(G, headers=reader).status_code == 401
    assert client.get(G, headers=headers("ZohoCRM.settings.variable_groups.READ")).status_code == 200
    writer = headers("ZohoCRM.settings.variables.CREATE")
    assert client.post(V, json={"variables": [variable("Var")]}, headers=writer).status_code == 201
    assert client.delete(V, params={"ids": "1"}, headers=writer).status_code == 401
    assert client.get(V, headers=headers("ZohoCRM.settings.ALL")).status_code == 200
