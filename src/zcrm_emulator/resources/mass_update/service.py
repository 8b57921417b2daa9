"""Mass updates on the caller's connection: by ids in the call, by view as a scheduled job (its
records chosen now, written by ``run`` once the call has committed: ``jobs.py``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import batch, ids, record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import Caller, ModuleMeta
from zcrm_emulator.resources.custom_views import rules as views_rules
from zcrm_emulator.resources.custom_views import service as views_service
from zcrm_emulator.resources.mass_update import repo, rules
from zcrm_emulator.resources.mass_update.rules import MassUpdate
from zcrm_emulator.resources.org import repo as org_repo


def _write(
    conn: Connection,
    org_id: str,
    who: Caller,
    meta: ModuleMeta,
    items: list[dict[str, Any]],
    now_ms: int,
    cause: Cause,
) -> list[batch.Item]:
    """The records' updates through the record model, a chunk per call (one record event each)."""
    results: list[batch.Item] = []
    for start in range(0, len(items), rules.WRITE_CHUNK):
        chunk = items[start : start + rules.WRITE_CHUNK]
        written = record_model.update(conn, org_id, who, meta, chunk, now_ms=now_ms, cause=cause)
        results.extend(rules.at_first_item(result) for result in written)
    return results


def update_by_ids(
    conn: Connection, org_id: str, who: Caller, meta: ModuleMeta, update: MassUpdate, now_ms: int, cause: Cause
) -> list[batch.Item]:
    """One result per id, in input order: an id naming no live record of the module is INVALID_DATA
    ``{id}`` (OASx massUpdateRecords "NoRecordsFound"), the others are updated."""
    raw_ids = update.ids or []
    normalized = [normalize_id(raw) for raw in raw_ids]
    stored = record_model.get_records(conn, meta.id, [rid for rid in normalized if rid])
    results: list[batch.Item | None] = [None] * len(raw_ids)
    items: list[dict[str, Any]] = []
    positions: list[int] = []
    for index, (raw, record_id) in enumerate(zip(raw_ids, normalized, strict=True)):
        row = stored.get(record_id) if record_id else None
        if row is None:
            results[index] = batch.failure(ZohoError("INVALID_DATA", {"id": raw}, Message.UNKNOWN_ID))
            continue
        items.append({"id": row.id, **rules.record_values(update, meta, row.data)})
        positions.append(index)
    for index, result in zip(positions, _write(conn, org_id, who, meta, items, now_ms, cause), strict=True):
        results[index] = result
    return [result for result in results if result is not None]


def schedule(conn: Connection, org_id: str, user_id: str, meta: ModuleMeta, update: MassUpdate, now_ms: int) -> str:
    """A job for the view's records as they are now; returns its id."""
    if org_repo.org_edition(conn, org_id).rank < rules.CVID_MIN_EDITION_RANK:
        raise ZohoError("NOT_SUPPORTED", {"api_name": "cvid", "json_path": "$.cvid"})
    view = views_service.find(conn, org_id, meta.id, update.cvid)
    if view is None:
        raise ZohoError("INVALID_DATA", {"api_name": "cvid", "json_path": "$.cvid"}, Message.CVID_INVALID)
    converts = views_rules.CONVERTED_FIELD in meta.by_name and views_rules.converted_default(view) == "false"
    where = (record_model.converted(False),) if converts else ()
    rows = views_service.records_in(conn, org_id, meta, view, actor=user_id, now_ms=now_ms, where=where)
    if not rows:
        raise ZohoError("NO_RECORDS_FOUND", {})
    if len(rows) > rules.MAX_VIEW_RECORDS:
        raise rules.too_many_view_records()
    job_id = ids.allocate(conn, org_id)[0]
    data = rules.new_job(update, meta, [row.id for row in rows])
    repo.add_job(conn, job_id, org_id, meta.id, user_id, now_ms, data)
    return job_id


def run(
    conn: Connection, job: repo.Job, who: Caller, meta: ModuleMeta, now_ms: int, request_id: str | None
) -> dict[str, Any]:
    """Write a scheduled job's values to its records still alive; store and return its counts. More
    than ``AUTOMATION_MAX_RECORDS`` records run no automation."""
    data = job.data
    update = MassUpdate(dict(data["values"]), None, data.get("cvid"), bool(data.get("over_write")))
    record_ids: list[str] = list(data["record_ids"])
    stored = record_model.get_records(conn, meta.id, record_ids)
    items = [{"id": rid, **rules.record_values(update, meta, stored[rid].data)} for rid in record_ids if rid in stored]
    trigger = None if len(record_ids) <= rules.AUTOMATION_MAX_RECORDS else ()
    results = _write(conn, job.org_id, who, meta, items, now_ms, Cause(trigger, request_id))
    updated = sum(1 for result in results if result.get("status") == "success")
    finished = rules.finished(data, updated, len(results) - updated)
    repo.save_job(conn, job.id, finished)
    return finished


def job_of(conn: Connection, org_id: str, meta: ModuleMeta, raw_id: str) -> repo.Job:
    """The module's job ``job_id`` names: INVALID_DATA ``{param_name: job_id}`` otherwise (OASx)."""
    job_id = normalize_id(raw_id)
    job = repo.get_job(conn, org_id, job_id) if job_id else None
    if job is None or job.module_id != meta.id:
        raise ZohoError("INVALID_DATA", {"param_name": "job_id"}, Message.JOB_ID_INVALID)
    return job


def mark_failed(conn: Connection, org_id: str, job_id: str) -> None:
    job = repo.get_job(conn, org_id, job_id)
    if job is not None and job.data["Status"] == rules.SCHEDULED:
        repo.save_job(conn, job_id, {**job.data, "Status": rules.FAILED})
