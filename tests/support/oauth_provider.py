"""A third-party OAuth 2.0 provider on loopback for connection tests: a real HTTP server in a thread
with an authorize page (an Approve and a Deny button), and a token endpoint taking the
authorization-code and refresh-token grants (RFC 6749 §4.1, §6), client authentication in the form
body. Access tokens are ``at-1``, ``at-2`` … in order of issue; the refresh token is ``rt-1``.
Every token request is recorded; ``refuse_refresh`` makes refreshes answer ``invalid_grant``."""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.conftest import free_port

CLIENT_ID = "provider-client"
CLIENT_SECRET = "provider-secret-value"
REFRESH_TOKEN = "rt-1"


@dataclass
class Provider:
    url: str
    expires_in: int = 3600
    refuse_refresh: bool = False
    refresh_delay_s: float = 0.0  # how long a refresh takes to answer (races between workers)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    raw_authorize_queries: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)  # code -> redirect_uri
    issued: int = 0
    codes_given: int = 0

    @property
    def authorize_url(self) -> str:
        return f"{self.url}/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    def service_item(self, **overrides: Any) -> dict[str, Any]:
        """The keys of a custom OAuth 2 service pointed at this provider."""
        item = {
            "auth_type": "oauth2",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "authorize_url": self.authorize_url,
            "token_url": self.token_url,
            "scopes": ["contacts.read", "contacts.write"],
        }
        item.update(overrides)
        return item

    def next_access_token(self) -> str:
        self.issued += 1
        return f"at-{self.issued}"

    def answer_token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") == "authorization_code":
            redirect_uri = self.codes.pop(form.get("code", ""), None)
            if redirect_uri is None or redirect_uri != form.get("redirect_uri"):
                return 400, {"error": "invalid_grant"}
            token = self.next_access_token()
            return 200, {"access_token": token, "refresh_token": REFRESH_TOKEN, "expires_in": self.expires_in}
        if form.get("grant_type") == "refresh_token":
            time.sleep(self.refresh_delay_s)
            if self.refuse_refresh or form.get("refresh_token") != REFRESH_TOKEN:
                return 400, {"error": "invalid_grant"}
            return 200, {"access_token": self.next_access_token(), "expires_in": self.expires_in}
        return 400, {"error": "unsupported_grant_type"}


def _consent_page(query: dict[str, str]) -> bytes:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in query.items()
        if k in ("redirect_uri", "state")
    )
    return (
        "<html><body><h1 id='provider'>Example Provider</h1>"
        f"<p id='asked-scopes'>{html.escape(query.get('scope', ''))}</p>"
        f"<form method='get' action='/decide'>{hidden}"
        "<button name='decision' value='approve' id='approve'>Approve</button>"
        "<button name='decision' value='deny' id='deny'>Deny</button></form></body></html>"
    ).encode()


@contextmanager
def oauth_provider() -> Iterator[Provider]:
    port = free_port()
    provider = Provider(f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str, location: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/authorize":
                provider.authorize_requests.append(query)
                provider.raw_authorize_queries.append(parts.query)
                self._send(200, _consent_page(query), "text/html")
            elif parts.path == "/decide":
                redirect_uri = query["redirect_uri"]
                if query.get("decision") == "approve":
                    provider.codes_given += 1
                    code = f"code-{provider.codes_given}"
                    provider.codes[code] = redirect_uri
                    answer = {"code": code, "state": query.get("state", "")}
                else:
                    answer = {"error": "access_denied", "state": query.get("state", "")}
                self._send(302, b"", "text/plain", f"{redirect_uri}?{urlencode(answer)}")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path != "/token":
                self._send(404, b"not found", "text/plain")
                return
            status, body = provider.answer_token(form)
            self._send(status, json.dumps(body).encode(), "application/json")

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
