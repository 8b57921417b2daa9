"""Zoho's rules for downloading a file or image upload field's file (OAS field_attachments.json;
the v8 "Download Field Attachments" page)."""

from __future__ import annotations

from zcrm_emulator.errors import Message, ZohoError

PARAM = "fields_attachment_id"
MEDIA_TYPE = "application/x-download"  # field_attachments.json's 200, as for /files


def attachment_id(value: str | None) -> str:
    """The mandatory ``fields_attachment_id`` (REQUIRED_PARAM_MISSING without it)."""
    if value is None or not value.strip():
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": PARAM})
    return value.strip()


def unknown_attachment() -> ZohoError:
    """No file or image field of the record holds this attachment."""
    return ZohoError("INVALID_DATA", {"param_name": PARAM}, Message.UNKNOWN_ID)


def unknown_record() -> ZohoError:
    """INVALID_DATA ``{resource_path_index: 1}``: the record id names no live record (field_attachments.json)."""
    return ZohoError("INVALID_DATA", {"resource_path_index": 1})
