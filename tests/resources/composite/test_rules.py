"""The composite call's rules without HTTP: references, the order sub-requests run in, the allowed
APIs and the answer's status."""

from __future__ import annotations

from typing import Any

import pytest

from zcrm_emulator.endpoints import ENDPOINTS
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.composite import apis, references, rules


def test_every_allowed_api_is_an_endpoint_of_the_table() -> None:
    served = {(endpoint.method, endpoint.path) for endpoint in ENDPOINTS}
    assert set(apis.ALLOWED) <= served


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("$", ()),
        ("$.data[0].details.id", ("data", 0, "details", "id")),
        ("$['data'][12][\"id\"]", ("data", 12, "id")),
        ("data[0]", None),
        ("$.data[x]", None),
        ("$..id", None),
    ],
)
def test_a_jsonpath_is_dollar_and_plain_steps(path: str, steps: tuple[Any, ...] | None) -> None:
    assert references.parse_path(path) == steps


def test_references_are_found_in_order_and_a_broken_one_is_named() -> None:
    found = references.in_text("/Leads/@{1:$.data[0].details.id}?x=@{two:$.id}")
    assert [(r.target, r.steps) for r in found] == [("1", ("data", 0, "details", "id")), ("two", ("id",))]
    with pytest.raises(references.BadReference) as broken:
        references.in_text("a @{1$.id} b")
    assert broken.value.text == "@{1$.id}"


def test_a_whole_reference_keeps_its_type_in_a_body_and_becomes_text_elsewhere() -> None:
    bodies = {"1": {"data": [{"count": 3, "ok": True}]}}
    body = {"n": "@{1:$.data[0].count}", "text": "n=@{1:$.data[0].count}, @{1:$.data[0].ok}"}
    assert references.substitute(body, bodies, keep_types=True) == {"n": 3, "text": "n=3, true"}
    assert references.substitute("@{1:$.data[0].count}", bodies, keep_types=False) == "3"


@pytest.mark.parametrize("path", ["$.data[1].count", "$.data[0].missing", "$.data.count", "$.nothing"])
def test_a_reference_to_no_value_is_unresolved(path: str) -> None:
    with pytest.raises(references.Unresolved):
        references.substitute(f"@{{1:{path}}}", {"1": {"data": [{"count": 3}], "nothing": None}}, keep_types=True)


def draft(index: int, sub_request_id: str, uri: str = "/crm/v8/org") -> rules.Draft:
    return rules.read_sub_request(index, {"method": "GET", "uri": uri, "sub_request_id": sub_request_id})


def test_in_parallel_a_sub_request_waits_for_those_it_refers_to() -> None:
    drafts = [draft(0, "a", "/crm/v8/Leads/@{c:$.id}"), draft(1, "b"), draft(2, "c", "/crm/v8/Leads/@{b:$.id}")]
    parallel = rules.order(drafts, rules.Options(rollback_on_fail=False, parallel=True), set())
    assert [d.index for d in parallel] == [1, 2, 0]
    sequential = rules.order(drafts, rules.Options(rollback_on_fail=False, parallel=False), set())
    assert [d.index for d in sequential] == [0, 1, 2]


@pytest.mark.parametrize(
    ("payload", "options"),
    [
        ({}, rules.Options(rollback_on_fail=False, parallel=True)),
        ({"rollback_on_fail": True}, rules.Options(rollback_on_fail=True, parallel=False)),
        (
            {"rollback_on_fail": None, "concurrent_execution": False},
            rules.Options(rollback_on_fail=False, parallel=False),
        ),
        ({"parallel_execution": False}, rules.Options(rollback_on_fail=False, parallel=False)),
        ({"rollback_on_fail": False, "parallel_execution": True}, rules.Options(rollback_on_fail=False, parallel=True)),
    ],
)
def test_parallel_execution_is_the_default_unless_the_call_rolls_back(
    payload: dict[str, Any], options: rules.Options
) -> None:
    assert rules.read_options(payload) == options


@pytest.mark.parametrize(
    ("uri", "code"),
    [("/crm/v9/org", "NOT_ALLOWED"), ("/crm/v1/org", "NOT_SUPPORTED"), ("/crm/bulk/v8/read", "NOT_SUPPORTED")],
)
def test_a_uri_outside_the_composite_calls_versions_is_refused(uri: str, code: str) -> None:
    with pytest.raises(ZohoError) as refused:
        rules.target_of(0, uri, "v8")
    assert refused.value.code == code


def test_the_uri_names_the_version_and_path_the_sub_request_runs_on() -> None:
    assert rules.target_of(0, "/crm/v2.1/Leads/1/?x=1", "v8") == rules.Target("v2.1", "/Leads/1")
    assert rules.query_of("/crm/v8/Leads?a=1", {"b": 2, "c": True}) == [("a", "1"), ("b", "2"), ("c", "true")]


def executed() -> dict[str, Any]:
    return rules.executed(400, {}, None)  # ran, whatever it answered


def refused() -> dict[str, Any]:
    return ZohoError("NOT_SUPPORTED").as_item()


@pytest.mark.parametrize(
    ("answer", "rolled_back", "status"),
    [
        ([executed(), executed()], False, 200),
        ([executed(), refused()], False, 207),
        ([refused(), refused()], False, 400),
        ([executed(), executed()], True, 400),
    ],
)
def test_the_status_counts_the_sub_requests_that_ran(
    answer: list[dict[str, Any]], rolled_back: bool, status: int
) -> None:
    assert rules.status(answer, rolled_back=rolled_back) == status
