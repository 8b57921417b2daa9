"""A data-sync connector's reads over every module, as such connectors read Zoho CRM: the
``api_supported`` modules from ``settings/modules``, each module's fields from ``settings/fields``,
then every record through the paged list (``fields`` = up to 50 of them, 200 a page, following
``next_page_token``); later an incremental read of what changed since the last one
(``If-Modified-Since`` on the list and on ``/deleted``). Every record must arrive exactly once.

Modules a connector cannot list are skipped, as a connector skips them: no fields to ask for
(``settings/fields`` answers 204), or a list answered with a Zoho error. Those are written down by
``Connector.skipped`` and must be Zoho 4xx answers, never a 5xx.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.allowances import FIELD_ALLOWANCES, MODULE_LIST_ALLOWANCES
from tests.support.oas import validate_response
from tests.support.records import add_rows, module_id
from zcrm_emulator import record_model
from zcrm_emulator.clock import iso
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

PER_PAGE = 200
MAX_FIELDS = 50  # Zoho's limit on ``fields``
# Records written before the first read (straight through the repo: setup, not the behaviour under
# test); Leads spans three pages.
SEEDED = {"Leads": 450, "Contacts": 7, "Accounts": 3, "Deals": 5, "Tasks": 4, "Products": 3, "Cases": 2}
LISTED_AT_LEAST = set(SEEDED) | {"Calls", "Events", "Campaigns", "Vendors", "Solutions", "Price_Books"}


@dataclass
class Connector:
    """The reads of a data-sync connector, over HTTP with an admin token."""

    api: TestClient
    skipped: dict[str, str] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)  # answers already validated against the OAS files

    def get(self, path: str, params: dict[str, Any] | None = None, since: str | None = None) -> Any:
        headers = {"If-Modified-Since": since} if since else {}
        return self.api.get(f"/crm/v8{path}", params=params, headers=headers)

    def modules(self) -> list[str]:
        answer = self.get("/settings/modules")
        assert answer.status_code == 200
        if "modules" not in self.checked:
            validate_response(answer, "modules.json", "/crm/v8/settings/modules", allow=MODULE_LIST_ALLOWANCES)
            self.checked.add("modules")
        return [module["api_name"] for module in answer.json()["modules"] if module["api_supported"]]

    def field_names(self, module: str) -> list[str] | None:
        answer = self.get("/settings/fields", {"module": module})
        if answer.status_code == 204:
            self.skipped[module] = "settings/fields answers 204"
            return None
        assert answer.status_code == 200, (module, answer.text)
        if module not in self.checked:
            validate_response(answer, "fields.json", "/crm/v8/settings/fields", allow=FIELD_ALLOWANCES)
            self.checked.add(module)
        names = [item["api_name"] for item in answer.json()["fields"]]
        # The change marker first, then as many others as Zoho takes in one ``fields``.
        return ["Modified_Time", *[name for name in names if name != "Modified_Time"]][:MAX_FIELDS]

    def read(self, module: str, fields: list[str], since: str | None = None) -> list[dict[str, Any]] | None:
        """Every record of the module (modified after ``since``), page after page; None when the
        module cannot be listed."""
        params: dict[str, Any] = {"fields": ",".join(fields), "per_page": PER_PAGE}
        records: list[dict[str, Any]] = []
        while True:
            answer = self.get(f"/{module}", params, since)
            if answer.status_code in (204, 304):
                assert not answer.content
                assert answer.status_code == (304 if since and not records else 204), (module, answer.status_code)
                return records
            if answer.status_code != 200:
                assert 400 <= answer.status_code < 500, (module, answer.status_code, answer.text)
                assert not records, module
                self.skipped[module] = f"{answer.status_code} {answer.json()['code']}"
                return None
            body = answer.json()
            records.extend(body["data"])
            if not body["info"]["more_records"]:
                return records
            params = {"fields": params["fields"], "per_page": PER_PAGE, "page_token": body["info"]["next_page_token"]}

    def deleted(self, module: str, since: str) -> list[str]:
        answer = self.get(f"/{module}/deleted", {"type": "all"}, since)
        if answer.status_code in (204, 304):
            return []
        assert answer.status_code == 200, (module, answer.text)
        assert answer.json()["info"]["more_records"] is False
        return [item["id"] for item in answer.json()["data"]]

    def sync(self, since: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """One pass over every module: a full read, or an incremental one after ``since``."""
        self.skipped.clear()
        read: dict[str, list[dict[str, Any]]] = {}
        for module in self.modules():
            fields = self.field_names(module)
            if fields is None:
                continue
            records = self.read(module, fields, since)
            if records is not None:
                read[module] = records
        return read


def now_iso(emulator: Emulator) -> str:
    return iso(emulator.clock.now_ms())


def stored_ids(emulator: Emulator, module: str) -> set[str]:
    """The module's live records, read from the store."""
    with emulator.store.tx() as conn:
        rows = record_model.list_records(conn, module_id(emulator, module), record_model.PageQuery(limit=100_000))
    return {row.id for row in rows}


def ids_of(records: list[dict[str, Any]]) -> list[str]:
    return [record["id"] for record in records]


@pytest.fixture
def seeded(emulator: Emulator) -> dict[str, list[str]]:
    return {module: add_rows(emulator, module, count) for module, count in SEEDED.items()}


def test_a_full_read_gets_every_record_of_every_listable_module_exactly_once(
    api: TestClient, emulator: Emulator, seeded: dict[str, list[str]]
) -> None:
    connector = Connector(api)
    read = connector.sync()

    assert set(read) >= LISTED_AT_LEAST
    for module, records in read.items():
        ids = ids_of(records)
        assert not [record_id for record_id, times in Counter(ids).items() if times > 1], module
        assert set(ids) == stored_ids(emulator, module), module
        assert all(set(record) >= {"id", "Modified_Time"} for record in records), module
    for module, made in seeded.items():
        assert set(ids_of(read[module])) == set(made)
    # Leads: three pages of 200 (the first answer plus two by page token).
    assert len(read["Leads"]) == 450
    # What was skipped, and why: no fields to ask for, or a Zoho 4xx on the list.
    assert not set(connector.skipped) & set(read)
    assert all(reason == "settings/fields answers 204" or reason[:1] == "4" for reason in connector.skipped.values())
    assert read["Quoted_Items"] == []  # a line-item module lists its rows (none here: no quotes)


def test_an_incremental_read_gets_exactly_the_records_changed_since_the_last_one(
    api: TestClient, emulator: Emulator, seeded: dict[str, list[str]]
) -> None:
    connector = Connector(api)
    last_sync = now_iso(emulator)
    connector.sync()
    assert api.post("/_emulator/clock/advance", json={"seconds": 60}).status_code == 200

    leads, contacts, deals = seeded["Leads"], seeded["Contacts"], seeded["Deals"]
    updated_leads = [leads[0], leads[250], leads[449]]  # one on each page
    for record_id in updated_leads:
        answer = api.put(f"/crm/v8/Leads/{record_id}", json={"data": [{"Company": "Changed"}]})
        assert answer.status_code == 200, answer.text
    assert api.put(f"/crm/v8/Contacts/{contacts[3]}", json={"data": [{"Title": "Changed"}]}).status_code == 200
    created = api.post("/crm/v8/Accounts", json={"data": [{"Account_Name": "New one"}, {"Account_Name": "New two"}]})
    assert created.status_code == 201, created.text
    new_accounts = [item["details"]["id"] for item in created.json()["data"]]
    assert api.delete(f"/crm/v8/Deals/{deals[1]}").status_code == 200
    assert api.delete(f"/crm/v8/Leads/{leads[7]}").status_code == 200

    next_sync = now_iso(emulator)
    changed = {module: ids_of(records) for module, records in connector.sync(since=last_sync).items() if records}
    assert {module: sorted(ids) for module, ids in changed.items()} == {
        "Leads": sorted(updated_leads),
        "Contacts": [contacts[3]],
        "Accounts": sorted(new_accounts),
    }
    deleted = {module: connector.deleted(module, last_sync) for module in SEEDED}
    assert {module: ids for module, ids in deleted.items() if ids} == {"Deals": [deals[1]], "Leads": [leads[7]]}

    # Nothing changed since: every listable module answers 304, nothing deleted.
    assert api.post("/_emulator/clock/advance", json={"seconds": 60}).status_code == 200
    unchanged = connector.sync(since=next_sync)
    assert unchanged == {module: [] for module in unchanged} and set(unchanged) >= LISTED_AT_LEAST
    assert all(connector.deleted(module, next_sync) == [] for module in SEEDED)
