"""A workflow rule's ``functions`` action runs the registered function with that id for the rule's
record; the strict outbound policy refuses a function URL on a private host. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.support.receiver import Receiver, receiver
from tests.support.workflow import action, action_runs, add_record, add_rule, condition, rule_item
from zcrm_emulator.config import Settings
from zcrm_emulator.delivery import repo as delivery_repo
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.functions.service import Invocation

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, public_url="http://testserver", deliveries="sync")


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        yield box


def function_runs(emulator: Emulator, record_id: str) -> list[tuple[str, str | None]]:
    return [(r["outcome"], r["detail"]) for r in action_runs(emulator, record_id) if r["action_type"] == "functions"]


def test_a_rules_function_action_runs_the_callable_for_the_record(api: TestClient, emulator: Emulator) -> None:
    calls: list[Invocation] = []
    made = emulator.functions.register("on_lead", calls.append)
    add_rule(api, rule_item(condition(action("functions", made["id"]))))
    lead = add_record(api, Last_Name="Lovelace")
    (call,) = calls
    assert (call.trigger, call.function, call.arguments) == ("workflow", "on_lead", {})
    assert call.record is not None and call.record["id"] == lead
    assert call.record["module"]["api_name"] == "Leads"
    assert function_runs(emulator, lead) == [("success", None)]


def test_a_rules_url_function_is_posted_through_the_delivery_engine(
    api: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    made = emulator.functions.register("remote", url=hook.url + "wf")
    add_rule(api, rule_item(condition(action("functions", made["id"]))))
    lead = add_record(api)
    (got,) = hook.wait_for(1)
    sent = json.loads(got.body)
    assert (got.method, got.path, sent["trigger"], sent["record"]["id"]) == ("POST", "/wf", "workflow", lead)
    with emulator.store.tx() as conn:
        (delivery,) = delivery_repo.list_deliveries(
            conn, emulator.default_org_id, source="function", status=None, limit=10, offset=0
        )
    assert delivery["status"] == "delivered"
    assert function_runs(emulator, lead) == [("success", None)]


@pytest.mark.parametrize(
    ("registered", "why"),
    [
        (False, "no function is registered with this id"),
        (True, "an async callable runs only when the function is called as a REST API"),
    ],
)
def test_a_rules_function_that_cannot_run_is_logged_as_a_failure(
    api: TestClient, emulator: Emulator, registered: bool, why: str
) -> None:
    async def later(call: Invocation) -> str:
        return "x"

    function_id = emulator.functions.register("later", later)["id"] if registered else "4876876000000000001"
    add_rule(api, rule_item(condition(action("functions", function_id))))
    lead = add_record(api)
    assert function_runs(emulator, lead) == [("failure", why)]


def test_a_callable_that_raises_fails_its_action_only(api: TestClient, emulator: Emulator) -> None:
    def broken(call: Invocation) -> None:
        raise RuntimeError("boom")

    made = emulator.functions.register("broken", broken)
    add_rule(api, rule_item(condition(action("functions", made["id"]))))
    lead = add_record(api)
    assert function_runs(emulator, lead) == [("failure", "RuntimeError: boom")]


def test_the_strict_outbound_policy_refuses_a_private_function_url(db_url: str) -> None:
    emulator = Emulator(Settings(db_url=db_url, public_url="http://testserver", outbound="strict"))
    try:
        with pytest.raises(ZohoError) as refused:
            emulator.functions.register("local", url="http://127.0.0.1:9/")
        assert (refused.value.code, refused.value.details) == ("INVALID_DATA", {"api_name": "url"})
        assert refused.value.message == "Url you've configured is not secure"
        assert emulator.functions.list() == []
    finally:
        emulator.close()
