"""SQL for deliveries and their attempts (store/schema.py: ``deliveries``, ``delivery_attempts``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from zcrm_emulator.store.schema import deliveries, delivery_attempts

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@dataclass(frozen=True)
class Claimed:
    id: str
    method: str
    url: str
    headers: list[list[str]]
    body: str | None
    attempts: int
    max_attempts: int


def insert_delivery(conn: Connection, **values: Any) -> None:
    conn.execute(insert(deliveries).values(status=PENDING, attempts=0, lease_until_ms=None, **values))


def _due(wall_ms: int, now_ms: int) -> Any:
    return and_(
        deliveries.c.status == PENDING,
        deliveries.c.next_attempt_ms <= now_ms,
        or_(deliveries.c.lease_until_ms.is_(None), deliveries.c.lease_until_ms < wall_ms),
    )


def claim_due(conn: Connection, *, now_ms: int, wall_ms: int, lease_ms: int, limit: int) -> list[Claimed]:
    """Take up to ``limit`` due deliveries for ``lease_ms``: another worker (or this one, after a
    crash) may take them again only once the lease is over. On PostgreSQL rows another worker is
    claiming are skipped, not waited for."""
    query = select(deliveries.c.id).where(_due(wall_ms, now_ms)).order_by(deliveries.c.next_attempt_ms, deliveries.c.id)
    query = query.limit(limit)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = [row.id for row in conn.execute(query)]
    if not ids:
        return []
    conn.execute(update(deliveries).where(deliveries.c.id.in_(ids)).values(lease_until_ms=wall_ms + lease_ms))
    rows = conn.execute(
        select(
            deliveries.c.id,
            deliveries.c.method,
            deliveries.c.url,
            deliveries.c.headers,
            deliveries.c.body,
            deliveries.c.attempts,
            deliveries.c.max_attempts,
        )
        .where(deliveries.c.id.in_(ids))
        .order_by(deliveries.c.next_attempt_ms, deliveries.c.id)
    )
    return [Claimed(r.id, r.method, r.url, r.headers, r.body, r.attempts, r.max_attempts) for r in rows]


def record_attempt(conn: Connection, **values: Any) -> None:
    conn.execute(insert(delivery_attempts).values(**values))


def finish(
    conn: Connection, delivery_id: str, *, status: str, attempts: int, finished_ms: int, reason: str | None
) -> None:
    conn.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id)
        .values(status=status, attempts=attempts, finished_ms=finished_ms, failure_reason=reason, lease_until_ms=None)
    )


def retry_later(conn: Connection, delivery_id: str, *, attempts: int, next_attempt_ms: int, reason: str | None) -> None:
    conn.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id)
        .values(attempts=attempts, next_attempt_ms=next_attempt_ms, failure_reason=reason, lease_until_ms=None)
    )


def pending_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).where(deliveries.c.status == PENDING)).scalar_one())


def next_due_ms(conn: Connection) -> int | None:
    found: int | None = conn.execute(
        select(func.min(deliveries.c.next_attempt_ms)).where(deliveries.c.status == PENDING)
    ).scalar_one()
    return found


def list_deliveries(
    conn: Connection, org_id: str | None, *, source: str | None, status: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    query = select(deliveries).order_by(deliveries.c.created_ms.desc(), deliveries.c.id.desc())
    if org_id is not None:
        query = query.where(deliveries.c.org_id == org_id)
    if source is not None:
        query = query.where(deliveries.c.source == source)
    if status is not None:
        query = query.where(deliveries.c.status == status)
    return [dict(row._mapping) for row in conn.execute(query.limit(limit).offset(offset))]


def attempts_of(conn: Connection, delivery_ids: Sequence[str]) -> list[dict[str, Any]]:
    if not delivery_ids:
        return []
    query = (
        select(delivery_attempts)
        .where(delivery_attempts.c.delivery_id.in_(list(delivery_ids)))
        .order_by(delivery_attempts.c.delivery_id, delivery_attempts.c.number)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def get_delivery(conn: Connection, org_id: str, delivery_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(deliveries).where(deliveries.c.id == delivery_id, deliveries.c.org_id == org_id)
    ).one_or_none()
    return dict(row._mapping) if row is not None else None


def sources_of(conn: Connection, org_id: str) -> list[str]:
    """The sources the org's deliveries came from (webhook, watch, bulk_read_callback, …)."""
    query = select(deliveries.c.source).where(deliveries.c.org_id == org_id).distinct().order_by(deliveries.c.source)
    return [str(source) for source in conn.execute(query).scalars()]
