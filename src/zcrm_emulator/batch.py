"""Per-item results of write calls and the HTTP status a batch earns (REFERENCE §1.3-§1.4).

Partial success is a value, not an exception: handlers build one result per input item, in input
order, and ``batch_status`` picks 201/200 (all ok), 207 (mixed) or the failures' status (all failed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.store.engine import savepoint

Item = dict[str, Any]


def success(message: str, details: dict[str, Any], code: str = "SUCCESS") -> Item:
    return {"code": code, "details": details, "message": message, "status": "success"}


def failure(error: ZohoError) -> Item:
    return {**error.as_item(), "_http": error.status}


def attempt(conn: Connection, message: str, write: Callable[[], str]) -> Item:
    """One item of a write call: ``SUCCESS`` with the id ``write()`` returns, or the error it raised.
    The item's writes run in a savepoint, so a refused item leaves nothing of itself behind."""
    try:
        with savepoint(conn):
            return success(message, {"id": write()})
    except ZohoError as error:
        return failure(error)


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
