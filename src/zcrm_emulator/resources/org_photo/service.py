"""Setting, reading and removing the org photo with its bytes; ``photo_id`` of ``GET /org`` follows
(a new id for each upload, null once deleted)."""

from __future__ import annotations

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.org_photo import repo
from zcrm_emulator.resources.org_photo.rules import Photo
from zcrm_emulator.store import blobs
from zcrm_emulator.store.engine import Store
from zcrm_emulator.uploads import Upload


def set_photo(store: Store, conn: Connection, org_id: str, upload: Upload, media_type: str, now_ms: int) -> None:
    before = repo.get(conn, org_id)
    digest = blobs.put(store, conn, org_id, upload.data)
    repo.put(conn, org_id, Photo(digest, media_type, upload.name or "photo", now_ms))
    if before is not None and before.digest != digest:
        blobs.release(conn, org_id, before.digest)
    org_repo.update_data(conn, org_id, {"photo_id": ids.allocate(conn, org_id)[0]}, now_ms)


def photo(store: Store, conn: Connection, org_id: str) -> tuple[Photo, bytes] | None:
    found = repo.get(conn, org_id)
    if found is None:
        return None
    return found, blobs.read(store, conn, org_id, found.digest)


def remove_photo(conn: Connection, org_id: str, now_ms: int) -> None:
    before = repo.get(conn, org_id)
    if before is not None:
        repo.remove(conn, org_id)
        blobs.release(conn, org_id, before.digest)
        org_repo.update_data(conn, org_id, {"photo_id": None}, now_ms)
