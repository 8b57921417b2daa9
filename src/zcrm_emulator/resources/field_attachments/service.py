"""Finding the file behind a record's file or image field entry, and its bytes."""

from __future__ import annotations

from sqlalchemy import Connection

from zcrm_emulator import record_model
from zcrm_emulator.resources.field_attachments import rules
from zcrm_emulator.resources.files import service as files_service
from zcrm_emulator.resources.files.rules import StoredFile
from zcrm_emulator.store.engine import Store


def download(
    store: Store, conn: Connection, org_id: str, meta: record_model.ModuleMeta, row: record_model.RecordRow, wanted: str
) -> tuple[StoredFile, bytes]:
    """The file an entry of one of the record's file or image fields shows, and its bytes."""
    entry = record_model.file_entry(meta.types, row.data, wanted)
    found = files_service.find(conn, org_id, entry["file_id"]) if entry is not None else None
    if found is None:
        raise rules.unknown_attachment()
    return found, files_service.content(store, conn, org_id, found)
