"""The Alembic revisions build exactly ``store/schema.py``, on SQLite and on PostgreSQL.

Resources migrate as independent heads off the foundation revision; ``Store.migrate`` upgrades to
all of them at start-up. A table added to schema.py without its revision (or the other way round)
shows up here as a non-empty autogenerate diff.
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from tests.support.records import admin_id, insert_as, module_id
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.record_model import repo as records_repo
from zcrm_emulator.store import Store
from zcrm_emulator.store.engine import alembic_config
from zcrm_emulator.store.schema import metadata

pytestmark = [pytest.mark.usefixtures("both_backends"), pytest.mark.empty_database]


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    migrated = Store(db_url)
    migrated.migrate()
    yield migrated
    migrated.dispose()


def test_the_migrated_database_is_exactly_schema_py(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_every_revision_head_is_applied(store: Store) -> None:
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with store.engine.connect() as conn:
        applied = set(MigrationContext.configure(conn).get_current_heads())
    assert applied == heads
    assert len(heads) >= 1


def test_migrating_again_at_start_up_changes_nothing(store: Store) -> None:
    with store.engine.connect() as conn:
        tables_before = sorted(inspect(conn).get_table_names())
    store.migrate()
    with store.engine.connect() as conn:
        assert sorted(inspect(conn).get_table_names()) == tables_before
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_every_org_owned_table_cascades_from_its_org(store: Store) -> None:
    """Dropping an org (reset) must take all of its rows with it, in every table anyone adds."""
    owned = [table for table in metadata.sorted_tables if "org_id" in table.c]
    assert owned
    for table in owned:
        to_orgs = list(table.c.org_id.foreign_keys)
        assert [fk.target_fullname for fk in to_orgs] == ["orgs.id"], table.name
        assert to_orgs[0].ondelete == "CASCADE", table.name
    with store.engine.connect() as conn:
        inspector = inspect(conn)
        for table in owned:
            keys = [fk for fk in inspector.get_foreign_keys(table.name) if fk["constrained_columns"] == ["org_id"]]
            assert len(keys) == 1, table.name
            assert keys[0]["referred_table"] == "orgs"
            assert (keys[0].get("options") or {}).get("ondelete", "").upper() == "CASCADE", table.name


def test_record_keys_and_words_keep_their_rows_through_the_lean_keys_revision(emulator: Emulator) -> None:
    """0007 drops org_id from record_keys and record_words (they go with their record); going down
    and up again keeps every key and word, and search by them still finds the record."""
    org_id = emulator.default_org_id
    admin = admin_id(emulator)
    results = insert_as(emulator, admin, "Leads", [{"Last_Name": "Keys", "Email": "Ann.Lee@Zylker.example"}])
    record_id = results[0]["details"]["id"]
    module = module_id(emulator, "Leads")

    def rows(conn: Connection, table: str) -> list[tuple[Any, ...]]:
        columns = "record_id, field, value" if table == "record_keys" else "record_id, field, position, word"
        return [tuple(r) for r in conn.exec_driver_sql(f"SELECT {columns} FROM {table} ORDER BY 1, 2, 3")]

    with emulator.store.engine.begin() as conn:
        before = {table: rows(conn, table) for table in ("record_keys", "record_words")}
        assert ("ann.lee@zylker.example",) in [r[2:] for r in before["record_keys"]]
        command.downgrade(alembic_config(conn), "0004s")
    with emulator.store.engine.begin() as conn:
        assert {table: rows(conn, table) for table in before} == before
        owners = {
            r[0] for r in conn.exec_driver_sql("SELECT org_id FROM record_keys UNION SELECT org_id FROM record_words")
        }
        assert owners == {org_id}
        command.upgrade(alembic_config(conn), "heads")
    with emulator.store.engine.begin() as conn:
        assert {table: rows(conn, table) for table in before} == before
        found = records_repo.find_by_keys(conn, module, "Email", ["ann.lee@zylker.example"], indexed=True)
        assert [m.record_id for m in found["ann.lee@zylker.example"]] == [record_id]
