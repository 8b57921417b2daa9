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


def prepare(
    conn: Connection, org_id: str, meta: ModuleMeta, query: Query, *, required: bool, converted_default: str = "false"
) -> PreparedSearch | None:
    """Read the search params (None: none given and not ``required``) and compile them; tag names
    become the ids of the module's tags."""
    request = search_rules.search_request(query, meta.by_name, required=required)
    filters = record_filters(meta, query, converted_default=converted_default)
    if request is None:
        return None
    if request.bound is None:
        return PreparedSearch(None, None, filters)
    bound = request.bound
    names = search_rules.tag_names(bound)
    if names:
        bound = search_rules.resolve_tags(bound, search_repo.tag_ids(conn, meta.id, names))
    context = search_repo.context(meta.id, org_id, meta.by_name)
    return PreparedSearch(bound, search_repo.compile_bound(bound, context), filters)


def search(conn: Connection, meta: ModuleMeta, prepared: PreparedSearch, page: PageQuery) -> list[RecordRow]:
    """GET /{module}/search: ``page.limit`` matching live records from ``page.offset`` on."""
    if prepared.bound is None or prepared.compiled is None:
        return []
    return search_repo.find(conn, meta.id, prepared.bound, prepared.compiled, page, prepared.filters)


def search_in_view(
    conn: Connection,
    org_id: str,
    meta: ModuleMeta,
    query: Query,
    raw_view: str,
    page: PageQuery,
    *,
    actor: str,
    now_ms: int,
) -> list[RecordRow]:
    """GET /{module}/search?cvid=…: the records of the view (INVALID_DATA ``{param_name: cvid}`` for
    an id naming none) that also meet the search, in the search's order; ``converted`` defaults as
    the view's list does (docs/decisions.md)."""
    view = views_service.view_param(conn, org_id, meta, raw_view)
    prepared = prepare(conn, org_id, meta, query, required=True, converted_default=views_rules.converted_default(view))
    assert prepared is not None  # required: EXPECTED_PARAM_MISSING instead
    bound, compiled = prepared.bound, prepared.compiled
    if bound is None or compiled is None or prepared.filters.nothing:
        return []
    where = tuple(w for w in (compiled.where, *prepared.filters.where()) if w is not None)
    held = views_service.records_in(conn, org_id, meta, view, actor=actor, now_ms=now_ms, where=where)
    hits = held if compiled.exact else [row for row in held if search_repo.row_matches(bound, row)]
    hits.sort(key=lambda row: (_sort_value(row, page.sort), int(row.id)), reverse=page.descending)
    return hits[page.offset : page.offset + page.limit]


def _sort_value(row: RecordRow, sort: str) -> int:
    return int(row.id) if sort == "id" else int(getattr(row, sort))


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
    prepared = prepare(conn, org_id, meta, query, required=False)
    if prepared is None:
        # A plain count stays an index-only count: the conversion state is read from each record's
        # JSON, and no lead can be converted in the emulator yet, so "false" and "both" agree.
        return count_in(conn, meta, *record_filters(meta, query, converted_default="both").where())
    if prepared.bound is None or prepared.compiled is None:
        return 0
    return search_repo.count(conn, meta.id, prepared.bound, prepared.compiled, prepared.filters)
