"""Notes as Zoho shows and takes them (OAS notes.json; docs "Create Notes", "Get Notes").

A note is a record of the Notes module whose ``Parent_Id`` names a record of another module. On the
wire ``Parent_Id`` is ``{module: {api_name, id}, id, name}`` and the note carries its ``$`` keys. On
write the parent's module comes from ``Parent_Id.module`` (``api_name`` or ``id``), else from
``$se_module`` / ``se_module`` beside a ``Parent_Id`` given as an id (the older form).

Plain data and functions: no SQL, no HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.validation import at

NOTES_MODULE = "Notes"
PARENT = "Parent_Id"
SE_MODULE = "$se_module"
MAX_ITEMS = 100  # notes per write call, ids per delete
SORT_BY = {"id": "id", "Created_Time": "created_ms", "Modified_Time": "modified_ms"}
SORT_ORDERS = ("desc", "asc")

# The meta keys of every note (notes.json ``Note``); the emulator has no voice notes and no
# client portal, and a note's attachments are the attachments resource's.
NOTE_META: dict[str, Any] = {
    "$attachments": [],
    "$editable": True,
    "$is_shared_to_client": False,
    "$sharing_permission": "full_access",
    "$size": None,
    "$state": "save",
    "$voice_note": False,
}


@dataclass(frozen=True)
class ParentRef:
    """The parent a note item names: its record id and its module (api_name or id), as given."""

    record_id: str
    module: str


def parent_ref(item: Mapping[str, Any], path: str) -> ParentRef | None:
    """The item's parent, None when it names none (an update leaving the parent as it is).
    MANDATORY_NOT_FOUND when the module is missing, INVALID_DATA for a malformed id or module."""
    if PARENT not in item:
        return None
    raw = item[PARENT]
    module: Any = item.get(SE_MODULE, item.get("se_module"))
    record: Any = raw
    if isinstance(raw, dict):
        record = raw.get("id")
        given = raw.get("module")
        if isinstance(given, dict):
            module = given.get("api_name") or given.get("id") or module
        elif isinstance(given, str):
            module = given
    if record is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, PARENT))
    record_id = normalize_id(record)
    if record_id is None:
        raise ZohoError("INVALID_DATA", at(path, PARENT, expected_data_type="jsonobject"))
    if module is None or module == "":
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, SE_MODULE))
    if not isinstance(module, str):
        raise ZohoError("INVALID_DATA", at(path, SE_MODULE, expected_data_type="text"))
    return ParentRef(record_id, module)


def stored_item(item: Mapping[str, Any], parent_id: str | None) -> dict[str, Any]:
    """The item the record model writes: ``Parent_Id`` as the parent's id, the module keys dropped
    (a note's module is its parent record's)."""
    kept = {key: value for key, value in item.items() if key not in (PARENT, SE_MODULE, "se_module")}
    if parent_id is not None:
        kept[PARENT] = parent_id
    return kept


def reindexed(result: dict[str, Any], written_at: int, index: int) -> dict[str, Any]:
    """A record-model result of the ``written_at``-th item written, for the call's ``index``-th item."""
    details = result.get("details")
    path = details.get("json_path") if isinstance(details, dict) else None
    old = f"$.data[{written_at}]"
    if isinstance(details, dict) and isinstance(path, str) and path.startswith(old) and written_at != index:
        return {**result, "details": {**details, "json_path": f"$.data[{index}]" + path[len(old) :]}}
    return result


def note_shape(record: dict[str, Any], parent: dict[str, Any] | None, se_module: str | None) -> dict[str, Any]:
    """A note as notes.json shows it: its fields, ``Parent_Id`` with the parent's module and name,
    and the note's ``$`` keys (in place of a plain record's)."""
    shown = {key: value for key, value in record.items() if not key.startswith("$")}
    if PARENT in shown:
        shown[PARENT] = parent
    shown.update(NOTE_META)
    shown[SE_MODULE] = se_module
    return shown
