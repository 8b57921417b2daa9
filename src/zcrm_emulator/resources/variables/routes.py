"""``/settings/variables`` and ``/settings/variable_groups`` (OAS variables.json, variable_groups.json;
the v8 Variables pages).

Variables and groups share one folder and one repo: a variable belongs to a group, and creating a
variable is the only way a group is made (a ``variable_group`` by name that no group has), in the
same transaction. Every write answers 201 when each item succeeded (the files document 201 for
create, update and delete), 207 when some did, 400 with the per-item array when none did. A path
segment after ``/variables/`` or ``/variable_groups/`` is an id or an api_name.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.variables import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

ENVELOPE = "variables"
GROUPS_ENVELOPE = "variable_groups"
SCOPE = "ZohoCRM.settings.variables"
GROUPS_SCOPE = "ZohoCRM.settings.variable_groups"
OK = 201


def _context(conn: Connection, call: Call) -> service.Context:
    return service.Context(conn, call.org_id, call.emulator.clock.now_ms())


def _writer(conn: Connection, call: Call) -> service.Context:
    call.actor(conn)
    service.take_turns(conn, call.org_id)
    return _context(conn, call)


def _in_group(ctx: service.Context, call: Call, variables: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """``variables`` within the ``group`` param's group (None: the param names no group)."""
    wanted = (call.query("group") or "").strip()
    if not wanted:
        return variables
    group = service.find_group(ctx, wanted)
    if group is None:
        return None
    return [v for v in variables if v["variable_group"]["id"] == group["id"]]


async def list_variables(call: Call) -> Response:
    with call.tx() as conn:
        ctx = _context(conn, call)
        service.general_group(ctx)
        found = _in_group(ctx, call, repo.list_variables(conn, call.org_id))
    return reply({ENVELOPE: found}) if found else no_content()


async def get_variable(call: Call) -> Response:
    with call.tx() as conn:
        ctx = _context(conn, call)
        variable = service.find_variable(ctx, call.params["variable"])
        found = _in_group(ctx, call, [variable]) if variable is not None else None
    return reply({ENVELOPE: found}) if found else no_content()


def _types(items: list[Any]) -> list[str | None]:
    """Each create item's stored type; a bad one refuses the whole request before any is made."""
    return [rules.stored_type(item, f"$.{ENVELOPE}[{i}]") for i, item in enumerate(items)]


async def create_variables(call: Call) -> Response:
    items = items_of(call.json(), ENVELOPE)
    kinds = _types(items)
    with call.tx() as conn:
        ctx = _writer(conn, call)
        results = []
        for i, (item, kind) in enumerate(zip(items, kinds, strict=True)):
            path = f"$.{ENVELOPE}[{i}]"
            write = partial(service.create, ctx, item, kind, path)
            results.append(batch.attempt(conn, rules.CREATED, write, json_path=path))
    return batch.answer(ENVELOPE, results, all_ok=OK)


async def update_variables(call: Call) -> Response:
    items = items_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        ctx = _writer(conn, call)

        def write(item: Any, path: str) -> str:
            return service.update(ctx, service.variable_for_item(ctx, item, path), item, path)

        results = batch.each(conn, ENVELOPE, items, rules.UPDATED, write)
    return batch.answer(ENVELOPE, results, all_ok=OK)


async def update_variable(call: Call) -> Response:
    with call.tx() as conn:
        ctx = _writer(conn, call)
        variable = service.find_variable(ctx, call.params["variable"])
        if variable is None or not _in_group(ctx, call, [variable]):
            raise ZohoError("INVALID_DATA", {"resource_path_index": 0})
        items = items_of(call.json(), ENVELOPE)
        if len(items) > 1:  # one variable in the path, one item: the file's MaxLengthWrapper
            too_many = ZohoError(
                "INVALID_DATA", {"maximum_length": 1, "api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}"}
            )
            return batch.answer(ENVELOPE, [batch.failure(too_many)], all_ok=OK)
        item, path = items[0], f"$.{ENVELOPE}[0]"
        write = partial(service.update, ctx, variable, item, path)
        results = [batch.attempt(conn, rules.UPDATED, write, json_path=path)]
    return batch.answer(ENVELOPE, results, all_ok=OK)


async def delete_variables(call: Call) -> Response:
    wanted = list(dict.fromkeys(params.csv(call, "ids")))
    if not wanted:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"})
    if len(wanted) > rules.IDS_MAX:
        raise ZohoError("LIMIT_EXCEEDED", {"param_name": "ids", "limit": rules.IDS_MAX})
    with call.tx() as conn:
        ctx = _writer(conn, call)
        results = [batch.attempt(conn, rules.DELETED, partial(service.delete, ctx, raw)) for raw in wanted]
    return batch.answer(ENVELOPE, results, all_ok=OK)


async def delete_variable(call: Call) -> Response:
    with call.tx() as conn:
        ctx = _writer(conn, call)
        results = [batch.attempt(conn, rules.DELETED, partial(service.delete, ctx, call.params["variable"]))]
    return batch.answer(ENVELOPE, results, all_ok=OK)


async def list_groups(call: Call) -> Response:
    with call.tx() as conn:
        groups = service.groups(_context(conn, call))
    return reply({GROUPS_ENVELOPE: groups})


async def get_group(call: Call) -> Response:
    with call.tx() as conn:
        group = service.find_group(_context(conn, call), call.params["group"])
    return reply({GROUPS_ENVELOPE: [group]}) if group is not None else no_content()


def _endpoint(method: str, path: str, handler: Any, scope: str = SCOPE) -> Endpoint:
    return Endpoint(method, path, handler, scope, since="v2")


ENDPOINTS = [
    _endpoint("GET", "/settings/variables", list_variables),
    _endpoint("POST", "/settings/variables", create_variables),
    _endpoint("PUT", "/settings/variables", update_variables),
    _endpoint("DELETE", "/settings/variables", delete_variables),
    _endpoint("GET", "/settings/variables/{variable}", get_variable),
    _endpoint("PUT", "/settings/variables/{variable}", update_variable),
    _endpoint("DELETE", "/settings/variables/{variable}", delete_variable),
    _endpoint("GET", "/settings/variable_groups", list_groups, GROUPS_SCOPE),
    _endpoint("GET", "/settings/variable_groups/{group}", get_group, GROUPS_SCOPE),
]
