"""SQL of the file store (``stored_files``; the bytes through store/blobs.py)."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from zcrm_emulator.resources.files.rules import StoredFile
from zcrm_emulator.store.schema import stored_files


def add(conn: Connection, org_id: str, item: StoredFile, *, created_by: str, created_ms: int) -> None:
    conn.execute(
        insert(stored_files).values(
            id=item.id,
            org_id=org_id,
            digest=item.digest,
            name=item.name,
            content_type=item.content_type,
            size=item.size,
            created_by=created_by,
            created_ms=created_ms,
        )
    )


def get(conn: Connection, org_id: str, file_id: str) -> StoredFile | None:
    query = select(stored_files).where(stored_files.c.org_id == org_id, stored_files.c.id == file_id)
    row = conn.execute(query).first()
    return StoredFile(row.id, row.digest, row.name, row.content_type, row.size) if row is not None else None
