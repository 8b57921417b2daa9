"""Snapshots and reset of one emulator: the store's content saved, restored, listed and deleted, and
what this process holds in memory made to follow a restore. The control plane (control/snapshots.py)
and in-process callers (``Emulator.snapshot`` …) share it, and so see the same Zoho errors.

What follows a restore here: held credit debits are written first (they belong to the state being
replaced, which then drops them), the memo is emptied, and the clock takes the restored offset at
once. The SQLite checkpointer needs nothing: the backup API rewrites the same file under SQLite's
locks, so its connection stays valid. Other processes on the same database follow the way they
follow each other's writes: clock offsets within 100 ms, memo entries by their store stamps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from zcrm_emulator import provisioning
from zcrm_emulator.clock import Clock, iso
from zcrm_emulator.config import Settings
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.memo import Memo
from zcrm_emulator.store import Store
from zcrm_emulator.store import snapshots as store_snapshots
from zcrm_emulator.store import state as state_repo
from zcrm_emulator.store.snapshots import SnapshotInfo
from zcrm_emulator.traffic import Busy, Traffic
from zcrm_emulator.usage.pending import PendingCredits


def as_json(info: SnapshotInfo) -> dict[str, Any]:
    return {"name": info.name, "created_time": iso(info.created_ms), "size_bytes": info.size_bytes}


@contextmanager
def zoho_errors() -> Iterator[None]:
    """The store's snapshot errors, and a restore refused for requests in flight, as Zoho errors."""
    try:
        yield
    except store_snapshots.BadName:
        raise ZohoError(
            "INVALID_DATA", {"api_name": "name"}, Message.SNAPSHOT_NAME, rule=store_snapshots.NAME_RULE
        ) from None
    except store_snapshots.NotFound as missing:
        raise ZohoError("INVALID_DATA", {"api_name": "name", "name": missing.name}, Message.SNAPSHOT_UNKNOWN) from None
    except store_snapshots.AlreadyExists as taken:
        raise ZohoError("DUPLICATE_DATA", {"api_name": "name", "name": taken.name}, Message.SNAPSHOT_TAKEN) from None
    except store_snapshots.OtherSchema as other:
        revisions: dict[str, Any] = {"api_name": "name", "name": other.name, "schema_revisions": sorted(other.saved_at)}
        raise ZohoError("INVALID_DATA", revisions, Message.SNAPSHOT_OTHER_SCHEMA) from None
    except store_snapshots.NotSupported:
        raise ZohoError("NOT_SUPPORTED", {}, Message.SNAPSHOT_NO_FILE) from None
    except Busy as busy:
        # 409: the request conflicts with the server's present activity and may succeed when repeated.
        in_flight = {"requests_in_flight": busy.others}
        raise ZohoError("NOT_ALLOWED", in_flight, Message.RESTORE_BUSY, status=409) from None


class EmulatorSnapshots:
    def __init__(
        self, store: Store, settings: Settings, memo: Memo, pending: PendingCredits, clock: Clock, traffic: Traffic
    ) -> None:
        self.store = store
        self.settings = settings
        self.memo = memo
        self.pending = pending
        self.clock = clock
        self.traffic = traffic
        self.backend = store_snapshots.for_store(store)
        self._fresh = provisioning.FreshOrg(store, settings)

    def save(self, name: str, *, replace: bool = False) -> SnapshotInfo:
        with zoho_errors():
            store_snapshots.checked_name(name)
            self.pending.flush()  # the debits of calls answered so far are part of the state saved
            return self.backend.save(name, replace=replace)

    def restore(self, name: str) -> None:
        with zoho_errors(), self.traffic.alone():
            self.pending.flush()  # written into the state being replaced: nothing stays held
            self.backend.restore(name)
            self._follow()

    def reset(self) -> None:
        with zoho_errors(), self.traffic.alone():
            self.pending.flush()
            self._fresh.restore()
            self._follow()

    def list(self) -> list[SnapshotInfo]:
        with zoho_errors():
            return self.backend.list()

    def delete(self, name: str) -> None:
        with zoho_errors():
            self.backend.delete(name)

    def _follow(self) -> None:
        self.memo.clear()
        with self.store.tx() as conn:
            offset = state_repo.get(conn, state_repo.CLOCK_OFFSET)
        self.clock.set_offset(int(offset) if offset else 0)
