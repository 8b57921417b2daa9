"""Record operations as domain services, one transaction per call (REFERENCE §4).

The HTTP routes use them, and so can anything else that writes records in bulk (the ``seed``
command): ``insert_records(emulator, org_id, user_id, "Leads", items)`` validates every item
against the module's field metadata exactly as ``POST /{module}`` does and returns one result per
item, in input order (``batch.success``/``batch.failure`` objects; pass them through
``batch.strip_internal`` before putting them on the wire).

Within a call, lookups and duplicate checks are prefetched in a few set-based queries and the
writes go out as ``executemany`` batches, so a 100-record call costs a handful of statements.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, Connection

from zcrm_emulator import batch, ids
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.memo import Memo
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.layouts import repo as layouts_repo
from zcrm_emulator.resources.layouts import rules as layouts_rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.records import repo, rules, search_repo
from zcrm_emulator.resources.records.render import Reader, write_details
from zcrm_emulator.resources.records.repo import Match, RecordRow
from zcrm_emulator.resources.records.rules import Incoming, LayoutRef, ModuleMeta
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store import documents, locks
from zcrm_emulator.store.schema import profiles
from zcrm_emulator.validation import Invalid, Spec

ADD = "record added"
UPDATED = "record updated"
DELETED = "record deleted"
ID_MESSAGE = "the id given seems to be invalid"


# --- who is calling, which module -------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    user_id: str
    users: Mapping[str, dict[str, Any]]
    profile: dict[str, Any]

    @property
    def user(self) -> dict[str, Any]:
        return self.users.get(self.user_id) or {}

    @property
    def tz(self) -> str:
        return self.user.get("time_zone") or "UTC"

    @property
    def is_admin(self) -> bool:
        return (self.user.get("profile") or {}).get("name") == "Administrator"

    def reader(self, names: Mapping[str, str | None] | None = None) -> Reader:
        return Reader(self.tz, self.users, names or {})


def caller(conn: Connection, org_id: str, user_id: str, memo: Memo | None = None) -> Caller:
    """The calling user with the org's users (for rendering) and their profile (for permissions)."""
    stamp = repo.people_stamp(conn, org_id)

    def build() -> Caller:
        users = {u["id"]: u for u in users_repo.list_users(conn, org_id)}
        profile_id = ((users.get(user_id) or {}).get("profile") or {}).get("id")
        profile = documents.get_data(conn, profiles, org_id, profile_id) if profile_id else None
        return Caller(user_id, users, profile or {})

    return memo.get(("records.caller", org_id, user_id), stamp, build) if memo is not None else build()


def load_module(conn: Connection, org_id: str, api_name: str, now_ms: int, memo: Memo | None = None) -> ModuleMeta:
    """The module named in the path with its fields and layout, or INVALID_MODULE. The parsed
    metadata is kept in the memo until the module or one of its fields changes."""
    module = modules_repo.find(conn, org_id, api_name)
    if module is not None and module.api_name != api_name:
        module = None  # record paths name modules by api_name only
    module = rules.require_records_module(module)

    def build() -> ModuleMeta:
        fields = tuple(fields_repo.list_fields(conn, module.id))
        layout = layouts_repo.ensure_standard(
            conn, org_id, module.id, list(fields), layouts_rules.template(module.data), now_ms
        )
        return ModuleMeta(module, fields, LayoutRef(layout.id, layout.name), rules.display_field_of(module, fields))

    if memo is None:
        return build()
    return memo.get(("records.module", module.id), fields_repo.version(conn, module.id), build)


PERMISSION_ACTIONS = {"read": "View", "create": "Create", "update": "Edit", "delete": "Delete"}


def check_access(who: Caller, meta: ModuleMeta, action: str) -> None:
    """Admin-only reads (Notes: 403 NOT_SUPPORTED) and the profile's module permission, when the
    profile lists it and has it off (403 NO_PERMISSION)."""
    if action == "read" and meta.api_name in rules.ADMIN_ONLY_READS and not who.is_admin:
        raise ZohoError("NOT_SUPPORTED", {}, rules.ADMIN_ONLY_MESSAGE, status=403)
    if who.is_admin:
        return
    name = f"Crm_Implied_{PERMISSION_ACTIONS[action]}_{meta.api_name}"
    for permission in who.profile.get("permissions_details") or []:
        if permission.get("name") == name and not permission.get("enabled"):
            raise ZohoError("NO_PERMISSION", {"permissions": [name]})


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
                    if name in wanted and (norm := rules.normalized_key(converted)) is not None:
                        key_values.setdefault(name, []).append(norm)
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
            return value == self.meta.layout.id
        target = self.targets.get(value) or self.written.get(value)
        if target is None:
            return False
        return reference == "record:*" or target.module_id == reference.removeprefix("record:")

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
            norm = rules.normalized_key(value)
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
        self.keys_of[row.id] = keys = rules.key_values(self.meta, row.data, self.remembered)
        for name, value in keys.items():
            self.index.setdefault(name, {})[value] = row.id

    def create(self, spec: Spec, item: Incoming, path: str, record_id: str) -> RecordRow:
        clean = spec.check(item.values, path, taken=self.taken_for(None), exists=self.exists)
        owner = clean.pop("Owner", None) or self.who.user_id
        clean.pop("Layout", None)
        data = {k: v for k, v in clean.items() if v is not None}
        data["Layout"] = self.meta.layout.id
        rules.derive(self.meta, data)
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
        data = rules.merge_update(stored.data, clean, item.append)
        data["Layout"] = stored.data.get("Layout") or self.meta.layout.id
        rules.derive(self.meta, data)
        row = replace(stored, owner_id=owner, modified_by=self.who.user_id, modified_ms=self.now_ms, data=data)
        self._remember(row)
        return row

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
                keys = {r.id: rules.key_values(self.meta, r.data, names) for r in new_rows}
            else:
                keys = {r.id: {n: v for n, v in self.keys_of[r.id].items() if n in names} for r in new_rows}
            repo.replace_keys(self.conn, self.meta.id, keys, fresh=True)
        if changed:
            repo.replace_keys(
                self.conn,
                self.meta.id,
                {r.id: rules.key_values(self.meta, r.data, names) for r in changed},
            )
        # The search index's words (search_repo.py), in the same transaction.
        search_repo.index_rows(self.conn, self.meta.id, self.meta.by_name, new_rows, fresh=True)
        search_repo.index_rows(self.conn, self.meta.id, self.meta.by_name, changed, fresh=False)
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


def _split_all(
    meta: ModuleMeta, items: Sequence[Any], operation: str
) -> tuple[list[Incoming | None], dict[int, ZohoError]]:
    split: list[Incoming | None] = []
    errors: dict[int, ZohoError] = {}
    for index, item in enumerate(items):
        try:
            split.append(rules.split_item(meta, item, operation, f"$.data[{index}]"))
        except ZohoError as error:
            split.append(None)
            errors[index] = error
    return split, errors


def _finish(work: WriteBatch, results: list[Any], pending: dict[int, tuple[str, str, dict[str, Any]]]) -> list[Any]:
    """Flush the batch and turn each pending success (index -> id, message, extra keys) into a
    ``SUCCESS`` item with the record's final stamps."""
    final = work.flush()
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
    return _finish(work, results, pending)


def insert_records(
    emulator: Emulator,
    org_id: str,
    user_id: str,
    module_api_name: str,
    items: Sequence[Any],
    *,
    duplicate_check_fields: Sequence[str] | None = None,
    now_ms: int | None = None,
) -> list[batch.Item]:
    """Insert records as ``user_id`` in one transaction (no 100-item cap here: callers chunk).

    Raises ``ZohoError`` INVALID_MODULE for an unknown module, INVALID_DATA for bad
    ``duplicate_check_fields``; everything else is reported per item.
    """
    moment = emulator.clock.now_ms() if now_ms is None else now_ms
    with emulator.store.tx() as conn:
        meta = load_module(conn, org_id, module_api_name, moment, emulator.memo)
        who = caller(conn, org_id, user_id, emulator.memo)
        checks = rules.check_duplicate_fields(meta, list(duplicate_check_fields) if duplicate_check_fields else None)
        return insert_in(conn, org_id, who, meta, items, now_ms=moment, duplicate_check_fields=checks)


# --- update ---------------------------------------------------------------------------------------


def _record_id(item: Incoming, path: str, path_id: str | None) -> str:
    if path_id is not None:
        return path_id
    if item.record_id is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": f"{path}.id"})
    return ids.require_id(item.record_id, {"api_name": "id", "json_path": f"{path}.id"}, ID_MESSAGE)


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
    for index, item in enumerate(split):
        path = f"$.data[{index}]"
        try:
            if item is None:
                raise errors[index]
            record_id = _record_id(item, path, path_id)
            stored = work.current(record_id)
            if stored is None:
                raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{path}.id"}, ID_MESSAGE)
            if already_modified(stored, unmodified_since_ms):
                raise _already_modified_error(stored, reader)
            row = work.update(spec, item, path, stored, server_values)
            pending[index] = (row.id, UPDATED, {})
        except ZohoError as error:
            results[index] = batch.failure(error)
    return _finish(work, results, pending)


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
    return _finish(work, results, pending)


def _upsert_target(work: WriteBatch, item: Incoming, matching: tuple[str, ...]) -> tuple[RecordRow | None, str | None]:
    record_id = ids.normalize_id(item.record_id)
    if record_id is not None and (row := work.current(record_id)) is not None:
        return row, "id"
    for name in matching:
        kind = work.meta.types.get(name)
        if kind is None or item.values.get(name) is None:
            continue
        try:
            norm = rules.normalized_key(kind.convert(item.values[name]))
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
    conn: Connection, org_id: str, who: Caller, meta: ModuleMeta, record_ids: Sequence[str], *, now_ms: int
) -> list[batch.Item]:
    """DELETE /{module}?ids=…: live records go to the recycle bin; others are "record not deleted"."""
    found = repo.get_records(conn, meta.id, record_ids)
    repo.move_to_recycle_bin(conn, meta.id, list(found), who.user_id, now_ms)
    return [
        batch.success(DELETED, {"id": record_id})
        if record_id in found
        else batch.failure(ZohoError("INVALID_DATA", {"id": record_id}, "record not deleted"))
        for record_id in record_ids
    ]


# --- reads ----------------------------------------------------------------------------------------


def lookup_names(conn: Connection, org_id: str, meta: ModuleMeta, rows: Sequence[RecordRow]) -> dict[str, str | None]:
    """Display names of every lookup target the rows point at (one query, plus their modules)."""
    wanted = [
        value
        for row in rows
        for name, kind in meta.types.items()
        if kind.reference == "record" and isinstance(value := row.data.get(name), str)
    ]
    if not wanted:
        return {}
    targets = repo.find_any(conn, org_id, wanted)
    display: dict[str, str] = {}
    for module_id in {t.module_id for t in targets.values()}:
        module = modules_repo.find(conn, org_id, module_id)
        if module is not None:
            display[module_id] = (module.data.get("display_field") or {}).get("api_name") or "Name"
    return {rid: _as_name(t.data.get(display.get(t.module_id, "Name"))) for rid, t in targets.items()}


def _as_name(value: Any) -> str | None:
    return None if value is None else str(value)


def count_in(conn: Connection, meta: ModuleMeta, *where: ColumnElement[bool]) -> int:
    """GET /{module}/actions/count: live records matching ``where`` — the hook a compiled search
    filter (criteria, email, phone, word) plugs into."""
    return repo.count_records(conn, meta.id, *where)
