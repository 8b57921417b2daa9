"""The in-process transports on a small app of their own: what reaches the app, what comes back,
the app's lifespan, and that no socket is used."""

from __future__ import annotations

import gzip
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import requests
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from zcrm_emulator.testing.requests_adapter import InProcessAdapter, mount_prefix, route_requests
from zcrm_emulator.testing.transports import InProcessApp, InProcessTransport

BASE = "http://crm.localhost:8123"


async def echo(request: Request) -> Response:
    body = await request.body()
    return JSONResponse(
        {
            "method": request.method,
            "path": request.url.path,
            "query": request.url.query,
            "host": request.headers.get("host"),
            "client": request.client.host if request.client else None,
            "header": request.headers.get("x-test"),
            "body": body.decode("utf-8", "replace"),
            "started": request.app.state.started,
        }
    )


async def cookie(request: Request) -> Response:
    response = Response("ok")
    response.set_cookie("first", "1")
    response.set_cookie("second", "2")
    return response


async def zipped(request: Request) -> Response:
    return Response(gzip.compress(b"compressed body"), headers={"Content-Encoding": "gzip"})


def make_app(events: list[str]) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        events.append("startup")
        app.state.started = True
        yield
        events.append("shutdown")

    return Starlette(
        routes=[
            Route("/echo/{rest:path}", echo, methods=["GET", "POST", "PUT"]),
            Route("/cookie", cookie),
            Route("/zipped", zipped),
        ],
        lifespan=lifespan,
    )


@pytest.fixture
def events() -> list[str]:
    return []


@pytest.fixture
def running(events: list[str]) -> Iterator[InProcessApp]:
    with InProcessApp(make_app(events)) as app:
        yield app


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to connect a socket fails the test."""

    def refuse(self: socket.socket, *args: Any) -> None:
        raise AssertionError(f"a socket was connected to {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def test_the_lifespan_runs_once_from_start_to_close(events: list[str]) -> None:
    app = InProcessApp(make_app(events))
    with pytest.raises(RuntimeError, match="not running"):
        app.send(httpx.Request("GET", f"{BASE}/echo/x"))
    with app:
        assert events == ["startup"]
        app.start()  # already running: nothing more
        assert events == ["startup"]
    assert events == ["startup", "shutdown"]
    assert not app.running


@pytest.mark.usefixtures("no_sockets")
def test_httpx_requests_reach_the_app_whole(running: InProcessApp) -> None:
    with httpx.Client(transport=InProcessTransport(running), base_url=BASE) as client:
        answer = client.post("/echo/a/b", params={"q": "1 2"}, content=b"payload", headers={"X-Test": "yes"})
    assert answer.status_code == 200
    assert answer.json() == {
        "method": "POST",
        "path": "/echo/a/b",
        "query": "q=1+2",
        "host": "crm.localhost:8123",
        "client": "127.0.0.1",
        "header": "yes",
        "body": "payload",
        "started": True,
    }


def test_an_httpx_body_from_a_generator_is_sent(running: InProcessApp) -> None:
    def parts() -> Iterator[bytes]:
        yield b"one,"
        yield b"two"

    with httpx.Client(transport=InProcessTransport(running), base_url=BASE) as client:
        assert client.put("/echo/", content=parts()).json()["body"] == "one,two"


def test_httpx_decodes_a_compressed_body(running: InProcessApp) -> None:
    with httpx.Client(transport=InProcessTransport(running), base_url=BASE) as client:
        answer = client.get("/zipped")
    assert (answer.headers["content-encoding"], answer.content) == ("gzip", b"compressed body")


@pytest.mark.usefixtures("no_sockets")
def test_a_requests_session_reaches_the_app_through_the_adapter(running: InProcessApp) -> None:
    session = requests.Session()
    session.mount(mount_prefix(BASE), InProcessAdapter(running))
    answer = session.post(f"{BASE}/echo/form", data={"name": "Ada Lovelace"}, headers={"X-Test": "form"})
    assert answer.status_code == 200
    assert (answer.json()["method"], answer.json()["body"], answer.json()["header"]) == (
        "POST",
        "name=Ada+Lovelace",
        "form",
    )
    assert answer.url == f"{BASE}/echo/form"
    assert answer.headers["content-type"] == "application/json"


def test_requests_decodes_a_compressed_body_and_keeps_cookies(running: InProcessApp) -> None:
    session = requests.Session()
    session.mount(mount_prefix(BASE), InProcessAdapter(running))
    assert session.get(f"{BASE}/zipped").content == b"compressed body"
    assert session.get(f"{BASE}/cookie").cookies.get_dict() == {"first": "1", "second": "2"}
    assert session.cookies.get_dict() == {"first": "1", "second": "2"}


def test_a_text_body_travels_as_latin_1_as_over_a_socket(running: InProcessApp) -> None:
    session = requests.Session()
    session.mount(mount_prefix(BASE), InProcessAdapter(running))
    assert session.post(f"{BASE}/echo/", data="café").json()["body"] == "caf\ufffd"  # é in Latin-1
    assert session.post(f"{BASE}/echo/", data="café".encode()).json()["body"] == "café"


def test_the_adapter_takes_only_its_own_base_url() -> None:
    prefix = mount_prefix("http://127.0.0.1:8000")
    assert "http://127.0.0.1:8000/crm".startswith(prefix)
    assert not "http://127.0.0.1:80001/crm".startswith(prefix)


@pytest.mark.usefixtures("no_sockets")
def test_route_requests_reaches_sessions_made_inside_it_only(running: InProcessApp) -> None:
    original = requests.Session.__init__
    with route_requests(BASE, running) as adapter:
        assert requests.get(f"{BASE}/echo/module-level", timeout=5).json()["path"] == "/echo/module-level"
        assert requests.Session().get_adapter(f"{BASE}/x") is adapter
        assert not isinstance(requests.Session().get_adapter("http://other.localhost/x"), InProcessAdapter)
    assert requests.Session.__init__ is original
    assert not isinstance(requests.Session().get_adapter(f"{BASE}/x"), InProcessAdapter)
