"""Bulk write jobs are claimed from the database: a job outlives the process that took it, a worker
whose lease ran out writes nothing, and two workers sharing one database write every row exactly
once."""

from __future__ import annotations

import csv
import io
import threading
import time
import zipfile
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from zcrm_emulator.app import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.record_model import count_records
from zcrm_emulator.resources.bulk_write import repo, rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.org import repo as org_repo

pytestmark = pytest.mark.usefixtures("both_backends")

WRITE = "/crm/bulk/v8/write"
SCOPES = ["ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL", "ZohoCRM.bulk.ALL", "ZohoFiles.files.ALL"]


@pytest.fixture
def idle(emulator: Emulator, make_token: TokenFactory) -> TestClient:
    """A client of an app without its lifespan (no background worker); jobs wait to be claimed."""
    emulator.bulk_writes.kick = lambda: None  # type: ignore[method-assign]
    client = TestClient(create_app(emulator=emulator), base_url="http://testserver")
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token(SCOPES)}"
    return client


@pytest.fixture
def other_worker(settings: Settings) -> Iterator[Emulator]:
    """A second process on the same database."""
    other = Emulator(settings)
    yield other
    other.close()


def add_job(client: TestClient, emulator: Emulator, names: list[str]) -> str:
    with emulator.store.tx() as conn:
        zgid = str(org_repo.get_org(conn, emulator.default_org_id)["zgid"])
    text = io.StringIO()
    csv.writer(text).writerows([["Last_Name"], *([n] for n in names)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Leads.csv", text.getvalue())
    uploaded = client.post(
        "/crm/v8/upload",
        headers={"feature": "bulk-write", "X-CRM-ORG": zgid},
        files={"file": ("leads.zip", buffer.getvalue(), "application/zip")},
    )
    assert uploaded.status_code == 200, uploaded.text
    body = {
        "operation": "insert",
        "resource": [{"module": {"api_name": "Leads"}, "file_id": uploaded.json()["details"]["file_id"]}],
    }
    created = client.post(WRITE, json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["details"]["id"])


def state_of(emulator: Emulator, job_id: str) -> repo.Job:
    with emulator.store.tx() as conn:
        job = repo.get_job(conn, emulator.default_org_id, job_id)
    assert job is not None
    return job


def leads(emulator: Emulator) -> int:
    with emulator.store.tx() as conn:
        module = modules_repo.find_by_name(conn, emulator.default_org_id, "Leads")
        assert module is not None
        return count_records(conn, module.id)


def test_a_worker_whose_lease_ran_out_writes_nothing_and_the_next_one_writes_once(
    idle: TestClient, emulator: Emulator, other_worker: Emulator
) -> None:
    before = leads(emulator)
    job_id = add_job(idle, emulator, ["A", "B", "C"])
    emulator.bulk_writes.lease_ms = 1  # the first worker takes the job, then "dies" before finishing it
    taken = emulator.bulk_writes.claim()
    assert taken is not None and taken.id == job_id and state_of(emulator, job_id).state == rules.IN_PROGRESS
    time.sleep(0.01)  # the lease runs out
    assert other_worker.bulk_writes.run_pending() == 1
    assert state_of(other_worker, job_id).state == rules.COMPLETED and leads(emulator) == before + 3
    # The first worker coming back to life cannot finish the job: its writes roll back.
    assert emulator.bulk_writes.run_job(taken) is False
    assert leads(emulator) == before + 3


def test_a_job_added_before_a_restart_is_run_by_the_next_process(
    idle: TestClient, emulator: Emulator, settings: Settings
) -> None:
    job_id = add_job(idle, emulator, ["A", "B"])
    headers = dict(idle.headers)
    emulator.close()
    restarted = Emulator(settings)
    try:
        with TestClient(create_app(emulator=restarted), base_url="http://testserver") as client:
            client.headers.update(headers)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                job = client.get(f"{WRITE}/{job_id}").json()
                if job["status"] == rules.COMPLETED:
                    break
                time.sleep(0.05)
            assert job["status"] == rules.COMPLETED and job["resource"][0]["file"]["added_count"] == 2
            assert client.get(job["result"]["download_url"]).status_code == 200
    finally:
        restarted.close()


def test_two_workers_on_one_database_run_each_job_exactly_once(
    idle: TestClient, emulator: Emulator, other_worker: Emulator
) -> None:
    before = leads(emulator)
    job_ids = [add_job(idle, emulator, [f"J{j}R{r}" for r in range(5)]) for j in range(6)]
    runs: list[str] = []
    lock = threading.Lock()
    for worker in (emulator, other_worker):
        original = worker.bulk_writes.run_job

        def counted(job: repo.Job, original: object = original) -> bool:
            with lock:
                runs.append(job.id)
            return original(job)  # type: ignore[operator, no-any-return]

        worker.bulk_writes.run_job = counted  # type: ignore[method-assign]
    start = threading.Barrier(2)

    def work(worker: Emulator) -> None:
        start.wait()
        worker.bulk_writes.run_pending()

    threads = [threading.Thread(target=work, args=(worker,)) for worker in (emulator, other_worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(runs) == sorted(job_ids)
    assert all(state_of(emulator, job_id).state == rules.COMPLETED for job_id in job_ids)
    assert leads(emulator) == before + 30
