"""SQL of the standard org: a fresh org's rows inserted (built by ``standard_org.org_rows``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert

if TYPE_CHECKING:
    from zcrm_emulator.standard_org import OrgRows


def insert_org(conn: Connection, org: OrgRows) -> str:
    """Insert every row of a fresh org, parents first; returns its id."""
    for table, rows in org.tables:
        if rows:
            conn.execute(insert(table), rows)
    return org.org_id
