"""Writing records: insert, update, upsert and delete, each validated against the module's field
metadata exactly as Zoho does, one result per item in input order (``batch.success``/``batch.failure``
objects; ``batch.strip_internal`` before they go on the wire) (REFERENCE §4.4-§4.8).

Within a call, lookups and duplicate checks are prefetched in a few set-based queries and the
writes go out as ``executemany`` batches, so a 100-record call costs a handful of statements. Every
function takes the caller's connection and opens no transaction of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import batch, ids
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import NO_CAUSE, Cause, RecordChange, RecordEvent
from zcrm_emulator.record_model import file_fields, line_items, repo, subforms, tagging, word_index
from zcrm_emulator.record_model import items as item_rules
from zcrm_emulator.record_model.access import Caller
from zcrm_emulator.record_model.items import Incoming
from zcrm_emulator.record_model.meta import ModuleMeta
from zcrm_emulator.record_model.render import Reader, write_details
from zcrm_emulator.record_model.repo import Match, RecordRow
from zcrm_emulator.resources.record_locking import service as record_locking
from zcrm_emulator.store import locks, outbox
from zcrm_emulator.validation import Invalid, Spec

ADD = "record added"
UPDATED = "record updated"
DELETED = "record deleted"
RESTORED = "record restored"


# --- the write machinery shared by insert, update and upsert ------------------------------------


@dataclass
class WriteBatch:
    """One write call: prefetched references and duplicates, records written so far, and the
    pending rows that ``flush`` sends to the database in a few statements."""

    conn: Connection
    org_id: str
    who: Caller
    meta: ModuleMeta
    now_ms: int
    check_names: frozenset[str] = frozenset()  # fields whose values must be free (unique, duplicate check)
    match_names: tuple[str, ...] = ()  # upsert's matching fields
    targets: dict[str, RecordRow] = field(default_factory=dict)
    existing: dict[str, dict[str, list[Match]]] = field(default_factory=dict)
    written: dict[str, RecordRow] = field(default_factory=dict)  # id -> current row of this batch
    fresh: set[str] = field(default_factory=set)  # ids created in this batch
    index: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> value -> id in this batch
    loaded: dict[str, RecordRow] = field(default_factory=dict)
    remembered: tuple[str, ...] = ()  # fields the in-batch index keeps
    keys_of: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> its normalized remembered values
    before: dict[str, RecordRow] = field(default_factory=dict)  # id -> the stored row this call first changed

    def __post_init__(self) -> None:
        self.remembered = tuple(dict.fromkeys((*self.meta.key_fields, *self.check_names, *self.match_names)))

    def spec(self, operation: str) -> Spec:
        return self.meta.spec(operation, self.check_names)

    # prefetch ---------------------------------------------------------------------------------
    def prefetch(self, items: Sequence[Incoming | None]) -> None:
        if self.check_names or self.match_names:  # values that must be free, or that pick a record
            locks.serialize(self.conn, f"records:{self.meta.id}")  # writers of the module take turns
        lookup_ids: list[str] = []
        key_values: dict[str, list[str]] = {}
        wanted = set(self.check_names) | set(self.match_names)
        for item in items:
            if item is None:
                continue
            for name, value in item.values.items():
                kind = self.meta.types.get(name)
                if kind is None:
                    continue
                if kind.reference == "record" or name in wanted:
                    try:
                        converted = kind.convert(value)
                    except Invalid:
                        continue
                    if kind.reference == "record":
                        lookup_ids.append(converted)
                    if name in wanted and (norm := item_rules.normalized_key(converted)) is not None:
                        key_values.setdefault(name, []).append(norm)
            lookup_ids.extend(subforms.sent_references(self.meta, item.values))
        if lookup_ids:
            self.targets = repo.find_any(self.conn, self.org_id, lookup_ids)
        keyed = set(self.meta.key_fields)
        for name, values in key_values.items():
            self.existing[name] = repo.find_by_keys(self.conn, self.meta.id, name, values, indexed=name in keyed)

    # checks -----------------------------------------------------------------------------------
    def exists(self, reference: str, value: Any) -> bool:
        if reference == "user":
            return value in self.who.users
        if reference == "layout":
            return bool(value == self.meta.layout.id)
        target = self.targets.get(value) or self.written.get(value)
        if target is None:
            return False
        return reference == "record:*" or target.module_id in reference.removeprefix("record:").split(",")

    def holders(self, name: str, norm: str, exclude: str | None) -> list[tuple[str, str]]:
        """(record id, owner id) of live records holding ``name = norm``, oldest first."""
        found = [
            (m.record_id, m.owner_id)
            for m in self.existing.get(name, {}).get(norm, [])
            if m.record_id != exclude and m.record_id not in self.written
        ]
        current = self.index.get(name, {}).get(norm)
        if current is not None and current != exclude:
            found.append((current, self.written[current].owner_id))
        return found

    def taken_for(self, exclude: str | None):  # type: ignore[no-untyped-def]
        def taken(name: str, value: Any) -> dict[str, Any] | None:
            norm = item_rules.normalized_key(value)
            hits = self.holders(name, norm, exclude) if norm is not None else []
            if not hits:
                return None
            record_id, owner_id = hits[0]
            owner = self.who.users.get(owner_id) or {}
            return {
                "duplicate_record": {
                    "Owner": {"name": owner.get("full_name"), "id": owner_id, "zuid": owner.get("zuid")},
                    "module": {"api_name": self.meta.api_name, "id": self.meta.id},
                    "id": record_id,
                },
                "more_records": len(hits) > 1,
            }

        return taken

    # writes -----------------------------------------------------------------------------------
    def _remember(self, row: RecordRow) -> None:
        for name, value in self.keys_of.get(row.id, {}).items():  # what its previous version held
            if self.index.get(name, {}).get(value) == row.id:
                del self.index[name][value]
        self.written[row.id] = row
        self.keys_of[row.id] = keys = item_rules.key_values(self.meta, row.data, self.remembered)
        for name, value in keys.items():
            self.index.setdefault(name, {})[value] = row.id

    def create(self, spec: Spec, item: Incoming, path: str, record_id: str) -> RecordRow:
        clean = spec.check(item.values, path, taken=self.taken_for(None), exists=self.exists)
        owner = clean.pop("Owner", None) or self.who.user_id
        clean.pop("Layout", None)
        data = {**self.meta.defaults, **{k: v for k, v in clean.items() if v is not None}}
        data["Layout"] = self.meta.layout.id
        self._write_rows(data, clean, {}, path)
        file_fields.write_all(self.meta.types, data, clean, {}, path, self._entry_write())
        item_rules.derive(self.meta, data)
        service = self._service(data)
        item_rules.schedule(self.meta, data, clean, service if "Service_Name" in clean else None)
        item_rules.check_appointment_owner(self.meta, data, owner, service, path)
        self._resolve_tags(data, path)
        row = RecordRow(
            record_id,
            self.meta.id,
            owner,
            self.who.user_id,
            self.who.user_id,
            self.now_ms,
            self.now_ms,
            None,
            None,
            data,
        )
        self.fresh.add(record_id)
        self._remember(row)
        return row

    def update(
        self, spec: Spec, item: Incoming, path: str, stored: RecordRow, server_values: Mapping[str, Any] | None = None
    ) -> RecordRow:
        """``server_values``: fields the server itself sets on this write (read-only to clients,
        e.g. ``Unsubscribed_Time``), in wire form; fields the module lacks are skipped."""
        clean = spec.check(
            item.values, path, partial=True, taken=self.taken_for(stored.id), exists=self.exists, context=stored.data
        )
        owner = clean.pop("Owner", None) or stored.owner_id
        clean.pop("Layout", None)
        for name, value in (server_values or {}).items():
            if name in self.meta.types:
                clean[name] = self.meta.types[name].convert(value)
        if stored.id not in self.fresh:
            self.before.setdefault(stored.id, stored)
        data = item_rules.merge_update(stored.data, clean, item.append)
        data["Layout"] = stored.data.get("Layout") or self.meta.layout.id
        self._write_rows(data, clean, stored.data, path)
        file_fields.write_all(self.meta.types, data, clean, stored.data, path, self._entry_write())
        item_rules.derive(self.meta, data)
        service = self._service(data) if "Service_Name" in clean or owner != stored.owner_id else None
        item_rules.schedule(self.meta, data, clean, service if "Service_Name" in clean else None)
        item_rules.check_appointment_owner(self.meta, data, owner, service, path)
        if tagging.FIELD in clean:
            self._resolve_tags(data, path)
        row = replace(stored, owner_id=owner, modified_by=self.who.user_id, modified_ms=self.now_ms, data=data)
        self._remember(row)
        return row

    def _write_rows(self, data: dict[str, Any], clean: Mapping[str, Any], stored: Mapping[str, Any], path: str) -> None:
        """Subform rows (subforms.py) and the line-item amounts (line_items.py), in ``data``."""
        if not self.meta.subforms:
            return
        allocate = lambda n: ids.allocate(self.conn, self.org_id, n)  # noqa: E731
        how = subforms.RowWrite(self.who.user_id, self.now_ms, allocate, self.exists)
        subforms.write_all(self.meta, data, clean, stored, path, how)
        line_items.compute(self.meta, data, self._record_data, path)

    def _record_data(self, record_id: str) -> dict[str, Any] | None:
        target = self.targets.get(record_id) or self.written.get(record_id)
        return target.data if target is not None else None

    def _entry_write(self) -> file_fields.EntryWrite:
        return file_fields.EntryWrite(self.conn, self.org_id, self.who.user_id, self.now_ms)

    def _resolve_tags(self, data: dict[str, Any], path: str) -> None:
        """``Tag`` names -> the module's tags, created when new (tagging.py); last of an item's
        checks, so a refused item creates none."""
        if data.get(tagging.FIELD):
            names = [tag["name"] for tag in data[tagging.FIELD]]
            found = tagging.resolve(self.conn, self.org_id, self.who, self.meta, names, self.now_ms, f"{path}.Tag")
            data[tagging.FIELD] = tagging.stored(found)

    def _service(self, data: Mapping[str, Any]) -> dict[str, Any] | None:
        """The data of the service record an appointment names (prefetched when the write names it,
        else read), None for other modules."""
        named = data.get("Service_Name") if self.meta.api_name == item_rules.APPOINTMENTS else None
        if not isinstance(named, str):
            return None
        target = self.targets.get(named) or self.written.get(named)
        if target is None:
            target = repo.find_any(self.conn, self.org_id, [named]).get(named)
        return target.data if target is not None else None

    def current(self, record_id: str) -> RecordRow | None:
        """A live record as this batch sees it (its own writes included)."""
        if record_id in self.written:
            return self.written[record_id]
        if record_id not in self.loaded:
            found = repo.get_records(self.conn, self.meta.id, [record_id])
            if record_id not in found:
                return None
            self.loaded[record_id] = found[record_id]
        return self.loaded[record_id]

    def flush(self) -> dict[str, RecordRow]:
        """Write every record of this batch; returns the final rows by id (autonumbers filled)."""
        new_rows = [row for rid, row in self.written.items() if rid in self.fresh]
        new_rows = self._number(new_rows)
        changed = [row for rid, row in self.written.items() if rid not in self.fresh]
        repo.insert_records(self.conn, self.org_id, new_rows)
        repo.update_records(self.conn, changed)
        names = self.meta.key_fields
        if new_rows:
            if self.meta.autonumber_fields():  # numbered just now: their keys may have changed
                keys = {r.id: item_rules.key_values(self.meta, r.data, names) for r in new_rows}
            else:
                keys = {r.id: {n: v for n, v in self.keys_of[r.id].items() if n in names} for r in new_rows}
            repo.replace_keys(self.conn, self.meta.id, keys, fresh=True)
        if changed:
            repo.replace_keys(
                self.conn,
                self.meta.id,
                {r.id: item_rules.key_values(self.meta, r.data, names) for r in changed},
            )
        # The search index's words (words.py), in the same transaction.
        indexed = word_index.word_indexed_fields(self.meta.by_name)
        repo.index_rows(self.conn, self.meta.id, indexed, new_rows, fresh=True)
        repo.index_rows(self.conn, self.meta.id, indexed, changed, fresh=False)
        final = {row.id: row for row in (*new_rows, *changed)}
        self.written.update(final)
        return final

    def _number(self, new_rows: list[RecordRow]) -> list[RecordRow]:
        """Give new records their autonumber values (server-set, in creation order)."""
        for field_meta in self.meta.autonumber_fields():
            if not new_rows:
                break
            settings = field_meta.get("auto_number") or {}
            start = int(settings.get("start_number") or 1)
            numbers = repo.next_autonumbers(self.conn, self.org_id, field_meta["id"], start, len(new_rows))
            prefix, suffix = settings.get("prefix") or "", settings.get("suffix") or ""
            new_rows = [
                replace(row, data={**row.data, field_meta["api_name"]: f"{prefix}{number}{suffix}"})
                for row, number in zip(new_rows, numbers, strict=True)
            ]
        return new_rows


def _stored_form(row: RecordRow) -> dict[str, Any]:
    return {**row.data, "Owner": row.owner_id}


def _emit(work: WriteBatch, operation: str, cause: Cause, rows: Sequence[RecordRow]) -> None:
    """The call's one record event, when it wrote anything: each record once, in input order."""
    changes: dict[str, RecordChange] = {}
    for row in rows:
        if row.id in changes:
            continue
        if row.id in work.fresh:
            changes[row.id] = RecordChange(row.id, "insert", {}, _stored_form(row))
        else:
            changes[row.id] = RecordChange(row.id, "update", _stored_form(work.before[row.id]), _stored_form(row))
    if changes:
        event = RecordEvent(
            work.org_id, work.meta.api_name, work.meta.id, operation, tuple(changes.values()), work.who.user_id, cause
        )
        outbox.put(work.conn, event)


def _split_all(
    meta: ModuleMeta, items: Sequence[Any], operation: str
) -> tuple[list[Incoming | None], dict[int, ZohoError]]:
    split: list[Incoming | None] = []
    errors: dict[int, ZohoError] = {}
    for index, item in enumerate(items):
        try:
            split.append(item_rules.split_item(meta, item, operation, f"$.data[{index}]"))
        except ZohoError as error:
            split.append(None)
            errors[index] = error
    return split, errors


def _finish(
    work: WriteBatch,
    results: list[Any],
    pending: dict[int, tuple[str, str, dict[str, Any]]],
    operation: str,
    cause: Cause,
) -> list[Any]:
    """Flush the batch, put its record event in the transaction's outbox, and turn each pending
    success (index -> id, message, extra keys) into a ``SUCCESS`` item with the record's final stamps."""
    final = work.flush()
    _emit(work, operation, cause, [final[record_id] for record_id, _, _ in (pending[i] for i in sorted(pending))])
    reader = work.who.reader()
    for index, (record_id, message, extra) in pending.items():
        results[index] = {**batch.success(message, write_details(final[record_id], reader)), **extra}
        if extra:  # upsert: Zoho puts duplicate_field and action before details
            item = results[index]
            results[index] = {
                "code": item["code"],
                "duplicate_field": item["duplicate_field"],
                "action": item["action"],
                "details": item["details"],
                "message": item["message"],
                "status": item["status"],
            }
    return results


# --- insert ---------------------------------------------------------------------------------------


def insert_in(
    conn: Connection,
    org_id: str,
    who: Caller,
    meta: ModuleMeta,
    items: Sequence[Any],
    *,
    now_ms: int,
    duplicate_check_fields: tuple[str, ...] = (),
    cause: Cause = NO_CAUSE,
) -> list[batch.Item]:
    """POST /{module}: every item validated and inserted, or its error, in input order."""
    work = WriteBatch(conn, org_id, who, meta, now_ms, frozenset(duplicate_check_fields) | set(meta.unique_fields))
    split, errors = _split_all(meta, items, "create")
    work.prefetch(split)
    spec = work.spec("create")
    new_ids = ids.allocate(conn, org_id, len(items)) if items else []
    results: list[Any] = [None] * len(items)
    pending: dict[int, tuple[str, str, dict[str, Any]]] = {}
    for index, item in enumerate(split):
        try:
            if item is None:
                raise errors[index]
            row = work.create(spec, item, f"$.data[{index}]", new_ids[index])
            pending[index] = (row.id, ADD, {})
        except ZohoError as error:
            results[index] = batch.failure(error)
    return _finish(work, results, pending, "create", cause)


# --- update ---------------------------------------------------------------------------------------


def _record_id(item: Incoming, path: str, path_id: str | None) -> str:
    if path_id is not None:
        return path_id
    if item.record_id is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": f"{path}.id"})
    return ids.require_id(item.record_id, {"api_name": "id", "json_path": f"{path}.id"}, Message.UNKNOWN_ID)


def already_modified(row: RecordRow, since_ms: int | None) -> bool:
    """If-Unmodified-Since: the record changed after that moment (compared in whole seconds)."""
    return since_ms is not None and row.modified_ms // 1000 > since_ms // 1000


def _already_modified_error(row: RecordRow, reader: Reader) -> ZohoError:
    details = write_details(row, reader)
    details.pop("$approval_state")
    return ZohoError("ALREADY_MODIFIED", details)


def update_in(
    conn: Connection,
    org_id: str,
    who: Caller,
    meta: ModuleMeta,
    items: Sequence[Any],
    *,
    now_ms: int,
    path_id: str | None = None,
    unmodified_since_ms: int | None = None,
    server_values: Mapping[str, Any] | None = None,
    cause: Cause = NO_CAUSE,
) -> list[batch.Item]:
    """PUT /{module} (``id`` in each item) and PUT /{module}/{id}: partial updates. Code that acts
    for the server (the hosted unsubscribe page) adds ``server_values``, see ``WriteBatch.update``."""
    work = WriteBatch(conn, org_id, who, meta, now_ms, frozenset(meta.unique_fields))
    split, errors = _split_all(meta, items, "update")
    work.prefetch(split)
    spec = work.spec("update")
    results: list[Any] = [None] * len(items)
    pending: dict[int, tuple[str, str, dict[str, Any]]] = {}
    reader = who.reader()
    locked = record_locking.update_refusals(conn, meta.id, who.profile.get("id"), split, path_id)
    for index, item in enumerate(split):
        path = f"$.data[{index}]"
        try:
            if item is None:
                raise errors[index]
            record_id = _record_id(item, path, path_id)
            stored = work.current(record_id)
            if stored is None:
                raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{path}.id"}, Message.UNKNOWN_ID)
            if already_modified(stored, unmodified_since_ms):
                raise _already_modified_error(stored, reader)
            if stored.id in locked:
                raise locked[stored.id]
            row = work.update(spec, item, path, stored, server_values)
            pending[index] = (row.id, UPDATED, {})
        except ZohoError as error:
            results[index] = batch.failure(error)
    return _finish(work, results, pending, "update", cause)


# --- upsert ---------------------------------------------------------------------------------------


def upsert_in(
    conn: Connection,
    org_id: str,
    who: Caller,
    meta: ModuleMeta,
    items: Sequence[Any],
    *,
    now_ms: int,
    duplicate_check_fields: tuple[str, ...] = (),
    unmodified_since_ms: int | None = None,
    cause: Cause = NO_CAUSE,
) -> list[batch.Item]:
    """POST /{module}/upsert (REFERENCE §4.7): an item's ``id`` naming a live record of the module
    wins; else the first of the duplicate-check fields (given, or the module's defaults) and then
    the unique fields whose value matches a live record picks the record to update; else insert."""
    unique = meta.unique_fields
    matching = tuple(dict.fromkeys((*(duplicate_check_fields or meta.upsert_defaults()), *unique)))
    work = WriteBatch(conn, org_id, who, meta, now_ms, frozenset(unique), matching)
    creates, create_errors = _split_all(meta, items, "create")
    updates, update_errors = _split_all(meta, items, "update")
    work.prefetch(creates)
    create_spec, update_spec = work.spec("create"), work.spec("update")
    new_ids = ids.allocate(conn, org_id, len(items)) if items else []
    results: list[Any] = [None] * len(items)
    pending: dict[int, tuple[str, str, dict[str, Any]]] = {}
    reader = who.reader()
    for index in range(len(items)):
        path = f"$.data[{index}]"
        try:
            create_item, update_item = creates[index], updates[index]
            if create_item is None or update_item is None:
                raise create_errors.get(index) or update_errors[index]
            target, matched_by = _upsert_target(work, create_item, matching)
            if target is None:
                row = work.create(create_spec, create_item, path, new_ids[index])
                extra = {"duplicate_field": matching[0] if matching else None, "action": "insert"}
                pending[index] = (row.id, ADD, extra)
                continue
            if already_modified(target, unmodified_since_ms):
                raise _already_modified_error(target, reader)
            row = work.update(update_spec, update_item, path, target)
            pending[index] = (row.id, UPDATED, {"duplicate_field": matched_by, "action": "update"})
        except ZohoError as error:
            results[index] = batch.failure(error)
    return _finish(work, results, pending, "upsert", cause)


def _upsert_target(work: WriteBatch, item: Incoming, matching: tuple[str, ...]) -> tuple[RecordRow | None, str | None]:
    record_id = ids.normalize_id(item.record_id)
    if record_id is not None and (row := work.current(record_id)) is not None:
        return row, "id"
    for name in matching:
        kind = work.meta.types.get(name)
        if kind is None or item.values.get(name) is None:
            continue
        try:
            norm = item_rules.normalized_key(kind.convert(item.values[name]))
        except Invalid:
            continue
        if norm is None:
            continue
        hits = work.holders(name, norm, None)
        if hits and (row := work.current(hits[0][0])) is not None:
            return row, name
    return None, None


# --- delete ---------------------------------------------------------------------------------------


def delete_in(
    conn: Connection,
    org_id: str,
    who: Caller,
    meta: ModuleMeta,
    record_ids: Sequence[str],
    *,
    now_ms: int,
    cause: Cause = NO_CAUSE,
) -> list[batch.Item]:
    """DELETE /{module}?ids=…: live records go to the recycle bin; others are Message.RECORD_NOT_DELETED."""
    found = repo.get_records(conn, meta.id, record_ids)
    locked = record_locking.refusals(conn, meta.id, who.profile.get("id"), "delete", dict.fromkeys(found, ()))
    found = {rid: row for rid, row in found.items() if rid not in locked}
    repo.move_to_recycle_bin(conn, meta.id, list(found), who.user_id, now_ms)
    _emit_plain(conn, org_id, who, meta, "delete", [rid for rid in dict.fromkeys(record_ids) if rid in found], cause)
    return [
        batch.success(DELETED, {"id": record_id})
        if record_id in found
        else batch.failure(
            locked.get(record_id) or ZohoError("INVALID_DATA", {"id": record_id}, Message.RECORD_NOT_DELETED)
        )
        for record_id in record_ids
    ]


def restore_in(
    conn: Connection,
    org_id: str,
    who: Caller,
    meta: ModuleMeta,
    record_ids: Sequence[str],
    *,
    cause: Cause = NO_CAUSE,
) -> list[batch.Item]:
    """Records back from the recycle bin (recycle_bin.json "Restore"); an id naming no recycled
    record of the module is Message.RECORD_NOT_RESTORED."""
    binned = {
        rid: row for rid, row in repo.get_records(conn, meta.id, record_ids, live=False).items() if row.deleted_ms
    }
    repo.restore_from_recycle_bin(conn, meta.id, list(binned))
    _emit_plain(conn, org_id, who, meta, "restore", [rid for rid in dict.fromkeys(record_ids) if rid in binned], cause)
    return [
        batch.success(RESTORED, {"id": record_id})
        if record_id in binned
        else batch.failure(ZohoError("INVALID_DATA", {"id": record_id}, Message.RECORD_NOT_RESTORED))
        for record_id in record_ids
    ]


def _emit_plain(
    conn: Connection, org_id: str, who: Caller, meta: ModuleMeta, operation: str, ids: Sequence[str], cause: Cause
) -> None:
    """The event of a write that changes no field (delete, restore)."""
    if ids:
        changes = tuple(RecordChange(rid, operation) for rid in ids)
        outbox.put(conn, RecordEvent(org_id, meta.api_name, meta.id, operation, changes, who.user_id, cause))
