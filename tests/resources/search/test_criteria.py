"""The criteria grammar on its own: Zoho's examples parse, escapes unescape, anything else is
INVALID_QUERY "Invalid query formed" with empty details."""

from __future__ import annotations

import pytest

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.search.criteria import MAX_NESTING, Condition, Group, conditions, parse


def cond(field: str, operator: str, *values: str, raw: str | None = None) -> Condition:
    return Condition(field, operator, values, raw if raw is not None else ",".join(values))


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("(Company:equals:Zylker)", cond("Company", "equals", "Zylker")),
        (
            "((Company:equals:Zylker) and (Lead_Status:equals:Qualified))",
            Group("and", (cond("Company", "equals", "Zylker"), cond("Lead_Status", "equals", "Qualified"))),
        ),
        (
            "((Company:equals:Zylker)and(Lead_Status:equals:Qualified))",
            Group("and", (cond("Company", "equals", "Zylker"), cond("Lead_Status", "equals", "Qualified"))),
        ),
        (
            "((Created_Time:greater_equal:2023-01-01T00:00:00+00:00) AND "
            "(Created_Time:less_equal:2023-12-31T23:59:59+00:00))",
            Group(
                "and",
                (
                    cond("Created_Time", "greater_equal", "2023-01-01T00:00:00+00:00"),
                    cond("Created_Time", "less_equal", "2023-12-31T23:59:59+00:00"),
                ),
            ),
        ),
        (
            "(Lead_Status:in:Qualified,Contacted,Converted)",
            cond("Lead_Status", "in", "Qualified", "Contacted", "Converted"),
        ),
        (
            "((A:equals:1)or((B:equals:2)and(C:equals:3)))",
            Group("or", (cond("A", "equals", "1"), Group("and", (cond("B", "equals", "2"), cond("C", "equals", "3"))))),
        ),
        ("((A:equals:1))", cond("A", "equals", "1")),
        ("  ( A : EQUALS : some value )  ", cond("A", "equals", "some value", raw=" some value ")),
    ],
)
def test_zoho_criteria_forms_parse_to_their_tree(text: str, tree: object) -> None:
    assert parse(text) == tree


def test_and_binds_tighter_than_or_in_one_group() -> None:
    tree = parse("((A:equals:1)or(B:equals:2)and(C:equals:3))")
    assert tree == Group(
        "or", (cond("A", "equals", "1"), Group("and", (cond("B", "equals", "2"), cond("C", "equals", "3"))))
    )


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (r"(Last_Name:equals:Burns\,B)", ("Burns,B",)),  # Zoho's example 1
        (r"(Last_Name:equals:K\\)", ("K\\",)),  # Zoho's example 2: an escaped trailing backslash
        (r"(Company:equals:Patricia\(Boyle\))", ("Patricia(Boyle)",)),
        (r"(Path:equals:C:\temp)", ("C:\\temp",)),  # a backslash before anything else is literal
        ("(Created_Time:equals:2024-01-01T10:00:00+05:30)", ("2024-01-01T10:00:00+05:30",)),
        ("(Lead_Status:in:A, B ,C)", ("A", "B", "C")),
    ],
)
def test_escapes_and_value_lists(text: str, values: tuple[str, ...]) -> None:
    node = parse(text)
    assert isinstance(node, Condition)
    assert node.values == values


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Company:equals:Zylker",  # no parentheses
        "(Company:equals:Zylker",  # not closed
        "(Company:equals:Zylker))",  # closed twice
        "(Company:equals)",  # no value part
        "(Company)",
        "(:equals:x)",
        "(Company::x)",
        "(Com pany:equals:x)",
        "(Company:equals:a(b)",  # unescaped parenthesis in a value
        r"(Last_Name:equals:K\)",  # unescaped trailing backslash swallows the closing parenthesis
        "((A:equals:1) xor (B:equals:2))",
        "((A:equals:1) (B:equals:2))",
        "((A:equals:1) and)",
        "((A:equals:1) and (B:equals:2)) trailing",
        "()",
    ],
)
def test_malformed_criteria_is_invalid_query_with_empty_details(text: str) -> None:
    with pytest.raises(ZohoError) as caught:
        parse(text)
    assert (caught.value.code, caught.value.details, caught.value.message, caught.value.status) == (
        "INVALID_QUERY",
        {},
        "Invalid query formed",
        400,
    )


def test_conditions_are_listed_left_to_right_through_nesting() -> None:
    tree = parse("((A:equals:1)or((B:equals:2)and(C:in:3,4)))")
    assert [c.field for c in conditions(tree)] == ["A", "B", "C"]


def test_nesting_up_to_the_limit_parses_and_one_level_more_is_invalid_query() -> None:
    inner = "(Company:equals:x)"
    deepest = "(" * (MAX_NESTING - 1) + inner + ")" * (MAX_NESTING - 1)
    assert parse(deepest) == Condition("Company", "equals", ("x",), "x")
    with pytest.raises(ZohoError) as caught:
        parse("(" * MAX_NESTING + inner + ")" * MAX_NESTING)
    assert (caught.value.code, caught.value.details) == ("INVALID_QUERY", {})


def test_criteria_nested_990_deep_is_invalid_query_not_a_recursion_error() -> None:
    with pytest.raises(ZohoError) as caught:
        parse("(" * 990 + "Company:equals:x" + ")" * 990)
    assert caught.value.code == "INVALID_QUERY"
