"""``/crm/bulk/{version}/read`` (OAS bulk_read.json "Create Bulk Read Job", "Get Bulk Read Job
Details", "Download Result").

These paths live under ``/crm/bulk/{version}``, not ``/crm/{version}``: the app gives them a gateway of
their own (``BULK_ENDPOINTS`` in endpoints.py), with every check a CRM call has. Scopes:
``ZohoCRM.bulk.READ`` on every call (the create call only reads records), and the module's record
read scope, checked once the module is known (service.py). The create call costs 50 credits
("bulk read initialize") and answers 201 with the job ADDED; a worker runs it (jobs.py).
"""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.responses import Response

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.bulk_read import service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.usage.weights import WEIGHTS
from zcrm_emulator.wire import reply

SCOPE = "ZohoCRM.bulk"
DOWNLOAD_TYPE = "application/x-download"  # the OAS file's content type of "Download Result"


async def create_job(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        if not call.body.strip():
            raise ZohoError("REQUEST_BODY_IS_EMPTY")
        item = service.create(
            conn,
            call.org_id,
            call.actor(conn),
            call.principal.scopes,
            call.json(),
            version=call.version,
            now_ms=now,
            memo=call.emulator.memo,
        )
    response = reply({"data": [item], "info": {}}, status=201)
    response.background = BackgroundTask(call.emulator.bulk_reads.kick)
    return response


async def job_details(call: Call) -> Response:
    with call.tx() as conn:
        job = service.job_of(conn, call.org_id, call.params["job_id"], call.principal.scopes, status=404)
    return reply({"data": [service.job_view(job)]})


async def download(call: Call) -> Response:
    with call.tx() as conn:
        job = service.job_of(conn, call.org_id, call.params["job_id"], call.principal.scopes, status=400)
        name, content = service.result_file(call.emulator.store, conn, job)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=DOWNLOAD_TYPE, headers=headers)


ENDPOINTS = [
    Endpoint("POST", "/read", create_job, SCOPE, operation="READ", credits=WEIGHTS["bulk_read_initialize"]),
    Endpoint("GET", "/read/{job_id}", job_details, SCOPE),
    Endpoint("GET", "/read/{job_id}/result", download, SCOPE),
]
