"""Tags over HTTP: a module's tags (``/settings/tags``), the tags of records (add_tags,
remove_tags), merge and records_count, and ``Tag`` in record reads and writes, against Zoho's
tags.json and tags_actions.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import TAG_ALLOWANCES
from tests.support.modules import set_edition
from tests.support.oas import validate_response
from zcrm_emulator import events
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

TAGS = "/crm/v8/settings/tags"
OAS = "tags.json"
ACTIONS = "tags_actions.json"
COLORS = ("#F17574", "#57B1FD")


def create(api: TestClient, *items: dict[str, Any], module: str = "Leads") -> httpx.Response:
    return api.post(TAGS, params={"module": module}, json={"tags": list(items)})


def created_ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 201, response.text
    validate_response(response, OAS, TAGS, "POST")
    return [item["details"]["id"] for item in response.json()["tags"]]


def listed(api: TestClient, module: str = "Leads", **extra: str) -> dict[str, Any]:
    response = api.get(TAGS, params={"module": module, **extra})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, TAGS, "GET")
    body: dict[str, Any] = response.json()
    return body


def lead(api: TestClient, **values: Any) -> str:
    response = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Tagged", **values}]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def record_tags(api: TestClient, record_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/crm/v8/Leads/{record_id}")
    assert response.status_code == 200, response.text
    tags: list[dict[str, Any]] = response.json()["data"][0]["Tag"]
    return tags


def add(api: TestClient, record_id: str, *tags: dict[str, Any], **body: Any) -> httpx.Response:
    return api.post(f"/crm/v8/Leads/{record_id}/actions/add_tags", json={"tags": list(tags), **body})


# --- a module's tags -----------------------------------------------------------------------------------


def test_tags_are_created_with_201_and_listed_with_their_count_and_limit(api: TestClient) -> None:
    response = create(api, {"name": "Hot", "color_code": "#F17574"}, {"name": "Cold"})
    hot, cold = created_ids(response)
    first = response.json()["tags"][0]
    assert first["code"] == "SUCCESS" and first["message"] == "tags created successfully"
    assert first["details"]["color_code"] == "#F17574"
    body = listed(api)
    assert [(t["name"], t["id"], t["color_code"]) for t in body["tags"]] == [
        ("Hot", hot, "#F17574"),
        ("Cold", cold, None),
    ]
    assert body["info"] == {"count": 2, "allowed_count": 100}  # the default org is Enterprise
    assert listed(api, "Contacts")["tags"] == []


@pytest.mark.parametrize(
    ("item", "code", "details"),
    [
        ({}, "MANDATORY_NOT_FOUND", {"api_name": "name", "json_path": "$.tags[0].name"}),
        ({"name": "x" * 26}, "INVALID_DATA", {"api_name": "name", "json_path": "$.tags[0].name", "maximum_length": 25}),
        ({"name": "a,b"}, "INVALID_DATA", {"api_name": "name", "json_path": "$.tags[0].name"}),
        (
            {"name": 7},
            "INVALID_DATA",
            {"api_name": "name", "json_path": "$.tags[0].name", "expected_data_type": "text"},
        ),
        (
            {"name": "Ok", "color_code": "#000000"},
            "INVALID_DATA",
            {"api_name": "color_code", "json_path": "$.tags[0].color_code"},
        ),
    ],
)
def test_a_tag_item_that_breaks_a_rule_is_refused_alone(
    api: TestClient, item: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    created_ids(create(api, {"name": "Hot"}))
    response = create(api, item, {"name": "x" * 25})
    assert response.status_code == 207, response.text
    refused, accepted = response.json()["tags"]
    assert refused["code"] == code and refused["status"] == "error"
    assert {k: v for k, v in refused["details"].items() if k != "supported_values"} == details
    assert accepted["code"] == "SUCCESS"


def test_names_are_unique_per_module_regardless_of_case(api: TestClient) -> None:
    created_ids(create(api, {"name": "Hot"}))
    created_ids(create(api, {"name": "hot"}, module="Contacts"))
    (hot,) = [t["id"] for t in listed(api)["tags"]]
    response = create(api, {"name": " hOT "})
    assert response.status_code == 400
    validate_response(response, OAS, TAGS, "POST")
    assert response.json()["tags"][0]["code"] == "DUPLICATE_DATA"
    assert response.json()["tags"][0]["details"] == {"api_name": "name", "json_path": "$.tags[0].name", "id": hot}


@pytest.mark.parametrize(("edition", "limit"), [("standard", 20), ("professional", 60)])
def test_a_module_holds_at_most_the_editions_tags(
    api: TestClient, client: TestClient, emulator: Emulator, edition: str, limit: int
) -> None:
    set_edition(client, emulator, edition)
    created_ids(create(api, *({"name": f"t{i}"} for i in range(limit - 1))))
    response = create(api, {"name": "last"}, {"name": "one too many"})
    assert response.status_code == 207
    last, over = response.json()["tags"]
    assert last["code"] == "SUCCESS"
    assert over["code"] == "LIMIT_EXCEEDED" and over["details"]["limit"] == limit
    assert listed(api)["info"] == {"count": limit, "allowed_count": limit}


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "REQUIRED_PARAM_MISSING"),
        ({"module": "Nope"}, 400, "INVALID_MODULE"),
        ({"module": "Notes"}, 400, "INVALID_MODULE"),
    ],
)
def test_the_module_param_must_name_a_module_with_tags(
    api: TestClient, params: dict[str, str], status: int, code: str
) -> None:
    response = api.get(TAGS, params=params)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_my_tags_lists_only_the_callers_tags(api: TestClient) -> None:
    created_ids(create(api, {"name": "Mine"}))
    assert [t["name"] for t in listed(api, my_tags="true")["tags"]] == ["Mine"]


def test_a_tag_is_renamed_and_recoloured_and_records_show_the_change(api: TestClient) -> None:
    (tag_id,) = created_ids(create(api, {"name": "Hot"}))
    record_id = lead(api)
    assert add(api, record_id, {"id": tag_id}).status_code == 200
    response = api.put(
        f"{TAGS}/{tag_id}", params={"module": "Leads"}, json={"tags": [{"name": "Warm", "color_code": "#57B1FD"}]}
    )
    assert response.status_code == 200, response.text
    validate_response(response, OAS, f"{TAGS}/{{id}}", "PUT")
    assert response.json()["tags"][0]["message"] == "tags updated successfully"
    assert record_tags(api, record_id) == [{"name": "Warm", "id": tag_id, "color_code": "#57B1FD"}]


def test_bulk_update_names_each_tag_by_id(api: TestClient) -> None:
    one, two = created_ids(create(api, {"name": "One"}, {"name": "Two"}))
    response = api.put(
        TAGS,
        params={"module": "Leads"},
        json={
            "tags": [{"id": one, "name": "Uno"}, {"name": "x"}, {"id": "1", "name": "y"}, {"id": two, "name": "uno"}]
        },
    )
    assert response.status_code == 207, response.text  # tags.json documents no 207: items checked one by one
    assert [r["code"] for r in response.json()["tags"]] == [
        "SUCCESS",
        "MANDATORY_NOT_FOUND",
        "INVALID_DATA",
        "DUPLICATE_DATA",
    ]
    assert response.json()["tags"][2]["message"] == "invalid tag id"


def test_a_deleted_tag_leaves_its_records(api: TestClient) -> None:
    one, two = created_ids(create(api, {"name": "One"}, {"name": "Two"}))
    record_id = lead(api)
    assert add(api, record_id, {"id": one}, {"id": two}).status_code == 200
    response = api.delete(f"{TAGS}/{one}")
    assert response.status_code == 200, response.text
    validate_response(response, OAS, f"{TAGS}/{{id}}", "DELETE")
    assert response.json()["tags"][0]["message"] == "tags deleted successfully"
    assert [t["id"] for t in record_tags(api, record_id)] == [two]
    assert api.delete(f"{TAGS}/{one}").status_code == 400


def test_merging_moves_records_to_the_conflict_tag_and_emits_a_record_event(
    api: TestClient, emulator: Emulator
) -> None:
    old, keep = created_ids(create(api, {"name": "Old"}, {"name": "Keep"}))
    both, only_old = lead(api), lead(api)
    assert add(api, both, {"id": old}, {"id": keep}).status_code == 200
    assert add(api, only_old, {"id": old}).status_code == 200
    seen: list[events.RecordEvent] = []
    unsubscribe = emulator.events.subscribe(seen.append)
    try:
        response = api.post(f"{TAGS}/{old}/actions/merge", json={"tags": [{"conflict_id": keep}]})
    finally:
        unsubscribe()
    assert response.status_code == 200, response.text
    validate_response(response, OAS, f"{TAGS}/{{id}}/actions/merge", "POST")
    validate_response(response, ACTIONS, "/settings/tags/{id}/actions/merge", "POST")
    assert response.json()["tags"][0]["details"]["id"] == keep
    assert [t["id"] for t in record_tags(api, both)] == [keep]
    assert [t["id"] for t in record_tags(api, only_old)] == [keep]
    assert [t["id"] for t in listed(api)["tags"]] == [keep]
    assert len(seen) == 1 and {c.record_id for c in seen[0].changes} == {both, only_old}


def test_records_count_counts_the_live_records_carrying_the_tag(api: TestClient) -> None:
    (tag_id,) = created_ids(create(api, {"name": "Hot"}))
    first, second = lead(api), lead(api)
    for record_id in (first, second):
        assert add(api, record_id, {"id": tag_id}).status_code == 200
    assert api.delete(f"/crm/v8/Leads/{second}").status_code == 200
    path = f"{TAGS}/{tag_id}/actions/records_count"
    response = api.get(path, params={"module": "Leads"})
    assert response.status_code == 200, response.text
    validate_response(response, ACTIONS, "/settings/tags/{id}/actions/records_count", "GET")
    assert response.json() == {"count": "1"}
    unknown = api.get(f"{TAGS}/1234567890123456789/actions/records_count", params={"module": "Leads"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "TAG_ID_NOT_FOUND"
    validate_response(unknown, ACTIONS, "/settings/tags/{id}/actions/records_count", "GET")


# --- the tags of records -----------------------------------------------------------------------------


def test_adding_an_unknown_name_creates_the_tag_and_answers_the_records_tags(api: TestClient) -> None:
    record_id = lead(api)
    response = add(api, record_id, {"name": "Fresh", "color_code": "#57B1FD"})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, "/crm/v8/{module_api_name}/{record_id}/actions/add_tags", "POST")
    validate_response(response, ACTIONS, "/{module}/{id}/actions/add_tags", "POST")
    (tag,) = listed(api)["tags"]
    assert tag["name"] == "Fresh" and tag["color_code"] == "#57B1FD"
    assert response.json() == {
        "data": [
            {
                "code": "SUCCESS",
                "details": {"id": record_id, "tags": [{"name": "Fresh", "id": tag["id"], "color_code": "#57B1FD"}]},
                "message": "tags updated successfully",
                "status": "success",
            }
        ],
        "success_count": "1",
        "locked_count": "0",
    }
    assert record_tags(api, record_id) == [{"name": "Fresh", "id": tag["id"], "color_code": "#57B1FD"}]


def test_adding_joins_the_current_tags_unless_over_write(api: TestClient) -> None:
    record_id = lead(api)
    assert add(api, record_id, {"name": "A"}, {"name": "B"}).status_code == 200
    assert add(api, record_id, {"name": "b"}, {"name": "C"}).status_code == 200
    assert [t["name"] for t in record_tags(api, record_id)] == ["A", "B", "C"]
    assert add(api, record_id, {"name": "D"}, over_write=True).status_code == 200
    assert [t["name"] for t in record_tags(api, record_id)] == ["D"]


@pytest.mark.parametrize(("edition", "limit"), [("standard", 5), ("enterprise", 10)])
def test_a_record_carries_at_most_the_editions_tags(
    api: TestClient, client: TestClient, emulator: Emulator, edition: str, limit: int
) -> None:
    set_edition(client, emulator, edition)
    record_id = lead(api)
    assert add(api, record_id, *({"name": f"t{i}"} for i in range(limit))).status_code == 200
    response = add(api, record_id, {"name": "over"})
    assert response.status_code == 400
    (item,) = response.json()["data"]
    assert item["code"] == "LIMIT_EXCEEDED" and item["details"]["limit"] == limit
    assert len(record_tags(api, record_id)) == limit


@pytest.mark.parametrize(
    ("tags", "code", "message", "details"),
    [
        (
            [{"name": "x" * 26}],
            "INVALID_DATA",
            "Invalid data",
            {"api_name": "name", "json_path": "$.tags[0].name", "maximum_length": 25},
        ),
        (
            [{"name": 5}],
            "INVALID_DATA",
            "Invalid data type",
            {"api_name": "name", "json_path": "$.tags[0].name", "expected_data_type": "string"},
        ),
        (
            [{"id": "1234567890123456789"}],
            "INVALID_DATA",
            "invalid tag id",
            {"api_name": "id", "json_path": "$.tags[0].id"},
        ),
        (
            [{"color_code": "#57B1FD"}],
            "INVALID_DATA",
            "invalid data",
            {"api_name": "name", "json_path": "$.tags[0].name"},
        ),
    ],
)
def test_bad_tags_input_is_refused_before_any_record_changes(
    api: TestClient, tags: list[dict[str, Any]], code: str, message: str | None, details: dict[str, Any] | None
) -> None:
    record_id = lead(api)
    response = add(api, record_id, *tags)
    assert response.status_code == 400, response.text
    body = response.json()
    (error,) = body["tags"] if message in ("Invalid data", "Invalid data type") else [body]
    assert error["code"] == code
    if message is not None:
        assert error["message"] == message and error["details"] == details
        validate_response(response, ACTIONS, "/{module}/{id}/actions/add_tags", "POST")
    assert listed(api)["tags"] == []


def test_a_name_given_another_colour_than_its_tags_is_a_mapping_mismatch(api: TestClient) -> None:
    created_ids(create(api, {"name": "Hot", "color_code": "#F17574"}))
    response = add(api, lead(api), {"name": "Hot", "color_code": "#57B1FD"})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "MAPPING_MISMATCH"
    validate_response(response, ACTIONS, "/{module}/{id}/actions/add_tags", "POST")


def test_many_records_get_tags_one_result_each_and_one_record_event(api: TestClient, emulator: Emulator) -> None:
    first, second = lead(api), lead(api)
    seen: list[events.RecordEvent] = []
    unsubscribe = emulator.events.subscribe(seen.append)
    try:
        response = api.post(
            "/crm/v8/Leads/actions/add_tags",
            json={"tags": [{"name": "Bulk"}], "ids": [first, "1234567890123456789", second]},
        )
    finally:
        unsubscribe()
    assert response.status_code == 207, response.text
    assert [item["code"] for item in response.json()["data"]] == ["SUCCESS", "INVALID_DATA", "SUCCESS"]
    assert response.json()["success_count"] == "2"
    assert len(seen) == 1 and [c.record_id for c in seen[0].changes] == [first, second]
    (change,) = [c for c in seen[0].changes if c.record_id == first]
    assert change.action == "update"
    assert [t["name"] for t in record_tags(api, second)] == ["Bulk"]


@pytest.mark.parametrize(("count", "status"), [(500, 200), (501, 400)])
def test_at_most_500_records_a_call(api: TestClient, count: int, status: int) -> None:
    record_id = lead(api)
    ids = [record_id] * count
    response = api.post("/crm/v8/Leads/actions/add_tags", json={"tags": [{"name": "Many"}], "ids": ids})
    assert response.status_code == status, response.text[:300]


def test_tags_are_removed_from_one_record_and_from_many(api: TestClient) -> None:
    first, second = lead(api), lead(api)
    for record_id in (first, second):
        assert add(api, record_id, {"name": "A"}, {"name": "B"}).status_code == 200
    response = api.post(f"/crm/v8/Leads/{first}/actions/remove_tags", json={"tags": [{"name": "a"}]})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, "/crm/v8/{module_api_name}/{record_id}/actions/remove_tags", "POST")
    validate_response(response, ACTIONS, "/{module}/{id}/actions/remove_tags", "POST")
    assert response.json()["data"][0]["message"] == "tags removed successfully"
    assert [t["name"] for t in record_tags(api, first)] == ["B"]
    b_id = record_tags(api, first)[0]["id"]
    many = api.post("/crm/v8/Leads/actions/remove_tags", json={"tags": [{"id": b_id}], "ids": [first, second]})
    assert many.status_code == 200, many.text
    assert record_tags(api, first) == [] and [t["name"] for t in record_tags(api, second)] == ["A"]


# --- Tag in record writes and reads ---------------------------------------------------------------------


def test_tag_in_a_record_body_creates_the_tag_and_reads_back_with_id_and_colour(api: TestClient) -> None:
    (hot,) = created_ids(create(api, {"name": "Hot", "color_code": "#F17574"}))
    record_id = lead(api, Tag=[{"name": "hot"}, {"name": "Brand New"}])
    (new,) = [t for t in listed(api)["tags"] if t["name"] == "Brand New"]
    assert record_tags(api, record_id) == [
        {"name": "Hot", "id": hot, "color_code": "#F17574"},
        {"name": "Brand New", "id": new["id"], "color_code": None},
    ]
    listing = api.get("/crm/v8/Leads", params={"fields": "Tag,Last_Name"})
    (row,) = [r for r in listing.json()["data"] if r["id"] == record_id]
    assert [t["id"] for t in row["Tag"]] == [hot, new["id"]]
    update = api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Tag": []}]})
    assert update.status_code == 200, update.text
    assert record_tags(api, record_id) == []


# --- mass delete -------------------------------------------------------------------------------------

MASS = "/crm/v8/settings/tags/actions/mass_delete"
MASS_OAS = "mass_delete_tags.json"
# mass_delete_tags.json types the 202's ``details.job_id`` as an object (tests/support/allowances.py).
JOB_ID_IS_A_STRING = next(a for a in TAG_ALLOWANCES if a.at == "$.details.job_id")


def module_id(api: TestClient, name: str = "Leads") -> str:
    modules = api.get(f"/crm/v8/settings/modules/{name}").json()["modules"]
    return str(modules[0]["id"])


def test_mass_delete_deletes_the_modules_tags_and_reports_the_job(api: TestClient) -> None:
    one, two = created_ids(create(api, {"name": "One"}, {"name": "Two"}))
    (other,) = created_ids(create(api, {"name": "Other"}, module="Contacts"))
    body = {
        "mass_delete": [{"module": {"id": module_id(api), "api_name": "Leads"}, "tags": [{"id": one}, {"id": other}]}]
    }
    response = api.post(MASS, json=body)
    assert response.status_code == 202, response.text
    validate_response(
        response, MASS_OAS, "/crm/v8/settings/tags/actions/mass_delete", "POST", allow=[JOB_ID_IS_A_STRING]
    )
    answer = response.json()
    assert (answer["code"], answer["message"], answer["status"]) == (
        "SCHEDULED",
        "tags scheduled successfully",
        "success",
    )
    job_id = answer["details"]["job_id"]
    assert [t["id"] for t in listed(api)["tags"]] == [two]
    assert [t["id"] for t in listed(api, "Contacts")["tags"]] == [other]
    status = api.get(MASS, params={"job_id": job_id})
    assert status.status_code == 200, status.text
    validate_response(status, MASS_OAS, "/crm/v8/settings/tags/actions/mass_delete", "GET")
    assert status.json() == {
        "mass_delete": [
            {"job_id": job_id, "total_count": 2, "failed_count": 1, "deleted_count": 1, "status": "COMPLETED"}
        ]
    }


@pytest.mark.parametrize(
    ("item", "code", "details"),
    [
        (
            {"tags": [{"id": "1"}]},
            "MANDATORY_NOT_FOUND",
            {"api_name": "module", "json_path": "$.mass_delete[0].module"},
        ),
        (
            {"module": {"api_name": "Leads"}},
            "MANDATORY_NOT_FOUND",
            {"api_name": "tags", "json_path": "$.mass_delete[0].tags"},
        ),
        (
            {"module": {"api_name": "Leads"}, "tags": [{"id": str(i)} for i in range(201)]},
            "INVALID_DATA",
            {"api_name": "tags", "json_path": "$.mass_delete[0].tags", "maximum_length": 200},
        ),
        (
            {"module": {"api_name": "Notes"}, "tags": [{"id": "1"}]},
            "INVALID_DATA",
            {"api_name": "api_name", "json_path": "$.mass_delete[0].module.api_name"},
        ),
    ],
)
def test_a_mass_delete_that_breaks_a_rule_deletes_nothing(
    api: TestClient, item: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    created_ids(create(api, {"name": "Kept"}))
    response = api.post(MASS, json={"mass_delete": [item]})
    assert response.status_code == 400, response.text
    validate_response(response, MASS_OAS, "/crm/v8/settings/tags/actions/mass_delete", "POST")
    assert (response.json()["code"], response.json()["details"]) == (code, details)
    assert [t["name"] for t in listed(api)["tags"]] == ["Kept"]


def test_a_module_named_two_ways_that_disagree_is_ambiguous(api: TestClient) -> None:
    body = {"mass_delete": [{"module": {"id": module_id(api, "Contacts"), "api_name": "Leads"}, "tags": [{"id": "1"}]}]}
    response = api.post(MASS, json=body)
    assert response.status_code == 400, response.text
    validate_response(response, MASS_OAS, "/crm/v8/settings/tags/actions/mass_delete", "POST")
    assert response.json()["code"] == "AMBIGUITY_DURING_PROCESSING"
    assert [d["api_name"] for d in response.json()["details"]["ambiguity_due_to"]] == ["id", "api_name"]


def test_one_module_per_mass_delete_call(api: TestClient) -> None:
    item = {"module": {"api_name": "Leads"}, "tags": [{"id": "1"}]}
    response = api.post(MASS, json={"mass_delete": [item, item]})
    assert response.status_code == 400
    assert response.json()["details"]["maximum_length"] == 1


@pytest.mark.parametrize(("params", "code"), [({}, "REQUIRED_PARAM_MISSING"), ({"job_id": "123"}, "INVALID_DATA")])
def test_the_status_of_an_unknown_job_is_refused(api: TestClient, params: dict[str, str], code: str) -> None:
    response = api.get(MASS, params=params)
    assert response.status_code == 400
    body = response.json()
    assert (body["mass_delete"][0] if "mass_delete" in body else body)["code"] == code


def test_a_record_body_with_too_many_tags_is_refused_and_creates_none(
    api: TestClient, client: TestClient, emulator: Emulator
) -> None:
    set_edition(client, emulator, "standard")
    response = api.post(
        "/crm/v8/Leads", json={"data": [{"Last_Name": "Many", "Tag": [{"name": f"t{i}"} for i in range(6)]}]}
    )
    assert response.status_code == 400, response.text
    (item,) = response.json()["data"]
    assert (item["code"], item["details"]) == (
        "LIMIT_EXCEEDED",
        {"api_name": "Tag", "json_path": "$.data[0].Tag", "limit": 5},
    )
    assert listed(api)["tags"] == []


@pytest.mark.parametrize("path", ["/crm/v8/Nope/actions/add_tags", "/crm/v8/Notes/actions/add_tags"])
def test_record_actions_need_a_module_with_tags(api: TestClient, path: str) -> None:
    response = api.post(path, json={"tags": [{"name": "x"}], "ids": ["1"]})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "INVALID_MODULE"
    validate_response(response, ACTIONS, "/{module}/actions/add_tags", "POST")
