"""The emulator served inside the test process, with no socket: an ASGI app on an event loop in a
thread of its own (its lifespan started once, so background work such as outbound deliveries and
scheduled workflow actions runs as it does under a server), and an ``httpx`` transport that hands it
requests from synchronous code.

The event loop is anyio's blocking portal; each request is run by httpx's own ``ASGITransport``
(scope, body and response handling stay httpx's), whole responses are buffered, and a request waits
for its answer. The ``requests`` adapter built on the same bridge is in ``requests_adapter.py``.
"""

from __future__ import annotations

from contextlib import ExitStack
from types import TracebackType

import anyio.from_thread
import httpx
from starlette.applications import Starlette

# What the app sees as the caller's address: loopback, as for a client on the same machine (the
# control plane takes loopback callers only when no admin key is set).
LOOPBACK_CLIENT = ("127.0.0.1", 50000)


class InProcessApp:
    """A Starlette app running on an event loop in a thread of this process, from ``start()`` (or
    ``with``) to ``close()``; ``send`` is safe to call from any thread."""

    def __init__(self, app: Starlette, *, client: tuple[str, int] = LOOPBACK_CLIENT) -> None:
        self.app = app
        self._asgi = httpx.ASGITransport(app=app, client=client)
        self._stack = ExitStack()
        self._portal: anyio.from_thread.BlockingPortal | None = None

    def start(self) -> InProcessApp:
        if self._portal is None:
            with ExitStack() as stack:
                portal = stack.enter_context(anyio.from_thread.start_blocking_portal())
                # The app's lifespan stays entered on the portal's loop until close().
                stack.enter_context(portal.wrap_async_context_manager(self.app.router.lifespan_context(self.app)))
                self._stack = stack.pop_all()
                self._portal = portal
        return self

    @property
    def running(self) -> bool:
        return self._portal is not None

    def close(self) -> None:
        """Leave the lifespan (the app's shutdown runs) and stop the loop."""
        self._portal = None
        self._stack.close()

    def __enter__(self) -> InProcessApp:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def send(self, request: httpx.Request) -> httpx.Response:
        """The app's whole answer to ``request``; its body is raw (still content-encoded)."""
        if self._portal is None:
            raise RuntimeError("the in-process app is not running: call start() or use it in a with block")
        request.read()  # a synchronous body becomes bytes, which the loop's side can read
        return self._portal.call(self._answer, request)

    async def _answer(self, request: httpx.Request) -> httpx.Response:
        response = await self._asgi.handle_async_request(request)
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
        return httpx.Response(
            response.status_code,
            headers=response.headers.raw,
            stream=httpx.ByteStream(raw),
            request=request,
            extensions=response.extensions,
        )


class InProcessTransport(httpx.BaseTransport):
    """An ``httpx`` transport for synchronous clients: ``httpx.Client(transport=InProcessTransport(app),
    base_url=...)`` talks to the app with no socket."""

    def __init__(self, app: InProcessApp) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.app.send(request)
