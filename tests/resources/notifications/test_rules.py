"""The watch rules and criteria as plain functions: events, the expiry cap at its exact edges, field selections,
and the callback body."""

from __future__ import annotations

from typing import Any

import pytest

from zcrm_emulator.clock import iso
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.notifications import criteria, rules

NOW = 1_700_000_000_000


def iso_at(ms: int) -> str:
    return iso(ms, "UTC")


def test_all_expands_to_the_three_events_and_names_keep_their_order() -> None:
    assert rules.parse_events(["Deals.all", "Leads.create", "Deals.edit"]) == {
        "Deals": {"edit", "create", "delete"},
        "Leads": {"create"},
    }
    assert rules.event_names("Deals", {"delete", "create", "edit"}) == ["Deals.edit", "Deals.create", "Deals.delete"]


@pytest.mark.parametrize(
    ("version", "cap_ms"),
    [("v2", rules.DAY_MS), ("v2.1", rules.DAY_MS), ("v3", rules.DAY_MS), ("v4", rules.WEEK_MS), ("v8", rules.WEEK_MS)],
)
def test_an_expiry_exactly_at_the_cap_is_kept_and_a_second_more_is_one_hour(version: str, cap_ms: int) -> None:
    assert rules.expiry_ms(iso_at(NOW + cap_ms), NOW, version, "$.watch[0]") == NOW + cap_ms
    over = rules.expiry_ms(iso_at(NOW + cap_ms + 1000), NOW, version, "$.watch[0]")
    assert over == NOW + rules.HOUR_MS


def test_an_expiry_of_now_is_in_the_past() -> None:
    with pytest.raises(ZohoError) as refused:
        rules.expiry_ms(iso_at(NOW), NOW, "v8", "$.watch[0]")
    assert refused.value.details == {"api_name": "channel_expiry", "json_path": "$.watch[0].channel_expiry"}


def field(name: str) -> dict[str, Any]:
    return {"field": {"api_name": name, "id": "1"}, "group_operator": None, "group": None}


NESTED = {
    "group_operator": "or",
    "group": [field("Stage"), {"group_operator": "and", "group": [field("A"), field("B")]}],
}


@pytest.mark.parametrize(
    ("changed", "met"),
    [({"Stage"}, True), ({"A"}, False), ({"A", "B"}, True), ({"B", "Amount"}, False), (set(), False)],
)
def test_a_nested_selection_is_met_as_its_operators_say(changed: set[str], met: bool) -> None:
    assert criteria.selection_matches(NESTED, changed) is met
    assert criteria.edit_notifies([{"field_selection": NESTED}], changed) is met


def test_an_edit_without_a_condition_always_notifies() -> None:
    assert criteria.edit_notifies(None, set()) is True


def test_the_query_params_are_the_notify_urls_own() -> None:
    assert rules.query_params("https://x.example/cb?authorization=Zoho-oauthtoken%201000.x&key1=&k=v") == {
        "authorization": "Zoho-oauthtoken 1000.x",
        "key1": "",
        "k": "v",
    }
    assert rules.query_params("https://x.example/cb") == {}


def test_the_callback_body_has_zohos_keys_and_values_only_when_asked() -> None:
    data = {"notify_url": "https://x.example/cb?a=1", "token": None, "return_affected_field_values": False}
    records = [rules.Affected("11", ("Mobile",), {"Mobile": "1"})]
    body = rules.callback_body(
        server_time=NOW,
        base_url="http://crm.test",
        module="Leads",
        action="update",
        channel_id="7",
        data=data,
        records=records,
    )
    assert body == {
        "server_time": NOW,
        "query_params": {"a": "1"},
        "module": "Leads",
        "resource_uri": "http://crm.test/crm/v2/Leads",
        "ids": ["11"],
        "affected_fields": [{"11": ["Mobile"]}],
        "operation": "update",
        "channel_id": "7",
        "token": None,
    }
    asked = {**data, "return_affected_field_values": True}
    body = rules.callback_body(
        server_time=NOW,
        base_url="http://crm.test",
        module="Leads",
        action="update",
        channel_id="7",
        data=asked,
        records=records,
    )
    assert body["affected_values"] == [{"record_id": "11", "values": {"Mobile": "1"}}]
