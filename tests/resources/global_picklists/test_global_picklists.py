"""Global picklists over HTTP: the sets and their options, the rules at their edges, the fields built
on a set (``global_picklist`` on a field create), replacing an option, and a field's options, against
Zoho's global_picklists.json and pick_list_values.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import GLOBAL_PICKLIST_ALLOWANCES, GLOBAL_PICKLIST_PATH_ERRORS
from tests.support.oas import validate_response

pytestmark = pytest.mark.usefixtures("both_backends")

G = "/crm/v8/settings/global_picklists"
OAS = "global_picklists.json"
STATUSES = [{"display_value": "Open"}, {"display_value": "Won"}, {"display_value": "Lost"}]


def check(response: httpx.Response, path: str, method: str) -> None:
    allow = [*GLOBAL_PICKLIST_ALLOWANCES, *(GLOBAL_PICKLIST_PATH_ERRORS if "/actions/" in path else [])]
    validate_response(response, OAS, f"/crm/v8{path}", method, allow=allow)


def create(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.post(G, json={"global_picklists": list(items)})


def new(api: TestClient, label: str = "Status", values: list[dict[str, Any]] | None = None, **extra: Any) -> str:
    response = create(api, {"display_label": label, "pick_list_values": values or STATUSES, **extra})
    assert response.status_code == 201, response.text
    check(response, "/settings/global_picklists", "POST")
    return str(response.json()["global_picklists"][0]["details"]["id"])


def one(api: TestClient, picklist_id: str) -> dict[str, Any]:
    response = api.get(f"{G}/{picklist_id}")
    assert response.status_code == 200, response.text
    check(response, "/settings/global_picklists/{id}", "GET")
    found: dict[str, Any] = response.json()["global_picklists"][0]
    return found


def item(response: httpx.Response) -> dict[str, Any]:
    first: dict[str, Any] = response.json()["global_picklists"][0]
    return first


def shown_values(picklist: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(v["display_value"], v["type"], v["sequence_number"]) for v in picklist["pick_list_values"]]


def picklist_field(api: TestClient, reference: dict[str, Any], label: str = "Stage Set") -> httpx.Response:
    body = {"fields": [{"field_label": label, "data_type": "picklist", "global_picklist": reference}]}
    return api.post("/crm/v8/settings/fields", params={"module": "Leads"}, json=body)


def field_of(api: TestClient, field_id: str) -> dict[str, Any]:
    response = api.get(f"/crm/v8/settings/fields/{field_id}", params={"module": "Leads"})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["fields"][0]
    return found


# --- create and read -------------------------------------------------------------------------------
def test_a_fresh_org_has_no_global_picklists(api: TestClient) -> None:
    assert api.get(G).status_code == 204


def test_a_created_set_reads_back_with_its_options_in_order(api: TestClient) -> None:
    made = new(api, "Deal Status", description="Shared stages")
    found = one(api, made)
    assert found["display_label"] == found["actual_label"] == "Deal Status"
    assert found["api_name"] == "Deal_Status"
    assert found["description"] == "Shared stages"
    assert found["pick_list_values_sorted_lexically"] is False
    assert shown_values(found) == [("Open", "used", 1), ("Won", "used", 2), ("Lost", "used", 3)]
    assert [v["actual_value"] for v in found["pick_list_values"]] == ["Open", "Won", "Lost"]
    assert found["created_by"]["name"] == "Zylker Admin"


def test_the_list_shows_options_only_when_include_asks(api: TestClient) -> None:
    new(api)
    plain = api.get(G)
    check(plain, "/settings/global_picklists", "GET")
    assert "pick_list_values" not in plain.json()["global_picklists"][0]
    full = api.get(G, params={"include": "pick_list_values"})
    check(full, "/settings/global_picklists", "GET")
    assert len(full.json()["global_picklists"][0]["pick_list_values"]) == 3
    bad = api.get(G, params={"include": "fields"})
    assert bad.status_code == 400
    assert bad.json()["details"] == {
        "param_name": "include",
        "supported_values": ["used_in_modules", "pick_list_values"],
    }


def test_an_unknown_id_reads_as_no_content(api: TestClient) -> None:
    assert api.get(f"{G}/111111000000099999").status_code == 204


def test_sequence_numbers_and_lexical_sorting_order_the_options(api: TestClient) -> None:
    given = [{"display_value": "B", "sequence_number": 2}, {"display_value": "A", "sequence_number": 1}]
    assert [v[0] for v in shown_values(one(api, new(api, "Given", given)))] == ["A", "B"]
    lexical = new(
        api, "Sorted", [{"display_value": "zeta"}, {"display_value": "Alpha"}], pick_list_values_sorted_lexically=True
    )
    assert shown_values(one(api, lexical)) == [("Alpha", "used", 1), ("zeta", "used", 2)]


def test_actual_values_default_to_display_values_and_can_be_given(api: TestClient) -> None:
    made = new(api, "Codes", [{"display_value": "Open", "actual_value": "OPN"}, {"display_value": "Shut"}])
    assert [v["actual_value"] for v in one(api, made)["pick_list_values"]] == ["OPN", "Shut"]


@pytest.mark.parametrize(
    ("payload", "code", "details"),
    [
        ({"pick_list_values": STATUSES}, "MANDATORY_NOT_FOUND", {"api_name": "display_label"}),
        ({"display_label": "X"}, "MANDATORY_NOT_FOUND", {"api_name": "pick_list_values"}),
        ({"display_label": "X", "pick_list_values": []}, "MANDATORY_NOT_FOUND", {"api_name": "pick_list_values"}),
        ({"display_label": "x" * 51, "pick_list_values": STATUSES}, "INVALID_DATA", {"maximum_length": 50}),
        ({"display_label": 7, "pick_list_values": STATUSES}, "INVALID_DATA", {"expected_data_type": "string"}),
        ({"display_label": "X", "pick_list_values": "Open"}, "INVALID_DATA", {"expected_data_type": "jsonarray"}),
        (
            {"display_label": "X", "pick_list_values": [{"display_value": "v" * 121}]},
            "INVALID_DATA",
            {"api_name": "display_value", "json_path": "$.global_picklists[0].pick_list_values[0].display_value"},
        ),
        (
            {"display_label": "X", "pick_list_values": [{"display_value": "A"}, {"display_value": " a "}]},
            "DUPLICATE_DATA",
            {"api_name": "display_value", "json_path": "$.global_picklists[0].pick_list_values[1].display_value"},
        ),
        (
            {"display_label": "X", "pick_list_values": [{"display_value": "A", "type": "hidden"}]},
            "INVALID_DATA",
            {"supported_values": ["used", "unused"]},
        ),
        (
            {"display_label": "X", "pick_list_values": [{"display_value": "A", "type": "unused"}]},
            "MANDATORY_NOT_FOUND",
            {"api_name": "pick_list_values"},
        ),
        ({"display_label": "X", "pick_list_values": [{}]}, "MANDATORY_NOT_FOUND", {"api_name": "display_value"}),
        (
            {"display_label": "X", "pick_list_values": STATUSES, "description": "d" * 1001},
            "INVALID_DATA",
            {"maximum_length": 1000},
        ),
        (
            {"display_label": "X", "pick_list_values": STATUSES, "pick_list_values_sorted_lexically": "yes"},
            "INVALID_DATA",
            {"expected_data_type": "boolean"},
        ),
    ],
)
def test_a_create_item_is_refused_at_the_key_at_fault(
    api: TestClient, payload: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = create(api, payload)
    assert response.status_code == 400, response.text
    check(response, "/settings/global_picklists", "POST")
    error = item(response)
    assert error["code"] == code
    assert details.items() <= error["details"].items()


def test_labels_are_unique_regardless_of_case_and_api_names_move_on(api: TestClient) -> None:
    new(api, "Priority")
    again = create(api, {"display_label": " PRIORITY ", "pick_list_values": STATUSES})
    assert again.status_code == 400
    assert item(again)["code"] == "DUPLICATE_DATA"
    assert item(again)["details"] == {"api_name": "display_label", "json_path": "$.global_picklists[0].display_label"}
    other = new(api, "Priority!")  # another label, the same words
    assert one(api, other)["api_name"] == "Priority1"


@pytest.mark.parametrize(("used", "unused", "limit"), [(1001, 0, 1000), (1, 501, 500)])
def test_used_and_unused_options_have_their_limits(api: TestClient, used: int, unused: int, limit: int) -> None:
    values = [{"display_value": f"u{i}"} for i in range(used)]
    values += [{"display_value": f"x{i}", "type": "unused"} for i in range(unused)]
    response = create(api, {"display_label": "Big", "pick_list_values": values})
    assert response.status_code == 400
    assert item(response)["code"] == "LIMIT_EXCEEDED"
    assert item(response)["details"]["limit"] == limit
    at_limit = values[:-1]
    assert create(api, {"display_label": "Big", "pick_list_values": at_limit}).status_code == 201


def test_a_batch_with_one_bad_item_answers_207(api: TestClient) -> None:
    response = create(api, {"display_label": "Fine", "pick_list_values": STATUSES}, {"display_label": "Bad"})
    assert response.status_code == 207
    assert [r["status"] for r in response.json()["global_picklists"]] == ["success", "error"]


# --- update ----------------------------------------------------------------------------------------
def test_an_update_changes_options_by_id_adds_new_ones_and_keeps_the_rest(api: TestClient) -> None:
    made = new(api)
    won = one(api, made)["pick_list_values"][1]
    body = {
        "global_picklists": [
            {
                "display_label": "Stage",
                "pick_list_values": [
                    {"id": won["id"], "display_value": "Closed Won", "type": "unused"},
                    {"display_value": "Pending", "sequence_number": 1},
                ],
            }
        ]
    }
    response = api.patch(f"{G}/{made}", json=body)
    assert response.status_code == 200, response.text
    check(response, "/settings/global_picklists/{id}", "PATCH")
    assert item(response)["details"]["id"] == made
    found = one(api, made)
    assert found["display_label"] == "Stage"
    assert shown_values(found) == [
        ("Pending", "used", 1),
        ("Open", "used", 2),
        ("Closed Won", "unused", 3),
        ("Lost", "used", 4),
    ]
    assert next(v for v in found["pick_list_values"] if v["display_value"] == "Closed Won")["id"] == won["id"]


def test_an_update_is_refused_for_unknown_sets_and_options(api: TestClient) -> None:
    made = new(api)
    unknown = api.patch(f"{G}/111111000000099999", json={"global_picklists": [{"description": "x"}]})
    assert unknown.status_code == 400
    assert unknown.json() == {
        "code": "INVALID_DATA",
        "details": {"resource_path_index": 2},
        "message": "the id given seems to be invalid",
        "status": "error",
    }
    check(unknown, "/settings/global_picklists/{id}", "PATCH")
    option = api.patch(
        f"{G}/{made}", json={"global_picklists": [{"pick_list_values": [{"id": "1234", "type": "unused"}]}]}
    )
    assert option.status_code == 400
    assert item(option)["details"] == {"api_name": "id", "json_path": "$.global_picklists[0].pick_list_values[0].id"}
    clash = api.patch(f"{G}/{made}", json={"global_picklists": [{"pick_list_values": [{"display_value": "won"}]}]})
    assert item(clash)["code"] == "DUPLICATE_DATA"
    assert shown_values(one(api, made))[1] == ("Won", "used", 2)  # a refused update leaves the set as it was


def test_updating_many_needs_each_items_id(api: TestClient) -> None:
    first, second = new(api, "One"), new(api, "Two")
    body = {
        "global_picklists": [
            {"id": first, "description": "first"},
            {"description": "no id"},
            {"id": "111111000000099999", "description": "unknown"},
            {"id": second, "display_label": "one"},
        ]
    }
    response = api.patch(G, json=body)
    assert response.status_code == 207
    codes = [r["code"] for r in response.json()["global_picklists"]]
    assert codes == ["SUCCESS", "MANDATORY_NOT_FOUND", "INVALID_DATA", "DUPLICATE_DATA"]
    assert one(api, first)["description"] == "first"
    assert one(api, second)["display_label"] == "Two"
    every = api.patch(
        G, json={"global_picklists": [{"id": first, "description": "a"}, {"id": second, "description": "b"}]}
    )
    assert every.status_code == 201  # as the file documents this update
    check(every, "/settings/global_picklists", "PATCH")


# --- delete ----------------------------------------------------------------------------------------
def test_delete_one_and_many(api: TestClient) -> None:
    first, second, third = new(api, "A"), new(api, "B"), new(api, "C")
    response = api.delete(f"{G}/{first}")
    assert response.status_code == 200
    check(response, "/settings/global_picklists/{id}", "DELETE")
    assert item(response)["details"] == {"id": first}
    assert api.get(f"{G}/{first}").status_code == 204
    many = api.delete(G, params={"ids": f"{second},{third}"})
    assert many.status_code == 200
    check(many, "/settings/global_picklists", "DELETE")
    assert api.get(G).status_code == 204


def test_delete_many_reports_unknown_ids_per_item_and_needs_ids(api: TestClient) -> None:
    made = new(api)
    mixed = api.delete(G, params={"ids": f"{made},111111000000099999"})
    assert mixed.status_code == 207
    assert mixed.json()["global_picklists"][1] == {
        "code": "INVALID_DATA",
        "details": {"id": "111111000000099999"},
        "message": "the id given seems to be invalid",
        "status": "error",
    }
    missing = api.delete(G)
    assert missing.status_code == 400
    assert missing.json()["code"] == "REQUIRED_PARAM_MISSING"
    assert api.delete(f"{G}/111111000000099999").json()["details"] == {"resource_path_index": 2}


# --- fields built on a set -------------------------------------------------------------------------
def test_a_picklist_field_built_on_a_set_offers_its_used_options(api: TestClient) -> None:
    made = new(api, "Stage", [*STATUSES, {"display_value": "Old", "type": "unused"}])
    created = picklist_field(api, {"id": made})
    assert created.status_code == 201, created.text
    field = field_of(api, created.json()["fields"][0]["details"]["id"])
    assert field["global_picklist"] == {"id": made, "api_name": "Stage"}
    assert [v["display_value"] for v in field["pick_list_values"]] == ["Open", "Won", "Lost"]
    by_name = picklist_field(api, {"api_name": "stage"}, "Other Stage")
    assert by_name.status_code == 201, by_name.text


def test_a_field_naming_no_set_or_not_a_picklist_is_refused(api: TestClient) -> None:
    unknown = picklist_field(api, {"id": "111111000000099999"})
    assert unknown.status_code == 400
    error = unknown.json()["fields"][0]
    assert (error["code"], error["details"]["api_name"]) == ("INVALID_DATA", "id")
    made = new(api)
    body = {"fields": [{"field_label": "Txt", "data_type": "text", "global_picklist": {"id": made}}]}
    text = api.post("/crm/v8/settings/fields", params={"module": "Leads"}, json=body)
    assert text.json()["fields"][0]["details"] == {
        "api_name": "global_picklist",
        "json_path": "$.fields[0].global_picklist",
    }


def test_associations_and_used_in_modules_name_the_fields_built_on_a_set(api: TestClient) -> None:
    made = new(api)
    assert api.get(f"{G}/{made}/actions/associations").status_code == 204
    field_id = picklist_field(api, {"id": made}).json()["fields"][0]["details"]["id"]
    response = api.get(f"{G}/{made}/actions/associations")
    assert response.status_code == 200, response.text
    check(response, "/settings/global_picklists/{id}/actions/associations", "GET")
    (found,) = response.json()["associations"]
    assert found["field"] == {"api_name": "Stage_Set", "id": field_id}
    assert found["module"]["api_name"] == "Leads"
    assert response.json()["info"] == {"per_page": 200, "count": 1, "page": 1, "more_records": False}
    used = api.get(
        f"{G}/{made}", params={"include": "used_in_modules", "include_inner_details": "used_in_modules.plural_label"}
    )
    check(used, "/settings/global_picklists/{id}", "GET")
    assert used.json()["global_picklists"][0]["used_in_modules"] == [
        {"api_name": "Leads", "id": found["module"]["id"], "plural_label": found["module"]["plural_label"]}
    ]
    unknown = api.get(f"{G}/111111000000099999/actions/associations")
    assert unknown.json()["details"] == {"resource_path_index": 2}


def test_a_set_some_field_is_built_on_cannot_be_deleted(api: TestClient) -> None:
    made = new(api)
    picklist_field(api, {"id": made})
    response = api.delete(f"{G}/{made}")
    assert response.status_code == 400
    assert item(response)["code"] == "NOT_ALLOWED"
    assert item(response)["details"] == {"id": made}
    assert one(api, made)["id"] == made


def test_the_fields_follow_an_update_of_the_set(api: TestClient) -> None:
    made = new(api)
    field_id = picklist_field(api, {"id": made}).json()["fields"][0]["details"]["id"]
    lost = one(api, made)["pick_list_values"][2]["id"]
    body = {"global_picklists": [{"pick_list_values": [{"id": lost, "type": "unused"}, {"display_value": "Parked"}]}]}
    assert api.patch(f"{G}/{made}", json=body).status_code == 200
    assert [v["display_value"] for v in field_of(api, field_id)["pick_list_values"]] == ["Open", "Won", "Parked"]
    refused = api.patch(
        f"/crm/v8/settings/fields/{field_id}",
        params={"module": "Leads"},
        json={"fields": [{"pick_list_values": [{"display_value": "Mine"}]}]},
    )
    assert refused.status_code == 400  # its options change through the set


# --- replacing an option ---------------------------------------------------------------------------
def test_replacing_an_option_makes_it_unused_and_the_fields_drop_it(api: TestClient) -> None:
    made = new(api)
    field_id = picklist_field(api, {"id": made}).json()["fields"][0]["details"]["id"]
    body = {
        "replace_picklist_values": [{"old_value": {"display_value": "lost"}, "new_value": {"display_value": "Open"}}]
    }
    response = api.post(f"{G}/{made}/actions/replace_picklist_values", json=body)
    assert response.status_code == 200, response.text
    check(response, "/settings/global_picklists/{id}/actions/replace_picklist_values", "POST")
    assert item_of(response)["code"] == "SCHEDULED"
    assert shown_values(one(api, made))[2] == ("Lost", "unused", 3)
    assert [v["display_value"] for v in field_of(api, field_id)["pick_list_values"]] == ["Open", "Won"]
    pending = api.get(f"{G}/{made}/actions/replaced_values")
    assert pending.status_code == 204  # done at once: nothing is pending


def test_replacing_a_value_rewrites_the_records_that_hold_it(api: TestClient) -> None:
    made = new(api)
    picklist_field(api, {"id": made})
    leads = [
        {"Last_Name": f"L{i}", "Company": "Zylker", "Stage_Set": value}
        for i, value in enumerate(["Lost", "Won", "Lost"])
    ]
    created = api.post("/crm/v8/Leads", json={"data": leads})
    assert created.status_code == 201, created.text
    ids = [r["details"]["id"] for r in created.json()["data"]]
    body = {
        "replace_picklist_values": [{"old_value": {"display_value": "Lost"}, "new_value": {"display_value": "Won"}}]
    }
    assert api.post(f"{G}/{made}/actions/replace_picklist_values", json=body).status_code == 200
    stages = [api.get(f"/crm/v8/Leads/{i}").json()["data"][0]["Stage_Set"] for i in ids]
    assert stages == ["Won", "Won", "Won"]


def test_a_value_the_set_no_longer_has_can_still_be_replaced_by_name(api: TestClient) -> None:
    made = new(api)
    body = {
        "replace_picklist_values": [{"old_value": {"display_value": "Gone"}, "new_value": {"display_value": "Won"}}]
    }
    assert api.post(f"{G}/{made}/actions/replace_picklist_values", json=body).status_code == 200
    by_unknown_id = {"replace_picklist_values": [{"old_value": {"id": "1234"}, "new_value": {"display_value": "Won"}}]}
    refused = api.post(f"{G}/{made}/actions/replace_picklist_values", json=by_unknown_id)
    assert refused.status_code == 400
    assert refused.json()["details"] == {"api_name": "id", "json_path": "$.replace_picklist_values[0].old_value.id"}


def item_of(response: httpx.Response) -> dict[str, Any]:
    first: dict[str, Any] = response.json()["replace_picklist_values"][0]
    return first


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "MANDATORY_NOT_FOUND"),
        ({"replace_picklist_values": [{"old_value": {"display_value": "Won"}}]}, "MANDATORY_NOT_FOUND"),
        ({"replace_picklist_values": "x"}, "INVALID_DATA"),
        (
            {
                "replace_picklist_values": [
                    {"old_value": {"display_value": "Won"}, "new_value": {"display_value": "Nope"}}
                ]
            },
            "INVALID_DATA",
        ),
        (
            {
                "replace_picklist_values": [
                    {"old_value": {"display_value": "Won"}, "new_value": {"display_value": "won"}}
                ]
            },
            "INVALID_DATA",
        ),
    ],
)
def test_a_replacement_needs_a_used_option_to_replace_with(api: TestClient, body: dict[str, Any], code: str) -> None:
    made = new(api)
    response = api.post(f"{G}/{made}/actions/replace_picklist_values", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    check(response, "/settings/global_picklists/{id}/actions/replace_picklist_values", "POST")


def test_replaced_values_of_an_unknown_set_is_refused(api: TestClient) -> None:
    response = api.get(f"{G}/111111000000099999/actions/replaced_values")
    assert response.status_code == 400
    check(response, "/settings/global_picklists/{id}/actions/replaced_values", "GET")


# --- a field's options (pick_list_values.json) -----------------------------------------------------
def test_a_fields_options_read_with_their_layouts(api: TestClient) -> None:
    fields = api.get("/crm/v8/settings/fields", params={"module": "Leads"}).json()["fields"]
    status = next(f for f in fields if f["api_name"] == "Lead_Status")
    response = api.get(f"/crm/v8/settings/fields/{status['id']}/pick_list_values", params={"module": "Leads"})
    assert response.status_code == 200, response.text
    validate_response(response, "pick_list_values.json", "/crm/v8/settings/fields/{field_id}/pick_list_values", "GET")
    values = response.json()["pick_list_values"]
    assert [v["actual_value"] for v in values] == [v["actual_value"] for v in status["pick_list_values"]]
    assert values[0]["layout_associations"]
    missing = api.get(f"/crm/v8/settings/fields/{status['id']}/pick_list_values")
    assert missing.json()["code"] == "REQUIRED_PARAM_MISSING"
    unknown = api.get("/crm/v8/settings/fields/111111000000099999/pick_list_values", params={"module": "Leads"})
    assert unknown.status_code == 400
    validate_response(unknown, "pick_list_values.json", "/crm/v8/settings/fields/{field_id}/pick_list_values", "GET")


# --- scopes ----------------------------------------------------------------------------------------
def test_reading_scope_does_not_write(client: TestClient, make_token: Any) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(['ZohoCRM.settings.global_picklist.READ'])}"}
    assert client.get(G, headers=headers).status_code == 204
    refused = client.post(
        G, headers=headers, json={"global_picklists": [{"display_label": "X", "pick_list_values": STATUSES}]}
    )
    assert refused.status_code == 401
    assert refused.json()["code"] == "OAUTH_SCOPE_MISMATCH"
