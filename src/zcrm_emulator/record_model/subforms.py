"""Subform rows: what a write does to a record's subform fields, and how rows are read back
(REFERENCE §4.6; Zoho's Subform API pages; no HTTP, no SQL).

A subform field holds rows of its subform module (``fields?module=Quoted_Items`` gives their
fields). Rows live inside their parent record's data, each with an id from the org's id counter
and the stamps Zoho shows per row, kept under ``$``-keys the wire never sees:

    {"id": "…", "$created_ms": …, "$modified_ms": …, "$created_by": "…", "$modified_by": "…",
     <field>: <stored value>, …}

A write that names a subform field gives its rows in full, in order (docs/decisions.md "Subforms
and line items"): a row with ``id`` keeps (and partially updates) that row, a row without ``id``
is added, a row with ``id`` and ``"_delete": null`` is removed, and stored rows the write does not
name are removed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import items as item_rules
from zcrm_emulator.record_model.meta import ModuleMeta
from zcrm_emulator.record_model.repo import RecordRow
from zcrm_emulator.validation import Exists, Invalid, at

SUBFORM = "subform"
DELETE = "_delete"
MAX_ROWS = 100  # Subform API page: "Each record's subform can have a maximum of 100 subform records"

# Row stamps, stored with the row and shown as the subform module's system fields.
CREATED_MS, MODIFIED_MS, CREATED_BY, MODIFIED_BY = "$created_ms", "$modified_ms", "$created_by", "$modified_by"
STAMPS = (CREATED_MS, MODIFIED_MS, CREATED_BY, MODIFIED_BY)
# Fields of a subform module that rows never take from a client: a row belongs to its parent
# record (its owner and layout), and its system fields come from the stamps.
PARENT_FIELD = "Parent_Id"
NOT_FROM_CLIENT = frozenset({"Owner", "Layout", PARENT_FIELD})
NOT_SHOWN = frozenset({"Owner", "Layout", "Last_Activity_Time"})


def subform_fields(meta: ModuleMeta) -> tuple[str, ...]:
    """The module's subform fields whose subform module is loaded (``meta.subforms``)."""
    return tuple(name for name in meta.subforms if name in meta.by_name)


def subform_module_name(field: Mapping[str, Any]) -> str | None:
    """The api name of the module a subform field's rows belong to."""
    if field.get("data_type") != SUBFORM:
        return None
    module = (field.get("subform") or {}).get("module") or (field.get("associated_module") or {}).get("module")
    return module if isinstance(module, str) else None


# --- references (prefetched by the write, named by the reader) -----------------------------------


def sent_references(meta: ModuleMeta, values: Mapping[str, Any]) -> list[str]:
    """Record ids the rows of an incoming item point at (lookups such as Product_Name), so the
    write can prefetch them with the item's own lookups. Values that are not ids are skipped: the
    row's check refuses them."""
    found: list[str] = []
    for name, sub in meta.subforms.items():
        rows = values.get(name)
        if not isinstance(rows, list):
            continue
        for row in rows:
            if isinstance(row, dict):
                found.extend(_references(sub, row, convert=True))
    return found


def stored_references(meta: ModuleMeta, data: Mapping[str, Any]) -> list[str]:
    """Record ids the stored rows of a record point at (their lookups' display names)."""
    found: list[str] = []
    for name, sub in meta.subforms.items():
        for row in data.get(name) or ():
            if isinstance(row, dict):
                found.extend(_references(sub, row, convert=False))
    return found


def _references(sub: ModuleMeta, row: Mapping[str, Any], *, convert: bool) -> list[str]:
    found: list[str] = []
    for name, value in row.items():
        kind = sub.types.get(name)
        if kind is None or kind.reference != "record" or value is None or name == PARENT_FIELD:
            continue
        if convert:
            try:
                value = kind.convert(value)
            except Invalid:
                continue
        if isinstance(value, str):
            found.append(value)
    return found


# --- writes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowWrite:
    """What writing rows needs from the record write: who writes and when, new ids, and the
    ``exists`` check its lookups use."""

    user_id: str
    now_ms: int
    allocate: Callable[[int], list[str]]
    exists: Exists


def write_all(
    meta: ModuleMeta, data: dict[str, Any], sent: Mapping[str, Any], stored: Mapping[str, Any], path: str, how: RowWrite
) -> None:
    """Turn every subform field the write names (``sent``, checked values) into stored rows, in
    ``data`` in place; ``stored``: the record's data before the write (``{}`` on create)."""
    for name in subform_fields(meta):
        if name not in sent:
            continue
        rows = write_rows(meta.subforms[name], stored.get(name) or [], sent[name] or [], f"{path}.{name}", how)
        if not rows and meta.by_name[name].get("system_mandatory"):
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, name))
        data[name] = rows


def write_rows(
    sub: ModuleMeta, stored: Sequence[Mapping[str, Any]], sent: Sequence[Any], path: str, how: RowWrite
) -> list[dict[str, Any]]:
    """The rows after a write names ``sent`` (see the module docstring), in the order sent; ``path``
    is the field's json_path, each row's is ``path[index]``. A kept row whose values do not change
    keeps its modified stamps."""
    if len(sent) > MAX_ROWS:
        raise ZohoError("LIMIT_EXCEEDED", {"api_name": path.rsplit(".", 1)[-1], "json_path": path, "limit": MAX_ROWS})
    by_id = {row["id"]: row for row in stored if isinstance(row, Mapping) and "id" in row}
    rows: dict[str, dict[str, Any] | None] = {}  # row id (or "+<index>" for a new row) -> row, None: removed
    for index, row in enumerate(sent):
        row_path = f"{path}[{index}]"
        if not isinstance(row, dict):
            raise ZohoError("INVALID_DATA", {"json_path": row_path, "expected_data_type": "jsonobject"})
        if row.get("id") is not None:
            row_id = normalize_id(row["id"])
            if row_id is None or row_id not in by_id:
                raise ZohoError("INVALID_DATA", at(row_path, "id"), Message.UNKNOWN_ID)
            current = rows.get(row_id) or dict(by_id[row_id])
            if DELETE in row:
                rows[row_id] = None
                continue
            merged = item_rules.merge_update(current, _checked(sub, row, row_path, "update", how.exists), frozenset())
            if merged != current:
                merged.update({MODIFIED_MS: how.now_ms, MODIFIED_BY: how.user_id})
            rows[row_id] = merged
        elif DELETE in row:
            raise ZohoError("MANDATORY_NOT_FOUND", at(row_path, "id"))
        else:
            values = _checked(sub, row, row_path, "create", how.exists)
            rows[f"+{index}"] = {k: v for k, v in values.items() if v is not None}
    fresh = [key for key in rows if key.startswith("+")]
    new_ids = dict(zip(fresh, how.allocate(len(fresh)), strict=True)) if fresh else {}
    stamps = {CREATED_MS: how.now_ms, MODIFIED_MS: how.now_ms, CREATED_BY: how.user_id, MODIFIED_BY: how.user_id}
    return [
        {"id": new_ids[key], **stamps, **row} if key in new_ids else row for key, row in rows.items() if row is not None
    ]


def _checked(sub: ModuleMeta, row: dict[str, Any], row_path: str, operation: str, exists: Exists) -> dict[str, Any]:
    """A row's values checked by its subform module's spec (types, lengths, mandatory fields on a
    new row, lookups that must exist), with Zoho's json_path for each error."""
    sent = {k: v for k, v in row.items() if k != DELETE and k not in NOT_FROM_CLIENT}
    incoming = item_rules.split_item(sub, sent, operation, row_path)
    return sub.spec(operation).check(incoming.values, row_path, partial=operation == "update", exists=exists)


# --- reads ----------------------------------------------------------------------------------------


def modified_after(row: Mapping[str, Any], epoch_ms: int | None) -> bool:
    """Did the row change after ``epoch_ms`` (always, when None)?"""
    return epoch_ms is None or int(row.get(MODIFIED_MS) or 0) > epoch_ms


RowRender = Callable[[ModuleMeta, RecordRow, str], Any]


def shown_rows(sub: ModuleMeta, parent: RecordRow, rows: Any, value_of: RowRender) -> list[dict[str, Any]]:
    """Stored rows as GET one record shows them: every field of the subform module (null when
    unset) with ``Parent_Id`` naming the record, and the row's ``id``. ``value_of(meta, row,
    name)``: how the renderer shows one field."""
    shown: list[dict[str, Any]] = []
    for stored in rows if isinstance(rows, list) else ():
        if not isinstance(stored, dict):
            continue
        values = {k: v for k, v in stored.items() if k not in STAMPS and k != "id"}
        values[PARENT_FIELD] = parent.id
        as_row = RecordRow(
            str(stored.get("id")),
            sub.id,
            parent.owner_id,
            stored.get(CREATED_BY) or parent.created_by,
            stored.get(MODIFIED_BY) or parent.modified_by,
            stored.get(CREATED_MS) or parent.created_ms,
            stored.get(MODIFIED_MS) or parent.modified_ms,
            None,
            None,
            values,
        )
        item = {name: value_of(sub, as_row, name) for name in sub.by_name if name not in NOT_SHOWN}
        item["id"] = stored.get("id")  # rows stored before rows had ids have none
        shown.append(item)
    return shown
