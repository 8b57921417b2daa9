"""Per-item results of write calls and the HTTP status a batch earns (REFERENCE §1.3-§1.4).

Partial success is a value, not an exception: handlers build one result per input item, in input
order, and ``batch_status`` picks 201/200 (all ok), 207 (mixed) or the failures' status (all failed).
An item that loses a race for a unique key to another worker is run again (``attempt``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import Connection
from starlette.responses import Response

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.store import uniques
from zcrm_emulator.store.engine import savepoint
from zcrm_emulator.validation import at
from zcrm_emulator.wire import reply

Item = dict[str, Any]

# Runs of an item whose write breaks a unique constraint. Losing the race once means another worker
# committed the key after this item's rule check; the next run's check sees it (PostgreSQL reads
# what was committed before each statement), so the third run is a margin, not a need.
ATTEMPTS = 3


def success(message: str, details: dict[str, Any], code: str = "SUCCESS") -> Item:
    return {"code": code, "details": details, "message": message, "status": "success"}


def failure(error: ZohoError) -> Item:
    return {**error.as_item(), "_http": error.status}


def attempt(conn: Connection, message: str, write: Callable[[], str], *, json_path: str | None = None) -> Item:
    """One item of a write call: ``SUCCESS`` with the id ``write()`` returns, or the error it raised.
    The item's writes run in a savepoint, so a refused item leaves nothing of itself behind.

    A write that breaks a unique constraint lost a race to another worker: it is run again, so its
    rule refuses with the rule's own error and details, and names it generates move on. Still
    breaking one after ``ATTEMPTS`` runs: DUPLICATE_DATA on the input key behind the constraint
    (at ``json_path``, the item's path, when given)."""
    runs = 0
    while True:
        runs += 1
        try:
            with savepoint(conn):
                return success(message, {"id": write()})
        except ZohoError as error:
            return failure(error)
        except Exception as error:
            unique = uniques.violated(error)
            if unique is None:
                raise
            if runs == ATTEMPTS:
                if unique.client_key is None:
                    raise  # a generated id or hash collided: a bug, not the client's duplicate
                return failure(duplicate(unique.client_key, json_path))


def each(
    conn: Connection, envelope: str, items: list[Any], message: str, write: Callable[[Any, str], str]
) -> list[Item]:
    """``attempt`` on each item of ``envelope`` in input order: ``write(item, json_path)`` makes one."""
    paths = [f"$.{envelope}[{index}]" for index in range(len(items))]
    return [
        attempt(conn, message, partial(write, item, path), json_path=path)
        for item, path in zip(items, paths, strict=True)
    ]


def duplicate(key: str, json_path: str | None) -> ZohoError:
    """DUPLICATE_DATA for an input key whose value another row holds."""
    return ZohoError("DUPLICATE_DATA", at(json_path, key) if json_path is not None else {"api_name": key})


def batch_status(items: list[Item], *, all_ok: int) -> int:
    """201/200 when every item succeeded, 207 when some did, else the failures' own status.

    All-failed batches answer 400 with the per-item array (OASx), 412 for If-Unmodified-Since
    conflicts, and keep a shared non-400 status such as 403 RESERVED_KEYWORD_NOT_ALLOWED.
    """
    failed = [item for item in items if item["status"] == "error"]
    if not failed:
        return all_ok
    if len(failed) < len(items):
        return 207
    statuses = {item.get("_http", 400) for item in failed}
    return statuses.pop() if len(statuses) == 1 else 400


def strip_internal(items: list[Item]) -> list[Item]:
    """Drop the bookkeeping key ``_http`` before the items go on the wire."""
    return [{k: v for k, v in item.items() if k != "_http"} for item in items]


def answer(envelope: str, items: list[Item], *, all_ok: int) -> Response:
    """A write call's reply: ``{envelope: [item results]}`` with the status the batch earned."""
    return reply({envelope: strip_internal(items)}, status=batch_status(items, all_ok=all_ok))
