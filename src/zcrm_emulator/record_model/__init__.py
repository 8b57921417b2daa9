"""The record model: what every package that touches records uses, and the only way in.

Records of every module, standard and custom, live in one table and are checked against their
module's field metadata (REFERENCE §3-§4). Other packages import from here only, never from the
modules inside (a test pins that):

    load_module(conn, org_id, api_name, now_ms, memo) -> ModuleMeta   a module with its fields, layout, specs
    caller(conn, org_id, user_id, memo) -> Caller; check_access(who, meta, action)
    insert / update / upsert / delete / restore(conn, org_id, who, meta, …, cause=Cause(…))
        -> per-item results (writes.py); each call puts one RecordEvent in the outbox (events.py)
    insert_records(conn, …)                                     the same validation, for code (seeding)
    get_records, find_any, list_records, count_records, list_deleted   reads (repo.py); page_select,
        record_row, SORT_COLUMNS and the filters for other repos that read records (search)
    full_record, listed_record, write_details, deleted_entry, Reader   rendering (render.py)
    load_subform, subform_rows, listed_subform_row   a subform module's rows (GET /{subform}; subforms.py)
    tag_limits, tag_lookup, tag_stamp, tag_take_turns, resolve_tags   a record's ``Tag`` and its
        module's tags (tagging.py)
    file_entry(meta.types, data, attachment_id)   an entry of a record's file or image upload field
    paging (page_binding, check_token …, list_info: paging.py); words: the search index's words (word_index.py)

Inside: field_types (data types), meta (ModuleMeta, specs), items (item rules), access (the caller),
repo (SQL), word_index (the search index's words), render, paging, writes, service.
"""

from __future__ import annotations

from zcrm_emulator.record_model.access import ADMIN_ONLY_READS, Caller, caller, check_access
from zcrm_emulator.record_model.field_types import FIELD_TYPES, FieldType, compared_type, field_type
from zcrm_emulator.record_model.file_fields import find_entry as file_entry
from zcrm_emulator.record_model.items import check_duplicate_fields, normalized_key
from zcrm_emulator.record_model.limits import (
    DISCRETE_PAGINATION_LIMIT,
    MAX_PER_PAGE,
    PAGE_TOKEN_LIFETIME_MS,
    RECYCLE_BIN_RETENTION_MS,
    TOKEN_PAGINATION_LIMIT,
)
from zcrm_emulator.record_model.meta import RECORD_MODULE_TYPES, LayoutRef, ModuleMeta, serves_records
from zcrm_emulator.record_model.paging import binding as page_binding
from zcrm_emulator.record_model.paging import check_discrete, check_token, token_page_size
from zcrm_emulator.record_model.paging import info as list_info
from zcrm_emulator.record_model.render import (
    Reader,
    deleted_entry,
    full_record,
    listed_record,
    listed_subform_row,
    write_details,
)
from zcrm_emulator.record_model.repo import (
    SORT_COLUMNS,
    PageQuery,
    PageToken,
    RecordRow,
    converted,
    count_records,
    drop_expired_page_tokens,
    find_any,
    find_by_keys,
    forget_field,
    get_page_token,
    get_records,
    list_deleted,
    list_records,
    modified_after,
    page_select,
    people_stamp,
    record_row,
    save_page_token,
    update_records,
    with_ids,
)
from zcrm_emulator.record_model.service import (
    SubformPath,
    count_in,
    insert_records,
    keep_page_token,
    load_module,
    load_subform,
    lookup_names,
    subform_rows,
)
from zcrm_emulator.record_model.tagging import limits as tag_limits
from zcrm_emulator.record_model.tagging import module_tags as tag_lookup
from zcrm_emulator.record_model.tagging import resolve as resolve_tags
from zcrm_emulator.record_model.tagging import stamp as tag_stamp
from zcrm_emulator.record_model.tagging import take_turns as tag_take_turns
from zcrm_emulator.record_model.word_index import word_indexed_fields, words
from zcrm_emulator.record_model.writes import delete_in as delete
from zcrm_emulator.record_model.writes import insert_in as insert
from zcrm_emulator.record_model.writes import restore_in as restore
from zcrm_emulator.record_model.writes import update_in as update
from zcrm_emulator.record_model.writes import upsert_in as upsert

__all__ = [
    "ADMIN_ONLY_READS",
    "DISCRETE_PAGINATION_LIMIT",
    "FIELD_TYPES",
    "MAX_PER_PAGE",
    "PAGE_TOKEN_LIFETIME_MS",
    "RECORD_MODULE_TYPES",
    "RECYCLE_BIN_RETENTION_MS",
    "SORT_COLUMNS",
    "TOKEN_PAGINATION_LIMIT",
    "Caller",
    "FieldType",
    "LayoutRef",
    "ModuleMeta",
    "PageQuery",
    "PageToken",
    "Reader",
    "RecordRow",
    "SubformPath",
    "caller",
    "check_access",
    "check_discrete",
    "check_duplicate_fields",
    "check_token",
    "compared_type",
    "converted",
    "count_in",
    "count_records",
    "delete",
    "deleted_entry",
    "drop_expired_page_tokens",
    "field_type",
    "file_entry",
    "find_any",
    "find_by_keys",
    "forget_field",
    "full_record",
    "get_page_token",
    "get_records",
    "insert",
    "insert_records",
    "keep_page_token",
    "list_deleted",
    "list_info",
    "list_records",
    "listed_record",
    "listed_subform_row",
    "load_module",
    "load_subform",
    "lookup_names",
    "modified_after",
    "normalized_key",
    "page_binding",
    "page_select",
    "people_stamp",
    "record_row",
    "resolve_tags",
    "restore",
    "save_page_token",
    "serves_records",
    "subform_rows",
    "tag_limits",
    "tag_lookup",
    "tag_stamp",
    "tag_take_turns",
    "token_page_size",
    "update",
    "update_records",
    "upsert",
    "with_ids",
    "word_indexed_fields",
    "words",
    "write_details",
]
