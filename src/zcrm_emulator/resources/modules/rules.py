"""Custom modules: the rules of create and update, and how a new module is built.

Sources: seed "Create Custom Module" (v7) and "Update Custom Module" (v8), REFERENCE §3.1, OAS
modules.json ("Create Custom Modules", "Update Module", "Update Custom Modules"). Plain functions
over plain data: the input specs, Zoho's reserved words and limits as data, api-name generation,
the profile delta of updates, and the builders of the module object and its system fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.api_paths import RESERVED_SEGMENTS
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.modules.templates import standard_field
from zcrm_emulator.validation import Key, OneOf, Requires, Spec, at

LABEL_MAX = 25  # seed: "A maximum of 25 characters, including spaces" (docs/decisions.md, §9 #11)
API_NAME_MAX = 50
FIELD_LABEL_MAX = 50  # display_field.field_label (OASx "FieldLengthExceeded")
AFFIX_MAX = 50  # auto_number prefix / suffix
START_NUMBER_DIGITS = 16
TEXT_NAME_LENGTH = 120  # the Name field of a custom module

# Labels: letters, digits and spaces only (any script's letters).
LABEL = re.compile(r"(?:[^\W_]| )+")
# Starts with an English letter; letters, digits, single underscores; no trailing underscore.
API_NAME = re.compile(r"[A-Za-z](?:_?[A-Za-z0-9])*")
ALPHANUMERIC = re.compile(r"[A-Za-z0-9]*")
CUSTOM_MODULE_NAME = re.compile(r"CustomModule(\d+)")

# Seed "Create Custom Module": system-defined keywords refused as labels (INVALID_DATA).
RESERVED_LABELS = frozenset(
    word.lower()
    for word in (
        "CustomTab", "CustomModule", "Fileupload", "Imageupload", "General", "Approvals", "SalesInbox",
        "Unsubscribe", "CheckLists", "Blueprints", "ConsentForm", "Datarequest", "Organization", "ZSURVEY",
        "Role", "Roles", "Profile", "Profiles", "Report Folders", "Report Folder", "Blueprint Transitions",
        "Blueprint States", "Blueprint Logs", "Blueprint Transition Logs", "Blueprint State Logs",
        "Forecast Quotas", "Forecast Items", "Fiscal Periods", "Forecast Quota", "Forecast Item",
        "Fiscal Period", "Forecast Types", "Forecast Type", "Forecast Predictions", "Forecast Prediction",
        "Forecast Groups", "Forecast Group", "Locking Information", "LockingInformation",
    )
)  # fmt: skip
# Seed: system-defined api names (RESERVED_KEYWORD_NOT_ALLOWED, 403), plus the first path segments
# the CRM API itself uses, which a module api name would shadow.
RESERVED_API_NAMES = frozenset(
    word.lower()
    for word in (
        "settings", "signals", "Last_Follow_Up_By", "Number_Of_Followups", "Last_Follow_Up_Time",
        "First_Follow_Up_By", "First_Follow_Up_Time", "Notes", "nearby_distance__s", "Quoted_Items",
        "Discount_Percentage__s", "Discount_Type__s", "ChronologicalView", "Ordered_Items", "ShiftHours",
        "Converted_Account", "Converted_Contact", "Converted_Deal", "Converted_Potential", "Mailchimp",
        "Status", *RESERVED_SEGMENTS,
    )
)  # fmt: skip

DISPLAY_TYPES = ("text", "autonumber")
# Only modules a user can rename in Zoho's module settings take label/profile updates.
UPDATABLE_TYPES = frozenset({"default", "custom"})

CREATED = "module created successfully"
UPDATED = "module updated successfully"
CREATE_NOT_SUPPORTED = Message.MODULE_CREATE_NOT_SUPPORTED
UPDATE_NOT_SUPPORTED = Message.MODULE_UPDATE_NOT_SUPPORTED
INVALID_PROFILE = Message.INVALID_PROFILE
INVALID_API_NAME = Message.INVALID_API_NAME
INVALID_MODULE_ID = Message.UNKNOWN_MODULE_ID
RENAME_NOT_ALLOWED = Message.MODULE_RENAME_NOT_ALLOWED
API_NAME_NOT_ALLOWED = Message.MODULE_API_NAME_FIXED


def _label(name: str) -> Key:
    return Key(
        name,
        mandatory=True,
        min_length=1,
        max_length=LABEL_MAX,
        pattern=LABEL,
        reserved=RESERVED_LABELS,
        unique=True,
    )


PROFILE = Spec(keys=(Key("id", type="id", mandatory=True, reference="profiles", message=INVALID_PROFILE),))
# Absent -> MANDATORY_NOT_FOUND; given but empty or null -> MINIMUM_DATA_NOT_FOUND (seed).
PROFILES = Key(
    "profiles", type="array", mandatory=True, min_items=1, empty_code="MINIMUM_DATA_NOT_FOUND", items=PROFILE
)
AUTO_NUMBER = Spec(
    keys=(
        Key("start_number", type="digits", mandatory=True, max_length=START_NUMBER_DIGITS),
        Key("prefix", max_length=AFFIX_MAX, pattern=ALPHANUMERIC),
        Key("suffix", max_length=AFFIX_MAX, pattern=ALPHANUMERIC),
    )
)
DISPLAY_FIELD = Spec(
    keys=(
        Key("field_label", min_length=1, max_length=FIELD_LABEL_MAX),
        Key("data_type", choices=DISPLAY_TYPES),
        Key("auto_number", type="object", items=AUTO_NUMBER),
    ),
    rules=(
        OneOf(("field_label", "data_type")),
        Requires("auto_number", "data_type", ("autonumber",), message=Message.AUTONUMBER_MISSING),
    ),
)
CREATE = Spec(
    keys=(
        _label("plural_label"),
        _label("singular_label"),
        PROFILES,
        Key(
            "api_name",
            min_length=1,
            max_length=API_NAME_MAX,
            pattern=API_NAME,
            reserved=RESERVED_API_NAMES,
            reserved_code="RESERVED_KEYWORD_NOT_ALLOWED",
            unique=True,
            empty_code="INVALID_DATA",
            message=INVALID_API_NAME,
        ),
        Key("display_field", type="object", items=DISPLAY_FIELD),
    )
)
# Checked with ``partial=True``: every key optional, but a given label must not be null or empty.
UPDATE = Spec(keys=(_label("plural_label"), _label("singular_label"), PROFILES))
MODULE_ID = Spec(keys=(Key("id", type="id", mandatory=True, message=INVALID_MODULE_ID),))


def fold(text: str) -> str:
    return text.strip().casefold()


@dataclass(frozen=True)
class NamesInUse:
    """Labels and api names other modules hold: the ``taken`` callback of the specs."""

    labels: frozenset[str]
    api_names: frozenset[str]

    def __call__(self, key: str, value: Any) -> bool:
        if key in ("plural_label", "singular_label"):
            return fold(value) in self.labels
        if key == "api_name":
            return fold(value) in self.api_names
        return False


def names_in_use(modules: Iterable[Mapping[str, Any]], *, except_id: str | None = None) -> NamesInUse:
    others = [m for m in modules if m["id"] != except_id]
    labels = {fold(m[k]) for m in others for k in ("plural_label", "singular_label") if m.get(k)}
    return NamesInUse(frozenset(labels), frozenset(fold(m["api_name"]) for m in others))


def next_module_name(modules: Iterable[Mapping[str, Any]]) -> str:
    """Zoho's internal name of the next custom module: CustomModule1, CustomModule2 …"""
    numbers = [int(m.group(1)) for x in modules if (m := CUSTOM_MODULE_NAME.fullmatch(x.get("module_name") or ""))]
    return f"CustomModule{max(numbers, default=0) + 1}"


def generate_api_name(plural_label: str, in_use: NamesInUse, fallback: str) -> str:
    """The api name Zoho makes from the plural label when none is given: its words in ASCII (accents
    dropped) joined by underscores, ``fallback`` when that does not start with a letter, a number
    appended while the name is taken."""
    ascii_label = unicodedata.normalize("NFKD", plural_label).encode("ascii", "ignore").decode()
    base = "_".join(re.findall(r"[A-Za-z0-9]+", ascii_label))[:API_NAME_MAX].rstrip("_")
    if not API_NAME.fullmatch(base):
        base = fallback
    candidate, n = base, 1
    while fold(candidate) in in_use.api_names or fold(candidate) in RESERVED_API_NAMES:
        suffix = str(n)
        candidate = base[: API_NAME_MAX - len(suffix)].rstrip("_") + suffix
        n += 1
    return candidate


def minified_profiles(ids: Iterable[str], names: Mapping[str, str]) -> list[dict[str, str]]:
    unique = dict.fromkeys(ids)  # keeps the given order, drops repeats
    return [{"name": names[pid], "id": pid} for pid in unique]


def apply_profile_delta(
    current: list[Mapping[str, str]], delta: list[Mapping[str, Any]], names: Mapping[str, str], json_path: str
) -> list[dict[str, str]]:
    """Update profiles as a delta: ``{"id", "_delete": null}`` removes, ``{"id"}`` adds (seed).
    MINIMUM_DATA_NOT_FOUND when no profile would be left."""
    ids = [p["id"] for p in current]
    for entry in delta:
        if "_delete" in entry:
            ids = [pid for pid in ids if pid != entry["id"]]
        elif entry["id"] not in ids:
            ids.append(entry["id"])
    if not ids:
        raise ZohoError("MINIMUM_DATA_NOT_FOUND", at(json_path, "profiles"))
    return minified_profiles(ids, names)


def check_updatable(module: Mapping[str, Any], json_path: str) -> None:
    """Labels and profiles change only on API modules a user could rename (not subforms, linking or
    UI-only modules): INVALID_DATA "Module rename not allowed" (OASx) otherwise."""
    if module.get("generated_type") not in UPDATABLE_TYPES or not module.get("api_supported"):
        raise ZohoError("INVALID_DATA", at(json_path, "id"), RENAME_NOT_ALLOWED)


def check_api_name_unchanged(item: Mapping[str, Any], module: Mapping[str, Any], json_path: str) -> None:
    """The api name changes only in the UI: NOT_ALLOWED when an update asks for another one."""
    if "api_name" in item and item["api_name"] != module["api_name"]:
        raise ZohoError("NOT_ALLOWED", at(json_path, "api_name"), API_NAME_NOT_ALLOWED)


# --- building a new custom module -------------------------------------------------------------


@dataclass(frozen=True)
class NewModule:
    id: str
    api_name: str
    module_name: str
    plural_label: str
    singular_label: str
    profiles: list[dict[str, str]]
    sequence: int
    modified_time: str
    modified_by: dict[str, str]
    layout_id: str


def module_object(plan: Mapping[str, Any], new: NewModule, fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The module's wire object (GET /settings/modules), from the plan's defaults."""
    by_name = {f["api_name"]: f for f in fields}
    lookup = [by_name[name] for name in plan["lookup_fields"]]
    return {
        **plan["module"],
        "id": new.id,
        "api_name": new.api_name,
        "module_name": new.module_name,
        "plural_label": new.plural_label,
        "singular_label": new.singular_label,
        "actual_plural_label": new.plural_label,
        "actual_singular_label": new.singular_label,
        "profiles": new.profiles,
        "profile_count": len(new.profiles),
        "sequence_number": new.sequence,
        "modified_time": new.modified_time,
        "modified_by": new.modified_by,
        "display_field": {"api_name": "Name", "id": by_name["Name"]["id"]},
        "search_layout_fields": [f["api_name"] for f in lookup],
        "lookup_field_properties": {
            "fields": [
                {"sequence_number": n, "api_name": f["api_name"], "id": f["id"]} for n, f in enumerate(lookup, 1)
            ]
        },
        "related_list_properties": {"sort_by": None, "fields": [f["api_name"] for f in lookup], "sort_order": None},
    }


@dataclass(frozen=True)
class FieldContext:
    singular_label: str
    layout: dict[str, str]  # the module's layout as ``layout_associations`` names it
    profiles: list[dict[str, str]]  # every profile of the org, as ``{name, id}``
    drop: frozenset[str]  # keys that only make sense in the template's module


def system_fields(
    plan: Mapping[str, Any], display_field: Mapping[str, Any] | None, ctx: FieldContext, new_ids: Iterator[str]
) -> list[dict[str, Any]]:
    """The fields Zoho gives a new custom module, in order, each with a fresh id."""
    made = []
    for entry in plan["fields"]:
        if entry.get("display_field"):
            made.append(_display_field(plan, display_field or {}, ctx, new_ids))
        else:
            label = entry.get("label", "").format(singular=ctx.singular_label) or None
            made.append(_copy_field(standard_field(entry["template"]), entry["api_name"], label, ctx, new_ids))
    return made


def _display_field(
    plan: Mapping[str, Any], given: Mapping[str, Any], ctx: FieldContext, new_ids: Iterator[str]
) -> dict[str, Any]:
    data_type = given.get("data_type") or "text"
    spec = plan["display_field"][data_type]
    label = (given.get("field_label") or "").strip() or f"{ctx.singular_label} Name"
    field = _copy_field(standard_field(spec["template"]), "Name", label, ctx, new_ids)
    field["display_field"] = True
    if "length" in spec:
        field["length"] = spec["length"]
    if data_type == "autonumber":
        numbering = given["auto_number"]
        start = numbering["start_number"]
        field["auto_number"] = {
            "prefix": numbering.get("prefix") or None,
            "suffix": numbering.get("suffix") or None,
            "start_number": int(start),
            "starting_number_length": len(start) if start.startswith("0") and len(start) > 1 else 0,
        }
    return field


def _copy_field(
    template: dict[str, Any], api_name: str, label: str | None, ctx: FieldContext, new_ids: Iterator[str]
) -> dict[str, Any]:
    field = {k: v for k, v in template.items() if k not in ctx.drop}
    permission = (template.get("profiles") or [{}])[0].get("permission_type", "read_write")
    field.update(
        id=next(new_ids),
        api_name=api_name,
        profiles=[{"permission_type": permission, "name": p["name"], "id": p["id"]} for p in ctx.profiles],
        layout_associations=[dict(ctx.layout)],
        created_time=None,
        modified_time=None,
    )
    if label is not None:
        field.update(field_label=label, display_label=label)
    field["pick_list_values"] = [{**value, "id": next(new_ids)} for value in template.get("pick_list_values") or []]
    unresolved = sorted(_placeholders(field))
    if unresolved:
        raise RuntimeError(f"template field {api_name} still holds standard-org ids: {unresolved}")
    return field


def _placeholders(value: Any) -> Iterator[str]:
    """Standard-org id placeholders (``"@2175"``) left in a copied field: a data bug if any."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _placeholders(v)
    elif isinstance(value, list):
        for v in value:
            yield from _placeholders(v)
    elif isinstance(value, str) and value.startswith("@") and value[1:].isdigit():
        yield value


def system_labels(plan: Mapping[str, Any], singular_label: str) -> list[dict[str, str]]:
    """``{api_name, field_label}`` of the system fields a new module gets, besides its display field."""
    labels = []
    for entry in plan["fields"]:
        if not entry.get("display_field"):
            label = entry.get("label", "").format(singular=singular_label)
            labels.append(
                {
                    "api_name": entry["api_name"],
                    "field_label": label or standard_field(entry["template"])["field_label"],
                }
            )
    return labels


def check_display_label(label: str | None, fields: Iterable[Mapping[str, Any]], json_path: str) -> None:
    """The display field's label is unique among the module's field labels (DUPLICATE_DATA)."""
    if not label:
        return
    others = {fold(f["field_label"]) for f in fields if f["api_name"] != "Name"}
    if fold(label) in others:
        raise ZohoError("DUPLICATE_DATA", at(f"{json_path}.display_field", "field_label"))
