"""Records as Zoho puts them on the wire (REFERENCE §4.4): stored rows -> JSON objects.

System fields come from the row's columns; lookups get their target's current display name;
users are ``{name, id, email}``; datetimes are shown in the reader's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from zcrm_emulator.clock import iso
from zcrm_emulator.record_model import file_fields, subforms
from zcrm_emulator.record_model.meta import ModuleMeta
from zcrm_emulator.record_model.repo import RecordRow
from zcrm_emulator.resources.tags.rules import shown_on_record

User = dict[str, Any]

# Meta keys every full record carries (REFERENCE §4.4); the emulator runs no approvals, reviews,
# locks or merges, so they keep these resting values.
RECORD_META: dict[str, Any] = {
    "$approval_state": "approved",
    "$editable": True,
    "$state": "save",
    "$process_flow": False,
    "$locked_for_me": False,
    "$is_duplicate": False,
    "$in_merge": False,
    "$approval": {"delegate": False, "takeover": False, "approve": False, "reject": False, "resubmit": False},
    "$review_process": {"approve": False, "reject": False, "resubmit": False},
    "$review": None,
    "$orchestration": False,
    "$zia_visions": None,
    "$currency_symbol": "$",
}


class LookupNames(dict[str, str | None]):
    """Lookup target id -> display name, and each target's module (``{api_name, id}``), which
    multi-module lookups (Appointment_For) show beside the name."""

    def __init__(
        self, names: Mapping[str, str | None] | None = None, modules: Mapping[str, dict[str, str]] | None = None
    ) -> None:
        super().__init__(names or {})
        self.modules = dict(modules or {})


class Lookups(LookupNames):
    """``LookupNames``, and in ``tags`` the module's tags by id: a record's ``Tag`` shows each tag
    as it is now (record_model/tagging.py)."""

    def __init__(self, names: LookupNames, tags: Mapping[str, Any]) -> None:
        super().__init__(names, names.modules)
        self.tags = dict(tags)


@dataclass(frozen=True)
class Reader:
    """Who reads: time zone for datetimes, the org's users, the names of lookup targets."""

    tz: str
    users: Mapping[str, User]
    names: Mapping[str, str | None]  # lookup target id -> display name (a LookupNames: and module)

    def target_module(self, record_id: str) -> dict[str, str] | None:
        modules = getattr(self.names, "modules", None)
        return modules.get(record_id) if modules is not None else None

    def user(self, user_id: str | None) -> dict[str, Any] | None:
        if not user_id:
            return None
        user = self.users.get(user_id)
        if user is None:
            return {"name": None, "id": user_id, "email": None}
        return {"name": user.get("full_name"), "id": user_id, "email": user.get("email")}

    def user_short(self, user_id: str) -> dict[str, Any]:
        """``{name, id}``: how write results and deleted-record lists name users."""
        user = self.users.get(user_id) or {}
        return {"name": user.get("full_name"), "id": user_id}

    def time(self, epoch_ms: int | None) -> str | None:
        return iso(epoch_ms, self.tz) if epoch_ms is not None else None

    def stored_time(self, value: str) -> str:
        """A stored UTC datetime value, in the reader's zone."""
        return datetime.fromisoformat(value).astimezone(ZoneInfo(self.tz)).isoformat()


SystemValue = Callable[[RecordRow, ModuleMeta, Reader], Any]

# Fields whose values live in the row's columns or are kept by the server.
SYSTEM_VALUES: dict[str, SystemValue] = {
    "id": lambda row, meta, reader: row.id,
    "Owner": lambda row, meta, reader: reader.user(row.owner_id),
    "Created_By": lambda row, meta, reader: reader.user(row.created_by),
    "Modified_By": lambda row, meta, reader: reader.user(row.modified_by),
    "Created_Time": lambda row, meta, reader: reader.time(row.created_ms),
    "Modified_Time": lambda row, meta, reader: reader.time(row.modified_ms),
    "Last_Activity_Time": lambda row, meta, reader: reader.time(row.modified_ms),
    "Change_Log_Time__s": lambda row, meta, reader: reader.time(row.modified_ms),
    "Locked__s": lambda row, meta, reader: False,
    "Layout": lambda row, meta, reader: {"name": meta.layout.name, "id": row.data.get("Layout") or meta.layout.id},
    "Tag": lambda row, meta, reader: _tags(row, reader),
}


def _tags(row: RecordRow, reader: Reader) -> list[dict[str, Any]]:
    """``Tag``: the record's tags as they are now (record_model/tagging.py)."""
    if not row.data.get("Tag"):
        return []
    known = reader.names.tags if isinstance(reader.names, Lookups) else {}
    return shown_on_record(row.data["Tag"], known)


Renderer = Callable[[RecordRow, Reader], Any]


def field_value(meta: ModuleMeta, row: RecordRow, name: str, reader: Reader) -> Any:
    return renderer(meta, name)(row, reader)


def renderer(meta: ModuleMeta, name: str) -> Renderer:
    """How ``name``'s value is shown, chosen from its type once per module metadata (kept on it), so
    rendering a record is one call per field rather than the same type tests on every record."""
    found = meta.renderers.get(name)
    if found is None:
        found = meta.renderers[name] = _choose(meta, name)
    return found


def every_renderer(meta: ModuleMeta) -> list[tuple[str, Renderer]]:
    """Each field of the module with its renderer, in field order (a whole record's rendering)."""
    if len(meta.every_renderer) != len(meta.by_name):
        meta.every_renderer[:] = [(name, renderer(meta, name)) for name in meta.by_name]
    return meta.every_renderer


def _choose(meta: ModuleMeta, name: str) -> Renderer:
    system = SYSTEM_VALUES.get(name)
    if system is not None:
        return partial(_system_value, system, meta)
    kind = meta.types.get(name)
    convert: Callable[[Any, Reader], Any] | None = None
    if kind is None:
        pass
    elif kind.name == "datetime":
        convert = _as_time
    elif kind.name in file_fields.FILE_TYPES:
        convert = partial(file_fields.shown, kind.name)
    elif kind.reference == "record":
        convert = _as_any_module_record if meta.by_name[name].get("multi_module_lookup") else _as_record
    elif kind.reference == "user":
        convert = _as_user
    elif kind.name == "multiuserlookup":
        convert = partial(_as_users, name)
    return partial(_plain_value, name) if convert is None else partial(_converted_value, name, convert)


def _system_value(system: SystemValue, meta: ModuleMeta, row: RecordRow, reader: Reader) -> Any:
    return system(row, meta, reader)


def _plain_value(name: str, row: RecordRow, reader: Reader) -> Any:
    return row.data.get(name)


def _converted_value(name: str, convert: Callable[[Any, Reader], Any], row: RecordRow, reader: Reader) -> Any:
    value = row.data.get(name)
    return None if value is None else convert(value, reader)


def _as_time(value: str, reader: Reader) -> str:
    return reader.stored_time(value)


def _as_record(value: str, reader: Reader) -> dict[str, Any]:
    return {"name": reader.names.get(value), "id": value}


def _as_any_module_record(value: str, reader: Reader) -> dict[str, Any]:
    return {"name": reader.names.get(value), "id": value, "module": reader.target_module(value)}


def _as_user(value: str, reader: Reader) -> Any:
    return reader.user(value)


def _as_users(name: str, value: list[str], reader: Reader) -> list[dict[str, Any]]:
    """One row per user, keyed by the field's name (OAS services.json)."""
    return [{"id": None, name: reader.user_short(user_id)} for user_id in value]


def full_record(meta: ModuleMeta, row: RecordRow, reader: Reader) -> dict[str, Any]:
    """GET one record: every field of the module (null when unset) and the meta keys."""
    shown = {name: render(row, reader) for name, render in every_renderer(meta)}
    for name in meta.subforms:
        if name in shown:
            shown[name] = _rows(meta, row, name, reader)
    shown["id"] = row.id
    shown.update(RECORD_META)
    if meta.subforms:  # all of a record's rows are shown at once
        shown["$has_more"] = {name: False for name in meta.subforms if name in meta.by_name}
    if CONVERTED_FLAG in meta.by_name:
        shown["$converted_detail"] = converted_detail(row, reader)
    return shown


def _rows(meta: ModuleMeta, row: RecordRow, name: str, reader: Reader) -> list[dict[str, Any]]:
    """A subform field's rows (subforms.py), each field shown as the record's own are."""
    return subforms.shown_rows(meta.subforms[name], row, row.data.get(name), partial(field_value, reader=reader))


CONVERTED_FLAG = "Converted__s"  # the modules whose records convert (Leads) have it


def converted_detail(row: RecordRow, reader: Reader) -> dict[str, Any]:
    """``$converted_detail`` of a lead (GET one): ``{}`` until it is converted, then who converted
    it (the lead's last modifier: the conversion is its last write), when, and into which records."""
    if not row.data.get(CONVERTED_FLAG):
        return {}
    converted = row.data.get("Converted_Date_Time")
    return {
        "convert_user": reader.user_short(row.modified_by),
        "deal": row.data.get("Converted_Deal"),
        "converted_datetime": reader.stored_time(converted) if converted else None,
        "contact": row.data.get("Converted_Contact"),
        "account": row.data.get("Converted_Account"),
    }


def listed_record(meta: ModuleMeta, row: RecordRow, names: Iterable[str], reader: Reader) -> dict[str, Any]:
    """GET list: only the requested fields (known ones, and meta keys such as $approval_state)."""
    shown: dict[str, Any] = {}
    for name in names:
        if name in meta.subforms:
            shown[name] = _rows(meta, row, name, reader)
        elif name in meta.by_name or name in SYSTEM_VALUES:
            shown[name] = field_value(meta, row, name, reader)
        elif name in RECORD_META:
            shown[name] = RECORD_META[name]
    shown["id"] = row.id
    return shown


def listed_subform_row(
    sub: ModuleMeta, parent: RecordRow, row: dict[str, Any], names: Iterable[str], reader: Reader
) -> dict[str, Any]:
    """GET /{subform module}: one row with only the requested fields (known ones) and its id."""
    [shown] = subforms.shown_rows(sub, parent, [row], partial(field_value, reader=reader))
    return {**{name: shown[name] for name in names if name in shown}, "id": shown["id"]}


def write_details(row: RecordRow, reader: Reader) -> dict[str, Any]:
    """``details`` of a successful insert/update/upsert item (OASx createRecords)."""
    return {
        "Modified_Time": reader.time(row.modified_ms),
        "Modified_By": reader.user_short(row.modified_by),
        "Created_Time": reader.time(row.created_ms),
        "id": row.id,
        "Created_By": reader.user_short(row.created_by),
        "$approval_state": "approved",
    }


def deleted_entry(row: RecordRow, meta: ModuleMeta, reader: Reader, kind: str) -> dict[str, Any]:
    """One ``/deleted`` item; permanent deletions keep only id, type and time (OASx)."""
    if kind == "permanent":
        return {
            "deleted_by": None,
            "id": row.id,
            "display_name": None,
            "type": "permanent",
            "created_by": None,
            "deleted_time": reader.time(row.deleted_ms),
        }
    return {
        "deleted_by": reader.user_short(row.deleted_by) if row.deleted_by else None,
        "id": row.id,
        "display_name": row.data.get(meta.display_field),
        "type": "recycle",
        "created_by": reader.user_short(row.created_by),
        "deleted_time": reader.time(row.deleted_ms),
    }
