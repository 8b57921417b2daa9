"""The wire object of a new custom field (OAS fields.json ``fields``): the keys every field of the
standard org has, from one standard text field, with what the data type and the request decide.

Plain functions over plain data: no SQL, no HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.resources.fields.rules import NEW_TYPES
from zcrm_emulator.resources.modules.templates import standard_field

BASE = "Leads.Designation"  # a plain custom-looking text field: the keys every field carries
# Keys that only make sense for the base field's own module and type.
DROPPED = ("convert_mapping",)
CUSTOMIZABLE = ["mandatory", "unique", "removal", "private_field", "tooltip", "hipaa_field", "add_to_other_layouts"]
# What Zoho keeps of a lead's custom field when the lead converts: nothing until it is mapped.
LEAD_CONVERT_MAPPING = {"Contacts": None, "Deals": None, "Accounts": None}
NOT_SEARCHABLE = frozenset({"fileupload", "imageupload", "formula", "multiselectpicklist"})


@dataclass(frozen=True)
class Placement:
    """Where the new field goes: its module, the module's layout, the org's profiles."""

    module_api_name: str
    layout: Mapping[str, Any]  # as ``layout_associations`` names it
    profiles: list[dict[str, str]]  # {name, id} of every profile of the org


def new_field(
    clean: Mapping[str, Any],
    *,
    field_id: str,
    api_name: str,
    length: int | None,
    decimal_place: int | None,
    place: Placement,
    lookup_module: Mapping[str, str] | None,
    created_time: str,
    new_ids: Iterator[str],
) -> dict[str, Any]:
    data_type: str = clean["data_type"]
    kind = NEW_TYPES[data_type]
    field = {k: v for k, v in standard_field(BASE).items() if k not in DROPPED}
    label = clean["field_label"].strip()
    field.update(
        id=field_id,
        api_name=api_name,
        field_label=label,
        display_label=label,
        data_type=data_type,
        json_type=kind.json_type,
        length=length,
        decimal_place=decimal_place,
        custom_field=True,
        created_source="crm",
        customizable_properties=list(CUSTOMIZABLE),
        read_only=kind.server_set,
        field_read_only=kind.server_set,
        operation_type={
            "web_update": not kind.server_set,
            "api_create": not kind.server_set,
            "web_create": not kind.server_set,
            "api_update": not kind.server_set,
        },
        searchable=data_type not in NOT_SEARCHABLE,
        sortable=kind.sortable,
        filterable=data_type not in NOT_SEARCHABLE,
        mass_update=not kind.server_set and data_type not in ("fileupload", "imageupload"),
        businesscard_supported=False,
        profiles=profiles_of(clean.get("profiles"), place.profiles, "read_only" if kind.server_set else "read_write"),
        layout_associations=[dict(place.layout)],
        tooltip=dict(clean["tooltip"]) if clean.get("tooltip") else None,
        pick_list_values=picklist(clean.get("pick_list_values") or [], new_ids),
        lookup=lookup_of(lookup_module, label, new_ids) if lookup_module else {},
        auto_number=auto_number(clean["auto_number"]) if data_type == "autonumber" else {},
        formula=dict(clean["formula"]) if data_type == "formula" else {},
        currency=currency(clean.get("currency")) if data_type == "currency" else {},
        created_time=created_time,
        modified_time=created_time,
    )
    if data_type == "textarea":
        field["textarea"] = {"type": (clean.get("textarea") or {}).get("type") or "small"}
    if place.module_api_name == "Leads":
        field["convert_mapping"] = dict(LEAD_CONVERT_MAPPING)
    return field


def profiles_of(
    given: list[Mapping[str, Any]] | None, org_profiles: list[dict[str, str]], default: str
) -> list[dict[str, str]]:
    """Every profile of the org with its permission: the given ones as given, the rest ``default``
    (by default all org users have access to a new field)."""
    chosen = {str(p["id"]): p.get("permission_type") or default for p in given or []}
    return [{"permission_type": chosen.get(p["id"], default), "name": p["name"], "id": p["id"]} for p in org_profiles]


def picklist(values: list[Mapping[str, Any]], new_ids: Iterator[str]) -> list[dict[str, Any]]:
    """Picklist options in order, each with its own id; ``actual_value`` defaults to the display one."""
    made = []
    for n, value in enumerate(values, 1):
        shown = value["display_value"].strip()
        actual = (value.get("actual_value") or shown).strip()
        made.append(
            {
                "display_value": shown,
                "sequence_number": n,
                "reference_value": shown,
                "colour_code": None,
                "actual_value": actual,
                "id": next(new_ids),
                "type": "used",
            }
        )
    return made


def lookup_of(module: Mapping[str, str], label: str, new_ids: Iterator[str]) -> dict[str, Any]:
    return {
        "display_label": label,
        "revalidate_filter_during_edit": False,
        "api_name": None,
        "module": {"api_name": module["api_name"], "id": module["id"]},
        "id": next(new_ids),
        "query_details": {},
    }


def auto_number(given: Mapping[str, Any]) -> dict[str, Any]:
    start: str = given["start_number"]
    return {
        "prefix": given.get("prefix") or None,
        "suffix": given.get("suffix") or None,
        "start_number": int(start),
        "starting_number_length": len(start) if start.startswith("0") and len(start) > 1 else 0,
    }


def currency(given: Mapping[str, Any] | None) -> dict[str, Any]:
    given = given or {}
    return {"rounding_option": given.get("rounding_option") or "normal", "precision": given.get("precision", 2)}
