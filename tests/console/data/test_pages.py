"""The data browser over HTTP: modules, a module's fields, its records paged and searched by word,
and one record with its related lists, all read as the API reads them."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from zcrm_emulator.console.data.reads import PER_PAGE

BASE = "/console/data"


def create(client: TestClient, auth: dict[str, str], module: str, **values: object) -> str:
    made = client.post(f"/crm/v8/{module}", json={"data": [values]}, headers=auth)
    assert made.status_code == 201, made.text
    return str(made.json()["data"][0]["details"]["id"])


def listed_ids(html: str) -> list[str]:
    return re.findall(r'<tr data-record-id="(\d+)">', html)


def test_the_module_list_links_the_modules_that_hold_records(client: TestClient) -> None:
    page = client.get(BASE).text
    assert f'<a href="{BASE}/Leads/records">Leads</a>' in page
    assert f'<a href="{BASE}/Contacts">Fields</a>' in page


def test_a_modules_fields_are_listed_with_their_types(client: TestClient, auth: dict[str, str]) -> None:
    made = client.post(
        "/crm/v8/settings/fields",
        params={"module": "Leads"},
        json={"fields": [{"field_label": "Shoe Size", "data_type": "integer"}]},
        headers=auth,
    )
    assert made.status_code == 201, made.text
    page = client.get(f"{BASE}/Leads").text
    assert re.search(
        r'data-field="Last_Name">\s*<td>Last Name</td>\s*<td><code>Last_Name</code></td>\s*<td>text</td>', page
    )
    assert re.search(r'data-field="Shoe_Size">.*?<td>integer</td>\s*<td></td>\s*<td>Yes</td>', page, re.S)


def test_unknown_modules_and_records_are_404_pages(client: TestClient) -> None:
    assert client.get(f"{BASE}/Nope").status_code == 404
    assert client.get(f"{BASE}/Leads/records/123").status_code == 404
    assert client.get(f"{BASE}/Leads/records/abc").status_code == 404
    assert client.get(f"{BASE}/Leads/records", params={"page": "0"}).status_code == 400


@pytest.mark.usefixtures("both_backends")
def test_records_are_paged_newest_change_first(client: TestClient, auth: dict[str, str]) -> None:
    ids = [create(client, auth, "Leads", Last_Name=f"Lead {n}", Company="C") for n in range(PER_PAGE + 2)]
    first = client.get(f"{BASE}/Leads/records").text
    assert listed_ids(first) == ids[::-1][:PER_PAGE]
    assert f"{PER_PAGE + 2} records" in first and 'id="next"' in first and 'id="previous"' not in first
    second = client.get(f"{BASE}/Leads/records", params={"page": "2"}).text
    assert listed_ids(second) == ids[:2][::-1]
    assert 'id="next"' not in second and 'id="previous"' in second
    assert "Zylker Admin" in first  # the owner, by name


@pytest.mark.usefixtures("both_backends")
def test_the_search_finds_records_by_word(client: TestClient, auth: dict[str, str]) -> None:
    wanted = create(client, auth, "Accounts", Account_Name="Globex Industries")
    create(client, auth, "Accounts", Account_Name="Initech")
    found = client.get(f"{BASE}/Accounts/records", params={"word": "Globex"}).text
    assert listed_ids(found) == [wanted] and 'value="Globex"' in found
    assert "No records match." in client.get(f"{BASE}/Accounts/records", params={"word": "Hooli"}).text
    refused = client.get(f"{BASE}/Accounts/records", params={"word": "x"})
    assert refused.status_code == 400 and 'id="problem">The search was refused' in refused.text


@pytest.mark.usefixtures("both_backends")
def test_a_record_shows_its_values_and_related_lists(client: TestClient, auth: dict[str, str]) -> None:
    account = create(client, auth, "Accounts", Account_Name="Acme", Phone="555-0100")
    contact = create(client, auth, "Contacts", Last_Name="Doe", Account_Name={"id": account})
    page = client.get(f"{BASE}/Accounts/records/{account}").text
    assert 'id="record-name">Acme<' in page
    assert 'data-field="Phone">555-0100<' in page
    section = re.search(r'data-related="Contacts">(.*?)</section>', page, re.S)
    assert section is not None and f'href="{BASE}/Contacts/records/{contact}">Doe<' in section.group(1)
    back = client.get(f"{BASE}/Contacts/records/{contact}").text
    assert 'data-field="Account_Name">Acme<' in back
