"""``/org/photo`` (OAS org_photo.json, org.json; the v8 "Upload Organization Photo" and "Delete
Organization Photo" pages). Upload takes one ``file`` part; the answers are bare ``{code, details,
message, status}`` objects. GET sends the image (204 when the org has none); DELETE of an org without
one succeeds too, as for a record photo (docs/decisions.md).
"""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator.resources.org_photo import rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.uploads import content_disposition, read_form
from zcrm_emulator.wire import no_content, reply

PATH = "/org/photo"
SCOPE = "ZohoCRM.org"


async def upload_photo(call: Call) -> Response:
    form = await read_form(call)
    upload, media_type = rules.the_image(form.uploads("file"))
    now = call.emulator.clock.now_ms()
    with call.tx() as conn:
        call.actor(conn)  # INVALID_TOKEN for a token that outlived its user
        service.set_photo(call.emulator.store, conn, call.org_id, upload, media_type, now)
    return reply(batch.success(rules.UPLOADED, {}))


async def get_photo(call: Call) -> Response:
    with call.tx() as conn:
        found = service.photo(call.emulator.store, conn, call.org_id)
    if found is None:
        return no_content()
    photo, data = found
    return Response(
        data, media_type=photo.content_type, headers={"Content-Disposition": content_disposition(photo.file_name)}
    )


async def delete_photo(call: Call) -> Response:
    with call.tx() as conn:
        call.actor(conn)
        service.remove_photo(conn, call.org_id, call.emulator.clock.now_ms())
    return reply(batch.success(rules.DELETED, {}))


ENDPOINTS = [
    Endpoint("POST", PATH, upload_photo, SCOPE),
    Endpoint("GET", PATH, get_photo, SCOPE),
    Endpoint("DELETE", PATH, delete_photo, SCOPE),
]
