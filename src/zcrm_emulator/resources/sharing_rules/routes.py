"""``/settings/data_sharing/rules``: data sharing rules (sharing_rules.json; the v8 "Data Sharing" pages).

Writes take one rule at a time (``{"sharing_rules": [rule]}``) and answer one result inside
``sharing_rules`` (create 201, the rest 200); a refused rule is 400 with its error there. ``module``
names the rule's module: required by the writes, the actions and the rerun, a filter on the reads.
A path id no rule of that module has is a bare INVALID_DATA at its segment. Reads answer 204 when
there is nothing to show.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.sharing_rules import rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.store.documents import Stored
from zcrm_emulator.validation import only_item_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.data_sharing"
PERMISSION = "Crm_Implied_Manage_Data_Sharing"  # data_sharing.json's NO_PERMISSION names it
BASE = "/settings/data_sharing/rules"
ENVELOPE = rules.ENVELOPE


def _module(conn: Connection, call: Call) -> modules_repo.ModuleRef | None:
    """The module ``?module=`` names, when given: INVALID_DATA unless it is one that rules share."""
    raw = call.query("module")
    if raw is None or not raw.strip():
        return None
    found = modules_repo.find_by_name(conn, call.org_id, raw.strip())
    if found is None or not rules.supports_sharing(found.api_name, found.generated_type, found.api_supported):
        raise ZohoError("INVALID_DATA", {"param_name": "module"}, Message.MODULE_NAME_INVALID)
    return found


def _required_module(conn: Connection, call: Call) -> modules_repo.ModuleRef:
    module = _module(conn, call)
    if module is None:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "module"}, Message.EXPECTED_PARAM_MISSING)
    return module


def _path_rule(conn: Connection, call: Call, module: modules_repo.ModuleRef | None) -> Stored:
    stored = service.find(conn, call.org_id, normalize_id(call.params["id"]), module)
    if stored is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": rules.PATH_INDEX}, Message.SHARING_RULE_ID_INVALID)
    return stored


async def list_rules(call: Call) -> Response:
    page = params.page(call)
    with call.tx() as conn:
        module = _module(conn, call)
        found = service.all_rules(conn, call.org_id, module)
    shown, info = page.slice([rules.listed(rule) for rule in found])
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


async def get_rule(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        stored = _path_rule(conn, call, module)
        rule = service.shown(service.names(conn, call.org_id), stored.data)
    return reply({ENVELOPE: [rule]})


async def search_rules(call: Call) -> Response:
    page = params.page(call)
    with call.tx() as conn:
        module = _module(conn, call)
        wanted = rules.check_filters(call.json())
        found = [rule for rule in service.all_rules(conn, call.org_id, module) if rules.matches(rule, wanted)]
    shown, info = page.slice([rules.listed(rule) for rule in found])
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


def _one_item(call: Call) -> Any:
    item = only_item_of(call.json(), ENVELOPE)
    if not isinstance(item, dict):
        details = {"api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}[0]", "expected_data_type": "jsonobject"}
        raise ZohoError("INVALID_DATA", details)
    return item


async def create_rule(call: Call) -> Response:
    path = f"$.{ENVELOPE}[0]"
    with call.tx() as conn:
        module = _required_module(conn, call)
        item = _one_item(call)
        ctx = service.Context.of(call)
        service.take_turns(conn, call.org_id)
        write = partial(service.create, ctx, module, item, path)
        result = batch.attempt(conn, rules.CREATED, write, json_path=path)
    return batch.answer(ENVELOPE, [result], all_ok=201)


def _update(call: Call, from_path: bool) -> Response:
    path = f"$.{ENVELOPE}[0]"
    with call.tx() as conn:
        module = _required_module(conn, call)
        stored = _path_rule(conn, call, module) if from_path else None
        item = _one_item(call)
        ctx = service.Context.of(call)
        service.take_turns(conn, call.org_id)
        if stored is None:
            if item.get("id") in (None, ""):
                error = ZohoError("MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": f"{path}.id"})
                return batch.answer(ENVELOPE, [batch.failure(error)], all_ok=200)
            stored = service.find(conn, call.org_id, normalize_id(item["id"]), module)
            if stored is None:
                details = {"api_name": "id", "json_path": f"{path}.id"}
                error = ZohoError("INVALID_DATA", details, Message.SHARING_RULE_ID_INVALID)
                return batch.answer(ENVELOPE, [batch.failure(error)], all_ok=200)
        write = partial(service.update, ctx, module, stored, item, path)
        result = batch.attempt(conn, rules.UPDATED, write, json_path=path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def update_rules(call: Call) -> Response:
    return _update(call, from_path=False)


async def update_rule(call: Call) -> Response:
    return _update(call, from_path=True)


async def delete_rule(call: Call) -> Response:
    with call.tx() as conn:
        module = _required_module(conn, call)
        stored = _path_rule(conn, call, module)
        service.take_turns(conn, call.org_id)
        service.delete(conn, stored)
    return batch.answer(ENVELOPE, [batch.success(rules.DELETED, {"id": stored.id})], all_ok=200)


def _set_status(call: Call, status: str, message: str) -> Response:
    with call.tx() as conn:
        module = _required_module(conn, call)
        stored = _path_rule(conn, call, module)
        service.take_turns(conn, call.org_id)
        service.set_status(service.Context.of(call), stored, status)
    return batch.answer(ENVELOPE, [batch.success(message, {"id": stored.id})], all_ok=200)


async def activate_rule(call: Call) -> Response:
    return _set_status(call, "active", rules.ACTIVATED)


async def deactivate_rule(call: Call) -> Response:
    return _set_status(call, "inactive", rules.DEACTIVATED)


async def summary(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        found = service.all_rules(conn, call.org_id, module)
    rows = service.summary(found)
    return reply({rules.SUMMARY_ENVELOPE: rows}) if rows else no_content()


async def search_summary(call: Call) -> Response:
    with call.tx() as conn:
        module = _module(conn, call)
        wanted = rules.check_filters(call.json())
        found = [rule for rule in service.all_rules(conn, call.org_id, module) if rules.matches(rule, wanted)]
    rows = service.summary(found)
    return reply({rules.SUMMARY_ENVELOPE: rows}) if rows else no_content()


async def rerun(call: Call) -> Response:
    """Schedules the module's rules to run again: done at once, as nothing enforces them (the module
    summary never shows a computation running). A module without rules has nothing to run: 204."""
    with call.tx() as conn:
        module = _required_module(conn, call)
        found = service.all_rules(conn, call.org_id, module)
    if not found:
        return no_content()
    return reply({ENVELOPE: [batch.success(rules.RERUN, {}, code="SCHEDULED")]})


ENDPOINTS = [
    Endpoint("POST", f"{BASE}/search", search_rules, SCOPE, permission=PERMISSION, operation="READ"),
    Endpoint("GET", f"{BASE}/actions/summary", summary, SCOPE, permission=PERMISSION),
    Endpoint("POST", f"{BASE}/actions/summary", search_summary, SCOPE, permission=PERMISSION, operation="READ"),
    Endpoint("POST", f"{BASE}/actions/run", rerun, SCOPE, permission=PERMISSION, operation="UPDATE"),
    Endpoint("PUT", f"{BASE}/{{id}}/actions/activate", activate_rule, SCOPE, permission=PERMISSION),
    Endpoint(
        "DELETE", f"{BASE}/{{id}}/actions/activate", deactivate_rule, SCOPE, permission=PERMISSION, operation="UPDATE"
    ),
    Endpoint("GET", BASE, list_rules, SCOPE, permission=PERMISSION),
    Endpoint("POST", BASE, create_rule, SCOPE, permission=PERMISSION),
    Endpoint("PUT", BASE, update_rules, SCOPE, permission=PERMISSION),
    Endpoint("GET", f"{BASE}/{{id}}", get_rule, SCOPE, permission=PERMISSION),
    Endpoint("PUT", f"{BASE}/{{id}}", update_rule, SCOPE, permission=PERMISSION),
    Endpoint("DELETE", f"{BASE}/{{id}}", delete_rule, SCOPE, permission=PERMISSION),
]
