"""The steps of attaching and removing: the row and its bytes together, on the call's connection."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection

from zcrm_emulator.resources.attachments import repo
from zcrm_emulator.resources.attachments.rules import Attachment
from zcrm_emulator.store import blobs
from zcrm_emulator.store.engine import Store
from zcrm_emulator.uploads import Upload


def new_file_id() -> str:
    """A ``$file_id``: opaque, unguessable, 64 hex digits like Zoho's encrypted file ids."""
    return secrets.token_hex(32)


def attach_file(
    store: Store,
    conn: Connection,
    org_id: str,
    *,
    attachment_id: str,
    module_id: str,
    record_id: str,
    actor_id: str,
    upload: Upload,
    now_ms: int,
) -> Attachment:
    digest = blobs.put(store, conn, org_id, upload.data)
    item = Attachment(
        id=attachment_id,
        module_id=module_id,
        record_id=record_id,
        file_id=new_file_id(),
        digest=digest,
        content_type=upload.content_type,
        link_url=None,
        file_name=upload.name,
        size=len(upload.data),
        owner_id=actor_id,
        created_by=actor_id,
        created_ms=now_ms,
        modified_by=actor_id,
        modified_ms=now_ms,
    )
    repo.add(conn, org_id, item)
    return item


def attach_link(
    conn: Connection,
    org_id: str,
    *,
    attachment_id: str,
    module_id: str,
    record_id: str,
    actor_id: str,
    url: str,
    name: str,
    now_ms: int,
) -> Attachment:
    item = Attachment(
        id=attachment_id,
        module_id=module_id,
        record_id=record_id,
        file_id=None,
        digest=None,
        content_type=None,
        link_url=url,
        file_name=name,
        size=0,
        owner_id=actor_id,
        created_by=actor_id,
        created_ms=now_ms,
        modified_by=actor_id,
        modified_ms=now_ms,
    )
    repo.add(conn, org_id, item)
    return item


def detach(conn: Connection, org_id: str, item: Attachment) -> None:
    repo.remove(conn, item.id)
    if item.digest is not None:
        blobs.release(conn, org_id, item.digest)


def content(store: Store, conn: Connection, org_id: str, item: Attachment) -> bytes:
    assert item.digest is not None
    return blobs.read(store, conn, org_id, item.digest)
