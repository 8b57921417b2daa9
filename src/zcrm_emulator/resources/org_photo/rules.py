"""Zoho's rules for the org photo (org_photo.json; the v8 "Upload Organization Photo" and "Delete
Organization Photo" pages): one ``file`` part, an image (PNG, JPEG, GIF, BMP, told by its bytes, as
for a record photo), at most 10 MB and 10 megapixels.

The v8 page's text says 1 MB; its error example and org_photo.json's FILE_SIZE_EXCEEDS carry
``size`` 10485760, which is what the emulator enforces (docs/decisions.md "Org photo").
"""

from __future__ import annotations

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.record_photo import rules as photo_rules
from zcrm_emulator.resources.record_photo.rules import Photo
from zcrm_emulator.uploads import Upload

UPLOADED = "photo uploaded successfully"
DELETED = "Photo deleted"

__all__ = ["DELETED", "UPLOADED", "Photo", "the_image"]


def the_image(uploads: list[Upload]) -> tuple[Upload, str]:
    """The one uploaded image and its media type (from its bytes); Zoho's refusals otherwise."""
    if not uploads or not uploads[0].data:
        raise ZohoError("INVALID_DATA", {}, Message.NO_FILE)
    if len(uploads) > 1:
        raise ZohoError("INVALID_DATA", {}, Message.MORE_THAN_ONE_FILE)
    media_type, _ = photo_rules.check_image(uploads[0])
    return uploads[0], media_type
