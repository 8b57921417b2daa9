"""The declarative engine on its own: each rule kind gives Zoho's code and details."""

import re

import pytest

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.validation import Key, OneOf, Requires, Spec, check_limit, items_of

SPEC = Spec(
    keys=(
        Key("name", mandatory=True, max_length=5, min_length=1, unique=True),
        Key("kind", mandatory=True, choices=("standard", "custom")),
        Key("url", type="url", max_length=30),
        Key("code", pattern=re.compile(r"[A-Z]+"), reserved=frozenset({"none"})),
        Key(
            "profiles", type="array", min_items=1, max_items=2, items=Spec(keys=(Key("id", type="id", mandatory=True),))
        ),
        Key("count", type="integer"),
    ),
    rules=(Requires("url", "kind", ("custom",)),),
)
PATH = "$.things[0]"


def problem(item: object, **kwargs: object) -> ZohoError:
    with pytest.raises(ZohoError) as caught:
        SPEC.check(item, PATH, **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_a_valid_item_passes_with_ids_normalized_to_strings() -> None:
    clean = SPEC.check({"name": "a", "kind": "standard", "profiles": [{"id": 5725767000000001001}]}, PATH)
    assert clean["profiles"] == [{"id": "5725767000000001001"}]


def test_a_missing_mandatory_key_is_mandatory_not_found_with_its_path() -> None:
    error = problem({"kind": "standard"})
    assert (error.code, error.details) == ("MANDATORY_NOT_FOUND", {"api_name": "name", "json_path": "$.things[0].name"})


def test_partial_items_skip_mandatory_keys() -> None:
    assert SPEC.check({"count": 3}, PATH, partial=True) == {"count": 3}


@pytest.mark.parametrize(
    ("item", "details"),
    [
        ({"name": "abcdef", "kind": "standard"}, {"maximum_length": 5}),
        ({"name": "  ", "kind": "standard"}, {"minimum_length": 1}),
        ({"name": 7, "kind": "standard"}, {"expected_data_type": "text"}),
        ({"name": "a", "kind": "other"}, {"supported_values": ["standard", "custom"]}),
        ({"name": "a", "kind": "standard", "count": "3"}, {"expected_data_type": "integer"}),
        ({"name": "a", "kind": "standard", "count": True}, {"expected_data_type": "integer"}),
        ({"name": "a", "kind": "standard", "url": "not a url"}, {"expected_data_type": "website"}),
        ({"name": "a", "kind": "standard", "code": "abc"}, {}),
        ({"name": "a", "kind": "standard", "code": "NONE"}, {}),
    ],
)
def test_bad_values_are_invalid_data_with_zoho_details(item: dict[str, object], details: dict[str, object]) -> None:
    error = problem(item)
    assert error.code == "INVALID_DATA"
    assert details.items() <= error.details.items()
    assert error.details["json_path"].startswith("$.things[0].")


def test_nested_items_report_their_own_path() -> None:
    error = problem({"name": "a", "kind": "standard", "profiles": [{"id": "x1"}]})
    assert error.details == {
        "api_name": "id",
        "json_path": "$.things[0].profiles[0].id",
        "expected_data_type": "bigint",
    }


def test_array_bounds_give_mandatory_not_found_and_limit_exceeded() -> None:
    assert problem({"name": "a", "kind": "standard", "profiles": []}).code == "MANDATORY_NOT_FOUND"
    too_many = problem({"name": "a", "kind": "standard", "profiles": [{"id": "1"}] * 3})
    assert (too_many.code, too_many.details["limit"]) == ("LIMIT_EXCEEDED", 2)


def test_a_dependent_key_missing_names_its_dependee() -> None:
    error = problem({"name": "a", "kind": "custom"})
    assert error.code == "DEPENDENT_FIELD_MISSING"
    assert error.details["dependee"] == {"api_name": "kind", "json_path": "$.things[0].kind"}
    assert error.details["api_name"] == "url"


def test_a_dependent_rule_reads_the_stored_object_on_partial_updates() -> None:
    error = problem({"name": "b"}, partial=True, context={"kind": "custom"})
    assert error.code == "DEPENDENT_FIELD_MISSING"


def test_unique_keys_ask_the_caller_whether_the_value_is_taken() -> None:
    error = problem({"name": "a", "kind": "standard"}, taken=lambda key, value: value == "a")
    assert (error.code, error.details["api_name"]) == ("DUPLICATE_DATA", "name")


def test_one_of_reports_expected_fields() -> None:
    spec = Spec(keys=(Key("field_label"), Key("data_type")), rules=(OneOf(("field_label", "data_type")),))
    with pytest.raises(ZohoError) as caught:
        spec.check({}, "$.modules[0].display_field")
    assert caught.value.code == "EXPECTED_FIELD_MISSING"
    assert caught.value.details["expected_fields"] == ["field_label", "data_type"]


def test_envelopes_need_their_key_an_array_and_at_most_the_limit() -> None:
    with pytest.raises(ZohoError) as missing:
        items_of({}, "custom_links")
    assert (missing.value.code, missing.value.details["api_name"]) == ("MANDATORY_NOT_FOUND", "custom_links")
    with pytest.raises(ZohoError) as not_array:
        items_of({"custom_links": {}}, "custom_links")
    assert not_array.value.details["expected_data_type"] == "jsonarray"
    with pytest.raises(ZohoError) as too_many:
        items_of({"data": [{}] * 101}, "data", max_items=100)
    assert too_many.value.code == "LIMIT_EXCEEDED"
    assert items_of({"data": [{}] * 100}, "data", max_items=100) == [{}] * 100


def test_limits_name_their_cause() -> None:
    check_limit(10, 10, limit_due_to="module")
    with pytest.raises(ZohoError) as caught:
        check_limit(11, 10, limit_due_to="module")
    assert caught.value.details == {"limit": 10, "limit_due_to": "module"}
