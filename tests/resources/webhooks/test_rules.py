"""Webhooks' plain rules without HTTP: the date masks, merge tokens, URL shapes, the request a webhook
builds, the day windows of the reports, and the named policies (also through ``serve``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from click.testing import CliRunner

from zcrm_emulator.cli.serve import serve
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.webhooks.rules import formats, merge, policy, reports, request
from zcrm_emulator.resources.webhooks.rules.webhook import url_host


@pytest.mark.parametrize(
    ("fmt", "moment", "expected"),
    [
        ("dd-mmmm-yyyy", date(2025, 1, 5), "05-January-2025"),
        ("d/m/yy", date(2025, 1, 5), "5/1/25"),
        ("ddd, mmm d yyyy", date(2025, 1, 5), "Sun, Jan 5 2025"),
        ("dddd", date(2025, 1, 6), "Monday"),
        ("dd-mm-yyyy H:M:S", datetime(2025, 1, 5, 7, 3, 9), "05-01-2025 7:3:9"),
        ("yyyy-mm-ddTHH:MM:ss", datetime(2025, 12, 31, 23, 59, 0), "2025-12-31T23:59:00"),
        ("hh:MM TT / h tt", datetime(2025, 1, 5, 0, 30), "12:30 AM / 12 am"),
        ("hh:MM TT", datetime(2025, 1, 5, 13, 5), "01:05 PM"),
    ],
)
def test_date_masks_render_as_zohos_sample_reads(fmt: str, moment: date, expected: str) -> None:
    assert formats.render(fmt, moment) == expected


@pytest.mark.parametrize(
    ("fmt", "as_date", "as_datetime"),
    [
        ("dd-mmmm-yyyy", True, True),
        ("dd-mm-yyyy H:M:S", False, True),
        ("yyyy_mm_dd", False, False),  # "_" is no separator
        ("", False, False),
        ("T", False, False),  # separators only
        ("qq", False, False),
    ],
)
def test_which_formats_are_valid(fmt: str, as_date: bool, as_datetime: bool) -> None:
    assert (formats.valid_date_format(fmt), formats.valid_datetime_format(fmt)) == (as_date, as_datetime)


LEADS = merge.MergeFields.of("Leads", ["Email", "id", "Last_Name"])


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("${!Leads.Email}", True),
        ("${!leads.email} and ${!LEADS.ID}", True),
        ("no token at all", True),
        ("${!Leads.Nope}", False),
        ("${!Contacts.Email}", False),
        ("${Leads.Email}", False),
        ("${!Leads.Email", False),
        ("${!Leads}", False),
    ],
)
def test_merge_tokens_name_fields_of_the_webhooks_module(text: str, ok: bool) -> None:
    if ok:
        merge.check(text, LEADS, "$.w", "url")
    else:
        with pytest.raises(ZohoError) as raised:
            merge.check(text, LEADS, "$.w", "url")
        assert raised.value.message == "Unsupported fields are present"
        assert raised.value.details == {"api_name": "url", "json_path": "$.w.url"}


def test_a_token_is_required_where_a_module_parameter_stands() -> None:
    with pytest.raises(ZohoError):
        merge.check("plain", LEADS, "$.w", "value", required=True)


def test_tokens_resolve_through_their_escape() -> None:
    values = {"Email": "a&b@x.example", "id": "42"}
    resolved = merge.resolve("${!Leads.Email}/${!leads.id}", LEADS, values.__getitem__, lambda text: f"<{text}>")
    assert resolved == "<a&b@x.example>/<42>"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://zylker.example/hook", ("zylker.example", None)),
        ("http://Zylker.Example:8080/x?y=1", ("zylker.example", 8080)),
        ("www.zylker.example/x", ("www.zylker.example", None)),
        ("https://93.184.216.34/", ("93.184.216.34", None)),
        ("http://[::1]:80/", ("::1", 80)),
        ("${!Leads.Website}/x", (None, None)),
        ("https://${!Leads.Company}.zylker.example/", (None, None)),
        ("https://user:pw@zylker.example/", ("zylker.example", None)),
        ("ftp://zylker.example/", None),
        ("zylker.example", None),
        ("https://zylker example/", None),
        ("https://", None),
        ("https://zylker.example:0x50/", None),
        ("http://[::1/", None),
        ("https://_bad_.example/", None),
    ],
)
def test_url_shapes(url: str, expected: Any) -> None:
    assert url_host(url) == expected


RECORD = request.Record(
    values={
        "Email": "ada@zylker.example",
        "id": "42",
        "Last_Name": "Lovelace",
        "Owner": {"name": "Zylker Admin", "id": "7", "email": "a@z.example"},
        "Tags": ["a", "b"],
        "Email_Opt_Out": False,
        "Born": "1815-12-10",
        "Created_Time": "2025-01-31T10:20:30-08:00",
    },
    kinds={"Born": "date", "Created_Time": "datetime"},
    zone="Asia/Kolkata",
)


@pytest.mark.parametrize(
    ("name", "given", "expected"),
    [
        ("Owner", {}, "Zylker Admin"),
        ("Tags", {}, "a,b"),
        ("Email_Opt_Out", {}, "false"),
        ("Missing", {}, ""),
        ("Born", {}, "1815-12-10"),
        ("Born", {"date_format": "dd-mmmm-yyyy"}, "10-December-1815"),
        ("Created_Time", {}, "2025-01-31T23:50:30+05:30"),
        ("Created_Time", {"time_zone": "UTC"}, "2025-01-31T18:20:30+00:00"),
        ("Created_Time", {"datetime_format": "dd-mm-yyyy H:M:S", "time_zone": "Etc/GMT+12"}, "31-01-2025 6:20:30"),
    ],
)
def test_a_values_text(name: str, given: dict[str, str], expected: str) -> None:
    assert request.value_text(RECORD, given, name) == expected


def test_url_parameters_join_the_query_before_the_fragment() -> None:
    assert (
        request.with_query("http://z.example/a?x=1#top", [("b c", "d&e")]) == "http://z.example/a?x=1&b%20c=d%26e#top"
    )
    assert request.with_query("http://z.example/a", []) == "http://z.example/a"
    assert request.with_query("http://[::1/a", [("k", "v")]) == "http://[::1/a?k=v"


def test_header_values_are_made_ascii() -> None:
    assert request.header_safe("Gödel\r\nEscher ~!") == "G%C3%B6del  Escher ~!"


@pytest.mark.parametrize(
    ("raw_from", "raw_to", "error"),
    [
        (None, None, None),
        ("2025-03-01", "2025-05-30", None),  # 90 days
        ("2025-03-01", "2025-05-31", ("from", False)),  # 91
        ("2025-06-02", None, ("from", True)),
        (None, "2025-06-02", ("to", True)),
        ("2025-06-01", "2025-05-31", ("from", False)),
        ("2025-6-1", None, ("from", False)),
        (None, "June 1", ("to", False)),
    ],
)
def test_day_windows(raw_from: str | None, raw_to: str | None, error: tuple[str, bool] | None) -> None:
    today = date(2025, 6, 1)

    def refuse(name: str, ahead: bool) -> ZohoError:
        return ZohoError("INVALID_DATA", {"param_name": name, "ahead": ahead})

    if error is None:
        window = reports.day_window(raw_from, raw_to, today, "Asia/Kolkata", refuse, max_days=90)
        assert window.end_ms - window.start_ms == ((window.last - window.first).days + 1) * 86_400_000
        if raw_from is None:
            assert (window.first, window.last) == (date(2025, 5, 2), today)
    else:
        with pytest.raises(ZohoError) as raised:
            reports.day_window(raw_from, raw_to, today, "Asia/Kolkata", refuse, max_days=90)
        assert raised.value.details == {"param_name": error[0], "ahead": error[1]}


def test_the_policies_hold_the_docs_and_the_seeds_figures() -> None:
    current, seed = policy.resolve("current"), policy.resolve("seed")
    assert (current.name_max, current.url_max, current.methods) == (250, 2000, ("POST", "GET", "PUT", "DELETE"))
    assert (seed.name_max, seed.url_max, seed.methods, seed.ports) == (50, 200, ("POST", "GET"), (80, 443))
    assert (seed.module_parameters_max, seed.webhooks_per_rule) == (10, 6)
    assert policy.resolve() is current
    with pytest.raises(ValueError, match="unknown webhook policy 'legacy'"):
        policy.resolve("legacy")


def test_serve_takes_the_webhook_policy(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    import uvicorn

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    result = CliRunner().invoke(serve, ["--data", str(tmp_path), "--webhook-policy", "seed"])
    assert result.exit_code == 0, result.output
    assert served[0].state.emulator.settings.webhook_policy == "seed"
    served[0].state.emulator.close()
    refused = CliRunner().invoke(serve, ["--data", str(tmp_path), "--webhook-policy", "legacy"])
    assert refused.exit_code == 2 and "legacy" in refused.output
