"""User groups over HTTP: groups of users, roles, territories and other groups, their sources and
counts, deletion jobs, and the groups a user is in, against Zoho's user_groups.json."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import USER_GROUP_ALLOWANCES
from tests.support.oas import schema_errors, validate_response
from tests.support.people import add_person
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

G = "/crm/v8/settings/user_groups"
OAS = "user_groups.json"


def check(response: httpx.Response, path: str, method: str) -> None:
    validate_response(response, OAS, f"/crm/v8{path}", method, allow=USER_GROUP_ALLOWANCES)


def conforms(body: Any, pointer: str) -> None:
    """A 200 the file documents as UnsupportedVersionResponse (an erratum), checked against the
    schema that describes it."""
    errors = schema_errors(body, OAS, pointer, USER_GROUP_ALLOWANCES)
    assert not errors, errors


def role_ids(api: TestClient) -> dict[str, str]:
    return {r["name"]: r["id"] for r in api.get("/crm/v8/settings/roles").json()["roles"]}


def me(api: TestClient) -> str:
    return str(api.get("/crm/v8/users", params={"type": "CurrentUser"}).json()["users"][0]["id"])


def create(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.post(G, json={"user_groups": list(items)})


def new(api: TestClient, name: str, *sources: dict[str, Any], **extra: Any) -> str:
    response = create(api, {"name": name, "sources": list(sources), **extra})
    assert response.status_code == 201, response.text
    check(response, "/settings/user_groups", "POST")
    return str(response.json()["user_groups"][0]["details"]["id"])


def user(user_id: str) -> dict[str, Any]:
    return {"type": "users", "source": {"id": user_id}}


def first(response: httpx.Response) -> dict[str, Any]:
    item: dict[str, Any] = response.json()["user_groups"][0]
    return item


def test_a_group_of_a_user_and_a_role_with_subordinates_reads_back_with_its_sources(api: TestClient) -> None:
    ceo = role_ids(api)["CEO"]
    made = new(api, "Sales Team", user(me(api)), {"type": "roles", "source": {"id": ceo}, "subordinates": True})
    response = api.get(f"{G}/{made}")
    assert response.status_code == 200, response.text
    conforms(response.json(), "/components/schemas/Response_Wrapper")
    (group,) = response.json()["user_groups"]
    assert group["name"] == "Sales Team"
    assert [s["type"] for s in group["sources"]] == ["users", "roles"]
    assert group["sources"][1]["source"] == {"id": ceo, "name": "CEO"}
    assert group["sources"][1]["subordinates"] is True
    assert group["sources_count"] == {
        "territories": 0,
        "roles": 1,
        "groups": 0,
        "users": {"inactive": 0, "deleted": 0, "active": 1},
    }


@pytest.mark.parametrize(
    ("item", "code", "key"),
    [
        ({"sources": "@me"}, "MANDATORY_NOT_FOUND", "name"),
        ({"name": "A"}, "MANDATORY_NOT_FOUND", "sources"),
        ({"name": "A", "sources": []}, "MANDATORY_NOT_FOUND", "sources"),
        ({"name": 5, "sources": "@me"}, "INVALID_DATA", "name"),
        ({"name": "A", "sources": [{"type": "people", "source": {"id": "1"}}]}, "INVALID_DATA", "type"),
        ({"name": "A", "sources": [{"type": "users"}]}, "MANDATORY_NOT_FOUND", "source"),
        ({"name": "A", "sources": [{"type": "users", "source": {"id": "123"}}]}, "INVALID_DATA", "id"),
        ({"name": "A", "sources": [{"type": "roles", "source": {"id": "123"}}]}, "INVALID_DATA", "id"),
        ({"name": "A", "sources": "@me", "description": "x" * 251}, "INVALID_DATA", "description"),
    ],
)
def test_a_create_item_is_refused_at_the_key_at_fault(
    api: TestClient, item: dict[str, Any], code: str, key: str
) -> None:
    item = {k: ([user(me(api))] if v == "@me" else v) for k, v in item.items()}
    response = create(api, item)
    assert response.status_code == 400, response.text
    check(response, "/settings/user_groups", "POST")
    assert (first(response)["code"], first(response)["details"]["api_name"]) == (code, key)


def test_an_unknown_user_source_has_zohos_message_and_path(api: TestClient) -> None:
    response = create(api, {"name": "A", "sources": [user("123")]})
    assert first(response)["message"] == "The User Id given seems to be Invalid"
    assert first(response)["details"]["json_path"] == "$.user_groups[0].source[0].id"


def test_names_are_unique_regardless_of_case(api: TestClient) -> None:
    new(api, "Group One", user(me(api)))
    response = create(api, {"name": "group one", "sources": [user(me(api))]})
    assert (first(response)["code"], first(response)["message"]) == (
        "DUPLICATE_DATA",
        "A user group with the same name already exists.",
    )


def test_the_list_filters_by_name_and_includes_counts_on_request(api: TestClient) -> None:
    new(api, "Alpha", user(me(api)))
    new(api, "Beta", user(me(api)))
    plain = api.get(G)
    assert plain.status_code == 200, plain.text
    assert "sources" not in plain.json()["user_groups"][0]
    counted = api.get(G, params={"include": "sources_count,sources"})
    conforms(counted.json(), "/components/schemas/Response_Wrapper")
    starts = json.dumps({"field": {"api_name": "name"}, "comparator": "starts_with", "value": "al"})
    assert [g["name"] for g in api.get(G, params={"filters": starts}).json()["user_groups"]] == ["Alpha"]
    assert [g["name"] for g in api.get(G, params={"name": "beta"}).json()["user_groups"]] == ["Beta"]
    assert api.get(G, params={"include": "everything"}).json()["code"] == "INVALID_DATA"


def test_update_renames_and_replaces_the_sources(api: TestClient, emulator: Emulator) -> None:
    rep = add_person(emulator, "rep@zylker.example")["id"]
    made = new(api, "Team", user(me(api)))
    response = api.put(f"{G}/{made}", json={"user_groups": [{"name": "Team 2", "sources": [user(rep)]}]})
    assert response.status_code == 200, response.text
    check(response, "/settings/user_groups/{group}", "PUT")
    assert first(response)["message"] == "User group updated successfully"
    sources = api.get(f"{G}/{made}/sources")
    conforms(sources.json(), "/components/responses/Sources/content/application~1json/schema")
    assert [s["source"]["id"] for s in sources.json()["sources"]] == [rep]
    bulk = api.put(G, json={"user_groups": [{"id": made, "description": "d"}, {"id": "42", "name": "x"}]})
    assert bulk.status_code == 207, bulk.text


def test_sources_filter_by_type_and_refuse_an_unknown_type(api: TestClient) -> None:
    made = new(api, "Mixed", user(me(api)), {"type": "roles", "source": {"id": role_ids(api)["CEO"]}})
    roles = api.get(f"{G}/{made}/sources", params={"type": "roles"})
    assert [s["type"] for s in roles.json()["sources"]] == ["roles"]
    refused = api.get(f"{G}/{made}/sources", params={"type": "people"})
    assert refused.json() == {
        "code": "PATTERN_NOT_MATCHED",
        "details": {"regex": "users|roles|groups|territories", "param_name": "type"},
        "message": "invalid data",
        "status": "error",
    }


def test_a_group_inside_a_group_counts_its_members_and_is_an_association(api: TestClient, emulator: Emulator) -> None:
    rep = add_person(emulator, "rep@zylker.example")["id"]
    inner = new(api, "Inner", user(rep))
    outer = new(api, "Outer", user(me(api)), {"type": "groups", "source": {"id": inner}})
    counts = api.get(f"{G}/{outer}/actions/sources_count").json()["sources_count"][0]
    assert (counts["groups"], counts["users"]["active"]) == (1, 2)
    associations = api.get(f"{G}/{inner}/actions/associations")
    assert associations.status_code == 200, associations.text
    check(associations, "/settings/user_groups/{group}/actions/associations", "GET")
    assert associations.json()["associations"][0]["resource"]["id"] == outer
    users = api.get(f"{G}/actions/associated_users_count").json()["associated_users_count"]
    assert {row["user_group"]["id"]: row["count"] for row in users} == {inner: 1, outer: 2}
    grouped = api.get(f"{G}/{outer}/associated_users/actions/grouped_counts", params={"group_by": "status"})
    assert grouped.json()["grouped_counts"] == [{"status": "active", "count": 2}]
    assert api.get(f"{G}/{outer}/associated_users/actions/grouped_counts").json()["code"] == "REQUIRED_PARAM_MISSING"


def test_a_territory_source_reaches_its_users_and_sub_territories(api: TestClient, emulator: Emulator) -> None:
    rep = add_person(emulator, "rep@zylker.example")["id"]
    territories = "/crm/v8/settings/territories"
    top = api.get(territories).json()["territories"][0]["id"]
    item = {"name": "Spain", "reporting_to": {"id": top}, "permission_type": "read_only"}
    spain = api.post(territories, json={"territories": [item]}).json()["territories"][0]["details"]["id"]
    api.put(f"{territories}/{spain}/users", json={"users": [{"id": rep}]})
    shallow = new(api, "Top only", {"type": "territories", "source": {"id": top}})
    deep = new(api, "Top and below", {"type": "territories", "source": {"id": top}, "sub_territories": True})
    groups = api.get(f"/crm/v8/users/{rep}/actions/associated_groups")
    assert groups.status_code == 200, groups.text
    assert [g["id"] for g in groups.json()["user_groups"]] == [deep]
    unassigned = api.post(
        f"{G}/actions/get_unassigned", json={"get_unassigned": {"feature": "user_groups", "related_entity_id": rep}}
    )
    assert [g["id"] for g in unassigned.json()["user_groups"]] == [shallow]
    assigned = api.post(
        f"{G}/actions/get_assigned", json={"get_assigned": {"feature": "user_groups", "related_entity_id": rep}}
    )
    assert [g["id"] for g in assigned.json()["user_groups"]] == [deep]


def test_get_assigned_checks_its_body(api: TestClient) -> None:
    missing = api.post(f"{G}/actions/get_assigned", json={})
    assert missing.json()["code"] == "MANDATORY_NOT_FOUND"
    feature = api.post(f"{G}/actions/get_assigned", json={"get_assigned": {"feature": "x", "related_entity_id": "1"}})
    assert feature.json()["details"]["supported_values"] == ["user_groups"]


def test_delete_is_scheduled_and_its_job_reads_completed(api: TestClient) -> None:
    made = new(api, "Doomed", user(me(api)))
    response = api.delete(f"{G}/{made}")
    assert response.status_code == 200, response.text
    check(response, "/settings/user_groups/{group}", "DELETE")
    result = first(response)
    assert (result["code"], result["message"]) == ("SCHEDULED", "User group deletion has been scheduled")
    job = api.get(f"{G}/actions/deletion_jobs", params={"job_id": result["details"]["job_id"]})
    assert job.json() == {"deletion_jobs": [{"Status": "completed"}]}
    conforms(job.json(), "/components/schemas/JobsWrapper")
    assert api.get(f"{G}/{made}").status_code == 204
    gone = api.delete(f"{G}/{made}")
    assert gone.json() == {
        "code": "INVALID_DATA",
        "details": {"resource_path_index": 2},
        "message": "The provided group ID is invalid.",
        "status": "error",
    }
    assert api.get(f"{G}/actions/deletion_jobs").json()["code"] == "REQUIRED_PARAM_MISSING"
