"""``POST /coql`` (REFERENCE §4.1; OAS ``coql.json`` "Get Records"; Zoho doc page "Get Records
through a COQL Query"): records of one module by a ``select_query``.

Thin HTTP: the body, the module's read scope beside ``ZohoCRM.coql.READ`` ("User must have the
scopes required to access the base module"), the caller's access, the envelope; the query in
``service.py``. No match is 204 with no body.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from zcrm_emulator import record_model, scopes
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.coql import grammar, rules
from zcrm_emulator.resources.coql import service as coql_service
from zcrm_emulator.resources.records.rules import record_scopes
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import no_content, reply

COQL_SCOPE = "ZohoCRM.coql"


async def select_records(call: Call) -> Response:
    now = call.emulator.clock.now_ms()
    body = call.json()
    text = rules.select_query(body)
    with_fields = rules.include_meta(body)
    with call.tx() as conn:
        parsed = coql_service.parse(conn, call.org_id, text)
        if not scopes.satisfied(call.principal.scopes, record_scopes(parsed.module, parsed.module.api_name, ("READ",))):
            raise ZohoError("OAUTH_SCOPE_MISMATCH")
        meta = record_model.load_module(conn, call.org_id, parsed.module.api_name, now, call.emulator.memo)
        who = record_model.caller(conn, call.org_id, call.user_id, call.emulator.memo)
        record_model.check_access(who, meta, "read")
        answer = coql_service.run(
            conn, call.org_id, meta, parsed.query, who.reader(), now_ms=now, memo=call.emulator.memo
        )
    if not answer.data:
        return no_content()
    shown: dict[str, Any] = {"data": answer.data}
    if with_fields:
        shown["fields"] = answer.fields
    shown["info"] = {"count": len(answer.data), "more_records": answer.more}
    return reply(shown)


def query_credits(call: Call) -> int:
    """1 credit up to LIMIT 200, 2 up to 1,000, 3 beyond; a query that does not parse costs one."""
    try:
        body = call.json()
        query = grammar.parse(rules.select_query(body))
        limit, _ = rules.paging(query)
    except ZohoError:
        return 1
    return rules.credits(limit)


ENDPOINTS = [
    Endpoint("POST", "/coql", select_records, COQL_SCOPE, operation="READ", credits=query_credits),
]
