"""Functions called as REST APIs (AUTOMATION.md §7): registered on the control plane or in-process,
called with an OAuth token or the function's zapikey, GET and POST, arguments from the query, a JSON
body or a form; Zoho's answer and errors. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.receiver import Receiver, receiver
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.functions.service import Invocation
from zcrm_emulator.resources.users import repo as users_repo

pytestmark = pytest.mark.usefixtures("both_backends")

FUNCTIONS = "/_emulator/functions"
ZAPIKEY = re.compile(r"1003\.[0-9a-f]{32}\.[0-9a-f]{32}")


def execute_path(name: str, version: str = "v8") -> str:
    return f"/crm/{version}/functions/{name}/actions/execute"


@pytest.fixture
def token(make_token: TokenFactory) -> str:
    return make_token(scopes=["ZohoCRM.functions.execute.READ", "ZohoCRM.functions.execute.CREATE"])


@pytest.fixture
def oauth(token: str) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {token}"}


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        yield box


def register(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post(FUNCTIONS, json=body)
    assert response.status_code in (200, 201), response.text
    return dict(response.json()["function"])


def admin_id(emulator: Emulator) -> str:
    with emulator.store.tx() as conn:
        return str(users_repo.list_users(conn, emulator.default_org_id)[0]["id"])


# --- the answer -----------------------------------------------------------------------------------


def test_a_canned_function_answers_zohos_success_shape(
    client: TestClient, emulator: Emulator, oauth: dict[str, str]
) -> None:
    register(client, name="ping", output="pong")
    response = client.get(execute_path("ping"), params={"auth_type": "oauth"}, headers=oauth)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "code": "success",
        "details": {"output": "pong", "output_type": "string", "id": admin_id(emulator), "userMessage": []},
        "message": "function executed successfully",
    }


@pytest.mark.parametrize("version", ["v2", "v7", "v8"])
def test_the_path_answers_in_every_version_since_v2(client: TestClient, oauth: dict[str, str], version: str) -> None:
    register(client, name="ping", output="pong")
    response = client.post(execute_path("ping", version), params={"auth_type": "oauth"}, headers=oauth)
    assert response.status_code == 200, response.text


def test_a_value_that_is_not_text_is_answered_as_its_json_text(
    client: TestClient, emulator: Emulator, oauth: dict[str, str]
) -> None:
    emulator.functions.register("totals", lambda call: {"sum": 3, "items": [1, 2]})
    response = client.get(execute_path("totals"), params={"auth_type": "oauth"}, headers=oauth)
    assert json.loads(response.json()["details"]["output"]) == {"sum": 3, "items": [1, 2]}
    assert response.json()["details"]["output_type"] == "string"


# --- arguments ------------------------------------------------------------------------------------


@pytest.fixture
def seen(emulator: Emulator) -> list[Invocation]:
    calls: list[Invocation] = []

    def echo(call: Invocation) -> str:
        calls.append(call)
        return str(call.arguments.get("name", ""))

    emulator.functions.register("echo", echo)
    return calls


def test_get_takes_arguments_as_json_in_the_query(
    client: TestClient, oauth: dict[str, str], seen: list[Invocation]
) -> None:
    params = {"auth_type": "oauth", "arguments": json.dumps({"name": "Ada", "n": 2}), "extra": "x"}
    response = client.get(execute_path("echo"), params=params, headers=oauth)
    assert response.json()["details"]["output"] == "Ada"
    (call,) = seen
    assert (call.method, call.arguments, call.params, call.trigger) == (
        "GET",
        {"name": "Ada", "n": 2},
        {"extra": "x"},
        "api",
    )
    assert "authorization" not in {name.lower() for name in call.headers}


@pytest.mark.parametrize(
    "body",
    [{"arguments": {"name": "Ada"}}, {"arguments": json.dumps({"name": "Ada"})}],
    ids=["object", "json-text"],
)
def test_post_takes_arguments_in_a_json_body(
    client: TestClient, oauth: dict[str, str], seen: list[Invocation], body: dict[str, Any]
) -> None:
    response = client.post(execute_path("echo"), params={"auth_type": "oauth"}, json=body, headers=oauth)
    assert response.json()["details"]["output"] == "Ada"
    assert seen[0].method == "POST"


def test_post_takes_arguments_as_a_form_field(
    client: TestClient, oauth: dict[str, str], seen: list[Invocation]
) -> None:
    response = client.post(
        execute_path("echo"),
        params={"auth_type": "oauth"},
        data={"arguments": json.dumps({"name": "Ada"})},
        headers=oauth,
    )
    assert response.json()["details"]["output"] == "Ada"


def test_body_arguments_override_the_querys_key_by_key(
    client: TestClient, oauth: dict[str, str], seen: list[Invocation]
) -> None:
    params = {"auth_type": "oauth", "arguments": json.dumps({"name": "Query", "kept": 1})}
    client.post(execute_path("echo"), params=params, json={"arguments": {"name": "Body"}}, headers=oauth)
    assert seen[0].arguments == {"name": "Body", "kept": 1}


@pytest.mark.parametrize("arguments", ["not json", "[1, 2]", '"text"'])
def test_arguments_that_are_not_a_json_object_are_invalid_data(
    client: TestClient, oauth: dict[str, str], seen: list[Invocation], arguments: str
) -> None:
    response = client.get(execute_path("echo"), params={"auth_type": "oauth", "arguments": arguments}, headers=oauth)
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_DATA",
        "details": {"api_name": "arguments", "expected_data_type": "jsonobject"},
        "message": "invalid data",
        "status": "error",
    }
    assert seen == []


# --- errors ---------------------------------------------------------------------------------------


def test_an_unknown_function_is_invalid_data(client: TestClient, oauth: dict[str, str]) -> None:
    response = client.get(execute_path("nothing_here"), params={"auth_type": "oauth"}, headers=oauth)
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_DATA",
        "details": {"api_name": "function_name"},
        "message": "invalid data",
        "status": "error",
    }


@pytest.mark.parametrize("params", [{}, {"auth_type": "token"}, {"auth_type": "OAUTH"}])
@pytest.mark.parametrize("with_token", [True, False])
def test_auth_type_missing_or_unknown_is_invalid_request(
    client: TestClient, oauth: dict[str, str], params: dict[str, str], with_token: bool
) -> None:
    register(client, name="ping", output="pong")
    response = client.get(execute_path("ping"), params=params, headers=oauth if with_token else {})
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["message"]) == ("INVALID_REQUEST", "invalid request")
    assert body["details"] == {"api_name": "auth_type", "supported_values": ["oauth", "apikey"]}


def test_oauth_calls_need_the_token(client: TestClient) -> None:
    register(client, name="ping", output="pong")
    response = client.get(execute_path("ping"), params={"auth_type": "oauth"})
    assert (response.status_code, response.json()["code"]) == (401, "AUTHENTICATION_FAILURE")


@pytest.mark.parametrize(
    ("granted", "method", "allowed"),
    [
        ("ZohoCRM.functions.execute.READ", "GET", True),
        ("ZohoCRM.functions.execute.READ", "POST", False),
        ("ZohoCRM.functions.execute.CREATE", "POST", True),
        ("ZohoCRM.functions.execute.CREATE", "GET", False),
        ("ZohoCRM.functions.execute.ALL", "POST", True),
        ("ZohoCRM.functions.ALL", "GET", True),
        ("ZohoCRM.modules.ALL", "GET", False),
        ("ZohoCRM.settings.ALL", "POST", False),
    ],
)
def test_oauth_calls_need_the_execute_scope_of_their_method(
    client: TestClient, make_token: TokenFactory, granted: str, method: str, allowed: bool
) -> None:
    register(client, name="ping", output="pong")
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[granted])}"}
    response = client.request(method, execute_path("ping"), params={"auth_type": "oauth"}, headers=headers)
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert (response.status_code, response.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")


# --- zapikey --------------------------------------------------------------------------------------


def test_an_apikey_call_needs_no_token_only_the_functions_zapikey(client: TestClient, emulator: Emulator) -> None:
    made = register(client, name="ping", output="pong")
    assert ZAPIKEY.fullmatch(made["zapikey"])
    for method in ("GET", "POST"):
        response = client.request(
            method, execute_path("ping"), params={"auth_type": "apikey", "zapikey": made["zapikey"]}
        )
        assert response.status_code == 200, response.text
        assert response.json()["details"] == {
            "output": "pong",
            "output_type": "string",
            "id": admin_id(emulator),
            "userMessage": [],
        }


def test_the_request_journal_keeps_no_zapikey(client: TestClient, emulator: Emulator) -> None:
    made = register(client, name="ping", output="pong")
    client.get(execute_path("ping"), params={"auth_type": "apikey", "zapikey": made["zapikey"]})
    (entry,) = emulator.journal.entries(path=execute_path("ping"))
    assert made["zapikey"] not in str(entry)
    assert entry.query == "auth_type=apikey&zapikey=[redacted]"


def test_each_function_has_its_own_zapikey(client: TestClient) -> None:
    first = register(client, name="first", output="1")
    second = register(client, name="second", output="2")
    assert first["zapikey"] != second["zapikey"]
    response = client.get(execute_path("second"), params={"auth_type": "apikey", "zapikey": first["zapikey"]})
    assert (response.status_code, response.json()["code"]) == (401, "AUTHENTICATION_FAILURE")


@pytest.mark.parametrize(
    "zapikey", [None, "", "1003.00000000000000000000000000000000.00000000000000000000000000000000"]
)
def test_a_missing_or_wrong_zapikey_fails_authentication(client: TestClient, zapikey: str | None) -> None:
    register(client, name="ping", output="pong")
    params = {"auth_type": "apikey", **({"zapikey": zapikey} if zapikey is not None else {})}
    response = client.get(execute_path("ping"), params=params)
    assert response.status_code == 401
    assert response.json() == {
        "code": "AUTHENTICATION_FAILURE",
        "details": {},
        "message": "Authentication failed",
        "status": "error",
    }


def test_a_regenerated_zapikey_replaces_the_old_one(client: TestClient) -> None:
    old = register(client, name="ping", output="pong")["zapikey"]
    response = client.post(f"{FUNCTIONS}/ping/zapikey")
    new = response.json()["function"]["zapikey"]
    assert ZAPIKEY.fullmatch(new) and new != old
    assert client.get(execute_path("ping"), params={"auth_type": "apikey", "zapikey": old}).status_code == 401
    assert client.get(execute_path("ping"), params={"auth_type": "apikey", "zapikey": new}).status_code == 200


def test_an_apikey_call_costs_the_functions_org_a_credit(client: TestClient, emulator: Emulator) -> None:
    key = register(client, name="ping", output="pong")["zapikey"]
    client.get(execute_path("ping"), params={"auth_type": "apikey", "zapikey": key})
    emulator.pending_credits.flush()
    usage = client.get("/_emulator/usage").json()
    assert usage["org_id"] == emulator.default_org_id
    assert usage["endpoints"] == [
        {"method": "GET", "path": "/functions/{name}/actions/execute", "calls": 1, "credits": 1}
    ]


# --- what a function does -------------------------------------------------------------------------


def test_an_async_callable_is_awaited(client: TestClient, emulator: Emulator, oauth: dict[str, str]) -> None:
    async def later(call: Invocation) -> str:
        await asyncio.sleep(0)
        return f"hello {call.arguments['who']}"

    emulator.functions.register("later", later)
    params = {"auth_type": "oauth", "arguments": json.dumps({"who": "Ada"})}
    assert client.get(execute_path("later"), params=params, headers=oauth).json()["details"]["output"] == "hello Ada"


def test_a_callable_that_raises_is_an_internal_error(
    client: TestClient, emulator: Emulator, oauth: dict[str, str]
) -> None:
    def broken(call: Invocation) -> str:
        raise RuntimeError("boom")

    emulator.functions.register("broken", broken)
    response = client.get(execute_path("broken"), params={"auth_type": "oauth"}, headers=oauth)
    assert response.status_code == 500
    assert response.json()["code"] == "INTERNAL_ERROR"
    assert "boom" not in response.text


def test_a_function_runs_after_its_call_committed_so_it_may_call_the_emulator(
    client: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    records = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.modules.ALL'])}"}

    def make_lead(call: Invocation) -> str:
        made = client.post("/crm/v8/Leads", json={"data": [{"Last_Name": call.arguments["name"]}]}, headers=records)
        return str(made.json()["data"][0]["details"]["id"])

    emulator.functions.register("make_lead", make_lead)
    key = emulator.functions.get("make_lead")
    assert key is not None
    params = {"auth_type": "apikey", "zapikey": key["zapikey"]}
    response = client.post(execute_path("make_lead"), params=params, json={"arguments": {"name": "Lovelace"}})
    assert response.status_code == 200, response.text
    lead_id = response.json()["details"]["output"]
    lead = client.get(f"/crm/v8/Leads/{lead_id}", headers=records).json()["data"][0]
    assert lead["Last_Name"] == "Lovelace"


def test_a_url_function_forwards_the_call_and_answers_with_the_responses_text(
    client: TestClient, oauth: dict[str, str], hook: Receiver
) -> None:
    hook.answer = b'{"total": 42}'
    register(client, name="remote", url=hook.url + "fn")
    params = {"auth_type": "oauth", "arguments": json.dumps({"a": 1}), "page": "2"}
    response = client.get(execute_path("remote"), params=params, headers=oauth)
    assert response.status_code == 200, response.text
    assert response.json()["details"]["output"] == '{"total": 42}'
    (got,) = hook.wait_for(1)
    assert (got.method, got.path) == ("POST", "/fn")
    sent = json.loads(got.body)
    assert (sent["function"], sent["arguments"], sent["params"], sent["method"]) == (
        "remote",
        {"a": 1},
        {"page": "2"},
        "GET",
    )
    assert "authorization" not in {name.lower() for name in sent["headers"]}


def test_a_url_function_whose_server_fails_is_an_internal_error(
    client: TestClient, oauth: dict[str, str], hook: Receiver
) -> None:
    hook.status = 503
    register(client, name="remote", url=hook.url)
    response = client.get(execute_path("remote"), params={"auth_type": "oauth"}, headers=oauth)
    assert (response.status_code, response.json()["code"]) == (500, "INTERNAL_ERROR")


def test_a_callable_of_another_process_is_an_internal_error(
    client: TestClient, emulator: Emulator, oauth: dict[str, str]
) -> None:
    emulator.functions.register("here", lambda call: "x")
    emulator.functions.handlers.clear()  # as a second worker on the same database sees it
    response = client.get(execute_path("here"), params={"auth_type": "oauth"}, headers=oauth)
    assert (response.status_code, response.json()["code"]) == (500, "INTERNAL_ERROR")


# --- the control plane ----------------------------------------------------------------------------


def test_registering_again_replaces_the_behaviour_and_keeps_id_and_zapikey(
    client: TestClient, oauth: dict[str, str]
) -> None:
    first = client.post(FUNCTIONS, json={"name": "ping", "output": "pong"})
    again = client.post(FUNCTIONS, json={"name": "ping", "output": "PONG"})
    assert (first.status_code, again.status_code) == (201, 200)
    a, b = first.json()["function"], again.json()["function"]
    assert (a["id"], a["zapikey"]) == (b["id"], b["zapikey"])
    response = client.get(execute_path("ping"), params={"auth_type": "oauth"}, headers=oauth)
    assert response.json()["details"]["output"] == "PONG"


def test_list_get_and_delete(client: TestClient, oauth: dict[str, str]) -> None:
    register(client, name="b_one", output="1")
    register(client, name="a_two", url="http://127.0.0.1:9/x")
    listed = client.get(FUNCTIONS).json()["functions"]
    assert [(f["name"], f["kind"]) for f in listed] == [("a_two", "url"), ("b_one", "canned")]
    assert client.get(f"{FUNCTIONS}/b_one").json()["function"]["output"] == "1"
    assert client.delete(f"{FUNCTIONS}/b_one").json() == {"status": "success"}
    assert client.get(f"{FUNCTIONS}/b_one").json()["code"] == "INVALID_DATA"
    assert client.delete(f"{FUNCTIONS}/b_one").status_code == 400
    response = client.get(execute_path("b_one"), params={"auth_type": "oauth"}, headers=oauth)
    assert response.json()["details"] == {"api_name": "function_name"}


@pytest.mark.parametrize(
    ("body", "code", "api_name"),
    [
        ({"output": "x"}, "MANDATORY_NOT_FOUND", "name"),
        ({"name": "1abc", "output": "x"}, "INVALID_DATA", "name"),
        ({"name": "has space", "output": "x"}, "INVALID_DATA", "name"),
        ({"name": "ok"}, "INVALID_DATA", "url"),
        ({"name": "ok", "output": "x", "url": "http://127.0.0.1/"}, "INVALID_DATA", "url"),
        ({"name": "ok", "url": "ftp://example.com/"}, "INVALID_DATA", "url"),
        ({"name": "ok", "url": "/relative"}, "INVALID_DATA", "url"),
        ({"name": "ok", "output": "x", "org_id": "999"}, "INVALID_DATA", "org_id"),
        ({"name": "ok", "output": "x", "user_id": "999"}, "INVALID_DATA", "user_id"),
    ],
)
def test_registration_errors(client: TestClient, body: dict[str, Any], code: str, api_name: str) -> None:
    response = client.post(FUNCTIONS, json=body)
    assert response.status_code == 400, response.text
    assert (response.json()["code"], response.json()["details"]["api_name"]) == (code, api_name)
