"""Scoring rules over HTTP: create, list, update, delete, status, clone and execution, the scores it
stores (``/Entity_Scores__s``), against Zoho's scoring_rules.json and entity_scores.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import ENTITY_SCORE_ALLOWANCES, SCORING_RULE_ALLOWANCES
from tests.support.modules import set_edition
from tests.support.oas import validate_response
from tests.support.records import insert_one
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

BASE = "/crm/v8/settings/automation/scoring_rules"
OAS = "scoring_rules.json"
SCORES = "/crm/v8/Entity_Scores__s"
ALL_FIELDS = "Score,Positive_Score,Negative_Score,Touch_Point_Score,Scoring_Rule"


def check(response: httpx.Response, path: str, method: str) -> None:
    validate_response(response, OAS, f"/crm/v8{path}", method, allow=SCORING_RULE_ALLOWANCES)


def check_scores(response: httpx.Response, path: str = "/Entity_Scores__s") -> None:
    validate_response(response, "entity_scores.json", f"/crm/v8{path}", "GET", allow=ENTITY_SCORE_ALLOWANCES)


def leaf(field: str, comparator: str, value: Any) -> dict[str, Any]:
    return {"field": {"api_name": field}, "comparator": comparator, "value": value}


def rule_item(name: str = "Hot leads", module: str = "Leads", **extra: Any) -> dict[str, Any]:
    field_rules = [
        {"score": 10, "criteria": leaf("Lead_Source", "equal", "Advertisement")},
        {"score": -5, "criteria": leaf("Company", "equal", "Zylker")},
    ]
    if module != "Leads":
        field_rules = [{"score": 1, "criteria": leaf("Description", "contains", "vip")}]
    item: dict[str, Any] = {"name": name, "module": {"api_name": module}, "field_rules": field_rules}
    return {**item, **extra}


def create(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.post(BASE, json={"scoring_rules": list(items)})


def new_rule(api: TestClient, **extra: Any) -> str:
    response = create(api, rule_item(**extra))
    assert response.status_code == 201, response.text
    check(response, "/settings/automation/scoring_rules", "POST")
    return str(response.json()["scoring_rules"][0]["details"]["id"])


def get_rule(api: TestClient, rule_id: str) -> dict[str, Any]:
    response = api.get(f"{BASE}/{rule_id}")
    assert response.status_code == 200, response.text
    check(response, "/settings/automation/scoring_rules/{id}", "GET")
    rule: dict[str, Any] = response.json()["scoring_rules"][0]
    return rule


def first(response: httpx.Response) -> dict[str, Any]:
    item: dict[str, Any] = response.json()["scoring_rules"][0]
    return item


def run(api: TestClient, module: str = "Leads", body: dict[str, Any] | None = None) -> httpx.Response:
    return (
        api.put(f"/crm/v8/{module}/actions/run_scoring_rules", json=body)
        if body
        else api.put(f"/crm/v8/{module}/actions/run_scoring_rules")
    )


def scores(api: TestClient, **params: str) -> list[dict[str, Any]]:
    response = api.get(SCORES, params={"fields": ALL_FIELDS, **params})
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.text
    check_scores(response)
    data: list[dict[str, Any]] = response.json()["data"]
    return data


# --- create ----------------------------------------------------------------------------------------
def test_a_created_rule_is_shown_with_its_module_entries_and_stamps(api: TestClient) -> None:
    rule_id = new_rule(api, description="Leads from ads")
    rule = get_rule(api, rule_id)
    assert rule["name"] == "Hot leads" and rule["description"] == "Leads from ads"
    assert rule["module"]["api_name"] == "Leads" and rule["layout"] is None and rule["active"] is True
    assert [entry["score"] for entry in rule["field_rules"]] == [10, -5]
    assert rule["field_rules"][0]["criteria"]["field"]["api_name"] == "Lead_Source"
    assert rule["field_rules"][0]["criteria"]["field"]["id"]
    assert all(entry["id"] for entry in rule["field_rules"]) and rule["signal_rules"] == []
    assert rule["created_by"]["id"] and rule["created_time"]


@pytest.mark.parametrize(
    ("change", "code", "details"),
    [
        ({"name": None}, "MANDATORY_NOT_FOUND", {"api_name": "name"}),
        ({"name": "x" * 26}, "INVALID_DATA", {"api_name": "name", "maximum_length": 25}),
        ({"name": 7}, "INVALID_DATA", {"api_name": "name", "expected_data_type": "string"}),
        ({"description": "d" * 501}, "INVALID_DATA", {"api_name": "description", "maximum_length": 500}),
        ({"module": None}, "MANDATORY_NOT_FOUND", {"api_name": "module"}),
        ({"module": {"api_name": "Tasks"}}, "INVALID_DATA", {"api_name": "module"}),
        ({"module": {"api_name": "Nope"}}, "INVALID_DATA", {"api_name": "module"}),
        ({"layout": {"id": "111"}}, "INVALID_DATA", {"api_name": "layout"}),
        ({"active": "yes"}, "INVALID_DATA", {"api_name": "active", "expected_data_type": "boolean"}),
        ({"field_rules": {}}, "INVALID_DATA", {"api_name": "field_rules", "expected_data_type": "jsonarray"}),
        ({"field_rules": [{"criteria": leaf("Company", "equal", "x")}]}, "MANDATORY_NOT_FOUND", {"api_name": "score"}),
        (
            {"field_rules": [{"score": "5", "criteria": leaf("Company", "equal", "x")}]},
            "INVALID_DATA",
            {"api_name": "score"},
        ),
        ({"field_rules": [{"score": 5}]}, "MANDATORY_NOT_FOUND", {"api_name": "criteria"}),
        (
            {"field_rules": [{"score": True, "criteria": leaf("Company", "equal", "x")}]},
            "INVALID_DATA",
            {"api_name": "score"},
        ),
        (
            {"field_rules": [{"score": 2**31, "criteria": leaf("Company", "equal", "x")}]},
            "INVALID_DATA",
            {"api_name": "score"},
        ),
        (
            {"field_rules": [{"score": 1, "criteria": leaf("Company", "nope", "x")}]},
            "INVALID_DATA",
            {"api_name": "comparator"},
        ),
        ({"signal_rules": [{"score": 1, "signal": {"namespace": "Email"}}]}, "MANDATORY_NOT_FOUND", {"api_name": "id"}),
        (
            {"field_rules": [{"score": 5, "criteria": leaf("Nope", "equal", "x")}]},
            "INVALID_DATA",
            {"api_name": "field"},
        ),
    ],
)
def test_a_create_refuses_what_the_rules_forbid(
    api: TestClient, change: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    item = {**rule_item(), **change}
    item = {k: v for k, v in item.items() if v is not None}
    response = create(api, item)
    assert response.status_code == 400, response.text
    check(response, "/settings/automation/scoring_rules", "POST")
    error = first(response)
    assert error["code"] == code, error
    assert details.items() <= error["details"].items(), error


def test_a_rule_needs_field_rules_or_signal_rules(api: TestClient) -> None:
    response = create(api, {"name": "Empty", "module": {"api_name": "Leads"}})
    assert response.status_code == 400
    check(response, "/settings/automation/scoring_rules", "POST")
    assert first(response)["code"] == "EXPECTED_FIELD_MISSING"


def test_names_are_unique_within_a_module_whatever_their_case(api: TestClient) -> None:
    new_rule(api)
    duplicate = create(api, rule_item(name="HOT LEADS"))
    assert duplicate.status_code == 400
    check(duplicate, "/settings/automation/scoring_rules", "POST")
    assert first(duplicate)["code"] == "DUPLICATE_DATA"
    assert create(api, rule_item(name="Hot leads", module="Contacts")).status_code == 201


def test_signal_rules_only_on_people_modules(api: TestClient) -> None:
    signal = {"score": 3, "signal": {"namespace": "Email", "id": "111"}}
    assert create(api, rule_item(name="Deals", module="Deals", signal_rules=[signal])).status_code == 400
    rule_id = new_rule(api, signal_rules=[signal])
    shown = get_rule(api, rule_id)["signal_rules"]
    assert shown[0]["signal"] == {"namespace": "Email", "id": "111"} and shown[0]["score"] == 3


def test_the_edition_limits_rules_per_module_and_active_ones(
    api: TestClient, client: TestClient, emulator: Emulator
) -> None:
    set_edition(client, emulator, "standard")  # one rule per module, one active
    new_rule(api)
    second = create(api, rule_item(name="Another"))
    assert second.status_code == 400
    check(second, "/settings/automation/scoring_rules", "POST")
    assert first(second)["code"] == "LIMIT_EXCEEDED" and first(second)["details"]["limit"] == 1
    criteria = [{"score": 1, "criteria": leaf("Description", "equal", str(n))} for n in range(11)]
    response = create(api, rule_item(module="Contacts", field_rules=criteria))
    assert first(response)["details"] == {
        "api_name": "field_rules",
        "json_path": "$.scoring_rules[0].field_rules",
        "limit": 10,
    }


def test_a_batch_answers_each_item_and_207_when_mixed(api: TestClient) -> None:
    response = create(api, rule_item(name="One"), rule_item(name="One"))
    assert response.status_code == 207
    assert [item["code"] for item in response.json()["scoring_rules"]] == ["SUCCESS", "DUPLICATE_DATA"]


# --- reads ----------------------------------------------------------------------------------------
def test_the_list_filters_by_module_status_and_name(api: TestClient) -> None:
    leads = new_rule(api)
    contacts = new_rule(api, name="Contacts rule", module="Contacts", active=False)
    response = api.get(BASE)
    check(response, "/settings/automation/scoring_rules", "GET")
    assert [r["id"] for r in response.json()["scoring_rules"]] == [leads, contacts]
    assert response.json()["info"]["count"] == 2
    assert [r["id"] for r in api.get(BASE, params={"module": "Contacts"}).json()["scoring_rules"]] == [contacts]
    assert [r["id"] for r in api.get(BASE, params={"active": "true"}).json()["scoring_rules"]] == [leads]
    assert [r["id"] for r in api.get(BASE, params={"name": "hot leads"}).json()["scoring_rules"]] == [leads]
    assert api.get(BASE, params={"name": "other"}).status_code == 204
    assert api.get(BASE, params={"module": "Nope"}).json()["code"] == "INVALID_MODULE"
    assert api.get(BASE, params={"active": "maybe"}).status_code == 400


def test_the_list_pages(api: TestClient) -> None:
    ids = [new_rule(api, name=f"Rule {n}") for n in range(3)]
    second = api.get(BASE, params={"per_page": "2", "page": "2"}).json()
    assert [r["id"] for r in second["scoring_rules"]] == ids[2:] and second["info"]["more_records"] is False


def test_no_rules_is_204(api: TestClient) -> None:
    assert api.get(BASE).status_code == 204


def test_an_unknown_path_id_is_invalid_data_at_its_segment(api: TestClient) -> None:
    for response in (
        api.get(f"{BASE}/111"),
        api.delete(f"{BASE}/111"),
        api.put(f"{BASE}/111/actions/activate"),
        api.post(f"{BASE}/abc/actions/clone"),
    ):
        assert response.status_code == 400
        assert response.json() == {
            "code": "INVALID_DATA",
            "details": {"resource_path_index": 3},
            "message": "invalid data",
            "status": "error",
        }


# --- update ----------------------------------------------------------------------------------------
def test_an_update_changes_entries_adds_and_deletes_them_and_keeps_module_and_status(api: TestClient) -> None:
    rule_id = new_rule(api)
    entries = get_rule(api, rule_id)["field_rules"]
    body = {
        "scoring_rules": [
            {
                "name": "Renamed",
                "module": {"api_name": "Contacts"},
                "active": False,
                "field_rules": [
                    {"id": entries[0]["id"], "score": 20},
                    {"id": entries[1]["id"], "_delete": None},
                    {"score": 1, "criteria": leaf("Email", "contains", "zylker")},
                ],
            }
        ]
    }
    response = api.put(f"{BASE}/{rule_id}", json=body)
    assert response.status_code == 200, response.text
    check(response, "/settings/automation/scoring_rules/{id}", "PUT")
    rule = get_rule(api, rule_id)
    assert rule["name"] == "Renamed" and rule["module"]["api_name"] == "Leads" and rule["active"] is True
    assert [(e["score"], e["criteria"]["field"]["api_name"]) for e in rule["field_rules"]] == [
        (20, "Lead_Source"),
        (1, "Email"),
    ]
    assert rule["field_rules"][0]["id"] == entries[0]["id"]


def test_an_update_by_body_ids_answers_per_item(api: TestClient) -> None:
    rule_id = new_rule(api)
    body = {"scoring_rules": [{"id": rule_id, "description": "new"}, {"name": "x"}, {"id": "111", "name": "y"}]}
    response = api.put(BASE, json=body)
    assert response.status_code == 207
    assert [i["code"] for i in response.json()["scoring_rules"]] == ["SUCCESS", "MANDATORY_NOT_FOUND", "INVALID_DATA"]
    assert get_rule(api, rule_id)["description"] == "new"


def test_an_update_naming_an_entry_the_rule_lacks_is_refused(api: TestClient) -> None:
    rule_id = new_rule(api)
    body = {"scoring_rules": [{"field_rules": [{"id": "111", "score": 2}]}]}
    response = api.put(f"{BASE}/{rule_id}", json=body)
    assert response.status_code == 400
    assert first(response)["details"]["json_path"] == "$.scoring_rules[0].field_rules[0].id"


# --- delete, status, clone -------------------------------------------------------------------------
def test_delete_many_needs_ids_that_all_name_rules(api: TestClient) -> None:
    one, two = new_rule(api), new_rule(api, name="Two")
    missing = api.delete(BASE)
    assert missing.status_code == 400 and missing.json()["code"] == "REQUIRED_PARAM_MISSING"
    check(missing, "/settings/automation/scoring_rules", "DELETE")
    unknown = api.delete(BASE, params={"ids": f"{one},111"})
    assert unknown.json()["details"] == {"param_name": "ids"}
    check(unknown, "/settings/automation/scoring_rules", "DELETE")
    response = api.delete(BASE, params={"ids": f"{one},{two}"})
    assert response.status_code == 200
    check(response, "/settings/automation/scoring_rules", "DELETE")
    assert api.get(BASE).status_code == 204


def test_deleting_one_rule_drops_its_scores(api: TestClient) -> None:
    rule_id = new_rule(api)
    insert_one(api, "Leads", {"Last_Name": "Ad", "Company": "Acme", "Lead_Source": "Advertisement"})
    run(api)
    assert scores(api)
    response = api.delete(f"{BASE}/{rule_id}")
    assert response.status_code == 200
    check(response, "/settings/automation/scoring_rules/{id}", "DELETE")
    assert scores(api) == []


def test_activation_respects_the_active_limit(api: TestClient, client: TestClient, emulator: Emulator) -> None:
    rule_id = new_rule(api, active=False)
    response = api.put(f"{BASE}/{rule_id}/actions/activate")
    assert response.status_code == 200
    check(response, "/settings/automation/scoring_rules/{id}/actions/activate", "PUT")
    assert get_rule(api, rule_id)["active"] is True
    off = api.delete(f"{BASE}/{rule_id}/actions/activate")
    check(off, "/settings/automation/scoring_rules/{id}/actions/activate", "DELETE")
    assert get_rule(api, rule_id)["active"] is False
    set_edition(client, emulator, "professional")
    other = new_rule(api, name="Other", module="Contacts")
    assert api.put(f"{BASE}/{other}/actions/activate").status_code == 200  # already active: no new one
    third = create(api, rule_item(name="Third", module="Deals"))
    assert third.status_code == 201
    assert api.put(f"{BASE}/{rule_id}/actions/activate").status_code == 200  # Leads: its own module's only


def test_a_second_active_rule_past_the_limit_is_refused(
    api: TestClient, client: TestClient, emulator: Emulator
) -> None:
    set_edition(client, emulator, "enterprise")
    ids = [new_rule(api, name=f"R{n}") for n in range(25)]
    over = create(api, rule_item(name="R25"))
    assert first(over)["code"] == "ACTIVE_STATE_LIMIT_EXCEEDED"
    inactive = new_rule(api, name="Idle", active=False)
    refused = api.put(f"{BASE}/{inactive}/actions/activate")
    assert refused.status_code == 400 and refused.json()["code"] == "ACTIVE_STATE_LIMIT_EXCEEDED"
    assert len(ids) == 25


def test_a_clone_is_an_active_copy_under_a_new_name(api: TestClient) -> None:
    rule_id = new_rule(api, active=False)
    response = api.post(f"{BASE}/{rule_id}/actions/clone")
    assert response.status_code == 200, response.text
    check(response, "/settings/automation/scoring_rules/{id}/actions/clone", "POST")
    copy = get_rule(api, first(response)["details"]["id"])
    original = get_rule(api, rule_id)
    assert copy["name"] == "Hot leads copy" and copy["active"] is True
    assert [e["criteria"] for e in copy["field_rules"]] == [e["criteria"] for e in original["field_rules"]]
    assert {e["id"] for e in copy["field_rules"]}.isdisjoint(e["id"] for e in original["field_rules"])
    again = api.post(f"{BASE}/{rule_id}/actions/clone")
    assert get_rule(api, first(again)["details"]["id"])["name"] == "Hot leads copy 2"


# --- execution and entity scores -------------------------------------------------------------------
def test_executing_scores_each_record_by_the_field_rules_it_meets(api: TestClient) -> None:
    rule_id = new_rule(api)
    both = insert_one(api, "Leads", {"Last_Name": "Both", "Company": "Zylker", "Lead_Source": "Advertisement"})
    ad = insert_one(api, "Leads", {"Last_Name": "Ad", "Company": "Acme", "Lead_Source": "Advertisement"})
    none = insert_one(api, "Leads", {"Last_Name": "None", "Company": "Acme"})
    response = run(api)
    assert response.status_code == 200, response.text
    check(response, "/{module}/actions/run_scoring_rules", "PUT")
    assert first(response)["details"]["id"] == rule_id
    by_record = {s["Entity"]["id"]: s for s in scores(api)}
    assert (by_record[both]["Positive_Score"], by_record[both]["Negative_Score"], by_record[both]["Score"]) == (
        10,
        -5,
        5,
    )
    assert by_record[ad]["Score"] == 10 and by_record[none]["Score"] == 0
    assert by_record[ad]["Touch_Point_Score"] == 0  # a people module: signals give 0
    assert by_record[ad]["Scoring_Rule"] == {"name": "Hot leads", "id": rule_id}
    assert by_record[ad]["Entity"]["module"]["api_name"] == "Leads"


def test_active_rules_score_records_as_they_are_created_and_edited(api: TestClient) -> None:
    new_rule(api)
    lead = insert_one(api, "Leads", {"Last_Name": "Ad", "Company": "Acme", "Lead_Source": "Advertisement"})
    (only,) = scores(api)
    assert only["Entity"]["id"] == lead and only["Score"] == 10
    api.put(f"/crm/v8/Leads/{lead}", json={"data": [{"Company": "Zylker"}]})
    (only,) = scores(api)
    assert only["Score"] == 5 and (only["Positive_Score"], only["Negative_Score"]) == (10, -5)


def test_inactive_rules_score_nothing_until_run(api: TestClient) -> None:
    rule_id = new_rule(api, active=False)
    insert_one(api, "Leads", {"Last_Name": "Ad", "Company": "Acme", "Lead_Source": "Advertisement"})
    assert scores(api) == []
    refused = run(api, body={"scoring_rules": [{"id": rule_id}]})
    assert refused.status_code == 400
    api.put(f"{BASE}/{rule_id}/actions/activate")
    assert run(api).status_code == 200
    assert [s["Score"] for s in scores(api)] == [10]


def test_execution_by_rule_ids_needs_active_rules_of_the_module(api: TestClient) -> None:
    active = new_rule(api)
    idle = new_rule(api, name="Idle", active=False)
    other = new_rule(api, name="Other", module="Contacts")
    insert_one(api, "Leads", {"Last_Name": "Ad", "Company": "Acme", "Lead_Source": "Advertisement"})
    for rule_id in (idle, other, "111"):
        refused = run(api, body={"scoring_rules": [{"id": rule_id}]})
        assert refused.status_code == 400 and refused.json()["code"] == "INVALID_DATA", refused.text
    six = run(api, body={"scoring_rules": [{"id": active}] * 6})
    assert six.json()["code"] == "LIMIT_EXCEEDED"
    response = run(api, body={"scoring_rules": [{"id": active}]})
    assert [item["details"]["id"] for item in response.json()["scoring_rules"]] == [active]


def test_a_layout_rule_scores_only_its_layouts_records(api: TestClient) -> None:
    layout = api.get("/crm/v8/settings/layouts", params={"module": "Leads"}).json()["layouts"][0]["id"]
    rule_id = new_rule(api, layout={"id": layout})
    assert get_rule(api, rule_id)["layout"]["id"] == layout
    lead = insert_one(api, "Leads", {"Last_Name": "Ad", "Company": "Acme", "Lead_Source": "Advertisement"})
    by_layout = run(api, body={"layout_id": layout})
    assert [i["details"]["id"] for i in by_layout.json()["scoring_rules"]] == [rule_id]
    assert [s["Entity"]["id"] for s in scores(api)] == [lead]
    assert run(api, body={"layout_id": "111"}).json()["scoring_rules"] == []


def test_a_run_on_a_module_without_scoring_is_invalid_data_at_the_module(api: TestClient) -> None:
    response = run(api, module="Tasks")
    assert response.status_code == 400
    assert response.json()["details"] == {"resource_path_index": 0}
    check(response, "/{module}/actions/run_scoring_rules", "PUT")


def test_non_people_modules_have_null_touch_point_scores(api: TestClient) -> None:
    item = rule_item(
        name="Big deals", module="Deals", field_rules=[{"score": 7, "criteria": leaf("Amount", "greater_than", 1000)}]
    )
    assert create(api, item).status_code == 201
    insert_one(api, "Deals", {"Deal_Name": "Big", "Stage": "Qualification", "Amount": 5000})
    run(api, module="Deals")
    (only,) = scores(api)
    assert only["Score"] == 7 and only["Touch_Point_Score"] is None and only["Entity"]["name"] == "Big"


def test_entity_scores_need_fields_and_show_only_those_asked_for(api: TestClient) -> None:
    new_rule(api)
    lead = insert_one(api, "Leads", {"Last_Name": "Ad", "Company": "Acme", "Lead_Source": "Advertisement"})
    run(api)
    missing = api.get(SCORES)
    assert missing.status_code == 400 and missing.json()["code"] == "REQUIRED_PARAM_MISSING"
    check_scores(missing)
    response = api.get(SCORES, params={"fields": "Score"})
    assert set(response.json()["data"][0]) == {"Score", "Entity", "id"}
    one = api.get(f"{SCORES}/{lead}", params={"fields": "Score"})
    assert one.status_code == 200
    check_scores(one, "/Entity_Scores__s/{record_id}")
    score_id = one.json()["data"][0]["id"]
    assert api.get(f"{SCORES}/{score_id}", params={"fields": "Score"}).json()["data"][0]["Entity"]["id"] == lead
    assert api.get(f"{SCORES}/111", params={"fields": "Score"}).status_code == 204
    assert [s["id"] for s in scores(api, ids=score_id)] == [score_id]
    assert scores(api, ids="111") == []


def test_a_deleted_record_has_no_score_shown(api: TestClient) -> None:
    new_rule(api)
    lead = insert_one(api, "Leads", {"Last_Name": "Ad", "Company": "Acme", "Lead_Source": "Advertisement"})
    run(api)
    api.delete(f"/crm/v8/Leads/{lead}")
    assert scores(api) == []


def test_scoring_rules_need_their_scope(client: TestClient, make_token: Any) -> None:
    token = make_token(scopes=["ZohoCRM.settings.scoring_rules.READ"])
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    assert client.get(BASE, headers=headers).status_code == 204
    refused = client.post(BASE, headers=headers, json={"scoring_rules": [rule_item()]})
    assert refused.status_code == 401 and refused.json()["code"] == "OAUTH_SCOPE_MISMATCH"
    scores_token = make_token(scopes=["ZohoCRM.modules.entity_scores.READ"])
    response = client.get(
        SCORES, params={"fields": "Score"}, headers={"Authorization": f"Zoho-oauthtoken {scores_token}"}
    )
    assert response.status_code == 204


def test_entity_scores_sort_and_answer_304_when_nothing_changed_since(api: TestClient) -> None:
    new_rule(api)
    first_lead = insert_one(api, "Leads", {"Last_Name": "A", "Company": "Acme"})
    second_lead = insert_one(api, "Leads", {"Last_Name": "B", "Company": "Acme"})
    ascending = [s["Entity"]["id"] for s in scores(api, sort_order="asc")]
    assert ascending == [first_lead, second_lead]
    assert [s["Entity"]["id"] for s in scores(api, sort_order="desc")] == [second_lead, first_lead]
    assert api.get(SCORES, params={"fields": "Score", "sort_order": "up"}).status_code == 400
    later = api.get(SCORES, params={"fields": "Score"}, headers={"If-Modified-Since": "2099-01-01T00:00:00+00:00"})
    assert later.status_code == 304


def test_delete_many_takes_at_most_ten_ids(api: TestClient) -> None:
    response = api.delete(BASE, params={"ids": ",".join(str(111 + n) for n in range(11))})
    assert response.status_code == 400 and response.json()["code"] == "INVALID_DATA"


def test_a_group_criterion_scores_records_meeting_any_or_all_of_it(api: TestClient) -> None:
    either = {"group_operator": "or", "group": [leaf("Company", "equal", "Acme"), leaf("Company", "equal", "Zylker")]}
    rule_id = new_rule(api, field_rules=[{"score": 4, "criteria": either}])
    shown = get_rule(api, rule_id)["field_rules"][0]["criteria"]
    assert shown["group_operator"] == "OR" and [c["value"] for c in shown["group"]] == ["Acme", "Zylker"]
    acme = insert_one(api, "Leads", {"Last_Name": "A", "Company": "Acme"})
    other = insert_one(api, "Leads", {"Last_Name": "B", "Company": "Other"})
    by_record = {s["Entity"]["id"]: s["Score"] for s in scores(api)}
    assert by_record == {acme: 4, other: 0}
    lonely = {"group_operator": "AND", "group": [leaf("Company", "equal", "Acme")]}
    refused = create(api, rule_item(name="Lonely", field_rules=[{"score": 1, "criteria": lonely}]))
    assert refused.status_code == 400 and first(refused)["code"] == "INVALID_DATA"
