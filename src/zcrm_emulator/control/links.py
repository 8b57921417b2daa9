"""Links meeting records, on the control plane (for tests and operators). Errors are Zoho's envelope.

    GET /_emulator/unsubscribe_links/{link_id}/url?module=Leads&record_id=…[&org_id=…]
        -> {"url": "<public_url>/unsubscribe/<link_id>?r=<signed recipient token>"}
           the hosted unsubscribe page's URL for one recipient (console/unsubscribe/)
    GET /_emulator/custom_links/{link_id}/resolve?record_id=…[&user_id=…][&org_id=…]
        -> {"url": "<the link's URL with its merge fields filled from the record>"}
           each value encoded in the link's url_encoding (resources/custom_links/rules.py), the
           record read as ``user_id`` (default: the org's administrator) sees it

Unknown link or record: INVALID_DATA naming ``link_id`` / ``record_id``; missing query params:
REQUIRED_PARAM_MISSING; a module that is not a records module with ``Email_Opt_Out``: INVALID_MODULE.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator import record_model
from zcrm_emulator.accounts.repo import org_exists
from zcrm_emulator.console.unsubscribe import service as unsubscribe_page
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.custom_links import repo as custom_links_repo
from zcrm_emulator.resources.custom_links import rules as custom_links_rules
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.wire import reply


def _required(request: Request, name: str) -> str:
    value = (request.query_params.get(name) or "").strip()
    if not value:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": name})
    return value


def _org_id(conn: Connection, request: Request, emulator: Emulator) -> str:
    org_id = (request.query_params.get("org_id") or "").strip() or emulator.default_org_id
    if not org_exists(conn, org_id):
        raise ZohoError("INVALID_DATA", {"api_name": "org_id"}, Message.UNKNOWN_ID)
    return org_id


async def unsubscribe_url(request: Request, emulator: Emulator) -> Response:
    module = _required(request, "module")
    record_id = _required(request, "record_id")
    with emulator.store.tx() as conn:
        org_id = _org_id(conn, request, emulator)
        url = unsubscribe_page.recipient_url(conn, emulator, org_id, request.path_params["link_id"], module, record_id)
    return reply({"url": url})


async def resolve_custom_link(request: Request, emulator: Emulator) -> Response:
    record_id = normalize_id(_required(request, "record_id"))
    with emulator.store.tx() as conn:
        org_id = _org_id(conn, request, emulator)
        link_id = normalize_id(request.path_params["link_id"])
        link = custom_links_repo.LINKS.get(conn, org_id, link_id) if link_id else None
        if link is None:
            raise ZohoError("INVALID_DATA", {"api_name": "link_id"}, Message.UNKNOWN_ID)
        module = modules_repo.find(conn, org_id, link.scope_id)
        if module is None:  # the module went with its links (CASCADE); kept for the type checker
            raise ZohoError("INVALID_DATA", {"api_name": "link_id"}, Message.UNKNOWN_ID)
        meta = record_model.load_module(conn, org_id, module.api_name, emulator.clock.now_ms(), emulator.memo)
        row = record_model.get_records(conn, meta.id, [record_id]).get(record_id) if record_id else None
        if row is None:
            raise ZohoError("INVALID_DATA", {"api_name": "record_id"}, Message.UNKNOWN_ID)
        who = record_model.caller(conn, org_id, _reader_id(conn, request, org_id), emulator.memo)
        record = record_model.full_record(meta, row, who.reader(record_model.lookup_names(conn, org_id, meta, [row])))
        names = custom_links_rules.ModuleNames.of(module.data, fields_repo.list_fields(conn, module.id))
    url = custom_links_rules.resolve_url(link.data["url"], link.data["url_encoding"], record, names)
    return reply({"url": url})


def _reader_id(conn: Connection, request: Request, org_id: str) -> str:
    """Whose view of the record fills the link (time zone of datetimes): ``user_id`` or the admin."""
    people = users_repo.list_users(conn, org_id)
    wanted = (request.query_params.get("user_id") or "").strip()
    if wanted:
        if not any(user["id"] == wanted for user in people):
            raise ZohoError("INVALID_DATA", {"api_name": "user_id"}, Message.UNKNOWN_ID)
        return wanted
    admins = [str(user["id"]) for user in people if (user.get("profile") or {}).get("name") == "Administrator"]
    return (admins or [str(user["id"]) for user in people])[0]


ROUTES: list[tuple[str, Callable[[Request, Emulator], Awaitable[Response]], list[str]]] = [
    ("/unsubscribe_links/{link_id}/url", unsubscribe_url, ["GET"]),
    ("/custom_links/{link_id}/resolve", resolve_custom_link, ["GET"]),
]
