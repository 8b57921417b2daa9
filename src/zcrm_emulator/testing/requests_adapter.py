"""``requests`` against the in-process emulator: a transport adapter whose ``send`` hands the request
to an ``InProcessApp`` (transports.py) instead of a socket, so code built on ``requests`` (the
official Python SDK among it) runs against the emulator with no server and no port.

Mount it on a session for the emulator's base URL (``session.mount(base_url + "/", adapter)``), or,
for code that makes its own sessions (``requests.get`` …, as the SDK does), mount it on every
session made within ``route_requests(...)``. Timeouts, proxies and TLS options have no meaning
in-process and are ignored; responses arrive whole.
"""

from __future__ import annotations

import http.client
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
import requests
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from urllib3 import HTTPHeaderDict, HTTPResponse

from zcrm_emulator.testing.transports import InProcessApp


def _body_bytes(body: object) -> bytes:
    """A prepared body as the bytes the wire would carry (``http.client`` encodes text as Latin-1)."""
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("iso-8859-1")
    read = getattr(body, "read", None)
    if callable(read):  # a file given as the body
        data = read()
        return data.encode("iso-8859-1") if isinstance(data, str) else bytes(data)
    return b"".join(chunk.encode("iso-8859-1") if isinstance(chunk, str) else bytes(chunk) for chunk in body)  # type: ignore[attr-defined]


def _text(value: str | bytes) -> str:
    return value if isinstance(value, str) else value.decode("iso-8859-1")


class _Beneath:
    """Stands for the ``http.client`` response beneath urllib3's, which requests reads cookies from
    (``msg``) and urllib3 closes."""

    def __init__(self, msg: http.client.HTTPMessage, method: str) -> None:
        self.msg = msg
        self._method = method
        self._closed = False

    def close(self) -> None:
        self._closed = True

    def isclosed(self) -> bool:
        return self._closed


class InProcessAdapter(HTTPAdapter):
    """A ``requests`` transport adapter that answers from an in-process app."""

    def __init__(self, app: InProcessApp) -> None:
        super().__init__()
        self.app = app

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        outgoing = httpx.Request(
            str(request.method),
            str(request.url),
            headers=[(name, _text(value)) for name, value in request.headers.items()],
            content=_body_bytes(request.body),
        )
        answer = self.app.send(outgoing)
        body = b"".join(answer.iter_raw())  # still encoded: urllib3 decodes it, as off a socket
        headers = HTTPHeaderDict()
        message = http.client.HTTPMessage()
        for name, value in answer.headers.multi_items():
            headers.add(name, value)
            message[name] = value  # each Set-Cookie kept apart, for the cookie jar
        beneath: Any = _Beneath(message, str(request.method))
        raw = HTTPResponse(
            body=io.BytesIO(body),
            headers=headers,
            status=answer.status_code,
            reason=answer.reason_phrase,
            preload_content=False,
            decode_content=True,  # as over a socket: requests decodes a gzip body itself
            request_method=str(request.method),
            original_response=beneath,
            request_url=str(request.url),
        )
        return self.build_response(request, raw)


def mount_prefix(base_url: str) -> str:
    """The prefix an adapter is mounted on for ``base_url``: with its trailing slash, so that
    ``http://127.0.0.1:8000`` does not also take ``http://127.0.0.1:80001``."""
    return base_url.rstrip("/") + "/"


@contextmanager
def route_requests(base_url: str, app: InProcessApp) -> Iterator[InProcessAdapter]:
    """Within the block, every ``requests`` session made (``requests.get`` … make one per call)
    sends requests for ``base_url`` to ``app``; other URLs go out as usual."""
    adapter = InProcessAdapter(app)
    prefix = mount_prefix(base_url)
    original = requests.Session.__init__

    def init(session: requests.Session) -> None:
        original(session)
        session.mount(prefix, adapter)

    requests.Session.__init__ = init  # type: ignore[method-assign, assignment]
    try:
        yield adapter
    finally:
        requests.Session.__init__ = original  # type: ignore[method-assign]
