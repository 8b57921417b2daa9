"""SQL of record photos (``record_photos``; the bytes through store/blobs.py)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from zcrm_emulator.resources.record_photo.rules import Photo
from zcrm_emulator.store import uniques
from zcrm_emulator.store.schema import record_photos


def get(conn: Connection, record_id: str) -> Photo | None:
    row = conn.execute(select(record_photos).where(record_photos.c.record_id == record_id)).first()
    return Photo(row.digest, row.content_type, row.file_name, row.modified_ms) if row is not None else None


def put(conn: Connection, org_id: str, record_id: str, photo: Photo) -> None:
    """The record's photo, replacing the one it had (one upsert, so two uploads at once both land)."""
    values = {
        "digest": photo.digest,
        "content_type": photo.content_type,
        "file_name": photo.file_name,
        "modified_ms": photo.modified_ms,
    }
    statement = uniques.insert(conn, record_photos).values(record_id=record_id, org_id=org_id, **values)
    conn.execute(statement.on_conflict_do_update(index_elements=[record_photos.c.record_id], set_=values))


def remove(conn: Connection, record_id: str) -> None:
    conn.execute(delete(record_photos).where(record_photos.c.record_id == record_id))
