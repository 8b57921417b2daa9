"""``/settings/automation/email_notifications``: create, list, get and delete email notifications
(rules.py says what they are). Create takes exactly one; a notification a rule uses cannot be
deleted."""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator import params as base_params
from zcrm_emulator.automation import lookups, saved_routes
from zcrm_emulator.automation.writer import Writer
from zcrm_emulator.resources.email_notifications import repo, rules, service
from zcrm_emulator.routing import Call
from zcrm_emulator.validation import only_item_of
from zcrm_emulator.wire import no_content, reply

ENVELOPE = rules.ENVELOPE


async def create_notification(call: Call) -> Response:
    item = only_item_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        writer = Writer(call.org_id, call.actor(conn), call.emulator.clock.now_ms())
        path = f"$.{ENVELOPE}[0]"
        result = batch.attempt(conn, rules.CREATED, lambda: service.create(conn, writer, item, path), json_path=path)
    return batch.answer(ENVELOPE, [result], all_ok=201)


async def list_notifications(call: Call) -> Response:
    page = base_params.page(call)
    with call.tx() as conn:
        module = lookups.module_param(conn, call)
        items = repo.NOTIFICATIONS.list(conn, call.org_id)
        if module is not None:
            items = [i for i in items if i["module"]["id"] == module.id]
        chunk, info = page.slice(items)
        shown = service.present(conn, call.org_id, chunk)
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


async def get_notification(call: Call) -> Response:
    with call.tx() as conn:
        stored = service.SAVED.get(conn, call.org_id, call.params["id"])
        if stored is None:
            return no_content()
        shown = service.present(conn, call.org_id, [stored.data])
    return reply({ENVELOPE: shown})


delete_notification, delete_notifications = saved_routes.deletes(service.SAVED, ENVELOPE, rules.DELETED)


ENDPOINTS = [
    saved_routes.endpoint("POST", "/settings/automation/email_notifications", create_notification),
    saved_routes.endpoint("GET", "/settings/automation/email_notifications", list_notifications),
    saved_routes.endpoint("DELETE", "/settings/automation/email_notifications", delete_notifications),
    saved_routes.endpoint("GET", "/settings/automation/email_notifications/{id}", get_notification),
    saved_routes.endpoint("DELETE", "/settings/automation/email_notifications/{id}", delete_notification),
]
