"""A bulk write job against record inserts of the same records, 100 per call, in one run.

    .venv/bin/python bench/bulk_write.py [--records 25000] [--rounds 3] [--db-url URL]

On a fresh store (embedded SQLite in a temp dir, or ``--db-url`` for an empty PostgreSQL database),
``--rounds`` times, alternating, ``--records`` Leads (``Last_Name, Company, Email, Annual_Revenue``,
new values each round) written:

* by bulk write: ``POST /crm/v8/upload`` of the zipped CSV, ``POST /crm/bulk/v8/write`` (insert, the
  header as field API names), then the worker's run (``BulkWrites.run_pending``: claim, every row
  through the record model in one write transaction, the result zip stored, the job finished), timed
  from the upload to the finished job;
* by record calls: ``POST /crm/v8/Leads`` with 100 records per call, one call after the other.

Both go through the ASGI app in-process. Prints the median seconds of each and their ratio (record
calls / bulk write).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import httpx

from zcrm_emulator import create_app
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import users

BASE = "http://crm.bench"
SCOPES = ["ZohoCRM.modules.ALL", "ZohoCRM.bulk.ALL", "ZohoFiles.files.ALL"]
HEADER = ["Last_Name", "Company", "Email", "Annual_Revenue"]
PER_CALL = 100


def rows(round_no: int, kind: str, count: int) -> list[list[str]]:
    return [
        [f"Bench {kind}{round_no}-{n}", f"Zylker {n % 97}", f"{kind}{round_no}.{n}@zylker.example", str(n * 10)]
        for n in range(count)
    ]


def zipped(values: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *values])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Leads.csv", text.getvalue())
    return buffer.getvalue()


def client(emulator: Emulator, token: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(emulator=emulator))
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    return httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers, timeout=600)


async def bulk(emulator: Emulator, token: str, zgid: str, values: list[list[str]]) -> float:
    content = zipped(values)
    async with client(emulator, token) as api:
        started = time.perf_counter()
        uploaded = await api.post(
            "/crm/v8/upload",
            headers={"feature": "bulk-write", "X-CRM-ORG": zgid},
            files={"file": ("leads.zip", content, "application/zip")},
        )
        assert uploaded.status_code == 200, uploaded.text
        resource = {"type": "data", "module": {"api_name": "Leads"}, "file_id": uploaded.json()["details"]["file_id"]}
        created = await api.post("/crm/bulk/v8/write", json={"operation": "insert", "resource": [resource]})
        assert created.status_code == 201, created.text
        await asyncio.to_thread(emulator.bulk_writes.run_pending)
        elapsed = time.perf_counter() - started
        job = (await api.get(f"/crm/bulk/v8/write/{created.json()['details']['id']}")).json()
    assert job["status"] == "COMPLETED" and job["resource"][0]["file"]["added_count"] == len(values), job
    return elapsed


async def record_calls(emulator: Emulator, token: str, values: list[list[str]]) -> float:
    records = [{**dict(zip(HEADER[:3], row[:3], strict=True)), "Annual_Revenue": int(row[3])} for row in values]
    async with client(emulator, token) as api:
        started = time.perf_counter()
        for start in range(0, len(records), PER_CALL):
            response = await api.post("/crm/v8/Leads", json={"data": records[start : start + PER_CALL]})
            assert response.status_code == 201, response.text[:500]
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=25_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db-url", help="an empty PostgreSQL database (default: SQLite in a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        emulator = Emulator(Settings(db_url=url, public_url=BASE, edition="ultimate"))
        try:
            org_id = emulator.default_org_id
            with emulator.store.tx(writes=True) as conn:
                owner = str(documents.list_data(conn, users, org_id)[0]["id"])
                zgid = str(org_repo.get_org(conn, org_id)["zgid"])
                token = mint_access_token(
                    conn, org_id=org_id, user_id=owner, scopes=SCOPES, now_ms=emulator.clock.now_ms()
                )
            jobs: list[float] = []
            calls: list[float] = []
            for round_no in range(args.rounds):
                jobs.append(asyncio.run(bulk(emulator, token, zgid, rows(round_no, "b", args.records))))
                calls.append(asyncio.run(record_calls(emulator, token, rows(round_no, "r", args.records))))
        finally:
            emulator.close()
    job_s, calls_s = statistics.median(jobs), statistics.median(calls)
    print(f"records {args.records}, rounds {args.rounds}, {'PostgreSQL' if args.db_url else 'SQLite'}")
    print(f"bulk write job (upload + create + run): median {job_s:.2f} s  {[round(s, 2) for s in jobs]}")
    print(f"record inserts, {PER_CALL} per call: median {calls_s:.2f} s  {[round(s, 2) for s in calls]}")
    print(f"ratio record calls / bulk write: {calls_s / job_s:.2f}")


if __name__ == "__main__":
    main()
