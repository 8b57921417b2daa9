"""The ASGI middleware that journals each request (journal/__init__.py), inside the access log (whose
request id it takes) and outside the body limit and fault injection (whose answers it records too).

It reads what passes, changing nothing: the body chunks on their way in and out, the status and
headers, and what the gateway leaves on the request's state (``principal``, ``credits``) and fault
injection (``fault``). Only the first ``journal_body_bytes`` of a body are kept, and nothing is
parsed or redacted while the request is served: the entry is built from what was kept when the
journal is read (``Journal.record`` takes a builder), so a long answer costs the journal no more
than a short one, and a request none at all beyond keeping those bytes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zcrm_emulator.faults.middleware import face_of, module_of
from zcrm_emulator.faults.rules import Fault
from zcrm_emulator.journal import Entry, Journal, redact

# The journal's own reads: the control read and the console page, which reloads itself every few
# seconds and would otherwise push the requests it shows out of the ring.
NOT_JOURNALED = ("/_emulator/requests", "/console/requests")


class _Capture:
    """The first ``keep`` bytes of a body as they pass, and its size."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.head = bytearray()
        self.size = 0

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if len(self.head) < self.keep:
            self.head += chunk[: self.keep - len(self.head)]

    def text(self, content_type: str | None) -> tuple[str | None, bool]:
        return redact.body(bytes(self.head), self.size, content_type)


class RecordRequests:
    def __init__(self, app: ASGIApp, journal: Journal, now_ms: Callable[[], int]) -> None:
        self.app = app
        self.journal = journal
        self.now_ms = now_ms

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(NOT_JOURNALED):
            await self.app(scope, receive, send)
            return
        started, time_ms = time.perf_counter(), self.now_ms()
        asked, answered = _Capture(self.journal.body_bytes), _Capture(self.journal.body_bytes)
        status: int | None = None
        response_headers: list[tuple[bytes, bytes]] = []

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                asked.add(message.get("body", b""))
            return message

        async def send_and_keep(message: Message) -> None:
            nonlocal status, response_headers
            if message["type"] == "http.response.start":
                status, response_headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                answered.add(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_keep)
        except Exception:
            status = 500 if status is None else status
            raise
        finally:
            fault = scope.get("state", {}).get("fault")
            if isinstance(fault, Fault) and fault.drop:
                status = None
            duration_ms = round((time.perf_counter() - started) * 1000, 2)

            state = scope.get("state", {})
            kept = {  # what the entry is built from, not the whole scope (the ring would hold it)
                "path": scope["path"],
                "method": scope["method"],
                "query_string": scope.get("query_string", b""),
                "headers": scope.get("headers", []),
                "state": {key: state.get(key) for key in ("principal", "credits", "request_id")},
            }

            def entry() -> Entry:  # built when the journal is read: redaction is off the request's path
                return self._entry(kept, time_ms, duration_ms, asked, answered, status, response_headers, fault)

            self.journal.record(entry)

    def _entry(
        self,
        scope: Scope,
        time_ms: int,
        duration_ms: float,
        asked: _Capture,
        answered: _Capture,
        status: int | None,
        response_headers: list[tuple[bytes, bytes]],
        fault: object,
    ) -> Entry:
        state: dict[str, Any] = scope.get("state", {})
        path, face = scope["path"], face_of(scope["path"])
        raw_query = scope.get("query_string", b"").decode("latin-1")
        request_headers = redact.headers(list(scope.get("headers", [])))
        shown_response_headers = redact.headers(response_headers)
        request_body, request_cut = asked.text(request_headers.get("content-type"))
        response_body, response_cut = answered.text(shown_response_headers.get("content-type"))
        principal = state.get("principal")
        client_id = getattr(principal, "client_id", None)
        if face == "accounts":
            client_id = _client_id(raw_query, bytes(asked.head), request_headers.get("content-type"))
        credits = state.get("credits")
        return Entry(
            id=str(state.get("request_id") or uuid.uuid4().hex[:16]),
            time_ms=time_ms,
            face=face,
            method=scope["method"],
            path=path,
            query=redact.query(raw_query),
            module=module_of(path, parse_qs(raw_query)) if face == "crm" else None,
            request_headers=request_headers,
            request_body=request_body,
            request_body_truncated=request_cut,
            status=status,
            response_headers=shown_response_headers,
            response_body=response_body,
            response_body_truncated=response_cut,
            duration_ms=duration_ms,
            org_id=getattr(principal, "org_id", None),
            user_id=getattr(principal, "user_id", None),
            client_id=client_id,
            credits=credits if isinstance(credits, int) else None,
            fault=_fault_mark(fault),
        )


def _fault_mark(fault: object) -> dict[str, Any] | None:
    if not isinstance(fault, Fault):
        return None
    if fault.drop:
        action = "drop"
    elif fault.error is not None or fault.accounts_error is not None:
        action = "error"
    else:
        action = "latency"
    return {
        "id": fault.id,
        "action": action,
        "error": fault.error or fault.accounts_error,
        "latency_ms": fault.latency_ms,
    }


def _client_id(raw_query: str, body: bytes, content_type: str | None) -> str | None:
    found = parse_qs(raw_query).get("client_id")
    if not found and (content_type or "").startswith(redact.FORM_MEDIA):
        found = parse_qs(body.decode("utf-8", "replace")).get("client_id")
    return found[0] if found else None
