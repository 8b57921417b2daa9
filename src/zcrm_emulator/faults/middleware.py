"""The ASGI middleware that applies fault rules (faults/rules.py) before a request reaches any face.

It sits inside the body limit and the request journal (app.py), so an injected answer is journaled
like any other, marked with the rule (``scope["state"]["fault"]``). A dropped connection sends the
status line and headers of a response whose body never comes, then fails the request: servers
close the connection then (uvicorn does), and clients report a broken connection. In process (httpx's
``ASGITransport``, Starlette's ``TestClient``) the failure reaches the caller as ``ConnectionDropped``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zcrm_emulator.accounts.tokens import lookup_access_token
from zcrm_emulator.faults import Faults
from zcrm_emulator.faults.rules import Fault, Target
from zcrm_emulator.wire import error_reply, reply

CONTROL_PREFIX = "/_emulator/"
AUTH_SCHEME = "zoho-oauthtoken"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # as the accounts server's own answers


class ConnectionDropped(ConnectionError):
    """A fault rule dropped this request's connection."""


def face_of(path: str) -> str:
    if path.startswith("/crm/"):
        return "crm"
    if path.startswith("/oauth/"):
        return "accounts"
    if path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/"):
        return "control"
    return "console"


def module_of(path: str, query: dict[str, list[str]]) -> str | None:
    """A CRM call's module: its ``module`` parameter, else the path segment after the version (none
    on the bulk APIs, whose module is in the body)."""
    if "module" in query:
        return query["module"][0]
    parts = path.strip("/").split("/")
    return parts[2] if len(parts) > 2 and parts[0] == "crm" and parts[1] != "bulk" else None


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def bearer(scope: Scope) -> str | None:
    scheme, _, value = (header(scope, b"authorization") or "").strip().partition(" ")
    return (value.strip() or None) if scheme.lower() == AUTH_SCHEME else None


def target_of(scope: Scope) -> Target:
    path = scope["path"]
    face = face_of(path)
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return Target(
        method=scope["method"],
        path=path,
        module=module_of(path, query) if face == "crm" else None,
        token=bearer(scope),
        face=face,
    )


class InjectFaults:
    def __init__(self, app: ASGIApp, faults: Faults, now_ms: Callable[[], int]) -> None:
        self.app = app
        self.faults = faults
        self.now_ms = now_ms

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX) or not self.faults.active():
            await self.app(scope, receive, send)
            return
        target = target_of(scope)
        body = b""
        if target.face == "accounts" and any(f.client is not None for f in self.faults.active()):
            body, receive = await _gather(receive)  # the client id may be in the form body
        fault = self.faults.pick(target, lambda: self._client(scope, target, body))
        if fault is None:
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})["fault"] = fault
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault.drop:
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]})
            raise ConnectionDropped(f"fault {fault.id} dropped the connection")
        answer = _answer(fault)
        if answer is None:  # latency only: the request goes on
            await self.app(scope, receive, send)
            return
        await answer(scope, receive, send)

    def _client(self, scope: Scope, target: Target, body: bytes) -> str | None:
        """The OAuth client of the request: its token's on the CRM face, ``client_id`` on the accounts server."""
        if target.face == "accounts":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            form = parse_qs(body.decode("utf-8", "replace")) if body else {}
            found = query.get("client_id") or form.get("client_id")
            return found[0] if found else None
        if target.token is None:
            return None
        with self.faults.store.tx() as conn:
            token = lookup_access_token(conn, target.token, self.now_ms())
        return None if token is None else token.client_id


def _answer(fault: Fault) -> ASGIApp | None:
    error = fault.zoho_error()
    if error is not None:
        return error_reply(error)
    body = fault.accounts_body()
    if body is not None:
        return reply(body, headers=NO_STORE)  # the accounts server answers its errors with HTTP 200
    return None


async def _gather(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a ``receive`` that hands it on once (then whatever the client sends next)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay
