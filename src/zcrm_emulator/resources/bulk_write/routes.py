"""Bulk write (OAS bulk_write.json, upload.json): ``POST /crm/{version}/upload`` (Zoho serves it on
content.zohoapis.com; here on the emulator's host, with the ``feature: bulk-write`` and ``X-CRM-ORG``
headers Zoho requires and its ``ZohoFiles.files.ALL`` scope), and under ``/crm/bulk/{version}``
(endpoints.BULK_ENDPOINTS) ``POST /write`` (500 credits, "bulk write initialize"), ``GET
/write/{job_id}`` and the result zip its ``download_url`` names. A worker runs the jobs (jobs.py).
"""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.responses import Response

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.bulk_write import service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.uploads import read_form
from zcrm_emulator.usage.weights import WEIGHTS
from zcrm_emulator.wire import reply

SCOPE = "ZohoCRM.bulk"
UPLOAD_SCOPES = ["ZohoFiles.files.ALL"]
DOWNLOAD_TYPE = "application/x-download"


async def upload(call: Call) -> Response:
    form = await read_form(call)
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        body = service.upload(
            call.emulator.store,
            conn,
            call.org_id,
            call.user_id,
            form.uploads("file"),
            feature=call.header("feature"),
            org_header=call.header("X-CRM-ORG"),
            now_ms=now,
        )
    return reply(body)


async def create_job(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        if not call.body.strip():
            raise ZohoError("REQUEST_BODY_IS_EMPTY")
        body = service.create(
            conn,
            call.org_id,
            call.actor(conn),
            call.principal.scopes,
            call.json(),
            version=call.version,
            now_ms=now,
            memo=call.emulator.memo,
        )
    response = reply(body, status=201)
    response.background = BackgroundTask(call.emulator.bulk_writes.kick)
    return response


async def job_details(call: Call) -> Response:
    with call.tx() as conn:
        job = service.job_of(conn, call.org_id, call.params["job_id"])
    return reply(service.job_view(job))


async def download(call: Call) -> Response:
    with call.tx() as conn:
        job = service.job_of(conn, call.org_id, call.params["job_id"])
        name, content = service.result_file(call.emulator.store, conn, job)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=DOWNLOAD_TYPE, headers=headers)


def _upload_scopes(call: Call) -> list[str]:
    return UPLOAD_SCOPES


UPLOAD_ENDPOINTS = [Endpoint("POST", "/upload", upload, _upload_scopes)]
ENDPOINTS = [
    Endpoint("POST", "/write", create_job, SCOPE, operation="CREATE", credits=WEIGHTS["bulk_write_initialize"]),
    Endpoint("GET", "/write/{job_id}", job_details, SCOPE, operation="CREATE"),
    Endpoint("GET", "/write/{job_id}/result", download, SCOPE, operation="CREATE"),
]
