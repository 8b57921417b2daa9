"""GET /{module} and GET /{module}/{id}: the fields param, sorting, the 2,000-record wall, page
tokens, the info object, conditional reads, admin-only reads (REFERENCE §4.2-§4.4, §1.5)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.people import add_standard_user
from tests.support.records import add_rows, get_one, insert_one
from zcrm_emulator.clock import iso
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import profiles, record_page_tokens

# Every test runs on SQLite and, when a server is configured, on PostgreSQL.
pytestmark = pytest.mark.usefixtures("both_backends")

INFO_KEYS = {
    "call",
    "per_page",
    "next_page_token",
    "count",
    "sort_by",
    "page",
    "previous_page_token",
    "page_token_expiry",
    "sort_order",
    "email",
    "more_records",
}


def listing(api: TestClient, **query: Any) -> Any:
    return api.get("/crm/v8/Leads", params={"fields": "Last_Name", **query})


# --- the fields param and the shape ------------------------------------------------------------------


def test_fields_is_mandatory(api: TestClient) -> None:
    response = api.get("/crm/v8/Leads")
    assert response.status_code == 400
    assert response.json() == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "fields"},
        "message": "required param is missing",
        "status": "error",
    }


@pytest.mark.parametrize("version", ["v2", "v2.1"])
def test_before_v3_fields_may_be_left_out_for_whole_records(api: TestClient, version: str) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe"})
    response = api.get(f"/crm/{version}/Leads")
    assert response.status_code == 200
    [row] = response.json()["data"]
    assert (row["id"], row["Last_Name"], row["Company"]) == (record_id, "Doe", None)
    assert api.get("/crm/v3/Leads").json()["code"] == "REQUIRED_PARAM_MISSING"


def test_at_most_50_fields(api: TestClient) -> None:
    insert_one(api, "Leads", {"Last_Name": "Doe"})
    names = [f"F{n}" for n in range(51)]
    assert api.get("/crm/v8/Leads", params={"fields": ",".join(names[:50])}).status_code == 200
    response = api.get("/crm/v8/Leads", params={"fields": ",".join(names)})
    assert response.status_code == 400
    assert response.json()["code"] == "LIMIT_EXCEEDED"
    assert response.json()["details"] == {"limit": 50, "param_name": "fields"}


def test_a_list_shows_only_the_requested_fields_and_the_id(api: TestClient) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe", "Company": "Zylker", "Email": "jo@zylker.example"})
    response = api.get("/crm/v8/Leads", params={"fields": "Company,Owner,$approval_state"})
    assert response.status_code == 200
    [row] = response.json()["data"]
    assert set(row) == {"Company", "Owner", "$approval_state", "id"}
    assert (row["id"], row["Company"], row["$approval_state"]) == (record_id, "Zylker", "approved")
    info = response.json()["info"]
    assert set(info) == INFO_KEYS
    assert (info["count"], info["page"], info["per_page"], info["more_records"]) == (1, 1, 200, False)
    assert (info["sort_by"], info["sort_order"], info["call"], info["email"]) == ("id", "desc", False, False)
    assert info["next_page_token"] is None and info["previous_page_token"] is None and info["page_token_expiry"] is None


def test_an_empty_list_is_204_without_a_body(api: TestClient) -> None:
    response = listing(api)
    assert response.status_code == 204 and response.content == b""


@pytest.mark.parametrize(
    ("query", "details"),
    [
        ({"per_page": "201"}, {"param_name": "per_page", "maximum_value": 200}),
        (
            {"sort_by": "Last_Name"},
            {"param_name": "sort_by", "supported_values": ["id", "Created_Time", "Modified_Time"]},
        ),
        ({"sort_order": "up"}, {"param_name": "sort_order", "supported_values": ["desc", "asc"]}),
        ({"converted": "maybe"}, {"param_name": "converted", "supported_values": ["false", "true", "both"]}),
        ({"cvid": "123"}, {"param_name": "cvid"}),
    ],
)
def test_bad_list_params_are_invalid_data(api: TestClient, query: dict[str, str], details: dict[str, Any]) -> None:
    response = listing(api, **query)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["details"]) == ("INVALID_DATA", details)


# --- order and filters ---------------------------------------------------------------------------------


def test_sort_by_id_times_and_direction(api: TestClient, emulator: Emulator) -> None:
    first = insert_one(api, "Leads", {"Last_Name": "A"})
    emulator.advance_clock(5)
    second = insert_one(api, "Leads", {"Last_Name": "B"})
    emulator.advance_clock(5)
    api.put(f"/crm/v8/Leads/{first}", json={"data": [{"Company": "touched"}]})

    def order(**query: str) -> list[str]:
        return [row["id"] for row in listing(api, **query).json()["data"]]

    assert order() == [second, first]
    assert order(sort_order="asc") == [first, second]
    assert order(sort_by="Created_Time", sort_order="asc") == [first, second]
    assert order(sort_by="Modified_Time") == [first, second]
    assert listing(api, sort_by="Modified_Time").json()["info"]["sort_by"] == "Modified_Time"


def test_ids_limits_the_list(api: TestClient) -> None:
    wanted = insert_one(api, "Leads", {"Last_Name": "A"})
    insert_one(api, "Leads", {"Last_Name": "B"})
    assert [row["id"] for row in listing(api, ids=wanted).json()["data"]] == [wanted]


def test_converted_leads_are_hidden_unless_asked_for(api: TestClient) -> None:
    insert_one(api, "Leads", {"Last_Name": "A"})
    assert listing(api).json()["info"]["count"] == 1
    assert listing(api, converted="both").json()["info"]["count"] == 1
    assert listing(api, converted="true").status_code == 204


def test_if_modified_since_lists_only_changed_records_or_answers_304(api: TestClient, emulator: Emulator) -> None:
    old = insert_one(api, "Leads", {"Last_Name": "Old"})
    emulator.advance_clock(10)
    mark = iso(emulator.clock.now_ms())
    assert listing(api, **{}).status_code == 200
    response = api.get("/crm/v8/Leads", params={"fields": "Last_Name"}, headers={"If-Modified-Since": mark})
    assert response.status_code == 304 and response.content == b""
    emulator.advance_clock(2)
    api.put(f"/crm/v8/Leads/{old}", json={"data": [{"Company": "new"}]})
    insert_one(api, "Leads", {"Last_Name": "Newer"})
    changed = api.get("/crm/v8/Leads", params={"fields": "Last_Name"}, headers={"If-Modified-Since": mark})
    assert sorted(row["Last_Name"] for row in changed.json()["data"]) == ["Newer", "Old"]


# --- the 2,000-record wall and page tokens -------------------------------------------------------------


@pytest.fixture
def leads_2001(emulator: Emulator) -> list[str]:
    return add_rows(emulator, "Leads", 2001)


def test_page_and_per_page_reach_record_2000_but_not_2001(api: TestClient, leads_2001: list[str]) -> None:
    last_page = listing(api, page=10, per_page=200)
    assert last_page.status_code == 200
    info = last_page.json()["info"]
    assert (info["count"], info["more_records"]) == (200, True)
    assert info["next_page_token"] and info["page_token_expiry"]
    assert last_page.json()["data"][-1]["id"] == leads_2001[1]  # the 2,000th record, newest first
    assert listing(api, page=2000, per_page=1).json()["data"][0]["id"] == leads_2001[1]
    for page, per_page in ((11, 200), (2001, 1), (21, 100)):
        refused = listing(api, page=page, per_page=per_page)
        assert refused.status_code == 400
        assert refused.json() == {
            "code": "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
            "details": {"limit": 2000},
            "message": "You can only get the first 2000 records without using page_token param",
            "status": "error",
        }


def test_the_token_from_page_10_reaches_record_2001(api: TestClient, leads_2001: list[str]) -> None:
    token = listing(api, page=10, per_page=200).json()["info"]["next_page_token"]
    response = listing(api, page_token=token, per_page=200)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["data"]] == [leads_2001[0]]
    info = response.json()["info"]
    assert (info["page"], info["count"], info["more_records"], info["next_page_token"]) == (11, 1, False, None)
    assert info["previous_page_token"] is None  # page 10 was reached without a token


def test_tokens_walk_every_record_once_in_order(api: TestClient, leads_2001: list[str]) -> None:
    seen: list[str] = []
    previous: list[str | None] = []
    token = None
    while True:
        query = {"per_page": 200, "sort_by": "Created_Time", "sort_order": "asc"}
        response = listing(api, **(query | ({"page_token": token} if token else {})))
        body = response.json()
        seen += [row["id"] for row in body["data"]]
        previous.append(body["info"]["previous_page_token"])
        if not body["info"]["more_records"]:
            break
        assert body["info"]["next_page_token"] != token
        token = body["info"]["next_page_token"]
    assert seen == leads_2001
    assert previous[:2] == [None, None] and previous[2] is not None  # page 3 points back to page 2's token


def test_a_token_is_bound_to_the_user_and_the_params(
    api: TestClient, leads_2001: list[str], emulator: Emulator, make_token: TokenFactory
) -> None:
    token = listing(api, per_page=200).json()["info"]["next_page_token"]
    assert listing(api, page_token=token, per_page=50).status_code == 200  # page size may change
    for changed in ({"sort_order": "asc"}, {"ids": leads_2001[0]}):
        refused = listing(api, page_token=token, **changed)
        assert refused.status_code == 400
        assert (refused.json()["code"], refused.json()["details"]) == (
            "TOKEN_BOUND_DATA_MISMATCH",
            {"param_name": "page_token"},
        )
    other_fields = api.get("/crm/v8/Leads", params={"fields": "Email", "page_token": token})
    assert other_fields.json()["code"] == "TOKEN_BOUND_DATA_MISMATCH"
    rep = add_standard_user(emulator)
    as_rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}
    theirs = api.get("/crm/v8/Leads", params={"fields": "Last_Name", "page_token": token}, headers=as_rep)
    assert (theirs.status_code, theirs.json()["code"], theirs.json()["details"]) == (
        400,
        "INVALID_DATA",
        {"param_name": "page_token"},
    )
    made_up = listing(api, page_token="0" * 64)
    assert made_up.json()["code"] == "INVALID_DATA"
    both = listing(api, page_token=token, page=2)
    assert both.json()["code"] == "AMBIGUITY_DURING_PROCESSING"


def test_a_token_expires_after_24_hours(
    api: TestClient, leads_2001: list[str], emulator: Emulator, make_token: TokenFactory
) -> None:
    token = listing(api).json()["info"]["next_page_token"]
    emulator.advance_clock(24 * 3600 - 1)
    api.headers["Authorization"] = f"Zoho-oauthtoken {make_token()}"
    assert listing(api, page_token=token).status_code == 200
    emulator.advance_clock(1)
    api.headers["Authorization"] = f"Zoho-oauthtoken {make_token()}"
    expired = listing(api, page_token=token)
    assert expired.status_code == 400
    assert expired.json() == {
        "code": "EXPIRED_VALUE",
        "details": {"api_name": "page_token", "json_path": "$.query.page_token"},
        "message": "Page token expired",
        "status": "error",
    }


def test_tokens_stop_at_record_100000(api: TestClient, leads_2001: list[str], emulator: Emulator) -> None:
    token = listing(api, per_page=200).json()["info"]["next_page_token"]
    # As if 99,900 records had been read with tokens already: the next page stops at 100,000.
    with emulator.store.tx() as conn:
        conn.execute(update(record_page_tokens).where(record_page_tokens.c.token == token).values(served=99_900))
    page = listing(api, page_token=token, per_page=200)
    assert page.json()["info"]["count"] == 100
    refused = listing(api, page_token=page.json()["info"]["next_page_token"], per_page=200)
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "PAGINATION_LIMIT_EXCEEDED",
        "details": {"param_name": "page_token"},
        "message": "You can only get upto 100000 records using page_token param",
        "status": "error",
    }


# --- GET one ---------------------------------------------------------------------------------------------


def test_get_one_is_an_array_of_one_with_every_field(api: TestClient, emulator: Emulator) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe"})
    response = api.get(f"/crm/v8/Leads/{record_id}")
    [record] = response.json()["data"]
    with emulator.store.tx() as conn:
        from zcrm_emulator.resources.fields import repo as fields_repo
        from zcrm_emulator.resources.modules import repo as modules_repo

        module = modules_repo.find(conn, emulator.default_org_id, "Leads")
        assert module is not None
        field_names = {f["api_name"] for f in fields_repo.list_fields(conn, module.id)}
    assert field_names <= set(record)
    assert "info" not in response.json()


@pytest.mark.parametrize("record_id", ["1234567000000000001", "abc"])
def test_get_one_of_nothing_is_204(api: TestClient, record_id: str) -> None:
    response = api.get(f"/crm/v8/Leads/{record_id}")
    assert response.status_code == 204 and response.content == b""


def test_get_one_can_limit_fields_and_answers_304_when_unchanged(api: TestClient, emulator: Emulator) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe", "Company": "Z"})
    assert get_one_fields(api, record_id) == {"Company": "Z", "id": record_id}
    later = iso(emulator.clock.now_ms() + 2000)
    assert api.get(f"/crm/v8/Leads/{record_id}", headers={"If-Modified-Since": later}).status_code == 304


def get_one_fields(api: TestClient, record_id: str) -> dict[str, Any]:
    return dict(api.get(f"/crm/v8/Leads/{record_id}", params={"fields": "Company"}).json()["data"][0])


def test_a_deleted_record_is_gone_from_reads(api: TestClient) -> None:
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe"})
    api.delete(f"/crm/v8/Leads/{record_id}")
    assert api.get(f"/crm/v8/Leads/{record_id}").status_code == 204
    assert listing(api).status_code == 204


def test_a_lookup_shows_the_targets_current_name(api: TestClient) -> None:
    account = insert_one(api, "Accounts", {"Account_Name": "Old Name"})
    contact = insert_one(api, "Contacts", {"Last_Name": "Doe", "Account_Name": {"id": account}})
    api.put(f"/crm/v8/Accounts/{account}", json={"data": [{"Account_Name": "New Name"}]})
    assert get_one(api, "Contacts", contact)["Account_Name"] == {"name": "New Name", "id": account}
    rows = api.get("/crm/v8/Contacts", params={"fields": "Account_Name"}).json()["data"]
    assert rows[0]["Account_Name"] == {"name": "New Name", "id": account}


# --- who may read -----------------------------------------------------------------------------------------


def test_notes_are_read_by_admins_only(api: TestClient, emulator: Emulator, make_token: TokenFactory) -> None:
    assert api.get("/crm/v8/Notes", params={"fields": "Note_Title"}).status_code == 204
    rep = add_standard_user(emulator)
    as_rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}
    response = api.get("/crm/v8/Notes", params={"fields": "Note_Title"}, headers=as_rep)
    assert response.status_code == 403
    assert response.json() == {
        "code": "NOT_SUPPORTED",
        "details": {},
        "message": "This API is supported only for admin users",
        "status": "error",
    }
    assert api.get("/crm/v8/Leads", params={"fields": "Last_Name"}, headers=as_rep).status_code == 204


def test_a_profile_without_the_module_permission_gets_no_permission(
    api: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    rep = add_standard_user(emulator)
    with emulator.store.tx() as conn:
        standard = next(
            p for p in documents.list_data(conn, profiles, emulator.default_org_id) if p["name"] == "Standard"
        )
        for permission in standard["permissions_details"]:
            if permission["name"] == "Crm_Implied_Delete_Leads":
                permission["enabled"] = False
        conn.execute(update(profiles).where(profiles.c.id == standard["id"]).values(data=standard))
    record_id = insert_one(api, "Leads", {"Last_Name": "Doe"})
    as_rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}
    response = api.delete(f"/crm/v8/Leads/{record_id}", headers=as_rep)
    assert response.status_code == 403
    assert response.json()["code"] == "NO_PERMISSION"
    assert response.json()["details"] == {"permissions": ["Crm_Implied_Delete_Leads"]}
    assert api.get(f"/crm/v8/Leads/{record_id}", headers=as_rep).status_code == 200


def test_the_sweep_of_expired_page_tokens_is_an_index_range(emulator: Emulator, both_backends: str) -> None:
    """Every list call drops the org's expired tokens; a day of list calls mints thousands, so the
    sweep must not read them all."""
    if both_backends != "sqlite":
        pytest.skip("query plans are checked on SQLite, the default store")
    sweep = "DELETE FROM record_page_tokens WHERE org_id = 'o' AND expires_ms < 1"
    with emulator.store.tx() as conn:
        plan = " | ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sweep}"))
    assert "ix_record_page_tokens_org_expiry (org_id=? AND expires_ms<?)" in plan, plan
