"""Bulk read jobs on the caller's connection: create one (its checks and the org's limits), show one,
hand out its file; and the worker's steps (``jobs.py`` runs them in transactions of its own): write
the job's file from the records it reads, then finish the job and store its callback."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection

from zcrm_emulator import editions, ids, record_model, scopes
from zcrm_emulator.delivery import Deliveries, Outbound
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.memo import Memo
from zcrm_emulator.record_model import ModuleMeta, RecordRow
from zcrm_emulator.resources.bulk_read import repo, rules
from zcrm_emulator.resources.coql.rules import Bound
from zcrm_emulator.resources.coql.service import TargetModules
from zcrm_emulator.resources.custom_views import rules as views_rules
from zcrm_emulator.resources.custom_views import service as views_service
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.records import rules as record_rules
from zcrm_emulator.store import blobs, locks
from zcrm_emulator.store.engine import Store

SUCCESS_CODE, SUCCESS_MESSAGE = "ADDED_SUCCESSFULLY", "Added successfully."
CALLBACK_SOURCE = "bulk_read"


def module_scopes(module: Any, name: str) -> list[str]:
    return record_rules.record_scopes(module, name, ("READ",))


def _module(
    conn: Connection, org_id: str, name: str, granted: Sequence[str], now_ms: int, memo: Memo | None
) -> ModuleMeta:
    """The job's module: MODULE_NOT_AVAILABLE when the org has none by that name, MODULE_NOT_SUPPORTED
    when its records are not served; the token must hold its read scope too."""
    module = modules_repo.find_by_name(conn, org_id, name)
    if module is None:
        raise ZohoError("MODULE_NOT_AVAILABLE", {"api_name": "module", "json_path": "$.query.module"})
    if not record_model.serves_records(module):
        raise ZohoError("MODULE_NOT_SUPPORTED", {"api_name": name, "module": name})
    if not scopes.satisfied(granted, module_scopes(module, name)):
        raise ZohoError("OAUTH_SCOPE_MISMATCH")
    return record_model.load_module(conn, org_id, module.api_name, now_ms, memo)


@dataclass(frozen=True)
class Plan:
    """What a job reads: its module, columns, bound criteria and view."""

    meta: ModuleMeta
    columns: tuple[str, ...]
    criteria: Bound | None
    view: dict[str, Any] | None


def plan(
    conn: Connection, org_id: str, request: rules.JobRequest, meta: ModuleMeta, now_ms: int, memo: Memo | None
) -> Plan:
    rules.check_file_type(request, meta)
    columns = rules.columns(meta, request.fields)
    modules = TargetModules(conn, org_id, now_ms, memo)
    bound = rules.bind_criteria(request.criteria, meta, modules) if request.criteria is not None else None
    view = None
    if request.cvid is not None:
        view = views_service.find(conn, org_id, meta.id, request.cvid)
        if view is None:
            raise ZohoError("INVALID_DATA", {"api_name": "cvid", "json_path": "$.query.cvid"}, Message.CVID_INVALID)
    return Plan(meta, columns, bound, view)


def _within_limits(conn: Connection, org_id: str, now_ms: int) -> None:
    """TOO_MANY_REQUESTS past the edition's unfinished or daily jobs (counted under a lock, so two
    workers' creates cannot both take the last one)."""
    locks.serialize(conn, f"bulk_read:{org_id}")
    limits = editions.BULK_READ_LIMITS[org_repo.org_edition(conn, org_id).name]
    if repo.count_unfinished(conn, org_id) >= limits.concurrent:
        raise ZohoError("TOO_MANY_REQUESTS", {"limit": limits.concurrent})
    if repo.count_created_since(conn, org_id, now_ms - rules.DAY_MS) >= limits.daily:
        raise ZohoError("TOO_MANY_REQUESTS", {"limit": limits.daily})


def create(
    conn: Connection,
    org_id: str,
    creator: Mapping[str, Any],
    granted: Sequence[str],
    body: Mapping[str, Any],
    *,
    version: str,
    now_ms: int,
    memo: Memo | None,
) -> dict[str, Any]:
    """Check the request, store the job (ADDED, or QUEUED behind a job of the org in progress) and
    answer the create call's success item."""
    request = rules.job_request(body)
    meta = _module(conn, org_id, request.module, granted, now_ms, memo)
    record_model.check_access(record_model.caller(conn, org_id, creator["id"], memo), meta, "read")
    plan(conn, org_id, request, meta, now_ms, memo)
    _within_limits(conn, org_id, now_ms)
    state = rules.QUEUED if repo.count_in_progress(conn, org_id) else rules.ADDED
    job_id = ids.allocate(conn, org_id)[0]
    data = rules.new_job(request, meta, creator, now_ms, version)
    repo.add_job(conn, repo.Job(job_id, org_id, meta.id, creator["id"], now_ms, state, None, None, data))
    details = rules.added_details(job_id, state, data)
    return {"status": "success", "code": SUCCESS_CODE, "message": SUCCESS_MESSAGE, "details": details}


def job_of(conn: Connection, org_id: str, raw_id: str, granted: Sequence[str], *, status: int) -> repo.Job:
    """The org's job ``raw_id`` names (RESOURCE_NOT_FOUND otherwise), when the token may read its
    module's records."""
    job_id = ids.normalize_id(raw_id)
    job = repo.get_job(conn, org_id, job_id) if job_id else None
    if job is None:
        raise ZohoError("RESOURCE_NOT_FOUND", {"resource": "job_id"}, status=status)
    module = modules_repo.find(conn, org_id, job.module_id)
    name = job.data["query"]["module"]["api_name"]
    if not scopes.satisfied(granted, module_scopes(module, name)):
        raise ZohoError("OAUTH_SCOPE_MISMATCH")
    return job


def job_view(job: repo.Job) -> dict[str, Any]:
    return rules.job_view(job.id, job.state, job.data)


def result_file(store: Store, conn: Connection, job: repo.Job) -> tuple[str, bytes]:
    """The finished job's zip and its file name; RESOURCE_NOT_FOUND (400) before it is ready."""
    if job.state != rules.COMPLETED or job.digest is None:
        raise ZohoError("RESOURCE_NOT_FOUND", {"resource": "job_id"}, status=400)
    try:
        return f"{job.id}.zip", blobs.read(store, conn, job.org_id, job.digest)
    except blobs.MissingBlob:
        raise ZohoError("RESOURCE_NOT_FOUND", {"resource": "job_id"}, status=400) from None


# --- the worker's steps ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Written:
    content: bytes  # the zip
    count: int
    more: bool


def _rows(
    conn: Connection, job: repo.Job, steps: Plan, *, per_page: int, now_ms: int
) -> tuple[Iterable[RecordRow], Any]:
    """The page's records (streamed) and a function telling whether more follow it."""
    page = int(job.data["query"].get("page") or 1)
    skip = (page - 1) * per_page
    where: tuple[ColumnElement[bool], ...] = repo.criteria_filter(job.org_id, steps.meta.id, steps.criteria)
    if steps.view is None:
        rows = repo.stream_records(conn, steps.meta.id, where, skip=skip, limit=per_page)
        return rows, lambda: repo.has_more(conn, steps.meta.id, where, skip=skip + per_page)
    # A view's criteria are matched as the view API matches them (custom_views.service.records_in).
    converts = (
        views_rules.CONVERTED_FIELD in steps.meta.by_name and views_rules.converted_default(steps.view) == "false"
    )
    if converts:
        where = (*where, record_model.converted(False))
    found = views_service.records_in(
        conn, job.org_id, steps.meta, steps.view, actor=job.created_by, now_ms=now_ms, where=where
    )
    return found[skip : skip + per_page], lambda: len(found) > skip + per_page


def write_file(conn: Connection, job: repo.Job, *, per_page: int, now_ms: int, memo: Memo | None) -> Written:
    """The job's file, zipped as it is written: the page's records as CSV rows (or ICS events)."""
    request = rules.stored_request(job.data)
    meta = record_model.load_module(conn, job.org_id, request.module, now_ms, memo)
    steps = plan(conn, job.org_id, request, meta, now_ms, memo)
    rows, more = _rows(conn, job, steps, per_page=per_page, now_ms=now_ms)
    count = 0

    def counted() -> Iterable[RecordRow]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(rules.file_name(job.id, request.file_type), "w") as raw,
    ):
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        if request.file_type == "ics":
            for line in rules.ics_lines(counted()):
                text.write(line + "\r\n")
        else:
            writer = csv.writer(text)
            writer.writerow(steps.columns)
            readers = rules.cell_readers(steps.columns)
            for row in counted():
                writer.writerow(rules.csv_cells(row, readers))
        text.flush()
        text.detach()
    return Written(buffer.getvalue(), count, bool(more()))


def finish(
    store: Store,
    conn: Connection,
    deliveries: Deliveries,
    job: repo.Job,
    written: Written | None,
    *,
    per_page: int,
) -> bool:
    """Complete the job with its file (FAILURE without one) and store its callback, if the worker
    still holds the job; whether it did."""
    data = dict(job.data)
    digest = None
    if written is None:
        state = rules.FAILURE
    else:
        state = rules.COMPLETED
        digest = blobs.put(store, conn, job.org_id, written.content)
        data["result"] = rules.result(job.id, data, written.count, per_page, written.more)
    if not repo.finish(conn, job, state=state, digest=digest, data=data):
        return False
    callback = data.get("callback")
    if callback:
        body = json.dumps(rules.callback_body(job.id, state, data))
        outbound = Outbound(
            job.org_id,
            CALLBACK_SOURCE,
            job.id,
            "POST",
            callback["url"],
            [("Content-Type", "application/json")],
            body,
            {"job_id": job.id, "state": state},
        )
        deliveries.enqueue(conn, outbound)
    return True
