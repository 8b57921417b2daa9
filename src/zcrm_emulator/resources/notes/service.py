"""The steps of the Notes operations on the caller's connection. Notes are records of the Notes
module: every write goes through the record model (validation, storage, record events); this adds
the parent checks of ``Parent_Id`` / ``$se_module`` and the note's wire shape."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection

from zcrm_emulator import batch, record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.notes import rules
from zcrm_emulator.resources.notes.rules import ParentRef
from zcrm_emulator.resources.related_records import repo as related_repo
from zcrm_emulator.resources.related_records import rules as related_rules
from zcrm_emulator.resources.related_records import service as related_service
from zcrm_emulator.validation import at

Prepared = dict[str, Any] | ZohoError


def render(
    conn: Connection,
    org_id: str,
    meta: record_model.ModuleMeta,
    rows: Sequence[record_model.RecordRow],
    names: list[str] | None,
    who: record_model.Caller,
) -> list[dict[str, Any]]:
    """The notes as notes.json shows them: every field (or the ``fields`` asked for, plus ``id``),
    ``Parent_Id`` with its module and name, and the note's ``$`` keys."""
    reader = who.reader(record_model.lookup_names(conn, org_id, meta, rows))
    parents = record_model.find_any(conn, org_id, [r.data[rules.PARENT] for r in rows if r.data.get(rules.PARENT)])
    modules: dict[str, Any] = {}
    for module_id in {p.module_id for p in parents.values()}:
        modules[module_id] = modules_repo.find(conn, org_id, module_id)
    shown = []
    for row in rows:
        record = (
            record_model.full_record(meta, row, reader)
            if names is None
            else record_model.listed_record(meta, row, names, reader)
        )
        parent_id = row.data.get(rules.PARENT)
        target = parents.get(parent_id) if parent_id else None
        module = modules.get(target.module_id) if target is not None else None
        parent = None
        if parent_id is not None:
            parent = {
                "module": {"api_name": module.api_name if module else None, "id": module.id if module else None},
                "id": parent_id,
                "name": reader.names.get(parent_id),
            }
        shown.append(rules.note_shape(record, parent, module.api_name if module else None))
    return shown


def _check_parent(conn: Connection, org_id: str, ref: ParentRef, path: str) -> str:
    """The parent's id once its module may have notes and holds the record."""
    module = modules_repo.find(conn, org_id, ref.module)
    if module is None or not related_rules.may_have_notes(related_service.module_info(module)):
        raise ZohoError("INVALID_MODULE", at(path, rules.SE_MODULE))
    if not record_model.get_records(conn, module.id, [ref.record_id]):
        raise ZohoError("INVALID_DATA", at(path, rules.PARENT), Message.UNKNOWN_ID)
    return ref.record_id


def _prepare(
    conn: Connection, org_id: str, items: Sequence[Any], fixed_parent: str | None, *, creating: bool
) -> list[Prepared]:
    prepared: list[Prepared] = []
    for index, item in enumerate(items):
        path = f"$.data[{index}]"
        try:
            if not isinstance(item, dict):
                raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
            parent_id = fixed_parent
            if parent_id is None:
                ref = rules.parent_ref(item, path)
                if ref is None and creating:
                    raise ZohoError("MANDATORY_NOT_FOUND", at(path, rules.PARENT))
                parent_id = _check_parent(conn, org_id, ref, path) if ref is not None else None
            prepared.append(rules.stored_item(item, parent_id))
        except ZohoError as error:
            prepared.append(error)
    return prepared


def _merged(prepared: list[Prepared], write: Callable[[list[dict[str, Any]]], list[batch.Item]]) -> list[batch.Item]:
    """Items refused before the write keep their place; the record model's results fill the rest."""
    kept = [index for index, item in enumerate(prepared) if not isinstance(item, ZohoError)]
    written = write([item for item in prepared if not isinstance(item, ZohoError)]) if kept else []
    results: list[batch.Item] = [batch.failure(item) if isinstance(item, ZohoError) else {} for item in prepared]
    for position, index in enumerate(kept):
        results[index] = rules.reindexed(written[position], position, index)
    return results


def create(
    conn: Connection,
    org_id: str,
    who: record_model.Caller,
    meta: record_model.ModuleMeta,
    items: Sequence[Any],
    *,
    parent_id: str | None,
    now_ms: int,
    cause: Cause,
) -> list[batch.Item]:
    """POST /Notes (each item names its parent) and POST /{module}/{id}/Notes (the path's record)."""
    prepared = _prepare(conn, org_id, items, parent_id, creating=True)
    return _merged(prepared, lambda ok: record_model.insert(conn, org_id, who, meta, ok, now_ms=now_ms, cause=cause))


def update(
    conn: Connection,
    org_id: str,
    who: record_model.Caller,
    meta: record_model.ModuleMeta,
    items: Sequence[Any],
    *,
    path_id: str | None,
    now_ms: int,
    cause: Cause,
) -> list[batch.Item]:
    """PUT /Notes (``id`` in each item) and PUT /Notes/{id}: a new parent is checked like on create."""
    prepared = _prepare(conn, org_id, items, None, creating=False)
    return _merged(
        prepared,
        lambda ok: record_model.update(conn, org_id, who, meta, ok, now_ms=now_ms, path_id=path_id, cause=cause),
    )


def delete(
    conn: Connection,
    org_id: str,
    who: record_model.Caller,
    meta: record_model.ModuleMeta,
    note_ids: Sequence[str],
    *,
    now_ms: int,
    cause: Cause,
) -> list[batch.Item]:
    """DELETE /Notes?ids= and /Notes/{id}: to the recycle bin. A success's ``details`` carry the
    note's stamps besides its id, as notes.json's ``Success_Response`` requires."""
    rows = record_model.get_records(conn, meta.id, note_ids)
    results = record_model.delete(conn, org_id, who, meta, note_ids, now_ms=now_ms, cause=cause)
    reader = who.reader()
    for result in results:
        row = rows.get(result["details"].get("id")) if result["status"] == "success" else None
        if row is not None:
            details = record_model.write_details(row, reader)
            details.pop("$approval_state", None)
            result["details"] = details
    return results


def parent_of_path(conn: Connection, org_id: str, module_name: str, record_id: str, now_ms: int, memo: Any) -> str:
    """The record of ``/{module}/{record_id}/Notes``: a module that may have notes, a live record."""
    parent_meta = record_model.load_module(conn, org_id, module_name, now_ms, memo)
    if not related_rules.may_have_notes(related_service.module_info(parent_meta.module)):
        raise ZohoError("INVALID_DATA", {"resource_path_index": 2}, Message.RELATION_NAME_INVALID)
    return related_service.parent_record(conn, parent_meta, record_id).id


def of_parent(parent_id: str) -> ColumnElement[bool]:
    """The notes whose parent is ``parent_id`` (a filter for the notes list)."""
    return related_repo.looking_up(rules.PARENT, parent_id)
