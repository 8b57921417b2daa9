"""Request bodies: parsed fast, but never less exactly than the standard library parses them."""

from __future__ import annotations

import pytest

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.wire import parse_object


def test_a_plain_body_parses_to_its_object() -> None:
    assert parse_object(b'{"data": [{"Last_Name": "Ann", "No_of_Employees": 5, "Annual_Revenue": 1000.5}]}') == {
        "data": [{"Last_Name": "Ann", "No_of_Employees": 5, "Annual_Revenue": 1000.5}]
    }


@pytest.mark.parametrize(
    "number",
    [2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 123456789012345678901234567890],
)
def test_integers_of_any_size_stay_exact(number: int) -> None:
    assert parse_object(f'{{"id": {number}}}'.encode()) == {"id": number}


def test_numbers_beyond_float_range_read_as_the_standard_library_reads_them() -> None:
    assert parse_object(b'{"x": 1e400}') == {"x": float("inf")}


def test_a_lone_surrogate_escape_is_kept() -> None:
    assert parse_object(b'{"x": "\\ud800"}') == {"x": "\ud800"}


@pytest.mark.parametrize("body", [b"", b"[]", b"nope", b'{"a":', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_invalid_data(body: bytes) -> None:
    with pytest.raises(ZohoError) as caught:
        parse_object(body)
    assert caught.value.code == "INVALID_DATA"
    assert caught.value.details == {"expected_data_type": "jsonobject"}
