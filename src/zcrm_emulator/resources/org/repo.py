"""SQL for orgs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from zcrm_emulator.editions import Edition, edition
from zcrm_emulator.store.schema import orgs


def get_org(conn: Connection, org_id: str) -> dict[str, Any]:
    data: dict[str, Any] = conn.execute(select(orgs.c.data).where(orgs.c.id == org_id)).scalar_one()
    return data


def org_edition(conn: Connection, org_id: str) -> Edition:
    return edition(conn.execute(select(orgs.c.edition).where(orgs.c.id == org_id)).scalar_one())


def set_edition(conn: Connection, org_id: str, name: str, now_ms: int) -> bool:
    data = conn.execute(select(orgs.c.data).where(orgs.c.id == org_id)).scalar_one_or_none()
    if data is None:
        return False
    data = {**data, "license_details": {**(data.get("license_details") or {}), "paid_type": name}}
    conn.execute(update(orgs).where(orgs.c.id == org_id).values(edition=name, data=data, modified_ms=now_ms))
    return True


def update_data(conn: Connection, org_id: str, fields: dict[str, Any], now_ms: int) -> None:
    """Keys of the org object that follow other resources (``mc_status`` and the home currency,
    ``photo_id``)."""
    data = {**get_org(conn, org_id), **fields}
    conn.execute(update(orgs).where(orgs.c.id == org_id).values(data=data, modified_ms=now_ms))
