"""Which fields ``GET /settings/fields`` shows (REFERENCE §3.2; OAS fields.json)."""

from __future__ import annotations

from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.modules.repo import ModuleRef

FIELD_TYPES_PARAM = ("all", "used", "unused")


def require_metadata_module(module: ModuleRef | None) -> ModuleRef:
    """Field and layout metadata exist for API-supported modules (subform modules included: the
    SDK reads them for line items); anything else is INVALID_MODULE ``{"api_name": "module"}``
    (the details fields.json documents for this query-param error)."""
    if module is None or not module.api_supported:
        raise ZohoError("INVALID_MODULE", {"api_name": "module"})
    return module


def type_filter(value: str | None) -> str:
    if value is None or value == "":
        return "all"
    if value not in FIELD_TYPES_PARAM:
        raise ZohoError("INVALID_DATA", {"param_name": "type", "supported_values": list(FIELD_TYPES_PARAM)})
    return value


def select_fields(fields: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """``type=used|unused`` keeps fields whose ``type`` says so; ``all`` keeps every field."""
    if kind == "all":
        return fields
    return [f for f in fields if (f.get("type") or "used") == kind]
