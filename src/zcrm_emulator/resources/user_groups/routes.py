"""``/settings/user_groups`` and a user's groups (OAS user_groups.json; OASx createGroup, updateGroup,
deleteGroup, getUserGroupSources, getUserGroupAssociations, getAssociatedGroupsForUser; the v7/v8
"User Groups" pages; the SDK's user_groups models for the shapes the file leaves out).

Reads answer 204 when there is nothing to show. Writes answer one result per item inside
``user_groups`` (create 201, the rest 200, 207 mixed); a delete answers SCHEDULED with the job whose
status ``actions/deletion_jobs`` reads. A path id no group has is a bare INVALID_DATA at its
segment. Writes need the caller's profile to allow managing users.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.territories import rules as filters
from zcrm_emulator.resources.territories.rules import one_item
from zcrm_emulator.resources.user_groups import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.user_groups"
PERMISSION = "Crm_Implied_Manage_Users"
ENVELOPE = rules.ENVELOPE


def _context(call: Call) -> service.Context:
    return service.Context.of(call)


def _path_group(ctx: service.Context, raw: str) -> rules.Group:
    group_id = normalize_id(raw)
    group = repo.get_group(ctx.conn, ctx.org_id, group_id) if group_id else None
    if group is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": rules.PATH_INDEX}, Message.GROUP_ID_INVALID)
    return group


def _page(call: Call, rows: list[Any], key: str) -> Response:
    shown, info = params.page(call).slice(rows)
    return reply({key: shown, "info": info}) if shown else no_content()


def _chosen(call: Call, groups: list[rules.Group]) -> list[rules.Group]:
    """Groups by the ``name`` and ``filters`` params (OASx getGroups: name contains / starts_with)."""
    criteria = filters.parse_name_filter(call.query("filters"))
    name = call.query("name")
    return [
        g
        for g in groups
        if filters.matches(g, criteria) and (name is None or g["name"].casefold() == name.strip().casefold())
    ]


# --- reads -----------------------------------------------------------------------------------------
async def list_groups(call: Call) -> Response:
    include = rules.parse_include(call.query("include"))
    with call.tx():
        ctx = _context(call)
        everything = service.org(ctx)
        groups = _chosen(call, list(everything.groups.values()))
        rows = [rules.summary(service.shown(everything, g), include) for g in groups]
    return _page(call, rows, ENVELOPE)


async def get_group(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        group_id = normalize_id(call.params["group"])
        group = repo.get_group(ctx.conn, ctx.org_id, group_id) if group_id else None
        if group is None:
            return no_content()
        wire = service.shown(service.org(ctx), group)
    return reply({ENVELOPE: [wire], "info": params.Page(1, 1).info(1, False)})


async def group_sources(call: Call) -> Response:
    kind = call.query("type")
    if kind not in (None, "") and kind not in rules.SOURCE_TYPES:
        details = {"regex": rules.SOURCE_TYPE_REGEX, "param_name": "type"}
        raise ZohoError("PATTERN_NOT_MATCHED", details, Message.GROUP_SOURCE_TYPE_PATTERN)
    user_type = params.choice(call, "user_type", rules.USER_STATUSES, "")
    with call.tx():
        ctx = _context(call)
        group = _path_group(ctx, call.params["group"])
        everything = service.org(ctx)
        sources = service.shown(everything, group)["sources"]
    sources = [s for s in sources if not kind or s["type"] == kind]
    if user_type:
        users = everything.users
        sources = [s for s in sources if s["type"] != "users" or users[s["source"]["id"]].get("status") == user_type]
    return _page(call, sources, "sources")


async def sources_count(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        group = _path_group(ctx, call.params["group"])
        counts = service.shown(service.org(ctx), group)["sources_count"]
    return reply({"sources_count": [counts]})


async def group_associations(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        group = _path_group(ctx, call.params["group"])
        found = service.associations(service.org(ctx), group)
    return reply({"associations": found}) if found else no_content()


async def associated_users_count(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        everything = service.org(ctx)
        rows = [
            {"user_group": {"name": g["name"], "id": g["id"]}, "count": len(service.members(everything, g))}
            for g in _chosen(call, list(everything.groups.values()))
        ]
    return _page(call, rows, "associated_users_count")


async def grouped_counts(call: Call) -> Response:
    params.required(call, "group_by")
    params.choice(call, "group_by", ("status",), "status")
    with call.tx():
        ctx = _context(call)
        group = _path_group(ctx, call.params["group"])
        counts = service.member_statuses(service.org(ctx), group)
    rows = [{"status": status, "count": count} for status, count in counts.items() if count]
    return _page(call, rows, "grouped_counts")


async def deletion_job(call: Call) -> Response:
    raw = params.required(call, "job_id")
    with call.tx() as conn:
        job_id = normalize_id(raw)
        job = repo.get_job(conn, call.org_id, job_id) if job_id else None
    if job is None:  # no such deletion: nothing to report (the file's 204)
        return no_content()
    return reply({"deletion_jobs": [{"Status": job["Status"]}]})


async def groups_of_user(call: Call) -> Response:
    include = rules.parse_include(call.query("include"))
    with call.tx():
        ctx = _context(call)
        user_id = normalize_id(call.params["user"])
        everything = service.org(ctx)
        if user_id is None or user_id not in everything.users:
            raise ZohoError("INVALID_DATA", {"resource_path_index": 1}, Message.UNKNOWN_ID)
        rows = [
            rules.summary(service.shown(everything, g), include)
            for g in everything.groups.values()
            if user_id in service.members(everything, g)
        ]
    return _page(call, rows, ENVELOPE)


async def _assigned(call: Call, key: str, *, assigned: bool) -> Response:
    body = rules.check_assign_body(call.json(), key)
    criteria = None if body["filters"] is None else _body_filter(body["filters"], key)
    with call.tx():
        ctx = _context(call)
        everything = service.org(ctx)
        user_id = body["related_entity_id"]
        if user_id not in everything.users:
            details = {"api_name": "related_entity_id", "json_path": f"$.{key}.related_entity_id"}
            raise ZohoError("INVALID_DATA", details, Message.UNKNOWN_ID)
        rows = [
            rules.summary(service.shown(everything, g))
            for g in everything.groups.values()
            if (user_id in service.members(everything, g)) == assigned and filters.matches(g, criteria)
        ]
    page = params.Page(body["page"], body["per_page"])
    shown, info = page.slice(rows)
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


def _body_filter(value: Any, key: str) -> dict[str, Any] | None:
    """The body's ``filters``: a criterion object, read as the ``filters`` param is."""
    try:
        return filters.parse_name_filter(json.dumps(value))
    except ZohoError:
        details = {"api_name": "filters", "json_path": f"$.{key}.filters"}
        raise ZohoError("INVALID_DATA", details) from None


async def get_assigned(call: Call) -> Response:
    return await _assigned(call, "get_assigned", assigned=True)


async def get_unassigned(call: Call) -> Response:
    return await _assigned(call, "get_unassigned", assigned=False)


# --- writes ----------------------------------------------------------------------------------------
def _create_item(ctx: service.Context, item: Any, path: str) -> str:
    return str(service.create(ctx, item, path)["id"])


def _update_item(ctx: service.Context, item: Any, path: str, group: rules.Group | None) -> str:
    if group is None:
        if not isinstance(item, dict):
            raise ZohoError(
                "INVALID_DATA", {"api_name": ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"}
            )
        if item.get("id") in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": f"{path}.id"})
        group_id = normalize_id(item["id"])
        group = repo.get_group(ctx.conn, ctx.org_id, group_id) if group_id else None
        if group is None:
            raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{path}.id"}, Message.GROUP_ID_INVALID)
    return str(service.update(ctx, group, item, path)["id"])


def _items(call: Call, message: str, write: Callable[[service.Context, Any, str], str], all_ok: int) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = batch.each(ctx.conn, ENVELOPE, items, message, partial(write, ctx))
    return batch.answer(ENVELOPE, results, all_ok=all_ok)


async def create_groups(call: Call) -> Response:
    return _items(call, rules.CREATED, _create_item, 201)


async def update_groups(call: Call) -> Response:
    return _items(call, rules.UPDATED, partial(_update_with, None), 200)


def _update_with(group: rules.Group | None, ctx: service.Context, item: Any, path: str) -> str:
    return _update_item(ctx, item, path, group)


async def update_group(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        group = _path_group(ctx, call.params["group"])
        items = one_item(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        path = f"$.{ENVELOPE}[0]"
        write = partial(_update_item, ctx, items[0], path, group)
        result = batch.attempt(ctx.conn, rules.UPDATED, write, json_path=path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def delete_group(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        group = _path_group(ctx, call.params["group"])
        service.take_turns(ctx.conn, ctx.org_id)
        job_id = service.delete(ctx, group)
    scheduled = batch.success(rules.DELETION_SCHEDULED, {"job_id": job_id}, code="SCHEDULED")
    return batch.answer(ENVELOPE, [scheduled], all_ok=200)


def _write(method: str, path: str, handler: Callable[[Call], Any]) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, permission=PERMISSION)


G = "/settings/user_groups"
ENDPOINTS = [
    Endpoint("GET", f"{G}/actions/deletion_jobs", deletion_job, SCOPE),
    Endpoint("GET", f"{G}/actions/associated_users_count", associated_users_count, SCOPE),
    Endpoint("POST", f"{G}/actions/get_assigned", get_assigned, SCOPE, operation="READ"),
    Endpoint("POST", f"{G}/actions/get_unassigned", get_unassigned, SCOPE, operation="READ"),
    Endpoint("GET", G, list_groups, SCOPE),
    _write("POST", G, create_groups),
    _write("PUT", G, update_groups),
    Endpoint("GET", f"{G}/{{group}}/sources", group_sources, SCOPE),
    Endpoint("GET", f"{G}/{{group}}/actions/sources_count", sources_count, SCOPE),
    Endpoint("GET", f"{G}/{{group}}/actions/associations", group_associations, SCOPE),
    Endpoint("GET", f"{G}/{{group}}/associated_users/actions/grouped_counts", grouped_counts, SCOPE),
    Endpoint("GET", f"{G}/{{group}}", get_group, SCOPE),
    _write("PUT", f"{G}/{{group}}", update_group),
    _write("DELETE", f"{G}/{{group}}", delete_group),
    Endpoint("GET", "/users/{user}/actions/associated_groups", groups_of_user, SCOPE),
]
