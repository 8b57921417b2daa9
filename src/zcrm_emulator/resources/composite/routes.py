"""``POST /__composite_requests`` (composite_requests.json "composite"; Zoho's "Composite API" page).

Up to five sub-requests in one call and one transaction, answered in ``__composite_requests`` in
the order given: 200 when every sub-request ran (whatever each answered), 207 when some could not,
400 when none did or the call rolled back. Scope ``ZohoCRM.composite_requests.CUSTOM``, and each
sub-request its own. One credit; two for a call with ``rollback_on_fail`` that did not roll back.
"""

from __future__ import annotations

from starlette.responses import Response

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.composite import rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.wire import reply

SCOPE = "ZohoCRM.composite_requests"
ROLLBACK_CREDITS = 2  # a rollback call that did not roll back; one credit otherwise


def credits(call: Call) -> int:
    """What the call is admitted for: two credits when it asks to roll back on failure (one of them
    given back if it does roll back, ``composite``)."""
    try:
        return ROLLBACK_CREDITS if rules.rollback_wanted(call.json()) else 1
    except ZohoError:  # no JSON object: the handler answers that
        return 1


async def composite(call: Call) -> Response:
    charged = credits(call)
    call.credits_returned = charged - 1  # until every sub-request of a rollback call has succeeded
    with call.tx():
        outcome = await service.run(call, call.json())
    if not outcome.rolled_back:
        call.credits_returned = 0
    status = rules.status(outcome.items, rolled_back=outcome.rolled_back)
    return reply({rules.ENVELOPE: outcome.items}, status=status)


ENDPOINTS = [
    Endpoint("POST", "/__composite_requests", composite, SCOPE, since="v3", credits=credits, operation="CUSTOM"),
]
