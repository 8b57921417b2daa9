"""Keeping uploaded files: each one's bytes and its row, under a new encrypted id."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection

from zcrm_emulator.resources.files import repo
from zcrm_emulator.resources.files.rules import StoredFile
from zcrm_emulator.store import blobs
from zcrm_emulator.store.engine import Store
from zcrm_emulator.uploads import Upload


def keep(store: Store, conn: Connection, org_id: str, upload: Upload, *, actor_id: str, now_ms: int) -> StoredFile:
    digest = blobs.put(store, conn, org_id, upload.data)
    item = StoredFile(secrets.token_hex(32), digest, upload.name, upload.content_type, len(upload.data))
    repo.add(conn, org_id, item, created_by=actor_id, created_ms=now_ms)
    return item


def find(conn: Connection, org_id: str, file_id: str) -> StoredFile | None:
    return repo.get(conn, org_id, file_id)


def content(store: Store, conn: Connection, org_id: str, item: StoredFile) -> bytes:
    return blobs.read(store, conn, org_id, item.digest)
