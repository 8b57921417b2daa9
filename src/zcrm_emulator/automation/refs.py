"""``{api_name, id}`` references as the automation APIs take them (AUTOMATION.md §1 "module ref"):
at least one key (EXPECTED_FIELD_MISSING "Specify atleast one field"), both naming the same thing
(AMBIGUITY_DURING_PROCESSING), something that exists (INVALID_DATA). Plain functions: the caller
passes the lookups."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id

T = TypeVar("T")

# Modules a workflow rule or an automation action may be built on (AUTOMATION.md §4 lists the task
# modules; Events, Calls, Services and Appointments have workflow too). Custom modules always may.
WORKFLOW_MODULES = frozenset(
    {
        "Leads",
        "Contacts",
        "Accounts",
        "Deals",
        "Tasks",
        "Events",
        "Calls",
        "Products",
        "Quotes",
        "Sales_Orders",
        "Purchase_Orders",
        "Invoices",
        "Campaigns",
        "Vendors",
        "Price_Books",
        "Cases",
        "Solutions",
        "Services__s",
        "Appointments__s",
    }
)


def workflow_module(api_name: str, generated_type: str, api_supported: bool) -> bool:
    return api_supported and (api_name in WORKFLOW_MODULES or generated_type == "custom")


def ref(
    value: Any,
    json_path: str,
    key: str,
    *,
    by_name: Callable[[str], T | None],
    by_id: Callable[[str], T | None],
    same: Callable[[T, T], bool],
    ambiguous: Message,
    unknown: Message,
) -> T:
    """What ``value`` (the ``key`` at ``json_path``) names, found by ``by_name``/``by_id``."""
    path = f"{json_path}.{key}"
    if not isinstance(value, Mapping):
        raise ZohoError(
            "INVALID_DATA",
            {"api_name": key, "json_path": path, "expected_data_type": "jsonobject"},
            Message.INVALID_DATA_TYPE,
        )
    name, raw_id = value.get("api_name"), value.get("id")
    if name in (None, "") and raw_id in (None, ""):
        raise ZohoError(
            "EXPECTED_FIELD_MISSING",
            {
                "expected_fields": [
                    {"api_name": "api_name", "json_path": f"{path}.api_name"},
                    {"api_name": "id", "json_path": f"{path}.id"},
                ]
            },
            Message.SPECIFY_ATLEAST_ONE,
        )
    if name is not None and not isinstance(name, str):
        raise ZohoError(
            "INVALID_DATA",
            {"api_name": "api_name", "json_path": f"{path}.api_name", "expected_data_type": "text"},
            Message.INVALID_DATA_TYPE,
        )
    found_by_id: T | None = None
    if raw_id not in (None, ""):
        target_id = normalize_id(raw_id)
        if target_id is None:
            raise ZohoError(
                "INVALID_DATA",
                {"api_name": "id", "json_path": f"{path}.id", "expected_data_type": "bigint"},
                Message.INVALID_DATA_TYPE,
            )
        found_by_id = by_id(target_id)
        if found_by_id is None:
            raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": path}, unknown)
    found_by_name = by_name(name) if name else None
    if name and found_by_name is None:
        raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": path}, unknown)
    if found_by_id is not None and found_by_name is not None and not same(found_by_id, found_by_name):
        raise ZohoError(
            "AMBIGUITY_DURING_PROCESSING",
            {
                "ambiguity_due_to": [
                    {"api_name": "id", "json_path": f"{path}.id"},
                    {"api_name": "api_name", "json_path": f"{path}.api_name"},
                ]
            },
            ambiguous,
        )
    result = found_by_id if found_by_id is not None else found_by_name
    assert result is not None
    return result


def field_of(
    value: Any, json_path: str, key: str, fields: Mapping[str, Mapping[str, Any]], *, unknown: Message
) -> Mapping[str, Any]:
    """A field of a module (``fields`` by api name) named by ``{api_name, id}``."""
    by_id = {f["id"]: f for f in fields.values()}
    return ref(
        value,
        json_path,
        key,
        by_name=fields.get,
        by_id=by_id.get,
        same=lambda a, b: a["id"] == b["id"],
        ambiguous=Message.FIELD_API_NAME_AMBIGUOUS,
        unknown=unknown,
    )


def short(thing: Mapping[str, Any]) -> dict[str, Any]:
    """``{api_name, id}`` as the automation APIs echo a module or a field."""
    return {"api_name": thing["api_name"], "id": thing["id"]}
