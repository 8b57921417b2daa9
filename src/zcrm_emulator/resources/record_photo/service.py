"""Setting, reading and removing a record's photo with its bytes."""

from __future__ import annotations

from sqlalchemy import Connection

from zcrm_emulator.resources.record_photo import repo
from zcrm_emulator.resources.record_photo.rules import Photo
from zcrm_emulator.store import blobs
from zcrm_emulator.store.engine import Store
from zcrm_emulator.uploads import Upload


def set_photo(
    store: Store, conn: Connection, org_id: str, record_id: str, upload: Upload, media_type: str, now_ms: int
) -> None:
    before = repo.get(conn, record_id)
    digest = blobs.put(store, conn, org_id, upload.data)
    repo.put(conn, org_id, record_id, Photo(digest, media_type, upload.name or "photo", now_ms))
    if before is not None and before.digest != digest:
        blobs.release(conn, org_id, before.digest)


def photo(store: Store, conn: Connection, org_id: str, record_id: str) -> tuple[Photo, bytes] | None:
    found = repo.get(conn, record_id)
    if found is None:
        return None
    return found, blobs.read(store, conn, org_id, found.digest)


def remove_photo(conn: Connection, org_id: str, record_id: str) -> None:
    before = repo.get(conn, record_id)
    if before is not None:
        repo.remove(conn, record_id)
        blobs.release(conn, org_id, before.digest)
