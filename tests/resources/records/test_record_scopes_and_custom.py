"""Record scopes per module (REFERENCE §2.7, §4.1) and records of custom modules, which go through
the same code as standard ones (a custom module is rows in ``modules`` and ``fields``)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.records import create_custom_module, get_one, insert_one

# Every test runs on SQLite and, when a server is configured, on PostgreSQL.
pytestmark = pytest.mark.usefixtures("both_backends")

LEADS = {"data": [{"Last_Name": "Doe"}]}


@pytest.mark.parametrize(
    ("scopes", "method", "path", "allowed"),
    [
        (["ZohoCRM.modules.leads.READ"], "GET", "/crm/v8/Leads?fields=Last_Name", True),
        (["ZohoCRM.modules.leads.READ"], "GET", "/crm/v8/Contacts?fields=Last_Name", False),
        (["ZohoCRM.modules.leads.READ"], "POST", "/crm/v8/Leads", False),
        (["ZohoCRM.modules.leads.CREATE"], "POST", "/crm/v8/Leads", True),
        (["ZohoCRM.modules.leads.WRITE"], "POST", "/crm/v8/Leads", True),
        (["ZohoCRM.modules.leads.ALL"], "DELETE", "/crm/v8/Leads?ids=1234567000000000001", True),
        (["ZohoCRM.modules.leads.UPDATE"], "DELETE", "/crm/v8/Leads?ids=1234567000000000001", False),
        (["ZohoCRM.modules.ALL"], "GET", "/crm/v8/Price_Books?fields=Price_Book_Name", True),
        (["ZohoCRM.modules.pricebooks.READ"], "GET", "/crm/v8/Price_Books?fields=Price_Book_Name", True),
        (["ZohoCRM.modules.price_books.READ"], "GET", "/crm/v8/Price_Books?fields=Price_Book_Name", False),
        (["ZohoCRM.modules.salesorders.READ"], "GET", "/crm/v8/Sales_Orders/actions/count", True),
        (["ZohoCRM.modules.leads.CREATE"], "POST", "/crm/v8/Leads/upsert", True),
        (["ZohoCRM.modules.leads.READ"], "GET", "/crm/v8/Leads/deleted", True),
        (["ZohoCRM.settings.ALL"], "GET", "/crm/v8/Leads?fields=Last_Name", False),
    ],
)
def test_record_calls_need_the_modules_scope(
    client: TestClient, make_token: TokenFactory, scopes: list[str], method: str, path: str, allowed: bool
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=scopes)}"}
    body = LEADS if method in ("POST", "PUT") else None
    response = client.request(method, path, headers=headers, json=body)
    if allowed:
        assert response.status_code in (200, 201, 204, 207, 400), response.text
        assert response.status_code == 204 or response.json().get("code") != "OAUTH_SCOPE_MISMATCH"
    else:
        assert response.status_code == 401
        assert response.json()["code"] == "OAUTH_SCOPE_MISMATCH"


def test_custom_module_records_need_the_custom_scope(
    api: TestClient, client: TestClient, make_token: TokenFactory
) -> None:
    create_custom_module(api)
    custom = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.modules.custom.ALL'])}"}
    leads_only = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.modules.leads.ALL'])}"}
    assert client.post("/crm/v8/Stocks", json={"data": [{"Name": "S1"}]}, headers=custom).status_code == 201
    assert client.post("/crm/v8/Stocks", json={"data": [{"Name": "S1"}]}, headers=leads_only).status_code == 401
    assert client.post("/crm/v8/Leads", json=LEADS, headers=custom).status_code == 401


def test_a_custom_module_has_full_record_crud(api: TestClient) -> None:
    create_custom_module(api)
    missing = api.post("/crm/v8/Stocks", json={"data": [{"Email": "s@zylker.example"}]})
    assert missing.json()["data"][0]["details"] == {"api_name": "Name", "json_path": "$.data[0].Name"}
    record_id = insert_one(api, "Stocks", {"Name": "S-1", "Email": "s@zylker.example", "Email_Opt_Out": True})
    record = get_one(api, "Stocks", record_id)
    assert (record["Name"], record["Email"], record["Email_Opt_Out"]) == ("S-1", "s@zylker.example", True)
    assert record["Owner"]["name"] == "Zylker Admin" and record["Layout"]["name"] == "Standard"
    assert api.put(f"/crm/v8/Stocks/{record_id}", json={"data": [{"Name": "S-2"}]}).status_code == 200
    rows = api.get("/crm/v8/Stocks", params={"fields": "Name"}).json()["data"]
    assert rows == [{"Name": "S-2", "id": record_id}]
    assert api.get("/crm/v8/Stocks/actions/count").json() == {"count": 1}
    assert api.delete(f"/crm/v8/Stocks/{record_id}").status_code == 200
    assert api.get("/crm/v8/Stocks/deleted").json()["data"][0]["display_name"] == "S-2"


def test_a_custom_modules_layout_id_is_the_one_its_fields_name(api: TestClient) -> None:
    create_custom_module(api)
    fields = api.get("/crm/v8/settings/fields", params={"module": "Stocks"}).json()["fields"]
    named = {a["id"] for f in fields for a in f.get("layout_associations") or []}
    layouts = api.get("/crm/v8/settings/layouts", params={"module": "Stocks"}).json()["layouts"]
    assert [layout["id"] for layout in layouts] == sorted(named)
    record_id = insert_one(api, "Stocks", {"Name": "S"})
    assert get_one(api, "Stocks", record_id)["Layout"]["id"] == layouts[0]["id"]
    wrong_layout = api.post("/crm/v8/Stocks", json={"data": [{"Name": "S", "Layout": {"id": "1234567000000000001"}}]})
    assert wrong_layout.json()["data"][0]["message"] == "the id given seems to be invalid"
