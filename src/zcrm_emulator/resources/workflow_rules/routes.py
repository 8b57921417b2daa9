"""``/settings/automation/workflow_rules`` (AUTOMATION.md §3.1; OASx postWorkflowRule,
updateWorkflowRule(ById), getWorkflowRules, getWorkflowRuleById, deleteWorkflowRule(s|ById),
reorderWorkflowRules, getWorkflowRulesActionsCount, getModuleSpecificActionsCount,
getWorkflowRulesCount, getWorkflowRuleUsage).

Create takes exactly one rule (201 "workflow created"); PUT ``/{id}`` one, PUT without id one or
more, each with its ``id`` (200 "workflow updated"). Errors of an item come inside
``{"workflow_rules": […]}``; errors of the request (its params, a path id) bare. Every operation
needs an edition with workflow rules (FEATURE_NOT_SUPPORTED 403) and the Manage Workflow permission
(NO_PERMISSION "feature not available in this edition", §8 #5).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator import params as base_params
from zcrm_emulator.automation import lookups, params, timing
from zcrm_emulator.automation.writer import Writer
from zcrm_emulator.editions import WorkflowLimits, workflow_limits
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.workflow_rules import repo, rules, service, triggers
from zcrm_emulator.resources.workflow_rules.repo import StoredRule
from zcrm_emulator.routing import Call, Endpoint, InEnvelope
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

ENVELOPE = rules.ENVELOPE
SCOPE = "ZohoCRM.settings.workflow_rules"
PERMISSION = "Crm_Implied_Manage_Workflow"
BASE = "/settings/automation/workflow_rules"


def _limits(conn: Connection, call: Call) -> WorkflowLimits:
    """The edition's workflow limits: FEATURE_NOT_SUPPORTED 403 for an edition without rules."""
    return workflow_limits(org_repo.org_edition(conn, call.org_id))


def _rule_writer(conn: Connection, call: Call) -> service.RuleWriter:
    writer = Writer(call.org_id, call.actor(conn), call.emulator.clock.now_ms())
    return service.take_turns(conn, writer, call.emulator.settings)


def _the_one(body: Mapping[str, Any]) -> Any:
    """The one rule of a create: bare INVALID_DATA for a missing or malformed ``workflow_rules``
    (OASx InvalidDataResponse1), ``maximum_length: 1`` for more than one."""
    items = body.get(ENVELOPE)
    if not isinstance(items, list) or not items:
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}"})
    if len(items) > 1:
        raise ZohoError("INVALID_DATA", {"maximum_length": 1, "api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}"})
    return items[0]


def _in_path(conn: Connection, call: Call, name: str = "id") -> StoredRule:
    stored = repo.get_rule(conn, call.org_id, params.path_id(call, name))
    if stored is None:
        raise params.path_id_error()
    return stored


def _tz(conn: Connection, call: Call) -> str:
    return str(call.actor(conn).get("time_zone") or "UTC")


async def create_rule(call: Call) -> Response:
    item = _the_one(call.json())
    with call.tx() as conn:
        rw = _rule_writer(conn, call)
        path = f"$.{ENVELOPE}[0]"
        result = batch.attempt(conn, rules.CREATED, lambda: service.create(conn, rw, item, path), json_path=path)
    return batch.answer(ENVELOPE, [result], all_ok=201)


async def update_rule(call: Call) -> Response:
    item = _the_one(call.json())
    with call.tx() as conn:
        stored = _in_path(conn, call)
        rw = _rule_writer(conn, call)
        path = f"$.{ENVELOPE}[0]"
        result = batch.attempt(
            conn, rules.UPDATED, lambda: service.update(conn, rw, stored, item, path), json_path=path
        )
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def update_rules(call: Call) -> Response:
    items = items_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        rw = _rule_writer(conn, call)
        results = []
        for index, item in enumerate(items):
            path = f"$.{ENVELOPE}[{index}]"

            def write(item: Any = item, path: str = path) -> str:
                return service.update(conn, rw, service.rule_for_item(conn, call.org_id, item, path), item, path)

            results.append(batch.attempt(conn, rules.UPDATED, write, json_path=path))
    return batch.answer(ENVELOPE, results, all_ok=200)


def _name_filter(call: Call) -> str | None:
    """``filter={"field":{"api_name":"name"},"comparator":"contains","value":"…"}``: the text a
    rule's name must contain (case-insensitive); anything else is an invalid param."""
    raw = call.query("filter")
    if raw is None or raw == "":
        return None
    try:
        given = json.loads(raw)
    except ValueError:
        raise params.invalid_param("filter") from None
    if (
        not isinstance(given, dict)
        or not isinstance(given.get("field"), dict)
        or given["field"].get("api_name") != "name"
        or given.get("comparator") != "contains"
        or not isinstance(given.get("value"), str)
    ):
        raise params.invalid_param("filter")
    return str(given["value"]).casefold()


async def list_rules(call: Call) -> Response:
    page = base_params.page(call)
    active = params.boolean(call, "status_active")
    trigger = call.query("execute_on") or None
    if trigger is not None and trigger not in triggers.SUPPORTED_VALUES:
        raise params.invalid_param("execute_on")
    sort_by = params.choice(call, "sort_by", ("modified_time",))
    order = params.sort_order(call)
    inner = bool(params.boolean(call, "include_inner_details"))
    contains = _name_filter(call)
    with call.tx() as conn:
        _limits(conn, call)
        module = lookups.module_param(conn, call)
        found = repo.list_rules(
            conn,
            call.org_id,
            module_id=module.id if module else None,
            active=active,
            trigger=trigger,
            by_modified=order if sort_by else None,
        )
        if contains is not None:
            found = [rule for rule in found if contains in rule.data["name"].casefold()]
        chunk, info = page.slice(found)
        shown = service.present(conn, chunk, _tz(conn, call), inner=inner)
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


async def get_rule(call: Call) -> Response:
    with call.tx() as conn:
        _limits(conn, call)
        rule_id = normalize_id(call.params["id"])
        stored = repo.get_rule(conn, call.org_id, rule_id) if rule_id else None
        if stored is None:
            return no_content()
        shown = service.present(conn, [stored], _tz(conn, call), inner=True)
    return reply({ENVELOPE: shown})


async def delete_rule(call: Call) -> Response:
    with call.tx() as conn:
        _limits(conn, call)
        stored = _in_path(conn, call)
        service.delete(conn, stored)
    return batch.answer(ENVELOPE, [batch.success(rules.DELETED, {"id": stored.id})], all_ok=200)


async def delete_rules(call: Call) -> Response:
    wanted = params.ids(call)
    with call.tx() as conn:
        _limits(conn, call)
        results = []
        for raw in wanted:
            rule_id = normalize_id(raw)
            stored = repo.get_rule(conn, call.org_id, rule_id) if rule_id else None
            if stored is None:
                results.append(batch.failure(ZohoError("INVALID_DATA", {"id": raw}, Message.UNKNOWN_ID)))
            elif stored.data["lock"].get("status"):
                results.append(batch.failure(ZohoError("NOT_ALLOWED", {"id": stored.id}, Message.RULE_LOCKED)))
            else:
                repo.delete_rule(conn, stored.id)
                results.append(batch.success(rules.BULK_DELETED, {"id": stored.id}))
    return batch.answer(ENVELOPE, results, all_ok=200)


def _required_module(conn: Connection, call: Call, invalid: Message) -> Any:
    name = (call.query("module") or "").strip()
    if not name:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "module"}, Message.REQUIRED_PARAM_NOT_FOUND)
    found = lookups.workflow_module(modules_repo.find(conn, call.org_id, name))
    if found is None:
        raise ZohoError("INVALID_MODULE", {"param_name": "module"}, invalid)
    return found


async def reorder_rules(call: Call) -> Response:
    with call.tx() as conn:
        _limits(conn, call)
        module = _required_module(conn, call, Message.INVALID_MODULE_PARAM)
        _rule_writer(conn, call)
        moves = service.reorder(conn, module, call.json())
    results = [batch.success(rules.REORDERED, {"id": move.rule_id}) for move in moves]
    return batch.answer(rules.REORDER_ENVELOPE, results, all_ok=200)


async def actions_count(call: Call) -> Response:
    wanted = list(dict.fromkeys(base_params.csv(call, "ids")))
    if not wanted:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"}, Message.EXPECTED_PARAM_MISSING)
    if len(wanted) > rules.ACTION_COUNT_IDS_MAX:
        details = {"maximum_length": rules.ACTION_COUNT_IDS_MAX, "param_name": "ids"}
        raise ZohoError("INVALID_DATA", details, Message.IDS_TOO_MANY)
    with call.tx() as conn:
        _limits(conn, call)
        found = [repo.get_rule(conn, call.org_id, rule_id) for rule_id in filter(None, map(normalize_id, wanted))]
    counted = [rules.rule_actions_count(rule.data) for rule in found if rule is not None]
    return reply({ENVELOPE: counted}) if counted else no_content()


async def module_specific_count(call: Call) -> Response:
    with call.tx() as conn:
        _limits(conn, call)
        module = lookups.module_param(conn, call)
        shown = service.module_counts(conn, call.org_id, module)
    return reply({"module_specific_count": shown})


async def rules_count(call: Call) -> Response:
    with call.tx() as conn:
        limits = _limits(conn, call)
        counted = repo.counts(conn, call.org_id)
    return reply(rules.counts_wire(limits, counted.total, counted.active))


def _day(call: Call, name: str) -> date:
    raw = call.query(name)
    if raw is None or raw == "":
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": name}, Message.REQUIRED_PARAM_NOT_FOUND)
    invalid = ZohoError("INVALID_DATA", {"expected_data_type": "datetime", "param_name": name}, Message.ISO_TIME_PARAM)
    if len(raw) != len("yyyy-mm-dd"):
        raise invalid
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid from None


async def rule_usage(call: Call) -> Response:
    start, end = _day(call, "executed_from"), _day(call, "executed_till")
    if start > end:
        raise ZohoError("INVALID_DATA", {"param_name": "executed_till"}, Message.PARAM_INVALID)
    if (end - start).days > rules.USAGE_DAYS_MAX:
        raise ZohoError("INVALID_REQUEST", {}, Message.DATE_RANGE_EXCEEDS)
    with call.tx() as conn:
        _limits(conn, call)
        stored = _in_path(conn, call, "workflowRuleId")
        tz = str(org_repo.get_org(conn, call.org_id).get("time_zone") or "UTC")
        midnight = timing.parse_hhmm("00:00")
        assert midnight is not None
        from_ms = timing.at_time(start, midnight, tz)
        to_ms = timing.add(timing.at_time(end, midnight, tz), "days", 1, tz)
        report = service.usage(conn, stored, from_ms, to_ms)
    return reply({ENVELOPE: [report]})


def _endpoint(method: str, path: str, handler: Any, errors_in: InEnvelope | None = None) -> Endpoint:
    return Endpoint(
        method,
        BASE + path,
        handler,
        SCOPE,
        since="v8",
        permission=PERMISSION,
        permission_message=Message.FEATURE_NOT_IN_EDITION,
        errors_in=errors_in,
    )


# The reorder body's errors come inside ``{"reorder": […]}``; its module param's errors bare.
IN_REORDER = InEnvelope(rules.REORDER_ENVELOPE, frozenset({"INVALID_DATA", "MANDATORY_NOT_FOUND"}))

ENDPOINTS = [
    _endpoint("POST", "", create_rule),
    _endpoint("GET", "", list_rules),
    _endpoint("PUT", "", update_rules),
    _endpoint("DELETE", "", delete_rules),
    _endpoint("PUT", "/actions/reorder", reorder_rules, IN_REORDER),
    _endpoint("GET", "/actions/actions_count", actions_count),
    _endpoint("GET", "/actions/module_specific_count", module_specific_count),
    _endpoint("GET", "/actions/rules_count", rules_count),
    _endpoint("GET", "/{workflowRuleId}/actions/usage", rule_usage),
    _endpoint("GET", "/{id}", get_rule),
    _endpoint("PUT", "/{id}", update_rule),
    _endpoint("DELETE", "/{id}", delete_rule),
]
