"""``/settings/unsubscribe_links`` and ``/settings/unsubscribe_link/actions/associations``
(seed "Create Unsubscribe Link"; REFERENCE §3.9; OAS unsubscribe_links.json).

Create and both updates take exactly one link (INVALID_DATA ``maximum_length: 1`` for more); a
missing ``unsubscribe_links`` key is reported inside the envelope, as the OAS examples show it.
Create answers 201; updates and delete 200 (docs/decisions.md, §9 #16).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.unsubscribe_links import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint, InEnvelope
from zcrm_emulator.validation import only_item_of
from zcrm_emulator.wire import no_content, reply

ENVELOPE = "unsubscribe_links"
SCOPE = "ZohoCRM.settings.unsubscribe"  # Seed and the v8 pages (docs/decisions.md, §9 #6)
OLDER_READ_SCOPE = "ZohoCRM.settings.unsubscribe_links.READ"  # an older "Get" page's name for reads
PERMISSION = "Crm_Implied_Manage_Unsubscribe_Form"
SINCE = "v6"


def _scopes(operation: str) -> Callable[[Call], Sequence[str]]:
    acceptable = [f"{SCOPE}.{operation}", *([OLDER_READ_SCOPE] if operation == "READ" else [])]
    return lambda call: acceptable


def _writer(conn: Connection, call: Call) -> service.Writer:
    service.take_turns(conn, call.org_id)
    return service.Writer(call.org_id, call.actor(conn), call.emulator.clock.now_ms())


def _link_in_path(conn: Connection, call: Call) -> dict[str, Any]:
    link_id = normalize_id(call.params["link_id"])
    stored = repo.LINKS.get(conn, call.org_id, link_id) if link_id else None
    if stored is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 0}, rules.UNKNOWN_ID)
    return stored.data


async def create_link(call: Call) -> Response:
    item = only_item_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        writer = _writer(conn, call)
        path = f"$.{ENVELOPE}[0]"
        results = [
            batch.attempt(
                conn, rules.CREATED, lambda: service.create_link(conn, writer, item, path, ENVELOPE), json_path=path
            )
        ]
    return batch.answer(ENVELOPE, results, all_ok=201)


async def list_links(call: Call) -> Response:
    with call.tx() as conn:
        links = repo.LINKS.list(conn, call.org_id)
    return reply({ENVELOPE: links}) if links else no_content()


async def get_link(call: Call) -> Response:
    link_id = normalize_id(call.params["link_id"])
    with call.tx() as conn:
        stored = repo.LINKS.get(conn, call.org_id, link_id) if link_id else None
    return reply({ENVELOPE: [stored.data]}) if stored is not None else no_content()


async def update_links(call: Call) -> Response:
    item = only_item_of(call.json(), ENVELOPE)
    with call.tx() as conn:
        writer = _writer(conn, call)
        json_path = f"$.{ENVELOPE}[0]"

        def update() -> str:
            return service.update_link(
                conn, writer, service.link_for_item(conn, writer, item, json_path), item, json_path
            )

        results = [batch.attempt(conn, rules.UPDATED, update, json_path=json_path)]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def update_link(call: Call) -> Response:
    with call.tx() as conn:
        link = _link_in_path(conn, call)
        item = only_item_of(call.json(), ENVELOPE)
        writer = _writer(conn, call)
        path = f"$.{ENVELOPE}[0]"
        results = [
            batch.attempt(
                conn, rules.UPDATED, lambda: service.update_link(conn, writer, link, item, path), json_path=path
            )
        ]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def delete_link(call: Call) -> Response:
    with call.tx() as conn:
        link = _link_in_path(conn, call)
        repo.LINKS.delete(conn, link["id"])
    return batch.answer(ENVELOPE, [batch.success(rules.DELETED, {"id": link["id"]})], all_ok=200)


async def associations(call: Call) -> Response:
    """Where links are used (email templates, the email footer). The emulator keeps neither, so no
    link is ever associated and the answer is Zoho's empty one: 204."""
    return no_content()


# A body without the envelope key is answered inside the envelope, as the OAS examples show it.
MISSING_KEY_IN_ENVELOPE = InEnvelope(ENVELOPE, frozenset({"MANDATORY_NOT_FOUND"}))


def _endpoint(method: str, path: str, handler: Any, operation: str, errors_in: InEnvelope | None = None) -> Endpoint:
    return Endpoint(method, path, handler, _scopes(operation), since=SINCE, permission=PERMISSION, errors_in=errors_in)


ENDPOINTS = [
    _endpoint("POST", "/settings/unsubscribe_links", create_link, "CREATE", MISSING_KEY_IN_ENVELOPE),
    _endpoint("GET", "/settings/unsubscribe_links", list_links, "READ"),
    _endpoint("PUT", "/settings/unsubscribe_links", update_links, "UPDATE", MISSING_KEY_IN_ENVELOPE),
    _endpoint("GET", "/settings/unsubscribe_links/{link_id}", get_link, "READ"),
    _endpoint("PUT", "/settings/unsubscribe_links/{link_id}", update_link, "UPDATE", MISSING_KEY_IN_ENVELOPE),
    _endpoint("DELETE", "/settings/unsubscribe_links/{link_id}", delete_link, "DELETE"),
    _endpoint("GET", "/settings/unsubscribe_link/actions/associations", associations, "READ"),
]
