"""``GET /{module}/{record_id}/actions/download_fields_attachment?fields_attachment_id=`` (OAS
field_attachments.json; the v8 "Download Field Attachments" page): the bytes of a file a record's
file or image upload field holds, sent as ``/files`` sends them (``application/x-download`` with
``Content-Disposition: attachment;filename=…``)."""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import record_model
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.field_attachments import rules, service
from zcrm_emulator.resources.records.calls import module_and_caller, scope
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.uploads import content_disposition


async def download(call: Call) -> Response:
    wanted = rules.attachment_id(call.query(rules.PARAM))
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        meta, _ = module_and_caller(conn, call, now, "read")
        record_id = normalize_id(call.params["record_id"])
        row = record_model.get_records(conn, meta.id, [record_id]).get(record_id) if record_id else None
        if row is None:
            raise rules.unknown_record()
        found, data = service.download(call.emulator.store, conn, call.org_id, meta, row, wanted)
    headers = {"Content-Disposition": content_disposition(found.name)}
    return Response(data, media_type=rules.MEDIA_TYPE, headers=headers)


ENDPOINTS = [
    Endpoint("GET", "/{module}/{record_id}/actions/download_fields_attachment", download, scope("READ")),
]
