"""Lead conversion's rules (OAS convert_lead.json, convert.json, conversion_option.json,
mass_convert.json; REFERENCE §4.4, §6.2): what a conversion request says, which Deal fields it must
give, how a lead's values map onto the records it becomes, and the lead's ``$converted_detail``.
Plain data and functions: no HTTP, no SQL.

The mapping is the metadata's own: each Leads field carries ``convert_mapping`` ``{"Contacts":
<api name>|None, "Accounts": …, "Deals": …}`` (the standard org's fields, and custom ones alike).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id

CONVERTED = "The record has been converted successfully"
SCHEDULED = "mass convert scheduled successfully"
COMPLETED = "COMPLETED"  # a mass convert job runs to its end within its POST (docs/decisions.md)

LEADS, CONTACTS, ACCOUNTS, DEALS, NOTES = "Leads", "Contacts", "Accounts", "Deals", "Notes"
MASS_CONVERT_LIMIT = 50  # lead ids per mass convert job

# Zoho's Deal must-haves on conversion, beside the Deals module's own mandatory fields.
DEAL_MANDATORY = ("Deal_Name", "Stage", "Closing_Date")
# What a Deal created by conversion is tied to (Deals lookups).
DEAL_ACCOUNT, DEAL_CONTACT, CONTACT_ACCOUNT = "Account_Name", "Contact_Name", "Account_Name"
NOTE_PARENT = "Parent_Id"
# What else of the lead follows the conversion (docs/decisions.md "Lead conversion carry-over"):
# attachments go to one of the records made (the Contact unless asked otherwise), tags to the ones
# asked for, and the lead's activities to the Contact (Who_Id) and the Deal, else the Account (What_Id).
CARRY_TARGETS = (CONTACTS, ACCOUNTS, DEALS)
ACTIVITIES = ("Tasks", "Events", "Calls")
ACTIVITY_WHO, ACTIVITY_WHAT = "Who_Id", "What_Id"
MOVE_ATTACHMENTS = "move_attachments_to"
CARRY_TAGS = "carry_over_tags"
RELATED_MODULES = "related_modules"

# Fields the server sets on the converted lead (all read-only to clients).
CONVERTED_FLAG = "Converted__s"
CONVERTED_TIME = "Converted_Date_Time"
CONVERTED_TO = {ACCOUNTS: "Converted_Account", CONTACTS: "Converted_Contact", DEALS: "Converted_Deal"}
CONVERSION_DAYS = "Lead_Conversion_Time"
DAY_MS = 86_400_000

# How the Lead Conversion Options read matches existing records (the "Convert Lead" page's order of
# preference without unique fields): target field <- lead field.
CONTACT_MATCHES = (("Email", "Email"), ("Phone", "Phone"))
ACCOUNT_MATCHES = (("Account_Name", "Company"), ("Phone", "Phone"))
# What each matching record shows in the options read (Kaizen #137's sample).
OPTION_FIELDS = {
    CONTACTS: ("Full_Name", "Email", "Phone", "Account_Name"),
    ACCOUNTS: ("Layout", "Account_Name", "Phone", "Website", "Account_Type"),
    DEALS: ("Deal_Name", "Stage", "Amount", "Closing_Date", "Account_Name", "Contact_Name"),
}


@dataclass(frozen=True)
class ModuleRef:
    """A module a request names by ``api_name`` and/or ``id`` (checked against the org's modules by
    the service); ``where`` is its ``{api_name, json_path}`` for errors."""

    api_name: str | None
    id: str | None
    where: Mapping[str, str]


@dataclass(frozen=True)
class Request:
    """One conversion as the client asked for it. ``path`` is where its keys sit in the body."""

    path: str
    overwrite: bool = False
    notify_lead_owner: bool = False
    notify_new_entity_owner: bool = False
    account_id: str | None = None
    contact_id: str | None = None
    assign_to: str | None = None
    deal: dict[str, Any] | None = None
    attachments_to: ModuleRef | None = None  # None: the Contact
    # The tags carried to each target module: the names given (None: every tag of the lead).
    carry_tags: Mapping[str, tuple[str, ...] | None] = default(default_factory=dict)
    # Activity modules whose records of the lead change owner to ``assign_to`` (mass convert).
    related_modules: tuple[ModuleRef, ...] = ()

    def at(self, *keys: str) -> dict[str, str]:
        """``{api_name, json_path}`` of a key of this request (``Deals.Stage`` for nested keys)."""
        return {"api_name": keys[-1], "json_path": ".".join((self.path, *keys))}


def read_request(item: Any, path: str) -> Request:
    """A ``data`` item of POST /Leads/{id}/actions/convert (convert_lead.json ``Lead_Converter``):
    the flags, ``Accounts``/``Contacts``/``assign_to`` as ``{"id": …}`` or a bare id (the v2 form),
    and ``Deals``. Errors are the item's: INVALID_DATA with ``expected_data_type`` for a wrong type,
    INVALID_DATA for an id that is not one, MANDATORY_NOT_FOUND for a missing Deal field."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
    return Request(
        path,
        overwrite=_flag(item, "overwrite", path),
        notify_lead_owner=_flag(item, "notify_lead_owner", path),
        notify_new_entity_owner=_flag(item, "notify_new_entity_owner", path),
        account_id=reference(item, ACCOUNTS, path),
        contact_id=reference(item, CONTACTS, path),
        assign_to=reference(item, "assign_to", path),
        deal=deal_values(item.get(DEALS), path),
        attachments_to=attachments_target(item, path),
        carry_tags=tags_by_module(item.get(CARRY_TAGS), f"{path}.{CARRY_TAGS}"),
    )


def _invalid(key: str, json_path: str, expected: str | None = None) -> ZohoError:
    details = {"api_name": key, "json_path": json_path}
    return ZohoError("INVALID_DATA", details if expected is None else {**details, "expected_data_type": expected})


def module_ref(raw: Any, key: str, json_path: str) -> ModuleRef:
    """``{"api_name": …, "id": …}`` naming a module (at least one of the two)."""
    if not isinstance(raw, dict):
        raise _invalid(key, json_path, "jsonobject")
    name, module_id = raw.get("api_name"), raw.get("id")
    found_id = normalize_id(module_id) if module_id is not None else None
    if (name is not None and not isinstance(name, str)) or (module_id is not None and found_id is None):
        raise _invalid(key, json_path)
    if name is None and found_id is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": f"{json_path}.id"})
    return ModuleRef(name, found_id, {"api_name": key, "json_path": json_path})


def attachments_target(item: Mapping[str, Any], path: str) -> ModuleRef | None:
    """Where the lead's attachments go: ``move_attachments_to``, or the Deal when ``Deals`` says
    ``$move_attachments: true`` (convert.json); None: the Contact."""
    raw = item.get(MOVE_ATTACHMENTS)
    if raw is not None:
        return module_ref(raw, MOVE_ATTACHMENTS, f"{path}.{MOVE_ATTACHMENTS}")
    deal = item.get(DEALS)
    if isinstance(deal, dict) and deal.get("$move_attachments") is True:
        return ModuleRef(
            DEALS, None, {"api_name": "$move_attachments", "json_path": f"{path}.{DEALS}.$move_attachments"}
        )
    return None


def tags_by_module(raw: Any, json_path: str) -> dict[str, tuple[str, ...] | None]:
    """``carry_over_tags`` of one conversion: ``{"Contacts": ["tag1", …], "Accounts": …, "Deals": …}``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _invalid(CARRY_TAGS, json_path, "jsonobject")
    carried: dict[str, tuple[str, ...] | None] = {}
    for module, names in raw.items():
        at = f"{json_path}.{module}"
        if module not in CARRY_TARGETS:
            raise _invalid(module, at)
        if not isinstance(names, list) or not all(isinstance(name, str) and name.strip() for name in names):
            raise _invalid(module, at, "jsonarray")
        carried[module] = tuple(names)
    return carried


def module_refs(raw: Any, key: str, json_path: str) -> tuple[ModuleRef, ...]:
    """An array of modules (mass convert's ``carry_over_tags`` and ``related_modules``), at most 3."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _invalid(key, json_path, "jsonarray")
    if len(raw) > len(CARRY_TARGETS):
        raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": json_path, "maximum_length": len(CARRY_TARGETS)})
    return tuple(module_ref(value, key, f"{json_path}[{index}]") for index, value in enumerate(raw))


def _flag(item: Mapping[str, Any], name: str, path: str) -> bool:
    """A conversion flag: a boolean, false when left out."""
    value = item.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ZohoError(
            "INVALID_DATA", {"api_name": name, "json_path": f"{path}.{name}", "expected_data_type": "boolean"}
        )
    return value


def reference(item: Mapping[str, Any], key: str, path: str) -> str | None:
    """An id given as ``{"id": …}`` or bare; None when the key is absent or null."""
    value = item.get(key)
    if value is None:
        return None
    raw = value.get("id") if isinstance(value, dict) else value
    found = normalize_id(raw)
    if found is None:
        raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": f"{path}.{key}"})
    return found


def deal_values(raw: Any, path: str) -> dict[str, Any] | None:
    """The ``Deals`` object: None when absent, else every mandatory key present and non-empty.
    ``Pipeline`` may come as ``{"name": …}`` (the v8 samples) and is then read as its name."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ZohoError(
            "INVALID_DATA", {"api_name": DEALS, "json_path": f"{path}.{DEALS}", "expected_data_type": "jsonobject"}
        )
    for name in DEAL_MANDATORY:
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": name, "json_path": f"{path}.{DEALS}.{name}"})
    values = {k: v for k, v in raw.items() if not k.startswith("$")}
    pipeline = values.get("Pipeline")
    if isinstance(pipeline, dict) and isinstance(pipeline.get("name"), str):
        values["Pipeline"] = pipeline["name"]
    return values


def mapped_values(
    lead_fields: Mapping[str, Mapping[str, Any]], lead_data: Mapping[str, Any], target: str
) -> dict[str, Any]:
    """The lead's values that the conversion mapping sends to ``target`` (stored forms, keyed by
    the target field's api name)."""
    values: dict[str, Any] = {}
    for name, field in lead_fields.items():
        target_name = (field.get("convert_mapping") or {}).get(target)
        if target_name and lead_data.get(name) is not None:
            values[target_name] = lead_data[name]
    return values


def first_choice(field: Mapping[str, Any] | None) -> str | None:
    """A picklist field's first value (the default pipeline of a Deal that names none)."""
    for value in (field or {}).get("pick_list_values") or []:
        text = value.get("actual_value") or value.get("display_value")
        if isinstance(text, str):
            return text
    return None


def conversion_days(created_ms: int, now_ms: int) -> int:
    """``Lead_Conversion_Time``: whole days from the lead's creation to its conversion."""
    return max(0, (now_ms - created_ms) // DAY_MS)


def entity(record_id: str | None, name: Any) -> dict[str, Any] | None:
    """``{name, id}`` of a record in a conversion result (``null`` when none was made or used)."""
    return None if record_id is None else {"name": name, "id": record_id}


def mass_ids(raw: Any) -> list[str]:
    """``ids`` of a mass convert: 1 to 50 lead ids, each once (request-level errors)."""
    if raw is None or raw == []:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "ids", "json_path": "$.ids"})
    if not isinstance(raw, list):
        raise ZohoError("INVALID_DATA", {"api_name": "ids", "json_path": "$.ids", "expected_data_type": "jsonarray"})
    if len(raw) > MASS_CONVERT_LIMIT:
        raise ZohoError("INVALID_DATA", {"api_name": "ids", "json_path": "$.ids", "maximum_length": MASS_CONVERT_LIMIT})
    found: list[str] = []
    for index, value in enumerate(raw):
        normalized = normalize_id(value)
        if normalized is None:
            raise ZohoError("INVALID_DATA", {"api_name": "ids", "json_path": f"$.ids[{index}]"})
        found.append(normalized)
    return list(dict.fromkeys(found))


def job_status(total: int, converted: int, failed: int) -> dict[str, Any]:
    """A mass convert job's status read (mass_convert.json ``status``)."""
    return {
        "Status": COMPLETED,
        "Failed_Count": failed,
        "Not_Converted_Count": total - converted - failed,
        "Total_Count": total,
        "Converted_Count": converted,
    }
