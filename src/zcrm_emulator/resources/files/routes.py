"""``/files`` (OAS files.json; OASx uploadFiles, getFile).

``POST`` keeps up to ten ``file`` parts and answers each one's encrypted id and name; ``GET ?id=``
sends a kept file's bytes back (``application/x-download``, as the OAS file documents it, with
``Content-Disposition: attachment;filename=…``). A file is never removed through the API.
"""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.files import rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.uploads import content_disposition, read_form
from zcrm_emulator.wire import reply

SCOPE = "ZohoCRM.files"
DOWNLOAD_MEDIA_TYPE = "application/x-download"


async def upload_files(call: Call) -> Response:
    form = await read_form(call)
    params.choice(call, "type", rules.TYPES, "")
    uploads = rules.check_uploads(form.uploads("file"))
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        call.actor(conn)
        kept = [
            service.keep(call.emulator.store, conn, call.org_id, upload, actor_id=call.user_id, now_ms=now)
            for upload in uploads
        ]
    data = [batch.success(rules.uploaded(item.name), {"name": item.name, "id": item.id}) for item in kept]
    return reply({"data": data})


async def get_file(call: Call) -> Response:
    file_id = call.query("id")
    if file_id is None or not file_id.strip():
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "id"}, Message.EXPECTED_PARAM_MISSING)
    with call.tx() as conn:
        item = service.find(conn, call.org_id, file_id.strip())
        if item is None:
            raise ZohoError("INVALID_DATA", {"param_name": "id"}, Message.UNKNOWN_ID)
        data = service.content(call.emulator.store, conn, call.org_id, item)
    headers = {"Content-Disposition": content_disposition(item.name)}
    return Response(data, media_type=DOWNLOAD_MEDIA_TYPE, headers=headers)


ENDPOINTS = [
    Endpoint("POST", "/files", upload_files, SCOPE),
    Endpoint("GET", "/files", get_file, SCOPE),
]
