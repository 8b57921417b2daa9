"""``/{module}/{record_id}/photo`` (OAS record_photo.json; OASx uploadRecordPhoto; the v8 "Upload a
Photo" page): one photo per record of Leads, Contacts, Accounts, Products, Deals, Vendors and custom
modules. Upload takes one ``file`` part; the answers are bare ``{code, details, message, status}``
objects. GET sends the image (204 when the record has none); DELETE of a record without one
succeeds too (docs/decisions.md).
"""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import batch, record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.attachments.routes import parent
from zcrm_emulator.resources.record_photo import rules, service
from zcrm_emulator.resources.records.calls import scope
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.uploads import content_disposition, read_form
from zcrm_emulator.wire import no_content, reply

PATH = "/{module}/{record_id}/photo"


def _check_module(meta: record_model.ModuleMeta) -> None:
    if not rules.has_photo(meta.api_name, meta.module.generated_type):
        raise ZohoError("INVALID_MODULE", {"resource_path_index": 0})


async def upload_photo(call: Call) -> Response:
    form = await read_form(call)
    files = form.uploads("file")
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        _, _, row = parent(conn, call, now, "update", _check_module)
        if len(files) != 1 or not files[0].data:
            raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "file"}, Message.REQUIRED_FIELD)
        media_type, _ = rules.check_image(files[0])
        service.set_photo(call.emulator.store, conn, call.org_id, row.id, files[0], media_type, now)
    return reply(batch.success(rules.UPLOADED, {}))


async def get_photo(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        _, _, row = parent(conn, call, now, "read", _check_module)
        found = service.photo(call.emulator.store, conn, call.org_id, row.id)
    if found is None:
        return no_content()
    photo, data = found
    return Response(
        data, media_type=photo.content_type, headers={"Content-Disposition": content_disposition(photo.file_name)}
    )


async def delete_photo(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        _, _, row = parent(conn, call, now, "update", _check_module)
        service.remove_photo(conn, call.org_id, row.id)
    return reply(batch.success(rules.DELETED, {}))


ENDPOINTS = [
    Endpoint("POST", PATH, upload_photo, scope("CREATE")),
    Endpoint("GET", PATH, get_photo, scope("READ")),
    Endpoint("DELETE", PATH, delete_photo, scope("DELETE")),
]
