"""A bulk read job against writing the same file from one plain SQL SELECT, in one run.

    .venv/bin/python bench/bulk_read.py [--records 200000] [--rounds 3] [--db-url URL]

On a fresh store (embedded SQLite in a temp dir, or ``--db-url`` for an empty PostgreSQL database)
holding ``--records`` Leads (written straight through the records repo, as the seeding does), with the
job's page size set to ``--records`` so one job reads them all, ``--rounds`` times, alternating:

* the job: ``POST /crm/bulk/v8/read`` for ``Last_Name, Company, Email, Annual_Revenue, Owner,
  Created_Time`` (through the ASGI app), then the worker's run (``BulkReads.run_pending``: claim, read
  the records a batch per statement, write the zipped CSV, store it as a blob, finish the job), timed
  from the create call to the finished job;
* the floor: one ``SELECT id, owner_id, created_ms, data FROM records WHERE module_id = … AND
  deleted_ms IS NULL ORDER BY id`` streamed into the same zipped CSV (same columns, same writer),
  nothing stored.

Prints the median seconds of each and their ratio (job / SELECT).
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
from sqlalchemy import select

from zcrm_emulator import create_app, ids
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.record_model import RecordRow
from zcrm_emulator.record_model import repo as records_repo
from zcrm_emulator.resources.bulk_read import rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import records, users

BASE = "http://crm.bench"
SCOPES = ["ZohoCRM.modules.ALL", "ZohoCRM.bulk.READ"]
FIELDS = ["Last_Name", "Company", "Email", "Annual_Revenue", "Owner", "Created_Time"]


def fill(emulator: Emulator, count: int) -> str:
    """``count`` Leads; the module's id."""
    org_id = emulator.default_org_id
    now = emulator.clock.now_ms()
    with emulator.store.tx(writes=True) as conn:
        owner = str(documents.list_data(conn, users, org_id)[0]["id"])
        module = modules_repo.find(conn, org_id, "Leads")
        assert module is not None
        new_ids = ids.allocate(conn, org_id, count)
        for start in range(0, count, 5000):
            rows = [
                RecordRow(
                    record_id,
                    module.id,
                    owner,
                    owner,
                    owner,
                    now - count + n,
                    now - count + n,
                    None,
                    None,
                    {
                        "Last_Name": f"Bench {n}",
                        "Company": f"Zylker {n % 97}",
                        "Email": f"lead{n}@zylker.example",
                        "Annual_Revenue": n * 10,
                    },
                )
                for n, record_id in enumerate(new_ids[start : start + 5000], start)
            ]
            records_repo.insert_records(conn, org_id, rows)
    return module.id


async def job(emulator: Emulator, token: str, count: int) -> float:
    transport = httpx.ASGITransport(app=create_app(emulator=emulator))
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as client:
        started = time.perf_counter()
        query = {"module": {"api_name": "Leads"}, "fields": FIELDS}
        response = await client.post("/crm/bulk/v8/read", json={"query": query})
        assert response.status_code == 201, response.text
        await asyncio.to_thread(emulator.bulk_reads.run_pending)
        elapsed = time.perf_counter() - started
        job_id = response.json()["data"][0]["details"]["id"]
        shown = (await client.get(f"/crm/bulk/v8/read/{job_id}")).json()["data"][0]
    assert shown["state"] == "COMPLETED" and shown["result"]["count"] == count, shown
    return elapsed


def plain_select(emulator: Emulator, module_id: str, count: int) -> float:
    started = time.perf_counter()
    columns = ["Id", *FIELDS]
    buffer = io.BytesIO()
    written = 0
    with (
        emulator.store.tx() as conn,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("plain.csv", "w") as raw,
    ):
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(columns)
        statement = (
            select(records.c.id, records.c.owner_id, records.c.created_ms, records.c.data)
            .where(records.c.module_id == module_id, records.c.deleted_ms.is_(None))
            .order_by(records.c.id)
        )
        for row in conn.execution_options(yield_per=5000).execute(statement):
            data = row.data
            writer.writerow(
                [
                    row.id,
                    data.get("Last_Name", ""),
                    data.get("Company", ""),
                    data.get("Email", ""),
                    data.get("Annual_Revenue", ""),
                    row.owner_id,
                    rules.iso_time(row.created_ms),
                ]
            )
            written += 1
        text.flush()
        text.detach()
    assert written == count
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db-url", help="an empty PostgreSQL database (default: SQLite in a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        emulator = Emulator(Settings(db_url=url, public_url=BASE, edition="ultimate"))
        try:
            emulator.bulk_reads.per_page = args.records
            module_id = fill(emulator, args.records)
            from zcrm_emulator.accounts.tokens import mint_access_token

            with emulator.store.tx(writes=True) as conn:
                owner = str(documents.list_data(conn, users, emulator.default_org_id)[0]["id"])
                token = mint_access_token(
                    conn, org_id=emulator.default_org_id, user_id=owner, scopes=SCOPES, now_ms=emulator.clock.now_ms()
                )
            jobs: list[float] = []
            selects: list[float] = []
            for _ in range(args.rounds):
                jobs.append(asyncio.run(job(emulator, token, args.records)))
                selects.append(plain_select(emulator, module_id, args.records))
        finally:
            emulator.close()
    job_s, select_s = statistics.median(jobs), statistics.median(selects)
    print(f"records {args.records}, rounds {args.rounds}, {'PostgreSQL' if args.db_url else 'SQLite'}")
    print(f"bulk read job (create + run): median {job_s:.2f} s  {[round(s, 2) for s in jobs]}")
    print(f"plain SELECT into the same CSV: median {select_s:.2f} s  {[round(s, 2) for s in selects]}")
    print(f"ratio job / SELECT: {job_s / select_s:.2f}")


if __name__ == "__main__":
    main()
