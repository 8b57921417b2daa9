"""``GET /{module}/search`` and the search params of ``GET /{module}/actions/count`` over HTTP,
checked against Zoho's OAS (``module_search.json``, ``record_count.json``) where it documents them."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.oas import validate_response
from tests.support.records import add_field, create_custom_module, picklist
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.seeding import seed_module

SEARCH = "/crm/v8/{module}/search"

LEADS: list[dict[str, Any]] = [
    {
        "Last_Name": "Smith",
        "First_Name": "Ann",
        "Company": "ABC Inc.",
        "Email": "sales-team@zoho.com",
        "Phone": "+1 (555) 123-4567",
        "Lead_Status": "Contacted",
        "No_of_Employees": 10,
        "Annual_Revenue": 1500.5,
        "Description": "Met at the Zylker expo",
    },
    {
        "Last_Name": "Jones",
        "Company": "XYZ",
        "Email": "sales_team@zoho.com",
        "Mobile": "555 999 0000",
        "Lead_Status": "Junk Lead",
        "No_of_Employees": 250,
    },
    {
        "Last_Name": "Burns,B",
        "Company": "ABCD Ltd",
        "Email": "b.burns@example.org",
        "Secondary_Email": "burns@zoho.com",
        "No_of_Employees": 3,
        "Email_Opt_Out": True,
    },
]


def insert(api: TestClient, records: list[dict[str, Any]], module: str = "Leads") -> list[str]:
    response = api.post(f"/crm/v8/{module}", json={"data": records})
    assert response.status_code == 201, response.text
    return [item["details"]["id"] for item in response.json()["data"]]


@pytest.fixture
def leads(api: TestClient) -> dict[str, str]:
    """The three leads above, by Last_Name -> id."""
    return dict(zip([r["Last_Name"] for r in LEADS], insert(api, LEADS), strict=True))


def search(api: TestClient, module: str = "Leads", **params: Any) -> Any:
    return api.get(SEARCH.format(module=module), params=params)


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(record["Last_Name"] for record in response.json()["data"])


# --- what each search param finds -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"criteria": "(Company:equals:ABC)"}, ["Smith"]),  # "contains" by words: not ABCD
        ({"criteria": "(Company:starts_with:ABC)"}, ["Burns,B", "Smith"]),
        ({"criteria": "(Email:equals:sales-team@zoho.com)"}, ["Jones", "Smith"]),  # loose - and _
        ({"criteria": "(Lead_Status:equals:Contacted)"}, ["Smith"]),
        ({"criteria": "(Lead_Status:in:Contacted,Junk Lead)"}, ["Jones", "Smith"]),
        ({"criteria": "(Lead_Status:not_equal:Contacted)"}, ["Burns,B", "Jones"]),
        ({"criteria": "(No_of_Employees:between:5,250)"}, ["Jones", "Smith"]),
        ({"criteria": "(Annual_Revenue:greater_than:1500)"}, ["Smith"]),
        ({"criteria": "(Email_Opt_Out:equals:true)"}, ["Burns,B"]),
        (
            {"criteria": "((Company:equals:XYZ)or((No_of_Employees:less_than:20)and(Lead_Status:equals:Contacted)))"},
            ["Jones", "Smith"],
        ),
        ({"criteria": "(Last_Name:equals:Burns\\,B)"}, ["Burns,B"]),  # Zoho's escaping, URL-encoded by the client
        ({"criteria": "(Description:equals:zylker expo)"}, ["Smith"]),
        ({"email": "zoho.com"}, ["Burns,B", "Jones", "Smith"]),  # every email field, domain search
        ({"email": "b.burns@example.org"}, ["Burns,B"]),
        ({"phone": "555-123"}, ["Smith"]),
        ({"phone": "5559990000"}, ["Jones"]),  # Mobile is a phone field too
        ({"word": "abcd"}, ["Burns,B"]),
        ({"word": "sales team"}, ["Jones", "Smith"]),
        # Only the first of criteria > email > phone > word is used.
        ({"criteria": "(Company:equals:XYZ)", "email": "b.burns@example.org", "word": "smith"}, ["Jones"]),
        ({"email": "b.burns@example.org", "phone": "555", "word": "smith"}, ["Burns,B"]),
        ({"phone": "555-123", "word": "jones"}, ["Smith"]),
    ],
)
def test_search_params_find_their_records(
    api: TestClient, leads: dict[str, str], params: dict[str, str], expected: list[str]
) -> None:
    response = search(api, **params)
    assert names(response) == expected
    validate_response(response, "module_search.json", "/crm/v8/{module}/search")


def test_a_search_without_hits_is_204_without_body(api: TestClient, leads: dict[str, str]) -> None:
    response = search(api, criteria="(Company:equals:Nobody)")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    validate_response(response, "module_search.json", "/crm/v8/{module}/search", undocumented_ok=(204,))


def test_hits_carry_info_and_only_the_fields_asked_for(api: TestClient, leads: dict[str, str]) -> None:
    response = search(api, criteria="(Company:equals:ABC)", fields="Last_Name,Email")
    body = response.json()
    assert body["data"] == [{"Last_Name": "Smith", "Email": "sales-team@zoho.com", "id": leads["Smith"]}]
    assert body["info"] == {
        "per_page": 200,
        "count": 1,
        "page": 1,
        "more_records": False,
        "sort_by": "id",
        "sort_order": "desc",
    }


def test_without_fields_a_hit_is_the_whole_record(api: TestClient, leads: dict[str, str]) -> None:
    record = search(api, criteria="(Company:equals:XYZ)").json()["data"][0]
    assert record["id"] == leads["Jones"]
    assert record["Owner"]["id"] and record["$approval_state"] == "approved"
    assert record["Created_Time"] and record["Mobile"] == "555 999 0000"


def test_pages_and_sort_order(api: TestClient, leads: dict[str, str]) -> None:
    first = search(
        api, email="zoho.com", per_page=2, page=1, sort_by="Created_Time", sort_order="asc", fields="Last_Name"
    )
    second = search(
        api, email="zoho.com", per_page=2, page=2, sort_by="Created_Time", sort_order="asc", fields="Last_Name"
    )
    assert [r["id"] for r in first.json()["data"]] == [leads["Smith"], leads["Jones"]]
    assert first.json()["info"]["more_records"] is True
    assert [r["id"] for r in second.json()["data"]] == [leads["Burns,B"]]
    assert second.json()["info"] == {
        "per_page": 2,
        "count": 1,
        "page": 2,
        "more_records": False,
        "sort_by": "Created_Time",
        "sort_order": "asc",
    }
    default = search(api, email="zoho.com", fields="Last_Name").json()["data"]
    assert [r["id"] for r in default] == [leads["Burns,B"], leads["Jones"], leads["Smith"]]  # id, desc


@pytest.mark.usefixtures("both_backends")
def test_pages_of_a_criteria_checked_record_by_record(api: TestClient, leads: dict[str, str]) -> None:
    """Word matching on a field without word index: candidates stream in page order and the page
    stops reading once full (a server-side cursor on PostgreSQL)."""
    pages = [search(api, criteria="(Company:starts_with:a)", per_page=1, page=n, fields="Last_Name") for n in (1, 2, 3)]
    assert [p.json()["data"][0]["id"] for p in pages[:2]] == [leads["Burns,B"], leads["Smith"]]
    assert [p.json()["info"]["more_records"] for p in pages[:2]] == [True, False]
    assert pages[2].status_code == 204
    assert api.get("/crm/v8/Leads/actions/count", params={"criteria": "(Company:starts_with:a)"}).json() == {"count": 2}


def test_deleted_records_leave_the_search(api: TestClient, leads: dict[str, str]) -> None:
    assert api.delete(f"/crm/v8/Leads/{leads['Jones']}").status_code == 200
    assert names(search(api, email="zoho.com")) == ["Burns,B", "Smith"]


def test_an_updated_email_is_found_by_its_new_words_only(api: TestClient, leads: dict[str, str]) -> None:
    response = api.put(f"/crm/v8/Leads/{leads['Smith']}", json={"data": [{"Email": "ann@zylker.example"}]})
    assert response.status_code == 200, response.text
    assert names(search(api, email="ann@zylker.example")) == ["Smith"]
    assert names(search(api, criteria="(Email:equals:sales-team@zoho.com)")) == ["Jones"]


def test_converted_and_approval_filters(api: TestClient, leads: dict[str, str]) -> None:
    assert len(search(api, email="zoho.com", converted="both").json()["data"]) == 3
    assert len(search(api, email="zoho.com", converted="false").json()["data"]) == 3
    assert search(api, email="zoho.com", converted="true").status_code == 204  # no lead is converted
    assert len(search(api, email="zoho.com", approval_state="approved").json()["data"]) == 3
    assert search(api, email="zoho.com", approval_state="approval_process_pending").status_code == 204


# --- errors ---------------------------------------------------------------------------------------
def test_no_search_param_is_expected_param_missing(api: TestClient) -> None:
    response = search(api, page=1)
    assert response.status_code == 400
    assert response.json() == {
        "code": "EXPECTED_PARAM_MISSING",
        "details": {"param_names": ["criteria", "email", "phone", "word"]},
        "message": "one of the expected parameter is missing",
        "status": "error",
    }
    validate_response(response, "module_search.json", "/crm/v8/{module}/search")


@pytest.mark.parametrize(
    ("params", "code", "details"),
    [
        ({"criteria": "Company:equals:x"}, "INVALID_QUERY", {}),
        ({"criteria": "(" * 990 + "Company:equals:x" + ")" * 990}, "INVALID_QUERY", {}),
        (
            {"criteria": "(Company:greater_than:x)"},
            "INVALID_QUERY",
            {"api_name": "Company", "operator": "greater_than", "reason": "invalid operator found"},
        ),
        ({"criteria": "(Nope:equals:x)"}, "INVALID_QUERY", {"api_name": "Nope", "reason": "invalid field found"}),
        (
            {"criteria": "(" + "and".join(f"(Company:equals:{n})" for n in range(11)) + ")"},
            "CRITERIA_LIMIT_EXCEEDED",
            {},
        ),
        (
            {"criteria": "(Company:equals:" + "x" * 2984 + ")"},
            "INVALID_DATA",
            {"param_name": "criteria", "maximum_length": 3000},
        ),
        ({"word": "a"}, "INVALID_DATA", {"param_name": "word"}),
        ({"phone": "12"}, "INVALID_DATA", {"param_name": "phone"}),
        ({"email": "x@y.z", "per_page": "201"}, "INVALID_DATA", {"param_name": "per_page", "maximum_value": 200}),
        (
            {"email": "x@y.z", "sort_by": "Last_Name"},
            "INVALID_DATA",
            {"param_name": "sort_by", "supported_values": ["id", "Created_Time", "Modified_Time"]},
        ),
        (
            {"email": "x@y.z", "converted": "maybe"},
            "INVALID_DATA",
            {"param_name": "converted", "supported_values": ["false", "true", "both"]},
        ),
        ({"email": "x@y.z", "page": "11"}, "LIMIT_REACHED", {"limit": "2000"}),
    ],
)
def test_bad_searches_are_refused_with_zoho_errors(
    api: TestClient, params: dict[str, str], code: str, details: dict[str, Any]
) -> None:
    response = search(api, **params)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["details"]) == (code, details)


def test_in_with_101_values_is_invalid_query_as_the_oas_shows(api: TestClient) -> None:
    response = search(api, criteria="(Company:in:" + ",".join(str(n) for n in range(101)) + ")")
    assert response.json() == {
        "code": "INVALID_QUERY",
        "details": {"api_name": "Company"},
        "message": 'Only 100 values are allowed in "IN" criteria',
        "status": "error",
    }
    validate_response(response, "module_search.json", "/crm/v8/{module}/search")


def test_an_operator_the_field_type_does_not_take_matches_zohos_error(api: TestClient) -> None:
    response = search(api, criteria="(Created_Time:starts_with:2024)")
    assert response.json() == {
        "code": "INVALID_QUERY",
        "details": {"api_name": "Created_Time", "operator": "starts_with", "reason": "invalid operator found"},
        "message": "Invalid query formed",
        "status": "error",
    }
    validate_response(response, "module_search.json", "/crm/v8/{module}/search")


def test_limit_reached_past_2000_results(api: TestClient) -> None:
    response = search(api, email="x@y.z", page=11, per_page=200)
    assert response.json() == {
        "code": "LIMIT_REACHED",
        "details": {"limit": "2000"},
        "message": "maximum response iteration limit reached",
        "status": "error",
    }
    validate_response(response, "module_search.json", "/crm/v8/{module}/search")


def test_an_unknown_module_is_invalid_module(api: TestClient) -> None:
    response = search(api, module="Nope", word="ab")
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_MODULE"
    validate_response(response, "module_search.json", "/crm/v8/{module}/search")


def test_results_stop_at_2000(api: TestClient, emulator: Emulator) -> None:
    seed_module(emulator, "Leads", 2001, seed=3, progress=False)
    last = search(api, criteria="(No_of_Employees:greater_than:0)", page=2000, per_page=1, fields="Last_Name")
    assert last.status_code == 200
    assert last.json()["info"]["count"] == 1
    assert last.json()["info"]["more_records"] is True  # the 2,001st exists, but cannot be read
    beyond = search(api, criteria="(No_of_Employees:greater_than:0)", page=2001, per_page=1)
    assert beyond.json()["code"] == "LIMIT_REACHED"
    window = search(api, criteria="(No_of_Employees:greater_than:0)", page=14, per_page=150, fields="Last_Name")
    assert window.json()["info"]["count"] == 50  # records 1,951-2,000 only


# --- scopes -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        (["ZohoCRM.modules.leads.READ"], True),
        (["ZohoCRM.modules.ALL"], True),
        (["ZohoSearch.securesearch.READ"], True),
        (["ZohoSearch.securesearch.ALL"], True),
        (["ZohoCRM.modules.contacts.READ"], False),
        (["ZohoCRM.modules.leads.CREATE"], False),
        (["ZohoCRM.settings.ALL"], False),
    ],
)
def test_search_takes_the_module_read_scope_or_secure_search(
    client: TestClient, make_token: TokenFactory, scopes: list[str], allowed: bool
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=scopes)}"}
    response = client.get("/crm/v8/Leads/search", params={"word": "nobody"}, headers=headers)
    if allowed:
        assert response.status_code == 204
    else:
        assert (response.status_code, response.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")


# --- custom modules and fields ----------------------------------------------------------------
def test_custom_modules_and_custom_fields_are_searched_alike(api: TestClient, emulator: Emulator) -> None:
    create_custom_module(api)
    add_field(emulator, "Stocks", "Grade", "picklist", pick_list_values=picklist("Gold", "Silver"))
    add_field(emulator, "Stocks", "Units", "integer", length=9)
    insert(
        api, [{"Name": "Bolt", "Grade": "Gold", "Units": 7}, {"Name": "Nut", "Grade": "Silver", "Units": 70}], "Stocks"
    )
    response = search(api, module="Stocks", criteria="((Grade:equals:gold)and(Units:less_equal:7))", fields="Name")
    assert [r["Name"] for r in response.json()["data"]] == ["Bolt"]


# --- count ---------------------------------------------------------------------------------------
COUNT = "/crm/v8/Leads/actions/count"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 3),
        ({"criteria": "(Company:equals:ABC)"}, 1),
        ({"criteria": "(No_of_Employees:greater_equal:10)"}, 2),
        ({"email": "zoho.com"}, 3),
        ({"phone": "555"}, 2),
        ({"word": "xyz"}, 1),
        ({"criteria": "(Company:equals:Nobody)"}, 0),
        ({"converted": "true"}, 0),
        ({"converted": "both", "criteria": "(Company:starts_with:ab)"}, 2),
    ],
)
def test_count_takes_the_search_params(
    api: TestClient, leads: dict[str, str], params: dict[str, str], expected: int
) -> None:
    response = api.get(COUNT, params=params)
    assert response.status_code == 200, response.text
    assert response.json() == {"count": expected}


def test_count_refuses_cvid_with_a_search_param(api: TestClient) -> None:
    response = api.get(COUNT, params={"cvid": "4150868000000087501", "criteria": "(Company:equals:a)", "word": "ab"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "AMBIGUITY_DURING_PROCESSING",
        "details": {"ambiguity_due_to": [{"param_name": "cvid"}, {"param_name": "criteria"}, {"param_name": "word"}]},
        "message": "Please use either Cvid or Search Params. Combination of both the params is not allowed",
        "status": "error",
    }
    validate_response(response, "record_count.json", "/crm/v8/{module_api_name}/actions/count")


def test_count_reports_criteria_errors_like_search(api: TestClient) -> None:
    response = api.get(COUNT, params={"criteria": "(Company:between:a,b)"})
    assert (response.status_code, response.json()["code"]) == (400, "INVALID_QUERY")
