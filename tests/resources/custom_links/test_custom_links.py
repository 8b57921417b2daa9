"""/settings/custom_links: every rule of the seed "Create Custom Links" and REFERENCE §3.8 at its
edges, over HTTP (no OAS file exists for custom links)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.links import link
from tests.support.modules import create_module, created_id, module_item, profile_ids
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.custom_links.rules import URL_ENCODINGS
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import portal_user_types

LINKS = "/crm/v8/settings/custom_links"


def user_type_id(emulator: Emulator) -> str:
    with emulator.store.tx() as conn:
        return str(documents.list_data(conn, portal_user_types, emulator.default_org_id)[0]["id"])


def post(api: TestClient, *items: dict[str, Any], module: str | None = "Leads") -> httpx.Response:
    params = {"module": module} if module else {}
    return api.post(LINKS, params=params, json={"custom_links": list(items)})


def results(response: httpx.Response) -> list[dict[str, Any]]:
    return list(response.json()["custom_links"])


def created(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    return str(results(response)[0]["details"]["id"])


def one_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    (result,) = results(response)
    assert result["status"] == "error"
    return result


@pytest.mark.usefixtures("both_backends")
def test_a_link_is_created_with_the_seed_message_and_read_back(api: TestClient, emulator: Emulator) -> None:
    response = post(api, link(emulator, user_types=[{"id": user_type_id(emulator)}]))
    link_id = created(response)
    assert results(response) == [
        {
            "code": "SUCCESS",
            "details": {"id": link_id},
            "message": "custom link added successfully",
            "status": "success",
        }
    ]
    listed = api.get(LINKS, params={"module": "Leads"})
    assert listed.status_code == 200
    body = listed.json()
    assert body["info"] == {"per_page": 200, "count": 1, "page": 1, "more_records": False}
    (item,) = body["custom_links"]
    assert item == {
        "id": link_id,
        "name": "LinkedIn",
        "description": "description_content",
        "url": "https://www.linkedin.com/search/results/people/?keywords={Lead.Full_Name}",
        "url_encoding": "UTF-8",
        "profiles": [{"id": profile_ids(emulator)["Administrator"], "name": "Administrator"}],
        "user_types": [{"id": user_type_id(emulator), "name": "Customers"}],
        "modified_time": item["modified_time"],
        "modified_by": {"id": item["modified_by"]["id"], "name": "Zylker Admin"},
    }
    assert api.get(f"{LINKS}/{link_id}", params={"module": "Leads"}).json() == {"custom_links": [item]}


def test_reads_of_nothing_are_204(api: TestClient, emulator: Emulator) -> None:
    assert api.get(LINKS, params={"module": "Leads"}).status_code == 204
    link_id = created(post(api, link(emulator)))
    for path, module in ((f"{LINKS}/1234567000000000001", "Leads"), (f"{LINKS}/{link_id}", "Contacts")):
        response = api.get(path, params={"module": module})
        assert (response.status_code, response.content) == (204, b"")


def test_links_without_user_types_read_them_as_null(api: TestClient, emulator: Emulator) -> None:
    created(post(api, link(emulator, user_types=[])))
    assert api.get(LINKS, params={"module": "Leads"}).json()["custom_links"][0]["user_types"] is None


@pytest.mark.parametrize("method", ["post", "get", "put"])
def test_the_module_param_is_required(api: TestClient, method: str) -> None:
    response = api.request(method.upper(), LINKS, json={"custom_links": [{}]})
    assert response.status_code == 400
    assert response.json() == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "module"},
        "message": "required param is missing",
        "status": "error",
    }


@pytest.mark.parametrize("module", ["Nope", "Home", "Quoted_Items", "Visits", "leads_"])
def test_a_module_that_takes_no_links_is_invalid_module(api: TestClient, emulator: Emulator, module: str) -> None:
    response = post(api, link(emulator), module=module)
    assert (response.status_code, response.json()["code"]) == (400, "INVALID_MODULE")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "MANDATORY_NOT_FOUND"),
        ({"custom_links": []}, "MANDATORY_NOT_FOUND"),
        ({"custom_links": {}}, "INVALID_DATA"),
    ],
)
def test_the_root_key_is_required(api: TestClient, body: dict[str, Any], code: str) -> None:
    response = api.post(LINKS, params={"module": "Leads"}, json=body)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["details"]["api_name"]) == (code, "custom_links")


@pytest.mark.parametrize("key", ["name", "url", "url_encoding", "profiles"])
def test_each_mandatory_key(api: TestClient, emulator: Emulator, key: str) -> None:
    item = link(emulator)
    del item[key]
    result = one_error(post(api, item))
    assert (result["code"], result["details"]) == (
        "MANDATORY_NOT_FOUND",
        {"api_name": key, "json_path": f"$.custom_links[0].{key}"},
    )


def url_of_length(n: int) -> str:
    base = "https://example.com/"
    return base + "a" * (n - len(base))


@pytest.mark.parametrize(
    ("overrides", "details"),
    [
        ({"name": "n" * 100}, None),
        ({"name": "n" * 101}, {"api_name": "name", "maximum_length": 100}),
        ({"name": "   "}, {"api_name": "name", "minimum_length": 1}),
        ({"url": url_of_length(3000)}, None),
        ({"url": url_of_length(3001)}, {"api_name": "url", "maximum_length": 3000}),
        ({"url": "linkedin dot com"}, {"api_name": "url", "expected_data_type": "website"}),
        ({"url": "ftp://example.com/file"}, {"api_name": "url", "expected_data_type": "website"}),
        ({"url_encoding": "utf-8"}, {"api_name": "url_encoding", "supported_values": list(URL_ENCODINGS)}),
        ({"profiles": "Administrator"}, {"api_name": "profiles", "expected_data_type": "jsonarray"}),
    ],
)
def test_values_at_their_limits(
    api: TestClient, emulator: Emulator, overrides: dict[str, Any], details: dict[str, Any] | None
) -> None:
    response = post(api, link(emulator, **overrides))
    if details is None:
        created(response)
        return
    result = one_error(response)
    assert result["code"] == "INVALID_DATA"
    assert result["details"] == {"json_path": f"$.custom_links[0].{details['api_name']}", **details}


@pytest.mark.parametrize("encoding", list(URL_ENCODINGS))
def test_each_of_the_seven_url_encodings(api: TestClient, emulator: Emulator, encoding: str) -> None:
    created(post(api, link(emulator, url_encoding=encoding)))


@pytest.mark.parametrize(("key", "limit"), [("profiles", 200), ("user_types", 200)])
def test_at_most_200_profiles_and_user_types(api: TestClient, emulator: Emulator, key: str, limit: int) -> None:
    ref = profile_ids(emulator)["Administrator"] if key == "profiles" else user_type_id(emulator)
    created(post(api, link(emulator, **{key: [{"id": ref}] * limit})))
    result = one_error(post(api, link(emulator, name="Other", **{key: [{"id": ref}] * (limit + 1)})))
    assert (result["code"], result["details"]) == (
        "LIMIT_EXCEEDED",
        {"api_name": key, "json_path": f"$.custom_links[0].{key}", "limit": limit},
    )


@pytest.mark.parametrize("key", ["profiles", "user_types"])
def test_unknown_profile_or_user_type_ids_are_invalid_data(api: TestClient, emulator: Emulator, key: str) -> None:
    result = one_error(post(api, link(emulator, **{key: [{"id": "1234567000000000001"}]})))
    assert (result["code"], result["details"]) == (
        "INVALID_DATA",
        {"api_name": "id", "json_path": f"$.custom_links[0].{key}[0].id"},
    )


def test_an_empty_profiles_list_is_mandatory_not_found(api: TestClient, emulator: Emulator) -> None:
    assert one_error(post(api, link(emulator, profiles=[])))["code"] == "MANDATORY_NOT_FOUND"


def test_names_are_unique_per_module_regardless_of_case(api: TestClient, emulator: Emulator) -> None:
    created(post(api, link(emulator)))
    result = one_error(post(api, link(emulator, name=" linkedin ")))
    assert (result["code"], result["details"]) == (
        "DUPLICATE_DATA",
        {"api_name": "name", "json_path": "$.custom_links[0].name"},
    )
    created(post(api, link(emulator, url="https://example.com/"), module="Contacts"))


@pytest.mark.usefixtures("both_backends")
def test_ten_links_per_module_then_limit_exceeded(api: TestClient, emulator: Emulator) -> None:
    for n in range(1, 10):
        created(post(api, link(emulator, name=f"L{n}")))
    response = post(api, link(emulator, name="L10"), link(emulator, name="L11"))
    assert response.status_code == 207
    tenth, eleventh = results(response)
    assert tenth["code"] == "SUCCESS"
    assert eleventh == {
        "code": "LIMIT_EXCEEDED",
        "details": {"limit": 10, "limit_due_to": [{"api_name": "custom_links", "json_path": "$.custom_links"}]},
        "message": "limit exceeded",
        "status": "error",
    }
    created(post(api, link(emulator, name="Elsewhere", url="https://example.com/"), module="Accounts"))
    assert api.delete(f"{LINKS}/{tenth['details']['id']}").status_code == 200
    created(post(api, link(emulator, name="L11")))


@pytest.mark.parametrize(
    ("module", "url", "valid"),
    [
        ("Leads", "https://x.example/?n={Leads.Last_Name}&id={Leads.id}", True),
        ("Leads", "https://x.example/?n={Lead.Full_Name}", True),
        ("Leads", "https://x.example/?n={lead.full_name}&o={Leads.Owner}", True),
        ("Accounts", "https://analytics.example.com/dashboard?account_id={Account.ID}", True),
        ("Accounts", "https://x.example/?id={Accounts.id}", True),
        ("Leads", "https://x.example/?id={Accounts.id}", False),
        ("Leads", "https://x.example/?n={Leads.Nickname}", False),
        ("Leads", "https://x.example/?n={Leads.Last_Name}&m={Lead.Middle}", False),
        ("Events", "https://x.example/?t={Meeting.Event_Title}", True),
    ],
)
def test_merge_fields_must_name_a_field_of_the_module(
    api: TestClient, emulator: Emulator, module: str, url: str, valid: bool
) -> None:
    response = post(api, link(emulator, url=url), module=module)
    if valid:
        created(response)
        return
    result = one_error(response)
    assert (result["code"], result["details"]) == (
        "INVALID_DATA",
        {"api_name": "url", "json_path": "$.custom_links[0].url"},
    )
    assert result["message"].startswith("the merge field {")


def test_links_on_a_custom_module_use_its_fields(api: TestClient, emulator: Emulator) -> None:
    created_id(create_module(api, module_item(emulator)))
    created(post(api, link(emulator, url="https://x.example/?s={Stock.Name}&e={Stocks.Email}"), module="Stocks"))
    bad = post(api, link(emulator, name="B", url="https://x.example/?{Stock.Last_Name}"), module="Stocks")
    assert one_error(bad)["code"] == "INVALID_DATA"


def test_bulk_update_answers_per_item(api: TestClient, emulator: Emulator) -> None:
    first = created(post(api, link(emulator)))
    second = created(post(api, link(emulator, name="Second")))
    other = created(post(api, link(emulator, name="Elsewhere", url="https://example.com/"), module="Contacts"))
    items = [
        {"id": first, "name": "First", "url_encoding": "Big5"},
        {"id": second, "name": "first"},
        {"name": "No id"},
        {"id": other, "name": "Wrong module"},
        {"id": second, "url": "https://x.example/?{Leads.Bogus}"},
        {"id": second, "profiles": [{"id": profile_ids(emulator)["Standard"]}], "description": None},
    ]
    response = api.put(LINKS, params={"module": "Leads"}, json={"custom_links": items})
    assert response.status_code == 207
    codes = [(r["code"], r["details"].get("api_name")) for r in results(response)]
    assert codes == [
        ("SUCCESS", None),
        ("DUPLICATE_DATA", "name"),
        ("MANDATORY_NOT_FOUND", "id"),
        ("INVALID_DATA", "id"),
        ("INVALID_DATA", "url"),
        ("SUCCESS", None),
    ]
    assert results(response)[0]["message"] == "custom link updated successfully"
    stored = {x["id"]: x for x in api.get(LINKS, params={"module": "Leads"}).json()["custom_links"]}
    assert (stored[first]["name"], stored[first]["url_encoding"]) == ("First", "Big5")
    assert stored[second]["profiles"] == [{"id": profile_ids(emulator)["Standard"], "name": "Standard"}]
    assert (stored[second]["name"], stored[second]["description"]) == ("Second", None)


def test_update_one_by_path(api: TestClient, emulator: Emulator) -> None:
    link_id = created(post(api, link(emulator)))
    path = f"{LINKS}/{link_id}"
    response = api.put(path, params={"module": "Leads"}, json={"custom_links": [{"name": "Renamed"}]})
    assert response.status_code == 200
    assert api.get(path, params={"module": "Leads"}).json()["custom_links"][0]["name"] == "Renamed"
    emptied = api.put(path, params={"module": "Leads"}, json={"custom_links": [{"url": None}]})
    assert results(emptied)[0]["code"] == "MANDATORY_NOT_FOUND"
    for module, target in (("Leads", f"{LINKS}/1234567000000000001"), ("Contacts", path)):
        missing = api.put(target, params={"module": module}, json={"custom_links": [{"name": "X"}]})
        assert missing.status_code == 400
        assert missing.json() == {
            "code": "INVALID_DATA",
            "details": {"resource_path_index": 0},
            "message": "the id given seems to be invalid",
            "status": "error",
        }


def test_delete_by_path_and_by_ids(api: TestClient, emulator: Emulator) -> None:
    ids = [created(post(api, link(emulator, name=f"L{n}"))) for n in range(3)]
    deleted = api.delete(f"{LINKS}/{ids[0]}")
    assert deleted.status_code == 200
    assert results(deleted) == [
        {
            "code": "SUCCESS",
            "details": {"id": ids[0]},
            "message": "custom link deleted successfully",
            "status": "success",
        }
    ]
    again = api.delete(f"{LINKS}/{ids[0]}")
    assert (again.status_code, again.json()["details"]) == (400, {"resource_path_index": 0})

    mixed = api.delete(LINKS, params={"ids": f"{ids[1]},{ids[0]},abc"})
    assert mixed.status_code == 207
    assert [(r["code"], r["details"]) for r in results(mixed)] == [
        ("SUCCESS", {"id": ids[1]}),
        ("INVALID_DATA", {"id": ids[0]}),
        ("INVALID_DATA", {"id": "abc"}),
    ]
    wrong_module = api.delete(LINKS, params={"ids": ids[2], "module": "Contacts"})
    assert (wrong_module.status_code, results(wrong_module)[0]["code"]) == (400, "INVALID_DATA")
    assert api.delete(LINKS, params={"ids": ids[2], "module": "Leads"}).status_code == 200
    assert api.get(LINKS, params={"module": "Leads"}).status_code == 204


@pytest.mark.parametrize(
    ("ids", "code", "details"),
    [
        ("", "REQUIRED_PARAM_MISSING", {"param_name": "ids"}),
        (
            ",".join(str(1234567000000000001 + n) for n in range(101)),
            "LIMIT_EXCEEDED",
            {"param_name": "ids", "limit": 100},
        ),
    ],
)
def test_delete_by_ids_needs_1_to_100_ids(api: TestClient, ids: str, code: str, details: dict[str, Any]) -> None:
    response = api.delete(LINKS, params={"ids": ids} if ids else {})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["details"]) == (code, details)


def test_100_ids_are_accepted(api: TestClient) -> None:
    response = api.delete(LINKS, params={"ids": ",".join(str(1234567000000000001 + n) for n in range(100))})
    assert (response.status_code, len(results(response))) == (400, 100)


def test_other_methods_are_invalid_request_method(api: TestClient) -> None:
    for method, path in (("PATCH", LINKS), ("POST", f"{LINKS}/1234567000000000001")):
        response = api.request(method, path, params={"module": "Leads"})
        assert (response.status_code, response.json()["code"]) == (400, "INVALID_REQUEST_METHOD")


@pytest.mark.parametrize(
    ("scope", "method", "status"),
    [
        ("ZohoCRM.settings.custom_links.READ", "GET", 204),
        ("ZohoCRM.settings.custom_links.READ", "POST", 401),
        ("ZohoCRM.settings.custom_links.CREATE", "POST", 201),
        ("ZohoCRM.settings.custom_links.ALL", "POST", 201),
        ("ZohoCRM.settings.modules.ALL", "GET", 401),
        ("ZohoCRM.settings.ALL", "POST", 201),
        ("ZohoCRM.settings.custom_links.DELETE", "DELETE", 400),
        ("ZohoCRM.settings.custom_links.UPDATE", "DELETE", 401),
    ],
)
def test_custom_link_scopes(
    client: TestClient, emulator: Emulator, make_token: TokenFactory, scope: str, method: str, status: int
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[scope])}"}
    body = {"custom_links": [link(emulator)]}
    params = {"module": "Leads", "ids": "1234567000000000001"}
    response = client.request(method, LINKS, params=params, json=body, headers=headers)
    assert response.status_code == status, response.text


def test_custom_links_exist_in_v8_only(api: TestClient, emulator: Emulator) -> None:
    response = api.post(
        "/crm/v7/settings/custom_links", params={"module": "Leads"}, json={"custom_links": [link(emulator)]}
    )
    assert (response.status_code, response.json()["details"]) == (400, {"supported_version": 8})


def test_only_the_customize_permission_manages_links(
    client: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    response = client.get(LINKS, params={"module": "Leads"}, headers=headers)
    assert response.status_code == 403
    assert response.json()["details"] == {"permissions": ["Crm_Implied_Customize_Zoho_CRM"]}
