"""``/{module}/{record_id}/Attachments`` (OAS attachments.json; OASx attachments examples).

Upload takes one ``file`` part or an ``attachmentUrl`` (a form part or a query param, as the OAS
file has it; with an optional ``title``); a link is stored, never fetched. The list needs ``fields``
and answers 204 when the record has none; the download sends the bytes with their media type and
``Content-Disposition: attachment;filename=…``. Delete takes one id in the path or up to 100 in
``ids``. The record must be live: an unknown or deleted one is INVALID_DATA "the related id given
seems to be invalid" (the record's attachments come back with it when it is restored).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params, record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import allocate, normalize_id
from zcrm_emulator.resources.attachments import repo, rules, service
from zcrm_emulator.resources.records.calls import module_and_caller, record_ids_param
from zcrm_emulator.resources.records.calls import scope as record_scope
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.uploads import content_disposition, read_form
from zcrm_emulator.wire import no_content, reply

ENVELOPE = "data"
PATH = "/{module}/{record_id}/Attachments"


def scope(operation: str) -> Callable[[Call], Sequence[str]]:
    """The record module's scope, or ``ZohoCRM.modules.attachments.<op>`` (docs/decisions.md)."""
    of_module = record_scope(operation)
    return lambda call: [*of_module(call), f"ZohoCRM.modules.attachments.{operation}"]


def parent(
    conn: Connection,
    call: Call,
    now_ms: int,
    action: str,
    module_check: Callable[[record_model.ModuleMeta], None] | None = None,
) -> tuple[record_model.ModuleMeta, record_model.Caller, record_model.RecordRow]:
    """The path's module (passing ``module_check``), the caller (once they may ``action`` its records)
    and the live record."""
    meta, who = module_and_caller(conn, call, now_ms, action)
    if module_check is not None:
        module_check(meta)
    record_id = normalize_id(call.params["record_id"])
    row = record_model.get_records(conn, meta.id, [record_id]).get(record_id) if record_id else None
    if row is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 1}, Message.RELATED_ID_INVALID)
    return meta, who, row


async def upload(call: Call) -> Response:
    """POST: 200 with the new attachment's id, times and users."""
    form = await read_form(call)
    files = form.uploads("file")
    url = form.fields.get("attachmentUrl", call.query("attachmentUrl"))
    title = form.fields.get("title", call.query("title"))
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who, row = parent(conn, call, now, "update")
        if (files and url is not None) or len(files) > 1:
            raise ZohoError("INVALID_DATA", {}, Message.INVALID_DATA_PROVIDED)
        if not files and url is None:
            raise ZohoError("MANDATORY_NOT_FOUND", {}, Message.REQUIRED_FIELD)
        attachment_id = allocate(conn, call.org_id)[0]
        where = {"attachment_id": attachment_id, "module_id": meta.id, "record_id": row.id, "actor_id": call.user_id}
        if files:
            upload = rules.check_file(files[0])
            item = service.attach_file(call.emulator.store, conn, call.org_id, upload=upload, now_ms=now, **where)
        else:
            link, name = rules.check_link(url, title)
            item = service.attach_link(conn, call.org_id, url=link, name=name, now_ms=now, **where)
        reader = who.reader()
    details = {
        "Modified_Time": reader.time(item.modified_ms),
        "Modified_By": reader.user_short(item.modified_by),
        "Created_Time": reader.time(item.created_ms),
        "id": item.id,
        "Created_By": reader.user_short(item.created_by),
    }
    return reply({ENVELOPE: [batch.success(rules.UPLOADED, details)]})


async def list_attachments(call: Call) -> Response:
    """GET: the record's attachments, newest first, ``page``/``per_page`` (at most 200); 204 when none."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who, row = parent(conn, call, now, "read")
        names = rules.wanted(call.query("fields"))
        page = params.page(call, max_per_page=rules.MAX_PER_PAGE)
        ids = record_ids_param(call)
        items = repo.page(conn, row.id, ids=ids, offset=page.offset, limit=page.per_page + 1)
        reader = who.reader()
    more = len(items) > page.per_page
    items = items[: page.per_page]
    if not items:
        return no_content()
    parent_name = row.data.get(meta.display_field)
    data = [
        rules.listed(item, names, module=meta.api_name, parent_name=parent_name, user=reader.user, time=reader.time)
        for item in items
    ]
    info = page.info(len(data), more, next_page_token=None, previous_page_token=None, page_token_expiry=None)
    return reply({ENVELOPE: data, "info": info})


async def download(call: Call) -> Response:
    """GET one: the file's bytes; 204 for an id the record has no attachment by; a link cannot be
    downloaded (DOWNLOAD_NOT_ALLOWED)."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        _, _, row = parent(conn, call, now, "read")
        attachment_id = normalize_id(call.params["attachment_id"])
        item = repo.find(conn, row.id, [attachment_id]).get(attachment_id) if attachment_id else None
        if item is None:
            return no_content()
        if item.is_link:
            raise ZohoError("DOWNLOAD_NOT_ALLOWED")
        data = service.content(call.emulator.store, conn, call.org_id, item)
    headers = {"Content-Disposition": content_disposition(item.file_name)}
    return Response(data, media_type=item.content_type, headers=headers)


def _deleted(attachment_id: str) -> dict[str, object]:
    return batch.success(rules.DELETED, {"id": attachment_id})


async def delete_one(call: Call) -> Response:
    """DELETE one: INVALID_DATA "record not deleted" for an id the record has no attachment by."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        _, _, row = parent(conn, call, now, "update")
        attachment_id = normalize_id(call.params["attachment_id"])
        item = repo.find(conn, row.id, [attachment_id]).get(attachment_id) if attachment_id else None
        if item is None:
            raise ZohoError("INVALID_DATA", {"resource_path_index": 3}, Message.RECORD_NOT_DELETED)
        service.detach(conn, call.org_id, item)
    return reply({ENVELOPE: [_deleted(item.id)]})


async def delete_many(call: Call) -> Response:
    """DELETE ``?ids=``: one result per id (200 all, 207 some, 400 none)."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        _, _, row = parent(conn, call, now, "update")
        if not params.csv(call, "ids"):
            raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"}, Message.EXPECTED_PARAM_MISSING)
        ids = list(dict.fromkeys(record_ids_param(call, limit=rules.MAX_DELETE_IDS)))
        found = repo.find(conn, row.id, ids)
        results = []
        for attachment_id in ids:
            item = found.get(attachment_id)
            if item is None:
                error = ZohoError("INVALID_DATA", {"id": attachment_id}, Message.RECORD_NOT_DELETED)
                results.append(batch.failure(error))
                continue
            service.detach(conn, call.org_id, item)
            results.append(_deleted(attachment_id))
    return batch.answer(ENVELOPE, results, all_ok=200)


ENDPOINTS = [
    Endpoint("POST", PATH, upload, scope("CREATE")),
    Endpoint("GET", PATH, list_attachments, scope("READ")),
    Endpoint("DELETE", PATH, delete_many, scope("DELETE")),
    Endpoint("GET", PATH + "/{attachment_id}", download, scope("READ")),
    Endpoint("DELETE", PATH + "/{attachment_id}", delete_one, scope("DELETE")),
]
