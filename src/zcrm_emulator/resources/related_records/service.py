"""The steps of the related-records operations, on the caller's connection: a module's related
lists, a parent's related records page, relating and delinking. Record writes (a child's lookup,
a note's deletion) go through the record model, so their record events are emitted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection

from zcrm_emulator import batch, record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.memo import Memo
from zcrm_emulator.record_model import PageQuery
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.resources.related_records import repo, rules
from zcrm_emulator.resources.related_records.rules import LINK, NOTES, ModuleInfo, RelatedList


def module_info(module: ModuleRef) -> ModuleInfo:
    return ModuleInfo(
        module.id,
        module.api_name,
        str(module.data.get("plural_label") or module.api_name),
        module.generated_type,
        record_model.serves_records(module),
    )


@dataclass(frozen=True)
class Lists:
    """A parent module's related lists, with the org's modules by api_name."""

    entries: list[RelatedList]
    modules: dict[str, ModuleInfo]


def lists_of(conn: Connection, org_id: str, parent: ModuleRef) -> Lists:
    infos = [module_info(m) for m in repo.org_modules(conn, org_id)]
    entries = rules.related_lists(module_info(parent), infos, repo.lookup_fields(conn, org_id), org_id)
    return Lists(entries, {m.api_name: m for m in infos})


# --- reads ----------------------------------------------------------------------------------------


def parent_record(conn: Connection, meta: record_model.ModuleMeta, raw_id: str) -> record_model.RecordRow:
    """The live parent record of the path, or INVALID_DATA (docs/decisions.md, related records)."""
    record_id = normalize_id(raw_id)
    row = record_model.get_records(conn, meta.id, [record_id]).get(record_id) if record_id else None
    if row is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 1}, Message.RELATED_ID_INVALID)
    return row


def deleted_parent(conn: Connection, meta: record_model.ModuleMeta, raw_id: str) -> record_model.RecordRow:
    """The parent of ``/{module}/deleted/{id}/{list}``: a record of the module in the recycle bin
    (a live one, or one never made, is INVALID_DATA: the docs' "not permanently deleted")."""
    record_id = normalize_id(raw_id)
    row = record_model.get_records(conn, meta.id, [record_id], live=False).get(record_id) if record_id else None
    if row is None or row.deleted_ms is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 2}, Message.RELATED_ID_INVALID)
    return row


def relation_filter(entry: RelatedList, parent_id: str) -> ColumnElement[bool]:
    if entry.kind == LINK:
        assert entry.relation is not None
        return repo.linked(entry.relation, entry.parent_side, parent_id)
    assert entry.lookup_field is not None
    return repo.looking_up(entry.lookup_field, parent_id)


@dataclass(frozen=True)
class Page:
    rows: list[record_model.RecordRow]
    more: bool
    links: dict[str, dict[str, Any]]
    names: dict[str, str | None]


def related_page(
    conn: Connection,
    org_id: str,
    entry: RelatedList,
    child: record_model.ModuleMeta,
    parent_id: str,
    *,
    page: int,
    per_page: int,
    where: Sequence[ColumnElement[bool]] = (),
    after_id: str | None = None,
) -> Page:
    """One page of the parent's related records (newest first), each link's values for a
    many-to-many list, and the display names of the rows' lookups. ``after_id``: the page after
    that record (a page token's position) instead of the page by number."""
    if after_id is None:
        query = PageQuery("id", True, per_page + 1, (page - 1) * per_page)
    else:
        query = PageQuery("id", True, per_page + 1, 0, None, after_id)
    rows = record_model.list_records(conn, child.id, query, relation_filter(entry, parent_id), *where)
    more = len(rows) > per_page
    rows = rows[:per_page]
    links: dict[str, dict[str, Any]] = {}
    if entry.kind == LINK and rows:
        assert entry.relation is not None
        links = repo.link_data(conn, entry.relation, entry.parent_side, parent_id, [r.id for r in rows])
    names = record_model.lookup_names(conn, org_id, child, rows) if rows else {}
    return Page(rows, more, links, names)


def shown(
    entry: RelatedList,
    child: record_model.ModuleMeta,
    row: record_model.RecordRow,
    names: list[str] | None,
    reader: record_model.Reader,
    link: dict[str, Any] | None,
) -> dict[str, Any]:
    """A related record as the list shows it: the requested fields plus ``id`` (every field
    without ``fields``), and the link's values that were asked for (all of them without ``fields``)."""
    record = (
        record_model.full_record(child, row, reader)
        if names is None
        else record_model.listed_record(child, row, names, reader)
    )
    for spec in entry.link_fields:
        if names is None or spec.name in names:
            record[spec.name] = (link or {}).get(spec.name)
    return record


# --- writes ---------------------------------------------------------------------------------------


def child_meta(conn: Connection, org_id: str, entry: RelatedList, now_ms: int, memo: Memo) -> record_model.ModuleMeta:
    return record_model.load_module(conn, org_id, entry.child, now_ms, memo)


def relate(
    conn: Connection,
    org_id: str,
    who: record_model.Caller,
    entry: RelatedList,
    child: record_model.ModuleMeta,
    parent_id: str,
    items: Sequence[Any],
    *,
    path_id: str | None,
    now_ms: int,
    cause: Cause,
) -> list[batch.Item]:
    """PUT: relate each item's record to the parent, one result per item in input order. A lookup
    list sets the child's lookup (one record-model update for the call); a many-to-many list stores
    the link and its values."""
    results: list[batch.Item | None] = [None] * len(items)
    wanted: dict[int, str] = {}
    values: dict[int, dict[str, Any]] = {}
    for index, item in enumerate(items):
        path = f"$.data[{index}]"
        try:
            child_id = rules.item_id(item, path, path_id)
            if entry.kind == LINK:
                values[index] = rules.link_values(entry, item, path)
            wanted[index] = child_id
        except ZohoError as error:
            results[index] = batch.failure(error)
    found = record_model.get_records(conn, child.id, list(dict.fromkeys(wanted.values())))
    for index, child_id in list(wanted.items()):
        if child_id not in found:
            results[index] = batch.failure(ZohoError("INVALID_DATA", {"id": child_id}, Message.RELATED_ID_INVALID))
            del wanted[index]
    if entry.kind == LINK:
        assert entry.relation is not None
        for index, child_id in wanted.items():
            a_id, b_id = (parent_id, child_id) if entry.parent_side == "a" else (child_id, parent_id)
            link = values[index]

            def write(
                a_id: str = a_id, b_id: str = b_id, link: dict[str, Any] = link, relation: str = entry.relation
            ) -> str:
                repo.save_link(conn, org_id, relation, a_id, b_id, link, now_ms)
                return b_id if entry.parent_side == "a" else a_id

            results[index] = batch.attempt(conn, rules.RELATION_ADDED, write)
    else:
        field = entry.lookup_field
        assert field is not None
        changing = [cid for cid in dict.fromkeys(wanted.values()) if found[cid].data.get(field) != parent_id]
        outcome: dict[str, batch.Item] = {}
        if changing:
            written = record_model.update(
                conn,
                org_id,
                who,
                child,
                [{"id": cid, field: parent_id} for cid in changing],
                now_ms=now_ms,
                cause=cause,
            )
            outcome = dict(zip(changing, written, strict=True))
        for index, child_id in wanted.items():
            result = outcome.get(child_id)
            ok = result is None or result["status"] == "success"
            results[index] = batch.success(rules.RELATION_ADDED, {"id": child_id}) if ok else result
    return [result for result in results if result is not None]


def delink(
    conn: Connection,
    org_id: str,
    who: record_model.Caller,
    entry: RelatedList,
    child: record_model.ModuleMeta,
    parent_id: str,
    child_ids: Sequence[str],
    *,
    now_ms: int,
    cause: Cause,
) -> list[batch.Item]:
    """DELETE: end each relation, one result per id. A lookup list clears the child's lookup, a
    many-to-many list removes the link, the Notes list deletes the parent's note (to the recycle
    bin). An id that is not related to the parent is INVALID_DATA."""
    results: list[batch.Item | None] = [None] * len(child_ids)
    if entry.kind == LINK:
        assert entry.relation is not None
        for index, child_id in enumerate(child_ids):
            a_id, b_id = (parent_id, child_id) if entry.parent_side == "a" else (child_id, parent_id)
            removed = repo.delete_link(conn, entry.relation, a_id, b_id)
            results[index] = (
                batch.success(rules.RELATION_REMOVED, {"id": child_id})
                if removed
                else batch.failure(ZohoError("INVALID_DATA", {"id": child_id}, Message.RELATED_ID_INVALID))
            )
        return [result for result in results if result is not None]
    field = entry.lookup_field
    assert field is not None
    found = record_model.get_records(conn, child.id, list(dict.fromkeys(child_ids)))
    related = [cid for cid in dict.fromkeys(child_ids) if cid in found and found[cid].data.get(field) == parent_id]
    outcome: dict[str, batch.Item] = {}
    if related and entry.kind == NOTES:
        outcome = dict(
            zip(
                related, record_model.delete(conn, org_id, who, child, related, now_ms=now_ms, cause=cause), strict=True
            )
        )
    elif related:
        written = record_model.update(
            conn, org_id, who, child, [{"id": cid, field: None} for cid in related], now_ms=now_ms, cause=cause
        )
        outcome = {
            cid: batch.success(rules.RELATION_REMOVED, {"id": cid}) if item["status"] == "success" else item
            for cid, item in zip(related, written, strict=True)
        }
    for index, child_id in enumerate(child_ids):
        result = outcome.get(child_id)
        results[index] = (
            result
            if result is not None
            else batch.failure(ZohoError("INVALID_DATA", {"id": child_id}, Message.RELATED_ID_INVALID))
        )
    return [result for result in results if result is not None]
