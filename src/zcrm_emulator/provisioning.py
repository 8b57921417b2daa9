"""How an emulator's database gets ready, and back to a fresh org: from the fresh-org template
(standard_org/template.py), copied rather than built.

- A new SQLite file is a copy of the template file (before any connection opens it).
- A new PostgreSQL database (no tables yet) is migrated, then filled from the template database.
- A database at older schema revisions is migrated; one at the code's heads is left alone, checked
  with one plain query (no Alembic import).
- A reset restores the template into the live store (``FreshOrg.restore``).

Where no template can be had (a PostgreSQL role that may not create databases), the fresh org is
built in place as before templates existed (``standard_org.ensure_default_org``).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from sqlalchemy import Connection

from zcrm_emulator import standard_org
from zcrm_emulator.config import Settings
from zcrm_emulator.standard_org import template
from zcrm_emulator.store import Store, databases, heads
from zcrm_emulator.store.engine import normalize_url, sqlite_file
from zcrm_emulator.store.snapshots import sqlite as sqlite_snapshots

log = logging.getLogger("zcrm_emulator.provisioning")


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def open_store(settings: Settings) -> Store:
    """The settings' store, at the code's schema heads, holding a default org."""
    path = sqlite_file(normalize_url(settings.db_url))
    if path is not None and not os.path.exists(path):
        sqlite_snapshots.create_from(template.sqlite_template(settings.edition, settings.dc), Path(path))
    store = Store(settings.db_url)
    try:
        _bring_up_to_date(store, settings)
        standard_org.ensure_default_org(store, now=_wall_ms, edition=settings.edition, dc=settings.dc)
    except BaseException:
        store.dispose()
        raise
    return store


def _bring_up_to_date(store: Store, settings: Settings) -> None:
    at = store.schema_heads()
    if at == heads.code_heads():
        return
    log.info("migrating the database to the code's schema revisions")
    store.migrate()
    if at is None and store.dialect == "postgresql":  # a new, empty database
        FreshOrg(store, settings).restore(only_into_empty=True)


class FreshOrg:
    """Where one store's fresh org comes from (its edition's and data center's template), found once."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.edition = settings.edition
        self.dc = settings.dc
        self._postgres_source: str | None = None

    def restore(self, *, only_into_empty: bool = False) -> None:
        """Replace the store's content with a fresh org. ``only_into_empty`` (PostgreSQL): unless it
        holds an org already (workers starting together on a new database fill it once)."""
        if self.store.dialect != "postgresql":
            sqlite_snapshots.restore_file(self.store, template.sqlite_template(self.edition, self.dc))
            return
        from zcrm_emulator.store.snapshots import postgres as postgres_snapshots

        skip = self._holds_org if only_into_empty else None
        source = self._postgres_template()
        if source is None:
            postgres_snapshots.empty_content(self.store, unless=skip)
            standard_org.ensure_default_org(self.store, now=_wall_ms, edition=self.edition, dc=self.dc)
        else:
            postgres_snapshots.copy_database_into(self.store, source, unless=skip)

    def _postgres_template(self) -> str | None:
        if self._postgres_source is None:
            name = template.postgres_template(self.store.url, self.edition, self.dc)
            if name is None:
                return None
            self._postgres_source = databases.url_of(self.store.url, name)
        return self._postgres_source

    @staticmethod
    def _holds_org(conn: Connection) -> bool:
        return standard_org.default_org_id(conn) is not None
