"""The watch callbacks: a record-event subscriber (events.py) that stores, for each live channel
watching the written module, the POST Zoho would send to its ``notify_url`` (AUTOMATION.md §5.2),
and hands them to the delivery engine (delivery/: one policy, every attempt logged).

It runs after the record call has committed, in transactions of its own: a quick read first (most
writes have no channel watching), then one write transaction that stores every callback the event
owes; the sending happens after that commits (``Deliveries.kick``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zcrm_emulator.delivery import Outbound
from zcrm_emulator.events import RecordEvent
from zcrm_emulator.resources.notifications import service
from zcrm_emulator.wire import render

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

SOURCE = "watch"
HEADERS = [("Content-Type", "application/json")]  # Zoho documents a JSON POST, not its headers (§9 #13)


class WatchCallbacks:
    """Subscribe an instance with ``emulator.events.subscribe``."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def __call__(self, event: RecordEvent) -> None:
        if event.automation_idle:
            return
        emulator = self.emulator
        now = emulator.clock.now_ms()
        with emulator.store.tx() as conn:
            if not service.may_call_back(conn, event, now):
                return
        with emulator.store.tx(writes=True) as conn:
            watches = service.watched_now(conn, event, now)  # read again where the callbacks are stored
            owed = service.callbacks_for(conn, event, watches, now, emulator.settings.base_url, emulator.memo)
            for callback in owed:
                emulator.deliveries.enqueue(
                    conn,
                    Outbound(
                        org_id=event.org_id,
                        source=SOURCE,
                        source_id=callback.channel_id,
                        method="POST",
                        url=callback.notify_url,
                        headers=list(HEADERS),
                        body=render(callback.body).decode(),
                        context={
                            "module": event.module,
                            "operation": callback.action,
                            "ids": list(callback.ids),
                            "channel_id": callback.channel_id,
                            "request_id": event.cause.request_id,
                        },
                    ),
                )
        if owed:
            emulator.deliveries.kick()
