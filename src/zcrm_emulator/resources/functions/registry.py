"""The emulator's functions, in-process (``Emulator.functions``) and for the control plane
(control/functions.py): register what a function does, read and remove registrations, regenerate a
zapikey. A registration is stored (every worker sees its zapikey and name); a Python callable lives
only in the process that registered it.

    emulator.functions.register("add", lambda call: call.arguments["a"] + call.arguments["b"])
    emulator.functions.register("geo", url="http://127.0.0.1:9000/geo")
    emulator.functions.register("ping", output="pong")

Each returns the registration, zapikey included, as the control plane shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from zcrm_emulator.accounts.repo import org_exists
from zcrm_emulator.delivery import refused_by
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.functions import repo, rules, service
from zcrm_emulator.resources.functions.service import FunctionHandler
from zcrm_emulator.resources.users import repo as users_repo

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator


class Functions:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.handlers: dict[str, FunctionHandler] = {}  # registration id -> this process's callable

    def register(
        self,
        name: str,
        handler: FunctionHandler | None = None,
        *,
        url: str | None = None,
        output: Any = None,
        org_id: str | None = None,
        user_id: str | None = None,
    ) -> dict[str, Any]:
        """Make or replace ``name``: exactly one of a callable, a ``url`` or a canned ``output``."""
        behaviour = behaviour_of(handler, url, output, self.emulator)
        with self.emulator.store.tx(writes=True) as conn:
            org = self._org(conn, org_id)
            runs_as = _user(conn, org, user_id)
            made, _ = service.register(conn, org, name, behaviour, user_id=runs_as, now_ms=self.emulator.clock.now_ms())
        if handler is not None:
            self.handlers[made.id] = handler
        else:
            self.handlers.pop(made.id, None)
        return rules.public(made.data)

    def get(self, name: str, *, org_id: str | None = None) -> dict[str, Any] | None:
        with self.emulator.store.tx() as conn:
            found = repo.by_name(conn, self._org(conn, org_id), name)
        return rules.public(found.data) if found is not None else None

    def list(self, *, org_id: str | None = None) -> list[dict[str, Any]]:
        with self.emulator.store.tx() as conn:
            return [rules.public(found.data) for found in repo.list_all(conn, self._org(conn, org_id))]

    def unregister(self, name: str, *, org_id: str | None = None) -> bool:
        with self.emulator.store.tx(writes=True) as conn:
            org = self._org(conn, org_id)
            found = repo.by_name(conn, org, name)
            if found is None:
                return False
            repo.remove(conn, org, name)
        self.handlers.pop(found.id, None)
        return True

    def regenerate_zapikey(self, name: str, *, org_id: str | None = None) -> dict[str, Any] | None:
        with self.emulator.store.tx(writes=True) as conn:
            found = service.regenerate_zapikey(conn, self._org(conn, org_id), name, self.emulator.clock.now_ms())
        return rules.public(found.data) if found is not None else None

    def _org(self, conn: Connection, org_id: str | None) -> str:
        org = str(org_id or "").strip() or self.emulator.default_org_id
        if not org_exists(conn, org):
            raise ZohoError("INVALID_DATA", {"api_name": "org_id"}, Message.UNKNOWN_ID)
        return org


def behaviour_of(handler: FunctionHandler | None, url: Any, output: Any, emulator: Emulator) -> dict[str, Any]:
    """The stored half of a registration; INVALID_DATA unless exactly one behaviour is given."""
    given = [handler is not None, url is not None, output is not None]
    if given.count(True) != 1:
        raise ZohoError("INVALID_DATA", {"api_name": "url", "supported_values": ["url", "output", "handler"]})
    if handler is not None:
        if not callable(handler):
            raise ZohoError("INVALID_DATA", {"api_name": "handler", "expected_data_type": "callable"})
        return {"kind": "python"}
    if url is not None:
        checked = rules.check_url(url)
        if refused_by(emulator.deliveries.policy, checked):
            raise ZohoError("INVALID_DATA", {"api_name": "url"}, Message.WEBHOOK_URL_NOT_SECURE)
        return {"kind": "url", "url": checked}
    return {"kind": "canned", "output": rules.output_text(output)}


def _user(conn: Connection, org_id: str, user_id: str | None) -> str:
    """Who the function runs as (``details.id``): the given user, else the org's first user."""
    people = users_repo.list_users(conn, org_id)
    wanted = user_id or (people[0]["id"] if people else "")
    if not any(person["id"] == wanted for person in people):
        raise ZohoError("INVALID_DATA", {"api_name": "user_id"}, Message.UNKNOWN_ID)
    return str(wanted)
