"""Zoho's record rules as data and plain functions (REFERENCE §4; no HTTP, no SQL).

Everything is driven by a module's field metadata (the ``fields`` table), so standard and custom
modules behave alike: ``build_meta`` turns the fields into one ``validation.Spec`` per operation
(insert, update) whose ``Key``s use the record field types of ``field_types.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.resources.records.field_types import FieldType, field_type
from zcrm_emulator.validation import Key, Spec

# --- limits and closed lists (REFERENCE §4.1-§4.8, §6) ------------------------------------------
MAX_WRITE_ITEMS = 100  # insert / update / upsert / delete per call
MAX_FIELDS_PARAM = 50  # GET list `fields`
MAX_PER_PAGE = 200
DISCRETE_PAGINATION_LIMIT = 2_000  # page/per_page reach only this far
TOKEN_PAGINATION_LIMIT = 100_000  # page_token paging stops here
PAGE_TOKEN_LIFETIME_MS = 24 * 3600 * 1000
RECYCLE_BIN_RETENTION_MS = 60 * 24 * 3600 * 1000  # then a deleted record counts as "permanent"

SORT_BY = {"id": "id", "Created_Time": "created_ms", "Modified_Time": "modified_ms"}
SORT_ORDERS = ("desc", "asc")
CONVERTED_VALUES = ("false", "true", "both")
DELETED_TYPES = ("all", "recycle", "permanent")
TRIGGERS = ("workflow", "approval", "blueprint", "pathfinder", "orchestration")

# Which modules the record endpoints serve: API-supported modules of these kinds (subform modules
# are reached through their parent record, field trackers are read-only history).
RECORD_MODULE_TYPES = frozenset({"default", "custom", "linking"})
# Record reads that only administrators may make (REFERENCE §4.1: Notes).
ADMIN_ONLY_READS = frozenset({"Notes"})
ADMIN_ONLY_MESSAGE = "This API is supported only for admin users"

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
# Field types a duplicate check may use (single line, email, phone, number, long integer, URL).
DUPLICATE_CHECK_TYPES = frozenset({"text", "email", "phone", "integer", "bigint", "website", "autonumber"})

# Values the server computes from other fields: {field: (parts joined by a space)}.
DERIVED_FIELDS: dict[str, tuple[str, ...]] = {"Full_Name": ("First_Name", "Last_Name")}

UNKNOWN_FIELD_MESSAGE = "the field api name given seems to be invalid"
OPERATIONS = ("create", "update")
KEY_VALUE_MAX = 255  # record_keys.value


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
    by_name: Mapping[str, dict[str, Any]] = field(init=False, repr=False)
    types: Mapping[str, FieldType] = field(init=False, repr=False)
    key_fields: tuple[str, ...] = field(init=False, repr=False)
    unique_fields: tuple[str, ...] = field(init=False, repr=False)
    settable: Mapping[str, frozenset[str]] = field(init=False, repr=False)  # operation -> writable fields
    specs: dict[tuple[str, frozenset[str]], Spec] = field(init=False, repr=False, compare=False)
    numbered: tuple[dict[str, Any], ...] = field(init=False, repr=False)  # autonumber fields

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
        setattr_(self, "numbered", tuple(f for f in self.fields if self.types[f["api_name"]].name == "autonumber"))

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
    return module is not None and module.api_supported and module.generated_type in RECORD_MODULE_TYPES


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
    """What a reference field's id must name: ``record:<module id>`` (``record:*`` for lookups
    that may point at any module, such as What_Id), ``user``, or ``layout``."""
    kind = meta.types[name]
    if kind.reference != "record":
        return kind.reference
    target = ((meta.by_name[name].get("lookup") or {}).get("module") or {}).get("id")
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
    return Spec(keys, unknown=UNKNOWN_FIELD_MESSAGE)


# --- items ---------------------------------------------------------------------------------------


@dataclass
class Incoming:
    """A record item split into the values the spec checks and what the server takes apart."""

    values: dict[str, Any]
    record_id: Any = None  # the item's "id" (update, upsert)
    append: frozenset[str] = frozenset()  # multiselect fields with $append_values


def split_item(meta: ModuleMeta, item: Any, operation: str, json_path: str) -> Incoming:
    """Drop what Zoho ignores (``$`` meta keys, fields the server sets, a null Owner/Layout), read
    ``id`` and ``$append_values``, and treat empty text as null, as Zoho stores it."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"})
    values: dict[str, Any] = {}
    settable, known = meta.settable[operation], meta.by_name
    for name, value in item.items():
        if name.startswith("$") or name == "id":
            continue
        if name in known and name not in settable:
            continue
        if isinstance(value, str) and name in known and not value.strip():
            value = None
        if value is None and name in ("Owner", "Layout"):
            continue
        values[name] = value
    append = item.get("$append_values")
    appended = frozenset(k for k, v in append.items() if v is True) if isinstance(append, dict) else frozenset()
    return Incoming(values, item.get("id"), appended)


def derive(meta: ModuleMeta, data: dict[str, Any]) -> None:
    """Fill server-computed fields (Full_Name) from the merged values, in place."""
    for name, parts in DERIVED_FIELDS.items():
        if name in meta.by_name and all(p in meta.by_name for p in parts):
            joined = " ".join(str(data[p]) for p in parts if data.get(p))
            data[name] = joined or None


def merge_update(stored: dict[str, Any], changes: dict[str, Any], append: frozenset[str]) -> dict[str, Any]:
    """A partial update: only the given keys change; ``$append_values`` fields add to the list."""
    merged = dict(stored)
    for name, value in changes.items():
        if name in append and isinstance(value, list):
            current = merged.get(name) or []
            merged[name] = current + [v for v in value if v not in current]
        else:
            merged[name] = value
    return {k: v for k, v in merged.items() if v is not None}


def normalized_key(value: Any) -> str | None:
    """How a key value is indexed and compared: trimmed, lower-case text, at most 255 chars."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip().lower()
    return text[:KEY_VALUE_MAX] if text else None


def key_values(meta: ModuleMeta, data: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for name in names:
        value = data.get(name)
        if value is not None and (norm := normalized_key(value)) is not None:
            keys[name] = norm
    return keys


def check_duplicate_fields(meta: ModuleMeta, raw: Any) -> tuple[str, ...]:
    """``duplicate_check_fields``: an array of eligible field api names (request-level errors)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ZohoError(
            "INVALID_DATA",
            {
                "api_name": "duplicate_check_fields",
                "json_path": "$.duplicate_check_fields",
                "expected_data_type": "jsonarray",
            },
        )
    names: list[str] = []
    for index, name in enumerate(raw):
        path = f"$.duplicate_check_fields[{index}]"
        if not isinstance(name, str) or name not in meta.by_name:
            raise ZohoError(
                "INVALID_DATA", {"api_name": "duplicate_check_fields", "json_path": path}, UNKNOWN_FIELD_MESSAGE
            )
        if meta.types[name].name not in DUPLICATE_CHECK_TYPES:
            raise ZohoError("INVALID_DATA", {"api_name": "duplicate_check_fields", "json_path": path})
        if name not in names:
            names.append(name)
    return tuple(names)


def check_trigger(raw: Any) -> None:
    """``trigger``: an array of automation names (the emulator runs no automations)."""
    if raw is None:
        return
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


def write_limit(items: list[Any]) -> None:
    """More than 100 records: Zoho's LIMIT_EXCEEDED (OASx updateRecords ``LimitExceededError``)."""
    if len(items) > MAX_WRITE_ITEMS:
        raise ZohoError(
            "LIMIT_EXCEEDED",
            {"maximum_length": MAX_WRITE_ITEMS, "api_name": "data"},
            "count of records in your request exceeds the limit",
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
