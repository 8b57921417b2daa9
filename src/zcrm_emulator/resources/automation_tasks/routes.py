"""``/settings/automation/tasks``: the tasks workflow rules create (AUTOMATION.md §4; OASx
createWorkflowTasks, getWorkflowTasks, getTaskById, updateWorkflowTaskById, deleteTasks,
deleteTaskById). Create and update take exactly one task; a task a rule uses cannot be deleted."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator import params as base_params
from zcrm_emulator.automation import lookups, params, saved_routes
from zcrm_emulator.automation.writer import Writer
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.automation_tasks import repo, rules, service
from zcrm_emulator.routing import Call
from zcrm_emulator.validation import only_item_of
from zcrm_emulator.wire import no_content, reply

ENVELOPE = rules.ENVELOPE
INNER_DETAILS = (
    "related_module.module_name",
    "related_module.plural_label",
    "related_module.singular_label",
    "display_value",
    "module.module_name",
    "module.plural_label",
    "module.singular_label",
)


def _writer(call: Call, actor: dict[str, Any]) -> Writer:
    return Writer(call.org_id, actor, call.emulator.clock.now_ms())


async def create_task(call: Call) -> Response:
    item = only_item_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        writer = _writer(call, call.actor(conn))
        path = f"$.{ENVELOPE}[0]"
        result = batch.attempt(
            conn, rules.CREATED, lambda: service.create(conn, writer, call.emulator.memo, item, path), json_path=path
        )
    return batch.answer(ENVELOPE, [result], all_ok=201)


async def list_tasks(call: Call) -> Response:
    page = base_params.page(call)
    feature = call.query("feature_type")
    if feature and feature not in rules.FEATURE_TYPES:
        raise ZohoError("INVALID_DATA", {"param_name": "feature_type"}, Message.FEATURE_NAME_INVALID)
    with call.tx() as conn:
        module = lookups.module_param(conn, call)
        items = repo.TASKS.list(conn, call.org_id)
        if module is not None:
            items = [i for i in items if i["module"]["id"] == module.id]
        if feature:
            items = [i for i in items if i["feature_type"] == feature]
        chunk, info = page.slice(items)
        shown = service.present(conn, call.org_id, chunk)
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


async def get_task(call: Call) -> Response:
    for value in base_params.csv(call, "include_inner_details"):
        if value not in INNER_DETAILS:
            raise params.invalid_param("include_inner_details")
    with call.tx() as conn:
        stored = service.SAVED.in_path(conn, call)
        shown = service.present(conn, call.org_id, [stored.data])
    return reply({ENVELOPE: shown})


async def update_task(call: Call) -> Response:
    item = only_item_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        stored = service.SAVED.in_path(conn, call)
        writer = _writer(call, call.actor(conn))
        path = f"$.{ENVELOPE}[0]"
        result = batch.attempt(
            conn,
            rules.UPDATED,
            lambda: service.update(conn, writer, call.emulator.memo, stored, item, path),
            json_path=path,
        )
    return batch.answer(ENVELOPE, [result], all_ok=200)


delete_task, delete_tasks = saved_routes.deletes(service.SAVED, ENVELOPE, rules.DELETED)


ENDPOINTS = [
    saved_routes.endpoint("POST", "/settings/automation/tasks", create_task),
    saved_routes.endpoint("GET", "/settings/automation/tasks", list_tasks),
    saved_routes.endpoint("DELETE", "/settings/automation/tasks", delete_tasks),
    saved_routes.endpoint("GET", "/settings/automation/tasks/{id}", get_task),
    saved_routes.endpoint("PUT", "/settings/automation/tasks/{id}", update_task),
    saved_routes.endpoint("DELETE", "/settings/automation/tasks/{id}", delete_task),
]
