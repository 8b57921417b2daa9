"""``/settings/pipeline`` over HTTP, on both stores: the Standard pipeline of a fresh org, create,
update, delete and transfer at their rules' edges, the Pipeline picklist and the deals that follow a
transfer, against Zoho's pipeline.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import PIPELINE_ALLOWANCES
from tests.support.oas import validate_response
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.events import RecordEvent

pytestmark = pytest.mark.usefixtures("both_backends")

URL = "/crm/v8/settings/pipeline"
STAGES = [
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
    "Closed Lost to Competition",
]


def check(response: httpx.Response, method: str, path: str = "/settings/pipeline") -> None:
    validate_response(response, "pipeline.json", f"/crm/v8{path}", method, allow=PIPELINE_ALLOWANCES)


@pytest.fixture
def layout_id(api: TestClient) -> str:
    response = api.get("/crm/v8/settings/layouts", params={"module": "Deals"})
    assert response.status_code == 200, response.text
    return str(response.json()["layouts"][0]["id"])


def listed(api: TestClient, layout_id: str) -> list[dict[str, Any]]:
    response = api.get(URL, params={"layout_id": layout_id})
    assert response.status_code == 200, response.text
    check(response, "GET")
    found: list[dict[str, Any]] = response.json()["pipeline"]
    return found


def stage_ids(api: TestClient, layout_id: str) -> dict[str, str]:
    return {s["actual_value"]: s["id"] for s in listed(api, layout_id)[0]["maps"]}


def create(api: TestClient, layout_id: str, *items: Any) -> httpx.Response:
    response: httpx.Response = api.post(URL, params={"layout_id": layout_id}, json={"pipeline": list(items)})
    if response.status_code != 207:
        check(response, "POST")
    return response


def new(api: TestClient, layout_id: str, name: str, stages: list[str], **extra: Any) -> str:
    ids = stage_ids(api, layout_id)
    maps = [{"id": ids[s], "sequence_number": i + 1} for i, s in enumerate(stages)]
    response = create(api, layout_id, {"display_value": name, "maps": maps, **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["pipeline"][0]["details"]["id"])


def only_item(response: httpx.Response, envelope: str = "pipeline") -> dict[str, Any]:
    items: list[dict[str, Any]] = response.json()[envelope]
    assert len(items) == 1, items
    return items[0]


def pipeline_picklist(api: TestClient) -> list[str]:
    response = api.get("/crm/v8/settings/fields", params={"module": "Deals"})
    field = next(f for f in response.json()["fields"] if f["api_name"] == "Pipeline")
    return [v["display_value"] for v in field["pick_list_values"]]


def test_a_fresh_org_has_the_standard_pipeline_with_every_stage(api: TestClient, layout_id: str) -> None:
    (standard,) = listed(api, layout_id)
    assert (standard["display_value"], standard["default"]) == ("Standard", True)
    assert [m["actual_value"] for m in standard["maps"]] == STAGES
    assert [m["sequence_number"] for m in standard["maps"]] == list(range(1, 10))
    one = api.get(f"{URL}/{standard['id']}", params={"layout_id": layout_id})
    check(one, "GET", "/settings/pipeline/{id}")
    assert one.json() == {"pipeline": [standard]}
    assert pipeline_picklist(api) == ["Standard (Standard)"]


@pytest.mark.parametrize(
    ("params", "code", "details"),
    [
        ({}, "REQUIRED_PARAM_MISSING", {"param": "layout_id"}),
        ({"layout_id": "111"}, "INVALID_DATA", {"param_name": "layout_id"}),
        ({"layout_id": "abc"}, "INVALID_DATA", {"param_name": "layout_id"}),
    ],
)
def test_every_call_names_a_deals_layout(api: TestClient, params: dict[str, str], code: str, details: Any) -> None:
    response = api.get(URL, params=params)
    check(response, "GET")
    assert (response.status_code, response.json()["code"], response.json()["details"]) == (400, code, details)


def test_a_layout_of_another_module_is_not_a_deals_layout(api: TestClient) -> None:
    leads = api.get("/crm/v8/settings/layouts", params={"module": "Leads"}).json()["layouts"][0]["id"]
    assert api.get(URL, params={"layout_id": leads}).json()["details"] == {"param_name": "layout_id"}


def test_a_created_pipeline_has_its_stages_in_order_and_joins_the_picklist(api: TestClient, layout_id: str) -> None:
    ids = stage_ids(api, layout_id)
    maps = [{"id": ids["Closed Won"], "sequence_number": 2}, {"id": ids["Qualification"], "sequence_number": 1}]
    response = create(api, layout_id, {"display_value": " Renewals ", "maps": maps})
    assert (response.status_code, only_item(response)["message"]) == (201, "Pipeline created")
    pipeline_id = only_item(response)["details"]["id"]
    made = next(p for p in listed(api, layout_id) if p["id"] == pipeline_id)
    assert (made["display_value"], made["actual_value"], made["default"]) == ("Renewals", "Renewals", False)
    assert [(m["actual_value"], m["sequence_number"]) for m in made["maps"]] == [
        ("Qualification", 1),
        ("Closed Won", 2),
    ]
    assert made["maps"][1]["forecast_type"] == "Closed Won"
    assert pipeline_picklist(api) == ["Standard (Standard)", "Renewals (Standard)"]


def test_a_new_default_takes_the_flag_from_the_old_one(api: TestClient, layout_id: str) -> None:
    new(api, layout_id, "Main", ["Qualification"], default=True)
    flags = {p["display_value"]: p["default"] for p in listed(api, layout_id)}
    assert flags == {"Standard": False, "Main": True}


@pytest.mark.parametrize(
    ("item", "code", "details"),
    [
        (
            {"maps": "M"},
            "MANDATORY_NOT_FOUND",
            {"api_name": "display_value", "json_path": "$.pipeline[0].display_value"},
        ),
        ({"display_value": "P"}, "MANDATORY_NOT_FOUND", {"api_name": "maps", "json_path": "$.pipeline[0].maps"}),
        (
            {"display_value": "P", "maps": []},
            "MANDATORY_NOT_FOUND",
            {"api_name": "maps", "json_path": "$.pipeline[0].maps"},
        ),
        (
            {"display_value": "P", "maps": [{"sequence_number": 1}]},
            "MANDATORY_NOT_FOUND",
            {"api_name": "id", "json_path": "$.pipeline[0].maps[0].id"},
        ),
        (
            {"display_value": "P", "maps": [{"id": "111", "sequence_number": 1}]},
            "INVALID_DATA",
            {"api_name": "id", "json_path": "$.pipeline[0].maps[0].id"},
        ),
        (
            {"display_value": "standard", "maps": "Q"},
            "DUPLICATE_DATA",
            {"api_name": "display_value", "json_path": "$.pipeline[0].display_value"},
        ),
        (
            {"display_value": "x" * 101, "maps": "Q"},
            "INVALID_DATA",
            {"api_name": "display_value", "json_path": "$.pipeline[0].display_value", "maximum_length": 100},
        ),
        (
            {"display_value": "P", "default": "yes", "maps": "Q"},
            "INVALID_DATA",
            {"api_name": "default", "json_path": "$.pipeline[0].default", "expected_data_type": "boolean"},
        ),
        (
            {"display_value": "P", "maps": "QQ"},
            "DUPLICATE_DATA",
            {"api_name": "id", "json_path": "$.pipeline[0].maps[1].id"},
        ),
    ],
)
def test_a_refused_pipeline_says_why_and_adds_nothing(
    api: TestClient, layout_id: str, item: dict[str, Any], code: str, details: Any
) -> None:
    qualification = stage_ids(api, layout_id)["Qualification"]
    if isinstance(item.get("maps"), str):  # one map per letter Q: Qualification
        item = {**item, "maps": [{"id": qualification, "sequence_number": i + 1} for i in range(len(item["maps"]))]}
    response = create(api, layout_id, item)
    assert response.status_code == 400, response.text
    assert (only_item(response)["code"], only_item(response)["details"]) == (code, details)
    assert len(listed(api, layout_id)) == 1


def test_a_name_of_a_hundred_characters_is_taken(api: TestClient, layout_id: str) -> None:
    new(api, layout_id, "x" * 100, ["Qualification"])


def test_an_update_renames_reorders_adds_and_removes_stages(api: TestClient, layout_id: str) -> None:
    pipeline_id = new(api, layout_id, "Upsell", ["Qualification", "Needs Analysis", "Closed Won"])
    ids = stage_ids(api, layout_id)
    maps = [
        {"id": ids["Needs Analysis"], "_delete": True},
        {"id": ids["Closed Lost"], "sequence_number": 3},
        {"id": ids["Closed Won"], "sequence_number": 1},
    ]
    response = api.put(
        f"{URL}/{pipeline_id}",
        params={"layout_id": layout_id},
        json={"pipeline": [{"display_value": "Up", "maps": maps}]},
    )
    check(response, "PUT", "/settings/pipeline/{id}")
    assert (response.status_code, only_item(response)["message"]) == (200, "Pipeline updated")
    made = next(p for p in listed(api, layout_id) if p["id"] == pipeline_id)
    assert made["display_value"] == "Up"
    assert [m["actual_value"] for m in made["maps"]] == ["Closed Won", "Qualification", "Closed Lost"]
    assert "Up (Standard)" in pipeline_picklist(api)


def test_the_last_stage_is_never_removed(api: TestClient, layout_id: str) -> None:
    pipeline_id = new(api, layout_id, "Tiny", ["Qualification"])
    gone = [{"id": stage_ids(api, layout_id)["Qualification"], "_delete": True}]
    response = api.put(URL, params={"layout_id": layout_id}, json={"pipeline": [{"id": pipeline_id, "maps": gone}]})
    assert (response.status_code, only_item(response)["code"]) == (400, "CANNOT_DELETE")
    check(response, "PUT")


def test_the_default_cannot_be_unset_without_naming_another(api: TestClient, layout_id: str) -> None:
    standard = listed(api, layout_id)[0]
    item = {"id": standard["id"], "default": False}
    response = api.put(URL, params={"layout_id": layout_id}, json={"pipeline": [item]})
    assert (response.status_code, only_item(response)["details"]) == (
        400,
        {"api_name": "default", "json_path": "$.pipeline[0].default"},
    )


@pytest.mark.parametrize(
    ("item", "code"), [({"display_value": "X"}, "MANDATORY_NOT_FOUND"), ({"id": "111"}, "INVALID_DATA")]
)
def test_an_update_by_body_needs_a_pipeline_of_the_layout(
    api: TestClient, layout_id: str, item: dict[str, Any], code: str
) -> None:
    response = api.put(URL, params={"layout_id": layout_id}, json={"pipeline": [item]})
    check(response, "PUT")
    assert (response.status_code, only_item(response)["code"]) == (400, code)


def test_unknown_path_ids_are_no_content_to_read_and_invalid_to_write(api: TestClient, layout_id: str) -> None:
    assert api.get(f"{URL}/111", params={"layout_id": layout_id}).status_code == 204
    response = api.put(f"{URL}/111", params={"layout_id": layout_id}, json={"pipeline": [{"display_value": "X"}]})
    check(response, "PUT", "/settings/pipeline/{id}")
    assert (response.status_code, response.json()["details"]) == (400, {"resource_path_index": 2})


DELETE = {"pipeline": [{"_delete": {"permanent": True}}]}


def test_a_pipeline_without_deals_is_deleted(api: TestClient, layout_id: str) -> None:
    pipeline_id = new(api, layout_id, "Gone", ["Qualification"])
    response = api.patch(f"{URL}/{pipeline_id}", params={"layout_id": layout_id}, json=DELETE)
    check(response, "PATCH", "/settings/pipeline/{id}")
    assert (response.status_code, only_item(response)["message"]) == (200, "Pipeline deleted")
    assert [p["display_value"] for p in listed(api, layout_id)] == ["Standard"]
    assert pipeline_picklist(api) == ["Standard (Standard)"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"pipeline": [{}]}, "MANDATORY_NOT_FOUND"),
        ({"pipeline": [{"_delete": {}}]}, "MANDATORY_NOT_FOUND"),
        ({"pipeline": [{"_delete": {"permanent": False}}]}, "INVALID_DATA"),
    ],
)
def test_a_delete_says_permanent(api: TestClient, layout_id: str, body: dict[str, Any], code: str) -> None:
    pipeline_id = new(api, layout_id, "Kept", ["Qualification"])
    response = api.patch(f"{URL}/{pipeline_id}", params={"layout_id": layout_id}, json=body)
    check(response, "PATCH", "/settings/pipeline/{id}")
    assert (response.status_code, only_item(response)["code"]) == (400, code)
    assert len(listed(api, layout_id)) == 2


def test_the_default_pipeline_and_one_with_deals_are_not_deleted(api: TestClient, layout_id: str) -> None:
    standard = listed(api, layout_id)[0]
    refused = api.patch(f"{URL}/{standard['id']}", params={"layout_id": layout_id}, json=DELETE)
    assert (refused.status_code, only_item(refused)["code"]) == (400, "INVALID_DATA")
    pipeline_id = new(api, layout_id, "Busy", ["Qualification"])
    deal(api, "D", "Busy (Standard)", "Qualification")
    busy = api.patch(f"{URL}/{pipeline_id}", params={"layout_id": layout_id}, json=DELETE)
    assert (busy.status_code, only_item(busy)["code"]) == (400, "INVALID_DATA")
    assert len(listed(api, layout_id)) == 2


def deal(api: TestClient, name: str, pipeline: str, stage: str) -> str:
    response = api.post("/crm/v8/Deals", json={"data": [{"Deal_Name": name, "Pipeline": pipeline, "Stage": stage}]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def read_deal(api: TestClient, deal_id: str) -> dict[str, Any]:
    record: dict[str, Any] = api.get(f"/crm/v8/Deals/{deal_id}").json()["data"][0]
    return record


def transfer(api: TestClient, layout_id: str, *items: Any) -> httpx.Response:
    response: httpx.Response = api.post(
        f"{URL}/actions/transfer", params={"layout_id": layout_id}, json={"transfer_pipeline": list(items)}
    )
    check(response, "POST", "/settings/pipeline/actions/transfer")
    return response


def test_a_transfer_moves_the_deals_maps_their_stages_and_deletes_the_pipeline(api: TestClient, layout_id: str) -> None:
    source = new(api, layout_id, "Old", ["Qualification", "Needs Analysis", "Closed Won"])
    ids = stage_ids(api, layout_id)
    target = listed(api, layout_id)[0]["id"]
    mapped = deal(api, "Mapped", "Old (Standard)", "Needs Analysis")
    kept = deal(api, "Kept", "Old (Standard)", "Closed Won")
    other = deal(api, "Other", "Standard (Standard)", "Needs Analysis")
    stages = [{"from": ids["Needs Analysis"], "to": ids["Value Proposition"]}]
    response = transfer(api, layout_id, {"pipeline": {"from": source, "to": target}, "stages": stages})
    assert response.status_code == 200, response.text
    assert only_item(response, "transfer_pipeline")["message"] == "transfer pipeline scheduled successfully"
    assert only_item(response, "transfer_pipeline")["details"]["job_id"].isdigit()
    assert [p["id"] for p in listed(api, layout_id)] == [target]
    assert (read_deal(api, mapped)["Pipeline"], read_deal(api, mapped)["Stage"]) == (
        "Standard (Standard)",
        "Value Proposition",
    )
    assert read_deal(api, kept)["Stage"] == "Closed Won"
    assert read_deal(api, other)["Stage"] == "Needs Analysis"
    assert pipeline_picklist(api) == ["Standard (Standard)"]


def test_a_renamed_pipelines_deals_show_the_new_name(api: TestClient, layout_id: str, emulator: Emulator) -> None:
    pipeline_id = new(api, layout_id, "Before", ["Qualification"])
    named = deal(api, "Named", "Before (Standard)", "Qualification")
    seen: list[RecordEvent] = []
    emulator.events.subscribe(seen.append)
    body = {"pipeline": [{"id": pipeline_id, "display_value": "After"}]}
    assert api.put(URL, params={"layout_id": layout_id}, json=body).status_code == 200
    assert read_deal(api, named)["Pipeline"] == "After (Standard)"
    assert [(e.module, e.operation, e.ids) for e in seen] == [("Deals", "update", (named,))]
    assert pipeline_picklist(api) == ["Standard (Standard)", "After (Standard)"]


def test_a_transfer_is_a_records_update_automation_sees(api: TestClient, layout_id: str, emulator: Emulator) -> None:
    source = new(api, layout_id, "Seen", ["Qualification"])
    moved = deal(api, "Watched", "Seen (Standard)", "Qualification")
    target = listed(api, layout_id)[0]["id"]
    seen: list[RecordEvent] = []
    emulator.events.subscribe(seen.append)
    transfer(api, layout_id, {"pipeline": {"from": source, "to": target}, "stages": []})
    assert [(e.module, e.operation, e.ids) for e in seen] == [("Deals", "update", (moved,))]
    assert seen[0].changes[0].fields["Pipeline"] == ("Seen (Standard)", "Standard (Standard)")


@pytest.mark.parametrize(
    ("item", "code", "at"),
    [
        ({"stages": []}, "MANDATORY_NOT_FOUND", "pipeline"),
        ({"pipeline": {"from": "SOURCE", "to": "TARGET"}}, "MANDATORY_NOT_FOUND", "stages"),
        ({"pipeline": {"from": "SOURCE"}, "stages": []}, "MANDATORY_NOT_FOUND", "to"),
        ({"pipeline": {"from": "111", "to": "TARGET"}, "stages": []}, "INVALID_DATA", "from"),
        ({"pipeline": {"from": "TARGET", "to": "SOURCE"}, "stages": []}, "INVALID_DATA", "from"),
        (
            {"pipeline": {"from": "SOURCE", "to": "TARGET"}, "stages": [{"from": "111", "to": "111"}]},
            "INVALID_DATA",
            "from",
        ),
    ],
)
def test_a_refused_transfer_says_why_and_moves_nothing(
    api: TestClient, layout_id: str, item: dict[str, Any], code: str, at: str
) -> None:
    source = new(api, layout_id, "Src", ["Qualification"])
    target = listed(api, layout_id)[0]["id"]
    names = {"SOURCE": source, "TARGET": target}
    if "pipeline" in item:
        item = {**item, "pipeline": {k: names.get(v, v) for k, v in item["pipeline"].items()}}
    response = transfer(api, layout_id, item)
    assert response.status_code == 400, response.text
    assert (
        only_item(response, "transfer_pipeline")["code"],
        only_item(response, "transfer_pipeline")["details"]["api_name"],
    ) == (code, at)
    assert len(listed(api, layout_id)) == 2


@pytest.mark.parametrize(
    ("method", "path", "granted", "allowed"),
    [
        ("GET", "", "ZohoCRM.settings.pipeline.READ", True),
        ("GET", "", "ZohoCRM.settings.ALL", True),
        ("GET", "", "ZohoCRM.modules.ALL", False),
        ("POST", "", "ZohoCRM.settings.pipeline.READ", False),
        ("POST", "/actions/transfer", "ZohoCRM.settings.pipeline.CREATE", True),
        ("POST", "/actions/transfer", "ZohoCRM.settings.pipeline.UPDATE", False),
    ],
)
def test_the_scope_is_settings_pipeline(
    client: TestClient, make_token: Any, layout_id: str, method: str, path: str, granted: str, allowed: bool
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[granted])}"}
    response = client.request(method, f"{URL}{path}", params={"layout_id": layout_id}, headers=headers, json={})
    assert (response.status_code != 401) is allowed, response.text
