"""``GET|POST /crm/{v}/functions/{name}/actions/execute`` (AUTOMATION.md §7).

``auth_type=oauth`` calls are authenticated by their token like any other; every other value is
taken by ``ZapikeyAuth`` before the gateway looks for a token: ``apikey`` with the function's own
``zapikey``, anything else (or nothing) INVALID_REQUEST. The function runs once the call's
transaction has committed, while the answer is being sent (``FunctionReply``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.functions import rules, service
from zcrm_emulator.resources.functions.service import Invocation, Plan
from zcrm_emulator.routing import Call, Endpoint, Principal
from zcrm_emulator.wire import error_reply, reply

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

log = logging.getLogger("zcrm_emulator.functions")

PATH = "/functions/{name}/actions/execute"


@dataclass(frozen=True)
class ZapikeyAuth:
    """The calls a function's zapikey authenticates: every one not made with ``auth_type=oauth``."""

    def applies(self, request: Request) -> bool:
        return request.query_params.get("auth_type") != rules.OAUTH

    def principal(self, conn: Connection, request: Request, params: dict[str, str]) -> Principal:
        rules.auth_type(request.query_params.get("auth_type"))
        found = service.by_zapikey(conn, params["name"], request.query_params.get("zapikey"))
        return Principal(found.org_id, str(found.data["user_id"]), rules.APIKEY_SCOPES)


class FunctionReply(Response):
    """The answer of a function call, made by running the function as it is sent: after the gateway
    has committed the call's transaction."""

    def __init__(self, plan: Plan, emulator: Emulator) -> None:
        super().__init__(status_code=200, media_type="application/json")
        self.plan = plan
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        functions = self.emulator.functions
        try:
            output = await service.run(self.plan, functions.handlers, self.emulator.deliveries.policy)
            answer = reply(rules.answer(output, self.plan.invocation.user_id))
        except ZohoError as error:
            answer = error_reply(error)
        except Exception:  # the gateway has returned already: no traceback may reach the wire
            log.exception("function %s failed", self.plan.registered.name)
            answer = error_reply(ZohoError("INTERNAL_ERROR"))
        await answer(scope, receive, send)


async def execute(call: Call) -> Response:
    auth_type = rules.auth_type(call.query("auth_type"))
    request = call.request
    with call.tx() as conn:
        found = service.find(conn, call.org_id, call.params["name"])
    arguments = rules.arguments(call.query("arguments"), call.body, request.headers.get("content-type", ""))
    invocation = Invocation(
        function=found.name,
        org_id=call.org_id,
        user_id=call.user_id,
        trigger="api",
        arguments=arguments,
        method=request.method,
        auth_type=auth_type,
        params={k: v for k, v in request.query_params.items() if k not in rules.RESERVED_PARAMS},
        headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
        body=call.body.decode("utf-8", "replace"),
    )
    return FunctionReply(Plan(found, invocation), call.emulator)


ENDPOINTS = [
    Endpoint("GET", PATH, execute, rules.SCOPE, key_auth=ZapikeyAuth()),
    Endpoint("POST", PATH, execute, rules.SCOPE, key_auth=ZapikeyAuth()),
]
