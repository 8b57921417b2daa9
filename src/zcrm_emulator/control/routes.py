"""``/_emulator/...``: reset and snapshots (control/snapshots.py), clock, tokens for tests. Who may call
it: control/access.py.

Errors here use the same Zoho envelope as the CRM face, so clients parse one shape everywhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zcrm_emulator import scopes
from zcrm_emulator.accounts import control as accounts_control
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.control import connections as connections_control
from zcrm_emulator.control import deliveries as deliveries_control
from zcrm_emulator.control import faults as faults_control
from zcrm_emulator.control import functions as functions_control
from zcrm_emulator.control import journal as journal_control
from zcrm_emulator.control import links as links_control
from zcrm_emulator.control import snapshots as snapshots_control
from zcrm_emulator.control.access import authorize, read_object
from zcrm_emulator.editions import EDITIONS
from zcrm_emulator.emulator import MAX_OFFSET_SECONDS, Emulator
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.org import repo as orgs_repo
from zcrm_emulator.resources.users import service as users_service
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import users
from zcrm_emulator.usage import control as usage_control
from zcrm_emulator.validation import Invalid, finite_number
from zcrm_emulator.wire import error_reply, reply

ControlHandler = Callable[[Request, Emulator], Awaitable[Response]]


def control_route(path: str, handler: ControlHandler, methods: list[str], emulator: Emulator) -> Route:
    async def endpoint(request: Request) -> Response:
        try:
            await authorize(request, emulator.settings)
            return await handler(request, emulator)
        except ZohoError as error:
            return error_reply(error)

    return Route(path, endpoint, methods=methods)


async def get_clock(request: Request, emulator: Emulator) -> Response:
    return reply({"now_ms": emulator.clock.now_ms(), "offset_ms": emulator.clock.offset_ms})


async def advance_clock(request: Request, emulator: Emulator) -> Response:
    body = await read_object(request)
    seconds = body.get("seconds")
    try:
        seconds = finite_number(seconds)
    except Invalid:
        seconds = -1
    if seconds < 0:
        raise ZohoError("INVALID_DATA", {"api_name": "seconds", "expected_data_type": "double"})
    if not emulator.advance_clock(seconds):
        raise ZohoError("LIMIT_EXCEEDED", {"api_name": "seconds", "limit": MAX_OFFSET_SECONDS})
    return await get_clock(request, emulator)


async def mint_token(request: Request, emulator: Emulator) -> Response:
    """An access token for the org's admin (or ``user_id``) with the given scopes, no client needed."""
    body = await read_object(request)
    wanted = body.get("scopes", ["ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL", "ZohoCRM.users.ALL", "ZohoCRM.org.ALL"])
    if isinstance(wanted, str):
        wanted = scopes.parse_list(wanted)
    if not isinstance(wanted, list) or not wanted or any(scopes.split(s) is None for s in wanted):
        raise ZohoError("INVALID_DATA", {"api_name": "scopes"}, Message.INVALID_SCOPE)
    org_id = str(body.get("org_id") or emulator.default_org_id)
    with emulator.store.tx() as conn:
        people = documents.list_data(conn, users, org_id)
        user_id = str(body.get("user_id") or (people[0]["id"] if people else ""))
        if not any(u["id"] == user_id for u in people):
            raise ZohoError("INVALID_DATA", {"api_name": "user_id"}, Message.UNKNOWN_ID)
        token = mint_access_token(conn, org_id=org_id, user_id=user_id, scopes=wanted, now_ms=emulator.clock.now_ms())
    return reply({"access_token": token, "expires_in": 3600, "scope": " ".join(wanted), "org_id": org_id})


async def add_user(request: Request, emulator: Emulator) -> Response:
    """A user for the org: ``{"email", "first_name"?, "last_name", "profile"?, "role"?, "org_id"?}``."""
    body = await read_object(request)
    email, last_name = body.get("email"), body.get("last_name")
    if not isinstance(email, str) or "@" not in email:
        raise ZohoError("INVALID_DATA", {"api_name": "email"})
    if not isinstance(last_name, str) or not last_name:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "last_name"})
    with emulator.store.tx(writes=True) as conn:
        user = users_service.add_user(
            conn,
            str(body.get("org_id") or emulator.default_org_id),
            email=email,
            first_name=str(body.get("first_name") or ""),
            last_name=last_name,
            profile=str(body.get("profile") or "Standard"),
            role=str(body.get("role") or "Manager"),
            now_ms=emulator.clock.now_ms(),
        )
    return reply({"users": [user]}, status=201)


async def set_edition(request: Request, emulator: Emulator) -> Response:
    """Switch an org's edition: ``{"edition": "professional"}`` (limits follow editions.py)."""
    body = await read_object(request)
    name = body.get("edition")
    if not isinstance(name, str) or name.lower() not in EDITIONS:
        raise ZohoError("INVALID_DATA", {"api_name": "edition", "supported_values": list(EDITIONS)})
    org_id = request.path_params["org_id"]
    with emulator.store.tx() as conn:
        found = orgs_repo.set_edition(conn, org_id, name.lower(), emulator.clock.now_ms())
    if not found:
        raise ZohoError("INVALID_DATA", {"api_name": "org_id"}, Message.UNKNOWN_ID)
    return reply({"org_id": org_id, "edition": name.lower()})


async def health(request: Request) -> Response:
    """Liveness for probes and the benchmark's bare baseline: no store, no auth, no details."""
    return reply({"status": "ok"})


def routes(emulator: Emulator) -> list[Route]:
    return [
        Route("/health", health, methods=["GET"]),
        *(control_route(path, handler, methods, emulator) for path, handler, methods in snapshots_control.ROUTES),
        control_route("/clock", get_clock, ["GET"], emulator),
        control_route("/clock/advance", advance_clock, ["POST"], emulator),
        control_route("/tokens", mint_token, ["POST"], emulator),
        control_route("/users", add_user, ["POST"], emulator),
        control_route("/orgs/{org_id}/edition", set_edition, ["PUT"], emulator),
        *(control_route(path, handler, methods, emulator) for path, handler, methods in accounts_control.ROUTES),
        control_route("/usage", usage_control.get_usage, ["GET"], emulator),
        *(control_route(path, handler, methods, emulator) for path, handler, methods in links_control.ROUTES),
        control_route("/usage", usage_control.reset_usage, ["DELETE"], emulator),
        *(control_route(path, handler, methods, emulator) for path, handler, methods in deliveries_control.ROUTES),
        *(control_route(path, handler, methods, emulator) for path, handler, methods in connections_control.ROUTES),
        *(control_route(path, handler, methods, emulator) for path, handler, methods in functions_control.ROUTES),
        *(control_route(path, handler, methods, emulator) for path, handler, methods in faults_control.ROUTES),
        *(control_route(path, handler, methods, emulator) for path, handler, methods in journal_control.ROUTES),
    ]
