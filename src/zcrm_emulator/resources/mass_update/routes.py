"""``/{module}/actions/mass_update`` (OAS mass_update.json "IDSUpdate", "GETCVUpdate"; OASx
massUpdateRecords, getMassUpdateStatus).

POST by ``ids`` answers one result per record (200 all updated, 207 mixed, 400 none), as an update
does; POST by ``cvid`` answers the scheduled job's id, and the job runs right after the call has
committed (its response's background task: ``jobs.py``). GET ``?job_id=`` answers the job's status
and counts. Scopes: ``ZohoCRM.mass_update.<module>.UPDATE``/``READ`` or the module's record scopes.
A missing ``data`` value is answered inside ``data`` (OASx "MandatoryFieldMissing"); the other
request-level errors are bare, as the OASx examples show the ``cvid`` one.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.background import BackgroundTask
from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator.events import Cause
from zcrm_emulator.resources.mass_update import jobs, rules, service
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.records import rules as record_rules
from zcrm_emulator.resources.records.calls import module_and_caller
from zcrm_emulator.routing import Call, Endpoint, InEnvelope
from zcrm_emulator.wire import reply


def scope(operation: str) -> Callable[[Call], list[str]]:
    """``ZohoCRM.mass_update.<scope name>.<op>``, or the module's record scope for that op."""

    def needed(call: Call) -> list[str]:
        module = modules_repo.find(call.conn, call.org_id, call.params["module"])
        records = record_rules.record_scopes(module, call.params["module"], (operation,))
        mass = [name.replace("ZohoCRM.modules.", f"{rules.SCOPE_FAMILY}.", 1) for name in records]
        return [*mass, *records]

    return needed


async def mass_update(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "update")
        if not rules.supported(meta):
            raise rules.unsupported_module()
        update = rules.read(call.json(), meta)
        if update.ids is not None:
            cause = Cause(None, call.request_id)
            results = service.update_by_ids(conn, call.org_id, who, meta, update, now, cause)
            return batch.answer(rules.ENVELOPE, results, all_ok=200)
        job_id = service.schedule(conn, call.org_id, call.user_id, meta, update, now)
    response = reply({rules.ENVELOPE: [batch.success(rules.SCHEDULED_MESSAGE, {"job_id": job_id})]})
    response.background = BackgroundTask(jobs.run_job, call.emulator, call.org_id, job_id, call.request_id)
    return response


async def mass_update_status(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, _ = module_and_caller(conn, call, now, "read")
        if not rules.supported(meta):
            raise rules.unsupported_module()
        job = service.job_of(conn, call.org_id, meta, rules.job_id_param(call.query("job_id")))
    return reply({rules.ENVELOPE: [rules.job_status(job.data)]})


ENDPOINTS = [
    Endpoint(
        "POST",
        "/{module}/actions/mass_update",
        mass_update,
        scope("UPDATE"),
        errors_in=InEnvelope(rules.ENVELOPE, frozenset({"MANDATORY_NOT_FOUND"})),
    ),
    Endpoint("GET", "/{module}/actions/mass_update", mass_update_status, scope("READ")),
]
