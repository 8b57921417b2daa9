"""SQL for webhooks (one row per webhook, its wire object in ``data``) and the reads of their
deliveries that the failure log and the usage report are built from (store/schema.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from zcrm_emulator.delivery.repo import FAILED
from zcrm_emulator.store.schema import deliveries, webhooks

SOURCE = "webhook"  # the deliveries' ``source`` for webhooks


@dataclass(frozen=True)
class Stored:
    id: str
    module_id: str
    modified_ms: int
    data: dict[str, Any]


def _stored(row: Any) -> Stored:
    return Stored(row.id, row.module_id, row.modified_ms, row.data)


_COLUMNS = (webhooks.c.id, webhooks.c.module_id, webhooks.c.modified_ms, webhooks.c.data)


def get(conn: Connection, org_id: str, webhook_id: str) -> Stored | None:
    row = conn.execute(select(*_COLUMNS).where(webhooks.c.org_id == org_id, webhooks.c.id == webhook_id)).first()
    return _stored(row) if row is not None else None


def list_all(conn: Connection, org_id: str, *, module_id: str | None, newest_first: bool) -> list[Stored]:
    """The org's webhooks (of one module when ``module_id``), by modification time."""
    query = select(*_COLUMNS).where(webhooks.c.org_id == org_id)
    if module_id is not None:
        query = query.where(webhooks.c.module_id == module_id)
    order = (webhooks.c.modified_ms, webhooks.c.id)
    query = query.order_by(*(column.desc() for column in order) if newest_first else order)
    return [_stored(row) for row in conn.execute(query)]


def module_ids(conn: Connection, org_id: str) -> list[str]:
    """The modules that have at least one webhook."""
    query = select(webhooks.c.module_id).where(webhooks.c.org_id == org_id).distinct()
    return [row.module_id for row in conn.execute(query)]


def insert_webhook(conn: Connection, org_id: str, module_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        insert(webhooks).values(id=data["id"], org_id=org_id, module_id=module_id, modified_ms=now_ms, data=data)
    )


def save(conn: Connection, webhook_id: str, data: dict[str, Any], now_ms: int) -> None:
    conn.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(modified_ms=now_ms, data=data))


def remove(conn: Connection, webhook_id: str) -> None:
    conn.execute(delete(webhooks).where(webhooks.c.id == webhook_id))


# --- deliveries (delivery/) -----------------------------------------------------------------------


def failed_deliveries(
    conn: Connection, org_id: str, *, start_ms: int, end_ms: int, webhook_id: str | None
) -> list[dict[str, Any]]:
    """Webhook deliveries that failed for good between ``start_ms`` and ``end_ms`` (their last
    attempt), newest first."""
    query = select(deliveries.c.id, deliveries.c.context, deliveries.c.finished_ms, deliveries.c.failure_reason).where(
        deliveries.c.org_id == org_id,
        deliveries.c.source == SOURCE,
        deliveries.c.status == FAILED,
        deliveries.c.finished_ms >= start_ms,
        deliveries.c.finished_ms < end_ms,
    )
    if webhook_id is not None:
        query = query.where(deliveries.c.source_id == webhook_id)
    query = query.order_by(deliveries.c.finished_ms.desc(), deliveries.c.id.desc())
    return [dict(row._mapping) for row in conn.execute(query)]


def fired(conn: Connection, org_id: str, *, start_ms: int, end_ms: int) -> list[dict[str, Any]]:
    """Every webhook delivery made between ``start_ms`` and ``end_ms``: when, which webhook."""
    query = select(deliveries.c.created_ms, deliveries.c.source_id, deliveries.c.context).where(
        deliveries.c.org_id == org_id,
        deliveries.c.source == SOURCE,
        deliveries.c.created_ms >= start_ms,
        deliveries.c.created_ms < end_ms,
    )
    return [dict(row._mapping) for row in conn.execute(query)]
