"""Test connection: one request to the URL the person typed, with the connection's credential, and
what came back. It goes only to that URL (no redirect is followed), obeys the outbound policy
(``--outbound strict`` refuses private and loopback hosts, delivery/rules.py), and waits at most
10 s. The credential is looked up (and an expired token refreshed) in a worker thread, so the
server keeps answering meanwhile — a refresh at this very server's token URL included.

Where the credential goes follows ``connections.Credential``; API-key form fields go into a
form body when the test sends no body of its own, and into the query string otherwise.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx

from zcrm_emulator.connections import Credential, CredentialUnavailable, credential_for
from zcrm_emulator.delivery import refused_by
from zcrm_emulator.delivery.rules import RESPONSE_KEPT_CHARS
from zcrm_emulator.emulator import Emulator

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
BODY_METHODS = ("POST", "PUT", "PATCH")
TIMEOUT_S = 10.0
USER_AGENT = "ZohoCRM-Emulator-Connections"
SHOWN_SECRET_CHARS = 6


@dataclass(frozen=True)
class Outcome:
    """What the page shows: the request as sent (credential values shortened) and the answer, or
    why there was none."""

    method: str
    url: str
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    status_code: int | None = None
    content_type: str | None = None
    body: str | None = None
    error: str | None = None
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def checked_target(method: str, url: str) -> str | None:
    """Why the request cannot be sent as typed; None when it can."""
    if method not in METHODS:
        return f"The method must be one of {', '.join(METHODS)}."
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        return "The URL must be a full http:// or https:// address."
    return None


def with_query(url: str, pairs: list[tuple[str, str]]) -> str:
    """``url`` with ``pairs`` added after the query it already has (fragment dropped: never sent)."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(pairs)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def shortened(value: str) -> str:
    scheme, _, rest = value.partition(" ")
    if rest and scheme in ("Bearer", "Basic", "Zoho-oauthtoken"):
        return f"{scheme} {shortened(rest)}"
    return value[:SHOWN_SECRET_CHARS] + "…" if len(value) > SHOWN_SECRET_CHARS else "…"


def build(method: str, url: str, body: str, credential: Credential) -> tuple[httpx.Request, Outcome]:
    """The request to send, and how the page shows it (credential values shortened)."""
    headers = list(credential.headers)
    query = list(credential.query)
    content: bytes | None = None
    if body:
        content = body.encode()
        headers.append(("Content-Type", _content_type(body)))
        query += credential.form
    elif credential.form and method in BODY_METHODS:
        content = urlencode(credential.form).encode()
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    else:
        query += credential.form
    headers.append(("User-Agent", USER_AGENT))
    request = httpx.Request(method, with_query(url, query), headers=headers, content=content)
    secret_names = {name.lower() for name, _ in credential.headers}
    shown_headers = [(n, shortened(v) if n.lower() in secret_names else v) for n, v in headers]
    shown_url = with_query(url, [(n, shortened(v)) for n, v in query])
    return request, Outcome(method, shown_url, shown_headers)


def _content_type(body: str) -> str:
    try:
        json.loads(body)
    except ValueError:
        return "text/plain; charset=utf-8"
    return "application/json"


def _credential(emulator: Emulator, org_id: str, link_name: str) -> Credential:
    with emulator.store.tx(writes=True) as conn:
        return credential_for(conn, emulator.clock, org_id, link_name, policy=emulator.deliveries.policy)


async def run(emulator: Emulator, org_id: str, link_name: str, method: str, url: str, body: str) -> Outcome:
    """Send the test request and say what happened (never raises for the target's behaviour)."""
    if refused_by(emulator.deliveries.policy, url):
        return Outcome(method, url, error="Refused: the outbound policy forbids private and loopback hosts.")
    try:
        credential = await asyncio.to_thread(_credential, emulator, org_id, link_name)
    except CredentialUnavailable as unavailable:
        return Outcome(method, url, error=f"No credential: {unavailable}.")
    request, shown = build(method, url, body, credential)
    began = time.perf_counter()
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_S, follow_redirects=False) as client:
            response = await client.send(request)
    except httpx.HTTPError as problem:
        return Outcome(shown.method, shown.url, shown.request_headers, error=f"{type(problem).__name__}: {problem}")
    return Outcome(
        shown.method,
        shown.url,
        shown.request_headers,
        status_code=response.status_code,
        content_type=response.headers.get("content-type"),
        body=response.text[:RESPONSE_KEPT_CHARS],
        duration_ms=int((time.perf_counter() - began) * 1000),
    )
