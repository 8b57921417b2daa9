"""Links meeting records on the control plane: the hosted unsubscribe URL of one recipient, and a
custom link resolved for one record (Zoho's error envelope for everything unknown)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from tests.support.console import create_lead, create_link, create_record
from tests.support.modules import create_module, created_id, module_item, profile_ids
from zcrm_emulator.emulator import Emulator

UNKNOWN_ID = "the id given seems to be invalid"


def unsubscribe_url(api: TestClient, link: str, **params: str) -> Any:
    return api.get(f"/_emulator/unsubscribe_links/{link}/url", params=params)


def assert_zoho_error(response: Any, status: int, code: str, details: dict[str, Any]) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body["code"], body["details"], body["status"]) == (code, details, "error")


# --- GET /_emulator/unsubscribe_links/{id}/url -----------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_the_url_is_the_public_page_with_a_token_naming_org_module_and_record(
    api: TestClient, emulator: Emulator
) -> None:
    lead, link = create_lead(api), create_link(api)
    response = unsubscribe_url(api, link, module="Leads", record_id=lead)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=UTF-8"
    url = urlsplit(response.json()["url"])
    assert (url.scheme, url.netloc, url.path) == ("http", "testserver", f"/unsubscribe/{link}")
    (token,) = parse_qs(url.query)["r"]
    org, module, record, signature = token.split(".")
    assert (org, module, record) == (emulator.default_org_id, "Leads", lead)
    assert len(signature) == 43
    # The same recipient always gets the same URL (the key lives in the database).
    assert unsubscribe_url(api, link, module="Leads", record_id=lead).json() == response.json()


def test_contacts_and_custom_modules_with_an_opt_out_field_get_urls(api: TestClient, emulator: Emulator) -> None:
    link = create_link(api)
    contact = create_record(api, "Contacts", Last_Name="Babbage", Email="charles@example.com")
    module = created_id(create_module(api, module_item(emulator)))
    api_name = api.get(f"/crm/v8/settings/modules/{module}").json()["modules"][0]["api_name"]
    stock = create_record(api, api_name, Name="Difference Engine", Email="engine@example.com")
    for module_name, record in (("Contacts", contact), (api_name, stock)):
        response = unsubscribe_url(api, link, module=module_name, record_id=record)
        assert response.status_code == 200, response.text
        assert f".{module_name}.{record}." in response.json()["url"]
        assert api.get(response.json()["url"]).status_code == 200


@pytest.mark.parametrize(
    ("params", "status", "code", "details"),
    [
        ({"record_id": "LEAD"}, 400, "REQUIRED_PARAM_MISSING", {"param_name": "module"}),
        ({"module": "Leads"}, 400, "REQUIRED_PARAM_MISSING", {"param_name": "record_id"}),
        ({"module": "Leads", "record_id": " "}, 400, "REQUIRED_PARAM_MISSING", {"param_name": "record_id"}),
        ({"module": "Nope", "record_id": "LEAD"}, 400, "INVALID_MODULE", {"api_name": "module"}),
        ({"module": "leads_", "record_id": "LEAD"}, 400, "INVALID_MODULE", {"api_name": "module"}),
        ({"module": "Accounts", "record_id": "LEAD"}, 400, "INVALID_MODULE", {"api_name": "module"}),
        ({"module": "Contacts", "record_id": "LEAD"}, 400, "INVALID_DATA", {"api_name": "record_id"}),
        ({"module": "Leads", "record_id": "12x"}, 400, "INVALID_DATA", {"api_name": "record_id"}),
        ({"module": "Leads", "record_id": "LEAD", "org_id": "42"}, 400, "INVALID_DATA", {"api_name": "org_id"}),
    ],
)
def test_a_url_for_something_unknown_is_zohos_error(
    api: TestClient, params: dict[str, str], status: int, code: str, details: dict[str, Any]
) -> None:
    lead, link = create_lead(api), create_link(api)
    params = {key: (lead if value == "LEAD" else value) for key, value in params.items()}
    assert_zoho_error(unsubscribe_url(api, link, **params), status, code, details)


@pytest.mark.parametrize("link", ["123456789012345678", "abc", "DELETED"])
def test_a_url_for_an_unknown_link_is_invalid_data(api: TestClient, link: str) -> None:
    lead, created = create_lead(api), create_link(api)
    if link == "DELETED":
        api.delete(f"/crm/v8/settings/unsubscribe_links/{created}")
        link = created
    response = unsubscribe_url(api, link, module="Leads", record_id=lead)
    assert_zoho_error(response, 400, "INVALID_DATA", {"api_name": "link_id"})
    assert response.json()["message"] == UNKNOWN_ID


def test_a_deleted_record_gets_no_url(api: TestClient) -> None:
    lead, link = create_lead(api), create_link(api)
    api.delete(f"/crm/v8/Leads/{lead}")
    assert_zoho_error(
        unsubscribe_url(api, link, module="Leads", record_id=lead), 400, "INVALID_DATA", {"api_name": "record_id"}
    )


# --- GET /_emulator/custom_links/{id}/resolve ---------------------------------------------------------


def custom_link(api: TestClient, emulator: Emulator, url: str, encoding: str = "UTF-8", module: str = "Leads") -> str:
    item = {
        "name": "Lookup",
        "url": url,
        "url_encoding": encoding,
        "profiles": [{"id": profile_ids(emulator)["Administrator"]}],
    }
    response = api.post("/crm/v8/settings/custom_links", params={"module": module}, json={"custom_links": [item]})
    assert response.status_code == 201, response.text
    return str(response.json()["custom_links"][0]["details"]["id"])


def resolve(api: TestClient, link: str, **params: str) -> Any:
    return api.get(f"/_emulator/custom_links/{link}/resolve", params=params)


@pytest.mark.usefixtures("both_backends")
def test_merge_fields_are_filled_from_the_stored_record(api: TestClient, emulator: Emulator) -> None:
    lead = create_lead(api, First_Name="Ada", Company="Smith & Co/Ltd")
    link = custom_link(
        api,
        emulator,
        "https://www.linkedin.com/search/results/people/?keywords={Lead.Full_Name}&c={Leads.Company}"
        "&o={Leads.Owner}&id={Lead.ID}",
    )
    response = resolve(api, link, record_id=lead)
    assert response.status_code == 200
    assert response.json() == {
        "url": "https://www.linkedin.com/search/results/people/?keywords=Ada%20Lovelace"
        f"&c=Smith%20%26%20Co%2FLtd&o=Zylker%20Admin&id={lead}"
    }


@pytest.mark.parametrize(
    ("encoding", "encoded"),
    [("UTF-8", "Ren%C3%A9e"), ("ISO-8859-1", "Ren%E9e"), ("UTF-16", "%FE%FF%00R%00e%00n%00%E9%00e")],
)
def test_values_are_encoded_in_the_links_url_encoding(
    api: TestClient, emulator: Emulator, encoding: str, encoded: str
) -> None:
    lead = create_lead(api, First_Name="Renée")
    link = custom_link(api, emulator, "https://x.example/?n={Leads.First_Name}", encoding)
    assert resolve(api, link, record_id=lead).json() == {"url": f"https://x.example/?n={encoded}"}


def test_lookups_are_filled_with_the_target_records_name(api: TestClient, emulator: Emulator) -> None:
    account = create_record(api, "Accounts", Account_Name="Analytical Engines")
    contact = create_record(api, "Contacts", Last_Name="Lovelace", Account_Name={"id": account})
    link = custom_link(api, emulator, "https://x.example/?a={Contacts.Account_Name}", module="Contacts")
    assert resolve(api, link, record_id=contact).json() == {"url": "https://x.example/?a=Analytical%20Engines"}


@pytest.mark.parametrize(
    ("params", "link", "code", "details"),
    [
        ({}, "LINK", "REQUIRED_PARAM_MISSING", {"param_name": "record_id"}),
        ({"record_id": "abc"}, "LINK", "INVALID_DATA", {"api_name": "record_id"}),
        ({"record_id": "123456789012345678"}, "LINK", "INVALID_DATA", {"api_name": "record_id"}),
        ({"record_id": "CONTACT"}, "LINK", "INVALID_DATA", {"api_name": "record_id"}),
        ({"record_id": "LEAD"}, "123456789012345678", "INVALID_DATA", {"api_name": "link_id"}),
        ({"record_id": "LEAD"}, "abc", "INVALID_DATA", {"api_name": "link_id"}),
        ({"record_id": "LEAD", "user_id": "42"}, "LINK", "INVALID_DATA", {"api_name": "user_id"}),
        ({"record_id": "LEAD", "org_id": "42"}, "LINK", "INVALID_DATA", {"api_name": "org_id"}),
    ],
)
def test_resolving_for_something_unknown_is_zohos_error(
    api: TestClient, emulator: Emulator, params: dict[str, str], link: str, code: str, details: dict[str, Any]
) -> None:
    names = {
        "LEAD": create_lead(api),
        "CONTACT": create_record(api, "Contacts", Last_Name="Babbage"),
        "LINK": custom_link(api, emulator, "https://x.example/{Leads.Last_Name}"),
    }
    params = {key: names.get(value, value) for key, value in params.items()}
    assert_zoho_error(resolve(api, names.get(link, link), **params), 400, code, details)
