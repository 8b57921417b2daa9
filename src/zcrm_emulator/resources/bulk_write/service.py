"""Bulk write on the caller's connection: keep an uploaded file, create a job (its body bound to
each module and file), show a job, hand out its result; and the worker's step (``jobs.py`` runs it
in a transaction of its own): write every resource's rows through the record model, as record
calls would, then finish the job with its result file and store its callback.

The records are written with ``trigger: []``: Zoho's bulk write takes no ``trigger`` key and runs no
workflow rules, approvals or blueprints (docs/decisions.md "Bulk write"); the record events still go
out, so watch notifications and the journal see them.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import batch, ids, record_model, scopes
from zcrm_emulator.delivery import Deliveries, Outbound
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.memo import Memo
from zcrm_emulator.record_model import Caller, ModuleMeta
from zcrm_emulator.resources.bulk_write import repo, rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.records import rules as record_rules
from zcrm_emulator.store import blobs
from zcrm_emulator.store.engine import Store
from zcrm_emulator.uploads import Upload

CALLBACK_SOURCE = "bulk_write"
CHUNK = 1000  # rows per record-model write (each one record event)
NO_AUTOMATION = Cause(trigger=())
# What each operation needs of the module: its record scope operations and profile permission.
NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "insert": (("CREATE",), ("create",)),
    "update": (("UPDATE",), ("update",)),
    "upsert": (("CREATE", "UPDATE"), ("create", "update")),
}


# --- upload ---------------------------------------------------------------------------------------
def upload(
    store: Store,
    conn: Connection,
    org_id: str,
    user_id: str,
    uploads: Sequence[Upload],
    *,
    feature: str | None,
    org_header: str | None,
    now_ms: int,
) -> dict[str, Any]:
    org = org_repo.get_org(conn, org_id)
    rules.check_headers(feature, org_header, [str(org.get("zgid") or ""), org_id])
    if not uploads:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "file"}, Message.BULK_KEY_MISSING, key="file")
    data = uploads[0].data
    if len(data) > rules.MAX_ZIP_BYTES:
        raise ZohoError("FILE_TOO_LARGE", {"maximum_size": rules.MAX_ZIP_BYTES})
    parsed = rules.read_zip(data)
    digest = blobs.put(store, conn, org_id, data)
    file_id = ids.allocate(conn, org_id)[0]
    shown = {"name": parsed.name, "header": list(parsed.header), "rows": len(parsed.rows)}
    repo.add_file(conn, file_id, org_id, user_id, now_ms, digest, shown)
    return rules.uploaded(file_id, now_ms)


# --- create and show ------------------------------------------------------------------------------
def _module(
    conn: Connection, org_id: str, name: str, granted: Sequence[str], operation: str, path: str, memo: Memo | None
) -> ModuleMeta:
    module = modules_repo.find_by_name(conn, org_id, name)
    if module is None or not record_model.serves_records(module):
        details = {"api_name": "module", "json_path": path}
        raise ZohoError("MODULE_NOT_AVAILABLE", details, Message.BULK_MODULE_MISSING, module=name)
    needed = record_rules.record_scopes(module, name, NEEDS[operation][0])
    if not scopes.satisfied(granted, needed):
        raise ZohoError("OAUTH_SCOPE_MISMATCH")
    return record_model.load_module(conn, org_id, module.api_name, 0, memo)


def _file(conn: Connection, org_id: str, raw_id: str, path: str) -> tuple[str, dict[str, Any]]:
    file_id = ids.normalize_id(raw_id)
    found = repo.get_file(conn, org_id, file_id) if file_id else None
    if found is None:
        raise ZohoError("INVALID_FILE_ID", {"api_name": "file_id", "json_path": path})
    return found


def create(
    conn: Connection,
    org_id: str,
    creator: Mapping[str, Any],
    granted: Sequence[str],
    body: Any,
    *,
    version: str,
    now_ms: int,
    memo: Memo | None,
) -> dict[str, Any]:
    """Check the body, bind each resource to its module and uploaded file, store the job ADDED and
    answer the create call's 201 body."""
    request = rules.job_request(body)
    who = record_model.caller(conn, org_id, creator["id"], memo)
    metas, files = [], []
    for i, resource in enumerate(request.resources):
        path = f"$.resource[{i}]"
        meta = _module(conn, org_id, resource.module, granted, request.operation, f"{path}.module", memo)
        for action in NEEDS[request.operation][1]:
            record_model.check_access(who, meta, action)
        _, file = _file(conn, org_id, resource.file_id, f"{path}.file_id")
        rules.bind(resource, meta, file["header"], request.operation)
        metas.append(meta)
        files.append(file)
    job_id = ids.allocate(conn, org_id)[0]
    data = rules.new_job(request, metas, files, creator, now_ms)
    data.update(request=body, version=version)  # what the worker binds again; the download URL's version
    repo.add_job(conn, repo.Job(job_id, org_id, creator["id"], now_ms, rules.ADDED, None, None, data))
    return rules.created(job_id, data)


def job_of(conn: Connection, org_id: str, raw_id: str) -> repo.Job:
    job_id = ids.normalize_id(raw_id)
    job = repo.get_job(conn, org_id, job_id) if job_id else None
    if job is None:
        raise ZohoError("RESOURCE_NOT_FOUND", {"api_name": "job_id"}, status=400)
    return job


def job_view(job: repo.Job) -> dict[str, Any]:
    return rules.job_view(job.id, job.state, job.data, job.data.get("version", "v8"))


def result_file(store: Store, conn: Connection, job: repo.Job) -> tuple[str, bytes]:
    if job.state != rules.COMPLETED or job.digest is None:
        raise ZohoError("RESOURCE_NOT_FOUND", {"api_name": "job_id"}, status=400)
    try:
        return f"{job.id}.zip", blobs.read(store, conn, job.org_id, job.digest)
    except blobs.MissingBlob:
        raise ZohoError("RESOURCE_NOT_FOUND", {"api_name": "job_id"}, status=400) from None


# --- the worker's step ----------------------------------------------------------------------------
@dataclass
class Outcome:
    """One resource written: its counts and its result CSV."""

    counts: dict[str, int]
    name: str
    csv_text: str


def _lookups(
    conn: Connection,
    org_id: str,
    meta: ModuleMeta,
    columns: Sequence[rules.Column],
    rows: Sequence[Sequence[str]],
    now_ms: int,
    memo: Memo | None,
) -> dict[tuple[str, str], str]:
    """(field, lower-case cell) -> id, for every lookup found by a field other than ``id``."""
    found: dict[tuple[str, str], str] = {}
    for column in columns:
        if column.find_by in (None, "id") or column.index is None:
            continue
        values = {row[column.index].strip() for row in rows if column.index < len(row) and row[column.index].strip()}
        if column.kind in ("ownerlookup", "userlookup"):
            for email, user_id in repo.user_ids_by_email(conn, org_id, values).items():
                found[(column.api_name, email)] = user_id
            continue
        target = ((meta.by_name[column.api_name].get("lookup") or {}).get("module") or {}).get("api_name")
        if not target or column.find_by is None:
            continue
        target_meta = record_model.load_module(conn, org_id, target, now_ms, memo)
        keys = {record_model.normalized_key(v): v.lower() for v in values}
        matches = record_model.find_by_keys(
            conn,
            target_meta.id,
            column.find_by,
            [k for k in keys if k],
            indexed=column.find_by in target_meta.key_fields,
        )
        for key, hits in matches.items():
            if hits:
                found[(column.api_name, keys.get(key, key))] = hits[0].record_id
    return found


def _targets(
    conn: Connection, meta: ModuleMeta, find_by: str, column: rules.Column | None, rows: Sequence[Sequence[str]]
) -> dict[str, str]:
    """Lower-case ``find_by`` value -> the live record an update writes (the oldest holding it)."""
    if column is None or column.index is None:
        return {}
    values = [record_model.normalized_key(row[column.index]) for row in rows if column.index < len(row)]
    indexed = find_by in meta.key_fields
    matches = record_model.find_by_keys(conn, meta.id, find_by, [v for v in values if v], indexed=indexed)
    return {value: hits[0].record_id for value, hits in matches.items() if hits}


def _write(
    conn: Connection,
    org_id: str,
    who: Caller,
    meta: ModuleMeta,
    operation: str,
    items: list[Any],
    find_by: str | None,
    now_ms: int,
) -> list[batch.Item]:
    results: list[batch.Item] = []
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        if operation == "insert":
            done = record_model.insert(conn, org_id, who, meta, chunk, now_ms=now_ms, cause=NO_AUTOMATION)
        elif operation == "update":
            done = record_model.update(conn, org_id, who, meta, chunk, now_ms=now_ms, cause=NO_AUTOMATION)
        else:
            checks = (find_by,) if find_by and find_by != "id" else ()
            done = record_model.upsert(
                conn, org_id, who, meta, chunk, now_ms=now_ms, duplicate_check_fields=checks, cause=NO_AUTOMATION
            )
        results.extend(done)
    return results


def write_resource(
    store: Store,
    conn: Connection,
    job: repo.Job,
    request: rules.JobRequest,
    resource: rules.ResourceRequest,
    *,
    now_ms: int,
    memo: Memo | None,
) -> Outcome:
    """Write one resource's rows; its counts and result CSV (a row per uploaded row)."""
    operation = request.operation
    meta = record_model.load_module(conn, job.org_id, resource.module, now_ms, memo)
    digest, shown = _file(conn, job.org_id, resource.file_id, "$.resource.file_id")
    parsed = rules.read_zip(blobs.read(store, conn, job.org_id, digest))
    columns = rules.bind(resource, meta, parsed.header, operation)
    ignore_empty = resource.ignore_empty if resource.ignore_empty is not None else request.ignore_empty
    found = _lookups(conn, job.org_id, meta, columns, parsed.rows, now_ms, memo)
    find_by = resource.find_by
    by_name = {c.api_name: c for c in columns}
    targets = _targets(conn, meta, find_by, by_name.get(find_by), parsed.rows) if find_by and find_by != "id" else {}
    items: list[Any] = []
    rejected: dict[int, str] = {}
    for number, row in enumerate(parsed.rows):
        item = rules.row_item(columns, row, ignore_empty=ignore_empty, operation=operation, found=found)
        if operation == "update" and find_by and find_by != "id":
            key = record_model.normalized_key(item.get(find_by))
            if key is None or key not in targets:
                rejected[number] = f"RESOURCE_NOT_FOUND-{by_name[find_by].header}"
                continue
            item["id"] = targets[key]
        items.append((number, item))
    written = _write(
        conn,
        job.org_id,
        record_model.caller(conn, job.org_id, job.created_by, memo),
        meta,
        operation,
        [item for _, item in items],
        find_by,
        now_ms,
    )
    outcome: dict[int, tuple[str, str, str]] = {n: (rules.ROW_SKIPPED, "", e) for n, e in rejected.items()}
    headers = {c.api_name: c.header for c in columns}
    for (number, _), result in zip(items, written, strict=True):
        if result.get("status") == "success":
            action = result.get("action") or ("insert" if operation == "insert" else "update")
            status = rules.ROW_ADDED if action == "insert" else rules.ROW_UPDATED
            outcome[number] = (status, str(result["details"]["id"]), "")
        else:
            outcome[number] = (rules.ROW_SKIPPED, "", rules.row_errors(result, headers))
    shown_indexes = rules.bound_columns(resource, parsed.header)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([*(parsed.header[i] for i in shown_indexes), *rules.RESULT_COLUMNS])
    counts = {"added_count": 0, "updated_count": 0, "skipped_count": 0, "total_count": len(parsed.rows)}
    for number, row in enumerate(parsed.rows):
        status, record_id, errors = outcome[number]
        counts[{"ADDED": "added_count", "UPDATED": "updated_count"}.get(status, "skipped_count")] += 1
        writer.writerow([*(row[i] if i < len(row) else "" for i in shown_indexes), status, record_id, errors])
    return Outcome(counts, rules.result_name(meta.api_name, shown["name"]), text.getvalue())


def run(
    store: Store, conn: Connection, job: repo.Job, *, now_ms: int, memo: Memo | None
) -> tuple[dict[str, Any], bytes]:
    """Write every resource of the claimed job; the job's finished data and its result zip."""
    request = rules.job_request(job.data["request"])
    data = dict(job.data)
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for resource, shown in zip(request.resources, job.data["resource"], strict=True):
            outcome = write_resource(store, conn, job, request, resource, now_ms=now_ms, memo=memo)
            archive.writestr(outcome.name, outcome.csv_text)
            resources.append(rules.finished_resource(shown, outcome.counts, rules.COMPLETED))
    data["resource"] = resources
    return data, buffer.getvalue()


def failed(job: repo.Job) -> dict[str, Any]:
    data = dict(job.data)
    data["resource"] = [rules.finished_resource(r, {}, rules.FAILED) for r in job.data["resource"]]
    return data


def finish(
    store: Store, conn: Connection, deliveries: Deliveries, job: repo.Job, data: dict[str, Any], content: bytes | None
) -> bool:
    """End the job (COMPLETED with its result zip, FAILED without one) and store its callback, if
    the worker still holds it; whether it did."""
    state = rules.COMPLETED if content is not None else rules.FAILED
    digest = blobs.put(store, conn, job.org_id, content) if content is not None else None
    if not repo.finish(conn, job, state=state, digest=digest, data=data):
        return False
    callback = data.get("callback")
    if callback:
        body = json.dumps(rules.job_view(job.id, state, data, data.get("version", "v8")))
        headers = [("Content-Type", "application/json")]
        context = {"job_id": job.id, "state": state}
        deliveries.enqueue(
            conn, Outbound(job.org_id, CALLBACK_SOURCE, job.id, "POST", callback["url"], headers, body, context)
        )
    return True
