"""Zoho's rules for field metadata (REFERENCE §3.2; OAS fields.json): which fields ``GET`` shows,
and what a custom field may be on create and update (specs, types and lengths, labels, api names)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.validation import Key, OneOf, Requires, Spec, at

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


# --- writes: custom fields (Zoho v8 "Create Custom Fields", "Update Custom Fields", "Delete Custom
# Field"; OAS fields.json "Create Field", "Update Fields", "Update Field", "Delete Field") -----------

CREATED = "field created successfully"
UPDATED = "field updated successfully"
DELETED = "field deleted successfully"
ENVELOPE = "fields"
UPDATE_MAX = 5  # "A maximum of five field can be updated in a single call"
LABEL_MAX = 50
API_NAME_MAX = 100
TOOLTIP_MAX = 255
PICKLIST_VALUE_MAX = 120
PICKLIST_VALUES_MAX = 1000
PERMISSIONS = ("read_write", "read_only", "hidden")
TOOLTIP_KINDS = ("static_text", "info_icon")
FORMULA_RETURN_TYPES = ("text", "double", "currency", "date", "datetime", "boolean", "integer", "percent")
TEXTAREA_KINDS = ("small", "large", "rich_text")
ROUNDING = ("normal", "round_off", "round_up", "round_down")


@dataclass(frozen=True)
class NewType:
    """A data type a custom field may be created with: its ``json_type``, the length it gets when
    none is given and the most it may have (None: the type has no length), its decimals."""

    json_type: str
    length: int | None = None
    max_length: int | None = None
    decimal_place: int | None = None
    max_decimals: int | None = None
    server_set: bool = False  # read-only in records (autonumber, formula)
    sortable: bool = True


# Zoho's "Field Types: Data Types and Length Limits" for custom fields.
NEW_TYPES: dict[str, NewType] = {
    "text": NewType("string", 255, 255),
    "textarea": NewType("string", 2000, 2000),
    "email": NewType("string", 100, 100),
    "phone": NewType("string", 30, 30),
    "website": NewType("string", 255, 255),
    "picklist": NewType("string"),
    "multiselectpicklist": NewType("jsonarray", sortable=False),
    "integer": NewType("integer", 9, 9),
    "bigint": NewType("string", 18, 18),
    "double": NewType("double", 16, 16, 2, 9),
    "currency": NewType("double", 16, 16, 2, 9),
    "percent": NewType("double", 5, 5, 2, 2),
    "boolean": NewType("boolean"),
    "date": NewType("string"),
    "datetime": NewType("string"),
    "lookup": NewType("jsonobject"),
    "userlookup": NewType("jsonobject"),
    "fileupload": NewType("jsonarray", sortable=False),
    "imageupload": NewType("jsonarray", sortable=False),
    "autonumber": NewType("string", 255, server_set=True),
    "formula": NewType("string", server_set=True),
}
TEXTAREA_LENGTHS = {"small": 2000, "large": 32000, "rich_text": 50000}

_TOOLTIP = Spec(
    (
        Key("name", mandatory=True, choices=TOOLTIP_KINDS),
        Key("value", mandatory=True, min_length=1, max_length=TOOLTIP_MAX),
    )
)
_PROFILE = Spec(
    (Key("id", type="id", mandatory=True, reference="profile"), Key("permission_type", choices=PERMISSIONS))
)
_PICKLIST_VALUE = Spec(
    (
        Key("display_value", mandatory=True, min_length=1, max_length=PICKLIST_VALUE_MAX),
        Key("actual_value", min_length=1, max_length=PICKLIST_VALUE_MAX),
    )
)
_LOOKUP_MODULE = Spec((Key("api_name"), Key("id", type="id")), rules=(OneOf(("api_name", "id")),))
_LOOKUP = Spec((Key("module", type="object", mandatory=True, items=_LOOKUP_MODULE),))
_AUTO_NUMBER = Spec(
    (
        Key("prefix", max_length=50, nullable=True),
        Key("suffix", max_length=50, nullable=True),
        Key("start_number", type="digits", mandatory=True),
    )
)
_FORMULA = Spec(
    (
        Key("return_type", mandatory=True, choices=FORMULA_RETURN_TYPES),
        Key("expression", mandatory=True, min_length=1, max_length=5000),
    )
)
_TEXTAREA = Spec((Key("type", mandatory=True, choices=TEXTAREA_KINDS),))
_CURRENCY = Spec((Key("rounding_option", choices=ROUNDING), Key("precision", type="integer")))

# The keys both operations share; ``data_type`` and what it needs only on create.
_COMMON = (
    Key("field_label", mandatory=True, min_length=1, max_length=LABEL_MAX),
    Key("length", type="integer"),
    Key("decimal_place", type="integer"),
    Key("tooltip", type="object", nullable=True, items=_TOOLTIP),
    Key("profiles", type="array", min_items=1, items=_PROFILE),
    Key("pick_list_values", type="array", min_items=1, max_items=PICKLIST_VALUES_MAX, items=_PICKLIST_VALUE),
    Key("currency", type="object", items=_CURRENCY),
    Key("textarea", type="object", items=_TEXTAREA),
)
CREATE = Spec(
    (
        *_COMMON,
        Key("data_type", mandatory=True, choices=tuple(NEW_TYPES)),
        Key("lookup", type="object", items=_LOOKUP),
        Key("auto_number", type="object", items=_AUTO_NUMBER),
        Key("formula", type="object", items=_FORMULA),
        Key("global_picklist", type="object"),  # {id} or {api_name} of a global picklist
    ),
    rules=(
        Requires("pick_list_values", "data_type", ("picklist", "multiselectpicklist")),
        Requires("lookup", "data_type", ("lookup",)),
        Requires("auto_number", "data_type", ("autonumber",), message=Message.AUTONUMBER_MISSING),
        Requires("formula", "data_type", ("formula",)),
    ),
)
UPDATE = Spec((*_COMMON, Key("id", type="id"), Key("data_type", min_length=1)))
FIELD_ID = Spec((Key("id", type="id", mandatory=True),))


def fold(text: str) -> str:
    return text.strip().casefold()


def check_label_free(label: str, fields: list[dict[str, Any]], json_path: str, *, except_id: str | None = None) -> None:
    """Field labels are unique within their module, in any case (DUPLICATE_DATA)."""
    taken = {fold(f.get("field_label") or "") for f in fields if f["id"] != except_id}
    taken |= {fold(f.get("display_label") or "") for f in fields if f["id"] != except_id}
    if fold(label) in taken:
        raise ZohoError("DUPLICATE_DATA", at(json_path, "field_label"))


_WORD = re.compile(r"[A-Za-z0-9]+")


def generate_api_name(label: str, taken: set[str]) -> str:
    """The api name Zoho makes from a new field's label: its words in ASCII (accents dropped)
    joined by underscores, ``Field`` when that does not start with a letter, a number appended
    while another field of the module has it (v8 custom fields have no ``__c``-like suffix)."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = "_".join(_WORD.findall(ascii_label))[:API_NAME_MAX]
    if not base or not base[0].isalpha():
        base = f"Field_{base}".rstrip("_")[:API_NAME_MAX]
    candidate, n = base, 1
    while candidate.casefold() in taken:
        suffix = str(n)
        candidate = base[: API_NAME_MAX - len(suffix)] + suffix
        n += 1
    return candidate


def check_length(data_type: str, clean: Mapping[str, Any], json_path: str) -> tuple[int | None, int | None]:
    """The (length, decimal_place) a field of ``data_type`` gets: Zoho's defaults, and INVALID_DATA
    ``{maximum_length}`` / ``{minimum_length}`` past what the type allows."""
    kind = NEW_TYPES[data_type]
    limit = kind.max_length
    if data_type == "textarea":
        limit = TEXTAREA_LENGTHS[(clean.get("textarea") or {}).get("type") or "small"]
    length = clean.get("length", limit if data_type == "textarea" else kind.length)
    if length is not None and limit is not None:
        if length > limit:
            raise ZohoError("INVALID_DATA", at(json_path, "length", maximum_length=limit))
        if length < 1:
            raise ZohoError("INVALID_DATA", at(json_path, "length", minimum_length=1))
    elif kind.length is None:
        length = None
    decimals = clean.get("decimal_place", kind.decimal_place)
    if kind.max_decimals is None:
        decimals = None
    elif decimals is not None and not 0 <= decimals <= kind.max_decimals:
        raise ZohoError("INVALID_DATA", at(json_path, "decimal_place", maximum_length=kind.max_decimals))
    return length, decimals


def check_type_unchanged(clean: Mapping[str, Any], field: Mapping[str, Any], json_path: str) -> None:
    """A field's data type is fixed once created ("Conversion of one field type to another is not
    supported"): INVALID_DATA, the one refusal of a given value fields.json documents."""
    given = clean.get("data_type")
    if given is not None and given != field.get("data_type"):
        raise ZohoError("INVALID_DATA", at(json_path, "data_type"))


def check_custom(field: Mapping[str, Any], json_path: str, key: str = "id") -> None:
    """System fields cannot be deleted, nor their labels changed ("The field label for
    system-defined fields cannot be updated"): INVALID_DATA on the key that asked for it."""
    if not field.get("custom_field"):
        raise ZohoError("INVALID_DATA", at(json_path, key))
