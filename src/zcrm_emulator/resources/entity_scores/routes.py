"""``/Entity_Scores__s`` and ``/Entity_Scores__s/{record_id}`` (OAS entity_scores.json; v8 "Get
Entity Score"): the scores scoring rules gave records, 204 when there are none.

``{record_id}`` is the id of an entity score or of the record it scores (the v8 page reads a record's
scores by the record's id): either way the matching scores are listed.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.responses import Response

from zcrm_emulator import params
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.entity_scores import rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

# The v8 page names ZohoCRM.modules.entity_scores.READ; the OAS file ZohoCRM.settings.modules.read.
SCOPES = ("ZohoCRM.modules.entity_scores.READ", "ZohoCRM.settings.modules.READ")
PATH = "/Entity_Scores__s"


def _scopes(call: Call) -> Sequence[str]:
    return SCOPES


async def list_scores(call: Call) -> Response:
    fields = rules.wanted_fields(call.query("fields"))
    page = params.page(call)
    sort_by = params.choice(call, "sort_by", rules.SORT_KEYS, "id")
    sort_order = params.choice(call, "sort_order", rules.SORT_ORDERS, "desc")
    wanted = {i for i in (normalize_id(raw) for raw in params.csv(call, "ids")) if i is not None}
    with call.tx() as conn:
        found = service.scores(conn, call.org_id, call.emulator.clock.now_ms())
    since = params.if_modified_since(call)
    if since is not None:
        found = [s for s in found if s.modified_ms // 1000 > since // 1000]
        if not found:
            return no_content(304)
    if wanted or call.query("ids"):
        found = [s for s in found if s.id in wanted]
    key = (lambda s: (s.modified_ms, s.id)) if sort_by == "Modified_Time" else (lambda s: (0, int(s.id)))
    found.sort(key=key, reverse=sort_order == "desc")
    chunk = found[page.offset : page.offset + page.per_page]
    if not chunk:
        return no_content()
    more = page.offset + page.per_page < len(found)
    body = {
        rules.ENVELOPE: [rules.shown(s, fields) for s in chunk],
        "info": rules.info(page.page, page.per_page, len(chunk), more, sort_by, sort_order),
    }
    return reply(body)


async def get_score(call: Call) -> Response:
    fields = rules.wanted_fields(call.query("fields"))
    wanted = normalize_id(call.params["record_id"])
    with call.tx() as conn:
        found = service.scores(conn, call.org_id, call.emulator.clock.now_ms())
    chosen = [s for s in found if wanted is not None and wanted in (s.id, s.record["id"])]
    if not chosen:
        return no_content()
    body = {
        rules.ENVELOPE: [rules.shown(s, fields) for s in chosen],
        "info": rules.info(1, len(chosen), len(chosen), False, "id", "desc"),
    }
    return reply(body)


ENDPOINTS = [
    Endpoint("GET", PATH, list_scores, _scopes),
    Endpoint("GET", f"{PATH}/{{record_id}}", get_score, _scopes),
]
