"""``/settings/automation/webhooks`` and its failure log and usage report (OASx webhooks;
AUTOMATION.md §1-§2; the choices in docs/decisions.md "Automation").

Create and both updates take one webhook; what is wrong with the body itself (no ``webhooks``, more
than one) is answered inside the envelope, as every 400 of these operations is. A path id that names
no webhook is a bare INVALID_DATA ``{resource_path_index: 3}``. Every call needs the profile
permission Crm_Implied_Manage_Workflow and an edition with webhooks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.webhooks import repo, service
from zcrm_emulator.resources.webhooks.rules import listing, reports, shapes
from zcrm_emulator.resources.webhooks.rules import webhook as webhook_rules
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

ENVELOPE = "webhooks"
SCOPE = "ZohoCRM.settings.automation_actions"
PERMISSION = "Crm_Implied_Manage_Workflow"
SINCE = "v8"  # the Webhooks API is a v8 resource (AUTOMATION.md §2.1)
PATH_INDEX = {"resource_path_index": 3}  # settings/automation/webhooks/{id}: the id is segment 3
IDS_MAX = 10
IDS_PARAM_MAX = 250  # characters


def _in_path(conn: Connection, call: Call) -> repo.Stored:
    webhook_id = normalize_id(call.params["webhook_id"])
    stored = repo.get(conn, call.org_id, webhook_id) if webhook_id else None
    if stored is None:
        raise ZohoError("INVALID_DATA", dict(PATH_INDEX), Message.UNKNOWN_ID)
    return stored


Write = Callable[[Any, service.Writer, str], str]


def _the_one(conn: Connection, call: Call, message: str, write: Write) -> batch.Item:
    """The call's one webhook through ``write``, as an item result; a body without exactly one
    webhook is the item's error."""
    try:
        item = webhook_rules.only_item(call.json(), ENVELOPE)
    except ZohoError as error:
        return batch.failure(error)
    writer = service.writer(conn, call.emulator, call.org_id, call.actor(conn))
    path = f"$.{ENVELOPE}[0]"
    return batch.attempt(conn, message, lambda: write(item, writer, path), json_path=path)


async def create_webhook(call: Call) -> Response:
    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        result = _the_one(conn, call, shapes.CREATED, lambda item, w, path: service.create_webhook(conn, w, item, path))
    return batch.answer(ENVELOPE, [result], all_ok=201)


async def update_webhook(call: Call) -> Response:
    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        stored = _in_path(conn, call)
        result = _the_one(
            conn, call, shapes.UPDATED, lambda item, w, path: service.update_webhook(conn, w, stored, item, path)
        )
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def update_webhooks(call: Call) -> Response:
    def write(conn: Connection, item: Any, writer: service.Writer, path: str) -> str:
        stored = service.webhook_for_item(conn, call.org_id, item, path)
        return service.update_webhook(conn, writer, stored, item, path)

    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        result = _the_one(conn, call, shapes.UPDATED, lambda item, w, path: write(conn, item, w, path))
    return batch.answer(ENVELOPE, [result], all_ok=200)


def _param(call: Call, name: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
    value = call.query(name)
    if value is None or value == "":
        return default
    if value not in choices:
        raise listing.bad_param(name)
    return value


def _page(call: Call) -> params.Page:
    try:
        return params.page(call)
    except ZohoError as error:
        raise listing.bad_param(str(error.details.get("param_name"))) from None


def _module_param(conn: Connection, call: Call, name: str) -> str | None:
    """A module named by api name in a query parameter: INVALID_MODULE ``{param_name}`` otherwise."""
    api_name = call.query(name)
    if not api_name:
        return None
    found = service.find_module(conn, call.org_id, api_name)
    if found is None:
        raise ZohoError("INVALID_MODULE", {"param_name": name}, Message.WEBHOOK_PARAM_INVALID)
    return found.api_name  # the canonical spelling, whatever case the caller used


async def list_webhooks(call: Call) -> Response:
    page = _page(call)
    _param(call, "sort_by", listing.SORT_BY)
    order = _param(call, "sort_order", listing.SORT_ORDERS, "desc")
    feature = _param(call, "feature_type", webhook_rules.FEATURE_TYPES)
    raw_filters = call.query("filters")
    contains = listing.name_filter(raw_filters) if raw_filters else None
    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        module = _module_param(conn, call, "module")
        module_ref = service.find_module(conn, call.org_id, module) if module else None
        query = service.ListQuery(
            module_id=module_ref.id if module_ref else None,
            feature_type=feature,
            related_module=_module_param(conn, call, "related_module"),
            name_contains=contains,
            newest_first=order == "desc",
        )
        found = service.list_webhooks(conn, call.org_id, query)
    chunk, info = page.slice(found)
    return reply({ENVELOPE: chunk, "info": {**info, "max_limit": listing.MAX_LIMIT}}) if chunk else no_content()


async def get_webhook(call: Call) -> Response:
    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        webhook_id = normalize_id(call.params["webhook_id"])
        found = service.one_webhook(conn, call.org_id, webhook_id) if webhook_id else None
    return reply({ENVELOPE: [found]}) if found is not None else no_content()


async def delete_webhook(call: Call) -> Response:
    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        stored = _in_path(conn, call)
        service.delete_webhook(conn, call.org_id, stored.id, dict(PATH_INDEX))
    return batch.answer(ENVELOPE, [batch.success(shapes.DELETED, {"id": stored.id})], all_ok=200)


def _delete_one(conn: Connection, org_id: str, raw: str) -> str:
    webhook_id = normalize_id(raw)
    if webhook_id is None or repo.get(conn, org_id, webhook_id) is None:
        raise ZohoError("INVALID_DATA", {"id": raw}, Message.UNKNOWN_ID)
    return service.delete_webhook(conn, org_id, webhook_id, {"id": webhook_id})


async def delete_webhooks(call: Call) -> Response:
    raw = call.query("ids")
    wanted = list(dict.fromkeys(params.csv(call, "ids")))
    if not wanted:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"}, Message.EXPECTED_PARAM_MISSING)
    if len(wanted) > IDS_MAX:
        raise ZohoError("INVALID_DATA", {"param_name": "ids", "limit": IDS_MAX}, Message.WEBHOOK_IDS_LIMIT)
    if len(raw or "") > IDS_PARAM_MAX:
        raise listing.bad_param("ids")
    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        results = [batch.attempt(conn, shapes.DELETED, partial(_delete_one, conn, call.org_id, one)) for one in wanted]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def associated_modules(call: Call) -> Response:
    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        modules = service.associated_modules(conn, call.emulator, call.org_id, call.user_id)
    return reply({"associated_modules": modules}) if modules else no_content()


def _window(conn: Connection, call: Call, error: reports.DayError, max_days: int | None) -> reports.Window:
    zone = service.org_zone(conn, call.org_id)
    today = service.today(call.emulator, zone)
    return reports.day_window(call.query("from"), call.query("to"), today, zone, error, max_days=max_days)


def _failure_day_error(name: str, ahead: bool) -> ZohoError:
    return ZohoError(
        "INVALID_DATA", {"param_name": name, "expected_data_type": "datetime"}, Message.WEBHOOK_PARAM_INVALID
    )


async def webhook_failures(call: Call) -> Response:
    page = _page(call)
    raw_id = call.query("webhook_id")
    webhook_id = normalize_id(raw_id) if raw_id else None
    if raw_id and webhook_id is None:
        raise ZohoError("INVALID_DATA", {"param_name": "webhook_id"}, Message.UNKNOWN_ID)
    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        module = _module_param(conn, call, "module")
        window = _window(conn, call, _failure_day_error, reports.FAILURE_LOG_MAX_DAYS)
        found = service.failures(conn, call.org_id, window, webhook_id=webhook_id, module=module)
    chunk, info = page.slice(found)
    return reply({"webhook_failures": chunk, "info": info}) if chunk else no_content()


def _usage_day_error(name: str, ahead: bool) -> ZohoError:
    if ahead:
        return ZohoError("INVALID_DATA", {"param_name": "date"}, Message.WEBHOOK_USAGE_DATE_AHEAD)
    return listing.bad_param(name)


async def usage_reports(call: Call) -> Response:
    grouping = call.query("group_by")
    if not grouping:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "group_by"}, Message.WEBHOOK_USAGE_PARAM_MISSING)
    _param(call, "group_by", reports.GROUPINGS)
    kind = call.query("type")
    if kind and kind not in reports.USAGE_TYPES:
        raise ZohoError("INVALID_DATA", {"param_name": "type"}, Message.WEBHOOK_USAGE_TYPE_INVALID)
    order = _param(call, "sort_order", listing.SORT_ORDERS, "desc")
    page = _page(call)
    with call.tx() as conn:
        service.require_edition(conn, call.org_id)
        window = _window(conn, call, _usage_day_error, None)
        rows = service.usage(conn, call.org_id, window, grouping, descending=order == "desc")
    if kind and kind != reports.USAGE_TYPE:
        rows = []
    chunk, info = page.slice(rows)
    return reply({"data_usage": chunk, "info": {**info, "max_limit": reports.USAGE_MAX_LIMIT}})


def _endpoint(method: str, path: str, handler: Any) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, since=SINCE, permission=PERMISSION)


BASE = "/settings/automation/webhooks"
ENDPOINTS = [
    _endpoint("GET", f"{BASE}/actions/associated_modules", associated_modules),
    _endpoint("GET", f"{BASE}/actions/usage_reports", usage_reports),
    _endpoint("GET", "/settings/automation/webhook_failures", webhook_failures),
    _endpoint("POST", BASE, create_webhook),
    _endpoint("GET", BASE, list_webhooks),
    _endpoint("PUT", BASE, update_webhooks),
    _endpoint("DELETE", BASE, delete_webhooks),
    _endpoint("GET", f"{BASE}/{{webhook_id}}", get_webhook),
    _endpoint("PUT", f"{BASE}/{{webhook_id}}", update_webhook),
    _endpoint("DELETE", f"{BASE}/{{webhook_id}}", delete_webhook),
]
