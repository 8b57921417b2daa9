"""How a layout looks on the wire (REFERENCE §3.3; OAS layouts.json ``layouts``).

A fresh org has one "Standard" layout per module (how many and which layouts a real org has is not
in the sources, §9 #32). The layout object is stored without sections; ``layout_object`` adds the
sections built from the module's current fields, in field order, each field object as
``/settings/fields`` shows it plus the keys a layout adds.
"""

from __future__ import annotations

from typing import Any

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


def _section_of(field: dict[str, Any]) -> int:
    """Long text goes to "Description Information"; everything else to "Record Information"."""
    return 1 if field.get("data_type") == "textarea" else 0


def layout_object(stored: dict[str, Any], layout_id: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The stored layout with its sections built from the module's fields."""
    grouped: list[list[dict[str, Any]]] = [[] for _ in SECTIONS]
    for field in fields:
        if field.get("visible") is False:
            continue
        grouped[_section_of(field)].append(field)
    sections = []
    for index, ((label, api_name), members) in enumerate(zip(SECTIONS, grouped, strict=True)):
        if not members:
            continue
        sections.append(
            {
                "display_label": label,
                "sequence_number": index + 1,
                "isSubformSection": False,
                "tab_traversal": "left_to_right",
                "api_name": api_name,
                "column_count": 2 if index == 0 else 1,
                "name": label,
                "generated_type": "default",
                "id": None,
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
    return {**stored, "id": layout_id, "sections": sections}
