"""Bulk read jobs are claimed from the database: a job outlives the process that took it (another
worker on the same database finishes it once the lease is over), and two workers sharing one
database run every job exactly once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.support.records import add_rows
from zcrm_emulator.app import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.bulk_read import repo, rules

pytestmark = pytest.mark.usefixtures("both_backends")

READ = "/crm/bulk/v8/read"


@pytest.fixture
def idle(emulator: Emulator, make_token: TokenFactory) -> TestClient:
    """A client of an app without its lifespan (no background worker); jobs wait to be claimed."""
    emulator.bulk_reads.kick = lambda: None  # type: ignore[method-assign]
    client = TestClient(create_app(emulator=emulator), base_url="http://testserver")
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token([*ALL_SCOPES, 'ZohoCRM.bulk.READ'])}"
    return client


@pytest.fixture
def other_worker(settings: Settings) -> Iterator[Emulator]:
    """A second process on the same database."""
    other = Emulator(settings)
    yield other
    other.close()


def add_job(client: TestClient) -> str:
    response = client.post(READ, json={"query": {"module": {"api_name": "Leads"}, "fields": ["Last_Name"]}})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def state_of(emulator: Emulator, job_id: str) -> repo.Job:
    with emulator.store.tx() as conn:
        job = repo.get_job(conn, emulator.default_org_id, job_id)
    assert job is not None
    return job


def test_a_job_left_in_progress_by_a_dead_worker_is_finished_by_another(
    idle: TestClient, emulator: Emulator, other_worker: Emulator
) -> None:
    add_rows(emulator, "Leads", 3)
    job_id = add_job(idle)
    emulator.bulk_reads.lease_ms = 1  # the first worker takes the job, then "dies" before finishing it
    taken = emulator.bulk_reads.claim()
    assert taken is not None and taken.id == job_id and state_of(emulator, job_id).state == rules.IN_PROGRESS
    time.sleep(0.01)  # the lease runs out
    assert other_worker.bulk_reads.run_pending() == 1
    finished = state_of(other_worker, job_id)
    assert finished.state == rules.COMPLETED and finished.data["result"]["count"] == 3
    # The first worker coming back to life cannot finish a job it no longer holds.
    assert emulator.bulk_reads.run_job(taken) is False
    assert state_of(emulator, job_id).data["result"]["count"] == 3


def test_a_job_added_before_a_restart_is_run_by_the_next_process(
    idle: TestClient, emulator: Emulator, settings: Settings
) -> None:
    job_id = add_job(idle)
    emulator.close()
    restarted = Emulator(settings)
    try:
        with TestClient(create_app(emulator=restarted), base_url="http://testserver") as client:
            client.headers.update(idle.headers)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                job = client.get(f"{READ}/{job_id}").json()["data"][0]
                if job["state"] == rules.COMPLETED:
                    break
                time.sleep(0.05)
            assert job["state"] == rules.COMPLETED
            assert client.get(f"{READ}/{job_id}/result").status_code == 200
    finally:
        restarted.close()


def test_two_workers_on_one_database_run_each_job_exactly_once(
    idle: TestClient, emulator: Emulator, other_worker: Emulator
) -> None:
    add_rows(emulator, "Leads", 50)
    job_ids = [add_job(idle) for _ in range(8)]
    runs: list[str] = []
    lock = threading.Lock()
    for worker in (emulator, other_worker):
        original = worker.bulk_reads.run_job

        def counted(job: repo.Job, original: object = original) -> bool:
            with lock:
                runs.append(job.id)
            return original(job)  # type: ignore[operator, no-any-return]

        worker.bulk_reads.run_job = counted  # type: ignore[method-assign]
    start = threading.Barrier(2)

    def work(worker: Emulator) -> None:
        start.wait()
        worker.bulk_reads.run_pending()

    threads = [threading.Thread(target=work, args=(worker,)) for worker in (emulator, other_worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(runs) == sorted(job_ids)
    assert all(state_of(emulator, job_id).state == rules.COMPLETED for job_id in job_ids)


def test_a_job_another_worker_holds_is_not_taken_while_its_lease_runs(
    idle: TestClient, emulator: Emulator, other_worker: Emulator
) -> None:
    job_id = add_job(idle)
    taken = emulator.bulk_reads.claim()
    assert taken is not None and taken.id == job_id
    assert other_worker.bulk_reads.claim() is None
    assert emulator.bulk_reads.run_job(taken) is True
    assert state_of(other_worker, job_id).state == rules.COMPLETED


def test_a_job_whose_file_cannot_be_written_fails_and_its_callback_says_so(
    idle: TestClient, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.receiver import receiver
    from zcrm_emulator.resources.bulk_read import service

    def broken(*args: object, **kwargs: object) -> service.Written:
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "write_file", broken)
    with receiver() as box:
        body = {"query": {"module": {"api_name": "Leads"}}, "callback": {"url": box.url, "method": "post"}}
        response = idle.post(READ, json=body)
        job_id = str(response.json()["data"][0]["details"]["id"])
        assert emulator.bulk_reads.run_pending() == 1
        emulator.deliveries.deliver_due()
        (arrived,) = box.wait_for(1)
    assert arrived.body and b'"state": "FAILURE"' in arrived.body
    shown = idle.get(f"{READ}/{job_id}").json()["data"][0]
    assert shown["state"] == "FAILURE" and "result" not in shown
    assert idle.get(f"{READ}/{job_id}/result").json()["code"] == "RESOURCE_NOT_FOUND"
