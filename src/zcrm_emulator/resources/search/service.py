"""Record search and filtered counts as domain services (REFERENCE §4.9, §4.10; OAS
``module_search.json`` "Search module", ``record_count.json`` "Get Count").

Called inside the caller's transaction with the module's metadata and the request's query params
as a plain mapping (no HTTP here): ``search_rules`` reads the params, ``search_repo`` runs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.record_model import ModuleMeta, PageQuery, RecordRow, count_in
from zcrm_emulator.resources.custom_views import rules as views_rules
from zcrm_emulator.resources.custom_views import service as views_service
from zcrm_emulator.resources.records.rules import CONVERTED_VALUES
from zcrm_emulator.resources.search import repo as search_repo
from zcrm_emulator.resources.search import rules as search_rules

Query = Mapping[str, str | None]

# Every record of the emulator is approved (it runs no approval processes): ``approval_state``
# other than "approved", or ``approved=false``, selects nothing.
APPROVAL_STATES = (
    "approval_process_pending",
    "webform_invalid",
    "review_process_pending",
    "webform_invalid_approval",
    "zia_vision_validation",
    "review_process_rejected",
    "webform_unapproved",
    "email_parser_waiting",
    "approved",
    "merge_pending",
    "email_parser_rejected",
    "zia_vision_rejected",
    "zia_vision_pending",
    "approval_process_rejected",
    "webform_double_optin",
)
APPROVED_VALUES = ("true", "false", "both")


def _choice(query: Query, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = query.get(name)
    if value is None or value == "":
        return default
    if value not in allowed:
        raise ZohoError("INVALID_DATA", {"param_name": name, "supported_values": list(allowed)})
    return value


def record_filters(meta: ModuleMeta, query: Query, *, converted_default: str = "false") -> search_repo.Filters:
    """``converted`` (modules that convert: Leads), ``approval_state`` and ``approved``."""
    converted = _choice(query, "converted", CONVERTED_VALUES, converted_default)
    conversion = converted == "true" if "Converted__s" in meta.by_name and converted != "both" else None
    state = _choice(query, "approval_state", APPROVAL_STATES, "approved")
    approved = _choice(query, "approved", APPROVED_VALUES, "both")
    return search_repo.Filters(conversion, nothing=state != "approved" or approved == "false")


@dataclass(frozen=True)
class PreparedSearch:
    """A search ready to run: what matches (None: nothing can), compiled, plus the param filters."""

    bound: search_rules.Bound | None
    compiled: search_repo.Compiled | None
    filters: search_repo.Filters


def prepare(org_id: str, meta: ModuleMeta, query: Query, *, required: bool) -> PreparedSearch | None:
    """Read the search params (None: none given and not ``required``) and compile them."""
    request = search_rules.search_request(query, meta.by_name, required=required)
    filters = record_filters(meta, query)
    if request is None:
        return None
    if request.bound is None:
        return PreparedSearch(None, None, filters)
    context = search_repo.context(meta.id, org_id, meta.by_name)
    return PreparedSearch(request.bound, search_repo.compile_bound(request.bound, context), filters)


def search(conn: Connection, meta: ModuleMeta, prepared: PreparedSearch, page: PageQuery) -> list[RecordRow]:
    """GET /{module}/search: ``page.limit`` matching live records from ``page.offset`` on."""
    if prepared.bound is None or prepared.compiled is None:
        return []
    return search_repo.find(conn, meta.id, prepared.bound, prepared.compiled, page, prepared.filters)


def count(conn: Connection, org_id: str, meta: ModuleMeta, query: Query, *, actor: str, now_ms: int) -> int:
    """GET /{module}/actions/count with its optional criteria/email/phone/word, cvid and filters;
    ``actor`` and ``now_ms`` are what a view's ``${CURRENTUSER}`` and date tokens mean."""
    given = search_rules.given_search_params(query)
    cvid = query.get("cvid")
    if cvid:
        if given:
            due_to: list[dict[str, Any]] = [{"param_name": "cvid"}, *({"param_name": name} for name in given)]
            raise ZohoError("AMBIGUITY_DURING_PROCESSING", {"ambiguity_due_to": due_to}, Message.CVID_AMBIGUITY)
        view = views_service.view_param(conn, org_id, meta, cvid)
        filters = record_filters(meta, query, converted_default=views_rules.converted_default(view))
        if filters.nothing:
            return 0
        where = tuple(filters.where())
        return len(views_service.records_in(conn, org_id, meta, view, actor=actor, now_ms=now_ms, where=where))
    prepared = prepare(org_id, meta, query, required=False)
    if prepared is None:
        # A plain count stays an index-only count: the conversion state is read from each record's
        # JSON, and no lead can be converted in the emulator yet, so "false" and "both" agree.
        return count_in(conn, meta, *record_filters(meta, query, converted_default="both").where())
    if prepared.bound is None or prepared.compiled is None:
        return 0
    return search_repo.count(conn, meta.id, prepared.bound, prepared.compiled, prepared.filters)
