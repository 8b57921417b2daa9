"""Zoho's rules for record photos (the v8 "Upload a Photo" page; OASx uploadRecordPhoto): which
modules have one, the image formats (PNG, JPEG, GIF, BMP, told by their bytes), 10 MB and 10 MP."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.uploads import Upload

MODULES = frozenset({"Leads", "Contacts", "Accounts", "Products", "Deals", "Vendors"})
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 10_000_000

UPLOADED = "Photo uploaded successfully"
DELETED = "Photo deleted successfully"


@dataclass(frozen=True)
class Photo:
    digest: str
    content_type: str
    file_name: str
    modified_ms: int


def has_photo(api_name: str, generated_type: str) -> bool:
    return api_name in MODULES or generated_type == "custom"


def _png(data: bytes) -> tuple[int, int] | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24 and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    return None


def _gif(data: bytes) -> tuple[int, int] | None:
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    return None


def _bmp(data: bytes) -> tuple[int, int] | None:
    if data[:2] == b"BM" and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return abs(width), abs(height)
    return None


_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg(data: bytes) -> tuple[int, int] | None:
    """The size in the first start-of-frame segment."""
    if data[:3] != b"\xff\xd8\xff":
        return None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in _SOF and at + 9 <= len(data):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


FORMATS = (("image/png", _png), ("image/jpeg", _jpeg), ("image/gif", _gif), ("image/bmp", _bmp))


def check_image(upload: Upload) -> tuple[str, int]:
    """The photo's media type (from its bytes) and pixel count; Zoho's refusals otherwise."""
    if len(upload.data) > MAX_BYTES:
        raise ZohoError("FILE_SIZE_EXCEEDS", {"size": MAX_BYTES})
    for media_type, size_of in FORMATS:
        size = size_of(upload.data)
        if size is not None:
            pixels = size[0] * size[1]
            if pixels > MAX_PIXELS:
                raise ZohoError("FILE_RESOLUTION_EXCEEDS", {"resolution": pixels})
            return media_type, pixels
    raise ZohoError("INVALID_DATA", {}, Message.INVALID_FILE_TYPE, status=415)
