"""The custom-module rules on their own (no HTTP): names, the profile delta, the built fields."""

from __future__ import annotations

import itertools

import pytest

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.modules import rules, templates

NAMES = {"1": "Administrator", "2": "Standard"}


def in_use(*api_names: str) -> rules.NamesInUse:
    return rules.names_in_use([{"id": str(n), "api_name": a} for n, a in enumerate(api_names)])


@pytest.mark.parametrize(
    ("plural_label", "taken", "expected"),
    [
        ("Stocks", (), "Stocks"),
        ("Digital Marketings", (), "Digital_Marketings"),
        ("  Café Menus ", (), "Cafe_Menus"),
        ("Stocks", ("stocks",), "Stocks1"),
        ("Stocks", ("Stocks", "Stocks1"), "Stocks2"),
        ("Status", (), "Status1"),  # a reserved api name is never generated
        ("2024 Plans", (), "CustomModule7"),
        ("Ünïcödé", (), "Unicode"),
        ("日本の店", (), "CustomModule7"),
        ("A" * 60, (), "A" * 50),
        ("A" * 60, ("A" * 50,), "A" * 49 + "1"),
    ],
)
def test_api_names_generated_from_the_plural_label(plural_label: str, taken: tuple[str, ...], expected: str) -> None:
    assert rules.generate_api_name(plural_label, in_use(*taken), "CustomModule7") == expected


def test_generated_names_always_pass_the_api_name_rules() -> None:
    for label in ("a_b", "x y z", "Q__R", "9", "Ab 1"):
        name = rules.generate_api_name(label, in_use(), "CustomModule1")
        assert rules.API_NAME.fullmatch(name), name


def test_internal_module_names_count_up_from_the_highest() -> None:
    existing = [{"module_name": "Leads"}, {"module_name": "CustomModule3"}, {"module_name": "CustomModule1"}]
    assert rules.next_module_name(existing) == "CustomModule4"
    assert rules.next_module_name([{"module_name": "Leads"}]) == "CustomModule1"


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        ([{"id": "2"}], ["1", "2"]),
        ([{"id": "1", "_delete": None}, {"id": "2"}], ["2"]),
        ([{"id": "2", "_delete": None}], ["1"]),  # removing one it does not have changes nothing
        ([{"id": "1"}, {"id": "1"}], ["1"]),
    ],
)
def test_profiles_are_updated_as_a_delta(delta: list[dict[str, object]], expected: list[str]) -> None:
    current = [{"name": "Administrator", "id": "1"}]
    assert [p["id"] for p in rules.apply_profile_delta(current, delta, NAMES, "$.modules[0]")] == expected


def test_removing_the_last_profile_is_minimum_data_not_found() -> None:
    with pytest.raises(ZohoError) as caught:
        rules.apply_profile_delta([{"name": "Administrator", "id": "1"}], [{"id": "1", "_delete": None}], NAMES, "$.m")
    assert (caught.value.code, caught.value.details) == (
        "MINIMUM_DATA_NOT_FOUND",
        {"api_name": "profiles", "json_path": "$.m.profiles"},
    )


@pytest.mark.parametrize("display", [None, {"data_type": "autonumber", "auto_number": {"start_number": "5"}}])
def test_built_fields_hold_no_standard_org_ids(display: dict[str, object] | None) -> None:
    plan = templates.custom_module_plan()
    context = rules.FieldContext(
        singular_label="Stock",
        layout={"api_name": "Standard__s", "name": "Standard", "id": "900"},
        profiles=[{"name": "Administrator", "id": "1"}],
        drop=frozenset(plan["module_specific_keys"]),
    )
    counter = (str(n) for n in itertools.count(1000))
    fields = rules.system_fields(plan, display, context, counter)
    assert [f["api_name"] for f in fields] == [entry["api_name"] for entry in plan["fields"]]
    assert all(not list(rules._placeholders(f)) for f in fields)
    assert all("convert_mapping" not in f for f in fields)
    assert {f["profiles"][0]["id"] for f in fields} == {"1"}
    assert [label["field_label"] for label in rules.system_labels(plan, "Stock")][:2] == ["Stock Owner", "Email"]
