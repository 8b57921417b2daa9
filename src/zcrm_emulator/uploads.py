"""The ``multipart/form-data`` body of an upload call (attachments, files, record photos), read
from the call's body (bodysize.py has gathered it whole) with Starlette's parser (python-multipart).

A url-encoded form gives its fields (a link needs no file); any other body reads as a form without
parts, so each endpoint answers Zoho's own error for a missing file; a multipart body that cannot be
parsed (no boundary, cut short) does too.
"""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote

from python_multipart.multipart import parse_options_header
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from zcrm_emulator.routing import Call

# Form parts that are not files (``attachmentUrl``, ``title``): Starlette's default bound on each.
MAX_FIELD_BYTES = 1024 * 1024
GENERIC_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Upload:
    """One file part: its file name as sent, its media type and its bytes."""

    name: str
    content_type: str
    data: bytes


@dataclass
class Form:
    files: dict[str, list[Upload]] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)

    def uploads(self, name: str = "file") -> list[Upload]:
        return self.files.get(name, [])


def media_type(declared: str | None, file_name: str) -> str:
    """The part's own ``Content-Type``; when it says nothing useful, the one its name suggests."""
    kind = (declared or "").split(";")[0].strip().lower()
    if kind and kind != GENERIC_TYPE:
        return kind
    guessed, _ = mimetypes.guess_type(file_name, strict=False)
    return guessed or GENERIC_TYPE


async def _body(call: Call) -> AsyncGenerator[bytes, None]:
    yield call.body
    yield b""


async def read_form(call: Call) -> Form:
    """The call's form parts; empty when the body is not a readable multipart form."""
    kind, _ = parse_options_header(call.header("content-type") or "")
    if kind == b"application/x-www-form-urlencoded":
        pairs = parse_qsl(call.body.decode("utf-8", errors="replace"), keep_blank_values=True)
        return Form(fields=dict(reversed(pairs)))
    if kind != b"multipart/form-data" or not call.body:
        return Form()
    parser = MultiPartParser(
        call.request.headers, _body(call), max_files=1000, max_fields=1000, max_part_size=MAX_FIELD_BYTES
    )
    try:
        parsed = await parser.parse()
    except (MultiPartException, KeyError, ValueError):
        return Form()
    form = Form()
    try:
        for name, value in parsed.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read()
                file_name = value.filename or ""
                upload = Upload(file_name, media_type(value.content_type, file_name), data)
                form.files.setdefault(name, []).append(upload)
            else:
                form.fields.setdefault(name, value)
    finally:
        await parsed.close()
    return form


def content_disposition(file_name: str) -> str:
    """``attachment;filename=<name>``: the name as sent where it is plain ASCII, else an ASCII stand-in
    and the UTF-8 name in ``filename*`` (RFC 6266)."""
    safe = "".join(ch if 32 <= ord(ch) < 127 and ch not in '";\\' else "_" for ch in file_name) or "file"
    if safe == file_name:
        return f"attachment;filename={file_name}"
    return f"attachment;filename={safe};filename*=UTF-8''{quote(file_name, safe='')}"
