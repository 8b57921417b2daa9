"""Resolving a custom link for a record (plain dicts, no HTTP): merge fields filled from the record
and percent-encoded in the link's ``url_encoding``."""

from __future__ import annotations

from typing import Any

import pytest

from zcrm_emulator.resources.custom_links.rules import ModuleNames, encode_value, merge_text, resolve_url

LEADS = ModuleNames.of(
    {"api_name": "Leads", "singular_label": "Lead", "plural_label": "Leads"},
    [{"api_name": name} for name in ("id", "Last_Name", "Full_Name", "Owner", "Email_Opt_Out", "Tag", "Company")],
)


@pytest.mark.parametrize(
    ("url", "record", "expected"),
    [
        (
            "https://www.linkedin.com/search/results/people/?keywords={Lead.Full_Name}",
            {"Full_Name": "Ada Lovelace"},
            "https://www.linkedin.com/search/results/people/?keywords=Ada%20Lovelace",
        ),
        ("https://x.example/{Leads.id}", {"id": "4150868000000002175"}, "https://x.example/4150868000000002175"),
        (
            "https://x.example/?c={lead.COMPANY}",
            {"company": "Smith & Co/Ltd"},
            "https://x.example/?c=Smith%20%26%20Co%2FLtd",
        ),
        (
            "https://x.example/?o={Leads.Owner}",
            {"Owner": {"name": "Zylker Admin", "id": "1"}},
            "https://x.example/?o=Zylker%20Admin",
        ),
        ("https://x.example/?o={Leads.Email_Opt_Out}", {"Email_Opt_Out": False}, "https://x.example/?o=false"),
        (
            "https://x.example/?t={Leads.Tag}",
            {"Tag": [{"name": "Hot"}, {"name": "VIP"}]},
            "https://x.example/?t=Hot%2CVIP",
        ),
        ("https://x.example/?n={Leads.Last_Name}", {}, "https://x.example/?n="),
        (
            "https://x.example/?n={Leads.Nickname}&a={Accounts.id}",
            {"Nickname": "x"},
            "https://x.example/?n={Leads.Nickname}&a={Accounts.id}",
        ),
    ],
)
def test_merge_fields_are_filled_from_the_record(url: str, record: dict[str, Any], expected: str) -> None:
    assert resolve_url(url, "UTF-8", record, LEADS) == expected


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("é", "UTF-8", "%C3%A9"),
        ("é", "ISO-8859-1", "%E9"),
        ("é", "UTF-16", "%FE%FF%00%E9"),
        ("ş", "ISO-8859-9", "%FE"),
        ("日", "Shift_JIS", "%93%FA"),
        ("中", "GB2312", "%D6%D0"),
        ("中", "Big5", "%A4%A4"),
        ("日", "ISO-8859-1", "%26%2326085%3B"),  # not in Latin-1: sent as a character reference
        ("a-b_c.d~e", "UTF-8", "a-b_c.d~e"),
    ],
)
def test_values_are_encoded_in_the_links_character_set(text: str, encoding: str, expected: str) -> None:
    assert encode_value(text, encoding) == expected


def test_the_same_record_resolves_per_encoding() -> None:
    url = "https://x.example/?n={Leads.Last_Name}"
    record = {"Last_Name": "Müller"}
    assert resolve_url(url, "UTF-8", record, LEADS).endswith("M%C3%BCller")
    assert resolve_url(url, "ISO-8859-1", record, LEADS).endswith("M%FCller")


@pytest.mark.parametrize(("value", "text"), [(None, ""), (3.5, "3.5"), (True, "true"), ({"id": "7"}, "7"), ([], "")])
def test_merge_text(value: Any, text: str) -> None:
    assert merge_text(value) == text
