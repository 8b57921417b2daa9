"""Zoho's rules for record attachments (OAS attachments.json; OASx attachments examples): limits,
the link checks, what a listed attachment looks like, and how a download names its file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.uploads import Upload

# The v8 docs: 20 MB per file. The request body limit (bodysize.py) bounds the whole request too.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_URL_LENGTH = 3000  # OASx uploadAttachment: attachmentUrl maxLength
MAX_TITLE_LENGTH = 255  # OASx uploadAttachment: title 1..255
MAX_DELETE_IDS = 100  # as many as one records delete takes
MAX_PER_PAGE = 200

UPLOADED = "attachment uploaded successfully"
DELETED = "record deleted"

FILE_TYPE = "File"
LINK_TYPE = "Link URL"

# The keys of a listed attachment (OAS attachments.json "Attachment"); ``id`` always comes, and so do
# the ``$`` keys, as with records.
FIELDS = (
    "Owner",
    "Modified_By",
    "Created_By",
    "Parent_Id",
    "id",
    "Modified_Time",
    "Created_Time",
    "File_Name",
    "Size",
)


@dataclass(frozen=True)
class Attachment:
    """One stored attachment, as the repo reads it."""

    id: str
    module_id: str
    record_id: str
    file_id: str | None
    digest: str | None
    content_type: str | None
    link_url: str | None
    file_name: str
    size: int
    owner_id: str
    created_by: str
    created_ms: int
    modified_by: str
    modified_ms: int

    @property
    def is_link(self) -> bool:
        return self.link_url is not None


def check_link(url: str | None, title: str | None) -> tuple[str, str]:
    """A link attachment's URL and its name (the title when given, else the URL itself)."""
    url = (url or "").strip()
    parts = urlsplit(url) if len(url) <= MAX_URL_LENGTH else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in url:
        raise ZohoError("INVALID_URL_PATTERN", {}, Message.ATTACHMENT_URL_INVALID, status=400)
    if title is None:
        return url, url
    title = title.strip()
    if not title or len(title) > MAX_TITLE_LENGTH:
        raise ZohoError("INVALID_DATA", {"param_name": "title", "maximum_length": MAX_TITLE_LENGTH})
    return url, title


def check_file(upload: Upload) -> Upload:
    if len(upload.data) > MAX_FILE_BYTES:
        raise ZohoError("FILE_SIZE_MORE_THAN_ALLOWED_SIZE", {}, Message.FILE_SIZE_RANGE)
    if not upload.name.strip():
        raise ZohoError("MANDATORY_NOT_FOUND", {}, Message.REQUIRED_FIELD)
    return upload


def wanted(raw: str | None) -> list[str]:
    """The ``fields`` param (mandatory, as for record lists): known keys only."""
    names = [part.strip() for part in (raw or "").split(",") if part.strip()]
    if not names:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "fields"}, Message.EXPECTED_PARAM_MISSING)
    return [name for name in dict.fromkeys(names) if name in FIELDS or name.startswith("$")]


def listed(
    item: Attachment,
    names: Iterable[str],
    *,
    module: str,
    parent_name: str | None,
    user: Any,
    time: Any,
) -> dict[str, Any]:
    """One attachment of the list. ``user(id)`` gives ``{name, id, email}``, ``time(ms)`` ISO text."""
    every = {
        "Owner": user(item.owner_id),
        "Modified_By": user(item.modified_by),
        "Created_By": user(item.created_by),
        "Parent_Id": {"name": parent_name, "id": item.record_id},
        "Modified_Time": time(item.modified_ms),
        "Created_Time": time(item.created_ms),
        "File_Name": item.file_name,
        "Size": str(item.size),
    }
    shown: dict[str, Any] = {name: every[name] for name in names if name in every}
    shown.update(
        {
            "id": item.id,
            "$editable": True,
            "$file_id": item.file_id,
            "$type": LINK_TYPE if item.is_link else FILE_TYPE,
            "$se_module": module,
            "$state": "save",
            "$link_url": item.link_url,
            "$sharing_permission": "full_access",
            "$field_states": None,
        }
    )
    return shown
