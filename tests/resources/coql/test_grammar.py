"""The COQL grammar alone: what a ``select_query`` parses to, and Zoho's SYNTAX_ERROR shapes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.coql import grammar
from zcrm_emulator.resources.coql.grammar import Aggregate, Column, Condition, Group, Literal


def where_of(text: str) -> grammar.Node:
    return grammar.parse(f"select id from Leads where {text}").where


def test_keywords_are_case_insensitive_and_lookup_paths_are_columns() -> None:
    query = grammar.parse(
        "SELECT Last_Name, Account_Name.Parent_Account.Account_Name AS parent FROM Contacts "
        "WHERE Last_Name IS NOT NULL ORDER BY Last_Name DESC, id LIMIT 5 OFFSET 10"
    )
    assert query.module == "Contacts"
    assert [item.expr for item in query.items] == [
        Column(("Last_Name",)),
        Column(("Account_Name", "Parent_Account", "Account_Name")),
    ]
    assert query.items[1].alias == "parent"
    assert query.where == Condition(Column(("Last_Name",)), "is not null", ())
    assert [(o.column.text, o.descending) for o in query.order_by] == [("Last_Name", True), ("id", False)]
    assert (query.limit, query.offset) == ("5", "10")


def test_limit_with_a_comma_is_offset_then_count() -> None:
    query = grammar.parse("select id from Leads where id is not null limit 20, 10")
    assert (query.limit, query.offset) == ("10", "20")


@pytest.mark.parametrize(
    ("text", "operator", "values"),
    [
        ("Email = 'a@b.com'", "=", ("a@b.com",)),
        ("Email != 'a@b.com'", "!=", ("a@b.com",)),
        ("No_of_Employees > 5", ">", (Decimal(5),)),
        ("No_of_Employees >= -5", ">=", (Decimal(-5),)),
        ("No_of_Employees < 5.5", "<", (Decimal("5.5"),)),
        ("No_of_Employees <= 5", "<=", (Decimal(5),)),
        ("Lead_Status in ('A', 'B')", "in", ("A", "B")),
        ("Lead_Status not in ('A')", "not in", ("A",)),
        ("Last_Name like 'Sm%'", "like", ("Sm%",)),
        ("Last_Name not like '%th'", "not like", ("%th",)),
        ("No_of_Employees between 1 and 9", "between", (Decimal(1), Decimal(9))),
        ("No_of_Employees not between 1 and 9", "not between", (Decimal(1), Decimal(9))),
        ("Email_Opt_Out = true", "=", (True,)),
        ("Last_Name = 'O''Brien'", "=", ("O'Brien",)),
        ('Last_Name = "say ""hi"""', "=", ('say "hi"',)),
    ],
)
def test_every_operator_parses(text: str, operator: str, values: tuple[object, ...]) -> None:
    node = where_of(text)
    assert isinstance(node, Condition)
    assert node.operator == operator
    assert tuple(value.value for value in node.values) == values


def test_two_operands_join_and_brackets_nest() -> None:
    node = where_of("((Last_Name = 'a' and First_Name = 'b') or Email is null)")
    assert isinstance(node, Group) and node.joiner == "or"
    left = node.parts[0]
    assert isinstance(left, Group) and left.joiner == "and"


def test_aggregates_parse_with_an_upper_case_function() -> None:
    query = grammar.parse("select count(id) as total, Lead_Source from Leads where id is not null group by Lead_Source")
    assert query.items[0].expr == Aggregate("COUNT", Column(("id",)))
    assert query.items[0].alias == "total"
    assert [column.text for column in query.group_by] == ["Lead_Source"]


def test_a_quoted_reserved_word_is_a_column() -> None:
    query = grammar.parse("select 'External' from Leads where 'External' = 'x'")
    assert query.items[0].expr == Column(("External",))
    assert query.where == Condition(Column(("External",)), "=", (Literal("string", "x", "'x'"),))


def syntax(text: str) -> ZohoError:
    with pytest.raises(ZohoError) as caught:
        grammar.parse(text)
    assert caught.value.code == "SYNTAX_ERROR"
    return caught.value


@pytest.mark.parametrize(
    ("text", "near", "column"),
    [
        ("upsert_me from Leads", "upsert_me", 1),
        ("select from Leads where id is null", "from", 8),
        ("select id from Leads where a = 1 and b = 2 and c = 3", "and", 44),  # three operands, no brackets
        ("select id from Leads where a = 1 or", "", 36),
        ("select id from Leads where (a = 1", "", 34),
        ("select id from Leads where a == 1", "=", 31),
        ("select id from Leads where a = null", "null", 32),
        ("select id from Leads where a like 5", "5", 35),
        ("select id from Leads where a is 5", "5", 33),
        ("select id from Leads where id is not null limit", "", 48),
        ("select id from Leads where id is not null order id", "id", 49),
        ("select id from Leads where id is not null;", ";", 42),
        ("select * from Leads where id is not null", "*", 8),
        ("", "", 1),
    ],
)
def test_syntax_errors_name_line_column_and_the_token_near(text: str, near: str, column: int) -> None:
    error = syntax(text)
    assert error.details == {"line": 1, "column": column, "near": near}
    assert error.message == "error occured while parsing the query"


def test_line_and_column_count_from_the_last_newline() -> None:
    error = syntax("select id\nfrom Leads\nwhere id ! 1")
    assert error.details == {"line": 3, "column": 10, "near": "!"}


@pytest.mark.parametrize(("text", "clause"), [("select id", "from"), ("select id from Leads", "where")])
def test_a_missing_clause_is_named(text: str, clause: str) -> None:
    error = syntax(text)
    assert (error.details, error.message) == ({"clause": clause}, "missing clause")


def test_a_function_that_is_no_aggregate_is_invalid_data() -> None:
    with pytest.raises(ZohoError) as caught:
        grammar.parse("select TestFunction(Last_Name) from Leads where id is not null")
    assert caught.value.code == "INVALID_DATA"
    assert caught.value.details == {"reason": "unsupported aggregate function", "column": "TestFunction(Last_Name)"}


def test_nesting_deeper_than_the_cap_is_a_syntax_error() -> None:
    depth = grammar.MAX_NESTING + 2
    syntax("select id from Leads where " + "(" * depth + "id is null" + ")" * depth)


@pytest.mark.parametrize("text", ["update Leads set x = 1", "DELETE from Leads where id = 1", "insert into Leads"])
def test_a_statement_other_than_select_is_not_supported(text: str) -> None:
    error = syntax(text)
    assert (error.details, error.message) == ({}, "given coql query not supported")


def test_not_before_a_criterion_is_an_unsupported_operator() -> None:
    error = syntax("select id from Leads where not (Last_Name = 'a')")
    assert (error.details, error.message) == ({"operator": "not"}, "operator not supported")
