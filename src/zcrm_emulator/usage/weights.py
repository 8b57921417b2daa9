"""What a CRM call costs in API credits (REFERENCE §6.2, the "API Limits" page's table).

Endpoints declare ``Endpoint(credits=…)``: an int, or a function of the ``Call`` built with the
helpers below, e.g. ``per_items("data", 10)`` for record inserts (1 credit per 10 records).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from zcrm_emulator.errors import ZohoError

if TYPE_CHECKING:
    from zcrm_emulator.routing import Call, Endpoint

# Zoho's weights by kind of call; anything not listed costs DEFAULT.
DEFAULT = 1
WEIGHTS: dict[str, int] = {
    "deleted_records": 2,  # GET /{module}/deleted
    "records_with_cvid": 3,  # GET /{module}?cvid=
    "convert_lead": 5,
    "module_update": 5,  # per module (seed "Update Custom Module")
    "custom_module_create": 500,  # docs/decisions.md (§9 #14)
    "bulk_read_initialize": 50,
    "bulk_write_initialize": 500,
}
RECORDS_PER_CREDIT = 10  # insert / update / upsert
TAGGED_RECORDS_PER_CREDIT = 50  # add / remove tags on many records


def per_items(envelope: str, per: int = 1, *, each: int = 1) -> Callable[[Call], int]:
    """``each`` credits per started group of ``per`` items in the body's ``envelope`` array (at least
    one group: a body that is not such an array still costs one)."""

    def cost(call: Call) -> int:
        count = _array_length(call, envelope)
        groups = max(1, -(-count // per))
        return groups * each

    return cost


def with_param(name: str, credits: int, otherwise: int = DEFAULT) -> Callable[[Call], int]:
    """``credits`` when the query carries ``name`` (e.g. ``cvid``), else ``otherwise``."""

    def cost(call: Call) -> int:
        return credits if call.query(name) else otherwise

    return cost


def cost_of(endpoint: Endpoint, call: Call) -> int:
    rule = endpoint.credits
    return max(0, rule(call) if callable(rule) else rule)


def _array_length(call: Call, envelope: str) -> int:
    try:
        items = call.json().get(envelope)
    except ZohoError:  # not a JSON object: the handler answers that
        return 0
    return len(items) if isinstance(items, list) else 0
