"""Mass update (OAS mass_update.json; OASx massUpdateRecords, getMassUpdateStatus; Zoho doc pages
"Mass Update Records", "Get Mass Update Status").

Two ways: by ``ids`` (at most 500), the records are updated in the call and each gets its own
result, as an update does; by ``cvid`` (Enterprise and up), the view's records (at most 50,000) are
updated by a job that runs once the call has committed, and the call answers its ``job_id``. The
body's ``data`` holds one object of field values: one field (three in Deals), each one the module's
field metadata marks ``mass_update`` and not of a type Zoho's doc rules out (email, lookup,
multi-line, layout, line items). ``over_write`` false (the default) adds a multi-select's values to
those a record has; true replaces them. Territories are not emulated, so ``territory`` names none.
Plain functions over plain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import ModuleMeta

ENVELOPE = "data"
SCOPE_FAMILY = "ZohoCRM.mass_update"
MAX_IDS = 500
MAX_VIEW_RECORDS = 50_000
# A scheduled update of more records than this runs no automation (Zoho's doc page).
AUTOMATION_MAX_RECORDS = 1000
WRITE_CHUNK = 100  # records written per record-model call (one record event each)
FIELDS_PER_CALL: Mapping[str, int] = {"Deals": 3}
DEFAULT_FIELDS_PER_CALL = 1
CVID_MIN_EDITION_RANK = 3  # Enterprise, Ultimate, CRM Plus (the doc page's "cvid" note)
# Modules of the doc page's "Supported modules" (Meetings is Events), and every custom module.
SUPPORTED_MODULES = frozenset(
    {
        "Leads",
        "Accounts",
        "Contacts",
        "Deals",
        "Campaigns",
        "Tasks",
        "Calls",
        "Events",
        "Solutions",
        "Products",
        "Vendors",
        "Price_Books",
        "Quotes",
        "Sales_Orders",
        "Purchase_Orders",
        "Invoices",
    }
)
EXCLUDED_TYPES = frozenset(
    {
        "email",
        "lookup",
        "textarea",
        "layout",
        "subform",
        "multiselectlookup",
        "multiuserlookup",
        "profileimage",
        "autonumber",
        "formula",
        "fileupload",
        "imageupload",
    }
)
SCHEDULED, COMPLETED, FAILED = "SCHEDULED", "COMPLETED", "FAILED"
SCHEDULED_MESSAGE = "mass update scheduled successfully"  # record.json Mass_Update_Success_Response
COUNTS = ("Failed_Count", "Updated_Count", "Not_Updated_Count", "Total_Count")


@dataclass(frozen=True)
class MassUpdate:
    """A checked request: the field values, and either the record ids or the view id."""

    values: dict[str, Any]
    ids: list[str] | None
    cvid: str | None
    over_write: bool


def supported(meta: ModuleMeta) -> bool:
    return meta.api_name in SUPPORTED_MODULES or meta.module.generated_type == "custom"


def unsupported_module() -> ZohoError:
    return ZohoError("NOT_SUPPORTED", {"resource_path_index": 0})


def too_many_view_records() -> ZohoError:
    return _key("cvid", limit=MAX_VIEW_RECORDS)


def mass_updatable(field: Mapping[str, Any]) -> bool:
    if field.get("data_type") in EXCLUDED_TYPES or field.get("read_only"):
        return False
    return bool(field.get("mass_update", True))


def _key(name: str, message: Message | None = None, **extra: Any) -> ZohoError:
    return ZohoError("INVALID_DATA", {"api_name": name, "json_path": f"$.{name}", **extra}, message)


def read(payload: Mapping[str, Any], meta: ModuleMeta) -> MassUpdate:
    """The request body checked, in Zoho's order: ``data``, its fields, then ``ids`` or ``cvid``."""
    values = _values(payload.get("data"), meta)
    has_ids, has_cvid = payload.get("ids") is not None, payload.get("cvid") not in (None, "")
    if has_ids and has_cvid:  # one or the other (the OASx operation's note)
        raise _key("cvid")
    if not has_ids and not has_cvid:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "ids", "json_path": "$.ids"}, Message.REQUIRED_FIELD)
    over_write = payload.get("over_write", False)
    if not isinstance(over_write, bool):
        raise _key("over_write", Message.INVALID_DATA_TYPE, expected_data_type="boolean")
    territory = payload.get("territory")
    if territory is not None:
        if not has_cvid:
            raise _key("territory")
        # No territory exists in the emulator: whatever the request names is unknown.
        raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": "$.territory.id"}, Message.UNKNOWN_ID)
    if has_ids:
        return MassUpdate(values, _ids(payload["ids"]), None, over_write)
    cvid = normalize_id(payload["cvid"])
    if cvid is None:
        raise _key("cvid", Message.CVID_INVALID)
    return MassUpdate(values, None, cvid, over_write)


def _values(data: Any, meta: ModuleMeta) -> dict[str, Any]:
    if data is None or data == []:
        raise ZohoError("MANDATORY_NOT_FOUND", {}, Message.REQUIRED_FIELD)
    if not isinstance(data, list):
        raise _key("data", Message.INVALID_DATA_TYPE, expected_data_type="jsonarray")
    if len(data) > 1:
        raise _key("data", limit=1)
    values = data[0]
    if not isinstance(values, dict):
        raise ZohoError(
            "INVALID_DATA", {"json_path": "$.data[0]", "expected_data_type": "jsonobject"}, Message.INVALID_DATA_TYPE
        )
    if not values:
        raise ZohoError("MANDATORY_NOT_FOUND", {}, Message.REQUIRED_FIELD)
    limit = FIELDS_PER_CALL.get(meta.api_name, DEFAULT_FIELDS_PER_CALL)
    if len(values) > limit:
        raise ZohoError("INVALID_DATA", {"api_name": "data", "json_path": "$.data[0]", "limit": limit})
    for name in values:
        path = {"api_name": name, "json_path": f"$.data[0].{name}"}
        field = meta.by_name.get(name)
        if field is None:
            raise ZohoError("INVALID_DATA", path, Message.UNKNOWN_FIELD)
        if not mass_updatable(field) or name in meta.unique_fields or not meta.writable(name, "update"):
            raise ZohoError("INVALID_DATA", path)
    return dict(values)


def _ids(raw: Any) -> list[str]:
    if not isinstance(raw, list):
        raise _key("ids", Message.INVALID_DATA_TYPE, expected_data_type="jsonarray")
    if not raw:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "ids", "json_path": "$.ids"}, Message.REQUIRED_FIELD)
    if len(raw) > MAX_IDS:
        raise _key("ids", limit=MAX_IDS)
    return list(dict.fromkeys(str(value) for value in raw))  # each record once


def record_values(update: MassUpdate, meta: ModuleMeta, stored: Mapping[str, Any]) -> dict[str, Any]:
    """The values written to one record: a multi-select's new values added to the record's own
    unless ``over_write``."""
    values = dict(update.values)
    if update.over_write:
        return values
    for name, value in update.values.items():
        if meta.by_name[name].get("data_type") == "multiselectpicklist" and isinstance(value, list):
            existing = stored.get(name)
            current: list[Any] = existing if isinstance(existing, list) else []
            values[name] = list(dict.fromkeys([*current, *value]))
    return values


def at_first_item(result: dict[str, Any]) -> dict[str, Any]:
    """A record's result of the update: its field errors point into the one ``data`` object."""
    details = result.get("details")
    if not isinstance(details, dict):
        return result
    path = details.get("json_path")
    if isinstance(path, str) and path.startswith("$.data["):
        rest = path[path.index("]") + 1 :]
        return {**result, "details": {**details, "json_path": f"$.data[0]{rest}"}}
    return result


def job_id_param(raw: str | None) -> str:
    """``job_id``: mass_update.json documents a missing one as MANDATORY_NOT_FOUND ``{param_name}``."""
    if raw is None or not raw.strip():
        raise ZohoError("MANDATORY_NOT_FOUND", {"param_name": "job_id"})
    return raw.strip()


def job_status(data: Mapping[str, Any]) -> dict[str, Any]:
    """GET ?job_id=: the job's status and counts (OASx getMassUpdateStatus)."""
    return {"Status": data["Status"], **{key: data[key] for key in COUNTS}}


def new_job(update: MassUpdate, meta: ModuleMeta, record_ids: list[str]) -> dict[str, Any]:
    total = len(record_ids)
    return {
        "Status": SCHEDULED,
        "Failed_Count": 0,
        "Updated_Count": 0,
        "Not_Updated_Count": total,
        "Total_Count": total,
        "module": meta.api_name,
        "cvid": update.cvid,
        "values": update.values,
        "over_write": update.over_write,
        "record_ids": record_ids,
    }


def finished(job: Mapping[str, Any], updated: int, failed: int) -> dict[str, Any]:
    total = int(job["Total_Count"])
    return {
        **job,
        "Status": COMPLETED,
        "Updated_Count": updated,
        "Failed_Count": failed,
        "Not_Updated_Count": total - updated - failed,
    }
