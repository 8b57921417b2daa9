"""The bytes of uploads (attachments, files, record photos, the org photo): one store for all.

A blob is the content of one upload, kept once per org and content, by its SHA-256 ``digest``; the
rows that use it (``attachments``, ``stored_files``, ``record_photos``, ``org_photos``) name the
digest. Where the bytes live:

* an SQLite database file: a write-once file ``<database file>-files/<org id>/<aa>/<digest>`` (0600),
  written and fsynced before the row that names it commits, so a restart never finds a row without
  its bytes; the ``blobs`` row (``data`` NULL) says the org holds it;
* PostgreSQL (and an in-memory SQLite): the ``data`` column of the ``blobs`` row, in the call's
  transaction like every other write.

``release`` drops a ``blobs`` row nothing of its org names any more. On PostgreSQL that removes the
bytes with it; beside an SQLite file the bytes stay on disk, because a snapshot restored later may
name the digest again, and a rolled-back call may have released it: a restore or a rollback never
finds a row without its bytes (docs/decisions.md). A file written by a call that then failed is left
too; it is named by its content, so the next upload of the same bytes uses it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from sqlalchemy import Connection, delete, exists, or_, select

from zcrm_emulator.store import locks, uniques
from zcrm_emulator.store.engine import Store
from zcrm_emulator.store.schema import (
    attachments,
    blobs,
    bulk_read_jobs,
    bulk_write_files,
    bulk_write_jobs,
    org_photos,
    record_photos,
    stored_files,
)


class MissingBlob(Exception):
    """The bytes a row names are gone (a file removed by hand beside the database)."""


def folder(store: Store) -> Path | None:
    """Where an SQLite database file keeps its blobs; None when they live in the database."""
    return Path(f"{store.path}-files") if store.path is not None else None


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file(root: Path, org_id: str, digest: str) -> Path:
    return root / org_id / digest[:2] / digest


def _write_once(path: Path, data: bytes) -> None:
    """The bytes at ``path``, durable before the caller's row commits; an existing file is the same
    content already (its name is its digest)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def put(store: Store, conn: Connection, org_id: str, data: bytes) -> str:
    """Keep ``data`` for the org (once per content); its digest, for the row that uses it."""
    digest = digest_of(data)
    _take_turns(conn, org_id, digest)
    root = folder(store)
    if root is not None:
        _write_once(_file(root, org_id, digest), data)
    values = {"org_id": org_id, "digest": digest, "size": len(data), "data": None if root is not None else data}
    statement = uniques.insert(conn, blobs).values(**values)
    conn.execute(statement.on_conflict_do_nothing(index_elements=[blobs.c.org_id, blobs.c.digest]))
    return digest


def _take_turns(conn: Connection, org_id: str, digest: str) -> None:
    """Keeping and releasing one blob take turns across workers (store/locks.py): a release that
    counted no users cannot drop the row an upload of the same bytes has just found."""
    locks.serialize(conn, f"blob:{org_id}:{digest}")


def read(store: Store, conn: Connection, org_id: str, digest: str) -> bytes:
    row = conn.execute(select(blobs.c.data).where(blobs.c.org_id == org_id, blobs.c.digest == digest)).first()
    if row is None:
        raise MissingBlob(digest)
    if row.data is not None:
        return bytes(row.data)
    root = folder(store)
    if root is None:
        raise MissingBlob(digest)
    try:
        return _file(root, org_id, digest).read_bytes()
    except FileNotFoundError as error:
        raise MissingBlob(digest) from error


def release(conn: Connection, org_id: str, digest: str) -> None:
    """Drop the org's blob row when no attachment, stored file, record photo or org photo names
    ``digest`` any more."""
    _take_turns(conn, org_id, digest)
    holders = (attachments, stored_files, record_photos, org_photos)
    bulk = (bulk_read_jobs, bulk_write_files, bulk_write_jobs)  # bulk read results, bulk write uploads and results
    users = [exists().where(table.c.org_id == org_id, table.c.digest == digest) for table in (*holders, *bulk)]
    still_used = conn.execute(select(or_(*users))).scalar()
    if not still_used:
        conn.execute(delete(blobs).where(blobs.c.org_id == org_id, blobs.c.digest == digest))
