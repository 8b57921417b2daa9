"""The wire format both faces share: JSON replies with Zoho's headers, 204s, and request bodies.

Request bodies are parsed as JSON whatever their Content-Type (the official SDK sends none), by orjson
unless they hold a run of 19 or more digits: orjson reads integers beyond 64 bits as floats, so those
bodies (and whatever orjson refuses, e.g. ``1e400``) go to the standard library, which keeps every
integer exact. Replies are serialized with orjson.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.responses import Response

from zcrm_emulator.errors import ZohoError

JSON_MEDIA_TYPE = "application/json;charset=UTF-8"


def render(payload: Any) -> bytes:
    """The one JSON renderer of every reply."""
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:  # integers beyond 64 bits, which orjson refuses
        return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


class JSONReply(Response):
    media_type = JSON_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return render(content)


def reply(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONReply(payload, status_code=status, headers=headers)


def reply_rendered(body: bytes, status: int = 200) -> Response:
    """A reply whose JSON was already rendered (``render``), e.g. kept in the memo between requests."""
    return Response(body, status_code=status, media_type=JSON_MEDIA_TYPE)


def no_content(status: int = 204) -> Response:
    """204 (empty list/search, missing one-item GET) and 304: no body, no Content-Type."""
    return Response(status_code=status)


def error_reply(error: ZohoError) -> Response:
    return reply(error.as_item(), status=error.status)


# Digits all read as "0", so a run of 19 is one substring search (a regular expression trying each
# position of a 20 KB body took longer than parsing it).
_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 19


def _loads(body: bytes) -> Any:
    if _LONG_NUMBER not in body.translate(_AS_ZEROS):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass  # the standard library decides (it reads a few things orjson refuses)
    return json.loads(body)


def parse_object(body: bytes) -> dict[str, Any]:
    """A JSON object body, or Zoho's INVALID_DATA ``{"expected_data_type":"jsonobject"}``."""
    try:
        value = _loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        value = None
    if not isinstance(value, dict):
        raise ZohoError("INVALID_DATA", {"expected_data_type": "jsonobject"}, "body")
    return value
