"""``/{module}`` records endpoints (REFERENCE §4.1-§4.8, §4.10; OAS record.json, record_count.json).

Thin HTTP: params and envelopes here, rules in rules.py, the work in the record model
(``zcrm_emulator.record_model``). Errors that refuse a whole write call (unknown module, missing
``data``, more than 100 records …) are put inside the ``data`` array for insert, update, upsert and
the deleted-records list (``errors_in=IN_DATA``), as Zoho's own examples of those operations show;
the other endpoints answer them bare.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params, record_model
from zcrm_emulator.clock import parse_iso
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import PageQuery, PageToken
from zcrm_emulator.resources.custom_views import rules as views_rules
from zcrm_emulator.resources.custom_views import service as views_service
from zcrm_emulator.resources.records import rules
from zcrm_emulator.resources.records.calls import module_and_caller, record_ids_param, scope, wanted_fields
from zcrm_emulator.resources.search import service as search_service
from zcrm_emulator.routing import Call, Endpoint, InEnvelope, version_index
from zcrm_emulator.usage import weights
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

FIELDS_REQUIRED_SINCE = "v3"  # GET /{module} without `fields`: REQUIRED_PARAM_MISSING from v3 (§4.2)


# REFERENCE §6.2: 1 credit per 10 records written; 2 for the deleted-records list; 3 with a cvid.
PER_TEN_RECORDS = weights.per_items("data", weights.RECORDS_PER_CREDIT)
DELETED_LIST = weights.WEIGHTS["deleted_records"]
LIST_CREDITS = weights.with_param("cvid", weights.WEIGHTS["records_with_cvid"])


def unmodified_since(call: Call) -> int | None:
    raw = call.header("if-unmodified-since")
    return parse_iso(raw) if raw else None


# --- reads ----------------------------------------------------------------------------------------


async def list_records(call: Call) -> Response:
    """GET /{module} (OAS record.json "Get Records"); a subform module's rows (``_subform_rows``)."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        try:
            meta, who = module_and_caller(conn, call, now, "read")
        except ZohoError as refused:
            subform = record_model.load_subform(conn, call.org_id, call.params["module"], now, call.emulator.memo)
            if refused.code != "INVALID_MODULE" or subform is None:
                raise
            return _subform_rows(conn, call, subform)
        # `fields` is mandatory from v3 on; older versions list whole records without it.
        names = wanted_fields(call, required=version_index(call.version) >= version_index(FIELDS_REQUIRED_SINCE))
        view = _view_of(conn, call, meta)
        sort_by = params.choice(call, "sort_by", rules.SORT_BY, "id")
        sort_order = params.choice(call, "sort_order", rules.SORT_ORDERS, "desc")
        per_page = params.integer(call, "per_page", record_model.MAX_PER_PAGE, maximum=record_model.MAX_PER_PAGE)
        where = _list_filters(call, meta, views_rules.converted_default(view) if view else "false")
        token_value = call.query("page_token")
        fingerprint = record_model.page_binding(meta.id, dict(call.request.query_params))
        next_token = None
        if view is not None:
            # A view's records are gathered and ordered in full (custom_views.service): pages by
            # number only; no page token is minted for them, so one given belongs to another list.
            if token_value:
                record_model.check_token(
                    record_model.get_page_token(conn, token_value),
                    org_id=call.org_id,
                    user_id=call.user_id,
                    fingerprint=fingerprint,
                    now_ms=now,
                )
            page_number = params.integer(call, "page", 1)
            record_model.check_discrete(page_number, per_page)
            matched = views_service.records_in(
                conn, call.org_id, meta, view, actor=call.user_id, now_ms=now, where=tuple(where)
            )
            start = (page_number - 1) * per_page
            rows, more, previous = matched[start : start + per_page], len(matched) > start + per_page, None
            sort_by, sort_order = views_rules.sort_info(view)
            token_value = None
        elif token_value:
            if call.query("page"):
                raise ZohoError(
                    "AMBIGUITY_DURING_PROCESSING",
                    {"ambiguity_due_to": [{"param_name": "page"}, {"param_name": "page_token"}]},
                )
            token = record_model.check_token(
                record_model.get_page_token(conn, token_value),
                org_id=call.org_id,
                user_id=call.user_id,
                fingerprint=fingerprint,
                now_ms=now,
            )
            size = record_model.token_page_size(token, per_page)
            query = PageQuery(
                rules.SORT_BY[sort_by], sort_order == "desc", size + 1, 0, token.after_sort, token.after_id
            )
            page_number, served_before, previous = token.page, token.served, token.previous_token
        else:
            page_number = params.integer(call, "page", 1)
            record_model.check_discrete(page_number, per_page)
            size = per_page
            query = PageQuery(rules.SORT_BY[sort_by], sort_order == "desc", size + 1, (page_number - 1) * per_page)
            served_before, previous = (page_number - 1) * per_page, None
        if view is None:
            rows = record_model.list_records(conn, meta.id, query, *where)
            more = len(rows) > size
            rows = rows[:size]
        if not rows:
            return no_content(304 if params.if_modified_since(call) is not None and not token_value else 204)
        if more and view is None:
            next_token = _mint_token(
                conn,
                call,
                meta.id,
                fingerprint,
                rows[-1],
                query.sort,
                served_before + len(rows),
                page_number + 1,
                token_value,
                now,
            )
        reader = who.reader(record_model.lookup_names(conn, call.org_id, meta, rows))
    data = [
        record_model.listed_record(meta, row, names, reader)
        if names is not None
        else record_model.full_record(meta, row, reader)
        for row in rows
    ]
    info = record_model.list_info(
        per_page=per_page,
        count=len(data),
        page=page_number,
        more_records=more,
        sort_by=sort_by,
        sort_order=sort_order,
        next_page_token=next_token.token if next_token else None,
        previous_page_token=previous,
        page_token_expiry=reader.time(next_token.expires_ms) if next_token else None,
    )
    return reply({"data": data, "info": info})


def _subform_rows(conn: Any, call: Call, subform: record_model.SubformPath) -> Response:
    """GET /{subform module} (the Subform API page: ``fields`` mandatory, at most 50): the rows of
    every record of the parent module the caller may read, by row id, paged by number."""
    who = record_model.caller(conn, call.org_id, call.user_id, call.emulator.memo)
    record_model.check_access(who, subform.parent, "read")
    names = wanted_fields(call, required=True) or []
    sort_order = params.choice(call, "sort_order", rules.SORT_ORDERS, "desc")
    per_page = params.integer(call, "per_page", record_model.MAX_PER_PAGE, maximum=record_model.MAX_PER_PAGE)
    page_number = params.integer(call, "page", 1)
    record_model.check_discrete(page_number, per_page)
    since = params.if_modified_since(call)
    found, more = record_model.subform_rows(
        conn,
        subform,
        descending=sort_order == "desc",
        limit=per_page,
        offset=(page_number - 1) * per_page,
        modified_after_ms=None if since is None else since // 1000 * 1000 + 999,  # whole seconds, as records
    )
    if not found:
        return no_content(304 if since is not None else 204)
    parents = list({parent.id: parent for parent, _ in found}.values())
    reader = who.reader(record_model.lookup_names(conn, call.org_id, subform.parent, parents))
    data = [record_model.listed_subform_row(subform.meta, parent, row, names, reader) for parent, row in found]
    info = record_model.list_info(
        per_page=per_page,
        count=len(data),
        page=page_number,
        more_records=more,
        sort_by="id",
        sort_order=sort_order,
        next_page_token=None,
        previous_page_token=None,
        page_token_expiry=None,
    )
    return reply({"data": data, "info": info})


def _view_of(conn: Any, call: Call, meta: record_model.ModuleMeta) -> dict[str, Any] | None:
    """The custom view ``cvid`` names (REFERENCE §4.2): not with ``sort_by``; unknown, INVALID_DATA."""
    cvid = call.query("cvid")
    if not cvid:
        return None
    if call.query("sort_by"):
        due_to = [{"param_name": "cvid"}, {"param_name": "sort_by"}]
        raise ZohoError("AMBIGUITY_DURING_PROCESSING", {"ambiguity_due_to": due_to})
    return views_service.view_param(conn, call.org_id, meta, cvid)


def _list_filters(call: Call, meta: record_model.ModuleMeta, converted_default: str = "false") -> list[Any]:
    where: list[Any] = []
    ids = record_ids_param(call)
    if ids:
        where.append(record_model.with_ids(ids))
    converted = params.choice(call, "converted", rules.CONVERTED_VALUES, converted_default)
    if "Converted__s" in meta.by_name and converted != "both":
        where.append(record_model.converted(converted == "true"))
    since = params.if_modified_since(call)
    if since is not None:
        where.append(record_model.modified_after(since // 1000 * 1000 + 999))
    return where


def _mint_token(
    conn: Any,
    call: Call,
    module_id: str,
    fingerprint: str,
    last: record_model.RecordRow,
    sort: str,
    served: int,
    page: int,
    via: str | None,
    now: int,
) -> PageToken:
    sort_value = None if sort == "id" else getattr(last, sort)
    token = PageToken(
        token=secrets.token_hex(32),
        org_id=call.org_id,
        user_id=call.user_id,
        module_id=module_id,
        binding=fingerprint,
        after_sort=sort_value,
        after_id=last.id,
        served=served,
        page=page,
        previous_token=via,
        created_ms=now,
        expires_ms=now + record_model.PAGE_TOKEN_LIFETIME_MS,
    )
    record_model.keep_page_token(conn, token, now, call.emulator.memo)
    return token


async def get_record(call: Call) -> Response:
    """GET /{module}/{id}; an id naming no live record answers 204 (docs/decisions.md, §9 #22)."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "read")
        names = wanted_fields(call, required=False)
        record_id = normalize_id(call.params["record_id"])
        row = record_model.get_records(conn, meta.id, [record_id]).get(record_id) if record_id else None
        if row is None:
            return no_content()
        if params.not_modified(call, row.modified_ms):
            return no_content(304)
        reader = who.reader(record_model.lookup_names(conn, call.org_id, meta, [row]))
    shown = (
        record_model.full_record(meta, row, reader)
        if names is None
        else record_model.listed_record(meta, row, names, reader)
    )
    return reply({"data": [shown]})


async def list_deleted(call: Call) -> Response:
    """GET /{module}/deleted?type=all|recycle|permanent (OAS "Get Deleted Records")."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "read")
        kind = call.query("type") or "all"
        if kind not in rules.DELETED_TYPES:
            raise ZohoError("PATTERN_NOT_MATCHED", {"param_name": "type"})
        page = params.page(call)
        border = now - record_model.RECYCLE_BIN_RETENTION_MS
        since = params.if_modified_since(call)
        after = [border] if kind == "recycle" else []
        if since is not None:  # only deletions after that second
            after.append(since // 1000 * 1000 + 999)
        rows = record_model.list_deleted(
            conn,
            meta.id,
            recycled_after_ms=max(after) if after else None,
            recycled_before_ms=border if kind == "permanent" else None,
            offset=page.offset,
            limit=page.per_page + 1,
        )
    more = len(rows) > page.per_page
    rows = rows[: page.per_page]
    if not rows:
        return no_content(304 if since is not None else 204)
    reader = who.reader()
    data = [
        record_model.deleted_entry(row, meta, reader, "recycle" if (row.deleted_ms or 0) > border else "permanent")
        for row in rows
    ]
    return reply({"data": data, "info": page.info(len(data), more)})


async def count_records(call: Call) -> Response:
    """GET /{module}/actions/count (OAS record_count.json): ``{"count": N}`` as a number (§9 #24)."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, _ = module_and_caller(conn, call, now, "read")
        query = dict(call.request.query_params)
        count = search_service.count(conn, call.org_id, meta, query, actor=call.user_id, now_ms=now)
    return reply({"count": count})


# --- writes ---------------------------------------------------------------------------------------


def _items(call: Call) -> tuple[list[Any], Cause]:
    """The call's records (at most 100) and why they are written (its ``trigger`` and request id)."""
    payload = call.json()
    items = items_of(payload, "data")
    rules.write_limit(items)
    return items, Cause(rules.check_trigger(payload.get("trigger")), call.request_id)


# Request-level errors of insert, update, upsert and the deleted list go inside ``data``.
IN_DATA = InEnvelope("data")


async def insert_records(call: Call) -> Response:
    """POST /{module} (OAS "Create Records"): 201 all added, 207 mixed, 400 none."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "create")
        items, cause = _items(call)
        checks = record_model.check_duplicate_fields(meta, call.json().get("duplicate_check_fields"))
        results = record_model.insert(
            conn, call.org_id, who, meta, items, now_ms=now, duplicate_check_fields=checks, cause=cause
        )
    return batch.answer("data", results, all_ok=201)


async def update_records(call: Call) -> Response:
    """PUT /{module} (``id`` in each item) and PUT /{module}/{id} (OAS "Update Records")."""
    now = call.emulator.clock.now_ms()
    path_id = None
    if "record_id" in call.params:
        path_id = normalize_id(call.params["record_id"])
        if path_id is None:
            raise ZohoError("INVALID_DATA", {"resource_path_index": 0}, Message.INVALID_RECORD_ID)
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "update")
        items, cause = _items(call)
        results = record_model.update(
            conn,
            call.org_id,
            who,
            meta,
            items,
            now_ms=now,
            path_id=path_id,
            unmodified_since_ms=unmodified_since(call),
            cause=cause,
        )
    return batch.answer("data", results, all_ok=200)


async def upsert_records(call: Call) -> Response:
    """POST /{module}/upsert (OAS "Upsert Records"): 200 all done, 207 mixed, 400 none."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "create")
        items, cause = _items(call)
        checks = record_model.check_duplicate_fields(meta, call.json().get("duplicate_check_fields"))
        results = record_model.upsert(
            conn,
            call.org_id,
            who,
            meta,
            items,
            now_ms=now,
            duplicate_check_fields=checks,
            unmodified_since_ms=unmodified_since(call),
            cause=cause,
        )
    return batch.answer("data", results, all_ok=200)


async def delete_records(call: Call) -> Response:
    """DELETE /{module}?ids=… (OAS "Delete Records"): up to 100 ids, each to the recycle bin."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "delete")
        if not params.csv(call, "ids"):
            raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"}, Message.EXPECTED_PARAM_MISSING)
        record_ids = record_ids_param(call, limit=rules.MAX_WRITE_ITEMS)
        cause = Cause(None, call.request_id)
        results = record_model.delete(conn, call.org_id, who, meta, record_ids, now_ms=now, cause=cause)
    return batch.answer("data", results, all_ok=200)


async def delete_record(call: Call) -> Response:
    """DELETE /{module}/{id}: a bad or unknown id is a bare INVALID_DATA Message.INVALID_RECORD_ID."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "delete")
        record_id = normalize_id(call.params["record_id"])
        if record_id is None or not record_model.get_records(conn, meta.id, [record_id]):
            raise ZohoError("INVALID_DATA", {"resource_path_index": 0}, Message.INVALID_RECORD_ID)
        cause = Cause(None, call.request_id)
        results = record_model.delete(conn, call.org_id, who, meta, [record_id], now_ms=now, cause=cause)
    return batch.answer("data", results, all_ok=200)


# Specific paths first: /{module}/{record_id} would otherwise take "upsert", "deleted" …; the
# search endpoints (another resource) must be listed before ``ONE_RECORD_ENDPOINTS`` too.
ENDPOINTS = [
    Endpoint("GET", "/{module}", list_records, scope("READ"), credits=LIST_CREDITS),
    Endpoint("POST", "/{module}", insert_records, scope("CREATE"), credits=PER_TEN_RECORDS, errors_in=IN_DATA),
    Endpoint("PUT", "/{module}", update_records, scope("UPDATE"), credits=PER_TEN_RECORDS, errors_in=IN_DATA),
    Endpoint("DELETE", "/{module}", delete_records, scope("DELETE")),
    Endpoint("POST", "/{module}/upsert", upsert_records, scope("CREATE"), credits=PER_TEN_RECORDS, errors_in=IN_DATA),
    Endpoint("GET", "/{module}/deleted", list_deleted, scope("READ"), credits=DELETED_LIST, errors_in=IN_DATA),
    Endpoint("GET", "/{module}/actions/count", count_records, scope("READ")),
]
ONE_RECORD_ENDPOINTS = [
    Endpoint("GET", "/{module}/{record_id}", get_record, scope("READ")),
    Endpoint(
        "PUT", "/{module}/{record_id}", update_records, scope("UPDATE"), credits=PER_TEN_RECORDS, errors_in=IN_DATA
    ),
    Endpoint("DELETE", "/{module}/{record_id}", delete_record, scope("DELETE")),
]
