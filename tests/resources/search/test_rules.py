"""Search rules without HTTP or SQL: criteria checked against real field metadata (the fresh org's
Leads), each operator's meaning at its edges, the search params and the 2,000-result window."""

from __future__ import annotations

import json
import random
import re
import string
from importlib import resources
from typing import Any

import pytest

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.search.rules import (
    LIMITS,
    Term,
    matches,
    parse_criteria,
    result_window,
    search_request,
    words,
)


def leads_fields() -> dict[str, dict[str, Any]]:
    raw = (resources.files("zcrm_emulator.standard_org") / "fields" / "Leads.json").read_text(encoding="utf-8")
    fields = {f["api_name"]: f for f in json.loads(raw)}
    # A multi-select, an encrypted field and formulas, as custom fields would be.
    fields["Hobbies"] = {"api_name": "Hobbies", "data_type": "multiselectpicklist", "json_type": "jsonarray"}
    fields["Secret"] = {
        "api_name": "Secret",
        "data_type": "text",
        "json_type": "string",
        "crypt": {"mode": "decryption"},
    }
    fields["Score"] = {
        "api_name": "Score",
        "data_type": "formula",
        "json_type": "double",
        "formula": {"return_type": "double"},
    }
    fields["Label"] = {
        "api_name": "Label",
        "data_type": "formula",
        "json_type": "string",
        "formula": {"return_type": "string"},
    }
    return fields


FIELDS = leads_fields()


def error_of(text: str) -> ZohoError:
    with pytest.raises(ZohoError) as caught:
        parse_criteria(text, FIELDS)
    return caught.value


def hit(criteria: str, record: dict[str, Any]) -> bool:
    return matches(parse_criteria(criteria, FIELDS), record.get)


# --- binding: which errors a criteria earns -----------------------------------------------------
@pytest.mark.parametrize(
    ("criteria", "details"),
    [
        ("(Nope:equals:x)", {"api_name": "Nope", "reason": "invalid field found"}),
        ("(Company.id:equals:1)", {"api_name": "Company.id", "reason": "invalid field found"}),
        ("(Owner.name:equals:x)", {"api_name": "Owner.name", "reason": "invalid field found"}),
        (
            "(Lead_Status:starts_with:Con)",
            {"api_name": "Lead_Status", "operator": "starts_with", "reason": "invalid operator found"},
        ),
        (
            "(Company:greater_than:A)",
            {"api_name": "Company", "operator": "greater_than", "reason": "invalid operator found"},
        ),
        ("(Description:in:a,b)", {"api_name": "Description", "operator": "in", "reason": "invalid operator found"}),
        (
            "(Email_Opt_Out:in:true)",
            {"api_name": "Email_Opt_Out", "operator": "in", "reason": "invalid operator found"},
        ),
        ("(Owner:between:1,2)", {"api_name": "Owner", "operator": "between", "reason": "invalid operator found"}),
        (
            "(Secret:starts_with:a)",
            {"api_name": "Secret", "operator": "starts_with", "reason": "invalid operator found"},
        ),
        ("(Tag:starts_with:ho)", {"api_name": "Tag", "operator": "starts_with", "reason": "invalid operator found"}),
        ("(Tag:equals:a,b)", {"api_name": "Tag", "value": "a,b", "reason": "invalid value found"}),
        ("(Layout:equals:1)", {"api_name": "Layout", "operator": "equals", "reason": "invalid operator found"}),
        ("(Company:contains:x)", {"api_name": "Company", "operator": "contains", "reason": "invalid operator found"}),
        (
            "(No_of_Employees:equals:abc)",
            {"api_name": "No_of_Employees", "expected_data_type": "integer", "reason": "invalid data type found"},
        ),
        (
            "(Annual_Revenue:greater_than:1e)",
            {"api_name": "Annual_Revenue", "expected_data_type": "double", "reason": "invalid data type found"},
        ),
        (
            "(Created_Time:greater_than:2024-01-01)",
            {"api_name": "Created_Time", "expected_data_type": "datetime", "reason": "invalid data type found"},
        ),
        (
            "(Email_Opt_Out:equals:yes)",
            {"api_name": "Email_Opt_Out", "expected_data_type": "boolean", "reason": "invalid data type found"},
        ),
        (
            "(Owner:equals:Patricia)",
            {"api_name": "Owner", "expected_data_type": "bigint", "reason": "invalid data type found"},
        ),
        ("(No_of_Employees:between:1)", {"api_name": "No_of_Employees", "value": "1", "reason": "invalid value found"}),
        (
            "(No_of_Employees:between:1,2,3)",
            {"api_name": "No_of_Employees", "value": "1,2,3", "reason": "invalid value found"},
        ),
        (
            "(No_of_Employees:greater_than:1,2)",
            {"api_name": "No_of_Employees", "value": "1,2", "reason": "invalid value found"},
        ),
        ("(Company:equals:)", {"api_name": "Company", "value": "", "reason": "invalid value found"}),
        ("(Company:equals:@@)", {"api_name": "Company", "value": "@@", "reason": "invalid value found"}),
    ],
)
def test_criteria_that_do_not_fit_the_fields_are_invalid_query(criteria: str, details: dict[str, Any]) -> None:
    error = error_of(criteria)
    assert (error.code, error.message, error.details) == ("INVALID_QUERY", "Invalid query formed", details)


def values(count: int) -> str:
    return ",".join(f"v{i}" for i in range(count))


def test_in_takes_100_values_not_101() -> None:
    assert isinstance(parse_criteria(f"(Company:in:{values(100)})", FIELDS), Term)
    error = error_of(f"(Company:in:{values(101)})")
    assert (error.code, error.message, error.details) == (
        "INVALID_QUERY",
        'Only 100 values are allowed in "IN" criteria',
        {"api_name": "Company"},
    )


def chain(count: int) -> str:
    return "(" + "and".join(f"(Company:equals:c{i})" for i in range(count)) + ")"


def test_ten_conditions_pass_and_eleven_are_criteria_limit_exceeded() -> None:
    parse_criteria(chain(LIMITS.conditions), FIELDS)
    error = error_of(chain(LIMITS.conditions + 1))
    assert (error.code, error.status, error.details) == ("CRITERIA_LIMIT_EXCEEDED", 400, {})
    assert error.message == "no of criterium that can be given exceed the limit 10"


def test_criteria_of_3000_characters_pass_and_3001_are_invalid_data() -> None:
    text = "(Company:equals:" + "a" * (3000 - len("(Company:equals:)")) + ")"
    parse_criteria(text, FIELDS)
    error = error_of(text[:-1] + "a)")
    assert (error.code, error.details) == ("INVALID_DATA", {"param_name": "criteria", "maximum_length": 3000})


def test_the_limit_check_comes_before_field_checks() -> None:
    text = "(" + "and".join(f"(Nope{i}:equals:x)" for i in range(11)) + ")"
    assert error_of(text).code == "CRITERIA_LIMIT_EXCEEDED"


# --- matching: each operator at its edges --------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ABC Inc.", ("abc", "inc")),
        ("sales-team@zoho.com", ("sales", "team", "zoho.com")),
        ("sales_team@zoho.com", ("sales", "team", "zoho.com")),
        ("john.doe@example.com", ("john.doe", "example.com")),
        ("O'Brien {Ltd} [x]^y", ("o'brien", "ltd", "x", "y")),
        ("Straße", ("straße",)),
        ("", ()),
    ],
)
def test_words_are_cut_at_spaces_and_special_characters(text: str, expected: tuple[str, ...]) -> None:
    assert words(text) == expected


def test_ascii_text_is_cut_into_the_same_words_by_the_fast_path() -> None:
    """ASCII text goes through a lower-case ASCII pattern; it must find what the general one finds."""
    general = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")
    chance = random.Random(7)
    alphabet = string.ascii_letters + string.digits + " .'_-@&%$()[]{}^!?,;:/\\\t"
    texts = [
        "a..b",
        "x'y'z",
        "''.a.",
        ".a'",
        "A.B.C@D.E",
        *("".join(chance.choices(alphabet, k=24)) for _ in range(3000)),
    ]
    for text in texts:
        assert words(text) == tuple(m.group().lower() for m in general.finditer(text)), text


@pytest.mark.parametrize(
    ("criteria", "value", "expected"),
    [
        ("(Company:equals:ABC)", "ABC", True),
        ("(Company:equals:ABC)", "ABC Inc.", True),  # Zoho's example: equals acts as contains
        ("(Company:equals:ABC)", "The abc company", True),
        ("(Company:equals:ABC)", "ABCD", False),
        ("(Company:equals:ABC Inc)", "ABC Inc.", True),
        ("(Company:equals:Inc ABC)", "ABC Inc.", False),
        ("(Company:equals:ABC)", None, False),
        ("(Email:equals:sales-team@zoho.com)", "sales_team@zoho.com", True),  # loose special characters
        ("(Email:equals:sales-team@zoho.com)", "salesteam@zoho.com", False),
        ("(Company:starts_with:Zyl)", "Zylker Corp", True),
        ("(Company:starts_with:Corp)", "Zylker Corp", False),
        ("(Company:starts_with:zylker c)", "Zylker Corp", True),
        ("(Company:not_equal:ABC)", "ABC Inc.", False),
        ("(Company:not_equal:ABC)", "XYZ", True),
        ("(Company:not_equal:ABC)", None, True),  # empty values are "not equal"
        ("(Company:in:Zylker,ABC)", "ABC Inc.", True),
        ("(Company:in:Zylker,ABC)", "XYZ", False),
        (r"(Company:equals:Burns\,B)", "Burns, B", True),
        ("(Lead_Status:equals:Contacted)", "Contacted", True),
        ("(Lead_Status:equals:contacted)", "Contacted", True),
        ("(Lead_Status:equals:Contact)", "Contacted", False),  # picklists: not "contains"
        ("(Lead_Status:equals:Attempted)", "Attempted to Contact", False),
        ("(Lead_Status:in:Junk Lead,Contacted)", "Contacted", True),
        ("(Lead_Status:not_equal:Contacted)", "Junk Lead", True),
        ("(Phone:equals:555-123)", "+1 (555) 123-4567", True),
        ("(Phone:equals:5551234567)", "+1-555-123-4567", True),
        ("(Phone:equals:555-124)", "+1 (555) 123-4567", False),
        ("(Phone:starts_with:+1 555)", "+1 (555) 123-4567", True),
    ],
)
def test_text_like_operators(criteria: str, value: Any, expected: bool) -> None:
    field = criteria[1:].split(":")[0]
    assert hit(criteria, {field: value}) is expected


@pytest.mark.parametrize(
    ("criteria", "record", "expected"),
    [
        ("(No_of_Employees:equals:10)", {"No_of_Employees": 10}, True),
        ("(No_of_Employees:equals:10)", {"No_of_Employees": 100}, False),
        ("(No_of_Employees:greater_than:10)", {"No_of_Employees": 10}, False),
        ("(No_of_Employees:greater_equal:10)", {"No_of_Employees": 10}, True),
        ("(No_of_Employees:less_than:10)", {"No_of_Employees": 9}, True),
        ("(No_of_Employees:less_equal:10)", {"No_of_Employees": 11}, False),
        ("(No_of_Employees:between:10,20)", {"No_of_Employees": 20}, True),
        ("(No_of_Employees:between:10,20)", {"No_of_Employees": 21}, False),
        ("(No_of_Employees:in:1,2,3)", {"No_of_Employees": 2}, True),
        ("(No_of_Employees:not_equal:3)", {}, True),
        ("(Annual_Revenue:greater_than:99.5)", {"Annual_Revenue": 99.51}, True),
        ("(Annual_Revenue:greater_than:99.5)", {"Annual_Revenue": 99.5}, False),
        ("(Score:less_than:0)", {"Score": -0.5}, True),  # formula compared by its return type
        ("(Label:equals:gold)", {"Label": "Gold tier"}, True),
        ("(id:equals:4150868000000224005)", {"id": "4150868000000224005"}, True),
        ("(id:greater_than:4150868000000224005)", {"id": "4150868000000224006"}, True),
        # Date-times compare as instants whatever the offset; stored values are UTC.
        ("(Created_Time:equals:2024-05-14T15:51:32+05:30)", {"Created_Time": "2024-05-14T10:21:32+00:00"}, True),
        ("(Created_Time:greater_than:2024-05-14T10:21:32Z)", {"Created_Time": "2024-05-14T10:21:32+00:00"}, False),
        ("(Created_Time:greater_equal:2024-05-14T10:21:32Z)", {"Created_Time": "2024-05-14T10:21:32+00:00"}, True),
        (
            "(Created_Time:between:2024-01-01T00:00:00+00:00,2024-12-31T23:59:59+00:00)",
            {"Created_Time": "2025-01-01T00:00:00+00:00"},
            False,
        ),
        ("(Email_Opt_Out:equals:true)", {"Email_Opt_Out": True}, True),
        ("(Email_Opt_Out:equals:TRUE)", {"Email_Opt_Out": False}, False),
        ("(Email_Opt_Out:not_equal:true)", {}, True),
        ("(Owner:equals:4150868000000224005)", {"Owner": "4150868000000224005"}, True),
        ("(Owner.id:in:1,4150868000000224005)", {"Owner": "4150868000000224005"}, True),
        ("(Owner:not_equal:4150868000000224005)", {"Owner": "4150868000000224005"}, False),
        ("(Hobbies:equals:chess)", {"Hobbies": ["Chess", "Go"]}, True),
        ("(Hobbies:equals:che)", {"Hobbies": ["Chess", "Go"]}, False),
        ("(Hobbies:starts_with:che)", {"Hobbies": ["Chess", "Go"]}, True),
        ("(Hobbies:in:Poker,Go)", {"Hobbies": ["Chess", "Go"]}, True),
        ("(Hobbies:not_equal:Go)", {"Hobbies": ["Chess", "Go"]}, False),
        ("(Hobbies:not_equal:Go)", {"Hobbies": []}, True),
        ("(Secret:equals:abc)", {"Secret": "ABC"}, True),
    ],
)
def test_typed_operators(criteria: str, record: dict[str, Any], expected: bool) -> None:
    assert hit(criteria, record) is expected


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ("((Company:equals:Zylker)and(Lead_Status:equals:Contacted))", True),
        ("((Company:equals:Zylker)and(Lead_Status:equals:Junk Lead))", False),
        ("((Company:equals:Nope)or(Lead_Status:equals:Contacted))", True),
        ("((Company:equals:Nope)or((No_of_Employees:greater_than:5)and(Lead_Status:in:Contacted)))", True),
        ("((Company:equals:Nope)or((No_of_Employees:greater_than:50)and(Lead_Status:in:Contacted)))", False),
    ],
)
def test_groups_combine_with_and_or(criteria: str, expected: bool) -> None:
    record = {"Company": "Zylker Corp", "Lead_Status": "Contacted", "No_of_Employees": 10}
    assert hit(criteria, record) is expected


# --- the search params ------------------------------------------------------------------------
def request(**query: str) -> Any:
    return search_request(query, FIELDS, required=True)


def test_no_search_param_is_expected_param_missing() -> None:
    with pytest.raises(ZohoError) as caught:
        request(page="1")
    assert (caught.value.code, caught.value.details, caught.value.message) == (
        "EXPECTED_PARAM_MISSING",
        {"param_names": ["criteria", "email", "phone", "word"]},
        "one of the expected parameter is missing",
    )


def test_blank_search_params_count_as_missing() -> None:
    with pytest.raises(ZohoError):
        request(criteria="  ", email="")


@pytest.mark.parametrize(
    ("query", "winner"),
    [
        ({"criteria": "(Company:equals:a)", "email": "a@b.com", "phone": "555", "word": "ab"}, "criteria"),
        ({"email": "a@b.com", "phone": "555", "word": "ab"}, "email"),
        ({"phone": "555", "word": "ab"}, "phone"),
        ({"word": "ab"}, "word"),
    ],
)
def test_only_the_first_of_criteria_email_phone_word_is_used(query: dict[str, str], winner: str) -> None:
    assert request(**query).param == winner


def test_email_searches_every_email_field_by_words() -> None:
    bound = request(email="john.doe@example.com").bound
    assert matches(bound, {"Secondary_Email": "John.Doe@Example.com"}.get)
    assert matches(request(email="@example.com").bound, {"Email": "x@example.com"}.get)
    assert not matches(bound, {"Email": "jane@example.com"}.get)


@pytest.mark.parametrize(
    ("param", "value", "ok"),
    [
        ("phone", "555", True),
        ("phone", "55", False),
        ("phone", "+1 (555) 123-45.67", True),
        ("phone", "555-abc", False),
        ("phone", "(-)", False),
        ("word", "ab", True),
        ("word", "a", False),
        ("word", "x" * 100, True),
        ("word", "x" * 101, False),
        ("email", "a@b.com", True),
        ("email", "@@", False),
    ],
)
def test_phone_and_word_lengths(param: str, value: str, ok: bool) -> None:
    if ok:
        assert request(**{param: value}).param == param
    else:
        with pytest.raises(ZohoError) as caught:
            request(**{param: value})
        assert (caught.value.code, caught.value.details) == ("INVALID_DATA", {"param_name": param})


def test_phone_matches_digits_in_any_phone_field() -> None:
    bound = request(phone="555-1234").bound
    assert matches(bound, {"Mobile": "+1 555 1234"}.get)
    assert not matches(bound, {"Fax": "555-1234"}.get)  # Fax is a text field, not a phone field


def test_word_searches_text_like_fields_only() -> None:
    bound = request(word="zylker").bound
    assert matches(bound, {"Description": "Met the Zylker team"}.get)
    assert matches(bound, {"Website": "https://zylker.example"}.get) is False  # one word: zylker.example
    assert not matches(bound, {"No_of_Employees": 5}.get)


# --- the 2,000-result window -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("page", "per_page", "window"),
    [(1, 200, (0, 200)), (10, 200, (1800, 200)), (14, 150, (1950, 50)), (2000, 1, (1999, 1))],
)
def test_pages_inside_the_first_2000_results(page: int, per_page: int, window: tuple[int, int]) -> None:
    assert result_window(page, per_page) == window


@pytest.mark.parametrize(("page", "per_page"), [(11, 200), (15, 150), (2001, 1)])
def test_pages_past_2000_results_are_limit_reached(page: int, per_page: int) -> None:
    with pytest.raises(ZohoError) as caught:
        result_window(page, per_page)
    assert (caught.value.code, caught.value.details, caught.value.message) == (
        "LIMIT_REACHED",
        {"limit": "2000"},
        "maximum response iteration limit reached",
    )
