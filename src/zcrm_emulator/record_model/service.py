"""The record model's operations on a caller's connection (never a transaction of their own): the
module of a path with its metadata, the display names lookups render with, counts, and inserting
records from code (seeding, imports)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection

from zcrm_emulator import batch
from zcrm_emulator.memo import Memo
from zcrm_emulator.record_model import items as item_rules
from zcrm_emulator.record_model import meta as meta_rules
from zcrm_emulator.record_model import repo, subforms
from zcrm_emulator.record_model.access import Caller
from zcrm_emulator.record_model.limits import PAGE_TOKEN_LIFETIME_MS
from zcrm_emulator.record_model.meta import LayoutRef, ModuleMeta
from zcrm_emulator.record_model.render import LookupNames, Lookups
from zcrm_emulator.record_model.repo import RecordRow
from zcrm_emulator.record_model.tagging import module_tags
from zcrm_emulator.record_model.writes import insert_in
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.layouts import repo as layouts_repo
from zcrm_emulator.resources.layouts import rules as layouts_rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.modules.repo import ModuleRef


def load_module(
    conn: Connection, org_id: str, api_name: str, now_ms: int, memo: Memo | None = None, stamp: Hashable = None
) -> ModuleMeta:
    """The module named in the path (by api_name, in any case) with its fields and layout, or
    INVALID_MODULE. The parsed metadata is kept in the memo until the module or one of its fields
    changes; with the org's metadata ``stamp`` already read for this call (admission.py), the memo
    answers without reading anything."""
    if memo is not None and stamp is not None:
        return memo.get(
            ("records.module_by_name", org_id, api_name),
            stamp,
            lambda: load_module(conn, org_id, api_name, now_ms, memo),
        )
    module = meta_rules.require_records_module(modules_repo.find_by_name(conn, org_id, api_name))

    def build() -> ModuleMeta:
        fields = tuple(fields_repo.list_fields(conn, module.id))
        layout = layouts_repo.ensure_standard(
            conn, org_id, module.id, list(fields), layouts_rules.template(module.data), now_ms
        )
        return ModuleMeta(
            module, fields, LayoutRef(layout.id, layout.name), meta_rules.display_field_of(module, fields)
        )

    key = ("records.module", module.id)
    meta = build() if memo is None else memo.get(key, fields_repo.version(conn, module.id), build)
    _attach_subforms(conn, org_id, meta, memo)
    return meta


def _attach_subforms(conn: Connection, org_id: str, meta: ModuleMeta, memo: Memo | None) -> None:
    """Each subform field's module meta (its rows' fields: subforms.py), kept in the memo until
    that module's fields change; subform modules have no layout of their own."""
    for field in meta.fields:
        name = subforms.subform_module_name(field)
        sub = modules_repo.find_by_name(conn, org_id, name) if name else None
        if sub is None:
            continue

        def build(sub: ModuleRef = sub) -> ModuleMeta:
            fields = tuple(fields_repo.list_fields(conn, sub.id))
            return ModuleMeta(sub, fields, LayoutRef("", ""), meta_rules.display_field_of(sub, fields))

        key = ("records.subform", sub.id)
        meta.subforms[field["api_name"]] = (
            build() if memo is None else memo.get(key, fields_repo.version(conn, sub.id), build)
        )


@dataclass(frozen=True)
class SubformPath:
    """A subform module named in a record path (``GET /Quoted_Items``): its parent module's meta
    and the parent's field that holds the rows."""

    parent: ModuleMeta
    field: str

    @property
    def meta(self) -> ModuleMeta:
        return self.parent.subforms[self.field]


def load_subform(
    conn: Connection, org_id: str, api_name: str, now_ms: int, memo: Memo | None = None
) -> SubformPath | None:
    """The subform module a path names (any case), or None when it names none."""
    module = modules_repo.find_by_name(conn, org_id, api_name)
    if module is None or module.generated_type != subforms.SUBFORM or not module.api_supported:
        return None
    parent_name = (module.data.get("parent_module") or {}).get("api_name")
    if not isinstance(parent_name, str):
        return None
    parent = load_module(conn, org_id, parent_name, now_ms, memo)
    for field_name, sub in parent.subforms.items():
        if sub.id == module.id:
            return SubformPath(parent, field_name)
    return None


SCAN_PAGE = 1000  # parent records read per statement while gathering a subform's rows


def subform_rows(
    conn: Connection,
    path: SubformPath,
    *,
    descending: bool,
    limit: int,
    offset: int,
    modified_after_ms: int | None = None,
) -> tuple[list[tuple[RecordRow, dict[str, Any]]], bool]:
    """One page of the rows of every live parent record (rows changed after ``modified_after_ms``
    only, when given), by row id, each with its parent; and whether more follow. Rows live inside
    their parents (subforms.py), so the parents are read, those changed since then only."""
    found: list[tuple[RecordRow, dict[str, Any]]] = []
    page = repo.PageQuery(limit=SCAN_PAGE)
    since = () if modified_after_ms is None else (repo.modified_after(modified_after_ms),)
    while True:
        parents = repo.list_records(conn, path.parent.id, page, *since)
        for parent in parents:
            found.extend(
                (parent, row)
                for row in parent.data.get(path.field) or ()
                if isinstance(row, dict) and subforms.modified_after(row, modified_after_ms)
            )
        if len(parents) < SCAN_PAGE:
            break
        page = repo.PageQuery(limit=SCAN_PAGE, after_sort=0, after_id=parents[-1].id)
    found.sort(key=lambda pair: (len(str(pair[1].get("id"))), str(pair[1].get("id"))), reverse=descending)
    return found[offset : offset + limit], len(found) > offset + limit


def lookup_names(conn: Connection, org_id: str, meta: ModuleMeta, rows: Sequence[RecordRow]) -> Lookups:
    """What the rows point at: their lookup targets (``_target_names``) and, when a row carries
    tags, the module's tags."""
    tags = module_tags(conn, org_id, meta.id) if any(row.data.get("Tag") for row in rows) else {}
    return Lookups(_target_names(conn, org_id, meta, rows), tags)


def _target_names(conn: Connection, org_id: str, meta: ModuleMeta, rows: Sequence[RecordRow]) -> LookupNames:
    """Display names of every lookup target the rows point at (one query, plus their modules), with
    each target's module."""
    wanted = [
        value
        for row in rows
        for name, kind in meta.types.items()
        if kind.reference == "record" and isinstance(value := row.data.get(name), str)
    ]
    if meta.subforms:  # what the rows point at, and each row's parent (its Parent_Id)
        wanted += [ref for row in rows for ref in (row.id, *subforms.stored_references(meta, row.data))]
    if not wanted:
        return LookupNames()
    targets = repo.find_any(conn, org_id, wanted)
    display: dict[str, str] = {}
    module_names: dict[str, str] = {}
    for module_id in {t.module_id for t in targets.values()}:
        module = modules_repo.find(conn, org_id, module_id)
        if module is not None:
            display[module_id] = (module.data.get("display_field") or {}).get("api_name") or "Name"
            module_names[module_id] = module.api_name
    return LookupNames(
        {rid: _as_name(t.data.get(display.get(t.module_id, "Name"))) for rid, t in targets.items()},
        {
            rid: {"api_name": module_names[t.module_id], "id": t.module_id}
            for rid, t in targets.items()
            if t.module_id in module_names
        },
    )


def _as_name(value: Any) -> str | None:
    return None if value is None else str(value)


def count_in(conn: Connection, meta: ModuleMeta, *where: ColumnElement[bool]) -> int:
    """GET /{module}/actions/count: live records matching ``where`` — the hook a compiled search
    filter (criteria, email, phone, word) plugs into."""
    return repo.count_records(conn, meta.id, *where)


def insert_records(
    conn: Connection,
    org_id: str,
    who: Caller,
    meta: ModuleMeta,
    items: Sequence[Any],
    *,
    now_ms: int,
    duplicate_check_fields: Sequence[str] | None = None,
) -> list[batch.Item]:
    """Insert records from code, validated exactly as ``POST /{module}`` does (no 100-item cap:
    callers chunk). INVALID_DATA for bad ``duplicate_check_fields``; everything else per item."""
    checks = item_rules.check_duplicate_fields(meta, list(duplicate_check_fields) if duplicate_check_fields else None)
    return insert_in(conn, org_id, who, meta, items, now_ms=now_ms, duplicate_check_fields=checks)


SWEEP_EVERY_MS = 60_000


def keep_page_token(conn: Connection, token: repo.PageToken, now_ms: int, memo: Memo | None = None) -> None:
    """Save a list's next-page token, and forget the org's long-expired ones: at most once a minute
    per process when there is a memo (its stamp is the minute), since a sweep on every list call cost
    as much as the page read."""
    repo.save_page_token(conn, token)

    def sweep() -> None:
        repo.drop_expired_page_tokens(conn, token.org_id, now_ms, PAGE_TOKEN_LIFETIME_MS)

    if memo is None:
        sweep()
    else:
        memo.get(("records.page_token_sweep", token.org_id), now_ms // SWEEP_EVERY_MS, sweep)
