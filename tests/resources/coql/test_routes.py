"""``POST /crm/{v}/coql`` over HTTP on SQLite and PostgreSQL: what each operator finds, lookup paths,
aggregates, paging and its caps, every refusal with Zoho's code and details, checked against
``coql.json`` where it documents them."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.resources.coql.conftest import COQL_SCOPES
from tests.support.allowances import COQL_ALLOWANCES
from tests.support.oas import validate_response
from tests.support.records import add_field, add_rows, picklist
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

COQL = "/crm/v8/coql"

LEADS: list[dict[str, Any]] = [
    {
        "Last_Name": "Smith",
        "First_Name": "Ann",
        "Email": "ann@zylker.com",
        "Lead_Status": "Contacted",
        "No_of_Employees": 10,
        "Annual_Revenue": 1500.5,
        "Email_Opt_Out": False,
        "Description": "met at the expo",
    },
    {
        "Last_Name": "Jones",
        "Email": "bob@example.org",
        "Lead_Status": "Junk Lead",
        "No_of_Employees": 250,
        "Annual_Revenue": 99,
        "Email_Opt_Out": True,
    },
    {"Last_Name": "O'Brien", "No_of_Employees": 3, "Lead_Status": "Contacted"},
]


def insert(api: TestClient, records: list[dict[str, Any]], module: str = "Leads") -> list[str]:
    response = api.post(f"/crm/v8/{module}", json={"data": records})
    assert response.status_code == 201, response.text
    return [item["details"]["id"] for item in response.json()["data"]]


@pytest.fixture
def leads(api: TestClient) -> dict[str, str]:
    return dict(zip([r["Last_Name"] for r in LEADS], insert(api, LEADS), strict=True))


def coql(api: TestClient, query: str, version: str = "v8") -> Any:
    return api.post(f"/crm/{version}/coql", json={"select_query": query})


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    validate_response(response, "coql.json", "/crm/v8/coql", "POST")
    return response.json()


def names(api: TestClient, where: str) -> list[str]:
    response = coql(api, f"select Last_Name from Leads where {where}")
    if response.status_code == 204:
        return []
    return sorted(record["Last_Name"] for record in ok(response)["data"])


def refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    validate_response(response, "coql.json", "/crm/v8/coql", "POST", allow=COQL_ALLOWANCES)
    body: dict[str, Any] = response.json()
    return body


# --- what each operator finds ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Email = 'ANN@zylker.com'", ["Smith"]),  # text compares case-insensitively
        ("Email != 'ann@zylker.com'", ["Jones"]),  # SQL: no value matches neither
        ("Last_Name = 'O''Brien'", ["O'Brien"]),
        ("No_of_Employees > 10", ["Jones"]),
        ("No_of_Employees >= 10", ["Jones", "Smith"]),
        ("No_of_Employees < 10", ["O'Brien"]),
        ("No_of_Employees <= 10", ["O'Brien", "Smith"]),
        ("Annual_Revenue = 1500.5", ["Smith"]),
        ("Lead_Status in ('Contacted', 'Attempted to Contact')", ["O'Brien", "Smith"]),
        ("Lead_Status not in ('Contacted')", ["Jones"]),
        ("Last_Name like 'sm%'", ["Smith"]),
        ("Last_Name like '%es'", ["Jones"]),
        ("Last_Name like '%bri%'", ["O'Brien"]),
        ("Last_Name not like '%i%'", ["Jones"]),
        ("Email like '%\\_%'", []),  # "_" is no wildcard
        ("No_of_Employees between 3 and 10", ["O'Brien", "Smith"]),
        ("No_of_Employees not between 3 and 10", ["Jones"]),
        ("Email is null", ["O'Brien"]),
        ("Email is not null", ["Jones", "Smith"]),
        ("Email_Opt_Out = true", ["Jones"]),
        ("Email_Opt_Out != true", ["Smith"]),
        ("(Lead_Status = 'Contacted' and No_of_Employees > 5)", ["Smith"]),
        ("((Lead_Status = 'Contacted' and No_of_Employees > 5) or Email like '%.org')", ["Jones", "Smith"]),
        ("Created_Time > '2000-01-01T00:00:00+00:00'", ["Jones", "O'Brien", "Smith"]),
        ("Created_Time < '2000-01-01T00:00:00Z'", []),
        (
            "Modified_Time between '2000-01-01T00:00:00+05:30' and '2999-01-01T00:00:00-08:00'",
            ["Jones", "O'Brien", "Smith"],
        ),
    ],
)
def test_each_operator_finds_what_it_says(
    api: TestClient, leads: dict[str, str], where: str, expected: list[str]
) -> None:
    assert names(api, where) == expected


def test_id_and_owner_compare_as_ids(api: TestClient, leads: dict[str, str]) -> None:
    smith, jones = leads["Smith"], leads["Jones"]
    assert names(api, f"id = {smith}") == ["Smith"]
    assert names(api, f"id in ('{smith}', '{jones}')") == ["Jones", "Smith"]
    owner = ok(coql(api, f"select Owner from Leads where id = '{smith}'"))["data"][0]["Owner"]["id"]
    assert names(api, f"Owner = '{owner}'") == ["Jones", "O'Brien", "Smith"]
    assert names(api, f"Owner != '{owner}'") == []


def test_dates_compare_as_dates(api: TestClient) -> None:
    insert(
        api,
        [{"Last_Name": "Early", "Date_of_Birth": "1980-01-31"}, {"Last_Name": "Late", "Date_of_Birth": "1999-12-01"}],
        "Contacts",
    )
    response = coql(api, "select Last_Name, Date_of_Birth from Contacts where Date_of_Birth >= '1990-01-01'")
    assert ok(response)["data"] == [
        {"Last_Name": "Late", "Date_of_Birth": "1999-12-01", "id": response.json()["data"][0]["id"]}
    ]


def test_multi_select_equals_holds_every_listed_value(api: TestClient, emulator: Emulator) -> None:
    add_field(
        emulator, "Leads", "Languages", "multiselectpicklist", pick_list_values=picklist("English", "German", "French")
    )
    insert(
        api,
        [
            {"Last_Name": "Both", "Languages": ["English", "German"]},
            {"Last_Name": "One", "Languages": ["German"]},
            {"Last_Name": "None"},
        ],
    )
    assert names(api, "Languages = 'English;German'") == ["Both"]
    assert names(api, "Languages = 'German'") == ["Both", "One"]
    assert names(api, "Languages like '%erm%'") == ["Both", "One"]
    assert names(api, "Languages is null") == ["None"]


# --- what comes back ------------------------------------------------------------------------------
def test_values_render_as_the_record_api_does_with_lookups_as_ids(api: TestClient, leads: dict[str, str]) -> None:
    record = api.get(f"/crm/v8/Leads/{leads['Smith']}").json()["data"][0]
    response = coql(
        api,
        f"select Last_Name, Annual_Revenue, Email_Opt_Out, Created_Time, Owner from Leads where id = {leads['Smith']}",
    )
    assert ok(response)["data"] == [
        {
            "Last_Name": "Smith",
            "Annual_Revenue": record["Annual_Revenue"],
            "Email_Opt_Out": False,
            "Created_Time": record["Created_Time"],
            "Owner": {"id": record["Owner"]["id"]},
            "id": leads["Smith"],
        }
    ]
    assert response.json()["info"] == {"count": 1, "more_records": False}


def test_no_match_is_204_without_a_body(api: TestClient, leads: dict[str, str]) -> None:
    response = coql(api, "select Last_Name from Leads where Last_Name = 'Nobody'")
    assert (response.status_code, response.content) == (204, b"")


def test_recycled_records_are_not_found(api: TestClient, leads: dict[str, str]) -> None:
    assert api.delete(f"/crm/v8/Leads/{leads['Smith']}").status_code == 200
    assert names(api, "Last_Name is not null") == ["Jones", "O'Brien"]


@pytest.fixture
def accounts(api: TestClient) -> dict[str, str]:
    (group,) = insert(api, [{"Account_Name": "Zylker Group"}], "Accounts")
    (zylker,) = insert(api, [{"Account_Name": "Zylker", "Parent_Account": {"id": group}}], "Accounts")
    (other,) = insert(api, [{"Account_Name": "Other"}], "Accounts")
    insert(
        api,
        [
            {"Last_Name": "Inside", "Account_Name": {"id": zylker}},
            {"Last_Name": "Outside", "Account_Name": {"id": other}},
            {"Last_Name": "Alone"},
        ],
        "Contacts",
    )
    return {"group": group, "zylker": zylker, "other": other}


def test_lookup_paths_are_selected_two_relations_deep(api: TestClient, accounts: dict[str, str]) -> None:
    response = coql(
        api,
        "select Last_Name, Account_Name, Account_Name.Account_Name, Account_Name.Parent_Account.Account_Name, "
        "Owner.email from Contacts where Last_Name is not null order by Last_Name",
    )
    data = ok(response)["data"]
    assert [
        (r["Last_Name"], r["Account_Name.Account_Name"], r["Account_Name.Parent_Account.Account_Name"]) for r in data
    ] == [
        ("Alone", None, None),
        ("Inside", "Zylker", "Zylker Group"),
        ("Outside", "Other", None),
    ]
    assert data[1]["Account_Name"] == {"id": accounts["zylker"]}
    assert {r["Owner.email"] for r in data} == {"admin@zylker.example"}


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Account_Name.Account_Name = 'zylker'", ["Inside"]),
        ("Account_Name.Account_Name like 'Zyl%'", ["Inside"]),
        ("Account_Name.Parent_Account.Account_Name = 'Zylker Group'", ["Inside"]),
        ("Account_Name.Account_Name is null", ["Alone"]),
        ("Account_Name.Parent_Account is not null", ["Inside"]),
        ("Owner.email = 'admin@zylker.example'", ["Alone", "Inside", "Outside"]),
        ("Owner.first_name = 'nobody'", []),
    ],
)
def test_criteria_follow_lookup_paths(
    api: TestClient, accounts: dict[str, str], where: str, expected: list[str]
) -> None:
    response = coql(api, f"select Last_Name from Contacts where {where}")
    found = [] if response.status_code == 204 else sorted(r["Last_Name"] for r in ok(response)["data"])
    assert found == expected


def test_order_by_a_lookup_path_puts_empty_values_first(api: TestClient, accounts: dict[str, str]) -> None:
    query = "select Last_Name from Contacts where Last_Name is not null order by Account_Name.Account_Name {}"
    ascending = [r["Last_Name"] for r in ok(coql(api, query.format("asc")))["data"]]
    descending = [r["Last_Name"] for r in ok(coql(api, query.format("desc")))["data"]]
    assert ascending == ["Alone", "Outside", "Inside"]
    assert descending == ["Inside", "Outside", "Alone"]


def test_a_third_relation_is_an_invalid_column(api: TestClient) -> None:
    response = coql(
        api, "select Account_Name.Parent_Account.Parent_Account.Account_Name from Contacts where id is not null"
    )
    assert refused(response, 400, "INVALID_QUERY")["details"] == {
        "column_name": "Account_Name.Parent_Account.Parent_Account.Account_Name"
    }


# --- order, paging and their caps -------------------------------------------------------------------
def test_order_by_several_fields_and_directions(api: TestClient, leads: dict[str, str]) -> None:
    response = coql(
        api, "select Last_Name from Leads where id is not null order by Lead_Status asc, No_of_Employees desc"
    )
    assert [r["Last_Name"] for r in ok(response)["data"]] == ["Smith", "O'Brien", "Jones"]


def test_without_order_by_records_come_in_id_order(api: TestClient, leads: dict[str, str]) -> None:
    data = ok(coql(api, "select Last_Name from Leads where id is not null"))["data"]
    assert [r["id"] for r in data] == sorted(leads.values())


@pytest.mark.parametrize(
    ("paging", "expected", "more"),
    [
        ("limit 2", [0, 1], True),
        ("limit 2 offset 2", [2, 3], True),
        ("limit 4, 2", [4], False),
        ("limit 5 offset 0", [0, 1, 2, 3, 4], False),
        ("", [0, 1, 2, 3, 4], False),
    ],
)
def test_limit_and_offset_page_through_records(
    api: TestClient, emulator: Emulator, paging: str, expected: list[int], more: bool
) -> None:
    ids = add_rows(emulator, "Leads", 5)
    body = ok(coql(api, f"select Last_Name from Leads where id is not null order by id {paging}"))
    assert [r["id"] for r in body["data"]] == [ids[n] for n in expected]
    assert body["info"] == {"count": len(expected), "more_records": more}


def test_the_default_limit_is_200_and_one_call_reads_up_to_2000(api: TestClient, emulator: Emulator) -> None:
    add_rows(emulator, "Leads", 2001)
    assert ok(coql(api, "select id from Leads where id is not null"))["info"] == {"count": 200, "more_records": True}
    assert ok(coql(api, "select id from Leads where id is not null limit 2000"))["info"] == {
        "count": 2000,
        "more_records": True,
    }


@pytest.mark.parametrize(
    ("paging", "code", "details"),
    [
        ("limit 2001", "LIMIT_EXCEEDED", {"clause": "limit", "limit": 2000}),
        ("limit 2000 offset 98001", "LIMIT_EXCEEDED", {"clause": "offset", "limit": 100000}),
        ("limit 0", "INVALID_DATA", {}),
        ("limit -1", "INVALID_DATA", {}),
        ("limit s", "INVALID_QUERY", {"limit": "s"}),
        ("limit 10 offset x", "INVALID_QUERY", {"offset": "x"}),
        ("limit 10 offset -1", "INVALID_QUERY", {"offset": "-1"}),
    ],
)
def test_paging_outside_zohos_caps_is_refused(api: TestClient, paging: str, code: str, details: dict[str, Any]) -> None:
    response = coql(api, f"select id from Leads where id is not null {paging}")
    assert refused(response, 400, code)["details"] == details


def test_the_last_reachable_page_is_served(api: TestClient, leads: dict[str, str]) -> None:
    response = coql(api, "select id from Leads where id is not null limit 2000 offset 98000")
    assert response.status_code == 204


# --- aggregates ----------------------------------------------------------------------------------
def test_aggregates_with_group_by_and_aliases(api: TestClient, leads: dict[str, str]) -> None:
    response = coql(
        api,
        "select Lead_Status, COUNT(id) as total, SUM(No_of_Employees), MAX(Annual_Revenue), MIN(No_of_Employees), "
        "AVG(No_of_Employees) from Leads where id is not null group by Lead_Status order by total desc",
    )
    assert ok(response)["data"] == [
        {
            "Lead_Status": "Contacted",
            "total": 2,
            "SUM(No_of_Employees)": 13,
            "MAX(Annual_Revenue)": 1500.5,
            "MIN(No_of_Employees)": 3,
            "AVG(No_of_Employees)": 6.5,
        },
        {
            "Lead_Status": "Junk Lead",
            "total": 1,
            "SUM(No_of_Employees)": 250,
            "MAX(Annual_Revenue)": 99.0,
            "MIN(No_of_Employees)": 250,
            "AVG(No_of_Employees)": 250.0,
        },
    ]


def test_an_aggregate_without_group_by_is_one_row(api: TestClient, leads: dict[str, str]) -> None:
    response = coql(api, "select COUNT(Email) from Leads where No_of_Employees > 0")
    assert ok(response)["data"] == [{"COUNT(Email)": 2}]


def test_min_and_max_of_a_time_render_as_times(api: TestClient, leads: dict[str, str]) -> None:
    listed = api.get("/crm/v8/Leads", params={"fields": "Created_Time"}).json()["data"]
    times = sorted(record["Created_Time"] for record in listed)
    response = coql(api, "select MIN(Created_Time), MAX(Created_Time) from Leads where id is not null")
    assert ok(response)["data"] == [{"MIN(Created_Time)": times[0], "MAX(Created_Time)": times[-1]}]


@pytest.mark.parametrize(
    ("query", "code", "details"),
    [
        (
            "select SUM(Last_Name) from Leads where id is not null",
            "INVALID_QUERY",
            {"column_name": "Last_Name", "data_type": "text"},
        ),
        (
            "select Last_Name, COUNT(id) from Leads where id is not null",
            "INVALID_QUERY",
            {"column_name": "Last_Name", "reason": "column not present in group by"},
        ),
        (
            "select MAX(No_of_Employees), max(No_of_Employees) from Leads where id is not null",
            "DUPLICATE_DATA",
            {"column_name": "No_of_Employees", "aggregate": "MAX"},
        ),
        (
            "select Median(No_of_Employees) from Leads where id is not null",
            "INVALID_DATA",
            {"reason": "unsupported aggregate function", "column": "Median(No_of_Employees)"},
        ),
    ],
)
def test_aggregate_mistakes_are_refused(api: TestClient, query: str, code: str, details: dict[str, Any]) -> None:
    assert refused(coql(api, query), 400, code)["details"] == details


# --- columns, values and aliases Zoho refuses --------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "code", "message", "details"),
    [
        (
            "select Foo from Leads where id is not null",
            "INVALID_QUERY",
            "column given seems to be invalid",
            {"column_name": "Foo"},
        ),
        (
            "select Last_Name from Leads where Foo = 1",
            "INVALID_QUERY",
            "column given seems to be invalid",
            {"column_name": "Foo"},
        ),
        (
            "select Last_Name.Foo from Leads where id is not null",
            "INVALID_QUERY",
            "column given seems to be invalid",
            {"column_name": "Last_Name.Foo"},
        ),
        (
            "select Owner.phone from Leads where id is not null",
            "INVALID_QUERY",
            "column given seems to be invalid",
            {"column_name": "Owner.phone"},
        ),
        (
            "select Last_Name from Leads where Description = 'x'",
            "INVALID_QUERY",
            "unsupported column in criteria",
            {"column_name": "Description"},
        ),
        (
            "select Last_Name from Leads where Last_Name > 'x'",
            "INVALID_QUERY",
            "Invalid query formed",
            {"reason": "invalid operator found", "column_name": "Last_Name", "operator": ">"},
        ),
        (
            "select Last_Name from Leads where Email_Opt_Out in (true)",
            "INVALID_QUERY",
            "Invalid query formed",
            {"reason": "invalid operator found", "column_name": "Email_Opt_Out", "operator": "in"},
        ),
        (
            "select Last_Name from Leads where No_of_Employees = 'many'",
            "INVALID_QUERY",
            "value given seems to be invalid for the column",
            {"column_name": "No_of_Employees", "expected_data_type": "double"},
        ),
        (
            "select Last_Name from Leads where Created_Time > '2020-01-01'",
            "INVALID_QUERY",
            "value given seems to be invalid for the column",
            {"column_name": "Created_Time", "expected_data_type": "datetime"},
        ),
        (
            "select Last_Name from Leads where Email_Opt_Out = 'maybe'",
            "INVALID_QUERY",
            "value given seems to be invalid for the column",
            {"column_name": "Email_Opt_Out", "expected_data_type": "boolean"},
        ),
        (
            "select Last_Name from Leads where Owner = 'abc'",
            "INVALID_QUERY",
            "value given seems to be invalid for the column",
            {"column_name": "Owner", "expected_data_type": "bigint"},
        ),
        (
            "select Last_Name from Leads where Last_Name like '%'",
            "INVALID_QUERY",
            "value given seems to be invalid for the column",
            {"column_name": "Last_Name", "expected_data_type": "text"},
        ),
        (
            "select Last_Name from Nowhere where id is not null",
            "INVALID_QUERY",
            "Invalid query formed",
            {"reason": "invalid module found", "module": "Nowhere"},
        ),
        (
            "select Last_Name, Last_Name from Leads where id is not null",
            "DUPLICATE_DATA",
            "duplicate select column",
            {"column_name": "Last_Name"},
        ),
        (
            "select id from Leads where id is not null order by id, id",
            "DUPLICATE_DATA",
            "duplicate data",
            {"column_name": "id", "clause": "order by"},
        ),
        (
            "select First_Name as '' from Leads where id is not null",
            "INVALID_ALIAS",
            "alias name cannot be an empty string",
            {"column_name": "First_Name", "alias": ""},
        ),
        (
            "select First_Name as Name, Last_Name as Name from Leads where id is not null",
            "DUPLICATE_ALIAS",
            "same alias cannot refer more than one column",
            {"referred_columns": ["First_Name", "Last_Name"], "alias": "Name"},
        ),
        (  # the message is Zoho's, one long line
            "select Last_Name, First_Name as Last_Name from Leads where id is not null",
            "INVALID_QUERY",
            "column name or property name given in select columns without alias name cannot be an alias name for "
            "other select columns",
            {"column_name": "First_Name", "alias": "Last_Name"},
        ),
    ],
)
def test_refusals_carry_zohos_code_message_and_details(
    api: TestClient, leads: dict[str, str], query: str, code: str, message: str, details: dict[str, Any]
) -> None:
    body = refused(coql(api, query), 400, code)
    assert (body["message"], body["details"]) == (message, details)


def test_tags_and_aggregates_over_lookup_paths_are_refused(api: TestClient) -> None:
    tag = coql(api, "select Last_Name from Leads where Tag = 'hot'")
    assert refused(tag, 400, "INVALID_QUERY")["message"] == "unsupported column in criteria"
    path = coql(api, "select COUNT(Account_Name.Account_Name) from Contacts where id is not null")
    assert refused(path, 400, "INVALID_QUERY")["details"] == {"column_name": "Account_Name.Account_Name"}


@pytest.mark.parametrize(
    ("query", "details", "message"),
    [
        ("delete from Leads where id is not null", {}, "given coql query not supported"),
        ("select id from Leads where not (id is null)", {"operator": "not"}, "operator not supported"),
    ],
)
def test_other_statements_and_negated_criteria_get_the_oasx_syntax_errors(
    api: TestClient, query: str, details: dict[str, Any], message: str
) -> None:
    # The OASx examples' shapes, which coql.json's Syntax_Exception does not describe (docs/decisions.md).
    response = coql(api, query)
    assert response.status_code == 400
    assert response.json() == {"code": "SYNTAX_ERROR", "details": details, "message": message, "status": "error"}


def test_subform_columns_are_unsupported(api: TestClient) -> None:
    response = coql(api, "select Quoted_Items from Quotes where id is not null")
    assert refused(response, 400, "INVALID_QUERY")["message"] == "unsupported column"


def test_an_alias_renames_the_key(api: TestClient, leads: dict[str, str]) -> None:
    data = ok(coql(api, f"select Last_Name as surname from Leads where id = {leads['Smith']}"))["data"]
    assert data == [{"surname": "Smith", "id": leads["Smith"]}]


@pytest.mark.parametrize(
    ("count", "limit", "clause"),
    [(501, 500, "select"), (26, 25, "where"), (11, 10, "order by"), (5, 4, "group by")],
)
def test_clauses_past_zohos_counts_exceed_the_limit(api: TestClient, count: int, limit: int, clause: str) -> None:
    fields = [f"f{n}" for n in range(count)]
    if clause == "select":
        query = f"select {', '.join(fields)} from Leads where id is not null"
    elif clause == "where":
        criteria = "id is not null"
        for _ in range(count - 1):
            criteria = f"({criteria} and id is not null)"
        query = f"select id from Leads where {criteria}"
    else:
        query = f"select id from Leads where id is not null {clause} {', '.join(fields)}"
    assert refused(coql(api, query), 400, "LIMIT_EXCEEDED")["details"] == {"clause": clause, "limit": limit}


def test_in_takes_at_most_100_values(api: TestClient) -> None:
    values = ", ".join(f"'{n}'" for n in range(101))
    response = coql(api, f"select id from Leads where Last_Name in ({values})")
    assert refused(response, 400, "LIMIT_EXCEEDED")["details"] == {"clause": "in", "limit": 100}


def test_25_criteria_are_allowed(api: TestClient, leads: dict[str, str]) -> None:
    criteria = "Last_Name is not null"
    for _ in range(24):
        criteria = f"({criteria} and id is not null)"
    assert names(api, criteria) == ["Jones", "O'Brien", "Smith"]


# --- the body, scopes and versions ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "code", "details"),
    [
        ({}, "MANDATORY_NOT_FOUND", {"api_name": "select_query"}),
        (
            {"select_query": 5},
            "INVALID_DATA",
            {"expected_data_type": "text", "api_name": "select_query", "json_path": "$.select_query"},
        ),
        ({"select_query": "select Last_Name from Leads"}, "SYNTAX_ERROR", {"clause": "where"}),
    ],
)
def test_the_body_needs_a_select_query(
    api: TestClient, body: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    assert refused(api.post(COQL, json=body), 400, code)["details"] == details


def test_the_coql_scope_and_the_modules_read_scope_are_both_needed(
    client: TestClient, make_token: TokenFactory
) -> None:
    query = {"select_query": "select id from Leads where id is not null"}
    for scopes, status in [
        (ALL_SCOPES, 401),
        (["ZohoCRM.coql.READ"], 401),
        (["ZohoCRM.coql.READ", "ZohoCRM.modules.leads.READ"], 204),
        (COQL_SCOPES, 204),
    ]:
        response = client.post(COQL, json=query, headers={"Authorization": f"Zoho-oauthtoken {make_token(scopes)}"})
        assert response.status_code == status, (scopes, response.text)


def test_include_meta_adds_the_selected_fields_metadata(api: TestClient, accounts: dict[str, str]) -> None:
    query = "select Last_Name, Account_Name.Account_Name, Owner.email from Contacts where Last_Name = 'Inside'"
    body = ok(api.post(COQL, json={"select_query": query, "include_meta": ["fields"]}))
    assert sorted(body["fields"]) == ["Account_Name.Account_Name", "Last_Name"]
    assert body["fields"]["Last_Name"]["api_name"] == "Last_Name"
    assert body["fields"]["Account_Name.Account_Name"]["data_type"] == "text"
    assert "fields" not in ok(coql(api, query))


@pytest.mark.parametrize(
    ("include_meta", "details"),
    [
        ("fields", {"expected_data_type": "jsonarray", "api_name": "include_meta", "json_path": "$.include_meta"}),
        (["layouts"], {"api_name": "include_meta", "json_path": "$.include_meta[0]", "supported_values": ["fields"]}),
        (
            ["fields", 5],
            {
                "expected_data_type": "text",
                "api_name": "include_meta",
                "json_path": "$.include_meta[1]",
                "supported_values": ["fields"],
            },
        ),
    ],
)
def test_include_meta_takes_fields_only(api: TestClient, include_meta: Any, details: dict[str, Any]) -> None:
    body = {"select_query": "select id from Leads where id is not null", "include_meta": include_meta}
    assert refused(api.post(COQL, json=body), 400, "INVALID_DATA")["details"] == details


@pytest.mark.parametrize("version", ["v2", "v3", "v5", "v7", "v8"])
def test_every_version_serves_coql(api: TestClient, leads: dict[str, str], version: str) -> None:
    assert coql(api, "select Last_Name from Leads where Last_Name = 'Smith'", version).status_code == 200


def test_a_module_coql_does_not_serve_is_invalid_module(api: TestClient) -> None:
    response = coql(api, "select id from Quoted_Items where id is not null")
    body = refused(response, 400, "INVALID_MODULE")
    assert body["message"] == "the given module is not supported in api"


@pytest.mark.parametrize(("limit", "credits"), [(200, 1), (201, 2), (1000, 2), (1001, 3), (2000, 3)])
def test_a_call_costs_credits_by_its_limit(api: TestClient, limit: int, credits: int) -> None:
    api.delete("/_emulator/usage")
    assert coql(api, f"select id from Leads where id is not null limit {limit}").status_code == 204
    assert api.get("/_emulator/usage").json()["used"] == credits
