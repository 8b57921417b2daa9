"""The validation engine's keys for module, link and unsubscribe rules: codes for empty values and
reserved words, references checked inside nested items, one-item envelopes, digit strings."""

from __future__ import annotations

import re
from typing import Any

import pytest

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.validation import Key, Spec, check_limit, only_item_of

PATH = "$.modules[0]"
SPEC = Spec(
    keys=(
        Key(
            "profiles",
            type="array",
            mandatory=True,
            min_items=1,
            empty_code="MINIMUM_DATA_NOT_FOUND",
            items=Spec(keys=(Key("id", type="id", mandatory=True, reference="profiles", message="bad profile"),)),
        ),
        Key(
            "api_name",
            pattern=re.compile(r"[A-Za-z](?:_?[A-Za-z0-9])*"),
            reserved=frozenset({"status", "nearby_distance__s"}),
            reserved_code="RESERVED_KEYWORD_NOT_ALLOWED",
            unique=True,
            duplicate_message="name already exists",
        ),
        Key("start_number", type="digits", max_length=3),
    )
)
KNOWN = {"11"}


def problem(item: dict[str, Any], **kwargs: Any) -> ZohoError:
    with pytest.raises(ZohoError) as caught:
        SPEC.check(item, PATH, exists=lambda ref, value: value in KNOWN, taken=lambda k, v: v == "Taken", **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({}, "MANDATORY_NOT_FOUND"),
        ({"profiles": []}, "MINIMUM_DATA_NOT_FOUND"),
        ({"profiles": None}, "MINIMUM_DATA_NOT_FOUND"),
    ],
)
def test_an_empty_value_can_have_its_own_code(item: dict[str, Any], code: str) -> None:
    assert problem(item).code == code
    assert problem(item).details == {"api_name": "profiles", "json_path": f"{PATH}.profiles"}


def test_partial_checks_use_the_empty_code_too() -> None:
    assert problem({"profiles": []}, partial=True).code == "MINIMUM_DATA_NOT_FOUND"
    assert problem({"profiles": None}, partial=True).code == "MINIMUM_DATA_NOT_FOUND"


def test_references_are_checked_inside_nested_items() -> None:
    error = problem({"profiles": [{"id": "11"}, {"id": "12"}]})
    assert (error.code, error.details, error.message) == (
        "INVALID_DATA",
        {"api_name": "id", "json_path": f"{PATH}.profiles[1].id"},
        "bad profile",
    )


@pytest.mark.parametrize("word", ["Status", "status", "nearby_distance__s"])
def test_reserved_words_get_their_own_code_before_the_pattern(word: str) -> None:
    error = problem({"profiles": [{"id": "11"}], "api_name": word})
    assert (error.code, error.status, error.message) == (
        "RESERVED_KEYWORD_NOT_ALLOWED",
        403,
        "reserved keyword not allowed",
    )


def test_a_duplicate_can_have_its_own_message() -> None:
    error = problem({"profiles": [{"id": "11"}], "api_name": "Taken"})
    assert (error.code, error.message) == ("DUPLICATE_DATA", "name already exists")


@pytest.mark.parametrize(
    ("value", "clean", "details"),
    [
        ("123", "123", None),
        (123, "123", None),
        ("007", "007", None),
        ("1234", None, {"maximum_length": 3}),
        ("1.5", None, {"expected_data_type": "integer"}),
        (-1, None, {"expected_data_type": "integer"}),
        (True, None, {"expected_data_type": "integer"}),
        ("١٢", None, {"expected_data_type": "integer"}),
    ],
)
def test_digit_strings(value: Any, clean: str | None, details: dict[str, Any] | None) -> None:
    item = {"profiles": [{"id": "11"}], "start_number": value}
    if details is None:
        assert SPEC.check(item, PATH, exists=lambda ref, v: True)["start_number"] == clean
        return
    error = problem(item)
    assert error.code == "INVALID_DATA"
    assert details.items() <= error.details.items()


@pytest.mark.parametrize(
    ("kwargs", "details", "message"),
    [
        ({}, {"limit": 10}, "limit exceeded"),
        (
            {"limit_due_to": [{"api_name": "links", "json_path": "$.links"}], "message": "Link limit exceeded"},
            {"limit": 10, "limit_due_to": [{"api_name": "links", "json_path": "$.links"}]},
            "Link limit exceeded",
        ),
    ],
)
def test_limits(kwargs: dict[str, Any], details: dict[str, Any], message: str) -> None:
    check_limit(10, 10, **kwargs)
    with pytest.raises(ZohoError) as caught:
        check_limit(11, 10, **kwargs)
    assert (caught.value.details, caught.value.message) == (details, message)


def test_one_item_envelopes() -> None:
    assert only_item_of({"links": [{"a": 1}]}, "links") == {"a": 1}
    with pytest.raises(ZohoError) as caught:
        only_item_of({"links": [{}, {}]}, "links")
    assert (caught.value.code, caught.value.details) == (
        "INVALID_DATA",
        {"maximum_length": 1, "api_name": "links", "json_path": "$.links"},
    )
    with pytest.raises(ZohoError) as missing:
        only_item_of({}, "links")
    assert missing.value.code == "MANDATORY_NOT_FOUND"
