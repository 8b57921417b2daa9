"""SQL of record attachments (``attachments``; the bytes through store/blobs.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from zcrm_emulator.resources.attachments.rules import Attachment
from zcrm_emulator.store.schema import attachments


def _attachment(row: Any) -> Attachment:
    return Attachment(
        id=row.id,
        module_id=row.module_id,
        record_id=row.record_id,
        file_id=row.file_id,
        digest=row.digest,
        content_type=row.content_type,
        link_url=row.link_url,
        file_name=row.file_name,
        size=row.size,
        owner_id=row.owner_id,
        created_by=row.created_by,
        created_ms=row.created_ms,
        modified_by=row.modified_by,
        modified_ms=row.modified_ms,
    )


def add(conn: Connection, org_id: str, item: Attachment) -> None:
    conn.execute(
        insert(attachments).values(
            id=item.id,
            org_id=org_id,
            module_id=item.module_id,
            record_id=item.record_id,
            file_id=item.file_id,
            digest=item.digest,
            content_type=item.content_type,
            link_url=item.link_url,
            file_name=item.file_name,
            size=item.size,
            owner_id=item.owner_id,
            created_by=item.created_by,
            created_ms=item.created_ms,
            modified_by=item.modified_by,
            modified_ms=item.modified_ms,
        )
    )


def page(conn: Connection, record_id: str, *, ids: Sequence[str] = (), offset: int, limit: int) -> list[Attachment]:
    """The record's attachments, newest first (then by id), ``limit`` from ``offset``."""
    query = select(attachments).where(attachments.c.record_id == record_id)
    if ids:
        query = query.where(attachments.c.id.in_(list(ids)))
    query = query.order_by(attachments.c.created_ms.desc(), attachments.c.id.desc()).offset(offset).limit(limit)
    return [_attachment(row) for row in conn.execute(query)]


def find(conn: Connection, record_id: str, ids: Sequence[str]) -> dict[str, Attachment]:
    query = select(attachments).where(attachments.c.record_id == record_id, attachments.c.id.in_(list(ids)))
    return {row.id: _attachment(row) for row in conn.execute(query)}


def remove(conn: Connection, attachment_id: str) -> None:
    conn.execute(delete(attachments).where(attachments.c.id == attachment_id))
