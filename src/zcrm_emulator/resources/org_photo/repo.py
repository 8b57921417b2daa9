"""SQL of the org photo (``org_photos``; the bytes through store/blobs.py)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from zcrm_emulator.resources.org_photo.rules import Photo
from zcrm_emulator.store import uniques
from zcrm_emulator.store.schema import org_photos


def get(conn: Connection, org_id: str) -> Photo | None:
    row = conn.execute(select(org_photos).where(org_photos.c.org_id == org_id)).first()
    return Photo(row.digest, row.content_type, row.file_name, row.modified_ms) if row is not None else None


def put(conn: Connection, org_id: str, photo: Photo) -> None:
    """The org's photo, replacing the one it had (one upsert, so two uploads at once both land)."""
    values = {
        "digest": photo.digest,
        "content_type": photo.content_type,
        "file_name": photo.file_name,
        "modified_ms": photo.modified_ms,
    }
    statement = uniques.insert(conn, org_photos).values(org_id=org_id, **values)
    conn.execute(statement.on_conflict_do_update(index_elements=[org_photos.c.org_id], set_=values))


def remove(conn: Connection, org_id: str) -> None:
    conn.execute(delete(org_photos).where(org_photos.c.org_id == org_id))
