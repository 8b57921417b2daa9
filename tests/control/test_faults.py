"""Fault injection: rules added over ``/_emulator/faults`` or ``emulator.faults.inject`` answer the
requests they match with a Zoho error, an accounts-server error, latency or a dropped connection,
for the calls their trigger picks; they are listed, removed, cleared by reset, shared by every
worker on the store, and marked in the request journal."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import LiveServer, TokenFactory
from tests.support.accounts import Flows, register
from zcrm_emulator import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.faults import Faults
from zcrm_emulator.faults.middleware import ConnectionDropped

LEADS = "/crm/v8/Leads"
LIST = {"fields": "Last_Name"}


def add(http: TestClient, **rule: Any) -> dict[str, Any]:
    response = http.post("/_emulator/faults", json=rule)
    assert response.status_code == 201, response.text
    return dict(response.json()["fault"])


def statuses(api: TestClient, count: int, path: str = LEADS) -> list[int]:
    return [api.get(path, params=LIST).status_code for _ in range(count)]


def test_an_error_rule_answers_the_next_call_with_the_catalogue_envelope_then_is_spent(api: TestClient) -> None:
    fault = add(api, error="INVALID_TOKEN", path=LEADS, times=1)
    first = api.get(LEADS, params=LIST)
    assert first.status_code == 401
    assert first.json() == {"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"}
    assert api.get(LEADS, params=LIST).status_code == 204
    [listed] = api.get("/_emulator/faults").json()["faults"]
    assert listed["id"] == fault["id"]
    assert (listed["matched"], listed["fired"], listed["spent"]) == (1, 1, True)


def test_a_status_and_details_override_the_catalogue_for_a_429(api: TestClient) -> None:
    add(api, error="TOO_MANY_REQUESTS", status=429, details={"retry_after": 1})
    answer = api.get(LEADS, params=LIST)
    assert answer.status_code == 429
    assert answer.json()["code"] == "TOO_MANY_REQUESTS"
    assert answer.json()["details"] == {"retry_after": 1}


def test_after_lets_the_first_calls_through_and_times_bounds_the_answered_ones(api: TestClient) -> None:
    add(api, error="INTERNAL_ERROR", path=LEADS, after=2, times=2)
    assert statuses(api, 6) == [204, 204, 500, 500, 204, 204]


def test_a_rule_without_times_answers_every_matching_call(api: TestClient) -> None:
    add(api, error="INTERNAL_ERROR", path="/crm/v8/Lea*")
    assert statuses(api, 3) == [500, 500, 500]


def test_a_probability_under_a_seed_picks_the_same_calls_every_run(api: TestClient) -> None:
    picked = []
    for _ in range(2):
        fault = add(api, error="INTERNAL_ERROR", path=LEADS, probability=0.5, seed=42)
        picked.append(statuses(api, 20))
        api.delete(f"/_emulator/faults/{fault['id']}")
    assert picked[0] == picked[1]
    assert 0 < picked[0].count(500) < 20  # some answered, some not


def test_method_and_module_narrow_what_a_rule_matches(api: TestClient) -> None:
    add(api, error="INTERNAL_ERROR", method="post", module="contacts")
    assert api.get("/crm/v8/Contacts", params=LIST).status_code == 204
    assert api.get(LEADS, params=LIST).status_code == 204
    created = api.post("/crm/v8/Contacts", json={"data": [{"Last_Name": "Ng"}]})
    assert created.status_code == 500
    assert api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Ng"}]}).status_code == 201


def test_the_module_parameter_counts_as_the_calls_module(api: TestClient) -> None:
    add(api, error="INTERNAL_ERROR", module="Leads")
    assert api.get("/crm/v8/settings/fields", params={"module": "Contacts"}).status_code == 200
    assert api.get("/crm/v8/settings/fields", params={"module": "Leads"}).status_code == 500


def test_a_token_rule_answers_only_that_token(client: TestClient, make_token: TokenFactory) -> None:
    mine, other = make_token(), make_token()
    add(client, error="INVALID_TOKEN", token=mine)
    assert client.get(LEADS, params=LIST, headers={"Authorization": f"Zoho-oauthtoken {mine}"}).status_code == 401
    assert client.get(LEADS, params=LIST, headers={"Authorization": f"Zoho-oauthtoken {other}"}).status_code == 204


def test_a_client_rule_answers_the_crm_calls_of_that_clients_tokens(client: TestClient, emulator: Emulator) -> None:
    flows = Flows(client, register(emulator), emulator)
    token = flows.exchange(flows.code())["access_token"]
    other = client.post("/_emulator/tokens", json={}).json()["access_token"]
    add(client, error="INVALID_TOKEN", client=flows.app.client_id)
    assert flows.crm_status(token) == 401
    assert flows.crm_status(other) == 200


def test_the_accounts_server_answers_an_injected_invalid_code_and_its_throttle(
    client: TestClient, emulator: Emulator
) -> None:
    flows = Flows(client, register(emulator), emulator)
    add(client, accounts_error="invalid_code", path="/oauth/v2/token", client=flows.app.client_id, times=1)
    assert flows.exchange(flows.code()) == {"error": "invalid_code"}
    add(client, accounts_error="Access Denied", path="/oauth/v2/token", times=1)
    assert flows.exchange(flows.code()) == {
        "error": "Access Denied",
        "error_description": "You have made too many requests continuously. Please try again after some time.",
        "status": "failure",
    }
    assert "access_token" in flows.exchange(flows.code())


def test_an_accounts_error_rule_never_answers_a_crm_call(api: TestClient) -> None:
    add(api, accounts_error="invalid_code")
    assert api.get(LEADS, params=LIST).status_code == 204


def test_latency_delays_the_answer_and_leaves_it_as_it_was(api: TestClient) -> None:
    add(api, latency_ms=200, path=LEADS, times=1)
    started = time.perf_counter()
    assert api.get(LEADS, params=LIST).status_code == 204
    assert time.perf_counter() - started >= 0.2
    entry = api.get("/_emulator/requests", params={"path": LEADS}).json()["requests"][-1]
    assert entry["fault"]["action"] == "latency"
    assert entry["status"] == 204


def test_latency_and_an_error_together_answer_late_with_the_error(api: TestClient) -> None:
    add(api, latency_ms=100, error="INTERNAL_ERROR")
    started = time.perf_counter()
    assert api.get(LEADS, params=LIST).status_code == 500
    assert time.perf_counter() - started >= 0.1


def test_a_dropped_connection_fails_the_request_in_process(api: TestClient) -> None:
    add(api, drop=True, path=LEADS, times=1)
    with pytest.raises(ConnectionDropped):
        api.get(LEADS, params=LIST)
    assert api.get(LEADS, params=LIST).status_code == 204
    entry = api.get("/_emulator/requests", params={"path": LEADS}).json()["requests"][0]
    assert entry["status"] is None
    assert entry["fault"]["action"] == "drop"


def test_a_dropped_connection_reaches_an_http_client_as_a_broken_response(live_server: LiveServer) -> None:
    url = live_server.url
    token = httpx.post(f"{url}/_emulator/tokens", json={}).json()["access_token"]
    httpx.post(f"{url}/_emulator/faults", json={"drop": True, "path": LEADS, "times": 1}).raise_for_status()
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{url}{LEADS}", params=LIST, headers=headers)
    assert httpx.get(f"{url}{LEADS}", params=LIST, headers=headers).status_code == 204


def test_the_control_plane_is_never_faulted(client: TestClient) -> None:
    add(client, error="INTERNAL_ERROR", path="/_emulator/*")
    assert client.get("/_emulator/faults").status_code == 200
    assert client.delete("/_emulator/faults").json() == {"status": "success", "removed": 1}


def test_a_removed_rule_answers_nothing_more_and_an_unknown_id_is_invalid_data(api: TestClient) -> None:
    fault = add(api, error="INTERNAL_ERROR")
    assert api.get(f"/_emulator/faults/{fault['id']}").json()["fault"]["id"] == fault["id"]
    assert api.delete(f"/_emulator/faults/{fault['id']}").json() == {"status": "success", "id": fault["id"]}
    assert api.get(LEADS, params=LIST).status_code == 204
    for response in (api.delete(f"/_emulator/faults/{fault['id']}"), api.get(f"/_emulator/faults/{fault['id']}")):
        assert response.status_code == 400
        assert response.json()["code"] == "INVALID_DATA"
        assert response.json()["details"] == {"api_name": "id"}


def test_reset_removes_every_rule(api: TestClient) -> None:
    add(api, error="INTERNAL_ERROR", path=LEADS)
    assert api.post("/_emulator/reset").status_code == 200
    assert api.get("/_emulator/faults").json() == {"faults": []}


@pytest.mark.parametrize(
    ("rule", "code", "api_name"),
    [
        ({"error": "NO_SUCH_CODE"}, "INVALID_DATA", "error"),
        ({"error": "INTERNAL_ERROR", "colour": "red"}, "INVALID_DATA", "colour"),
        ({"error": "INTERNAL_ERROR", "id": "mine"}, "INVALID_DATA", "id"),
        ({"error": "INTERNAL_ERROR", "times": 0}, "INVALID_DATA", "times"),
        ({"error": "INTERNAL_ERROR", "probability": 1.5}, "INVALID_DATA", "probability"),
        ({"error": "INTERNAL_ERROR", "method": "FETCH"}, "INVALID_DATA", "method"),
        ({"error": "INTERNAL_ERROR", "status": 99}, "INVALID_DATA", "status"),
        ({"accounts_error": "nope"}, "INVALID_DATA", "accounts_error"),
        ({"latency_ms": -1}, "INVALID_DATA", "latency_ms"),
        ({"path": LEADS}, "MANDATORY_NOT_FOUND", "error"),
    ],
)
def test_a_wrong_rule_is_refused_naming_its_key(
    client: TestClient, rule: dict[str, Any], code: str, api_name: str
) -> None:
    response = client.post("/_emulator/faults", json=rule)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["details"]["api_name"] == api_name
    assert client.get("/_emulator/faults").json() == {"faults": []}


def test_an_error_and_a_drop_in_one_rule_are_ambiguous(client: TestClient) -> None:
    response = client.post("/_emulator/faults", json={"error": "INTERNAL_ERROR", "drop": True})
    assert response.status_code == 400
    assert response.json()["code"] == "AMBIGUITY_DURING_PROCESSING"


def test_the_python_api_injects_lists_and_removes_rules(emulator: Emulator, api: TestClient) -> None:
    fault = emulator.faults.inject(error="INVALID_TOKEN", path=LEADS, times=1)
    assert api.get(LEADS, params=LIST).status_code == 401
    assert [f.fired for f in emulator.faults.list()] == [1]
    assert emulator.faults.remove(fault.id) is True
    assert emulator.faults.list() == []
    emulator.faults.inject(error="INTERNAL_ERROR")
    assert emulator.faults.clear() == 1


@pytest.mark.usefixtures("both_backends")
def test_workers_on_one_store_share_rules_and_their_counts(settings: Settings, emulator: Emulator) -> None:
    other = Emulator(settings)
    try:
        with (
            TestClient(create_app(emulator=emulator), base_url="http://testserver") as one,
            TestClient(create_app(emulator=other), base_url="http://testserver") as two,
        ):
            token = one.post("/_emulator/tokens", json={}).json()["access_token"]
            for http in (one, two):
                http.headers["Authorization"] = f"Zoho-oauthtoken {token}"
            assert two.get(LEADS, params=LIST).status_code == 204  # the second worker has read the rules once
            add(one, error="INTERNAL_ERROR", path=LEADS, times=2)
            time.sleep(Faults.RELOAD_S)  # what another worker may wait before it reads a change
            assert [two.get(LEADS, params=LIST).status_code, one.get(LEADS, params=LIST).status_code] == [500, 500]
            assert [two.get(LEADS, params=LIST).status_code, one.get(LEADS, params=LIST).status_code] == [204, 204]
            one.post("/_emulator/faults", json={"error": "INTERNAL_ERROR", "path": LEADS})
            one.delete("/_emulator/faults")
            time.sleep(Faults.RELOAD_S)
            assert two.get(LEADS, params=LIST).status_code == 204
    finally:
        other.close()


def test_the_journal_marks_an_injected_answer(api: TestClient) -> None:
    fault = add(api, error="INVALID_TOKEN", path=LEADS, times=1)
    statuses(api, 2)
    entries = api.get("/_emulator/requests", params={"path": LEADS}).json()["requests"]
    assert [e["fault"] for e in entries] == [
        {"id": fault["id"], "action": "error", "error": "INVALID_TOKEN", "latency_ms": 0},
        None,
    ]
    assert [e["id"] for e in api.get("/_emulator/requests", params={"faulted": "true"}).json()["requests"]] == [
        entries[0]["id"]
    ]


@pytest.mark.sdk
def test_the_official_sdk_meets_an_injected_429_and_invalid_token(live_server: LiveServer, tmp_path: Path) -> None:
    from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
    from zohocrmsdk.src.com.zoho.crm.api.record import APIException, GetRecordsParam, RecordOperations

    from tests.sdk.official_sdk import initialize_sdk

    url = live_server.url
    initialize_sdk(url, tmp_path)
    rules = [
        {"error": "TOO_MANY_REQUESTS", "status": 429, "method": "GET", "path": LEADS, "times": 1},
        {"error": "INVALID_TOKEN", "method": "GET", "path": LEADS, "times": 1},  # once the first is spent
    ]
    for rule in rules:
        httpx.post(f"{url}/_emulator/faults", json=rule).raise_for_status()
    params = ParameterMap()
    params.add(GetRecordsParam.fields, "Last_Name")

    def answer() -> tuple[int, str | None]:
        response = RecordOperations("Leads").get_records(params)
        error = response.get_object()
        return response.get_status_code(), error.get_code().get_value() if isinstance(error, APIException) else None

    assert answer() == (429, "TOO_MANY_REQUESTS")
    assert answer() == (401, "INVALID_TOKEN")
    assert answer() == (204, None)


def test_a_bulk_call_has_no_module_from_its_path_but_from_its_module_parameter() -> None:
    from zcrm_emulator.faults.middleware import module_of

    assert module_of("/crm/bulk/v8/read", {}) is None
    assert module_of("/crm/v8/Leads/12/Notes", {}) == "Leads"
    assert module_of("/crm/v8/settings/layouts", {"module": ["Deals"]}) == "Deals"
