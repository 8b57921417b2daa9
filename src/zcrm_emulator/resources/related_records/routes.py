"""Related lists and related records (OAS related_lists.json, related_records.json).

``GET /settings/related_lists?module=`` (and ``/{id}``): a module's related lists.
``GET|PUT|DELETE /{module}/{record_id}/{related_list}`` and ``…/{related_record_id}``: a record's
related records (paged by number, then by ``page_token``), relating (PUT) and delinking (DELETE).
``GET /{module}/deleted/{record_id}/{related_list}``: a deleted parent's lookup lists. The Notes
list's GET and POST are the Notes resource's (resources/notes), the Attachments list is the
attachments resource's; both come first in the endpoint table.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params, record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.records.calls import module_and_caller, record_ids_param, scope, wanted_fields
from zcrm_emulator.resources.related_records import rules, service, tokens
from zcrm_emulator.resources.related_records.rules import ATTACHMENTS, NOTES, RelatedList
from zcrm_emulator.routing import Call, Endpoint, version_index
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

FIELDS_REQUIRED_SINCE = "v3"  # as GET /{module}: `fields` is mandatory from v3 on
SETTINGS_SCOPE = "ZohoCRM.settings.related_lists"


# --- /settings/related_lists ----------------------------------------------------------------------


def _settings_lists(call: Call) -> service.Lists:
    name = params.required(call, "module")
    module = modules_repo.find(call.conn, call.org_id, name)
    if module is None or not record_model.serves_records(module):
        raise ZohoError("INVALID_MODULE", {"param": "module"})
    return service.lists_of(call.conn, call.org_id, module)


async def list_related_lists(call: Call) -> Response:
    """GET /settings/related_lists?module= (OAS "Get Related Lists"); 204 for a module without any."""
    with call.tx():
        found = _settings_lists(call)
    if not found.entries:
        return no_content()
    shown = [rules.wire(entry, n, found.modules) for n, entry in enumerate(found.entries, start=1)]
    return reply({"related_lists": shown})


async def get_related_list(call: Call) -> Response:
    """GET /settings/related_lists/{id}?module= (OAS "Get Related List"): an array of one; 204 for an
    id that names none of the module's lists."""
    with call.tx():
        found = _settings_lists(call)
    for n, entry in enumerate(found.entries, start=1):
        if entry.id == call.params["list_id"]:
            return reply({"related_lists": [rules.wire(entry, n, found.modules)]})
    return no_content()


# --- /{module}/{record_id}/{related_list} --------------------------------------------------------


def _served_here(entry: RelatedList) -> None:
    """The Attachments list is the attachments resource's: other methods on it are not allowed."""
    if entry.kind == ATTACHMENTS:
        raise ZohoError("INVALID_REQUEST_METHOD", {"resource_path_index": 0})


def _context(
    call: Call, now: int, action: str
) -> tuple[Any, record_model.Caller, RelatedList, record_model.ModuleMeta]:
    meta, who = module_and_caller(call.conn, call, now, action)
    entry = rules.find_list(service.lists_of(call.conn, call.org_id, meta.module).entries, call.params["related"])
    _served_here(entry)
    child = service.child_meta(call.conn, call.org_id, entry, now, call.emulator.memo)
    record_model.check_access(who, child, "read" if action == "read" else "update")
    return meta, who, entry, child


async def list_related(call: Call) -> Response:
    """GET /{module}/{record_id}/{related_list} (OAS "Get Related Records"): 204 when none. Past
    the first 2,000 records by ``page_token``, as record lists (REFERENCE §4.3)."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who, entry, child = _context(call, now, "read")
        parent = service.parent_record(conn, meta, call.params["record_id"])
        names = wanted_fields(call, required=version_index(call.version) >= version_index(FIELDS_REQUIRED_SINCE))
        since = params.if_modified_since(call)
        where = [record_model.modified_after(since // 1000 * 1000 + 999)] if since is not None else []
        paging = tokens.paging(call, child, rules.token_binding(entry, parent.id), now)
        found = service.related_page(
            conn,
            call.org_id,
            entry,
            child,
            parent.id,
            page=paging.page,
            per_page=paging.size,
            where=where,
            after_id=paging.after_id,
        )
        if not found.rows:
            return no_content(304 if since is not None and paging.token is None else 204)
        reader = who.reader(found.names)
        info = tokens.info(call, paging, child, found.rows, found.more, reader, now)
    data = [service.shown(entry, child, row, names, reader, found.links.get(row.id)) for row in found.rows]
    return reply({"data": data, "info": info})


async def list_deleted_parent_related(call: Call) -> Response:
    """GET /{module}/deleted/{record_id}/{related_list} (OAS "Get Deleted Parent Records Related
    Record"): the records a lookup list held for a parent now in the recycle bin; 204 when none."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "read")
        lists = service.lists_of(conn, call.org_id, meta.module).entries
        entry = rules.deleted_parent_list(rules.find_list(lists, call.params["related"], path_index=3))
        child = service.child_meta(conn, call.org_id, entry, now, call.emulator.memo)
        record_model.check_access(who, child, "read")
        parent = service.deleted_parent(conn, meta, call.params["record_id"])
        names = wanted_fields(call, required=version_index(call.version) >= version_index(FIELDS_REQUIRED_SINCE))
        page = params.page(call)
        record_model.check_discrete(page.page, page.per_page)
        only = record_ids_param(call)
        where = [record_model.with_ids(only)] if only else []
        found = service.related_page(
            conn, call.org_id, entry, child, parent.id, page=page.page, per_page=page.per_page, where=where
        )
        if not found.rows:
            return no_content()
        reader = who.reader(found.names)
    data = [service.shown(entry, child, row, names, reader, None) for row in found.rows]
    return reply({"data": data, "info": page.info(len(data), found.more)})


async def get_related(call: Call) -> Response:
    """GET /{module}/{record_id}/{related_list}/{related_record_id} (OAS "Get Related Record"): the
    record when it is related to the parent, else 204."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who, entry, child = _context(call, now, "read")
        parent = service.parent_record(conn, meta, call.params["record_id"])
        names = wanted_fields(call, required=False)
        related_id = normalize_id(call.params["related_id"])
        if related_id is None:
            return no_content()
        found = service.related_page(
            conn, call.org_id, entry, child, parent.id, page=1, per_page=1, where=[record_model.with_ids([related_id])]
        )
        if not found.rows:
            return no_content()
        if params.not_modified(call, found.rows[0].modified_ms):
            return no_content(304)
        reader = who.reader(found.names)
    return reply({"data": [service.shown(entry, child, found.rows[0], names, reader, found.links.get(related_id))]})


def _put_items(call: Call, *, one: bool) -> list[Any]:
    if one and not call.body.strip():
        return [{}]  # PUT …/{related_record_id} needs no body beyond the link's values
    items = items_of(call.json(), "data")
    if len(items) > rules.MAX_ITEMS:
        raise ZohoError("LIMIT_EXCEEDED", {"api_name": "data", "json_path": "$.data", "limit": rules.MAX_ITEMS})
    if one and len(items) > 1:
        raise ZohoError("INVALID_DATA", {"maximum_length": 1, "api_name": "data", "json_path": "$.data"})
    return items


async def relate(call: Call) -> Response:
    """PUT /{module}/{record_id}/{related_list} (OAS "Update Related Records") and
    PUT …/{related_record_id} ("Update Related Record"): 200 all related, 207 mixed, 400 none."""
    now = call.emulator.clock.now_ms()
    one = "related_id" in call.params
    with call.tx() as conn:
        meta, who, entry, child = _context(call, now, "update")
        parent = service.parent_record(conn, meta, call.params["record_id"])
        path_id = None
        if one:
            path_id = normalize_id(call.params["related_id"])
            if path_id is None:
                raise ZohoError("INVALID_DATA", {"resource_path_index": 3}, Message.RELATED_ID_INVALID)
        items = _put_items(call, one=one)
        results = service.relate(
            conn,
            call.org_id,
            who,
            entry,
            child,
            parent.id,
            items,
            path_id=path_id,
            now_ms=now,
            cause=Cause(None, call.request_id),
        )
    return batch.answer("data", results, all_ok=200)


async def delink(call: Call) -> Response:
    """DELETE /{module}/{record_id}/{related_list}?ids= (OAS "Delink Records") and
    DELETE …/{related_record_id} ("Delink Record")."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who, entry, child = _context(call, now, "update")
        if entry.kind == NOTES:
            record_model.check_access(who, child, "delete")
        parent = service.parent_record(conn, meta, call.params["record_id"])
        if "related_id" in call.params:
            child_ids = rules.delink_ids([call.params["related_id"]])
        else:
            child_ids = rules.delink_ids(params.csv(call, "ids"))
        results = service.delink(
            conn, call.org_id, who, entry, child, parent.id, child_ids, now_ms=now, cause=Cause(None, call.request_id)
        )
    return batch.answer("data", results, all_ok=200)


RELATED = "/{module}/{record_id:id}/{related:related}"
ONE_RELATED = RELATED + "/{related_id}"
DELETED_PARENT = "/{module}/deleted/{record_id}/{related:related}"

ENDPOINTS = [
    Endpoint("GET", "/settings/related_lists", list_related_lists, SETTINGS_SCOPE),
    Endpoint("GET", "/settings/related_lists/{list_id}", get_related_list, SETTINGS_SCOPE),
    Endpoint("GET", RELATED, list_related, scope("READ")),
    Endpoint("PUT", RELATED, relate, scope("UPDATE")),
    Endpoint("DELETE", RELATED, delink, scope("DELETE")),
    Endpoint("GET", ONE_RELATED, get_related, scope("READ")),
    Endpoint("GET", DELETED_PARENT, list_deleted_parent_related, scope("READ")),
    Endpoint("PUT", ONE_RELATED, relate, scope("UPDATE")),
    Endpoint("DELETE", ONE_RELATED, delink, scope("DELETE")),
]
