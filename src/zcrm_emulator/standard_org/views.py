"""The standard custom views of a fresh org, built from ``custom_views.json`` and the org's modules
and fields (their ids), in Zoho's wire shape (OAS custom_views.json; OASx getCustomViewById).

Each view's criteria are the ones ``resources/custom_views`` evaluates when a record list, a search or
a mass update names the view (``cvid``); a view without criteria holds every record of its module. A
custom module gets the common views when it is created (``module_views``, ``custom_module_entry``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

# Suffixes of the standard views' ids: above every other fixed suffix of a fresh org, below the
# per-org counter (ids.FIRST_DYNAMIC_SUFFIX).
FIRST_VIEW_SUFFIX = 2_700_001
PUBLIC = "public_views"


@cache
def _spec() -> dict[str, Any]:
    text = (resources.files(__package__) / "custom_views.json").read_text(encoding="utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


def _system_name(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def _criterion(raw: Mapping[str, Any] | None, fields: Mapping[str, str]) -> dict[str, Any] | None:
    """A criterion of the data file with its fields' ids; None when the module lacks one of them."""
    if raw is None:
        return None
    if "group" in raw:
        parts = [_criterion(part, fields) for part in raw["group"]]
        if any(part is None for part in parts):
            return None
        return {"group_operator": raw["group_operator"], "group": parts}
    name = raw["field"]
    if name not in fields:
        return None
    return {
        "comparator": raw["comparator"],
        "field": {"api_name": name, "id": fields[name]},
        "type": "value",
        "value": raw["value"],
    }


def view_rows(
    org_id: str,
    module_rows: list[dict[str, Any]],
    field_rows: list[dict[str, Any]],
    *,
    id_of: Callable[[int], str],
    created: str,
    admin: Mapping[str, str],
    now_ms: int,
) -> list[dict[str, Any]]:
    """The ``custom_views`` rows of a fresh org."""
    fields_by_module: dict[str, dict[str, str]] = {}
    for row in field_rows:
        fields_by_module.setdefault(row["module_id"], {})[row["api_name"]] = row["data"]["id"]
    rows: list[dict[str, Any]] = []
    suffixes = itertools.count(FIRST_VIEW_SUFFIX)
    for module in module_rows:
        entry = _spec()["modules"].get(module["api_name"])
        fields = fields_by_module.get(module["id"])
        if entry is None or not fields:
            continue
        module_ref = {
            "api_name": module["api_name"],
            "id": module["id"],
            "plural_label": module["data"].get("plural_label"),
        }
        rows.extend(
            module_views(
                org_id,
                module_ref,
                fields,
                entry,
                new_id=lambda: id_of(next(suffixes)),
                created=created,
                person=admin,
                now_ms=now_ms,
            )
        )
    return rows


def custom_module_entry() -> dict[str, Any]:
    """The views of a custom module: the common ones, with the columns custom modules share."""
    entry: dict[str, Any] = _spec()["custom_module"]
    return entry


def module_views(
    org_id: str,
    module: Mapping[str, Any],
    fields: Mapping[str, str],
    entry: Mapping[str, Any],
    *,
    new_id: Callable[[], str],
    created: str,
    person: Mapping[str, str],
    now_ms: int,
) -> list[dict[str, Any]]:
    """The ``custom_views`` rows of one module (``{api_name, id, plural_label}``, its field ids by
    api name): the common views and the module's own (``entry``); ``new_id`` gives each view its id,
    in order."""
    plural = module.get("plural_label") or module["api_name"]
    columns = [{"api_name": name, "id": fields[name], "_pin": False} for name in entry["columns"] if name in fields]
    rows: list[dict[str, Any]] = []
    for sequence, view in enumerate([*_spec()["common"], *entry["views"]]):
        criteria = _criterion(view.get("criteria"), fields)
        if criteria is None and view.get("criteria") is not None:
            continue  # the module lacks a field the view filters on (e.g. no Owner)
        name = view["name"].format(plural=plural)
        sort_by = view.get("sort_by")
        view_id = new_id()
        data = {
            "id": view_id,
            "name": name,
            "display_value": name,
            "system_name": view.get("system_name") or _system_name(name),
            "category": PUBLIC,
            "created_time": created,
            "modified_time": created,
            "last_accessed_time": None,
            "created_by": {"name": person["name"], "id": person["id"]},
            "modified_by": {"name": person["name"], "id": person["id"]},
            "module": {"api_name": module["api_name"], "id": module["id"]},
            "criteria": criteria,
            "default": bool(view.get("default")),
            "system_defined": True,
            "locked": False,
            "favorite": None,
            "offline": True,
            "access_type": "public",
            "shared_to": [],
            "fields": columns,
            "sort_by": {"api_name": sort_by, "id": fields[sort_by]} if sort_by in fields else None,
            "sort_order": view.get("sort_order") if sort_by in fields else None,
        }
        rows.append(
            {
                "id": view_id,
                "org_id": org_id,
                "module_id": module["id"],
                "sequence": sequence,
                "modified_ms": now_ms,
                "data": data,
            }
        )
    return rows
