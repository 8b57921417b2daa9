"""Custom views (OAS custom_views.json; OASx getCustomViews, getCustomViewById; Zoho doc page "Custom
Views Metadata"): what the list and one view show, and what a view selects and in which order.

A view's criteria are Zoho's JSON criteria (``{field, comparator, value}`` leaves, ``group_operator``
groups), evaluated on each stored record by the workflow criteria engine
(``resources/workflow_rules/criteria.py``): ``${CURRENTUSER}`` is the caller, ``${TODAY}`` and the
other date tokens are days in the org's time zone. A view without criteria holds every record.
Lists of a module whose records convert (Leads) show only unconverted records, as Zoho's views do,
unless the view's criteria name ``Converted__s`` (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from zcrm_emulator.clock import iso
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.record_model import RecordRow
from zcrm_emulator.validation import Key, Spec, at

ENVELOPE = "custom_views"
SCOPE = "ZohoCRM.settings.custom_views"
CONVERTED_FIELD = "Converted__s"
TRANSLATION = {
    "public_views": "Public Views",
    "other_users_views": "Other User's Views",
    "shared_with_me": "Shared With Me",
    "created_by_me": "Created By Me",
}
# What the list shows of each view (OASx getCustomViews); one view shows all but ``module``.
LIST_KEYS = (
    "display_value",
    "created_time",
    "access_type",
    "system_name",
    "created_by",
    "default",
    "modified_time",
    "name",
    "system_defined",
    "modified_by",
    "id",
    "category",
    "last_accessed_time",
    "locked",
)
HIDDEN_KEYS = frozenset({"module"})

# ``change_sort`` (Zoho doc page "Change Sort Order of Custom Views"): both keys mandatory, the
# field named by api name and id, up to 100 views a call.
SORT_UPDATED = "custom view updated"
SORT_ORDERS = ("asc", "desc")
SORT_MAX_VIEWS = 100
SORT_KEYS = (
    Key(
        "sort_by",
        type="object",
        mandatory=True,
        items=Spec(keys=(Key("api_name", min_length=1), Key("id", type="id"))),
    ),
    Key("sort_order", mandatory=True, choices=SORT_ORDERS),
)
SORT = Spec(keys=SORT_KEYS)
SORT_WITH_ID = Spec(keys=(Key("id", type="id", mandatory=True), *SORT_KEYS))


def listed(view: Mapping[str, Any]) -> dict[str, Any]:
    return {key: view.get(key) for key in LIST_KEYS}


def detailed(view: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in view.items() if key not in HIDDEN_KEYS}


def sort_field(fields: list[dict[str, Any]], sort_by: Mapping[str, Any], json_path: str) -> dict[str, str]:
    """The module's field ``sort_by`` names (by api name, id, or both agreeing) as ``{api_name, id}``:
    INVALID_DATA on ``sort_by`` when it names none, or a field records cannot be sorted by."""
    api_name, field_id = sort_by.get("api_name"), sort_by.get("id")
    for field in fields:
        named = api_name is not None or field_id is not None
        if (
            named
            and api_name in (None, field.get("api_name"))
            and field_id in (None, str(field.get("id")))
            and field.get("sortable") is not False
        ):
            return {"api_name": str(field["api_name"]), "id": str(field["id"])}
    raise ZohoError("INVALID_DATA", at(json_path, "sort_by"))


def with_sort(view: Mapping[str, Any], sort_by: dict[str, str], sort_order: str, **stamp: Any) -> dict[str, Any]:
    """The view ordered by ``sort_by`` and ``sort_order``, stamped with ``modified_time``/``modified_by``."""
    return {**view, "sort_by": sort_by, "sort_order": sort_order, **stamp}


def default_view_id(views: list[dict[str, Any]]) -> str | None:
    return next((str(view["id"]) for view in views if view.get("default")), views[0]["id"] if views else None)


def names_field(criterion: Mapping[str, Any] | None, api_name: str) -> bool:
    if not criterion:
        return False
    if "group" in criterion:
        return any(names_field(part, api_name) for part in criterion["group"])
    return bool(criterion["field"]["api_name"] == api_name)


def converted_default(view: Mapping[str, Any]) -> str:
    """The ``converted`` filter a list with this view takes when the call gives none."""
    return "both" if names_field(view.get("criteria"), CONVERTED_FIELD) else "false"


def record_view(row: RecordRow) -> dict[str, Any]:
    """A record as criteria read it: its stored values, the owner and the system fields."""
    return {
        **row.data,
        "id": row.id,
        "Owner": row.owner_id,
        "Created_By": row.created_by,
        "Modified_By": row.modified_by,
        "Created_Time": iso(row.created_ms),
        "Modified_Time": iso(row.modified_ms),
    }


def _sortable(value: Any) -> tuple[int, Any]:
    """Values of one field compared alike: numbers as numbers, the rest as text (0: has a value)."""
    if value is None or value == "" or value == []:
        return (1, "")
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("id") or ""
    if isinstance(value, bool):
        return (0, Decimal(int(value)))
    if isinstance(value, int | float):
        return (0, Decimal(str(value)))
    return (0, str(value))


_SYSTEM_SORT: dict[str, Callable[[RecordRow], tuple[int, Any]]] = {
    "Created_Time": lambda row: (0, row.created_ms),
    "Modified_Time": lambda row: (0, row.modified_ms),
    "Owner": lambda row: (0, row.owner_id),
    "id": lambda row: (0, row.id),
}


def sort_rows(rows: list[RecordRow], view: Mapping[str, Any]) -> list[RecordRow]:
    """The view's order: its ``sort_by`` field and ``sort_order`` (newest id first without one);
    records without a value come last, ties newest id first."""
    by_id = sorted(rows, key=lambda row: int(row.id), reverse=True)
    sort_by = (view.get("sort_by") or {}).get("api_name")
    if not sort_by:
        return by_id
    descending = view.get("sort_order") == "desc"
    key = _SYSTEM_SORT.get(sort_by) or (lambda row: _sortable(row.data.get(str(sort_by))))
    present = [row for row in by_id if key(row)[0] == 0]
    empty = [row for row in by_id if key(row)[0] != 0]
    ordered = sorted(present, key=lambda row: _text_safe(key(row)[1]), reverse=descending)
    return ordered + empty


def _text_safe(value: Any) -> tuple[int, Any]:
    """Numbers before text, so a field holding both never compares the two."""
    return (0, value) if isinstance(value, Decimal | int) else (1, str(value).casefold())


def sort_info(view: Mapping[str, Any]) -> tuple[str, str]:
    """``info.sort_by`` / ``sort_order`` of a list in the view's order."""
    sort_by = (view.get("sort_by") or {}).get("api_name")
    return (sort_by, view.get("sort_order") or "desc") if sort_by else ("id", "desc")
