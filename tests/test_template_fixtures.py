"""The suite's fresh databases are copies of one template per session (tests/conftest.py), not
migrations and a standard org built again for each test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from zcrm_emulator.config import DEFAULT_DC, DEFAULT_EDITION, Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.standard_org import template
from zcrm_emulator.store import databases


def test_the_session_keeps_its_templates_in_a_folder_of_its_own() -> None:
    folder = Path(os.environ[template.TEMPLATE_DIR_ENV])
    assert folder.name.startswith("zcrm-templates-")
    assert template.sqlite_template(DEFAULT_EDITION, DEFAULT_DC).parent == folder


def test_an_sqlite_test_database_is_a_copy_of_the_session_template(emulator: Emulator, tmp_path: Path) -> None:
    copy = Emulator(Settings(db_url=f"sqlite:///{tmp_path / 'second.sqlite3'}"))
    try:
        assert copy.default_org_id == emulator.default_org_id  # the same template, not a new org each
    finally:
        copy.close()


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = databases.server(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_test_database_holds_the_fresh_org_before_anything_opens_it(db_url: str) -> None:
    assert _rows(db_url, "SELECT key FROM emulator_state") == [("default_org_id",)]


@pytest.mark.postgres
@pytest.mark.empty_database
def test_an_empty_database_has_no_tables_for_the_migration_tests(db_url: str) -> None:
    assert _rows(db_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'") == []
