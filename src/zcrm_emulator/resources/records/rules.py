"""The records endpoints' own rules (REFERENCE §4.1-§4.8, §6): per-call limits, the list params'
closed lists, ``trigger``, and the record scopes. What a record and its module are is the record
model's (``zcrm_emulator.record_model``)."""

from __future__ import annotations

from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.modules.repo import ModuleRef

MAX_WRITE_ITEMS = 100  # insert / update / upsert / delete per call
MAX_FIELDS_PARAM = 50  # GET list `fields`
SORT_BY = {"id": "id", "Created_Time": "created_ms", "Modified_Time": "modified_ms"}
SORT_ORDERS = ("desc", "asc")
CONVERTED_VALUES = ("false", "true", "both")
DELETED_TYPES = ("all", "recycle", "permanent")
TRIGGERS = ("workflow", "approval", "blueprint", "pathfinder", "orchestration")


def check_trigger(raw: Any) -> tuple[str, ...] | None:
    """``trigger``: an array of automation names; None when the call gave none (REFERENCE §4.4)."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise ZohoError(
            "INVALID_DATA", {"api_name": "trigger", "json_path": "$.trigger", "expected_data_type": "jsonarray"}
        )
    for index, name in enumerate(raw):
        if name not in TRIGGERS:
            raise ZohoError(
                "INVALID_DATA",
                {"api_name": "trigger", "json_path": f"$.trigger[{index}]", "supported_values": list(TRIGGERS)},
            )
    return tuple(raw)


def write_limit(items: list[Any]) -> None:
    """More than 100 records: Zoho's LIMIT_EXCEEDED (OASx updateRecords ``LimitExceededError``)."""
    if len(items) > MAX_WRITE_ITEMS:
        raise ZohoError(
            "LIMIT_EXCEEDED",
            {"maximum_length": MAX_WRITE_ITEMS, "api_name": "data"},
            Message.TOO_MANY_RECORDS,
        )


# --- scopes (REFERENCE §2.7, §4.1) ---------------------------------------------------------------


def record_scopes(module: ModuleRef | None, path_name: str, operations: tuple[str, ...]) -> list[str]:
    """``ZohoCRM.modules.<scope name>.<op>`` for each acceptable op (ALL and WRITE are covered by
    the scope rule): the module's ``scope_name`` column, ``custom`` for custom modules, else the
    lower-cased api name without separators (Zoho's form, e.g. ``pricebooks``)."""
    if module is not None and module.scope_name:
        name = module.scope_name
    elif module is not None and module.generated_type == "custom":
        name = "custom"
    else:  # no such module: a well-formed scope anyway, so the call gets to INVALID_MODULE
        name = "".join(char for char in path_name.lower() if char.isascii() and char.isalnum()) or "module"
    return [f"ZohoCRM.modules.{name}.{op}" for op in operations]
