"""Property tests of the search criteria grammar and binder (issue #11): whatever a client writes in
``criteria`` (or ``email``, ``phone``, ``word``), the answer is a Zoho error or a search, never an
exception of another kind (a 500). Deep nesting included: a criteria of 990 nested groups fits in
the 3,000-character cap, far beyond Python's recursion limit.

Also pinned: well-formed criteria parse to exactly the conditions they were written from, and a bound
criteria decides every value a record can hold (``matches`` runs on each candidate record of a search).
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from importlib import resources
from typing import Any

from hypothesis import example, given, reject, settings
from hypothesis import strategies as st

from tests.reliability.hypothesis_settings import DETERMINISTIC
from tests.reliability.strategies import (
    CHARACTERS,
    criteria,
    criteria_values,
    deep_criteria,
    hostile_text,
    mutated,
    typed_texts,
    typed_values,
)
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.record_model.field_types import FIELD_TYPES
from zcrm_emulator.resources.search import criteria as grammar
from zcrm_emulator.resources.search.rules import (
    ALL_OPERATORS,
    LIMITS,
    OPERATORS_BY_TYPE,
    SEARCH_PARAMS,
    compared_type,
    matches,
    parse_criteria,
    search_request,
)
from zcrm_emulator.validation import Invalid

PROPERTIES = settings(DETERMINISTIC, max_examples=300)


def leads_fields() -> dict[str, dict[str, Any]]:
    """The fresh org's Leads fields, plus a multi-select, an encrypted field and formulas."""
    raw = (resources.files("zcrm_emulator.standard_org") / "fields" / "Leads.json").read_text(encoding="utf-8")
    fields = {f["api_name"]: f for f in json.loads(raw)}
    extra: list[dict[str, Any]] = [
        {"api_name": "Hobbies", "data_type": "multiselectpicklist", "json_type": "jsonarray"},
        {"api_name": "Secret", "data_type": "text", "json_type": "string", "crypt": {"mode": "decryption"}},
        {"api_name": "Score", "data_type": "formula", "json_type": "double", "formula": {"return_type": "double"}},
        {"api_name": "Label", "data_type": "formula", "json_type": "string", "formula": {"return_type": "string"}},
    ]
    return fields | {f["api_name"]: f for f in extra}


FIELDS = leads_fields()
OPERATORS = sorted(ALL_OPERATORS)
NEAR_VALID = criteria(sorted(FIELDS), OPERATORS)
ANY_CRITERIA = st.one_of(st.text(CHARACTERS, max_size=200), NEAR_VALID, mutated(NEAR_VALID))


def parses_or_refuses(text: str) -> None:
    with suppress(ZohoError):
        grammar.parse(text)


def binds_or_refuses(query: dict[str, str | None]) -> None:
    with suppress(ZohoError):
        search_request(query, FIELDS, required=True)


# --- the grammar -------------------------------------------------------------------------------------
@PROPERTIES
@given(ANY_CRITERIA)
@example("(" * 990 + "Company:equals:x" + ")" * 990)
@example("(" * 5000)
def test_the_parser_refuses_any_text_only_with_zoho_errors(text: str) -> None:
    parses_or_refuses(text)


@settings(PROPERTIES, max_examples=60)
@given(deep_criteria("Company:equals:x", max_depth=5000))
@example("(" * 990 + "Company:equals:x" + ")" * 990)
def test_the_parser_survives_any_nesting_depth(text: str) -> None:
    parses_or_refuses(text)


@dataclass(frozen=True)
class Written:
    """A well-formed criteria and the conditions it was written from."""

    text: str
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...]


def _escape(value: str) -> str:
    return "".join("\\" + c if c in grammar.ESCAPABLE else c for c in value)


@st.composite
def _condition(draw: st.DrawFn) -> Written:
    field = draw(st.sampled_from(sorted(FIELDS)))
    operator = draw(st.sampled_from(OPERATORS))
    # Values are stripped when read, so none is written with spaces at its ends.
    values = tuple(v.strip() for v in draw(st.lists(criteria_values(), min_size=1, max_size=3)))
    text = f"({field}:{operator}:{','.join(_escape(v) for v in values)})"
    return Written(text, ((field, operator, values),))


def _group(parts: st.SearchStrategy[Written]) -> st.SearchStrategy[Written]:
    def join(items: list[Written], joiners: list[str]) -> Written:
        text = items[0].text + "".join(j + item.text for j, item in zip(joiners, items[1:], strict=False))
        return Written(f"({text})", tuple(c for item in items for c in item.conditions))

    return st.builds(
        join,
        st.lists(parts, min_size=1, max_size=4),
        st.lists(st.sampled_from(["and", "OR", " and "]), min_size=3, max_size=3),
    )


WELL_FORMED = st.recursive(_condition(), _group, max_leaves=10)


@PROPERTIES
@given(WELL_FORMED)
def test_well_formed_criteria_parse_to_the_conditions_they_were_written_from(written: Written) -> None:
    parsed = tuple((c.field, c.operator, c.values) for c in grammar.conditions(grammar.parse(written.text)))
    assert parsed == written.conditions


# --- the binder --------------------------------------------------------------------------------------
@PROPERTIES
@given(st.sampled_from(SEARCH_PARAMS), st.one_of(ANY_CRITERIA, hostile_text(60)))
@example("criteria", "(Created_Time:greater_than:9999-12-31T23:59:59-01:00)")
@example("criteria", "(Annual_Revenue:between:1,NaN)")
def test_the_search_params_bind_or_refuse_only_with_zoho_errors(param: str, text: str) -> None:
    binds_or_refuses({param: text})


@settings(PROPERTIES, max_examples=60)
@given(deep_criteria("Company:equals:x", max_depth=1500).filter(lambda t: len(t) <= LIMITS.criteria_length))
@example("(" * 990 + "Company:equals:x" + ")" * 990)
def test_criteria_within_the_length_cap_bind_or_refuse_at_any_depth(text: str) -> None:
    assert len(text) <= LIMITS.criteria_length
    binds_or_refuses({"criteria": text})


# --- matching stored values --------------------------------------------------------------------------
# Each field with each operator its type takes (a condition that binds when its values convert).
TYPED = [
    (name, operator)
    for name, field in sorted(FIELDS.items())
    if not field.get("crypt")
    for operator in OPERATORS_BY_TYPE.get(compared_type(field), ())
]
VALUE_COUNT = {"between": 2, "in": 3}


def storable(name: str, value: Any) -> Any:
    """``value`` as a record of the field's type stores it (what a write accepted), else Invalid."""
    field_type = FIELD_TYPES.get(compared_type(FIELDS[name]))
    return value if field_type is None else field_type.convert(value)


@PROPERTIES
@given(st.sampled_from(TYPED), st.data())
def test_a_bound_criteria_decides_every_value_a_record_can_hold(
    condition: tuple[str, str], data: st.DataObject
) -> None:
    name, operator = condition
    data_type = compared_type(FIELDS[name])
    values = data.draw(
        st.lists(typed_texts(data_type), min_size=VALUE_COUNT.get(operator, 1), max_size=VALUE_COUNT.get(operator, 1)),
        label="values",
    )
    try:
        bound = parse_criteria(f"({name}:{operator}:{','.join(_escape(v) for v in values)})", FIELDS)
        stored = storable(name, data.draw(typed_values(data_type), label="written"))
    except (ZohoError, Invalid):  # a criteria Zoho refuses, a value no write stores: nothing to match
        reject()
    assert matches(bound, lambda _name: stored) in (True, False)
