"""Zoho's rules for the file store (OAS files.json; OASx uploadFiles, getFile; the v8 "Upload Files
to Zoho File System" page): ten files a call, 20 MB each."""

from __future__ import annotations

from dataclasses import dataclass

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.uploads import Upload

MAX_FILES = 10
MAX_FILE_BYTES = 20 * 1024 * 1024
TYPES = ("inline",)  # the ``type`` param: inline images


@dataclass(frozen=True)
class StoredFile:
    id: str
    digest: str
    name: str
    content_type: str
    size: int


def uploaded(name: str) -> str:
    return f"{name} uploaded successfully"


def check_uploads(uploads: list[Upload]) -> list[Upload]:
    """The files of one call: at least one (each with a name and bytes), at most ten, each at most 20 MB."""
    if not uploads or any(not upload.name.strip() or not upload.data for upload in uploads):
        raise ZohoError("failure_in_attachment_handling")
    if len(uploads) > MAX_FILES:
        raise ZohoError("INVALID_REQUEST", {}, Message.REQUEST_UNPROCESSABLE)
    if any(len(upload.data) > MAX_FILE_BYTES for upload in uploads):
        raise ZohoError("FILE_SIZE_MORE_THAN_ALLOWED_SIZE", {}, Message.FILE_SIZE_RANGE, status=400)
    return uploads
