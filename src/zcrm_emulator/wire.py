"""The wire format both faces share: JSON replies with Zoho's headers, 204s, and request bodies.

Request bodies are parsed as JSON whatever their Content-Type (the official SDK sends none), by orjson
unless they hold a run of 19 or more digits: orjson reads integers beyond 64 bits as floats, so those
bodies (and whatever orjson refuses, e.g. ``1e400`` or a lone surrogate ``"\\ud800"``) go to the
standard library, which keeps every integer exact. A body nested deeper than ``MAX_NESTING`` is
refused before either parser sees it (the standard library's parser recurses, and orjson writes no
more than 254 levels back), without recursion of our own. Replies are serialized with orjson.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from starlette.responses import Response

from zcrm_emulator.errors import Message, ZohoError

JSON_MEDIA_TYPE = "application/json;charset=UTF-8"


def render(payload: Any) -> bytes:
    """The one JSON renderer of every reply."""
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:  # integers beyond 64 bits or lone surrogates, which orjson refuses
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        try:
            return text.encode()
        except UnicodeEncodeError:  # a lone surrogate echoed back (e.g. an unknown key's name): escape it
            return json.dumps(payload, separators=(",", ":")).encode()


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


# Real bodies nest a handful of levels ({"data":[{"Subform":[{"Lookup":{"id":…}}]}]}); this many is
# far beyond them and well within what every parser and serializer on the way handles.
MAX_NESTING = 128
_OPENERS = frozenset(b"[{")
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'[]{}"')))
_STRING = re.compile(rb'"[^"]*"')


def too_deep(body: bytes) -> bool:
    """True when arrays and objects nest more than ``MAX_NESTING`` levels outside strings. A body with
    fewer openers than that cannot (the common case: two counts); otherwise the strings are cut out
    (escaped backslashes and quotes first, so each string is a plain ``"…"``) and the brackets left
    are walked once, stopping at the first level too many."""
    if body.count(b"[") + body.count(b"{") <= MAX_NESTING:
        return False
    bare = body.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    depth = 0
    for byte in _STRING.sub(b"", bare):
        depth = depth + 1 if byte in _OPENERS else depth - 1
        if depth > MAX_NESTING:
            return True
    return False


def _loads(body: bytes) -> Any:
    if too_deep(body):
        raise ValueError("nested too deep")
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
        raise ZohoError("INVALID_DATA", {"expected_data_type": "jsonobject"}, Message.BODY)
    return value
