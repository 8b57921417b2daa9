"""Registering functions and running one (AUTOMATION.md §7; docs/decisions.md "Functions").

What a function does is one of three things, chosen when it is registered:

* ``python``: a callable of this process (``Emulator.functions.register``), given the ``Invocation``;
  it may be ``async``. Another worker on the same database does not have it: INTERNAL_ERROR there.
* ``url``: the invocation is POSTed there as JSON and the response's text is the output; only that
  URL is ever called, under the emulator's outbound policy (``--outbound strict`` refuses private
  hosts), without following redirects, within Deluge's 40 s socket timeout.
* ``canned``: the registered ``output``, every time.

A function runs after the call's transaction has committed (routes.FunctionReply), never inside it:
it may take long, and a callable may call the emulator back.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.delivery import DeliveryPolicy, refused_by
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.functions import repo, rules
from zcrm_emulator.resources.functions.repo import Registered
from zcrm_emulator.store import locks

log = logging.getLogger("zcrm_emulator.functions")

FORWARD_TIMEOUT_S = 40.0  # Deluge's socket timeout for the calls a function makes (§7)
USER_AGENT = "ZohoCRM-Emulator-Function"


@dataclass(frozen=True)
class Invocation:
    """What a function is given: Zoho's ``crmAPIRequest`` in plain data."""

    function: str
    org_id: str
    user_id: str
    trigger: str  # "api" (a REST call) or "workflow" (a rule's action)
    arguments: dict[str, Any]
    method: str = "POST"
    auth_type: str | None = None
    params: dict[str, str] = field(default_factory=dict)  # the query, less auth_type, zapikey, arguments
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    record: dict[str, Any] | None = None  # a workflow action's record: {"module", "id"}


FunctionHandler = Callable[[Invocation], Any | Awaitable[Any]]


@dataclass(frozen=True)
class Plan:
    """A resolved function and what it is called with, to run once the call has committed."""

    registered: Registered
    invocation: Invocation


# --- registering -----------------------------------------------------------------------------------


def register(
    conn: Connection,
    org_id: str,
    name: str,
    behaviour: dict[str, Any],
    *,
    user_id: str,
    now_ms: int,
) -> tuple[Registered, bool]:
    """Make or replace the org's function ``name`` (its id and zapikey stay); True when made."""
    rules.check_name(name)
    locks.serialize(conn, f"functions:{org_id}")  # one name, one row, across workers
    existing = repo.by_name(conn, org_id, name)
    if existing is not None:
        data = {"id": existing.id, "name": name, "user_id": user_id, **behaviour}
        repo.replace(conn, existing.id, data, now_ms)
        return Registered(existing.id, org_id, name, existing.zapikey, {**data, "zapikey": existing.zapikey}), False
    function_id = ids.allocate(conn, org_id)[0]
    data = {"id": function_id, "name": name, "user_id": user_id, **behaviour}
    made = Registered(function_id, org_id, name, rules.new_zapikey(), data)
    repo.insert_one(conn, made, now_ms)
    return Registered(made.id, org_id, name, made.zapikey, {**data, "zapikey": made.zapikey}), True


def regenerate_zapikey(conn: Connection, org_id: str, name: str, now_ms: int) -> Registered | None:
    """A new zapikey for the function; the old one stops working at once."""
    found = repo.by_name(conn, org_id, name)
    if found is None:
        return None
    key = rules.new_zapikey()
    repo.set_zapikey(conn, found.id, key, now_ms)
    return Registered(found.id, org_id, name, key, {**found.data, "zapikey": key})


# --- a call ----------------------------------------------------------------------------------------


def find(conn: Connection, org_id: str, name: str) -> Registered:
    """The org's function ``name``, or the OAS's 400 INVALID_DATA for a name it has none of."""
    found = repo.by_name(conn, org_id, name)
    if found is None:
        raise ZohoError("INVALID_DATA", {"api_name": "function_name"})
    return found


def by_zapikey(conn: Connection, name: str, zapikey: str | None) -> Registered:
    """The function the key opens: it must be this one's key (one key per function)."""
    found = repo.by_zapikey(conn, zapikey) if zapikey else None
    if found is None or found.name != name:
        raise ZohoError("AUTHENTICATION_FAILURE")
    return found


async def run(plan: Plan, handlers: dict[str, FunctionHandler], policy: DeliveryPolicy) -> Any:
    """The function's output, or the ZohoError of a failure (logged)."""
    kind = plan.registered.data.get("kind")
    if kind == "canned":
        return plan.registered.data.get("output")
    if kind == "url":
        return await _forward(str(plan.registered.data["url"]), plan.invocation, policy)
    handler = handlers.get(plan.registered.id)
    if handler is None:
        log.error("function %s has no callable in this process", plan.registered.name)
        raise ZohoError("INTERNAL_ERROR")
    try:
        if inspect.iscoroutinefunction(handler):
            return await handler(plan.invocation)
        result = await asyncio.to_thread(handler, plan.invocation)
        return await result if inspect.isawaitable(result) else result
    except Exception:
        log.exception("function %s raised", plan.registered.name)
        raise ZohoError("INTERNAL_ERROR") from None


def forward_request(url: str, invocation: Invocation) -> httpx.Request:
    return httpx.Request(
        "POST", url, json=asdict(invocation), headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )


async def _forward(url: str, invocation: Invocation, policy: DeliveryPolicy) -> str:
    if refused_by(policy, url):
        log.error("function %s: the outbound policy refuses %s", invocation.function, url)
        raise ZohoError("INTERNAL_ERROR")
    try:
        async with httpx.AsyncClient(timeout=FORWARD_TIMEOUT_S, follow_redirects=False) as client:
            response = await client.send(forward_request(url, invocation))
    except httpx.HTTPError as problem:
        log.error("function %s: forwarding to %s failed: %s", invocation.function, url, problem)
        raise ZohoError("INTERNAL_ERROR") from None
    if not 200 <= response.status_code < 300:
        log.error("function %s: %s answered %s", invocation.function, url, response.status_code)
        raise ZohoError("INTERNAL_ERROR")
    return response.text
