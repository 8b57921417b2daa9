"""``/settings/tags`` (a module's tags), ``/{module}/…/actions/add_tags|remove_tags`` (records' tags),
the tag actions (merge, records_count) and mass delete: OAS tags.json, tags_actions.json and
mass_delete_tags.json.

Settings calls name the module in ``?module=`` (REQUIRED_PARAM_MISSING without it); record calls in
the path. Create answers 201, every other write 200 (207 mixed); records' results are one item per
record in ``data``. Errors in a record call's ``tags`` input are request-level: a tag of the wrong
shape inside ``tags``, the others bare, as tags_actions.json shows them (docs/decisions.md "Tags").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params, record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.records import rules as record_rules
from zcrm_emulator.resources.records.calls import module_and_caller
from zcrm_emulator.resources.records.calls import scope as record_scope
from zcrm_emulator.resources.tags import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import at, items_of
from zcrm_emulator.wire import reply

ENVELOPE = rules.ENVELOPE
SCOPE = "ZohoCRM.settings.tags"


def _record_scope(operation: str) -> Callable[[Call], Sequence[str]]:
    """The v8 pages ask for the module's record scope; tags_actions.json for the tags scope: either."""
    records = record_scope(operation)
    return lambda call: [*records(call), f"{SCOPE}.{operation}"]


def _context(conn: Connection, call: Call, now_ms: int) -> service.Context:
    """The ``module`` param's module and the caller."""
    name = call.query("module")
    if name is None or not name.strip():
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "module"}, Message.TAG_PARAM_MISSING)
    meta = service.module_of(conn, call.org_id, name.strip(), now_ms, call.emulator.memo)
    who = _caller(conn, call)
    return service.Context(conn, call.org_id, who, meta, now_ms)


def _caller(conn: Connection, call: Call) -> record_model.Caller:
    call.actor(conn)  # INVALID_TOKEN for a token that outlived its user
    return record_model.caller(conn, call.org_id, call.user_id, call.emulator.memo)


def _tag_in_path(ctx: service.Context, call: Call) -> dict[str, Any]:
    return service.tag_in_module(ctx, normalize_id(call.params["tag_id"]), {"resource_path_index": 0})


def _answer(results: list[batch.Item], tags: dict[str, dict[str, Any]], all_ok: int) -> Response:
    """Per-item results, successes with the tag's details (tags.json Success_Response)."""
    for item in results:
        if item["status"] == "success":
            item["details"] = rules.write_details(tags[item["details"]["id"]])
    return batch.answer(ENVELOPE, results, all_ok=all_ok)


def _keep(tags: dict[str, dict[str, Any]], write: Callable[[], dict[str, Any]]) -> Callable[[], str]:
    def run() -> str:
        tag = write()
        tags[tag["id"]] = tag
        return str(tag["id"])

    return run


async def list_tags(call: Call) -> Response:
    """GET /settings/tags?module=X (``my_tags=true``: the caller's own), with ``info``."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        ctx = _context(conn, call, now)
        tags = repo.in_module(conn, call.org_id, ctx.meta.id)
        limit = record_model.tag_limits(conn, call.org_id).per_module
    if (call.query("my_tags") or "").strip().lower() == "true":  # any other value: every tag
        tags = [tag for tag in tags if (tag.get("created_by") or {}).get("id") == call.user_id]
    return reply({ENVELOPE: tags, "info": {"count": len(tags), "allowed_count": limit}})


async def create_tags(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        ctx = _context(conn, call, now)
        color = call.query("color_code") or None
        if color is not None and color not in rules.COLORS:
            raise ZohoError("INVALID_DATA", {"param_name": "color_code", "supported_values": list(rules.COLORS)})
        items = items_of(call.json(), ENVELOPE)
        record_model.tag_take_turns(conn, ctx.meta.id)
        made: dict[str, dict[str, Any]] = {}
        results = [
            batch.attempt(
                conn,
                rules.CREATED,
                _keep(made, partial(service.create_tag, ctx, item, f"$.{ENVELOPE}[{i}]", color)),
                json_path=f"$.{ENVELOPE}[{i}]",
            )
            for i, item in enumerate(items)
        ]
    return _answer(results, made, 201)


async def update_tags(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        ctx = _context(conn, call, now)
        items = items_of(call.json(), ENVELOPE)
        record_model.tag_take_turns(conn, ctx.meta.id)
        done: dict[str, dict[str, Any]] = {}
        results = [
            batch.attempt(
                conn,
                rules.UPDATED,
                _keep(done, partial(service.update_item, ctx, item, f"$.{ENVELOPE}[{i}]")),
                json_path=f"$.{ENVELOPE}[{i}]",
            )
            for i, item in enumerate(items)
        ]
    return _answer(results, done, 200)


async def update_tag(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        ctx = _context(conn, call, now)
        tag = _tag_in_path(ctx, call)
        items = items_of(call.json(), ENVELOPE, max_items=1)
        record_model.tag_take_turns(conn, ctx.meta.id)
        done: dict[str, dict[str, Any]] = {}
        path = f"$.{ENVELOPE}[0]"
        write = _keep(done, lambda: service.update_tag(ctx, tag, items[0], path))
        results = [batch.attempt(conn, rules.UPDATED, write, json_path=path)]
    return _answer(results, done, 200)


async def delete_tag(call: Call) -> Response:
    """DELETE /settings/tags/{id}: the tag goes; records no longer show it."""
    with call.tx() as conn:
        tag_id = normalize_id(call.params["tag_id"])
        stored = repo.TAGS.get(conn, call.org_id, tag_id) if tag_id else None
        if stored is None:
            raise ZohoError("INVALID_DATA", {"resource_path_index": 0}, Message.TAG_UNKNOWN_ID)
        service.delete_tag(conn, stored.id)
    return _answer([batch.success(rules.DELETED, {"id": stored.id})], {stored.id: stored.data}, 200)


async def merge_tags(call: Call) -> Response:
    """POST /settings/tags/{id}/actions/merge ``{"tags": [{"conflict_id"}]}``: the path's tag merges
    into the conflict tag, whose details answer."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        tag_id = normalize_id(call.params["tag_id"])
        stored = repo.TAGS.get(conn, call.org_id, tag_id) if tag_id else None
        module = modules_repo.find(conn, call.org_id, stored.scope_id) if stored is not None else None
        if stored is None or module is None:
            raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": "$.id"}, Message.TAG_UNKNOWN_ID)
        item = service.merge_item(_record_action_body(call))
        path = f"$.{ENVELOPE}[0]"
        meta = record_model.load_module(conn, call.org_id, module.api_name, now, call.emulator.memo)
        ctx = service.Context(conn, call.org_id, _caller(conn, call), meta, now)
        into = service.tag_in_module(ctx, normalize_id(item["conflict_id"]), at(path, "conflict_id"))
        if into["id"] == stored.id:
            raise ZohoError("INVALID_DATA", at(path, "conflict_id"), Message.TAG_UNKNOWN_ID)
        service.merge(ctx, stored.data, into, Cause(None, call.request_id))
    return _answer([batch.success(rules.MERGED, {"id": into["id"]})], {into["id"]: into}, 200)


async def records_count(call: Call) -> Response:
    """GET /settings/tags/{id}/actions/records_count?module=X: ``{"count": "N"}``."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        ctx = _context(conn, call, now)
        tag_id = normalize_id(call.params["tag_id"])
        stored = repo.TAGS.get(conn, call.org_id, tag_id) if tag_id else None
        if stored is None or stored.scope_id != ctx.meta.id:
            raise ZohoError("TAG_ID_NOT_FOUND", {})
        count = service.records_count(ctx, stored.id)
    return reply({"count": str(count)})


async def mass_delete(call: Call) -> Response:
    """POST /settings/tags/actions/mass_delete: 202 SCHEDULED with the job id; the job has run
    when the call answers (docs/decisions.md "Tags")."""
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        call.actor(conn)
        job_id = service.mass_delete(conn, call.org_id, call.json(), now)
    return reply(batch.success(rules.SCHEDULED, {"job_id": job_id}, code="SCHEDULED"), status=202)


async def mass_delete_status(call: Call) -> Response:
    """GET /settings/tags/actions/mass_delete?job_id=: the job's counts and status."""
    job_id = params.required(call, "job_id")
    with call.tx() as conn:
        job = repo.get_job(conn, call.org_id, job_id) if normalize_id(job_id) else None
    if job is None:
        error = ZohoError("INVALID_DATA", {"job_id": job_id})
        return reply({"mass_delete": [error.as_item()]}, status=error.status)
    return reply({"mass_delete": [job]})


# --- records ------------------------------------------------------------------------------------------


def _over_write(call: Call, body: dict[str, Any]) -> bool:
    value = body.get("over_write")
    if value is None:
        value = params.choice(call, "over_write", ("true", "false"), "false") == "true"
    if not isinstance(value, bool):
        raise ZohoError("INVALID_DATA", at("$", "over_write", expected_data_type="boolean"))
    return value


def _record_action_body(call: Call) -> dict[str, Any]:
    """The body of a record action or a merge; one that is no JSON object has no ``tags``
    (tags_actions.json answers that INVALID_DATA on ``tags``)."""
    try:
        return call.json()
    except ZohoError:
        raise ZohoError("INVALID_DATA", {"api_name": "tags", "json_path": "$.tags"}) from None


async def _retag(call: Call, *, adding: bool, one_record: bool) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        try:
            meta, who = module_and_caller(conn, call, now, "update")
        except ZohoError as error:
            if error.code == "INVALID_MODULE":  # tags_actions.json: details {}
                raise ZohoError("INVALID_MODULE", {}) from None
            raise
        rules.check_supported("Tag" in meta.by_name)
        body = _record_action_body(call)
        ctx = service.Context(conn, call.org_id, who, meta, now)
        if one_record:
            record_ids = [call.params["record_id"]]
        elif "ids" in body or adding:
            record_ids = service.record_ids(body.get("ids"), "$.ids")
        else:  # tags.json: remove_tags takes ``ids`` as a param too
            record_ids = service.record_ids(params.csv(call, "ids") or None, "$.ids")
        over_write = _over_write(call, body) if adding else False
        try:
            given = service.given_tags(ctx, body.get(ENVELOPE), adding=adding)
        except ZohoError as error:
            if error.message not in WRAPPED_MESSAGES:
                raise
            return reply({ENVELOPE: [error.as_item()]}, status=error.status)  # nothing written yet
        cause = Cause(record_rules.check_trigger(body.get("trigger")), call.request_id)
        results = service.retag(ctx, record_ids, given, adding=adding, over_write=over_write, cause=cause)
    status = batch.batch_status(results, all_ok=200)
    ok = sum(1 for item in results if item["status"] == "success")
    answer: dict[str, Any] = {"data": batch.strip_internal(results)}
    if adding:
        answer["success_count"] = str(ok)
    answer["locked_count"] = "0"
    return reply(answer, status=status)


async def add_tags_to_record(call: Call) -> Response:
    return await _retag(call, adding=True, one_record=True)


async def remove_tags_from_record(call: Call) -> Response:
    return await _retag(call, adding=False, one_record=True)


async def add_tags(call: Call) -> Response:
    return await _retag(call, adding=True, one_record=False)


async def remove_tags(call: Call) -> Response:
    return await _retag(call, adding=False, one_record=False)


def _record_credits(call: Call) -> int:
    """1 credit per 50 records (REFERENCE §6.2)."""
    try:
        body = call.json()
    except ZohoError:
        return 1
    record_ids = body.get("ids")
    count = len(record_ids) if isinstance(record_ids, list) else 1
    return max(1, -(-count // 50))


# A tag of a record call's ``tags`` input that is not a tag's shape is refused inside ``tags``
# ("Invalid data", "Invalid data type"); every other error is bare (tags_actions.json).
WRAPPED_MESSAGES = frozenset({Message.TAG_INVALID_DATA, Message.TAG_INVALID_TYPE})


def _settings(method: str, path: str, handler: Any, operation: str) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, operation=operation)


ENDPOINTS = [
    _settings("GET", "/settings/tags", list_tags, "READ"),
    _settings("POST", "/settings/tags/actions/mass_delete", mass_delete, "DELETE"),
    _settings("GET", "/settings/tags/actions/mass_delete", mass_delete_status, "READ"),
    _settings("POST", "/settings/tags", create_tags, "CREATE"),
    _settings("PUT", "/settings/tags", update_tags, "UPDATE"),
    _settings("PUT", "/settings/tags/{tag_id}", update_tag, "UPDATE"),
    _settings("DELETE", "/settings/tags/{tag_id}", delete_tag, "DELETE"),
    _settings("POST", "/settings/tags/{tag_id}/actions/merge", merge_tags, "UPDATE"),
    _settings("GET", "/settings/tags/{tag_id}/actions/records_count", records_count, "READ"),
]
# Record paths: listed before the records' own (``/{module}/{record_id}`` would take them).
RECORD_ENDPOINTS = [
    Endpoint("POST", "/{module}/actions/add_tags", add_tags, _record_scope("UPDATE"), credits=_record_credits),
    Endpoint("POST", "/{module}/actions/remove_tags", remove_tags, _record_scope("UPDATE"), credits=_record_credits),
    Endpoint("POST", "/{module}/{record_id}/actions/add_tags", add_tags_to_record, _record_scope("UPDATE")),
    Endpoint("POST", "/{module}/{record_id}/actions/remove_tags", remove_tags_from_record, _record_scope("UPDATE")),
]
