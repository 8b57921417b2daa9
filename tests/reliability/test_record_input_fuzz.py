"""Hostile input over HTTP where schemathesis does not reach (issue #11): record writes that name real
fields of real modules, settings items with their real keys, list and search parameters at their
edges, odd module names, and raw bodies.
Each answer must be below 500, in Zoho's JSON media type (or a bodiless 204/304).

What "hostile" means here is ``tests/reliability/strategies.py``: lone surrogates, NaN and Infinity,
``1e400``, integers past 64 bits, dates at the ends of the calendar with offsets, deep nesting.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from tests.reliability.fuzzing import Target, assert_answered, exchange, reproduction, shared_emulator
from tests.reliability.hypothesis_settings import DETERMINISTIC
from tests.reliability.strategies import (
    BIG_INTS,
    EDGE_INTS,
    LOOKALIKES,
    criteria,
    dumps,
    json_values,
    jsonish_bytes,
    nested_json,
    raw,
    typed_texts,
    typed_values,
)
from zcrm_emulator.resources.search.rules import ALL_OPERATORS
from zcrm_emulator.routing import RESERVED_SEGMENTS

FUZZ = settings(DETERMINISTIC, max_examples=150)
V8 = "/crm/v8"
# Modules with every common field type between them, and what each needs to be created at all.
MANDATORY: dict[str, dict[str, Any]] = {
    "Leads": {"Last_Name": "Fuzz"},
    "Deals": {"Deal_Name": "Fuzz", "Stage": "Qualification"},
    "Events": {
        "Event_Title": "Fuzz",
        "Start_DateTime": "2025-01-31T10:00:00+05:30",
        "End_DateTime": "2025-01-31T11:00:00+05:30",
    },
    "Products": {"Product_Name": "Fuzz"},
    "Campaigns": {"Campaign_Name": "Fuzz"},
    "Tasks": {"Subject": "Fuzz"},
}
MODULES = sorted(MANDATORY)


def standard_fields(module: str) -> list[dict[str, Any]]:
    """A fresh org's field objects of ``module``."""
    raw = (resources.files("zcrm_emulator.standard_org") / "fields" / f"{module}.json").read_text(encoding="utf-8")
    return list(json.loads(raw))


# Per module, the fields a client may write (api_name -> data_type): a read-only field in an item
# would refuse the whole item before any value is converted or stored.
WRITABLE = {
    module: {
        f["api_name"]: f["data_type"]
        for f in standard_fields(module)
        if (f.get("operation_type") or {}).get("api_create") and not f.get("read_only")
    }
    for module in MODULES
}
FIELD_NAMES = sorted({f["api_name"] for module in MODULES for f in standard_fields(module)})


@dataclass
class Org:
    target: Target
    records: dict[str, str]  # module -> the id of one of its records
    profile_id: str  # the Administrator profile's
    module_names: frozenset[str] = field(repr=False)  # every module api name, lower-cased


def _create(target: Target, module: str) -> str:
    response = target.client.post(f"{V8}/{module}", json={"data": [MANDATORY[module]]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Org]:
    with shared_emulator(tmp_path_factory.mktemp("record-fuzz")) as target:
        modules = target.client.get(f"{V8}/settings/modules").json()["modules"]
        names = frozenset(m["api_name"].lower() for m in modules)
        profiles = target.client.get(f"{V8}/settings/profiles").json()["profiles"]
        admin = next(p["id"] for p in profiles if p["name"] == "Administrator")
        yield Org(target, {module: _create(target, module) for module in MODULES}, admin, names)


def answered(
    org: Org, method: str, url: str, *, body: bytes | None = None, headers: Mapping[str, str | bytes] | None = None
) -> None:
    request = org.target.client.build_request(method, url, content=body, headers=headers)
    assert_answered(*exchange(org.target, request))


# --- record writes naming real fields ------------------------------------------------------------
WRITES = ("POST {module}", "PUT {module}/{id}", "PUT {module}", "POST {module}/upsert")


@st.composite
def record_items(draw: st.DrawFn, fields: dict[str, str], mandatory: dict[str, Any]) -> dict[str, Any]:
    """The mandatory fields (most of the time) and a few writable fields with values for their type."""
    names = draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True))
    item = dict(mandatory) if draw(st.integers(0, 4)) else {}
    item.update({name: draw(typed_values(fields[name]), label=name) for name in names})
    return item


@settings(FUZZ, max_examples=500)  # items are many-sided: more draws before the rare corners
@given(st.sampled_from(MODULES), st.sampled_from(WRITES), st.data())
def test_hostile_values_in_real_fields_are_answered_below_500(
    org: Org, module: str, write: str, data: st.DataObject
) -> None:
    method, template = write.split(" ")
    item = data.draw(record_items(WRITABLE[module], MANDATORY[module]), label="item")
    if template == "{module}" and method == "PUT":
        item["id"] = org.records[module]
    url = f"{V8}/" + template.format(module=module, id=org.records[module])
    answered(org, method, url, body=dumps({"data": [item]}))


@pytest.mark.parametrize(
    ("module", "item"),
    [
        pytest.param("Leads", {"Last_Name": "\ud800"}, id="lone-surrogate-text"),
        pytest.param("Leads", {"Last_Name": "Fuzz", "No_of_Employees": float("nan")}, id="nan-integer"),
        pytest.param("Leads", {"Last_Name": "Fuzz", "Annual_Revenue": float("inf")}, id="infinite-currency"),
        pytest.param("Products", {"Product_Name": "Fuzz", "Unit_Price": raw("1e400")}, id="1e400-currency"),
        pytest.param(
            "Events", {**MANDATORY["Events"], "Start_DateTime": "9999-12-31T23:59:59-01:00"}, id="datetime-past-9999"
        ),
        pytest.param("Deals", {**MANDATORY["Deals"], "Closing_Date": "0001-01-01", "Amount": 2**64}, id="edges"),
    ],
)
def test_values_that_once_failed_are_answered_below_500(org: Org, module: str, item: dict[str, Any]) -> None:
    answered(org, "POST", f"{V8}/{module}", body=dumps({"data": [item]}))


# --- list, search and count parameters --------------------------------------------------------------
PARAMS = (
    "page",
    "per_page",
    "page_token",
    "fields",
    "sort_by",
    "sort_order",
    "ids",
    "cvid",
    "converted",
    "approved",
    "approval_state",
    "type",
    "module",
    "include_child",
    "criteria",
    "email",
    "phone",
    "word",
    "status",
)
READS = (
    "{module}",
    "{module}/deleted",
    "{module}/search",
    "{module}/actions/count",
    "{module}/{id}",
    "users",
    "users/actions/count",
    "settings/fields",
    "settings/layouts",
    "settings/modules",
    "settings/custom_links",
    "settings/unsubscribe_links",
)


QUERY_VALUES = st.one_of(
    BIG_INTS.map(str),
    st.sampled_from(EDGE_INTS).map(str),
    st.sampled_from(LOOKALIKES),
    st.lists(st.sampled_from(FIELD_NAMES), min_size=1, max_size=60).map(",".join),
    criteria(FIELD_NAMES, sorted(ALL_OPERATORS)),
    st.text(max_size=40),
)
# What each read needs to get past its first check (``fields`` for lists, a search param), most of
# the time, plus one to four hostile parameters.
NEEDED = st.sampled_from([{}, {"fields": "Last_Name"}, {"fields": "Last_Name", "word": "fuzz"}])
QUERIES = st.builds(
    lambda needed, hostile: needed | hostile,
    NEEDED,
    st.dictionaries(st.sampled_from(PARAMS), QUERY_VALUES, min_size=1, max_size=4),
)


def query_string(params: dict[str, str]) -> str:
    """Percent-encoded as UTF-8; a lone surrogate as the bytes it would be (not valid UTF-8)."""
    return "&".join(f"{quote(k)}={quote(v, safe='', errors='surrogatepass')}" for k, v in params.items())


@FUZZ
@given(st.sampled_from(MODULES), st.sampled_from(READS), QUERIES)
@example("Leads", "{module}/deleted", {"page": "46116860184273881"})
@example("Leads", "{module}", {"fields": "Last_Name", "page": str(2**63)})
@example("Leads", "{module}/search", {"word": "ab", "page": str(2**64)})
@example("Leads", "{module}/search", {"criteria": "(Created_Time:greater_than:9999-12-31T23:59:59-01:00)"})
def test_hostile_read_parameters_are_answered_below_500(
    org: Org, module: str, read: str, params: dict[str, str]
) -> None:
    url = f"{V8}/" + read.format(module=module, id=org.records[module])
    answered(org, "GET", f"{url}?{query_string(params)}")


PAGED = ("{module}", "{module}/deleted", "{module}/search", "users")
PAGE_NUMBERS = st.one_of(BIG_INTS, st.sampled_from(EDGE_INTS))


@FUZZ
@given(st.sampled_from(MODULES), st.sampled_from(PAGED), PAGE_NUMBERS, st.none() | PAGE_NUMBERS)
@example("Leads", "{module}/deleted", 46116860184273881, None)
def test_any_page_and_page_size_are_answered_below_500(
    org: Org, module: str, read: str, page: int, per_page: int | None
) -> None:
    params = {"fields": "Last_Name", "word": "fuzz", "page": str(page)}
    if per_page is not None:
        params["per_page"] = str(per_page)
    answered(org, "GET", f"{V8}/{read.format(module=module)}?{query_string(params)}")


@FUZZ
@given(st.sampled_from(MODULES), st.one_of(typed_texts("datetime"), st.sampled_from(LOOKALIKES)))
@example("Leads", "Fri, 31 Dec 9999 23:59:59 GMT")
def test_hostile_if_modified_since_headers_are_answered_below_500(org: Org, module: str, since: str) -> None:
    headers = {"If-Modified-Since": since.encode("utf-8", "surrogatepass")}  # bytes: any text goes
    answered(org, "GET", f"{V8}/{module}?fields=Last_Name", headers=headers)


@FUZZ
@given(
    st.sampled_from(MODULES),
    st.sampled_from(["GET", "PUT", "DELETE"]),
    st.one_of(st.text(min_size=1, max_size=40), st.sampled_from(EDGE_INTS).map(str)),
)
def test_hostile_record_ids_are_answered_below_500(org: Org, module: str, method: str, record_id: str) -> None:
    body = dumps({"data": [{"Last_Name": "Fuzz"}]}) if method == "PUT" else None
    answered(org, method, f"{V8}/{module}/{quote(record_id, safe='')}", body=body)
    if method == "DELETE":
        answered(org, method, f"{V8}/{module}?ids={quote(record_id, safe='')}")


# --- settings writes with their real keys -----------------------------------------------------------
def settings_items(profile_id: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """Per settings resource: its collection path and a valid item to spoil."""
    return {
        "custom_links": (
            "settings/custom_links?module=Leads",
            {
                "name": "Fuzz",
                "url": "https://zylker.example/{Leads.Last_Name}",
                "url_encoding": "UTF-8",
                "profiles": [{"id": profile_id}],
            },
        ),
        "unsubscribe_links": (
            "settings/unsubscribe_links",
            {
                "name": "Fuzz",
                "page_type": "standard",
                "submission_action_type": "redirect",
                "submission_redirect_url": "https://zylker.example/bye",
            },
        ),
        "modules": (
            "settings/modules",
            {"plural_label": "Stocks", "singular_label": "Stock", "profiles": [{"id": profile_id}]},
        ),
    }


@FUZZ
@given(st.sampled_from(["custom_links", "unsubscribe_links", "modules"]), st.booleans(), st.data())
def test_hostile_values_in_settings_items_are_answered_below_500(
    org: Org, resource: str, create: bool, data: st.DataObject
) -> None:
    path, valid = settings_items(org.profile_id)[resource]
    keys = data.draw(st.lists(st.sampled_from([*valid, "description", "id", "api_name"]), min_size=1, max_size=2))
    item = valid | {key: data.draw(typed_values("text"), label=key) for key in keys}
    body = dumps({resource: [item]})
    if create:
        answered(org, "POST", f"{V8}/{path}", body=body)
    else:  # the resource's first item (if any yet), updated through its own path
        listed = org.target.client.get(f"{V8}/{path}")
        first = listed.json()[resource][0]["id"] if listed.status_code == 200 else "1"
        collection, _, query = path.partition("?")
        answered(org, "PUT", f"{V8}/{collection}/{first}?{query}", body=body)


# --- module names ------------------------------------------------------------------------------------
MODULE_LIKE = st.from_regex(r"[A-Za-z0-9_.$-]{1,30}", fullmatch=True)


@FUZZ
@given(MODULE_LIKE)
@example("0.")
@example("_")
def test_a_name_that_is_no_module_is_invalid_module_for_an_all_scope_token(org: Org, name: str) -> None:
    assume(name.lower() not in org.module_names and name not in (*RESERVED_SEGMENTS, ".", ".."))
    response, tracebacks = exchange(org.target, org.target.client.build_request("GET", f"{V8}/{name}/actions/count"))
    assert_answered(response, tracebacks)
    assert (response.status_code, response.json().get("code")) == (400, "INVALID_MODULE"), reproduction(response)


# --- raw bodies ---------------------------------------------------------------------------------------
BODY_TARGETS = (
    "POST /crm/v8/Leads",
    "PUT /crm/v8/Leads",
    "POST /crm/v8/Leads/upsert",
    "POST /crm/v8/settings/modules",
    "PUT /crm/v8/settings/modules",
    "PUT /crm/v8/settings/modules/Leads",
    "POST /crm/v8/settings/custom_links",
    "PUT /crm/v8/settings/custom_links",
    "POST /crm/v8/settings/unsubscribe_links",
    "PUT /crm/v8/settings/unsubscribe_links",
)
BODIES = st.one_of(
    st.binary(max_size=200),
    jsonish_bytes(),
    nested_json(max_depth=6000),
    json_values().map(dumps),
    json_values().map(lambda value: dumps({"data": [value]})),
)


@FUZZ
@given(st.sampled_from(BODY_TARGETS), BODIES)
@example("POST /crm/v8/Leads", b'{"data":' + b"[" * 5000 + b"]" * 5000 + b"}")
@example("POST /crm/v8/settings/modules", b"[" * 5000)
def test_any_body_is_answered_below_500(org: Org, target: str, body: bytes) -> None:
    method, path = target.split(" ")
    answered(org, method, path, body=body)
