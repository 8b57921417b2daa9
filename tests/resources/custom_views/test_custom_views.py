"""/settings/custom_views and ``cvid`` on record lists and counts: the standard views of a fresh org,
what each holds and in which order, and Zoho's errors at each edge, over HTTP and checked against
custom_views.json (OASx getCustomViews, getCustomViewById; REFERENCE §4.2)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import CUSTOM_VIEW_LIST, CUSTOM_VIEW_ONE
from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from tests.support.records import admin_id, create_custom_module, insert_as, insert_one
from zcrm_emulator import ids
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.record_model import repo as records_repo
from zcrm_emulator.record_model.repo import RecordRow
from zcrm_emulator.resources.modules import repo as modules_repo

VIEWS = "/crm/v8/settings/custom_views"
DAY_MS = 24 * 3600 * 1000


def views(api: TestClient, module: str = "Leads") -> dict[str, dict[str, Any]]:
    response = api.get(VIEWS, params={"module": module})
    assert response.status_code == 200, response.text
    return {view["name"]: view for view in response.json()["custom_views"]}


def view_id(api: TestClient, name: str, module: str = "Leads") -> str:
    return str(views(api, module)[name]["id"])


def listed(api: TestClient, cvid: str, module: str = "Leads", **extra: str) -> list[str]:
    """The names (Last_Name, else Subject/Deal_Name) of a view's records, in the view's order."""
    response = api.get(f"/crm/v8/{module}", params={"cvid": cvid, "fields": "Last_Name,Deal_Name", **extra})
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.text
    return [row.get("Last_Name") or row.get("Deal_Name") for row in response.json()["data"]]


def count(api: TestClient, cvid: str, module: str = "Leads") -> int:
    response = api.get(f"/crm/v8/{module}/actions/count", params={"cvid": cvid})
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


def add_lead(emulator: Emulator, name: str, *, created_ms: int, modified_ms: int | None = None, **data: Any) -> str:
    """A lead stored straight through the repo, to set its times and conversion state."""
    org_id, owner = emulator.default_org_id, admin_id(emulator)
    with emulator.store.tx(writes=True) as conn:
        module = modules_repo.find(conn, org_id, "Leads")
        assert module is not None
        (record_id,) = ids.allocate(conn, org_id, 1)
        row = RecordRow(
            record_id,
            module.id,
            owner,
            owner,
            owner,
            created_ms,
            modified_ms or created_ms,
            None,
            None,
            {"Last_Name": name, **data},
        )
        records_repo.insert_records(conn, org_id, [row])
    return record_id


# --- the views --------------------------------------------------------------------------------------


def test_a_fresh_org_lists_zohos_standard_lead_views_with_the_default_in_info(api: TestClient) -> None:
    response = api.get(VIEWS, params={"module": "Leads"})
    validate_response(response, "custom_views.json", "/crm/v8/settings/custom_views", allow=CUSTOM_VIEW_LIST)
    body = response.json()
    names = [view["name"] for view in body["custom_views"]]
    for name in (
        "All Leads",
        "My Leads",
        "Today's Leads",
        "Recently Created Leads",
        "Recently Modified Leads",
        "Unread Leads",
        "Converted Leads",
        "Unconverted Leads",
    ):
        assert name in names
    all_leads = body["custom_views"][0]
    assert all_leads["name"] == "All Leads" and all_leads["default"] is True
    assert all_leads["system_defined"] is True and all_leads["category"] == "public_views"
    assert body["info"]["default"] == all_leads["id"]
    assert body["info"]["count"] == len(names) and body["info"]["more_records"] is False
    assert body["info"]["translation"]["public_views"] == "Public Views"
    assert set(all_leads) == {
        "display_value",
        "created_time",
        "access_type",
        "system_name",
        "created_by",
        "default",
        "modified_time",
        "name",
        "system_defined",
        "modified_by",
        "id",
        "category",
        "last_accessed_time",
        "locked",
    }


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("Contacts", "All Contacts"),
        ("Accounts", "My Accounts"),
        ("Deals", "Open Deals"),
        ("Tasks", "Overdue Tasks"),
        ("Events", "All Meetings"),
        ("Cases", "Open Cases"),
        ("Price_Books", "Active Price Books"),
    ],
)
def test_every_record_module_has_its_standard_views(api: TestClient, module: str, name: str) -> None:
    assert name in views(api, module)


def test_one_view_shows_its_criteria_columns_and_sort(api: TestClient) -> None:
    recent = views(api)["Recently Modified Leads"]
    response = api.get(f"{VIEWS}/{recent['id']}", params={"module": "Leads"})
    validate_response(response, "custom_views.json", "/crm/v8/settings/custom_views/{id}", allow=CUSTOM_VIEW_ONE)
    (view,) = response.json()["custom_views"]
    assert view["id"] == recent["id"]
    assert view["criteria"]["field"]["api_name"] == "Modified_Time"
    assert view["criteria"]["comparator"] == "between" and view["criteria"]["value"] == "${LAST_N_DAYS:7}"
    assert view["sort_by"]["api_name"] == "Modified_Time" and view["sort_order"] == "desc"
    assert [field["api_name"] for field in view["fields"]][:2] == ["Full_Name", "Company"]
    assert all(field["_pin"] is False and field["id"] for field in view["fields"])
    assert view["access_type"] == "public" and view["shared_to"] == [] and view["offline"] is True
    assert set(response.json()["info"]) == {"translation"}


def test_a_group_criterion_is_shown_as_zoho_writes_it(api: TestClient) -> None:
    mine = views(api)["My Converted Leads"]
    response = api.get(f"{VIEWS}/{mine['id']}", params={"module": "Leads"})
    validate_response(response, "custom_views.json", "/crm/v8/settings/custom_views/{id}", allow=CUSTOM_VIEW_ONE)
    criteria = response.json()["custom_views"][0]["criteria"]
    assert criteria["group_operator"] == "AND"
    assert [leaf["field"]["api_name"] for leaf in criteria["group"]] == ["Owner", "Converted__s"]


def test_the_view_list_pages(api: TestClient) -> None:
    every = list(views(api))
    response = api.get(VIEWS, params={"module": "Leads", "page": 2, "per_page": 3})
    assert response.status_code == 200
    assert [view["name"] for view in response.json()["custom_views"]] == every[3:6]
    assert response.json()["info"]["page"] == 2 and response.json()["info"]["more_records"] is True
    beyond = api.get(VIEWS, params={"module": "Leads", "page": 50})
    assert beyond.status_code == 204 and beyond.content == b""


@pytest.mark.parametrize(
    ("params", "code", "details"),
    [
        ({}, "REQUIRED_PARAM_MISSING", {"param_name": "module"}),
        ({"module": " "}, "REQUIRED_PARAM_MISSING", {"param_name": "module"}),
        ({"module": "Nothing"}, "INVALID_MODULE", {}),
        ({"module": "Home"}, "INVALID_MODULE", {}),
    ],
)
def test_the_module_param_is_required_and_must_name_an_api_module(
    api: TestClient, params: dict[str, str], code: str, details: dict[str, Any]
) -> None:
    response = api.get(VIEWS, params=params)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["details"] == details
    validate_response(response, "custom_views.json", "/crm/v8/settings/custom_views")


@pytest.mark.parametrize("raw", ["1234567890123456789", "abc"])
def test_an_id_naming_no_view_of_the_module_answers_204(api: TestClient, raw: str) -> None:
    response = api.get(f"{VIEWS}/{raw}", params={"module": "Leads"})
    assert response.status_code == 204 and response.content == b""


def test_a_view_of_another_module_is_not_found_by_this_one(api: TestClient) -> None:
    contacts_view = view_id(api, "All Contacts", "Contacts")
    assert api.get(f"{VIEWS}/{contacts_view}", params={"module": "Leads"}).status_code == 204


def test_the_custom_views_scope_is_needed(client: TestClient, make_token: Any) -> None:
    token = make_token(scopes=["ZohoCRM.modules.ALL"])
    response = client.get(VIEWS, params={"module": "Leads"}, headers={"Authorization": f"Zoho-oauthtoken {token}"})
    assert response.status_code == 401 and response.json()["code"] == "OAUTH_SCOPE_MISMATCH"
    token = make_token(scopes=["ZohoCRM.settings.custom_views.READ"])
    response = client.get(VIEWS, params={"module": "Leads"}, headers={"Authorization": f"Zoho-oauthtoken {token}"})
    assert response.status_code == 200


# --- cvid on record lists and counts ----------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_a_view_lists_the_records_its_criteria_hold_and_counts_them(api: TestClient, emulator: Emulator) -> None:
    now = emulator.clock.now_ms()
    add_lead(emulator, "Today", created_ms=now - 1000)
    add_lead(emulator, "LastWeek", created_ms=now - 3 * DAY_MS)
    add_lead(emulator, "LongAgo", created_ms=now - 60 * DAY_MS)
    add_lead(emulator, "Converted", created_ms=now - 2000, Converted__s=True)
    rep = add_standard_user(emulator)
    insert_as(emulator, rep, "Leads", [{"Last_Name": "Theirs", "Company": "Zylker"}])
    cases = {
        "All Leads": {"Today", "LastWeek", "LongAgo", "Theirs"},
        "My Leads": {"Today", "LastWeek", "LongAgo"},
        "Today's Leads": {"Today", "Theirs"},
        "Recently Created Leads": {"Today", "LastWeek", "Theirs"},
        "Converted Leads": {"Converted"},
        "Unconverted Leads": {"Today", "LastWeek", "LongAgo", "Theirs"},
        "My Converted Leads": {"Converted"},
        "Junk Leads": set(),
    }
    known = views(api)
    for name, expected in cases.items():
        cvid = known[name]["id"]
        assert set(listed(api, cvid)) == expected, name
        assert count(api, cvid) == len(expected), name


@pytest.mark.usefixtures("both_backends")
def test_a_view_lists_in_its_own_order_and_pages(api: TestClient, emulator: Emulator) -> None:
    now = emulator.clock.now_ms()
    add_lead(emulator, "Old", created_ms=now - 5000, modified_ms=now - 1000)
    add_lead(emulator, "Middle", created_ms=now - 4000, modified_ms=now - 3000)
    add_lead(emulator, "New", created_ms=now - 3000, modified_ms=now - 2000)
    recent = view_id(api, "Recently Modified Leads")
    assert listed(api, recent) == ["Old", "New", "Middle"]
    response = api.get("/crm/v8/Leads", params={"cvid": recent, "fields": "Last_Name", "per_page": 2, "page": 2})
    body = response.json()
    assert [row["Last_Name"] for row in body["data"]] == ["Middle"]
    assert body["info"]["sort_by"] == "Modified_Time" and body["info"]["sort_order"] == "desc"
    assert body["info"]["more_records"] is False and body["info"]["page"] == 2
    first = api.get("/crm/v8/Leads", params={"cvid": recent, "fields": "Last_Name", "per_page": 2}).json()
    assert first["info"]["more_records"] is True and first["info"]["next_page_token"] is None
    # A view without a sort keeps the list's order: newest record first.
    assert listed(api, view_id(api, "All Leads")) == ["New", "Middle", "Old"]


def test_a_view_and_the_list_filters_combine(api: TestClient, emulator: Emulator) -> None:
    first = insert_one(api, "Leads", {"Last_Name": "One"})
    insert_one(api, "Leads", {"Last_Name": "Two"})
    mine = view_id(api, "My Leads")
    assert listed(api, mine, ids=first) == ["One"]
    assert set(listed(api, view_id(api, "All Leads"), converted="both")) == {"One", "Two"}


def test_a_deal_view_evaluates_picklist_lists(api: TestClient) -> None:
    for name, stage in (("Won", "Closed Won"), ("Lost", "Closed Lost"), ("Going", "Qualification")):
        insert_one(api, "Deals", {"Deal_Name": name, "Stage": stage})
    assert listed(api, view_id(api, "Open Deals", "Deals"), "Deals") == ["Going"]
    assert listed(api, view_id(api, "Closed Won Deals", "Deals"), "Deals") == ["Won"]
    assert set(listed(api, view_id(api, "Closed Lost Deals", "Deals"), "Deals")) == {"Lost"}


def test_a_task_view_evaluates_date_tokens(api: TestClient) -> None:
    for subject, due, state in (
        ("Late", "2020-01-01", "Not Started"),
        ("Done", "2020-01-01", "Completed"),
        ("Later", "2999-01-01", "In Progress"),
    ):
        insert_one(api, "Tasks", {"Subject": subject, "Due_Date": due, "Status": state})
    response = api.get("/crm/v8/Tasks", params={"cvid": view_id(api, "Overdue Tasks", "Tasks"), "fields": "Subject"})
    assert [row["Subject"] for row in response.json()["data"]] == ["Late"]
    assert count(api, view_id(api, "Open Tasks", "Tasks"), "Tasks") == 2


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    return dict(response.json())


@pytest.mark.parametrize("cvid", ["1234567890123456789", "abc", "-1"])
def test_an_unknown_cvid_is_invalid_data_on_the_list_and_the_count(api: TestClient, cvid: str) -> None:
    for path in ("/crm/v8/Leads", "/crm/v8/Leads/actions/count"):
        error = error_of(api.get(path, params={"cvid": cvid, "fields": "Last_Name"}))
        assert error["code"] == "INVALID_DATA" and error["details"] == {"param_name": "cvid"}, path


def test_a_view_of_another_module_is_an_unknown_cvid(api: TestClient) -> None:
    contacts_view = view_id(api, "All Contacts", "Contacts")
    response = api.get("/crm/v8/Leads", params={"cvid": contacts_view, "fields": "Last_Name"})
    assert error_of(response)["details"] == {"param_name": "cvid"}


def test_cvid_with_sort_by_or_search_params_is_ambiguous(api: TestClient) -> None:
    cvid = view_id(api, "All Leads")
    error = error_of(api.get("/crm/v8/Leads", params={"cvid": cvid, "sort_by": "id", "fields": "Last_Name"}))
    assert error["code"] == "AMBIGUITY_DURING_PROCESSING"
    assert error["details"] == {"ambiguity_due_to": [{"param_name": "cvid"}, {"param_name": "sort_by"}]}
    error = error_of(api.get("/crm/v8/Leads/actions/count", params={"cvid": cvid, "word": "zylker"}))
    assert error["code"] == "AMBIGUITY_DURING_PROCESSING"


# --- custom modules ---------------------------------------------------------------------------------


def test_a_new_custom_module_gets_the_common_views_with_all_the_default(api: TestClient) -> None:
    create_custom_module(api)

    response = api.get(VIEWS, params={"module": "Stocks"})

    validate_response(response, "custom_views.json", "/crm/v8/settings/custom_views", allow=CUSTOM_VIEW_LIST)
    body = response.json()
    names = [view["name"] for view in body["custom_views"]]
    assert names == [
        "All Stocks",
        "My Stocks",
        "Today's Stocks",
        "Recently Created Stocks",
        "Recently Modified Stocks",
        "Unread Stocks",
    ]
    assert body["info"]["default"] == body["custom_views"][0]["id"]
    one = api.get(f"{VIEWS}/{body['custom_views'][0]['id']}", params={"module": "Stocks"})
    validate_response(one, "custom_views.json", "/crm/v8/settings/custom_views/{id}", allow=CUSTOM_VIEW_ONE)
    shown = one.json()["custom_views"][0]
    assert [column["api_name"] for column in shown["fields"]] == ["Name", "Email", "Owner", "Created_Time"]
    assert shown["system_name"] == "ALLVIEWS" and shown["criteria"] is None


@pytest.mark.usefixtures("both_backends")
def test_a_custom_modules_views_list_and_count_its_records(api: TestClient, emulator: Emulator) -> None:
    create_custom_module(api)
    rep = add_standard_user(emulator)
    insert_one(api, "Stocks", {"Name": "Bolt"})
    (made,) = insert_as(emulator, rep, "Stocks", [{"Name": "Nut"}])
    assert made["status"] == "success", made

    every, mine = view_id(api, "All Stocks", "Stocks"), view_id(api, "My Stocks", "Stocks")
    response = api.get("/crm/v8/Stocks", params={"cvid": every, "fields": "Name"})
    assert sorted(record["Name"] for record in response.json()["data"]) == ["Bolt", "Nut"]
    response = api.get("/crm/v8/Stocks", params={"cvid": mine, "fields": "Name"})
    assert [record["Name"] for record in response.json()["data"]] == ["Bolt"]
    assert count(api, mine, "Stocks") == 1
