"""How a layout looks on the wire (REFERENCE §3.3; OAS layouts.json ``layouts``).

A fresh org has one "Standard" layout per module (how many and which layouts a real org has is not
in the sources, §9 #32). The layout object is stored without its fields; ``layout_object`` adds the
sections built from the module's current fields, each field object as ``/settings/fields`` shows it
plus the keys a layout adds. A layout whose sections were changed (PATCH, Zoho doc page "Update
Custom Layout") keeps them under ``_sections``: each section's own keys and the ids of the fields
placed in it, in order. A field placed nowhere (a new custom field, or one whose section was
deleted) goes where a fresh layout puts it, so every field of the module stays in one section.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.validation import Key, Spec, at

# Keys a field carries inside a layout section but not in /settings/fields (OAS layouts.json
# ``fields``); values are the resting ones of a field without layout rules or defaults.
SECTION_FIELD_DEFAULTS: dict[str, Any] = {
    "validation_rule": None,
    "default_value": None,
    "section_id": None,
    "blueprint_supported": False,
    "sharing_properties": None,
    "file_upolad_optionlist": [],
    "subform": None,
    "multiuserlookup": None,
    "allowed_modules": [],
    "static_values": [],
    "static_field": False,
    "_delete": {"permanent": False},
    "available_in_user_layout": True,
    "column_name": None,
    "quick_sequence_number": None,
    "refer_from_field": None,
    "show_type": 0,
    "category": 0,
    "sub_module": None,
    "autonumber": None,
    "convert_mapping": {},
    "common.picklist": None,
    "_update_existing_records": False,
    "number_separator": False,
    "textarea": None,
}

SECTIONS = (("Record Information", "Record_Information"), ("Description Information", "Description_Information"))
STORED_SECTIONS = "_sections"  # internal: never on the wire

UPDATED = "layout updated"
DELETED = "layout deleted"
ACTIVATED = "layout activated"
DEACTIVATED = "layout deactivated"
ACTIVE, INACTIVE = "active", "inactive"
SECTION_LABEL_MAX = 50  # Zoho doc page "Update Custom Layout": display_label, 50 characters at most
TAB_TRAVERSALS = ("left_to_right", "top_to_bottom")

SECTION_FIELD = Spec(keys=(Key("id", type="id", mandatory=True), Key("sequence_number", type="integer")))
SECTION = Spec(
    keys=(
        Key("id", type="id"),
        Key("display_label", min_length=1, max_length=SECTION_LABEL_MAX),
        Key("sequence_number", type="integer"),
        Key("column_count", type="integer"),
        Key("tab_traversal", choices=TAB_TRAVERSALS),
        Key("fields", type="array", items=SECTION_FIELD),
        Key("_delete", type="object", nullable=True),
    )
)
UPDATE = Spec(keys=(Key("sections", type="array", mandatory=True, min_items=1, items=SECTION),))
UPDATE_WITH_ID = Spec(keys=(Key("id", type="id", mandatory=True), *UPDATE.keys))
# Activation names the profiles that get the layout back (Zoho doc page "Activate Custom Layout").
ACTIVATE = Spec(
    keys=(
        Key(
            "profiles",
            type="array",
            mandatory=True,
            min_items=1,
            items=Spec(keys=(Key("id", type="id", mandatory=True),)),
        ),
    )
)


def layout_profile(profile: Mapping[str, Any]) -> dict[str, Any]:
    """A profile as a layout lists it (not the profile's default layout: another one is)."""
    return {
        "default": False,
        "name": profile.get("name"),
        "id": profile.get("id"),
        "_default_view": {"name": "Standard", "id": None, "type": "layout"},
    }


def template(module: dict[str, Any]) -> dict[str, Any]:
    """A module's Standard layout without id and sections (stored on first use)."""
    profiles = [
        {
            "default": True,
            "name": p.get("name"),
            "id": p.get("id"),
            "_default_view": {"name": "Standard", "id": None, "type": "layout"},
        }
        for p in module.get("profiles") or []
    ]
    return {
        "display_type": -1,
        "api_name": "Standard__s",
        "has_more_profiles": False,
        "created_time": None,
        "modified_time": None,
        "visible": True,
        "source": "crm",
        "display_label": "Standard",
        "mode": None,
        "subform_properties": {"pinned_column": False},
        "status": "active",
        "show_business_card": False,
        "generated_type": "default",
        "created_for": None,
        "convert_mapping": {"Contacts": None, "Deals": None, "Accounts": None, "Invoices": None, "SalesOrders": None},
        "modified_by": None,
        "profiles": profiles,
        "created_by": None,
        "actions_allowed": {
            "edit": True,
            "rename": True,
            "clone": True,
            "downgrade": False,
            "delete": False,
            "deactivate": False,
            "set_layout_permissions": True,
        },
    }


def _section_of(field: Mapping[str, Any]) -> int:
    """Long text goes to "Description Information"; everything else to "Record Information"."""
    return 1 if field.get("data_type") == "textarea" else 0


def default_sections() -> list[dict[str, Any]]:
    """A fresh layout's sections, as ``_sections`` keeps them (no field placed yet)."""
    return [
        {
            "id": None,
            "display_label": label,
            "api_name": api_name,
            "sequence_number": index + 1,
            "column_count": 2 if index == 0 else 1,
            "tab_traversal": "left_to_right",
            "generated_type": "default",
            "fields": [],
        }
        for index, (label, api_name) in enumerate(SECTIONS)
    ]


def _home(field: Mapping[str, Any], sections: list[dict[str, Any]]) -> int:
    """The index of the section a field placed nowhere shows in: its default section while the
    layout has it, else the first section."""
    wanted = SECTIONS[_section_of(field)][1]
    return next((i for i, section in enumerate(sections) if section["api_name"] == wanted), 0)


def layout_object(stored: dict[str, Any], layout_id: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The stored layout with its sections built from the module's fields."""
    kept = stored.get(STORED_SECTIONS) or default_sections()
    sections = sorted(kept, key=lambda section: section["sequence_number"])
    visible = {str(f["id"]): f for f in fields if f.get("visible") is not False}
    grouped: list[list[dict[str, Any]]] = [[] for _ in sections]
    placed: set[str] = set()
    for index, section in enumerate(sections):
        for field_id in section["fields"]:
            if field_id in visible and field_id not in placed:
                grouped[index].append(visible[field_id])
                placed.add(field_id)
    for field_id, field in visible.items():
        if field_id not in placed:
            grouped[_home(field, sections)].append(field)
    shown = []
    for section, members in zip(sections, grouped, strict=True):
        if not members and section["generated_type"] == "default":
            continue  # a fresh layout shows no empty system section (as before sections could change)
        shown.append(
            {
                "display_label": section["display_label"],
                "sequence_number": section["sequence_number"],
                "isSubformSection": False,
                "tab_traversal": section["tab_traversal"],
                "api_name": section["api_name"],
                "column_count": section["column_count"],
                "name": section["display_label"],
                "generated_type": section["generated_type"],
                "id": section["id"],
                "type": "used",
                "properties": {"reorder_rows": None, "maximum_rows": None, "tooltip": None},
                "_delete": {"permanent": False},
                "fields": [
                    {
                        **SECTION_FIELD_DEFAULTS,
                        **field,
                        "required": bool(field.get("system_mandatory")),
                        "sequence_number": position + 1,
                    }
                    for position, field in enumerate(members)
                ],
            }
        )
    public = {key: value for key, value in stored.items() if key != STORED_SECTIONS}
    return {**public, "id": layout_id, "sections": shown}


def section_api_name(label: str) -> str:
    """A new section's api name from its label, as Zoho derives api names (words joined by "_")."""
    return re.sub(r"[^0-9A-Za-z]+", "_", label.strip()).strip("_") or "Section"


def _free_api_name(wanted: str, sections: list[dict[str, Any]]) -> str:
    """``wanted``, or ``wanted_2``, ``wanted_3`` … when another section of the layout has it."""
    taken = {section["api_name"] for section in sections}
    suffix = 1
    name = wanted
    while name in taken:
        suffix += 1
        name = f"{wanted}_{suffix}"
    return name


def apply_sections(
    kept: list[dict[str, Any]],
    given: list[dict[str, Any]],
    field_ids: set[str],
    new_id: Any,
    json_path: str,
) -> list[dict[str, Any]]:
    """The layout's sections after a PATCH's ``sections`` (validated items): a section with an
    ``id`` is changed (or deleted with ``_delete``), one without is added (``display_label``
    mandatory); fields listed in a section move there, in the order given. Labels stay unique."""
    sections = [dict(section, fields=list(section["fields"])) for section in kept]
    by_id = {section["id"]: section for section in sections if section["id"]}
    for index, item in enumerate(given):
        path = f"{json_path}.sections[{index}]"
        if item.get("id") is not None:
            section = by_id.get(item["id"])
            if section is None:
                raise ZohoError("INVALID_DATA", at(path, "id"))
            if "_delete" in item:
                sections.remove(section)
                del by_id[item["id"]]
                continue
        else:
            if not item.get("display_label"):
                raise ZohoError("MANDATORY_NOT_FOUND", at(path, "display_label"))
            section = {
                "id": new_id(),
                "display_label": "",
                "api_name": _free_api_name(section_api_name(item["display_label"]), sections),
                "sequence_number": max((s["sequence_number"] for s in sections), default=0) + 1,
                "column_count": 2,
                "tab_traversal": "left_to_right",
                "generated_type": "custom",
                "fields": [],
            }
            sections.append(section)
            by_id[section["id"]] = section
        _change_section(section, sections, item, field_ids, path)
    if not sections:
        raise ZohoError("NOT_ALLOWED", {"api_name": "sections", "json_path": f"{json_path}.sections"})
    return sections


def _change_section(
    section: dict[str, Any], sections: list[dict[str, Any]], item: Mapping[str, Any], field_ids: set[str], path: str
) -> None:
    label = item.get("display_label")
    if label is not None:
        label = label.strip()
        if any(s is not section and s["display_label"].casefold() == label.casefold() for s in sections):
            raise ZohoError("DUPLICATE_DATA", at(path, "display_label"))
        section["display_label"] = label
    if item.get("column_count") is not None:
        if item["column_count"] not in (1, 2):
            raise ZohoError("INVALID_DATA", at(path, "column_count"))
        section["column_count"] = item["column_count"]
    for key in ("tab_traversal", "sequence_number"):
        if item.get(key) is not None:
            section[key] = item[key]
    moved = []
    for position, entry in enumerate(item.get("fields") or []):
        if entry["id"] not in field_ids:
            raise ZohoError("INVALID_DATA", at(f"{path}.fields[{position}]", "id"))
        moved.append(entry["id"])
    if moved:
        for other in sections:
            other["fields"] = [f for f in other["fields"] if f not in moved]
        section["fields"] = list(dict.fromkeys(moved)) + [f for f in section["fields"] if f not in moved]
