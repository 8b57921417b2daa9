"""The delivery engine: requests the emulator sends out are stored first, in the transaction that
decided to send them, and sent after it commits, never inside a request's transaction.

    Deliveries.enqueue(conn, outbound)   store it (with the caller's transaction)
    Deliveries.kick()                    after the commit: send what is due (sync mode: right now, so
                                         the API call that caused it answers after it; async mode:
                                         wake the background sender)
    Deliveries.run()                     the background sender (the app's lifespan runs it)
    Deliveries.flush()                   return once nothing is pending (tests wait for quiescence)

Every attempt is recorded with the request as sent and what came back. Several workers may share a
database: a claimed delivery is leased to one of them (repo.claim_due), and a worker killed mid-attempt
gives it back when the lease ends, so a kill -9 never loses one (at worst it is sent twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from zcrm_emulator import ids
from zcrm_emulator.clock import Clock
from zcrm_emulator.delivery import repo
from zcrm_emulator.delivery.rules import RESPONSE_KEPT_CHARS, USER_AGENT, DeliveryPolicy, failure_reason, refused_by
from zcrm_emulator.store import Store

log = logging.getLogger("zcrm_emulator.delivery")

LEASE_MS = 60_000  # longer than any attempt (timeout 10 s) with room to record it
BATCH = 20
POLL_S = 0.5  # how often the background sender looks for work another worker or a clock advance made due


@dataclass(frozen=True)
class Outbound:
    """One request to send: where, how, and what it was for (``context``, for the logs)."""

    org_id: str
    source: str  # webhook | watch | connection_test
    source_id: str | None
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: str | None
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sent:
    status_code: int | None
    response_body: str | None
    error: str | None
    duration_ms: int
    request_headers: list[list[str]]


class Deliveries:
    def __init__(self, store: Store, clock: Clock, policy: DeliveryPolicy, mode: str = "async") -> None:
        self.store = store
        self.clock = clock
        self.policy = policy
        self.mode = mode
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.on_attempt: list[Callable[[str, Sent], None]] = []  # e.g. tests counting attempts

    # --- storing -----------------------------------------------------------------------------
    def enqueue(self, conn: Any, outbound: Outbound) -> str:
        """Store a request to send, in the caller's transaction; returns its id."""
        delivery_id = ids.allocate(conn, outbound.org_id)[0]
        now = self.clock.now_ms()
        repo.insert_delivery(
            conn,
            id=delivery_id,
            org_id=outbound.org_id,
            source=outbound.source,
            source_id=outbound.source_id,
            context=outbound.context,
            method=outbound.method,
            url=outbound.url,
            headers=[list(pair) for pair in outbound.headers],
            body=outbound.body,
            max_attempts=self.policy.attempts,
            next_attempt_ms=now,
            created_ms=now,
        )
        return delivery_id

    def kick(self) -> None:
        """Something was stored and committed: send it (sync) or wake the sender (async)."""
        if self.mode == "sync":
            self.deliver_due()
        elif self._wake is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    # --- sending -----------------------------------------------------------------------------
    def _claim(self) -> list[repo.Claimed]:
        with self.store.tx(writes=True) as conn:
            return repo.claim_due(conn, now_ms=self.clock.now_ms(), wall_ms=_wall_ms(), lease_ms=LEASE_MS, limit=BATCH)

    def _request(self, claimed: repo.Claimed) -> httpx.Request:
        headers = [(name, value) for name, value in claimed.headers]
        if not any(name.lower() == "user-agent" for name, _ in headers):
            headers.append(("User-Agent", USER_AGENT))
        content = claimed.body.encode() if claimed.body is not None else None
        return httpx.Request(claimed.method, claimed.url, headers=headers, content=content)

    def _prepared(self, claimed: repo.Claimed) -> httpx.Request | Sent:
        """The request, or the failed attempt of one that cannot be built (a URL that a resolved
        merge token made unparsable, a header value outside ASCII): a round never stops on one."""
        try:
            return self._request(claimed)
        except (httpx.InvalidURL, ValueError) as problem:
            return Sent(None, None, f"invalid request: {problem}", 0, [list(pair) for pair in claimed.headers])

    def _settle(self, claimed: repo.Claimed, sent: Sent, started_ms: int) -> None:
        number = claimed.attempts + 1
        reason = failure_reason(sent.status_code, sent.error)
        with self.store.tx(writes=True) as conn:
            repo.record_attempt(
                conn,
                delivery_id=claimed.id,
                number=number,
                started_ms=started_ms,
                duration_ms=sent.duration_ms,
                request_headers=sent.request_headers,
                status_code=sent.status_code,
                response_body=sent.response_body,
                error=sent.error,
            )
            now = self.clock.now_ms()
            if reason is None:
                repo.finish(conn, claimed.id, status=repo.DELIVERED, attempts=number, finished_ms=now, reason=None)
            elif number >= claimed.max_attempts:
                repo.finish(conn, claimed.id, status=repo.FAILED, attempts=number, finished_ms=now, reason=reason)
            else:
                later = now + self.policy.next_attempt_after_ms(number)
                repo.retry_later(conn, claimed.id, attempts=number, next_attempt_ms=later, reason=reason)
        for listener in list(self.on_attempt):
            listener(claimed.id, sent)

    def deliver_due(self) -> int:
        """Send everything due now, here (sync mode and ``flush`` in sync mode); returns how many."""
        sent_count = 0
        with httpx.Client(timeout=self.policy.timeout_s, follow_redirects=False) as client:
            while claimed_batch := self._claim():
                for claimed in claimed_batch:
                    started_ms = self.clock.now_ms()
                    self._settle(claimed, self._send_sync(client, claimed), started_ms)
                    sent_count += 1
        return sent_count

    def _send_sync(self, client: httpx.Client, claimed: repo.Claimed) -> Sent:
        request = self._prepared(claimed)
        if isinstance(request, Sent):
            return request
        began = time.perf_counter()
        if refused_by(self.policy, claimed.url):
            return _refused(request)
        try:
            response = client.send(request)
        except httpx.HTTPError as problem:
            return _failed(request, problem, began)
        return _answered(request, response.status_code, response.text, began)

    async def _send_async(self, client: httpx.AsyncClient, claimed: repo.Claimed) -> Sent:
        request = self._prepared(claimed)
        if isinstance(request, Sent):
            return request
        began = time.perf_counter()
        if refused_by(self.policy, claimed.url):
            return _refused(request)
        try:
            response = await client.send(request)
        except httpx.HTTPError as problem:
            return _failed(request, problem, began)
        return _answered(request, response.status_code, response.text, began)

    async def run(self) -> None:
        """The background sender: wakes on ``kick`` or every ``POLL_S``, sends what is due."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        async with httpx.AsyncClient(timeout=self.policy.timeout_s, follow_redirects=False) as client:
            while True:
                self._wake.clear()
                try:
                    await self._send_due_async(client)
                except Exception:  # a broken store or a bug: log it and keep the sender alive
                    log.exception("delivery round failed")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), POLL_S)

    async def _send_due_async(self, client: httpx.AsyncClient) -> None:
        while claimed_batch := self._claim():
            for claimed in claimed_batch:
                started_ms = self.clock.now_ms()
                self._settle(claimed, await self._send_async(client, claimed), started_ms)

    async def flush(self, timeout_s: float = 30.0) -> bool:
        """Wait until no delivery is pending (retries included); False when ``timeout_s`` ran out."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.mode == "sync" or self._loop is None:
                await asyncio.to_thread(self.deliver_due)
            else:
                self.kick()
            with self.store.tx() as conn:
                if repo.pending_count(conn) == 0:
                    return True
            await asyncio.sleep(0.05)
        return False


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def _headers_of(request: httpx.Request) -> list[list[str]]:
    """The headers as they went on the wire, in their own case."""
    return [[name.decode("latin-1"), value.decode("latin-1")] for name, value in request.headers.raw]


def _refused(request: httpx.Request) -> Sent:
    return Sent(None, None, "refused: the outbound policy forbids private and loopback hosts", 0, _headers_of(request))


def _failed(request: httpx.Request, problem: httpx.HTTPError, began: float) -> Sent:
    return Sent(None, None, f"{type(problem).__name__}: {problem}", _elapsed_ms(began), _headers_of(request))


def _answered(request: httpx.Request, status: int, text: str, began: float) -> Sent:
    return Sent(status, text[:RESPONSE_KEPT_CHARS], None, _elapsed_ms(began), _headers_of(request))


def _elapsed_ms(began: float) -> int:
    return int((time.perf_counter() - began) * 1000)
