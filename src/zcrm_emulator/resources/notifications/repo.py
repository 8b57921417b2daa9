"""SQL for watch channels (store/schema.py ``watch_channels``): one row per (user, channel, module),
its settings in ``data``. A row whose ``expiry_ms`` has passed is dead: no read here returns it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from zcrm_emulator.store.schema import watch_channels


@dataclass(frozen=True)
class Watch:
    """One live (channel, module) row of a user."""

    id: int
    user_id: str
    channel_id: str
    module_id: str
    expiry_ms: int
    data: dict[str, Any]


def _watch(row: Any) -> Watch:
    return Watch(row.id, row.user_id, row.channel_id, row.module_id, row.expiry_ms, row.data)


def _live(org_id: str, now_ms: int) -> Any:
    return (watch_channels.c.org_id == org_id) & (watch_channels.c.expiry_ms > now_ms)


def of_user(
    conn: Connection,
    org_id: str,
    user_id: str,
    now_ms: int,
    *,
    channel_ids: Sequence[str] | None = None,
    module_id: str | None = None,
) -> list[Watch]:
    """The user's live rows in the order they were first enabled, optionally of some channels or
    of one module."""
    query = select(watch_channels).where(_live(org_id, now_ms), watch_channels.c.user_id == user_id)
    if channel_ids is not None:
        query = query.where(watch_channels.c.channel_id.in_(list(channel_ids)))
    if module_id is not None:
        query = query.where(watch_channels.c.module_id == module_id)
    return [_watch(row) for row in conn.execute(query.order_by(watch_channels.c.id))]


# Asked after every record write: built once, so each run is a compiled-cache hit.
_ANY_WATCHING = (
    select(watch_channels.c.id)
    .where(
        watch_channels.c.module_id == bindparam("module_id"),
        watch_channels.c.expiry_ms > bindparam("now_ms"),
        watch_channels.c.org_id == bindparam("org_id"),
    )
    .limit(1)
)


def anyone_watching(conn: Connection, org_id: str, module_id: str, now_ms: int) -> bool:
    """Whether any live row watches the module (the cheap question before building callbacks)."""
    found = conn.execute(_ANY_WATCHING, {"org_id": org_id, "module_id": module_id, "now_ms": now_ms}).first()
    return found is not None


def watching(conn: Connection, org_id: str, module_id: str, now_ms: int) -> list[Watch]:
    """Every user's live rows on a module (a record write's callbacks), oldest first."""
    query = select(watch_channels).where(_live(org_id, now_ms), watch_channels.c.module_id == module_id)
    return [_watch(row) for row in conn.execute(query.order_by(watch_channels.c.id))]


def save(
    conn: Connection,
    org_id: str,
    user_id: str,
    channel_id: str,
    module_id: str,
    *,
    expiry_ms: int,
    data: dict[str, Any],
    now_ms: int,
) -> None:
    """Create or replace the (user, channel, module) row (a dead one is replaced like a live one).
    Two workers creating it at once: the loser breaks the unique key and its item runs again."""
    key = (
        (watch_channels.c.org_id == org_id)
        & (watch_channels.c.user_id == user_id)
        & (watch_channels.c.channel_id == channel_id)
        & (watch_channels.c.module_id == module_id)
    )
    values = {"expiry_ms": expiry_ms, "data": data, "modified_ms": now_ms}
    if conn.execute(update(watch_channels).where(key).values(**values)).rowcount:
        return
    conn.execute(
        insert(watch_channels).values(
            org_id=org_id, user_id=user_id, channel_id=channel_id, module_id=module_id, **values
        )
    )


def remove(conn: Connection, row_ids: Sequence[int]) -> None:
    if row_ids:
        conn.execute(delete(watch_channels).where(watch_channels.c.id.in_(list(row_ids))))


def remove_dead(conn: Connection, org_id: str, user_id: str, now_ms: int) -> None:
    """Drop the user's rows whose expiry has passed (a write call's housekeeping)."""
    conn.execute(
        delete(watch_channels).where(
            watch_channels.c.org_id == org_id,
            watch_channels.c.user_id == user_id,
            watch_channels.c.expiry_ms <= now_ms,
        )
    )
