"""Webhooks' operations on the caller's connection (steps in Zoho's order; the rules are in rules/,
the SQL in repo.py), and ``fire``: the request a webhook sends for one record, stored for the
delivery engine.

Other packages use:

    fire(conn, emulator, org_id, webhook_id, meta, row, *, rule=None, cause=None) -> delivery id
        stores the request (delivery/); the caller commits, then calls ``emulator.deliveries.kick()``
    policy_of(settings) -> WebhookPolicy    the server's webhook limits (``webhooks_per_rule`` …)
    take_turns(conn, org_id)                 held by a delete; take it to associate a webhook safely
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.clock import iso
from zcrm_emulator.config import Settings
from zcrm_emulator.delivery import Outbound, is_private_host
from zcrm_emulator.editions import WEBHOOK_EDITIONS
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.resources.webhooks import repo
from zcrm_emulator.resources.webhooks.rules import merge, policy, reports, request, shapes
from zcrm_emulator.resources.webhooks.rules import webhook as webhook_rules
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

# The workflow rules' answer to "does a rule use this webhook?" (resources/workflow_rules).
WORKFLOW_RULES_SERVICE = "zcrm_emulator.resources.workflow_rules.service"


class UnknownWebhook(LookupError):
    """``fire`` was asked for a webhook the org does not have."""


def policy_of(settings: Settings) -> policy.WebhookPolicy:
    return policy.resolve(settings.webhook_policy)


def take_turns(conn: Connection, org_id: str) -> None:
    """Deleting a webhook and associating one with a rule take turns across workers, so a rule never
    points at a webhook deleted meanwhile."""
    locks.serialize(conn, f"webhooks:{org_id}")


def require_edition(conn: Connection, org_id: str) -> None:
    """FEATURE_NOT_SUPPORTED 403 for an edition without webhooks (OASx createWebhooks)."""
    if org_repo.org_edition(conn, org_id).name not in WEBHOOK_EDITIONS:
        raise ZohoError("FEATURE_NOT_SUPPORTED", {}, Message.WEBHOOK_FEATURE_UNAVAILABLE, status=403)


def in_use(conn: Connection, org_id: str, webhook_id: str) -> bool:
    """Whether a workflow rule uses the webhook; never, while there are no workflow rules."""
    try:
        workflow_rules = importlib.import_module(WORKFLOW_RULES_SERVICE)
    except ImportError:
        return False
    return bool(workflow_rules.webhook_in_use(conn, org_id, webhook_id))


def org_zone(conn: Connection, org_id: str) -> str:
    return str(org_repo.get_org(conn, org_id).get("time_zone") or "UTC")


def today(emulator: Emulator, zone: str) -> date:
    return datetime.fromtimestamp(emulator.clock.now_ms() / 1000, tz=ZoneInfo(zone)).date()


# --- checking a webhook against the store -----------------------------------------------------------


def _module_info(conn: Connection, module: modules_repo.ModuleRef | None) -> webhook_rules.ModuleInfo | None:
    if module is None:
        return None
    supported = webhook_rules.supports_webhooks(module.api_name, module.generated_type, module.data)
    names = tuple(str(f["api_name"]) for f in fields_repo.list_fields(conn, module.id))
    return webhook_rules.ModuleInfo(module.id, module.api_name, supported, names)


def find_module(conn: Connection, org_id: str, api_name: str) -> modules_repo.ModuleRef | None:
    """A module by api name, in any case (as Zoho resolves paths and params)."""
    return modules_repo.find_by_name(conn, org_id, api_name)


def _connection_exists(conn: Connection, org_id: str, link_name: str) -> bool:
    from zcrm_emulator.connections import find_connection  # the connections package (AUTOMATION.md §6)

    return find_connection(conn, org_id, link_name) is not None


def lookups(conn: Connection, org_id: str, settings: Settings) -> webhook_rules.Lookups:
    return webhook_rules.Lookups(
        module_by_id=lambda module_id: _module_info(conn, modules_repo.find(conn, org_id, module_id)),
        module_by_name=lambda api_name: _module_info(conn, find_module(conn, org_id, api_name)),
        connection_exists=lambda name: _connection_exists(conn, org_id, name),
        private_host=is_private_host if settings.outbound == "strict" else None,
    )


@dataclass(frozen=True)
class Writer:
    """Who writes webhooks, in which org, when, under which policy, checked against what."""

    org_id: str
    actor: Mapping[str, Any]
    now_ms: int
    policy: policy.WebhookPolicy
    lookups: webhook_rules.Lookups

    def stamp(self) -> dict[str, Any]:
        return shapes.stamp(self.actor, iso(self.now_ms, self.actor.get("time_zone") or "UTC"))


def writer(conn: Connection, emulator: Emulator, org_id: str, actor: Mapping[str, Any]) -> Writer:
    settings = emulator.settings
    return Writer(org_id, actor, emulator.clock.now_ms(), policy_of(settings), lookups(conn, org_id, settings))


# --- create, update, delete ---------------------------------------------------------------------------


def create_webhook(conn: Connection, writer: Writer, item: Any, path: str) -> str:
    clean = webhook_rules.check_webhook(item, path, writer.policy, writer.lookups)
    webhook_id = ids.allocate(conn, writer.org_id)[0]
    data = shapes.new_webhook(webhook_id, clean, writer.stamp())
    repo.insert_webhook(conn, writer.org_id, clean["module"]["id"], data, writer.now_ms)
    return webhook_id


def webhook_for_item(conn: Connection, org_id: str, item: Any, path: str) -> repo.Stored:
    """The webhook an update by body names with ``id``."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
    if item.get("id") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"), Message.WEBHOOK_FIELD_MISSING)
    webhook_id = normalize_id(item["id"])
    stored = repo.get(conn, org_id, webhook_id) if webhook_id else None
    if stored is None:
        raise ZohoError("INVALID_DATA", at(path, "id"), Message.WEBHOOK_ID_INVALID)
    return stored


def update_webhook(conn: Connection, writer: Writer, stored: repo.Stored, item: Any, path: str) -> str:
    """A full replacement: keys left out take their defaults; the module stays."""
    if isinstance(item, dict) and item.get("id") is not None and normalize_id(item["id"]) != stored.id:
        raise ZohoError("INVALID_DATA", at(path, "id"), Message.WEBHOOK_ID_INVALID)
    clean = webhook_rules.check_webhook(item, path, writer.policy, writer.lookups, stored_module_id=stored.module_id)
    if stored.data.get("feature_type") == "kiosk" and clean["name"] != stored.data.get("name"):
        raise ZohoError("NOT_ALLOWED", at(path, "name"), Message.WEBHOOK_KIOSK_NAME_FIXED)
    repo.save(conn, stored.id, shapes.replaced(stored.data, clean, writer.stamp()), writer.now_ms)
    return stored.id


def delete_webhook(conn: Connection, org_id: str, webhook_id: str, refusal_details: dict[str, Any]) -> str:
    """Delete a webhook no rule uses; NOT_ALLOWED with ``refusal_details`` when one does."""
    take_turns(conn, org_id)
    if in_use(conn, org_id, webhook_id):
        raise ZohoError("NOT_ALLOWED", refusal_details, Message.WEBHOOK_IN_USE)
    repo.remove(conn, webhook_id)
    return webhook_id


# --- reads ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListQuery:
    module_id: str | None = None
    feature_type: str | None = None
    related_module: str | None = None  # api name
    name_contains: str | None = None
    newest_first: bool = True


def list_webhooks(conn: Connection, org_id: str, query: ListQuery) -> list[dict[str, Any]]:
    found = []
    for stored in repo.list_all(conn, org_id, module_id=query.module_id, newest_first=query.newest_first):
        data = stored.data
        related = (data.get("related_module") or {}).get("api_name")
        if query.feature_type is not None and data.get("feature_type") != query.feature_type:
            continue
        if query.related_module is not None and related != query.related_module:
            continue
        if query.name_contains is not None and query.name_contains.casefold() not in data["name"].casefold():
            continue
        found.append(shapes.summary(data, in_use(conn, org_id, stored.id)))
    return found


def one_webhook(conn: Connection, org_id: str, webhook_id: str) -> dict[str, Any] | None:
    stored = repo.get(conn, org_id, webhook_id)
    return shapes.full(stored.data, in_use(conn, org_id, stored.id)) if stored is not None else None


def associated_modules(conn: Connection, emulator: Emulator, org_id: str, user_id: str) -> list[dict[str, str]]:
    """The modules with at least one webhook that the caller's profile lets them see."""
    who = record_model.caller(conn, org_id, user_id, emulator.memo)
    modules = [m for m in (modules_repo.find(conn, org_id, i) for i in repo.module_ids(conn, org_id)) if m]
    visible = []
    for module in sorted(modules, key=lambda m: (m.data.get("sequence_number") or 0, m.id)):
        try:
            meta = record_model.load_module(conn, org_id, module.api_name, emulator.clock.now_ms(), emulator.memo)
            record_model.check_access(who, meta, "read")
        except ZohoError:
            continue
        visible.append({"api_name": module.api_name, "id": module.id})
    return visible


def failures(
    conn: Connection, org_id: str, window: reports.Window, *, webhook_id: str | None, module: str | None
) -> list[dict[str, Any]]:
    rows = repo.failed_deliveries(conn, org_id, start_ms=window.start_ms, end_ms=window.end_ms, webhook_id=webhook_id)
    if module is not None:
        rows = [
            r for r in rows if (r["context"].get("entity_details") or {}).get("module", {}).get("api_name") == module
        ]
    return [reports.failure_item(row, window.zone) for row in rows]


def usage(
    conn: Connection, org_id: str, window: reports.Window, grouping: str, *, descending: bool
) -> list[dict[str, Any]]:
    names = {s.id: str(s.data["name"]) for s in repo.list_all(conn, org_id, module_id=None, newest_first=True)}
    zone = ZoneInfo(window.zone)
    fired = [
        reports.Fired(
            datetime.fromtimestamp(row["created_ms"] / 1000, tz=zone).date().isoformat(),
            str(row["source_id"]),
            names.get(str(row["source_id"])) or str((row["context"].get("webhook") or {}).get("name") or ""),
        )
        for row in repo.fired(conn, org_id, start_ms=window.start_ms, end_ms=window.end_ms)
    ]
    return reports.usage_rows(fired, grouping, descending=descending)


# --- firing ----------------------------------------------------------------------------------------------


def _record(
    conn: Connection, org_id: str, meta: record_model.ModuleMeta, row: record_model.RecordRow, zone: str
) -> request.Record:
    users = {str(u["id"]): u for u in users_repo.list_users(conn, org_id)}
    reader = record_model.Reader(zone, users, record_model.lookup_names(conn, org_id, meta, [row]))
    values = record_model.full_record(meta, row, reader)
    return request.Record(values, {name: kind.name for name, kind in meta.types.items()}, zone)


def _with_credential(
    conn: Connection, emulator: Emulator, org_id: str, built: request.Built, link_name: str, *, form_body: bool
) -> tuple[request.Built, str | None]:
    """The request with the connection's credential added (AUTOMATION.md §6.3): its headers, its
    query parameters, and its form fields in a form body (else in the query). As it was, and why,
    when the connection has no credential to give."""
    from zcrm_emulator.connections import CredentialUnavailable, credential_for

    try:
        credential = credential_for(conn, emulator.clock, org_id, link_name, policy=emulator.deliveries.policy)
    except CredentialUnavailable as problem:
        return built, str(problem)
    body, query = built.body, list(credential.query)
    if form_body:
        body = "&".join(part for part in (body, urlencode(credential.form)) if part)
    else:
        query += credential.form
    headers = [*built.headers, *credential.headers]
    return request.Built(built.method, request.with_query(built.url, query), headers, body), None


def fire(
    conn: Connection,
    emulator: Emulator,
    org_id: str,
    webhook_id: str,
    meta: record_model.ModuleMeta,
    row: record_model.RecordRow,
    *,
    rule: Mapping[str, str] | None = None,
    cause: Cause | None = None,
) -> str:
    """Store the request webhook ``webhook_id`` sends for record ``row`` (of module ``meta``),
    fired by workflow rule ``rule`` (``{"id", "name"}``); returns the delivery's id. Sent once the
    caller has committed and called ``emulator.deliveries.kick()``. UnknownWebhook when the org
    has no such webhook."""
    stored = repo.get(conn, org_id, webhook_id)
    if stored is None:
        raise UnknownWebhook(webhook_id)
    zone = org_zone(conn, org_id)
    record = _record(conn, org_id, meta, row, zone)
    fields = merge.MergeFields.of(meta.api_name, meta.by_name)
    built = request.build(stored.data, record, fields)
    context: dict[str, Any] = {
        "webhook": {"name": stored.data["name"], "id": stored.id},
        "workflow_rule": {"name": rule["name"], "id": rule["id"]} if rule else None,
        "entity_details": {
            "module": {"api_name": meta.api_name, "id": meta.id},
            "name": request.value_text(record, {}, meta.display_field) or None,
            "id": row.id,
        },
        "request_id": cause.request_id if cause else None,
    }
    authentication = stored.data.get("authentication") or {}
    if authentication.get("type") == "connection":
        form_body = built.method in ("POST", "PUT") and (stored.data.get("body") or {}).get("type") == "form_data"
        link_name = authentication["connection_name"]
        built, unavailable = _with_credential(conn, emulator, org_id, built, link_name, form_body=form_body)
        if unavailable is not None:
            context["credential_unavailable"] = unavailable
    outbound = Outbound(org_id, repo.SOURCE, stored.id, built.method, built.url, built.headers, built.body, context)
    return emulator.deliveries.enqueue(conn, outbound)
