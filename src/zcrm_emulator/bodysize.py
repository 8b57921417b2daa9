"""The request body limit: a body larger than ``Settings.max_body_bytes`` is refused with Zoho's
413 envelope before it is read, by its ``Content-Length`` when it declares one, else as soon as the
chunks received pass the limit (``Transfer-Encoding: chunked``). Zoho publishes no figure for JSON
bodies; its largest documented request is a 20 MB file upload, the default here (docs/decisions.md).

Bodies within the limit are gathered here and handed on whole (every endpoint reads its body whole
anyway), so no handler has to know about the limit.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.wire import error_reply


def too_large(limit: int) -> ZohoError:
    return ZohoError("FILE_SIZE_MORE_THAN_ALLOWED_SIZE", {"maximum_size": limit})


def _framing(scope: Scope) -> tuple[int | None, bool]:
    """The declared ``Content-Length`` (None when absent or unreadable) and whether the body is chunked."""
    length, chunked = None, False
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            length = int(value) if value.isdigit() else None
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
    return length, chunked


class BodySizeLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length, chunked = _framing(scope)
        if length is None and not chunked:  # no body (GET, HEAD, a bare POST)
            await self.app(scope, receive, send)
            return
        if length is not None and length > self.limit:
            await error_reply(too_large(self.limit))(scope, receive, send)
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.limit:
                await error_reply(too_large(self.limit))(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the app: the gathered body once, then whatever the client sends next
    (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
