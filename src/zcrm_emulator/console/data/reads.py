"""What the data browser shows, read in one transaction each: modules, fields, a page of records,
one record with the first records of each related list. Values are turned into text here
(``text_of``), so the templates only print."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import record_model
from zcrm_emulator.accounts import self_client
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.memo import Memo
from zcrm_emulator.record_model import ModuleMeta, PageQuery, Reader, RecordRow
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.related_records import service as related_service
from zcrm_emulator.resources.related_records.rules import ATTACHMENTS
from zcrm_emulator.resources.search import service as search_service

PER_PAGE = 20
RELATED_SHOWN = 10  # the first records of each related list on a record's page
LISTED_FIELDS = ("Owner", "Modified_Time")  # beside the display field, when the module has them


class NotFound(Exception):
    """No such module (with records) or record; the page says which."""


def text_of(value: Any) -> str:
    """A field's value as the API renders it, in words: a lookup or user by name, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return str(value.get("name") or value.get("display_value") or value.get("id") or "")
    if isinstance(value, list):
        return ", ".join(text for text in (text_of(v) for v in value) if text)
    return str(value)


@dataclass(frozen=True)
class ModuleLine:
    api_name: str
    plural_label: str
    generated_type: str
    browsable: bool  # serves records through the API


def modules(conn: Connection, org_id: str) -> list[ModuleLine]:
    lines = []
    for data in modules_repo.list_modules(conn, org_id):
        ref = modules_repo.find(conn, org_id, str(data["api_name"]))
        lines.append(
            ModuleLine(
                str(data["api_name"]),
                str(data.get("plural_label") or data["api_name"]),
                str(data.get("generated_type") or ""),
                record_model.serves_records(ref),
            )
        )
    return lines


def module(conn: Connection, org_id: str, api_name: str, now_ms: int, memo: Memo) -> ModuleMeta:
    try:
        return record_model.load_module(conn, org_id, api_name, now_ms, memo)
    except ZohoError:
        raise NotFound(f"There is no module {api_name} with records.") from None


def _reader(conn: Connection, org_id: str, meta: ModuleMeta, rows: list[RecordRow], memo: Memo) -> Reader:
    admin = self_client.resolve_user(conn, org_id, None)
    return record_model.caller(conn, org_id, admin, memo).reader(record_model.lookup_names(conn, org_id, meta, rows))


@dataclass(frozen=True)
class RecordLine:
    id: str
    name: str
    cells: list[str]  # the values of ``RecordsPage.columns``


@dataclass(frozen=True)
class RecordsPage:
    columns: list[str]  # field labels, after the display field's
    records: list[RecordLine]
    page: int
    more: bool
    total: int | None  # None for a search (not counted)


def _line(meta: ModuleMeta, row: RecordRow, names: list[str], reader: Reader) -> RecordLine:
    shown = record_model.listed_record(meta, row, [meta.display_field, *names], reader)
    return RecordLine(row.id, text_of(shown.get(meta.display_field)) or row.id, [text_of(shown.get(n)) for n in names])


def records(conn: Connection, org_id: str, meta: ModuleMeta, *, page: int, word: str | None, memo: Memo) -> RecordsPage:
    """A page of live records, newest change first; with ``word``, those the API's word search
    finds (its refusals, e.g. a too short word, are ZohoError)."""
    query = PageQuery("modified_ms", True, PER_PAGE + 1, (page - 1) * PER_PAGE)
    if word:
        prepared = search_service.prepare(conn, org_id, meta, {"word": word}, required=True)
        assert prepared is not None  # required: refused instead
        rows = search_service.search(conn, meta, prepared, query)
        total = None
    else:
        rows = record_model.list_records(conn, meta.id, query)
        total = record_model.count_records(conn, meta.id)
    more, rows = len(rows) > PER_PAGE, rows[:PER_PAGE]
    names = [name for name in LISTED_FIELDS if name in meta.by_name and name != meta.display_field]
    reader = _reader(conn, org_id, meta, rows, memo)
    labels = [str(meta.by_name[name].get("field_label") or name) for name in names]
    return RecordsPage(labels, [_line(meta, row, names, reader) for row in rows], page, more, total)


@dataclass(frozen=True)
class RelatedSection:
    label: str
    module: str  # the related records' module, for links
    records: list[RecordLine]
    more: bool


@dataclass(frozen=True)
class RecordView:
    id: str
    name: str
    values: list[tuple[str, str, str]]  # (label, api_name, text) of the fields that hold a value
    related: list[RelatedSection]


def record(conn: Connection, org_id: str, meta: ModuleMeta, raw_id: str, now_ms: int, memo: Memo) -> RecordView:
    record_id = normalize_id(raw_id)
    row = record_model.get_records(conn, meta.id, [record_id]).get(record_id) if record_id else None
    if row is None:
        raise NotFound(f"There is no live {meta.module.api_name} record with the id {raw_id}.")
    shown = record_model.full_record(meta, row, _reader(conn, org_id, meta, [row], memo))
    values = [
        (str(field.get("field_label") or field["api_name"]), field["api_name"], text_of(shown.get(field["api_name"])))
        for field in meta.fields
        if field["api_name"] != "id"  # the page heads the values with the id already
    ]
    name = text_of(shown.get(meta.display_field)) or row.id
    return RecordView(row.id, name, [v for v in values if v[2]], _related(conn, org_id, meta, row.id, now_ms, memo))


def _related(
    conn: Connection, org_id: str, meta: ModuleMeta, parent_id: str, now_ms: int, memo: Memo
) -> list[RelatedSection]:
    sections = []
    for entry in related_service.lists_of(conn, org_id, meta.module).entries:
        if entry.kind == ATTACHMENTS or (entry.lookup_field is None and entry.relation is None):
            continue  # attachments are files, not records of a module
        try:
            child = related_service.child_meta(conn, org_id, entry, now_ms, memo)
        except ZohoError:
            continue  # a list of a module that serves no records
        found = related_service.related_page(conn, org_id, entry, child, parent_id, page=1, per_page=RELATED_SHOWN)
        reader = record_model.caller(conn, org_id, self_client.resolve_user(conn, org_id, None), memo).reader(
            found.names
        )
        lines = [_line(child, row, [], reader) for row in found.rows]
        sections.append(RelatedSection(entry.display_label, child.module.api_name, lines, found.more))
    return sections
