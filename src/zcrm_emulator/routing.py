"""How a CRM resource declares its endpoints, and how a path finds one.

Each ``resources/<name>/routes.py`` exports ``ENDPOINTS``: method, path template under
``/crm/{version}``, handler, the scope it needs, the first version that has it, and its credit cost.
The gateway does the rest (auth, scope, version, credits, errors), so handlers stay thin.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.api_paths import RESERVED_SEGMENTS, VERSIONS
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store.engine import savepoint
from zcrm_emulator.wire import parse_object

if TYPE_CHECKING:
    from zcrm_emulator.admission import Stamps
    from zcrm_emulator.emulator import Emulator


_PARAM_PATTERNS = {
    "str": r"[^/]+",
    "module": r"(?!(?:" + "|".join(RESERVED_SEGMENTS) + r")(?:/|$))[^/]+",
    "id": r"[0-9]+",  # a record id in a path: /{module}/{record_id:id}/{related:related}
    # a related list's api_name: not a record's own sub-resource (photo, actions/…)
    "related": r"(?!(?:photo|actions)(?:/|$))[^/]+",
}


def version_index(version: str) -> int:
    return VERSIONS.index(version)


def version_number(version: str) -> float | int:
    """'v6' -> 6, 'v2.1' -> 2.1: the form Zoho puts in ``details.supported_version``."""
    number = float(version[1:])
    return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved by the gateway from the access token."""

    org_id: str
    user_id: str
    scopes: tuple[str, ...]
    client_id: str | None = None


_PARSED = "routing.parsed_body"  # Call.extra key of the parsed body (or its error)

# Methods whose handlers only read: their work needs no savepoint of its own (see ``Call.tx``).
READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class Call:
    """One CRM request after the gateway accepted it: everything a handler may read.

    ``conn`` is the call's one transaction, opened by the gateway for the token lookup and the credit
    check and committed after the handler returns: one commit per call. Handlers reach it through
    ``tx()`` and must not await I/O while it is open (SQLite would hold its write lock meanwhile).
    """

    request: Request
    emulator: Emulator
    principal: Principal
    version: str
    params: dict[str, str]
    body: bytes
    conn: Connection
    extra: dict[str, Any] = field(default_factory=dict)
    # What runs a request made inside this one (a composite call's sub-requests): the gateway.
    dispatcher: Dispatcher | None = None
    # Credits of the admitted charge the call gives back once handled (a rolled-back composite call).
    credits_returned: int = 0
    # The admission's proof that what the process keeps is current (admission.py); None when the call
    # has none (a function's zapikey, a composite call's sub-requests): each use reads its own stamp.
    stamps: Stamps | None = None

    @contextmanager
    def tx(self) -> Iterator[Connection]:
        """The handler's database work. A write call's work runs in a savepoint, so an error escaping the
        block undoes it and nothing else: the call still commits, and so still costs its credits."""
        if self.request.method in READ_METHODS:
            yield self.conn
        else:
            with savepoint(self.conn):
                yield self.conn

    @property
    def org_id(self) -> str:
        return self.principal.org_id

    @property
    def user_id(self) -> str:
        return self.principal.user_id

    def actor(self, conn: Connection) -> dict[str, Any]:
        """The calling user's object; INVALID_TOKEN for a token that outlived its user."""
        user = users_repo.get_user(conn, self.org_id, self.user_id)
        if user is None:
            raise ZohoError("INVALID_TOKEN")
        return user

    @property
    def request_id(self) -> str | None:
        """The id the access log gave this request (its X-Request-Id)."""
        state = self.request.scope.get("state") or {}
        found = state.get("request_id")
        return str(found) if found is not None else None

    def query(self, name: str) -> str | None:
        return self.request.query_params.get(name)

    def header(self, name: str) -> str | None:
        return self.request.headers.get(name)

    def json(self) -> dict[str, Any]:
        """The JSON object body, parsed once per call (the credit weight and the handler both read
        it; neither may change it), or the INVALID_DATA of a body that is not one."""
        parsed = self.extra.get(_PARSED)
        if parsed is None:
            try:
                parsed = parse_object(self.body)
            except ZohoError as error:
                parsed = error
            self.extra[_PARSED] = parsed
        if isinstance(parsed, ZohoError):
            raise parsed
        return parsed


@dataclass(frozen=True)
class SubRequest:
    """A request made inside another call, as a client would send it on its own."""

    method: str
    version: str  # "v8"
    path: str  # under /crm/{version}: "/Leads/123"
    query: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    body: bytes


class Dispatcher(Protocol):
    """Runs requests made inside a call through the endpoint table, with every check of a call of
    their own (``gateway.CrmGateway``)."""

    def resolve(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]]: ...

    async def run(self, parent: Call, endpoint: Endpoint, params: dict[str, str], sub: SubRequest) -> Response: ...


Handler = Callable[[Call], Awaitable[Response]]
ScopeRule = str | Callable[[Call], Sequence[str]]
CreditRule = int | Callable[[Call], int]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    # "ZohoCRM.settings.modules" (the operation follows from the method) or a function of the call
    # that returns the acceptable full scopes (any one suffices).
    scope: ScopeRule
    since: str = "v2"
    credits: CreditRule = 1
    # Profile permission the user must have (Administrator has all): NO_PERMISSION 403 otherwise.
    permission: str | None = None
    # Zoho's message for that refusal when it is not "permission denied" (workflow rules, §8 #5).
    permission_message: Message | None = None
    operation: str | None = None  # overrides the method's operation (e.g. a POST that only reads)
    # Request-level errors answered inside the envelope (``{"data": [error]}``), as Zoho's examples of
    # some operations show them; the rest of the endpoints answer them bare.
    errors_in: InEnvelope | None = None
    # Who calls when the request carries a key of its own instead of an OAuth token (a function's
    # zapikey): asked by the gateway before it looks for the token.
    key_auth: KeyAuth | None = None


class KeyAuth(Protocol):
    """Authenticates a call that carries no OAuth token."""

    def applies(self, request: Request) -> bool:
        """True when this request is authenticated here rather than by its token."""
        ...

    def principal(self, conn: Connection, request: Request, params: dict[str, str]) -> Principal:
        """The caller, or the ZohoError refusing the request."""
        ...


@dataclass(frozen=True)
class InEnvelope:
    """Which request-level errors an endpoint puts inside its envelope key: all of them, or only
    the ``codes`` named."""

    key: str
    codes: frozenset[str] | None = None

    def wraps(self, error: ZohoError) -> bool:
        return self.codes is None or error.code in self.codes


_PARAM = re.compile(r"{(\w+)(?::(\w+))?}")


def compile_template(template: str) -> re.Pattern[str]:
    pattern, last = "", 0
    for match in _PARAM.finditer(template):
        pattern += re.escape(template[last : match.start()])
        name, kind = match.group(1), match.group(2) or ("module" if match.group(1) == "module" else "str")
        pattern += f"(?P<{name}>{_PARAM_PATTERNS[kind]})"
        last = match.end()
    pattern += re.escape(template[last:])
    return re.compile(f"^{pattern}$")


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    endpoints: dict[str, Endpoint]
    first: str | None  # the template's first segment; None when it holds a parameter


def _first_segment(path: str) -> str:
    return path.split("/", 2)[1] if path.startswith("/") else ""


class EndpointTable:
    """Path templates in declaration order; the first template that matches the path wins."""

    def __init__(self, endpoints: Sequence[Endpoint]) -> None:
        grouped: dict[str, dict[str, Endpoint]] = {}
        for endpoint in endpoints:
            by_method = grouped.setdefault(endpoint.path, {})
            if endpoint.method in by_method:
                raise ValueError(f"two endpoints for {endpoint.method} {endpoint.path}")
            by_method[endpoint.method] = endpoint
        routes = [
            _Route(compile_template(path), methods, None if "{" in (first := _first_segment(path)) else first)
            for path, methods in grouped.items()
        ]
        # A path is tried only against the templates that can match its first segment (that literal,
        # or a parameter), still in declaration order: a record path no longer walks every route.
        self._any_first = [route for route in routes if route.first is None]
        self._by_first = {
            first: [route for route in routes if route.first in (first, None)]
            for first in {route.first for route in routes if route.first is not None}
        }
        self.endpoints = list(endpoints)

    def resolve(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]]:
        """The endpoint and path params, or INVALID_URL_PATTERN / INVALID_REQUEST_METHOD."""
        path_matched = False
        for route in self._by_first.get(_first_segment(path), self._any_first):
            match = route.pattern.match(path)
            if match is None:
                continue
            path_matched = True
            endpoint = route.endpoints.get(method)
            if endpoint is not None:
                return endpoint, match.groupdict()
        if path_matched:
            raise ZohoError("INVALID_REQUEST_METHOD", {"resource_path_index": 0})
        raise ZohoError("INVALID_URL_PATTERN")
