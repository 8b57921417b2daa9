"""Zoho-style ids: decimal strings of 18-19 digits, the org's 7-digit prefix then a 12-digit counter.

A fresh org's standard objects use small fixed suffixes (e.g. Leads ...0000002175, as in Zoho's own
samples); everything created later draws from a per-org counter kept in the database, so ids stay
unique and monotonic across restarts and across workers sharing one PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.store import id_counters

SUFFIX_DIGITS = 12
FIRST_DYNAMIC_SUFFIX = 3_000_001


def compose(prefix: int, suffix: int) -> str:
    return f"{prefix}{suffix:0{SUFFIX_DIGITS}d}"


def prefix_of(org_id: str) -> int:
    return int(org_id[:-SUFFIX_DIGITS])


def allocate(conn: Connection, org_id: str, count: int = 1) -> list[str]:
    """Reserve ``count`` new ids for the org inside the caller's transaction."""
    end = id_counters.reserve(conn, org_id, count)
    prefix = prefix_of(org_id)
    return [compose(prefix, suffix) for suffix in range(end - count, end)]


def normalize_id(value: Any) -> str | None:
    """An id as the SDK or curl sends it (JSON number or digit string) -> canonical string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return str(value)
    if isinstance(value, str) and value.isdigit() and not value.startswith("0"):
        return value
    return None


def require_id(value: Any, details: dict[str, Any], message: Message = Message.UNKNOWN_ID) -> str:
    """``normalize_id`` that raises Zoho's INVALID_DATA instead of returning None."""
    normalized = normalize_id(value)
    if normalized is None:
        raise ZohoError("INVALID_DATA", details, message)
    return normalized
