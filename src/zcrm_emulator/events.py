"""Record events: what every record write says once its transaction has committed.

Each record write call (create, update, upsert, delete, restore; later convert, merge, mass update,
bulk write) puts one ``RecordEvent`` in its transaction's outbox (store/outbox.py); when the
transaction commits, the emulator's ``EventBus`` hands it to every subscriber in the order the
writes happened. A rolled-back call emits nothing, nor does an item refused inside a savepoint.
Subscribers (workflow rules, notifications, webhooks, the request journal) register with
``Emulator.events.subscribe``; one that raises is logged and never fails the call or the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.store import outbox

log = logging.getLogger("zcrm_emulator.events")

OPERATIONS = ("create", "update", "upsert", "delete", "restore")


@dataclass(frozen=True)
class Cause:
    """Why a write happened, as the record call said it: its ``trigger`` list (None when the call
    gave none, so Zoho's default automation runs) and the request id (X-Request-Id)."""

    trigger: tuple[str, ...] | None = None
    request_id: str | None = None


NO_CAUSE = Cause()  # a write from code: no trigger list given, no request


@dataclass(frozen=True)
class RecordChange:
    """One record of a write: ``action`` is ``insert``, ``update``, ``delete`` or ``restore``;
    ``before`` and ``after`` are its stored forms (ids for lookups and users, UTC datetimes, ``Owner``
    as the owner's user id; empty for an insert's before and for deletes and restores), and
    ``fields`` maps each field whose value changed to ``(old, new)``: computed when first read, so a
    write with no subscriber pays nothing for it."""

    record_id: str
    action: str
    before: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    after: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def fields(self) -> dict[str, tuple[Any, Any]]:
        return diff(self.before, self.after)


@dataclass(frozen=True)
class RecordEvent:
    org_id: str
    module: str  # api_name
    module_id: str
    operation: str  # one of OPERATIONS: what the call was
    changes: tuple[RecordChange, ...]  # in input order
    actor: str  # the user id the write was made as
    cause: Cause
    # The org had no active workflow rule, no live watch channel and no scoring rule when the call
    # that made this write was admitted (admission.py): subscribers need not look any up.
    automation_idle: bool = False

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(change.record_id for change in self.changes)


Subscriber = Callable[[RecordEvent], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` with every event from now on; returns what unsubscribes it."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber)

    def publish(self, events: Iterable[object]) -> None:
        """Hand committed events to every subscriber, in order (the store's ``on_commit``)."""
        for event in events:
            if not isinstance(event, RecordEvent):
                continue
            for subscriber in list(self._subscribers):
                try:
                    subscriber(event)
                except Exception:  # a subscriber's failure is its own: log it, go on
                    log.exception("event subscriber %r failed on %s %s", subscriber, event.operation, event.module)


def mark_automation_idle(conn: Connection) -> None:
    """Mark the record events this transaction has put out so far as needing no automation lookup."""
    outbox.rewrite(conn, lambda item: replace(item, automation_idle=True) if isinstance(item, RecordEvent) else item)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value differs between two stored forms of a record: ``{name: (old, new)}``."""
    return {
        name: (before.get(name), after.get(name))
        for name in dict.fromkeys((*before, *after))
        if before.get(name) != after.get(name)
    }
