"""/actions/watch over HTTP: enable, list, replace, patch, remove events and disable, each rule of
AUTOMATION.md §5.1 at its edges, bodies checked against Zoho's notifications.json."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.resources.notifications.conftest import WATCH_SCOPES
from tests.resources.notifications.support import (
    CHANNEL_ID,
    NOTIFY_URL,
    OAS,
    WATCH,
    channel,
    enable,
    only,
    results,
    rows,
)
from tests.support.allowances import WATCH_EVENT_ALLOWANCES, WATCH_PARAM_NAME, WATCH_ROW_ALLOWANCES
from tests.support.modules import create_module, created_id, module_item
from tests.support.oas import schema_errors, validate_response
from tests.support.people import add_standard_user
from tests.support.records import module_id
from zcrm_emulator.emulator import Emulator

P0 = "$.watch[0]"
SUBSCRIBED = "Successfully subscribed for actions-watch of the given module"


def moment(iso_text: str) -> datetime:
    return datetime.fromisoformat(iso_text)


def now(emulator: Emulator) -> datetime:
    return datetime.fromtimestamp(emulator.clock.now_ms() / 1000).astimezone()


def field_ids(api: TestClient, module: str) -> dict[str, str]:
    response = api.get("/crm/v8/settings/fields", params={"module": module})
    return {f["api_name"]: f["id"] for f in response.json()["fields"]}


def error_of(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    item = only(response)
    assert item["status"] == "error", item
    return item


def enabled(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    validate_response(response, OAS, WATCH, "POST", allow=WATCH_EVENT_ALLOWANCES)
    item = only(response)
    assert (item["code"], item["message"], item["status"]) == ("SUCCESS", SUBSCRIBED, "success")
    return item


# --- enable -----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_enable_answers_one_event_per_module_on_the_emulators_own_url(api: TestClient, emulator: Emulator) -> None:
    item = enabled(enable(api, channel(events=["Deals.all", "Contacts.create"])))
    deals, contacts = item["details"]["events"]
    assert {k: v for k, v in deals.items() if k != "channel_expiry"} == {
        "resource_uri": "http://testserver/crm/v2/Deals",
        "resource_id": module_id(emulator, "Deals"),
        "resource_name": "Deals",
        "channel_id": CHANNEL_ID,
    }
    assert contacts["resource_uri"] == "http://testserver/crm/v2/Contacts"
    assert deals["channel_expiry"] == contacts["channel_expiry"]
    assert set(item["details"]) == {"events"}


def test_a_numeric_channel_id_comes_back_as_a_string(api: TestClient) -> None:
    item = enabled(enable(api, channel(channel_id=1000000068001)))
    assert item["details"]["events"][0]["channel_id"] == "1000000068001"
    assert rows(api)[0]["channel_id"] == "1000000068001"


@pytest.mark.parametrize(
    ("channel_id", "details"),
    [
        ("x" * 65, {"maximum_length": 64}),
        (True, {"expected_data_type": "text"}),
        (-1, {"expected_data_type": "text"}),
        (2**63, {"expected_data_type": "text"}),
        (" ", {"minimum_length": 1}),
    ],
)
def test_a_channel_id_beyond_a_64_character_string_or_a_long_is_invalid(
    api: TestClient, channel_id: Any, details: dict[str, Any]
) -> None:
    item = error_of(enable(api, channel(channel_id=channel_id)))
    assert item["code"] == "INVALID_DATA"
    assert item["details"] == {"api_name": "channel_id", "json_path": f"{P0}.channel_id", **details}


def test_a_64_character_channel_id_is_taken(api: TestClient) -> None:
    enabled(enable(api, channel(channel_id="c" * 64)))


def test_a_batch_with_a_channel_missing_its_id_answers_207(api: TestClient) -> None:
    response = enable(api, channel(), channel(channel_id=None, events=["Contacts.all"]))
    assert response.status_code == 207
    ok, missing = results(response)
    assert ok["status"] == "success"
    assert missing == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"api_name": "channel_id", "json_path": "$.watch[1].channel_id"},
        "message": "required field not found",
        "status": "error",
    }


NO_WATCH_ARRAY = {"api_name": "watch", "json_path": "$.watch"}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
@pytest.mark.parametrize(
    ("body", "code", "details", "message", "schema"),
    [
        (b"{}", "MANDATORY_NOT_FOUND", NO_WATCH_ARRAY, "required field not found", "MandatoryError"),
        (b'{"watch": []}', "MANDATORY_NOT_FOUND", NO_WATCH_ARRAY, "required field not found", "MandatoryError"),
        (
            b'{"watch": {}}',
            "INVALID_DATA",
            {**NO_WATCH_ARRAY, "expected_data_type": "jsonarray"},
            "invalid data",
            "InvalidTypeError",
        ),
        # REFERENCE §1.2: no json_path to name; common.json's error shapes all want one.
        (b"\x00", "INVALID_DATA", {"expected_data_type": "jsonobject"}, "body", None),
    ],
)
def test_a_write_without_a_watch_array_is_refused_whole_with_a_bare_400(
    api: TestClient, method: str, body: bytes, code: str, details: dict[str, Any], message: str, schema: str | None
) -> None:
    """A request-level error has no resource key (REFERENCE §1.3): one of the bare 400s notifications.json
    gives PUT, PATCH and DELETE (``ErrorResponse``), which its enable documents under no status."""
    response = api.request(method, WATCH, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json() == {"code": code, "details": details, "message": message, "status": "error"}
    if schema is not None:
        assert schema_errors(response.json(), "common.json", f"/components/schemas/{schema}") == []


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_a_channel_that_is_no_object_fails_where_it_stands(api: TestClient, method: str) -> None:
    response = api.request(method, WATCH, json={"watch": [[], "x"]})
    assert response.status_code == 400, response.text
    assert results(response) == [
        {
            "code": "INVALID_DATA",
            "details": {"json_path": f"$.watch[{index}]", "expected_data_type": "jsonobject"},
            "message": "invalid data",
            "status": "error",
        }
        for index in (0, 1)
    ]


def test_fifty_channels_are_taken_and_fifty_one_are_too_many(api: TestClient) -> None:
    batch = [channel(channel_id=str(n)) for n in range(50)]
    response = enable(api, *batch)
    assert response.status_code == 201
    assert len(results(response)) == 50
    over = enable(api, *batch, channel(channel_id="50"))
    assert (over.status_code, over.json()["code"], over.json()["details"]["limit"]) == (400, "LIMIT_EXCEEDED", 50)


@pytest.mark.parametrize(
    "events",
    [
        ["Notes.create"],  # a module that holds records but cannot be watched
        ["Home.all"],  # not a record module
        ["Nowhere.create"],
        ["leads.create"],  # api names are case-sensitive
        ["Leads.update"],
        ["Leads.insert"],
        ["Leads"],
        [".create"],
        [5],
        ["Leads.create", "Visits.edit"],
    ],
)
def test_an_event_outside_module_dot_operation_of_a_supported_module_is_invalid(
    api: TestClient, events: list[Any]
) -> None:
    item = error_of(enable(api, channel(events=events)))
    assert (item["code"], item["details"]) == ("INVALID_DATA", {"api_name": "events"})


def test_fifty_events_are_taken_and_fifty_one_are_too_many(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Leads.create"] * 50)))
    item = error_of(enable(api, channel(events=["Leads.create"] * 51)))
    assert item["code"] == "LIMIT_EXCEEDED"
    assert item["details"] == {"api_name": "events", "json_path": f"{P0}.events", "limit": 50}


@pytest.mark.parametrize("events", [None, []])
def test_events_are_mandatory(api: TestClient, events: Any) -> None:
    item = error_of(enable(api, channel(events=events) if events is not None else channel(events=None)))
    assert (item["code"], item["details"]) == (
        "MANDATORY_NOT_FOUND",
        {"api_name": "events", "json_path": f"{P0}.events"},
    )


def test_every_supported_module_and_a_custom_one_can_be_watched(api: TestClient, emulator: Emulator) -> None:
    created_id(create_module(api, module_item(emulator)))
    modules = ["Leads", "Accounts", "Contacts", "Deals", "Campaigns", "Tasks", "Cases", "Events", "Calls"]
    modules += ["Solutions", "Products", "Vendors", "Price_Books", "Quotes", "Sales_Orders", "Purchase_Orders"]
    modules += ["Invoices", "Appointments__s", "Services__s", "Stocks"]
    item = enabled(enable(api, channel(events=[f"{m}.all" for m in modules])))
    assert [e["resource_name"] for e in item["details"]["events"]] == modules


def test_notify_url_is_mandatory_with_no_json_path(api: TestClient) -> None:
    item = error_of(enable(api, channel(notify_url=None)))
    assert (item["code"], item["details"]) == ("MANDATORY_NOT_FOUND", {"api_name": "notify_url"})


def test_notify_url_takes_255_characters_and_no_more(api: TestClient) -> None:
    base = "https://hooks.zylker.example/"
    enabled(enable(api, channel(notify_url=base + "u" * (255 - len(base)))))
    item = error_of(enable(api, channel(notify_url=base + "u" * (256 - len(base)))))
    assert item["details"] == {"api_name": "notify_url", "json_path": f"{P0}.notify_url", "maximum_length": 255}


@pytest.mark.parametrize("url", ["hooks.zylker.example/watch", "ftp://hooks.zylker.example/", 42])
def test_a_notify_url_that_is_no_http_url_is_invalid(api: TestClient, url: Any) -> None:
    item = error_of(enable(api, channel(notify_url=url)))
    assert item["code"] == "INVALID_DATA"
    assert item["details"]["api_name"] == "notify_url"


def test_a_token_takes_50_characters_and_no_more(api: TestClient) -> None:
    enabled(enable(api, channel(token="t" * 50)))
    item = error_of(enable(api, channel(channel_id="2", token="t" * 51)))
    assert item["details"] == {"api_name": "token", "json_path": f"{P0}.token", "maximum_length": 50}


# --- channel_expiry ---------------------------------------------------------------------------------


def expiry_after(api: TestClient, emulator: Emulator, given: Any, version: str = "v8") -> timedelta:
    """How long after now the channel lives, as the enable answer states it."""
    item = only(enable(api, channel(channel_expiry=given), version=version))
    assert item["status"] == "success", item
    return moment(item["details"]["events"][0]["channel_expiry"]) - now(emulator)


def in_one_hour(span: timedelta) -> bool:
    return timedelta(minutes=59, seconds=55) <= span <= timedelta(hours=1)


def ahead(emulator: Emulator, span: timedelta) -> str:
    return (now(emulator) + span).replace(microsecond=0).isoformat()


def test_no_expiry_gives_the_channel_one_hour(api: TestClient, emulator: Emulator) -> None:
    assert in_one_hour(expiry_after(api, emulator, None))


@pytest.mark.parametrize(
    ("version", "cap"),
    [
        ("v2", timedelta(days=1)),
        ("v2.1", timedelta(days=1)),
        ("v3", timedelta(days=1)),
        ("v4", timedelta(days=7)),
        ("v8", timedelta(days=7)),
    ],
)
def test_an_expiry_up_to_the_versions_cap_is_kept_and_one_beyond_it_is_one_hour(
    api: TestClient, emulator: Emulator, version: str, cap: timedelta
) -> None:
    kept = expiry_after(api, emulator, ahead(emulator, cap - timedelta(seconds=5)), version)
    assert cap - timedelta(seconds=10) <= kept <= cap
    assert in_one_hour(expiry_after(api, emulator, ahead(emulator, cap + timedelta(seconds=5)), version))


def test_an_expiry_is_shown_in_the_callers_time_zone(api: TestClient, emulator: Emulator) -> None:
    given = (now(emulator) + timedelta(days=2)).astimezone(UTC).replace(microsecond=0)
    item = enabled(enable(api, channel(channel_expiry=given.isoformat().replace("+00:00", "Z"))))
    shown = moment(item["details"]["events"][0]["channel_expiry"])
    assert shown == given
    # the fresh org's admin lives in America/Los_Angeles
    assert shown.utcoffset() == given.astimezone(ZoneInfo("America/Los_Angeles")).utcoffset()


@pytest.mark.parametrize(
    ("given", "details"),
    [
        ("tomorrow", {"expected_data_type": "datetime"}),
        ("2030-01-01T10:00:00", {"expected_data_type": "datetime"}),  # no offset
        (1893456000000, {"expected_data_type": "datetime"}),
        ("2001-01-01T10:00:00+05:30", {}),  # in the past
    ],
)
def test_a_malformed_or_past_expiry_is_invalid(api: TestClient, given: Any, details: dict[str, Any]) -> None:
    item = error_of(enable(api, channel(channel_expiry=given)))
    assert item["code"] == "INVALID_DATA"
    assert item["details"] == {"api_name": "channel_expiry", "json_path": f"{P0}.channel_expiry", **details}


# --- flags, fields, conditions -----------------------------------------------------------------------


def test_a_row_shows_the_flags_defaults_and_the_stored_keys(api: TestClient, emulator: Emulator) -> None:
    enabled(enable(api, channel(events=["Deals.all", "Contacts.create"])))
    response = api.get(WATCH)
    validate_response(response, OAS, WATCH, "GET", allow=WATCH_ROW_ALLOWANCES)
    deals, contacts = response.json()["watch"]
    assert response.json()["info"] == {"per_page": 200, "count": 2, "page": 1, "more_records": False}
    assert {k: v for k, v in deals.items() if k != "channel_expiry"} == {
        "notify_on_related_action": True,
        "return_affected_field_values": False,
        "resource_uri": "http://testserver/crm/v2/Deals",
        "resource_id": module_id(emulator, "Deals"),
        "notify_url": NOTIFY_URL,
        "resource_name": "Deals",
        "fields": None,
        "notification_condition": None,
        "channel_id": CHANNEL_ID,
        "events": ["Deals.edit", "Deals.create", "Deals.delete"],
        "token": "TOKEN_FOR_VERIFICATION_OF_1000000068001",
    }
    assert contacts["events"] == ["Contacts.create"]


@pytest.mark.parametrize("key", ["return_affected_field_values", "notify_on_related_action", "_delete_events"])
def test_a_flag_must_be_a_boolean(api: TestClient, key: str) -> None:
    item = error_of(enable(api, channel(**{key: "yes"})))
    assert item["details"] == {"api_name": key, "json_path": f"{P0}.{key}", "expected_data_type": "boolean"}


def test_flags_are_stored_as_given(api: TestClient) -> None:
    enabled(enable(api, channel(return_affected_field_values=True, notify_on_related_action=False, token=None)))
    [row] = rows(api)
    assert (row["return_affected_field_values"], row["notify_on_related_action"], row["token"]) == (True, False, None)


def test_fields_name_fields_of_the_watched_modules_and_each_row_shows_its_own(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Leads.all", "Deals.edit"], fields=["Company", "Stage", "Email"])))
    leads, deals = rows(api)
    assert (leads["fields"], deals["fields"]) == (["Company", "Email"], ["Stage"])


@pytest.mark.parametrize("fields", [["Company", "Stage"], ["Company", 7]])
def test_a_field_of_no_watched_module_is_invalid_where_it_stands(api: TestClient, fields: list[Any]) -> None:
    item = error_of(enable(api, channel(fields=fields)))
    assert (item["code"], item["details"]) == ("INVALID_DATA", {"api_name": "fields", "json_path": f"{P0}.fields[1]"})


def test_more_than_100_fields_are_too_many(api: TestClient) -> None:
    item = error_of(enable(api, channel(fields=["Company"] * 101)))
    assert (item["code"], item["details"]["limit"]) == ("LIMIT_EXCEEDED", 100)


def leaf(name: str, field_id: str | None = None) -> dict[str, Any]:
    return {"field": {"api_name": name, **({"id": field_id} if field_id else {})}}


def group(operator: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return {"group_operator": operator, "group": list(entries)}


def condition(selection: Any, module: Any = None, **overrides: Any) -> dict[str, Any]:
    item = {"type": "field_selection", "module": module or {"api_name": "Deals"}, "field_selection": selection}
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def test_zohos_nested_condition_is_stored_and_shown_with_ids_and_null_leaves(
    api: TestClient, emulator: Emulator
) -> None:
    ids = field_ids(api, "Deals")
    deals = {"api_name": "Deals", "id": module_id(emulator, "Deals")}
    selection = group("or", leaf("Stage", ids["Stage"]), group("AND", leaf("Account_Name"), leaf("Lead_Source")))
    enabled(enable(api, channel(events=["Deals.all"], notification_condition=[condition(selection, deals)])))
    response = api.get(WATCH)
    validate_response(response, OAS, WATCH, "GET", allow=WATCH_ROW_ALLOWANCES)
    [row] = response.json()["watch"]

    def shown(name: str) -> dict[str, Any]:
        return {"field": {"api_name": name, "id": ids[name]}, "group_operator": None, "group": None}

    assert row["notification_condition"] == [
        {
            "field_selection": {
                "group_operator": "or",
                "group": [
                    shown("Stage"),
                    {"group_operator": "and", "group": [shown("Account_Name"), shown("Lead_Source")]},
                ],
            },
            "module": deals,
            "type": "field_selection",
        }
    ]


def test_a_single_field_selection_needs_no_group(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Deals.edit"], notification_condition=[condition(leaf("Stage"))])))
    assert rows(api)[0]["notification_condition"][0]["field_selection"]["field"]["api_name"] == "Stage"


def test_ten_condition_fields_are_taken_and_eleven_are_too_many(api: TestClient) -> None:
    names = ["Stage", "Amount", "Account_Name", "Lead_Source", "Deal_Name", "Closing_Date", "Type"]
    names += ["Probability", "Next_Step", "Description", "Campaign_Source"]

    def chain(fields: list[str]) -> dict[str, Any]:
        return leaf(fields[0]) if len(fields) == 1 else group("or", leaf(fields[0]), chain(fields[1:]))

    enabled(enable(api, channel(events=["Deals.edit"], notification_condition=[condition(chain(names[:10]))])))
    item = error_of(enable(api, channel(events=["Deals.edit"], notification_condition=[condition(chain(names))])))
    assert item["code"] == "INVALID_DATA"
    path = f"{P0}.notification_condition[0].field_selection"
    assert item["details"] == {"json_path": path, "maximum_length": 10}


C0 = f"{P0}.notification_condition[0]"


@pytest.mark.parametrize(
    ("entry", "code", "details"),
    [
        (
            condition(leaf("Stage"), type=None),
            "DEPENDENT_FIELD_MISSING",
            {"api_name": "type", "json_path": f"{C0}.type"}
            | {"dependee": {"api_name": "field_selection", "json_path": f"{C0}.field_selection"}},
        ),
        ({"module": {"api_name": "Deals"}}, "MANDATORY_NOT_FOUND", {"api_name": "type", "json_path": f"{C0}.type"}),
        (
            condition(leaf("Stage"), type="field_change"),
            "INVALID_DATA",
            {"api_name": "type", "json_path": f"{C0}.type", "supported_values": ["field_selection"]},
        ),
        (
            {"type": "field_selection", "field_selection": leaf("Stage")},
            "MANDATORY_NOT_FOUND",
            {"api_name": "module", "json_path": f"{C0}.module"},
        ),
        (
            condition(leaf("Stage"), {"id": None}),
            "EXPECTED_FIELD_MISSING",
            {"expected_fields": ["api_name", "id"], "json_path": f"{C0}.module"},
        ),
        (
            condition(leaf("Stage"), {"api_name": "Deals", "id": "1"}),
            "AMBIGUITY_DURING_PROCESSING",
            {"ambiguity_due_to": ["api_name", "id"], "json_path": f"{C0}.module"},
        ),
        (
            condition(leaf("Company"), {"api_name": "Leads"}),
            "INVALID_DATA",
            {"api_name": "module", "json_path": f"{C0}.module"},
        ),
        (
            condition(None, field_selection=None),
            "MANDATORY_NOT_FOUND",
            {"api_name": "field_selection", "json_path": f"{C0}.field_selection"},
        ),
        (
            condition(group("or", leaf("Stage"), leaf("Amount"), leaf("Type"))),
            "INVALID_DATA",
            {"api_name": "group", "json_path": f"{C0}.field_selection.group", "maximum_length": 2},
        ),
        (
            condition(group("xor", leaf("Stage"), leaf("Amount"))),
            "INVALID_DATA",
            {"api_name": "group_operator", "json_path": f"{C0}.field_selection.group_operator"}
            | {"supported_values": ["or", "and"]},
        ),
        (
            condition({"group": [leaf("Stage")]}),
            "MANDATORY_NOT_FOUND",
            {"api_name": "group_operator", "json_path": f"{C0}.field_selection.group_operator"},
        ),
        (
            condition(group("or")),
            "MANDATORY_NOT_FOUND",
            {"api_name": "group", "json_path": f"{C0}.field_selection.group"},
        ),
        (
            condition(group("or", leaf("Stage"), leaf("Nope"))),
            "INVALID_DATA",
            {"api_name": "api_name", "json_path": f"{C0}.field_selection.group[1].field.api_name"},
        ),
        (
            condition(leaf("Stage", "1")),
            "AMBIGUITY_DURING_PROCESSING",
            {"ambiguity_due_to": ["api_name", "id"], "json_path": f"{C0}.field_selection.field"},
        ),
        (
            condition(["Stage"]),
            "INVALID_DATA",
            {"json_path": f"{C0}.field_selection", "expected_data_type": "jsonobject"},
        ),
    ],
)
def test_each_notification_condition_error_at_its_edge(
    api: TestClient, entry: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    item = error_of(enable(api, channel(events=["Deals.all", "Contacts.all"], notification_condition=[entry])))
    assert (item["code"], item["details"]) == (code, details)


def test_an_unknown_condition_field_says_so(api: TestClient) -> None:
    item = error_of(enable(api, channel(events=["Deals.all"], notification_condition=[condition(leaf("Nope"))])))
    assert item["message"] == "the field api name given seems to be invalid"


def test_a_condition_module_may_be_named_by_id_alone(api: TestClient, emulator: Emulator) -> None:
    entry = condition(leaf("Stage"), {"id": module_id(emulator, "Deals")})
    enabled(enable(api, channel(events=["Deals.all"], notification_condition=[entry])))
    assert rows(api)[0]["notification_condition"][0]["module"]["api_name"] == "Deals"


# --- re-enabling, listing ------------------------------------------------------------------------------


def test_enabling_a_watched_module_again_replaces_it_and_another_module_adds_a_row(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Leads.create"], token="one")))
    enabled(enable(api, channel(events=["Leads.edit"], token="two")))
    [row] = rows(api)
    assert (row["events"], row["token"]) == (["Leads.edit"], "two")
    enabled(enable(api, channel(events=["Contacts.delete"])))
    assert [r["resource_name"] for r in rows(api)] == ["Leads", "Contacts"]


def test_no_channel_is_a_204(api: TestClient) -> None:
    response = api.get(WATCH)
    assert (response.status_code, response.content) == (204, b"")
    validate_response(response, OAS, WATCH, "GET")


def test_the_list_filters_by_module_and_channel_and_pages(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Leads.all", "Deals.all"])))
    enabled(enable(api, channel(channel_id="7", events=["Deals.create"])))
    assert [(r["channel_id"], r["resource_name"]) for r in rows(api, module="Deals")] == [
        (CHANNEL_ID, "Deals"),
        ("7", "Deals"),
    ]
    assert [r["resource_name"] for r in rows(api, channel_id="7")] == ["Deals"]
    assert rows(api, module="Contacts") == []
    page = api.get(WATCH, params={"per_page": 2, "page": 2}).json()
    assert [r["channel_id"] for r in page["watch"]] == ["7"]
    assert page["info"] == {"per_page": 2, "count": 1, "page": 2, "more_records": False}
    assert api.get(WATCH, params={"per_page": 2}).json()["info"]["more_records"] is True


@pytest.mark.parametrize(
    ("query", "code", "details"),
    [
        ({"module": "Nowhere"}, "INVALID_MODULE", {"api_name": "module"}),
        ({"per_page": 201}, "INVALID_DATA", {"param_name": "per_page", "maximum_value": 200}),
        ({"page": 0}, "INVALID_DATA", {"param_name": "page"}),
    ],
)
def test_a_bad_list_param_is_a_bare_error(
    api: TestClient, query: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    response = api.get(WATCH, params=query)
    assert (response.status_code, response.json()["code"], response.json()["details"]) == (400, code, details)


def test_each_user_sees_and_changes_only_their_own_channels(
    client: TestClient, api: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    enabled(enable(api, channel()))
    rep = {"Authorization": f"Zoho-oauthtoken {make_token(WATCH_SCOPES, user_id=add_standard_user(emulator))}"}
    assert client.get(WATCH, headers=rep).status_code == 204
    refused = client.delete(WATCH, params={"channel_ids": CHANNEL_ID}, headers=rep)
    assert only(refused)["code"] == "NOT_SUBSCRIBED"
    assert client.post(WATCH, json={"watch": [channel(token="rep")]}, headers=rep).status_code == 201
    assert [r["token"] for r in rows(api)] == ["TOKEN_FOR_VERIFICATION_OF_1000000068001"]


# --- replace (PUT) --------------------------------------------------------------------------------------


def put(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.put(WATCH, json={"watch": list(items)})


def patch(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.patch(WATCH, json={"watch": list(items)})


@pytest.mark.usefixtures("both_backends")
def test_replace_keeps_exactly_what_it_is_given(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Leads.all", "Deals.all"], return_affected_field_values=True)))
    response = put(api, channel(events=["Leads.create", "Contacts.edit"], token=None, notify_url="https://b.example/"))
    assert response.status_code == 200, response.text
    validate_response(response, OAS, WATCH, "PUT", allow=WATCH_EVENT_ALLOWANCES)
    item = only(response)
    assert item["message"] == SUBSCRIBED
    assert [e["resource_name"] for e in item["details"]["events"]] == ["Leads", "Contacts"]
    leads, contacts = rows(api)
    assert (leads["events"], leads["token"], leads["notify_url"]) == (["Leads.create"], None, "https://b.example/")
    assert leads["return_affected_field_values"] is False
    assert contacts["events"] == ["Contacts.edit"]


def test_replace_renews_the_expiry(api: TestClient, emulator: Emulator) -> None:
    enabled(enable(api, channel()))
    emulator.advance_clock(1800)
    item = only(put(api, channel(channel_expiry=ahead(emulator, timedelta(days=3)))))
    assert moment(item["details"]["events"][0]["channel_expiry"]) - now(emulator) > timedelta(days=2)


def test_replacing_a_channel_that_is_not_subscribed_is_refused(api: TestClient) -> None:
    item = error_of(put(api, channel()))
    assert (item["code"], item["details"]) == ("NOT_SUBSCRIBED", {"channel_id": CHANNEL_ID})
    assert schema_errors(put(api, channel()).json(), OAS, "/components/schemas/InvalidParamWrapper") == []


def test_replace_needs_a_notify_url(api: TestClient) -> None:
    enabled(enable(api, channel()))
    item = error_of(put(api, channel(notify_url=None)))
    assert (item["code"], item["details"]) == ("MANDATORY_NOT_FOUND", {"api_name": "notify_url"})


# --- patch ---------------------------------------------------------------------------------------------


def test_patch_changes_only_the_keys_sent_and_adds_events(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Deals.create"], return_affected_field_values=True)))
    before = rows(api)[0]
    response = patch(api, {"channel_id": CHANNEL_ID, "events": ["Deals.edit"], "token": "changed"})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, WATCH, "PATCH", allow=WATCH_EVENT_ALLOWANCES)
    item = only(response)
    assert item["message"] == "Successfully updated the subscribe details"
    assert item["details"]["events"][0]["channel_expiry"] == before["channel_expiry"]
    [after] = rows(api)
    assert after == {**before, "events": ["Deals.edit", "Deals.create"], "token": "changed"}


def test_patch_sets_conditions_of_the_modules_it_names(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Deals.all"])))
    only(patch(api, channel(events=["Deals.edit"], notification_condition=[condition(leaf("Stage"))])))
    assert rows(api)[0]["notification_condition"][0]["field_selection"]["field"]["api_name"] == "Stage"


def test_patch_adds_a_module_with_the_channels_settings(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Leads.create"])))
    assert only(patch(api, {"channel_id": CHANNEL_ID, "events": ["Contacts.delete"]}))["status"] == "success"
    leads, contacts = rows(api)
    assert (contacts["events"], contacts["notify_url"], contacts["token"]) == (
        ["Contacts.delete"],
        leads["notify_url"],
        leads["token"],
    )
    assert contacts["channel_expiry"] == leads["channel_expiry"]


def test_patching_a_channel_that_is_not_subscribed_is_refused(api: TestClient) -> None:
    item = error_of(patch(api, {"channel_id": "404", "events": ["Leads.edit"]}))
    assert (item["code"], item["details"]) == ("NOT_SUBSCRIBED", {"channel_id": "404"})


def test_delete_events_drops_the_listed_events_and_a_module_left_with_none(api: TestClient, emulator: Emulator) -> None:
    enabled(enable(api, channel(events=["Leads.all", "Contacts.create"])))
    response = patch(
        api, {"channel_id": CHANNEL_ID, "events": ["Leads.edit", "Contacts.create"], "_delete_events": True}
    )
    assert response.status_code == 200, response.text
    validate_response(response, OAS, WATCH, "PATCH", allow=WATCH_EVENT_ALLOWANCES)
    assert only(response) == {
        "code": "SUCCESS",
        "details": {
            "events": [
                {
                    "resource_uri": f"http://testserver/crm/v2/{name}",
                    "resource_id": module_id(emulator, name),
                    "resource_name": name,
                    "channel_id": CHANNEL_ID,
                }
                for name in ("Leads", "Contacts")
            ]
        },
        "message": "Successfully removed the subscribe details",
        "status": "success",
    }
    [leads] = rows(api)
    assert leads["events"] == ["Leads.create", "Leads.delete"]


def test_delete_events_false_is_an_ordinary_patch(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Leads.create"])))
    only(patch(api, {"channel_id": CHANNEL_ID, "events": ["Leads.edit"], "_delete_events": False}))
    assert rows(api)[0]["events"] == ["Leads.edit", "Leads.create"]


def test_deleting_events_of_modules_the_channel_does_not_watch_is_refused(api: TestClient) -> None:
    enabled(enable(api, channel(events=["Leads.create"])))
    item = error_of(patch(api, {"channel_id": CHANNEL_ID, "events": ["Deals.edit"], "_delete_events": True}))
    assert item["code"] == "NOT_SUBSCRIBED"


# --- disable -------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_disable_answers_once_per_channel_and_module(api: TestClient, emulator: Emulator) -> None:
    enabled(enable(api, channel(events=["Contacts.all", "Deals.all"])))
    enabled(enable(api, channel(channel_id="2")))
    response = api.delete(WATCH, params={"channel_ids": f"{CHANNEL_ID},2"})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, WATCH, "DELETE")
    assert results(response) == [
        {
            "code": "SUCCESS",
            "details": {
                "resource_uri": f"http://testserver/crm/v2/{name}",
                "resource_id": module_id(emulator, name),
                "channel_id": channel_id,
            },
            "message": "Successfully un-subscribed from actions-watch",
            "status": "success",
        }
        for channel_id, name in ((CHANNEL_ID, "Contacts"), (CHANNEL_ID, "Deals"), ("2", "Leads"))
    ]
    assert rows(api) == []


def test_disabling_an_unknown_channel_beside_a_known_one_is_207_and_alone_400(api: TestClient) -> None:
    enabled(enable(api, channel()))
    mixed = api.delete(WATCH, params={"channel_ids": f"404,{CHANNEL_ID}"})
    assert mixed.status_code == 207
    unknown, _ = results(mixed)
    assert unknown == {
        "code": "NOT_SUBSCRIBED",
        "details": {"channel_id": "404"},
        "message": "the channel is not subscribed to actions-watch",
        "status": "error",
    }
    assert api.delete(WATCH, params={"channel_ids": "404"}).status_code == 400


@pytest.mark.parametrize("query", [{}, {"channel_ids": ""}, {"channel_ids": " , "}])
def test_disable_needs_channel_ids(api: TestClient, query: dict[str, str]) -> None:
    response = api.delete(WATCH, params=query)
    assert response.status_code == 400
    assert response.json() == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "channel_ids"},
        "message": "required param is missing",
        "status": "error",
    }
    validate_response(response, OAS, WATCH, "DELETE", allow=WATCH_PARAM_NAME)


# --- expiry on the emulator clock, scopes, versions ------------------------------------------------------


def test_an_expired_channel_is_no_longer_listed_nor_subscribed_and_can_be_enabled_afresh(
    client: TestClient, api: TestClient, make_token: TokenFactory
) -> None:
    enabled(enable(api, channel()))
    assert client.post("/_emulator/clock/advance", json={"seconds": 3601}).status_code == 200
    api.headers["Authorization"] = f"Zoho-oauthtoken {make_token(WATCH_SCOPES)}"  # the old one died too
    assert rows(api) == []
    assert only(api.delete(WATCH, params={"channel_ids": CHANNEL_ID}))["code"] == "NOT_SUBSCRIBED"
    enabled(enable(api, channel(events=["Leads.create"])))
    assert rows(api)[0]["events"] == ["Leads.create"]


@pytest.mark.parametrize(
    ("scope", "allowed"),
    [
        ("ZohoCRM.notifications.READ", {"GET"}),
        ("ZohoCRM.notifications.CREATE", {"POST"}),
        ("ZohoCRM.notifications.UPDATE", {"PUT", "PATCH"}),
        ("ZohoCRM.notifications.DELETE", {"DELETE"}),
        ("ZohoCRM.notifications.WRITE", {"POST", "PUT", "PATCH", "DELETE"}),
        ("ZohoCRM.notifications.ALL", {"GET", "POST", "PUT", "PATCH", "DELETE"}),
        ("ZohoCRM.modules.ALL", set()),
    ],
)
def test_each_operation_needs_its_notifications_scope(
    client: TestClient, make_token: TokenFactory, scope: str, allowed: set[str]
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token([scope])}"}
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        body = {"watch": [channel()]} if method in ("POST", "PUT", "PATCH") else None
        response = client.request(method, WATCH, json=body, params={"channel_ids": "1"}, headers=headers)
        refused = response.status_code == 401 and response.json()["code"] == "OAUTH_SCOPE_MISMATCH"
        assert refused == (method not in allowed), (method, response.text)


@pytest.mark.parametrize("version", ["v2", "v2.1", "v5", "v7"])
def test_every_version_serves_the_watch_api(api: TestClient, version: str) -> None:
    enabled(enable(api, channel(), version=version))
    assert api.get(f"/crm/{version}/actions/watch").status_code == 200
