"""``POST /__composite_requests`` over HTTP, on SQLite and PostgreSQL (composite_requests.json)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.support.oas import Allowance, schema_errors, validate_response
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.events import RecordEvent

pytestmark = pytest.mark.usefixtures("both_backends")

V8 = "/crm/v8"
URL = f"{V8}/__composite_requests"
OAS = ("composite_requests.json", "/crm/v8/__composite_requests", "POST")
COMPOSITE_SCOPE = "ZohoCRM.composite_requests.CUSTOM"
ROLLBACK_MESSAGE = "the transaction was rolled back since another sub request in the same transaction failed."
# Zoho's own rollback sample answers 400 with the failing sub-request's SUCCESS item among the errors;
# the file's 400 allows error items only.
ROLLBACK_ITEM = Allowance("$.__composite_requests.*.status", "enum", "Zoho's 'Sample Response for a rollback'")
NAMES = {"fields": "Last_Name"}
ROLLBACK_CODE = Allowance("$.__composite_requests.*.code", "enum", "Zoho's 'Sample Response for a rollback'")


@pytest.fixture
def api(client: TestClient, make_token: TokenFactory) -> Iterator[TestClient]:
    scopes = [*ALL_SCOPES, COMPOSITE_SCOPE, "ZohoCRM.coql.READ"]
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token(scopes=scopes)}"
    yield client


def conforms(response: httpx.Response, allow: list[Allowance] | None = None) -> None:
    """The answer as composite_requests.json has it: its 400 schema; for 200 and 207, which the file
    leaves without one, each item against the file's own ``success`` or ``error`` schema."""
    if response.status_code == 400:
        validate_response(response, *OAS, allow=allow or [])
        return
    assert response.status_code in (200, 207), response.text
    for item in items(response):
        schema = "success" if item["status"] == "success" else "error"
        errors = schema_errors(item, OAS[0], f"/components/schemas/{schema}", allow or [], set())
        assert not errors, errors


def sub(method: str, uri: str, sub_request_id: str | None = None, **keys: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"method": method, "uri": uri if uri.startswith("/crm") else f"{V8}{uri}", **keys}
    if sub_request_id is not None:
        item["sub_request_id"] = sub_request_id
    return item


def composite(api: TestClient, *subs: dict[str, Any], **flags: Any) -> httpx.Response:
    return api.post(URL, json={**flags, "__composite_requests": list(subs)})


def items(response: httpx.Response) -> list[dict[str, Any]]:
    return list(response.json()["__composite_requests"])


def inner(item: dict[str, Any]) -> dict[str, Any]:
    assert item["code"] == "SUCCESS", item
    return dict(item["details"]["response"])


def lead(last_name: str, **values: Any) -> dict[str, Any]:
    return {"data": [{"Last_Name": last_name, **values}]}


def leads_named(api: TestClient, last_name: str) -> list[dict[str, Any]]:
    response = api.get(f"{V8}/Leads/search", params={"criteria": f"(Last_Name:equals:{last_name})"})
    return [] if response.status_code == 204 else list(response.json()["data"])


# --- running sub-requests ---------------------------------------------------------------------------


def test_sub_requests_run_in_order_and_refer_to_earlier_answers(api: TestClient) -> None:
    response = composite(
        api,
        sub("POST", "/Leads", "1", headers={}, body=lead("Boyle")),
        sub("PUT", "/Leads/@{1:$.data[0].details.id}", "2", body={"data": [{"Company": "ABC"}]}),
        sub("GET", "/Leads/@{2:$.data[0].details.id}", "3", params={"fields": "Last_Name,Company"}),
        rollback_on_fail=True,
        parallel_execution=False,
    )
    assert response.status_code == 200, response.text
    conforms(response)
    created, updated, read = (inner(item) for item in items(response))
    assert created["status_code"] == 201 and created["body"]["data"][0]["message"] == "record added"
    lead_id = created["body"]["data"][0]["details"]["id"]
    assert updated["status_code"] == 200 and updated["body"]["data"][0]["details"]["id"] == lead_id
    assert read["body"]["data"][0] == {"Last_Name": "Boyle", "Company": "ABC", "id": lead_id}
    assert all(item["message"] == "composite sub request executed successfully" for item in items(response))
    assert created["headers"]["content-type"].startswith("application/json")


def test_a_reference_inside_params_and_body_takes_the_referred_value(api: TestClient) -> None:
    response = composite(
        api,
        sub("POST", "/Accounts", "account", body={"data": [{"Account_Name": "Zylker"}]}),
        sub("POST", "/Contacts", "contact", body=lead("Doe", Account_Name={"id": "@{account:$.data[0].details.id}"})),
        sub("GET", "/Contacts", "list", params={"ids": "@{contact:$.data[0].details.id}", "fields": "Account_Name"}),
    )
    assert response.status_code == 200, response.text
    account_id = inner(items(response)[0])["body"]["data"][0]["details"]["id"]
    listed = inner(items(response)[2])["body"]["data"]
    assert [row["Account_Name"]["id"] for row in listed] == [account_id]


def test_a_sub_request_answers_what_the_same_call_alone_would(api: TestClient) -> None:
    alone = api.get(f"{V8}/settings/modules/Leads")
    response = composite(api, sub("GET", "/settings/modules/Leads"), sub("GET", "/Leads/1"))
    assert response.status_code == 200
    module, missing = (inner(item) for item in items(response))
    assert module["status_code"] == 200 and module["body"] == alone.json()
    assert missing["status_code"] == api.get(f"{V8}/Leads/1").status_code


def test_a_sub_request_sends_its_headers(api: TestClient) -> None:
    future = "2100-01-01T00:00:00+00:00"
    response = composite(api, sub("GET", "/Leads", params=NAMES, headers={"If-Modified-Since": future}))
    assert inner(items(response)[0]) | {"headers": {}} == {"headers": {}, "status_code": 304, "body": None}


def test_a_list_read_pages_by_25_records_and_may_ask_no_more(api: TestClient) -> None:
    for name in "ABC":
        api.post(f"{V8}/Leads", json=lead(name))
    response = composite(
        api, sub("GET", "/Leads", params=NAMES), sub("GET", "/Leads", params={**NAMES, "per_page": 26})
    )
    assert response.status_code == 200
    first, second = (inner(item) for item in items(response))
    assert first["body"]["info"]["per_page"] == 25
    assert second["status_code"] == 400
    assert second["body"] == {
        "code": "LIMIT_EXCEEDED",
        "details": {"by": "per_page", "limit": 25},
        "message": "limit exceeded",
        "status": "error",
    }


def test_a_write_takes_one_record(api: TestClient) -> None:
    response = composite(api, sub("POST", "/Leads", body={"data": [{"Last_Name": "A"}, {"Last_Name": "B"}]}))
    answer = inner(items(response)[0])
    assert answer["status_code"] == 400
    assert answer["body"]["code"] == "LIMIT_EXCEEDED" and answer["body"]["details"] == {"by": "data", "limit": 1}
    assert leads_named(api, "A") == []


# --- rollback ----------------------------------------------------------------------------------------


def test_a_failing_sub_request_rolls_back_every_earlier_write(api: TestClient) -> None:
    response = composite(
        api,
        sub("POST", "/Leads", "1", body=lead("Rolled")),
        sub("PUT", "/Leads/@{1:$.data[0].details.id}", "2", body={"data": [{"Company": "ABC"}]}),
        sub("POST", "/Leads", "3", body={"data": [{"Company": "no last name"}]}),
        sub("GET", "/Leads", "4"),
        rollback_on_fail=True,
    )
    assert response.status_code == 400
    conforms(response, [ROLLBACK_ITEM, ROLLBACK_CODE])
    first, second, failing, after = items(response)
    rolled = {
        "code": "ROLLBACK_PERFORMED",
        "details": {"rollbacked_by_sub_request_index": 2},
        "message": ROLLBACK_MESSAGE,
        "status": "error",
    }
    assert first == second == rolled
    assert inner(failing)["status_code"] == 400
    assert inner(failing)["body"]["data"][0]["code"] == "MANDATORY_NOT_FOUND"
    assert after == {**rolled, "code": "PROCESSING_STOPPED"}
    assert leads_named(api, "Rolled") == []


def test_zohos_rollback_sample_answers_as_zoho_shows_it(api: TestClient) -> None:
    """The page's "Sample input when rollback_on_fail is true": a COQL query over 25 records fails."""
    fields = {"fields": "Last_Name,Company,Email"}
    response = composite(
        api,
        sub("POST", "/Leads", "1", headers={}, body=lead("Sam")),
        sub("GET", "/Leads", "2", params={**fields, "per_page": "3", "page": "1", "ids": "@{1:$.data[0].details.id}"}),
        sub("GET", "/Leads", "3", params={**fields, "page": 1}, body=lead("Sam")),
        sub(
            "POST",
            "/coql",
            "4",
            body={"select_query": "select Last_Name from Leads where Last_Name is not null limit 26"},
        ),
        sub("GET", "crm/v8/Leads", "5", params=fields),
        rollback_on_fail=True,
        parallel_execution=False,
    )
    assert response.status_code == 400
    conforms(response, [ROLLBACK_ITEM, ROLLBACK_CODE])
    answer = items(response)
    assert [item["code"] for item in answer] == [*["ROLLBACK_PERFORMED"] * 3, "SUCCESS", "PROCESSING_STOPPED"]
    assert {item["details"]["rollbacked_by_sub_request_index"] for item in answer if item["status"] == "error"} == {3}
    assert inner(answer[3]) | {"headers": {}} == {
        "headers": {},
        "status_code": 400,
        "body": {
            "code": "LIMIT_EXCEEDED",
            "details": {"by": "limit", "limit": 25},
            "message": "limit exceeded",
            "status": "error",
        },
    }
    assert leads_named(api, "Sam") == []


def test_without_rollback_a_failing_sub_request_leaves_the_others_done(api: TestClient) -> None:
    response = composite(
        api,
        sub("POST", "/Leads", body=lead("Kept")),
        sub("POST", "/Leads", body={"data": [{"Company": "no last name"}]}),
        rollback_on_fail=False,
    )
    assert response.status_code == 200  # every sub-request ran, whatever each answered
    assert [inner(item)["status_code"] for item in items(response)] == [201, 400]
    assert len(leads_named(api, "Kept")) == 1


def test_rolled_back_sub_requests_fire_no_record_events(api: TestClient, emulator: Emulator) -> None:
    seen: list[RecordEvent] = []
    emulator.events.subscribe(seen.append)
    failing = sub("PUT", "/Leads/1", body={"data": [{"Company": "x"}]})
    composite(api, sub("POST", "/Leads", body=lead("Quiet")), failing, rollback_on_fail=True)
    assert seen == []
    composite(api, sub("POST", "/Leads", body=lead("Heard")), failing, rollback_on_fail=False)
    assert [(event.module, event.operation) for event in seen] == [("Leads", "create")]


def test_a_rollback_call_with_a_malformed_sub_request_runs_none(api: TestClient) -> None:
    response = composite(api, sub("POST", "/Leads", body=lead("Never")), sub("HEAD", "/Leads"), rollback_on_fail=True)
    assert response.status_code == 400
    conforms(response)
    never, refused = items(response)
    assert never["code"] == "PROCESSING_STOPPED" and never["details"] == {"rollbacked_by_sub_request_index": 1}
    assert refused["code"] == "INVALID_DATA"
    assert leads_named(api, "Never") == []


def test_a_rollback_call_rolls_back_on_a_sub_request_it_may_not_hold(api: TestClient) -> None:
    response = composite(
        api,
        sub("POST", "/Leads", body=lead("Undone")),
        sub("POST", "/settings/modules", body={"modules": []}),
        sub("GET", "/org"),
        rollback_on_fail=True,
    )
    assert response.status_code == 400
    conforms(response)
    assert [item["code"] for item in items(response)] == ["ROLLBACK_PERFORMED", "NOT_SUPPORTED", "PROCESSING_STOPPED"]
    assert leads_named(api, "Undone") == []


# --- what a composite call may hold --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "uri", "params"),
    [
        ("POST", "/settings/modules", {}),  # not in Zoho's list of allowed APIs
        ("DELETE", "/Leads", {"ids": "1,2"}),  # "bulk delete option is not supported"
        ("GET", "/no/such/path/at/all", {}),
        ("POST", "/__composite_requests", {}),
    ],
)
def test_an_api_the_composite_api_does_not_hold_is_not_supported(
    api: TestClient, method: str, uri: str, params: dict[str, str]
) -> None:
    response = composite(api, sub("GET", "/org"), sub(method, uri, params=params))
    assert response.status_code == 207
    refused = items(response)[1]
    assert refused["code"] == "NOT_SUPPORTED" and refused["status"] == "error"
    assert refused["details"] == {"api_name": "uri", "json_path": "$.__composite_requests[1].uri"}


def test_a_call_none_of_whose_sub_requests_ran_is_400(api: TestClient) -> None:
    response = composite(api, sub("POST", "/settings/modules"), sub("GET", "/crm/bulk/v8/read"))
    assert response.status_code == 400
    conforms(response)
    assert [item["code"] for item in items(response)] == ["NOT_SUPPORTED", "NOT_SUPPORTED"]


def test_a_sub_request_above_the_composite_calls_version_is_not_allowed(api: TestClient) -> None:
    response = api.post(f"{'/crm/v7'}/__composite_requests", json={"__composite_requests": [sub("GET", "/org")]})
    refused = items(response)[0]
    assert refused["code"] == "NOT_ALLOWED"
    assert refused["details"] == {"sub_request_version": 8, "composite_request_version": 7}
    older = api.post(URL, json={"__composite_requests": [sub("GET", "/crm/v6/org")]})
    assert inner(items(older)[0])["status_code"] == 200


def test_the_composite_api_starts_in_v3(api: TestClient) -> None:
    response = api.post("/crm/v2/__composite_requests", json={"__composite_requests": [sub("GET", "/crm/v2/org")]})
    assert response.status_code == 400
    assert response.json()["code"] == "API_NOT_SUPPORTED"


# --- scopes and credits --------------------------------------------------------------------------------


def test_the_call_needs_the_composite_scope_and_each_sub_request_its_own(
    client: TestClient, make_token: TokenFactory
) -> None:
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token(scopes=ALL_SCOPES)}"
    assert composite(client, sub("GET", "/org")).json()["code"] == "OAUTH_SCOPE_MISMATCH"
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token(scopes=[COMPOSITE_SCOPE, 'ZohoCRM.org.READ'])}"
    response = composite(client, sub("GET", "/org"), sub("GET", "/Leads"))
    assert response.status_code == 200
    org, leads = (inner(item) for item in items(response))
    assert org["status_code"] == 200
    assert leads["status_code"] == 401 and leads["body"]["code"] == "OAUTH_SCOPE_MISMATCH"


def credits_used(api: TestClient) -> int:
    return int(api.get("/_emulator/usage").json()["used"])


@pytest.mark.parametrize(
    ("flags", "second", "spent"),
    [
        ({}, {"Last_Name": "x"}, 1),
        ({"rollback_on_fail": True}, {"Last_Name": "x"}, 2),  # no rollback: two credits
        ({"rollback_on_fail": True}, {"Company": "x"}, 1),  # rolled back: one
    ],
)
def test_a_composite_call_costs_one_credit_or_two_when_it_could_have_rolled_back(
    api: TestClient, flags: dict[str, Any], second: dict[str, Any], spent: int
) -> None:
    before = credits_used(api)
    composite(api, sub("POST", "/Leads", body=lead("One")), sub("POST", "/Leads", body={"data": [second]}), **flags)
    assert credits_used(api) - before == spent


# --- refusals of the whole request -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "details"),
    [
        ({}, "MANDATORY_NOT_FOUND", {"api_name": "__composite_requests", "json_path": "$.__composite_requests"}),
        (
            {"__composite_requests": {"method": "GET"}},
            "INVALID_DATA",
            {
                "api_name": "__composite_requests",
                "json_path": "$.__composite_requests",
                "expected_data_type": "jsonarray",
            },
        ),
        (
            {"__composite_requests": [{"method": "GET", "uri": "/crm/v8/org"}] * 6},
            "INVALID_DATA",
            {"api_name": "__composite_requests", "json_path": "$.__composite_requests", "maximum_length": 5},
        ),
        (
            {"rollback_on_fail": "yes", "__composite_requests": []},
            "INVALID_DATA",
            {"api_name": "rollback_on_fail", "json_path": "$.rollback_on_fail", "expected_data_type": "boolean"},
        ),
        (
            {"rollback_on_fail": True, "parallel_execution": True, "__composite_requests": []},
            "AMBIGUITY_DURING_PROCESSING",
            {
                "ambiguity_due_to": [
                    {"api_name": "rollback_on_fail", "json_path": "$.rollback_on_fail"},
                    {"api_name": "parallel_execution", "json_path": "$.parallel_execution"},
                ]
            },
        ),
        (
            {"rollback_on_fail": True, "concurrent_execution": True, "__composite_requests": []},
            "AMBIGUITY_DURING_PROCESSING",
            {
                "ambiguity_due_to": [
                    {"api_name": "rollback_on_fail", "json_path": "$.rollback_on_fail"},
                    {"api_name": "concurrent_execution", "json_path": "$.concurrent_execution"},
                ]
            },
        ),
    ],
)
def test_a_request_zoho_refuses_whole(api: TestClient, body: dict[str, Any], code: str, details: Any) -> None:
    response = api.post(URL, json=body)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["details"] == details
    conforms(response)


def test_a_body_that_is_no_json_object_is_invalid_data(api: TestClient) -> None:
    response = api.post(URL, content=b"[1]")
    assert response.status_code == 400
    assert response.json()["details"] == {"expected_data_type": "jsonobject"}


# --- refusals of one sub-request ---------------------------------------------------------------------

AT = "$.__composite_requests[0]"


@pytest.mark.parametrize(
    ("given", "code", "details"),
    [
        ({"uri": "/crm/v8/org"}, "MANDATORY_NOT_FOUND", {"api_name": "method", "json_path": f"{AT}.method"}),
        ({"method": "HEAD", "uri": "/crm/v8/org"}, "INVALID_DATA", {"api_name": "method", "json_path": f"{AT}.method"}),
        ({"method": "GET"}, "MANDATORY_NOT_FOUND", {"api_name": "uri", "json_path": f"{AT}.uri"}),
        (
            {"method": "GET", "uri": 7},
            "INVALID_DATA",
            {"api_name": "uri", "json_path": f"{AT}.uri", "expected_data_type": "string"},
        ),
        (
            {"method": "GET", "uri": "crm/v8/org"},
            "INVALID_DATA",
            {"api_name": "uri", "json_path": f"{AT}.uri", "regex": "/crm(/.*)?/v[0-9]+([.][0-9]+)?/.*"},
        ),
        (
            {"method": "GET", "uri": "/crm/v8/org", "sub_request_id": "_one"},
            "INVALID_DATA",
            {"api_name": "sub_request_id", "json_path": f"{AT}.sub_request_id", "regex": "[a-zA-Z0-9][a-zA-Z0-9_]*"},
        ),
        (
            {"method": "GET", "uri": "/crm/v8/org", "params": ["a"]},
            "INVALID_DATA",
            {"api_name": "params", "json_path": f"{AT}.params", "expected_data_type": "jsonobject"},
        ),
        (
            {"method": "GET", "uri": "/crm/v8/org", "headers": {"Authorization": "Zoho-oauthtoken x"}},
            "INVALID_DATA",
            {"api_name": "headers", "json_path": f"{AT}.headers", "restricted_headers": ["Authorization"]},
        ),
        (
            "GET /org",
            "INVALID_DATA",
            {"api_name": "__composite_requests", "json_path": AT, "expected_data_type": "jsonobject"},
        ),
    ],
)
def test_a_sub_request_that_breaks_a_rule_gets_its_own_error(
    api: TestClient, given: Any, code: str, details: dict[str, Any]
) -> None:
    response = api.post(URL, json={"__composite_requests": [given, sub("GET", "/org")]})
    assert response.status_code == 207
    refused, ran = items(response)
    assert (refused["code"], refused["details"], refused["status"]) == (code, details, "error")
    assert inner(ran)["status_code"] == 200


def test_sub_requests_sharing_an_id_are_duplicate_data(api: TestClient) -> None:
    response = composite(api, sub("GET", "/org", "a"), sub("GET", "/org", "b"), sub("GET", "/org", "a"))
    assert response.status_code == 207
    first, _, third = items(response)
    assert first["code"] == third["code"] == "DUPLICATE_DATA"
    assert third["details"] == {
        "api_name": "sub_request_id",
        "json_path": "$.__composite_requests[2].sub_request_id",
        "sub_request_indexes": [0, 2],
    }


# --- references ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "reference"),
    [
        ("/Leads/@{nobody:$.data[0].details.id}", "@{nobody:$.data[0].details.id}"),  # no such sub-request
        ("/Leads/@{self:$.data[0].details.id}", "@{self:$.data[0].details.id}"),  # its own
        ("/Leads/@{later:$.data[0].details.id}", "@{later:$.data[0].details.id}"),  # runs after it
        ("/Leads/@{later:data}", "@{later:data}"),  # no JSONPath
        ("/Leads/@{later", "@{later"),  # never closed
    ],
)
def test_an_improper_reference_is_invalid_reference(api: TestClient, uri: str, reference: str) -> None:
    response = composite(api, sub("GET", uri, "self"), sub("GET", "/org", "later"), parallel_execution=False)
    refused = items(response)[0]
    assert refused["code"] == "INVALID_REFERENCE"
    assert refused["details"] == {
        "api_name": "uri",
        "json_path": "$.__composite_requests[0].uri",
        "reference": reference,
    }


def test_a_reference_to_a_value_the_answer_does_not_have_is_invalid_reference(api: TestClient) -> None:
    response = composite(
        api,
        sub("GET", "/Leads/1", "missing"),
        sub("PUT", "/Leads/@{missing:$.data[0].id}", "after", body={"data": [{"Company": "x"}]}),
    )
    assert response.status_code == 207
    assert items(response)[1]["code"] == "INVALID_REFERENCE"


def test_in_parallel_a_sub_request_runs_after_those_it_refers_to(api: TestClient) -> None:
    response = composite(
        api,
        sub("GET", "/Leads/@{made:$.data[0].details.id}", "read", params={"fields": "Last_Name"}),
        sub("POST", "/Leads", "made", body=lead("Later")),
        parallel_execution=True,
    )
    assert response.status_code == 200, response.text
    assert inner(items(response)[0])["body"]["data"][0]["Last_Name"] == "Later"


def test_in_parallel_sub_requests_referring_to_each_other_are_looping(api: TestClient) -> None:
    response = composite(
        api,
        sub("GET", "/Leads/@{b:$.data[0].id}", "a"),
        sub("GET", "/Leads/@{a:$.data[0].id}", "b"),
        sub("GET", "/org", "c"),
        concurrent_execution=True,
    )
    assert response.status_code == 207
    a, b, c = items(response)
    assert a["code"] == b["code"] == "LOOPING_FOUND"
    assert a["details"]["sub_request_indexes"] == [0, 1]
    assert inner(c)["status_code"] == 200
