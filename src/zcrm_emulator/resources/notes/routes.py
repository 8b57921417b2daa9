"""Notes (OAS notes.json): ``/Notes`` and ``/Notes/{id}``, and a record's notes at
``/{module}/{record_id}/Notes``. Notes are records of the Notes module (the record model stores and
checks them and emits their record events); these routes come before the generic record paths.
Reads are for administrators only (REFERENCE §4.1: 403 NOT_SUPPORTED otherwise)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params, record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import PageQuery
from zcrm_emulator.resources.notes import rules, service
from zcrm_emulator.resources.records.calls import record_ids_param, wanted_fields
from zcrm_emulator.resources.related_records import tokens
from zcrm_emulator.routing import Call, Endpoint, version_index
from zcrm_emulator.usage import weights
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.modules.notes"
FIELDS_REQUIRED_SINCE = "v3"  # as GET /{module}
PER_TEN_NOTES = weights.per_items("data", weights.RECORDS_PER_CREDIT)


def _notes(call: Call, now: int, action: str) -> tuple[record_model.ModuleMeta, record_model.Caller]:
    meta = record_model.load_module(call.conn, call.org_id, rules.NOTES_MODULE, now, call.emulator.memo)
    who = record_model.caller(call.conn, call.org_id, call.user_id, call.emulator.memo)
    record_model.check_access(who, meta, action)
    return meta, who


def _items(call: Call) -> list[Any]:
    items = items_of(call.json(), "data")
    if len(items) > rules.MAX_ITEMS:
        raise ZohoError(
            "LIMIT_EXCEEDED", {"maximum_length": rules.MAX_ITEMS, "api_name": "data"}, Message.TOO_MANY_RECORDS
        )
    return items


def _cause(call: Call) -> Cause:
    return Cause(None, call.request_id)


async def _list(call: Call, parent_id: str | None, meta: record_model.ModuleMeta, who: record_model.Caller) -> Response:
    names = wanted_fields(call, required=version_index(call.version) >= version_index(FIELDS_REQUIRED_SINCE))
    sort_by = params.choice(call, "sort_by", rules.SORT_BY, "id")
    sort_order = params.choice(call, "sort_order", rules.SORT_ORDERS, "desc")
    where = []
    note_ids = record_ids_param(call)
    if note_ids:
        where.append(record_model.with_ids(note_ids))
    if parent_id is not None:
        where.append(service.of_parent(parent_id))
    since = params.if_modified_since(call)
    if since is not None:  # as record lists: to the second, the header's own second excluded
        where.append(record_model.modified_after(since // 1000 * 1000 + 999))
    column = rules.SORT_BY[sort_by]
    if parent_id is None:
        page = params.page(call)
        record_model.check_discrete(page.page, page.per_page)
        at = tokens.Paging(page.page, page.per_page, page.per_page, page.offset, "")
    else:  # a record's Notes list pages on by token, as its other related lists
        at = tokens.paging(call, meta, f"{rules.NOTES_MODULE}:{parent_id}", call.emulator.clock.now_ms())
    offset = 0 if at.token else at.served_before  # a token's page starts after its record instead
    query = PageQuery(column, sort_order == "desc", at.size + 1, offset, at.after_sort, at.after_id)
    rows = record_model.list_records(call.conn, meta.id, query, *where)
    more = len(rows) > at.size
    rows = rows[: at.size]
    if not rows:
        return no_content(304 if since is not None and at.token is None else 204)
    data = service.render(call.conn, call.org_id, meta, rows, names, who)
    if parent_id is None:
        info = {"per_page": at.per_page, "count": len(data), "page": at.page, "more_records": more}
    else:
        info = tokens.info(call, at, meta, rows, more, who.reader(), call.emulator.clock.now_ms(), sort=column)
    return reply({"data": data, "info": {**info, "sort_by": sort_by, "sort_order": sort_order}})


async def list_notes(call: Call) -> Response:
    """GET /Notes (OAS "Get Notes"): 204 when there are none."""
    now = call.emulator.clock.now_ms()
    with call.tx():
        meta, who = _notes(call, now, "read")
        return await _list(call, None, meta, who)


async def get_note(call: Call) -> Response:
    """GET /Notes/{id} (OAS "Get Note"): 204 for an id naming no live note."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = _notes(call, now, "read")
        names = wanted_fields(call, required=False)
        note_id = normalize_id(call.params["note_id"])
        row = record_model.get_records(conn, meta.id, [note_id]).get(note_id) if note_id else None
        if row is None:
            return no_content()
        if params.not_modified(call, row.modified_ms):
            return no_content(304)
        return reply({"data": service.render(conn, call.org_id, meta, [row], names, who)})


async def create_notes(call: Call) -> Response:
    """POST /Notes (OAS "Create Notes"): 200 all added (notes.json), 207 mixed, 400 none."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = _notes(call, now, "create")
        items = _items(call)
        results = service.create(conn, call.org_id, who, meta, items, parent_id=None, now_ms=now, cause=_cause(call))
    return batch.answer("data", results, all_ok=200)


async def update_notes(call: Call) -> Response:
    """PUT /Notes (``id`` in each item) and PUT /Notes/{id} (OAS "Update Notes", "Update Note")."""
    now = call.emulator.clock.now_ms()
    path_id = None
    if "note_id" in call.params:
        path_id = normalize_id(call.params["note_id"])
        if path_id is None:
            raise ZohoError("INVALID_DATA", {"resource_path_index": 1}, Message.UNKNOWN_ID)
    with call.tx() as conn:
        meta, who = _notes(call, now, "update")
        items = _items(call)
        results = service.update(conn, call.org_id, who, meta, items, path_id=path_id, now_ms=now, cause=_cause(call))
    return batch.answer("data", results, all_ok=200)


async def delete_notes(call: Call) -> Response:
    """DELETE /Notes?ids= and DELETE /Notes/{id} (OAS "Delete Notes", "Delete Note")."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = _notes(call, now, "delete")
        if "note_id" in call.params:
            note_id = normalize_id(call.params["note_id"])
            note_ids = [note_id] if note_id else []
            if not note_ids:
                raise ZohoError("INVALID_DATA", {"id": call.params["note_id"]}, Message.RECORD_NOT_DELETED)
        else:
            if not params.csv(call, "ids"):
                raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"}, Message.EXPECTED_PARAM_MISSING)
            note_ids = record_ids_param(call, limit=rules.MAX_ITEMS)
        results = service.delete(conn, call.org_id, who, meta, note_ids, now_ms=now, cause=_cause(call))
    return batch.answer("data", results, all_ok=200)


async def list_record_notes(call: Call) -> Response:
    """GET /{module}/{record_id}/Notes: the record's notes (its Notes related list)."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = _notes(call, now, "read")
        parent_id = service.parent_of_path(
            conn, call.org_id, call.params["module"], call.params["record_id"], now, call.emulator.memo
        )
        return await _list(call, parent_id, meta, who)


async def create_record_notes(call: Call) -> Response:
    """POST /{module}/{record_id}/Notes: notes of the path's record (their own parent keys ignored)."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = _notes(call, now, "create")
        parent_id = service.parent_of_path(
            conn, call.org_id, call.params["module"], call.params["record_id"], now, call.emulator.memo
        )
        items = _items(call)
        results = service.create(
            conn, call.org_id, who, meta, items, parent_id=parent_id, now_ms=now, cause=_cause(call)
        )
    return batch.answer("data", results, all_ok=200)


RECORD_NOTES = "/{module}/{record_id:id}/Notes"

ENDPOINTS = [
    Endpoint("GET", "/Notes", list_notes, SCOPE),
    Endpoint("POST", "/Notes", create_notes, SCOPE, credits=PER_TEN_NOTES),
    Endpoint("PUT", "/Notes", update_notes, SCOPE, credits=PER_TEN_NOTES),
    Endpoint("DELETE", "/Notes", delete_notes, SCOPE),
    Endpoint("GET", "/Notes/{note_id}", get_note, SCOPE),
    Endpoint("PUT", "/Notes/{note_id}", update_notes, SCOPE),
    Endpoint("DELETE", "/Notes/{note_id}", delete_notes, SCOPE),
    Endpoint("GET", RECORD_NOTES, list_record_notes, SCOPE),
    Endpoint("POST", RECORD_NOTES, create_record_notes, SCOPE, credits=PER_TEN_NOTES),
]
