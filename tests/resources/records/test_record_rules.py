"""Record rules without HTTP: the field type checkers, page-token binding, credit weights."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from zcrm_emulator.record_model import paging
from zcrm_emulator.record_model.field_types import FIELD_TYPES
from zcrm_emulator.resources.records.routes import ENDPOINTS, ONE_RECORD_ENDPOINTS
from zcrm_emulator.usage.weights import cost_of
from zcrm_emulator.validation import Invalid
from zcrm_emulator.wire import parse_object


@pytest.mark.parametrize(
    ("data_type", "given", "stored"),
    [
        ("datetime", "2025-01-31T10:20:30+05:30", "2025-01-31T04:50:30+00:00"),
        ("datetime", "2025-01-31T10:20:30.123Z", "2025-01-31T10:20:30+00:00"),
        ("date", "2024-02-29", "2024-02-29"),
        ("integer", "-42", -42),
        ("integer", 7.0, 7),
        ("integer", 2_147_483_647, 2_147_483_647),
        ("bigint", 9_007_199_254_740_993, "9007199254740993"),
        ("double", "12", 12),
        ("double", "12.50", 12.5),
        ("website", "zylker.example", "zylker.example"),
        ("website", "http://localhost:8000/x", "http://localhost:8000/x"),
        ("email", "a.b+c@mail.zylker.example", "a.b+c@mail.zylker.example"),
        ("lookup", {"id": "4150868000000002175", "name": "x"}, "4150868000000002175"),
        ("lookup", 4150868000000002175, "4150868000000002175"),
        ("tag", [{"name": " Hot "}, {"name": "hot"}], [{"name": "Hot"}]),
    ],
)
def test_values_are_normalized_for_storage(data_type: str, given: Any, stored: Any) -> None:
    assert FIELD_TYPES[data_type].convert(given) == stored


@pytest.mark.parametrize(
    ("data_type", "given"),
    [
        ("datetime", "2025-01-31 10:20:30+05:30"),
        ("datetime", "2025-13-01T10:20:30Z"),
        ("date", "2023-02-29"),
        ("date", "2023-2-1"),
        ("integer", 2_147_483_648),
        ("integer", "1e3"),
        ("bigint", 1.5),
        ("double", True),
        ("boolean", 1),
        ("website", "http://"),
        ("website", "zylker"),
        ("email", "@zylker.example"),
        ("lookup", {"id": "0123"}),
        ("lookup", {"id": True}),
        ("multiselectpicklist", ["a", 1]),
        ("tag", [{"name": ""}]),
        ("tag", ["Hot"]),
    ],
)
def test_values_of_the_wrong_shape_are_invalid(data_type: str, given: Any) -> None:
    with pytest.raises(Invalid):
        FIELD_TYPES[data_type].convert(given)


def test_a_token_binding_ignores_only_the_page_params() -> None:
    base = {"fields": "Last_Name", "sort_by": "id"}
    same = paging.binding("1", {**base, "page": "3", "per_page": "50", "page_token": "t"})
    assert paging.binding("1", base) == same
    assert paging.binding("1", {**base, "sort_order": "asc"}) != same
    assert paging.binding("2", base) != same


def _cost(method: str, path: str, body: bytes = b"", query: dict[str, str] | None = None) -> int:
    endpoint = next(e for e in [*ENDPOINTS, *ONE_RECORD_ENDPOINTS] if (e.method, e.path) == (method, path))
    call = SimpleNamespace(json=lambda: parse_object(body), query=lambda name: (query or {}).get(name))
    return cost_of(endpoint, call)  # type: ignore[arg-type]


def _records(n: int) -> bytes:
    return ('{"data":[' + ",".join(['{"Last_Name":"x"}'] * n) + "]}").encode()


@pytest.mark.parametrize(("count", "credits"), [(1, 1), (10, 1), (11, 2), (100, 10)])
def test_writes_cost_one_credit_per_ten_records(count: int, credits: int) -> None:
    for method, path in (("POST", "/{module}"), ("PUT", "/{module}"), ("POST", "/{module}/upsert")):
        assert _cost(method, path, _records(count)) == credits


def test_read_credits() -> None:
    assert _cost("GET", "/{module}/deleted") == 2
    assert _cost("GET", "/{module}") == 1
    assert _cost("GET", "/{module}", query={"cvid": "1"}) == 3
    assert _cost("GET", "/{module}/{record_id}") == 1
    assert _cost("DELETE", "/{module}") == 1
