"""``GET /crm/v8/workflow_configurations?module=`` (OASx getWorkflowConfigurations): the triggers,
actions and per-action limits of a module's workflow rules (rules.py)."""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator.automation import lookups
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.workflow_configurations import rules
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import reply

SCOPE = "ZohoCRM.settings.workflow_rules"
PERMISSION = "Crm_Implied_Manage_Workflow"


async def get_configuration(call: Call) -> Response:
    name = (call.query("module") or "").strip()
    if not name:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "module"}, Message.REQUIRED_PARAM_NOT_FOUND)
    with call.tx() as conn:
        module = lookups.workflow_module(modules_repo.find(conn, call.org_id, name))
        if module is None:
            raise ZohoError("INVALID_MODULE", {"param_name": "module"}, Message.PARAM_INVALID)
        notes = modules_repo.find(conn, call.org_id, "Notes")
    return reply(rules.wire(rules.for_module(module.api_name), notes.data if notes is not None else None))


ENDPOINTS = [
    Endpoint(
        "GET",
        "/workflow_configurations",
        get_configuration,
        SCOPE,
        since="v8",
        permission=PERMISSION,
        permission_message=Message.FEATURE_NOT_IN_EDITION,
    ),
]
