"""What a records-capable module is, built from its field metadata (REFERENCE §4; no HTTP, no SQL).

Everything is driven by a module's field metadata (the ``fields`` table), so standard and custom
modules behave alike: ``ModuleMeta`` turns the fields into one ``validation.Spec`` per operation
(create, update) whose ``Key``s use the record field types of ``field_types.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.record_model.field_types import FieldType, field_type
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.validation import Key, Spec

# Which modules the record endpoints serve: API-supported modules of these kinds (subform modules
# are reached through their parent record, field trackers are read-only history).
RECORD_MODULE_TYPES = frozenset({"default", "custom", "linking"})
# Field trackers Zoho nonetheless serves through the record endpoints (OAS reschedule_history.json).
RECORD_TRACKERS = frozenset({"Appointments_Rescheduled_History__s"})

# Upsert's system duplicate-check fields per module (REFERENCE §4.7); custom modules use "Name".
UPSERT_DEFAULTS: dict[str, tuple[str, ...]] = {
    "Leads": ("Email",),
    "Contacts": ("Email",),
    "Accounts": ("Account_Name",),
    "Deals": ("Deal_Name",),
    "Campaigns": ("Campaign_Name",),
    "Cases": ("Subject",),
    "Solutions": ("Solution_Title",),
    "Products": ("Product_Name",),
    "Vendors": ("Vendor_Name",),
    "Price_Books": ("Price_Book_Name",),
    "Quotes": ("Subject",),
    "Sales_Orders": ("Subject",),
    "Purchase_Orders": ("Subject",),
    "Invoices": ("Subject",),
}
CUSTOM_UPSERT_DEFAULTS = ("Name",)

# What a new record of these modules holds when its create leaves the field out (stored form): an
# appointment starts Upcoming, never rescheduled, without a job sheet (OAS appointments.json: GET
# shows these as never null).
CREATE_DEFAULTS: dict[str, dict[str, Any]] = {
    "Appointments__s": {"Status": "Upcoming", "Reschedule_Count": 0, "Job_Sheet_Created__s": False},
}

OPERATIONS = ("create", "update")

# Lookups whose ``multi_module_lookup`` list is the UI picker's, while the API takes a record of any
# module with ``$se_module``: a task or event of a lead names it in What_Id, and Leads is not listed.
ANY_MODULE_LOOKUPS = frozenset({"What_Id"})


@dataclass(frozen=True)
class LayoutRef:
    id: str
    name: str


@dataclass(frozen=True)
class ModuleMeta:
    """A records-capable module with everything its requests need, built from its field rows.
    Built once per change of the module or its fields (kept in the emulator's memo)."""

    module: ModuleRef
    fields: tuple[dict[str, Any], ...]
    layout: LayoutRef
    display_field: str
    # subform field -> its subform module's meta (filled by ``service.load_module``; subforms.py)
    subforms: dict[str, ModuleMeta] = field(default_factory=dict, repr=False, compare=False)
    by_name: Mapping[str, dict[str, Any]] = field(init=False, repr=False)
    types: Mapping[str, FieldType] = field(init=False, repr=False)
    key_fields: tuple[str, ...] = field(init=False, repr=False)
    unique_fields: tuple[str, ...] = field(init=False, repr=False)
    settable: Mapping[str, frozenset[str]] = field(init=False, repr=False)  # operation -> writable fields
    specs: dict[tuple[str, frozenset[str]], Spec] = field(init=False, repr=False, compare=False)
    # field -> how its value is shown, chosen once per field (render.py ``renderer``)
    renderers: dict[str, Callable[[Any, Any], Any]] = field(init=False, repr=False, compare=False)
    every_renderer: list[tuple[str, Callable[[Any, Any], Any]]] = field(init=False, repr=False, compare=False)
    numbered: tuple[dict[str, Any], ...] = field(init=False, repr=False)  # autonumber fields
    defaults: Mapping[str, Any] = field(init=False, repr=False)  # field -> what a create leaving it out stores

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "by_name", {f["api_name"]: f for f in self.fields})
        setattr_(self, "types", {f["api_name"]: field_type(f) for f in self.fields})
        setattr_(self, "unique_fields", tuple(n for n, meta in self.by_name.items() if is_unique(meta)))
        defaults = set(self.upsert_defaults())
        # Indexed in record_keys: email and phone fields, unique fields and the upsert defaults.
        setattr_(
            self,
            "key_fields",
            tuple(n for n in self.by_name if self.types[n].keyed or n in self.unique_fields or n in defaults),
        )
        setattr_(
            self, "settable", {op: frozenset(n for n in self.by_name if self._writable(n, op)) for op in OPERATIONS}
        )
        setattr_(self, "specs", {})
        setattr_(self, "renderers", {})
        setattr_(self, "every_renderer", [])
        setattr_(self, "numbered", tuple(f for f in self.fields if self.types[f["api_name"]].name == "autonumber"))
        given = CREATE_DEFAULTS.get(self.api_name, {})
        setattr_(self, "defaults", {name: value for name, value in given.items() if name in self.by_name})

    @property
    def id(self) -> str:
        return self.module.id

    @property
    def api_name(self) -> str:
        return self.module.api_name

    def writable(self, name: str, operation: str) -> bool:
        """Can a client set this field on ``create`` or ``update`` (operation_type, read_only)?"""
        return name in self.settable[operation]

    def _writable(self, name: str, operation: str) -> bool:
        meta = self.by_name.get(name)
        if meta is None or meta.get("read_only") or self.types[name].server_set:
            return False
        flags = meta.get("operation_type") or {}
        return bool(flags.get("api_create" if operation == "create" else "api_update", True))

    def upsert_defaults(self) -> tuple[str, ...]:
        names = UPSERT_DEFAULTS.get(self.api_name)
        if names is None and self.module.generated_type == "custom":
            names = CUSTOM_UPSERT_DEFAULTS
        return tuple(n for n in names or () if n in self.by_name)

    def autonumber_fields(self) -> tuple[dict[str, Any], ...]:
        return self.numbered

    def spec(self, operation: str, unique: frozenset[str] = frozenset()) -> Spec:
        """The item ``Spec`` for ``create``/``update`` (built once per meta and unique set)."""
        key = (operation, unique)
        if key not in self.specs:
            self.specs[key] = build_spec(self, operation, unique)
        return self.specs[key]


def is_unique(meta: Mapping[str, Any]) -> bool:
    return bool(meta.get("unique"))


def serves_records(module: ModuleRef | None) -> bool:
    return (
        module is not None
        and module.api_supported
        and (module.generated_type in RECORD_MODULE_TYPES or module.api_name in RECORD_TRACKERS)
    )


def require_records_module(module: ModuleRef | None) -> ModuleRef:
    """INVALID_MODULE ``{resource_path_index: 0}`` unless the module is a records-capable one."""
    if module is None or not serves_records(module):
        raise ZohoError("INVALID_MODULE", {"resource_path_index": 0})
    return module


def display_field_of(module: ModuleRef, fields: tuple[dict[str, Any], ...]) -> str:
    """The field that names a record in lookups (the module's ``display_field``, else Name)."""
    named = (module.data.get("display_field") or {}).get("api_name")
    names = {f["api_name"] for f in fields}
    for candidate in (named, "Name", "Subject", "Last_Name"):
        if candidate and candidate in names:
            return candidate
    return named or "Name"


# --- specs ---------------------------------------------------------------------------------------


def reference_of(meta: ModuleMeta, name: str) -> str | None:
    """What a reference field's id must name: ``record:<module id>`` (``record:<id>,<id>…`` for a
    multi-module lookup, ``record:*`` for lookups that may point at any module, such as What_Id),
    ``user``, or ``layout``."""
    kind = meta.types[name]
    if kind.reference != "record":
        return kind.reference
    field_meta = meta.by_name[name]
    multi = [m["id"] for m in (field_meta.get("multi_module_lookup") or {}).get("modules") or [] if m.get("id")]
    if multi and name not in ANY_MODULE_LOOKUPS:  # Appointment_For: a record of any of its modules
        return "record:" + ",".join(multi)
    target = ((field_meta.get("lookup") or {}).get("module") or {}).get("id")
    return f"record:{target}" if target else "record:*"


def _choices(field_meta: Mapping[str, Any]) -> tuple[str, ...] | None:
    values = field_meta.get("pick_list_values") or []
    if not values:
        return None
    names: list[str] = []
    for value in values:
        for key in ("actual_value", "display_value"):
            text = value.get(key)
            if isinstance(text, str) and text not in names:
                names.append(text)
    return tuple(names)


def _key(meta: ModuleMeta, name: str, *, mandatory: bool, unique: bool) -> Key:
    field_meta, kind = meta.by_name[name], meta.types[name]
    length = field_meta.get("length")
    decimals = field_meta.get("decimal_place") or 0
    picklist = kind.name in ("picklist", "multiselectpicklist")
    return Key(
        name=name,
        type=kind.check_name,
        mandatory=mandatory,
        nullable=not mandatory,
        max_length=length if kind.length == "chars" and isinstance(length, int) else None,
        max_digits=(length - decimals if decimals and length > decimals else length)
        if kind.length == "digits" and isinstance(length, int)
        else None,
        choices=_choices(field_meta) if picklist else None,
        reference=reference_of(meta, name),
        unique=unique,
    )


def build_spec(meta: ModuleMeta, operation: str, unique: frozenset[str] = frozenset()) -> Spec:
    """The ``Spec`` for ``create`` or ``update`` items: every writable field, mandatory ones as
    Zoho marks them (``system_mandatory``), ``unique`` names checked through ``taken``."""
    keys = tuple(
        _key(
            meta,
            name,
            mandatory=bool(meta.by_name[name].get("system_mandatory")),
            unique=name in unique or is_unique(meta.by_name[name]),
        )
        for name in meta.by_name
        if meta.writable(name, operation)
    )
    return Spec(keys, unknown=Message.UNKNOWN_FIELD)
