"""``GET /{module}/search`` (REFERENCE §4.9; OAS ``module_search.json`` operation "Search module";
Zoho doc page "Search Records").

Thin HTTP: the module, access and page params here (shared with the records list), the search in
``service.py``. Only one of criteria > email > phone > word is used; ``page``/``per_page``
reach the first 2,000 results (LIMIT_REACHED beyond); no match is 204 with no body. ``cvid`` searches
within a custom view: a hit meets the view's criteria and the search's.
"""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator import params, record_model
from zcrm_emulator.record_model import PageQuery
from zcrm_emulator.resources.records import rules
from zcrm_emulator.resources.records.calls import module_and_caller, scope, wanted_fields
from zcrm_emulator.resources.search import rules as search_rules
from zcrm_emulator.resources.search import service as search_service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

# Zoho lists this scope with the module's read scopes for search (REFERENCE §2.7).
SECURE_SEARCH_SCOPE = "ZohoSearch.securesearch.READ"
_read_scopes = scope("READ")


def search_scopes(call: Call) -> list[str]:
    """The module's record read scopes, or Zoho's secure-search scope."""
    return [*_read_scopes(call), SECURE_SEARCH_SCOPE]


async def search_records(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    query = dict(call.request.query_params)
    with call.tx() as conn:
        meta, who = module_and_caller(conn, call, now, "read")
        cvid = call.query("cvid")
        prepared = None if cvid else search_service.prepare(conn, call.org_id, meta, query, required=True)
        names = wanted_fields(call, required=False)
        sort_by = params.choice(call, "sort_by", rules.SORT_BY, "id")
        sort_order = params.choice(call, "sort_order", rules.SORT_ORDERS, "desc")
        page_number = params.integer(call, "page", 1)
        per_page = params.integer(call, "per_page", search_rules.LIMITS.per_page, maximum=search_rules.LIMITS.per_page)
        offset, size = search_rules.result_window(page_number, per_page)
        page = PageQuery(rules.SORT_BY[sort_by], sort_order == "desc", size + 1, offset)
        if cvid:  # a search within a view: the view's criteria and the search's, both met
            rows = search_service.search_in_view(
                conn, call.org_id, meta, query, cvid, page, actor=call.user_id, now_ms=now
            )
        else:
            assert prepared is not None  # required: EXPECTED_PARAM_MISSING instead
            rows = search_service.search(conn, meta, prepared, page)
        more = len(rows) > size
        rows = rows[:size]
        if not rows:
            return no_content()
        reader = who.reader(record_model.lookup_names(conn, call.org_id, meta, rows))
    data = [
        record_model.full_record(meta, row, reader)
        if names is None
        else record_model.listed_record(meta, row, names, reader)
        for row in rows
    ]
    info = {
        "per_page": per_page,
        "count": len(data),
        "page": page_number,
        "more_records": more,
        "sort_by": sort_by,
        "sort_order": sort_order,
    }
    return reply({"data": data, "info": info})


ENDPOINTS = [Endpoint("GET", "/{module}/search", search_records, search_scopes)]
