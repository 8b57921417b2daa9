"""Property tests of the JSON body reader ``wire.parse_object`` (issue #11): whatever bytes a client
sends, the reader returns an object or refuses with Zoho's INVALID_DATA; it never raises anything
else (a RecursionError on ``[[[[…`` would be a 500). A body that is a JSON object reads exactly as the
standard library reads it (orjson does most of the reading, the standard library the rest).
"""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.reliability.hypothesis_settings import DETERMINISTIC
from tests.reliability.strategies import dumps, hostile_text, json_values, jsonish_bytes, nested_json
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.wire import parse_object

PROPERTIES = settings(DETERMINISTIC, max_examples=400)


def read(body: bytes) -> dict[str, Any] | ZohoError:
    """The reader's answer: the object, or the ZohoError it refused with (anything else escapes)."""
    try:
        return parse_object(body)
    except ZohoError as error:
        return error


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values: same types (True is not 1, 1.0 is not 1), NaN equal to NaN, same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def standard_read(body: bytes) -> Any:
    """What ``json.loads`` reads, or None when it refuses (including by recursing too deep)."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


OBJECTS = st.dictionaries(hostile_text(10), json_values(), max_size=5)


@PROPERTIES
@given(st.one_of(st.binary(max_size=200), jsonish_bytes()))
@example(b"[" * 5000)
@example(b'{"a":' * 5000)
@example('{"a":1}'.encode("utf-16"))
def test_any_bytes_read_as_an_object_or_refused_with_invalid_data(body: bytes) -> None:
    answer = read(body)
    if isinstance(answer, ZohoError):
        assert answer.as_item()["code"] == "INVALID_DATA"
    else:
        assert isinstance(answer, dict)


@PROPERTIES
@given(OBJECTS.map(dumps))
@example(b'{"a":NaN,"b":-Infinity,"c":1e400,"d":-0.0}')
@example(b'{"big":123456789012345678901234567890,"tiny":5e-324}')
@example(b'{"lone":"\\ud800","pair":"\\ud83d\\ude00"}')
@example(b'{"a":1,"a":2}')
def test_a_json_object_reads_as_the_standard_library_reads_it(body: bytes) -> None:
    expected = json.loads(body)
    assert same(read(body), expected), body[:300]


@PROPERTIES
@given(json_values().filter(lambda v: not isinstance(v, dict)).map(dumps))
def test_json_that_is_not_an_object_is_invalid_data(body: bytes) -> None:
    answer = read(body)
    assert isinstance(answer, ZohoError)
    assert answer.as_item()["details"] == {"expected_data_type": "jsonobject"}


@settings(PROPERTIES, max_examples=80)
@given(nested_json(max_depth=6000))
@example(b'{"data":' + b"[" * 5000 + b"]" * 5000 + b"}")
def test_nesting_of_any_depth_is_read_or_refused_with_invalid_data(body: bytes) -> None:
    answer = read(body)
    expected = standard_read(body)
    if isinstance(answer, ZohoError):
        assert answer.as_item()["code"] == "INVALID_DATA"
    elif expected is not None:  # a depth the standard library reads: the same value
        assert same(answer, expected)
