"""``zcrm-emulator seed``: counts, determinism, and values valid for every field (read back over the
API), for standard and custom modules, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from tests.support.records import add_field, create_custom_module, picklist
from zcrm_emulator import create_app, record_model
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.cli import main
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.seeding import seed_module
from zcrm_emulator.seeding.data import RecordMaker
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import users


def run_seed(*args: str) -> Any:
    return CliRunner().invoke(main, ["seed", *args], catch_exceptions=False)


def open_api(data_dir: Path) -> tuple[Emulator, TestClient]:
    emulator = Emulator(Settings.for_data_dir(data_dir, public_url="http://testserver"))
    with emulator.store.tx() as conn:
        admin = documents.list_data(conn, users, emulator.default_org_id)[0]["id"]
        token = mint_access_token(
            conn,
            org_id=emulator.default_org_id,
            user_id=admin,
            scopes=["ZohoCRM.modules.ALL"],
            now_ms=emulator.clock.now_ms(),
        )
    client = TestClient(create_app(emulator=emulator), base_url="http://testserver")
    client.headers["Authorization"] = f"Zoho-oauthtoken {token}"
    return emulator, client


def read_all(client: TestClient, module: str, fields: str) -> list[dict[str, Any]]:
    """Every record of the module over the API, oldest first (page tokens past 2,000)."""
    records: list[dict[str, Any]] = []
    params: dict[str, Any] = {"fields": fields, "sort_by": "id", "sort_order": "asc", "per_page": 200}
    while True:
        response = client.get(f"/crm/v8/{module}", params=params)
        if response.status_code == 204:
            return records
        body = response.json()
        records.extend(body["data"])
        if not body["info"]["more_records"]:
            return records
        params = {**params, "page_token": body["info"]["next_page_token"]}
        params.pop("page", None)


LEAD_FIELDS = (
    "First_Name,Last_Name,Company,Email,Phone,Lead_Status,Industry,No_of_Employees,Annual_Revenue,Website,City"
)


def test_the_command_adds_the_records_and_says_so(tmp_path: Path) -> None:
    result = run_seed("--module", "Leads", "--records", "250", "--seed", "5", "--data", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "added 250 Leads records" in result.output
    emulator, client = open_api(tmp_path)
    with client:
        assert client.get("/crm/v8/Leads/actions/count").json() == {"count": 250}
    emulator.close()


def test_the_same_seed_gives_the_same_records_and_another_seed_others(tmp_path: Path) -> None:
    for name, seed in (("a", "42"), ("b", "42"), ("c", "43")):
        assert (
            run_seed("--module", "Leads", "--records", "120", "--seed", seed, "--data", str(tmp_path / name)).exit_code
            == 0
        )
    contents = {}
    for name in ("a", "b", "c"):
        emulator, client = open_api(tmp_path / name)
        with client:
            contents[name] = [{k: v for k, v in r.items() if k != "id"} for r in read_all(client, "Leads", LEAD_FIELDS)]
        emulator.close()
    assert len(contents["a"]) == 120
    assert contents["a"] == contents["b"]
    assert contents["a"] != contents["c"]


def test_seeded_leads_are_valid_for_their_fields_and_as_generated(api: TestClient, emulator: Emulator) -> None:
    assert seed_module(emulator, "Leads", 300, seed=9, batch_size=70, progress=False) == 300
    with emulator.store.tx() as conn:
        meta = record_model.load_module(conn, emulator.default_org_id, "Leads", emulator.clock.now_ms())
    expected = RecordMaker([f for f in meta.fields if meta.writable(f["api_name"], "create")], 9)
    stored = read_all(api, "Leads", LEAD_FIELDS)
    assert len(stored) == 300
    statuses = {v["actual_value"] for v in meta.by_name["Lead_Status"]["pick_list_values"]}
    for index, record in enumerate(stored):
        made = expected.make(index)
        for name in LEAD_FIELDS.split(","):
            assert record[name] == made.get(name), (index, name)
            if isinstance(record[name], str):
                assert len(record[name]) <= meta.by_name[name]["length"], (index, name)
        assert record["Last_Name"]
        assert re.fullmatch(r"[a-z0-9.]+\d+@[a-z0-9.-]+\.[a-z]+", record["Email"]), record["Email"]
        assert record["Lead_Status"] is None or record["Lead_Status"] in statuses - {"-None-"}
        assert 0 < record["No_of_Employees"] < 10**9
    assert len({r["Email"] for r in stored}) == 300  # emails carry the record number


def test_batches_do_not_change_the_records(emulator: Emulator, tmp_path: Path) -> None:
    with emulator.store.tx() as conn:
        meta = record_model.load_module(conn, emulator.default_org_id, "Contacts", emulator.clock.now_ms())
    fields = [f for f in meta.fields if meta.writable(f["api_name"], "create")]
    one, other = RecordMaker(fields, 1), RecordMaker(fields, 1)
    assert [one.make(i) for i in range(50)] == [other.make(i) for i in range(50)]
    assert seed_module(emulator, "Contacts", 101, seed=1, batch_size=100, progress=False) == 101


def test_custom_modules_and_their_custom_fields_are_seeded(api: TestClient, emulator: Emulator) -> None:
    create_custom_module(api)
    add_field(emulator, "Stocks", "Grade", "picklist", pick_list_values=picklist("Gold", "Silver"))
    add_field(emulator, "Stocks", "Colours", "multiselectpicklist", pick_list_values=picklist("Red", "Blue", "Green"))
    add_field(emulator, "Stocks", "Units", "integer", length=4)
    add_field(emulator, "Stocks", "Price", "currency", length=7, decimal_place=2)
    add_field(emulator, "Stocks", "Share", "percent", length=5, decimal_place=2)
    add_field(emulator, "Stocks", "Since", "date")
    add_field(emulator, "Stocks", "Seen", "datetime")
    add_field(emulator, "Stocks", "Active", "boolean")
    add_field(emulator, "Stocks", "Code", "text", length=12, unique={"casesensitive": False})
    assert seed_module(emulator, "Stocks", 150, seed=4, progress=False) == 150
    stored = read_all(api, "Stocks", "Name,Grade,Colours,Units,Price,Share,Since,Seen,Active,Code")
    assert len(stored) == 150
    assert all(r["Grade"] in ("Gold", "Silver") for r in stored)
    assert all(set(r["Colours"]) <= {"Red", "Blue", "Green"} and r["Colours"] for r in stored)
    assert all(0 < r["Units"] <= 9999 and r["Price"] < 100_000 and 0 <= r["Share"] <= 100 for r in stored)
    assert all(len(r["Code"]) <= 12 for r in stored) and len({r["Code"] for r in stored}) == 150


def test_an_unknown_module_is_refused(tmp_path: Path) -> None:
    result = run_seed("--module", "Nope", "--records", "5", "--data", str(tmp_path))
    assert result.exit_code == 1
    assert "INVALID_MODULE" in result.output


@pytest.mark.parametrize(
    "args", [["--records", "0"], ["--records", "5", "--batch", "0"], ["--records", "5", "--batch", "1001"]]
)
def test_counts_and_batch_sizes_are_checked(tmp_path: Path, args: list[str]) -> None:
    result = run_seed("--module", "Leads", *args, "--data", str(tmp_path))
    assert result.exit_code == 2


@pytest.mark.postgres
def test_seed_writes_to_postgresql_with_db(db_url: str) -> None:
    result = run_seed("--module", "Leads", "--records", "30", "--seed", "1", "--db", db_url)
    assert result.exit_code == 0, result.output
    emulator = Emulator(Settings(db_url=db_url))
    with emulator.store.tx() as conn:
        meta = record_model.load_module(conn, emulator.default_org_id, "Leads", emulator.clock.now_ms())
        assert record_model.count_in(conn, meta) == 30
    emulator.close()
