"""Reading and setting the org's fiscal year inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.fiscal_year import repo, rules


def current(conn: Connection, org_id: str) -> dict[str, Any]:
    """The org's fiscal year; until one is set, January-based, named after its start month."""
    stored = repo.FISCAL_YEAR.get(conn, org_id)
    if stored is not None:
        return stored
    return {**rules.DEFAULT, "id": ids.compose(ids.prefix_of(org_id), rules.ID_SUFFIX)}


def update(conn: Connection, org_id: str, actor: Mapping[str, Any], item: Any, now_ms: int) -> str:
    """Only administrators change it (Zoho's 403, inside the envelope); returns its id."""
    if (actor.get("profile") or {}).get("name") != "Administrator":
        raise ZohoError("NO_PERMISSION", {}, Message.FISCAL_YEAR_ADMIN_ONLY)
    clean = rules.check(item)
    saved = {**current(conn, org_id), **clean}
    repo.FISCAL_YEAR.put(conn, org_id, saved, now_ms)
    return str(saved["id"])


def start_of_current_year(conn: Connection, org_id: str, now_ms: int) -> date:
    """The first day of the fiscal year the emulator's clock is in."""
    today = datetime.fromtimestamp(now_ms / 1000, tz=UTC).date()
    return rules.start_of_current(current(conn, org_id)["start_month"], today)
