"""The list's query parameters (OASx getWebhooks): ``sort_by`` only ``Modified_Time``, ``sort_order``
``asc``/``desc`` (default ``desc``), and ``filters``, a JSON object that can only ask for names
containing a text (case-insensitive). A bad value is a bare INVALID_DATA ``{param_name}`` "The value
provided to the param is Invalid"."""

from __future__ import annotations

import json
from typing import Any

from zcrm_emulator.errors import Message, ZohoError

MAX_LIMIT = 200  # ``info.max_limit``
SORT_BY = ("Modified_Time",)
SORT_ORDERS = ("asc", "desc")
FILTERS_MAX = 1000  # characters (OASx getWebhooks)


def bad_param(name: str) -> ZohoError:
    return ZohoError("INVALID_DATA", {"param_name": name}, Message.WEBHOOK_PARAM_INVALID)


def name_filter(raw: str) -> str:
    """The text ``filters`` asks names to contain: ``{"field": {"api_name": "name"},
    "comparator": "contains", "value": "…"}``."""
    if len(raw) > FILTERS_MAX:
        raise bad_param("filters")
    try:
        given: Any = json.loads(raw)
    except (ValueError, RecursionError):
        raise bad_param("filters") from None
    field = given.get("field") if isinstance(given, dict) else None
    value = given.get("value") if isinstance(given, dict) else None
    if (
        not isinstance(field, dict)
        or field.get("api_name") != "name"
        or given.get("comparator") != "contains"
        or not isinstance(value, str)
    ):
        raise bad_param("filters")
    return value
