"""``/settings/automation/scoring_rules`` and ``/{module}/actions/run_scoring_rules`` (OAS
scoring_rules.json; v8 "Scoring Rules", "Create Scoring Rules", "Update Scoring Rules", "Delete
Scoring Rules", "Update Scoring Rule Status", "Clone Scoring Rule", "Execute Scoring Rules").

Writes answer one result per item inside ``scoring_rules`` (create 201, the rest 200, 207 mixed). A
path id that names no rule, or a module path that names no scoring module, is a bare INVALID_DATA at
its segment. Executing scores the module's records at once, inside the call (Zoho schedules it):
the scores are there when the call returns (``/Entity_Scores__s``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.automation import params as automation_params
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.scoring_rules import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import at, items_of, only_item_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.scoring_rules"
PERMISSION = "Crm_Implied_Manage_Workflow"  # the automation settings' permission
ENVELOPE = rules.ENVELOPE
BASE = "/settings/automation/scoring_rules"


def _context(call: Call) -> service.Context:
    return service.Context.of(call)


def _path_rule(ctx: service.Context, call: Call) -> rules.Rule:
    rule = service.find(ctx, normalize_id(call.params["id"]))
    if rule is None:
        raise rules.path_error()
    return rule


# --- reads -----------------------------------------------------------------------------------------
async def list_rules(call: Call) -> Response:
    page = params.page(call)
    active = automation_params.boolean(call, "active")
    with call.tx() as conn:
        module_name = (call.query("module") or "").strip()
        module_id = None
        if module_name:
            module = service.module_named(conn, call.org_id, module_name)
            if module is None:
                raise ZohoError("INVALID_MODULE", {"param_name": "module"})
            module_id = module.id
        found = repo.list_rules(conn, call.org_id)
    layout_id = normalize_id((call.query("layout_id") or "").strip()) if call.query("layout_id") else None
    name = call.query("name") or None
    chosen = rules.listed(found, module_id=module_id, layout_id=layout_id, active=active, name=name)
    shown, info = page.slice(chosen)
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


async def get_rule(call: Call) -> Response:
    with call.tx():
        rule = _path_rule(_context(call), call)
    return reply({ENVELOPE: [rule]})


# --- writes ----------------------------------------------------------------------------------------
def _each(
    ctx: service.Context, message: str, items: list[Any], write: Callable[[Any, str], rules.Rule]
) -> list[batch.Item]:
    results = batch.each(ctx.conn, ENVELOPE, items, message, partial(_id_of, write))
    return results


def _id_of(write: Callable[[Any, str], rules.Rule], item: Any, path: str) -> str:
    return str(write(item, path)["id"])


async def create_rules(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = _each(ctx, rules.CREATED, items, partial(service.create, ctx))
    return batch.answer(ENVELOPE, results, all_ok=201)


def _update_by_body_id(ctx: service.Context, item: Any, path: str) -> rules.Rule:
    item = rules.check_object(item, path)
    if item.get("id") in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
    rule = service.find(ctx, normalize_id(item["id"]))
    if rule is None:
        raise ZohoError("INVALID_DATA", at(path, "id"))
    return service.update(ctx, rule, item, path)


async def update_rules(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = _each(ctx, rules.UPDATED, items, partial(_update_by_body_id, ctx))
    return batch.answer(ENVELOPE, results, all_ok=200)


async def update_rule(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        rule = _path_rule(ctx, call)
        item = only_item_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = _each(ctx, rules.UPDATED, [item], lambda given, path: service.update(ctx, rule, given, path))
    return batch.answer(ENVELOPE, results, all_ok=200)


async def delete_rules(call: Call) -> Response:
    """``?ids=``: every id must name a rule, else the call is refused whole (the file's 400)."""
    with call.tx():
        ctx = _context(call)
        wanted = automation_params.ids(call)
        found = [service.find(ctx, normalize_id(raw)) for raw in wanted]
        if any(rule is None for rule in found):
            raise ZohoError("INVALID_DATA", {"param_name": "ids"})
        service.take_turns(ctx.conn, ctx.org_id)
        results = []
        for rule in found:
            assert rule is not None
            service.delete(ctx, rule)
            results.append(batch.success(rules.DELETED, {"id": rule["id"]}))
    return batch.answer(ENVELOPE, results, all_ok=200)


async def delete_rule(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        rule = _path_rule(ctx, call)
        service.take_turns(ctx.conn, ctx.org_id)
        service.delete(ctx, rule)
    return batch.answer(ENVELOPE, [batch.success(rules.DELETED, {"id": rule["id"]})], all_ok=200)


async def _status(call: Call, active: bool) -> Response:
    with call.tx():
        ctx = _context(call)
        rule = _path_rule(ctx, call)
        service.take_turns(ctx.conn, ctx.org_id)
        service.set_active(ctx, rule, active)
    message = rules.ACTIVATED if active else rules.DEACTIVATED
    return batch.answer(ENVELOPE, [batch.success(message, {"id": rule["id"]})], all_ok=200)


async def activate_rule(call: Call) -> Response:
    return await _status(call, True)


async def deactivate_rule(call: Call) -> Response:
    return await _status(call, False)


async def clone_rule(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        rule = _path_rule(ctx, call)
        service.take_turns(ctx.conn, ctx.org_id)
        copy = service.clone(ctx, rule)
    return batch.answer(ENVELOPE, [batch.success(rules.CLONED, {"id": copy["id"]})], all_ok=200)


# --- executing -------------------------------------------------------------------------------------
def _chosen(ctx: service.Context, module_id: str, body: dict[str, Any]) -> list[rules.Rule]:
    """The rules a run executes: those of ``scoring_rules`` (up to five, active, of this module),
    the active ones of ``layout_id``'s layout, or, with no body, every active rule of the module."""
    module_rules = repo.module_rules(ctx.conn, module_id)
    if ENVELOPE in body:
        items = items_of(body, ENVELOPE, max_items=rules.EXECUTE_MAX)
        chosen = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"
            wanted = normalize_id(item.get("id")) if isinstance(item, dict) else None
            rule = next((r for r in module_rules if r["id"] == wanted), None)
            if rule is None or not rule["active"]:
                raise ZohoError("INVALID_DATA", at(path, "id"))
            if rule not in chosen:
                chosen.append(rule)
        return chosen
    active = [r for r in module_rules if r["active"]]
    if body.get("layout_id") is not None:
        layout_id = normalize_id(body["layout_id"])
        if layout_id is None:
            raise ZohoError("INVALID_DATA", {"api_name": "layout_id", "json_path": "$.layout_id"})
        return [r for r in active if (r.get("layout") or {}).get("id") == layout_id]
    return active


async def run_rules(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        module = service.module_named(ctx.conn, ctx.org_id, call.params["module"])
        if module is None:
            raise ZohoError("INVALID_DATA", {"resource_path_index": rules.MODULE_INDEX})
        body = call.json() if call.body.strip() else {}
        chosen = _chosen(ctx, module.id, body)
        service.take_turns(ctx.conn, ctx.org_id)
        service.run(ctx, module, chosen)
    results = [batch.success(rules.EXECUTED, {"id": rule["id"]}) for rule in chosen]
    return batch.answer(ENVELOPE, results, all_ok=200)


def _write(method: str, path: str, handler: Callable[[Call], Any]) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, permission=PERMISSION)


ENDPOINTS = [
    Endpoint("GET", BASE, list_rules, SCOPE),
    _write("POST", BASE, create_rules),
    _write("PUT", BASE, update_rules),
    _write("DELETE", BASE, delete_rules),
    _write("PUT", f"{BASE}/{{id}}/actions/activate", activate_rule),
    _write("DELETE", f"{BASE}/{{id}}/actions/activate", deactivate_rule),
    _write("POST", f"{BASE}/{{id}}/actions/clone", clone_rule),
    Endpoint("GET", f"{BASE}/{{id}}", get_rule, SCOPE),
    _write("PUT", f"{BASE}/{{id}}", update_rule),
    _write("DELETE", f"{BASE}/{{id}}", delete_rule),
]

# After the record paths' specific ones and before /{module}/{record_id}: registered by endpoints.py.
RECORD_ENDPOINTS = [_write("PUT", "/{module}/actions/run_scoring_rules", run_rules)]
