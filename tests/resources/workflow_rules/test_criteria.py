"""Evaluating workflow criteria on a record as stored (resources/workflow_rules/criteria.py): each
comparator on each kind of field, the placeholders and groups. Plain functions, no HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from zcrm_emulator.resources.workflow_rules.criteria import Context, changed_matches, matches

FIELDS: dict[str, dict[str, Any]] = {
    "Company": {"api_name": "Company", "id": "1", "data_type": "text"},
    "Annual_Revenue": {"api_name": "Annual_Revenue", "id": "2", "data_type": "currency"},
    "Email_Opt_Out": {"api_name": "Email_Opt_Out", "id": "3", "data_type": "boolean"},
    "Closing": {"api_name": "Closing", "id": "4", "data_type": "date"},
    "Seen": {"api_name": "Seen", "id": "5", "data_type": "datetime"},
    "Owner": {"api_name": "Owner", "id": "6", "data_type": "ownerlookup"},
    "Tags": {"api_name": "Tags", "id": "7", "data_type": "multiselectpicklist"},
    "Phone": {"api_name": "Phone", "id": "8", "data_type": "phone"},
}
# 2025-03-15 12:00 UTC, a Saturday
CTX = Context(now_ms=1742040000000, tz="UTC", actor="111")
RECORD = {
    "Company": "Zylker Inc",
    "Annual_Revenue": 1500.5,
    "Email_Opt_Out": False,
    "Closing": "2025-03-14",
    "Seen": "2025-03-15T08:30:00+00:00",
    "Owner": "111",
    "Tags": ["A", "B"],
}


def leaf(field: str, comparator: str, value: Any) -> dict[str, Any]:
    return {"field": {"api_name": field, "id": "x"}, "comparator": comparator, "value": value, "type": "value"}


@pytest.mark.parametrize(
    ("field", "comparator", "value", "expected"),
    [
        ("Company", "equal", "zylker inc", True),
        ("Company", "equal", "Zylker", False),
        ("Company", "not_equal", "Zylker", True),
        ("Company", "contains", "LKER", True),
        ("Company", "not_contains", "acme", True),
        ("Company", "like", "inc", True),
        ("Company", "starts_with", "zyl", True),
        ("Company", "ends_with", "Inc", True),
        ("Company", "in", ["Acme", "Zylker Inc"], True),
        ("Company", "not_in", ["Acme"], True),
        ("Company", "equal", "${NOTEMPTY}", True),
        ("Company", "equal", "${EMPTY}", False),
        ("Company", "not_equal", "${EMPTY}", True),
        ("Annual_Revenue", "greater_than", "1000", True),
        ("Annual_Revenue", "less_equal", "1500.5", True),
        ("Annual_Revenue", "less_than", "1500.5", False),
        ("Annual_Revenue", "between", ["1000", "2000"], True),
        ("Annual_Revenue", "not_between", ["1000", "2000"], False),
        ("Annual_Revenue", "equal", "1500.50", True),
        ("Email_Opt_Out", "equal", "false", True),
        ("Email_Opt_Out", "equal", True, False),
        ("Closing", "equal", "2025-03-14", True),
        ("Closing", "less_than", "${TODAY}", True),
        ("Closing", "equal", "${YESTERDAY}", True),
        ("Closing", "equal", "${LAST_N_DAYS:2}", True),
        ("Closing", "equal", "${NEXT_N_DAYS:2}", False),
        ("Closing", "greater_than", "2025-03-01", True),
        ("Seen", "equal", "${TODAY}", True),
        ("Seen", "greater_than", "2025-03-15T08:00:00+00:00", True),
        ("Seen", "less_than", "2025-03-15T09:30:00+01:00", False),
        ("Owner", "equal", "${CURRENTUSER}", True),
        ("Owner", "equal", {"name": "${CURRENTUSER}"}, True),
        ("Owner", "not_equal", "222", True),
        ("Tags", "equal", "a", True),
        ("Tags", "include_all", ["A", "B"], True),
        ("Tags", "include_all", ["A", "C"], False),
        ("Tags", "include_any", ["C", "B"], True),
        ("Tags", "exclude_all", ["C"], True),
        ("Tags", "exclude_any", ["A", "C"], True),
    ],
)
def test_comparators(field: str, comparator: str, value: Any, expected: bool) -> None:
    assert matches(leaf(field, comparator, value), RECORD, FIELDS, CTX) is expected


def test_empty_values() -> None:
    empty = {"Company": "", "Tags": []}
    assert matches(leaf("Company", "equal", "${EMPTY}"), empty, FIELDS, CTX)
    assert matches(leaf("Tags", "equal", "${EMPTY}"), empty, FIELDS, CTX)
    assert matches(leaf("Annual_Revenue", "equal", "${EMPTY}"), empty, FIELDS, CTX)
    assert not matches(leaf("Annual_Revenue", "greater_than", "0"), empty, FIELDS, CTX)


def test_groups_nest() -> None:
    yes, no = leaf("Company", "contains", "zyl"), leaf("Company", "equal", "acme")
    assert matches(
        {"group_operator": "AND", "group": [yes, {"group_operator": "or", "group": [no, yes]}]}, RECORD, FIELDS, CTX
    )
    assert not matches({"group_operator": "and", "group": [yes, no]}, RECORD, FIELDS, CTX)
    assert matches(None, RECORD, FIELDS, CTX)  # no criteria: every record


def test_what_cannot_be_evaluated_does_not_match() -> None:
    assert not matches(leaf("Closing", "equal", "${THISFISCALQUARTER}"), RECORD, FIELDS, CTX)
    assert not matches(leaf("Nope", "equal", "x"), RECORD, FIELDS, CTX)
    assert not matches(leaf("Annual_Revenue", "equal", "lots"), RECORD, FIELDS, CTX)


def test_field_update_criteria_need_the_field_to_have_changed() -> None:
    any_value = leaf("Company", "equal", "${ANYVALUE}")
    assert changed_matches(any_value, {"Company": ("a", "b")}, RECORD, FIELDS, CTX)
    assert not changed_matches(any_value, {"Phone": ("a", "b")}, RECORD, FIELDS, CTX)
    to_value = leaf("Company", "equal", "Zylker Inc")
    assert changed_matches(to_value, {"Company": ("Acme", "Zylker Inc")}, RECORD, FIELDS, CTX)
    either = {"group_operator": "OR", "group": [leaf("Phone", "equal", "${ANYVALUE}"), any_value]}
    assert changed_matches(either, {"Phone": (None, "1")}, RECORD, FIELDS, CTX)
