"""``Tag`` in search criteria (by tag name, matched by the tag's id) and ``cvid`` on
``GET /{module}/search`` (a search within a custom view), over HTTP on both stores; answers checked
against module_search.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.resources.search.test_routes import SEARCH
from tests.support.oas import validate_response
from tests.support.records import create_custom_module

pytestmark = pytest.mark.usefixtures("both_backends")


def insert(api: TestClient, module: str, *records: dict[str, Any]) -> list[str]:
    response = api.post(f"/crm/v8/{module}", json={"data": list(records)})
    assert response.status_code == 201, response.text
    return [item["details"]["id"] for item in response.json()["data"]]


def search(api: TestClient, module: str = "Leads", **params: Any) -> httpx.Response:
    response = api.get(SEARCH.format(module=module), params=params)
    if response.status_code == 200:  # the file documents no 204, which no hit answers (REFERENCE §4.9)
        validate_response(response, "module_search.json", "/crm/v8/{module}/search")
    return response


def found(response: httpx.Response, name: str = "Last_Name") -> list[str]:
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.text
    return sorted(record[name] for record in response.json()["data"])


def view_id(api: TestClient, name: str, module: str = "Leads") -> str:
    response = api.get("/crm/v8/settings/custom_views", params={"module": module})
    assert response.status_code == 200, response.text
    return next(str(view["id"]) for view in response.json()["custom_views"] if view["name"] == name)


@pytest.fixture
def tagged(api: TestClient) -> dict[str, str]:
    names = ("Hot", "Warm", "Both", "None")
    tags = ([{"name": "Hot"}], [{"name": "warm"}], [{"name": "HOT"}, {"name": "Warm"}], [])
    ids = insert(
        api, "Leads", *({"Last_Name": n, "Company": "Zylker", "Tag": t} for n, t in zip(names, tags, strict=True))
    )
    return dict(zip(names, ids, strict=True))


# --- Tag in criteria --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ("(Tag:equals:hot)", ["Both", "Hot"]),
        ("(Tag:equals:WARM)", ["Both", "Warm"]),
        ("(Tag:in:Hot,Warm)", ["Both", "Hot", "Warm"]),
        ("(Tag:not_equal:Hot)", ["None", "Warm"]),
        ("((Tag:equals:Hot)and(Tag:equals:Warm))", ["Both"]),
        ("((Tag:equals:Warm)and(Last_Name:starts_with:Wa))", ["Warm"]),
        ("(Tag:equals:Cold)", []),
        ("(Tag:not_equal:Cold)", ["Both", "Hot", "None", "Warm"]),
    ],
)
def test_tag_criteria_find_the_records_carrying_the_tag(
    api: TestClient, tagged: dict[str, str], criteria: str, expected: list[str]
) -> None:
    assert found(search(api, criteria=criteria)) == expected


def test_a_renamed_tag_is_searched_by_its_new_name(api: TestClient, tagged: dict[str, str]) -> None:
    tags = api.get("/crm/v8/settings/tags", params={"module": "Leads"}).json()["tags"]
    hot = next(tag["id"] for tag in tags if tag["name"] == "Hot")
    renamed = api.put(f"/crm/v8/settings/tags/{hot}", params={"module": "Leads"}, json={"tags": [{"name": "Lead Hot"}]})
    assert renamed.status_code == 200, renamed.text

    assert found(search(api, criteria="(Tag:equals:lead hot)")) == ["Both", "Hot"]
    assert found(search(api, criteria="(Tag:equals:Hot)")) == []


def test_a_tag_taken_off_a_record_no_longer_finds_it(api: TestClient, tagged: dict[str, str]) -> None:
    response = api.put(f"/crm/v8/Leads/{tagged['Both']}", json={"data": [{"Tag": [{"name": "Warm"}]}]})
    assert response.status_code == 200, response.text

    assert found(search(api, criteria="(Tag:equals:Hot)")) == ["Hot"]


def test_the_count_takes_tag_criteria(api: TestClient, tagged: dict[str, str]) -> None:
    response = api.get("/crm/v8/Leads/actions/count", params={"criteria": "(Tag:in:hot,cold)"})
    assert (response.status_code, response.json()) == (200, {"count": 2})


def test_tags_of_another_module_are_not_this_modules(api: TestClient, tagged: dict[str, str]) -> None:
    insert(api, "Contacts", {"Last_Name": "Contact", "Tag": [{"name": "Cold"}]})
    assert found(search(api, criteria="(Tag:equals:Cold)")) == []
    assert found(search(api, "Contacts", criteria="(Tag:equals:Cold)")) == ["Contact"]


@pytest.mark.parametrize(
    ("criteria", "details"),
    [
        ("(Tag:starts_with:Ho)", {"api_name": "Tag", "operator": "starts_with", "reason": "invalid operator found"}),
        ("(Tag:equals:Hot,Warm)", {"api_name": "Tag", "value": "Hot,Warm", "reason": "invalid value found"}),
    ],
)
def test_what_tag_criteria_do_not_take_is_invalid_query(
    api: TestClient, criteria: str, details: dict[str, str]
) -> None:
    response = search(api, criteria=criteria)
    assert (response.status_code, response.json()["code"], response.json()["details"]) == (
        400,
        "INVALID_QUERY",
        details,
    )


# --- cvid -------------------------------------------------------------------------------------------


@pytest.fixture
def statuses(api: TestClient) -> None:
    insert(
        api,
        "Leads",
        {"Last_Name": "Junk A", "Company": "Zylker", "Lead_Status": "Junk Lead"},
        {"Last_Name": "Junk B", "Company": "Acme", "Lead_Status": "Junk Lead"},
        {"Last_Name": "Good", "Company": "Zylker", "Lead_Status": "Contacted"},
    )


@pytest.mark.usefixtures("statuses")
def test_a_search_with_cvid_finds_the_views_records_that_meet_the_search(api: TestClient) -> None:
    junk = view_id(api, "Junk Leads")

    assert found(search(api, cvid=junk, criteria="(Company:equals:Zylker)")) == ["Junk A"]
    assert found(search(api, cvid=junk, word="zylker")) == ["Junk A"]
    assert found(search(api, cvid=junk, criteria="(Company:starts_with:a)")) == ["Junk B"]
    assert found(search(api, cvid=view_id(api, "All Leads"), criteria="(Company:equals:Zylker)")) == ["Good", "Junk A"]
    assert search(api, cvid=junk, criteria="(Lead_Status:equals:Contacted)").status_code == 204


@pytest.mark.usefixtures("statuses")
def test_a_search_within_a_view_pages_in_the_searchs_order(api: TestClient) -> None:
    every = view_id(api, "All Leads")
    first = search(api, cvid=every, word="zylker", per_page=1, sort_order="asc", fields="Last_Name")
    second = search(api, cvid=every, word="zylker", per_page=1, page=2, sort_order="asc", fields="Last_Name")

    assert found(first) == ["Junk A"] and first.json()["info"]["more_records"] is True
    assert found(second) == ["Good"] and second.json()["info"]["more_records"] is False


def test_a_search_within_the_converted_view_finds_converted_leads(api: TestClient) -> None:
    (lead_id,) = insert(api, "Leads", {"Last_Name": "Done", "Company": "Zylker", "Tag": [{"name": "Hot"}]})
    insert(api, "Leads", {"Last_Name": "Open", "Company": "Zylker", "Tag": [{"name": "Hot"}]})
    converting = api.post(f"/crm/v8/Leads/{lead_id}/actions/convert", json={"data": [{}]})
    assert converting.status_code == 200, converting.text

    assert found(search(api, cvid=view_id(api, "Converted Leads"), criteria="(Tag:equals:Hot)")) == ["Done"]
    assert found(search(api, criteria="(Tag:equals:Hot)")) == ["Open"]


@pytest.mark.parametrize("cvid", ["1234567890123456789", "abc"])
def test_a_cvid_naming_no_view_of_the_module_is_invalid_data(api: TestClient, cvid: str) -> None:
    response = search(api, cvid=cvid, word="zylker")
    assert (response.status_code, response.json()["code"], response.json()["details"]) == (
        400,
        "INVALID_DATA",
        {"param_name": "cvid"},
    )
    contacts_view = view_id(api, "All Contacts", "Contacts")
    assert search(api, cvid=contacts_view, word="zylker").json()["details"] == {"param_name": "cvid"}


def test_a_search_with_cvid_still_needs_a_search_param(api: TestClient) -> None:
    response = search(api, cvid=view_id(api, "All Leads"))
    assert (response.status_code, response.json()["code"]) == (400, "EXPECTED_PARAM_MISSING")


def test_a_custom_modules_all_view_narrows_its_search(api: TestClient) -> None:
    create_custom_module(api)
    insert(api, "Stocks", {"Name": "Bolt"}, {"Name": "Nut"})

    assert found(search(api, "Stocks", cvid=view_id(api, "All Stocks", "Stocks"), word="bolt"), "Name") == ["Bolt"]
