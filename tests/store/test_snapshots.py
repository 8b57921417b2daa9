"""Whole-store snapshots in-process (``Emulator.snapshot`` / ``restore`` / ``snapshots`` /
``delete_snapshot`` / ``reset``), on SQLite and PostgreSQL: a restore brings back exactly what was
saved, refuses clearly, and takes the process's memory (memo, held debits, clock) along."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import select, text
from starlette.testclient import TestClient

from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.store import state
from zcrm_emulator.store.schema import metadata
from zcrm_emulator.store.snapshots import postgres as postgres_snapshots
from zcrm_emulator.store.snapshots import sqlite as sqlite_snapshots
from zcrm_emulator.usage import credits

pytestmark = pytest.mark.usefixtures("both_backends")

Dump = dict[str, list[str]]


def dump(emulator: Emulator) -> Dump:
    """Every row of every table, as text, in a stable order."""
    with emulator.store.engine.connect() as conn:
        return {
            table.name: sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            for table in metadata.sorted_tables
        }


def add_lead(api: TestClient, last_name: str) -> str:
    created = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": last_name}]})
    assert created.status_code == 201, created.text
    return str(created.json()["data"][0]["details"]["id"])


def refusal(error: pytest.ExceptionInfo[ZohoError]) -> tuple[str, int, dict[str, Any]]:
    return error.value.code, error.value.status, error.value.details


def test_a_restore_brings_back_exactly_the_saved_records_tokens_and_clock(
    api: TestClient, emulator: Emulator, make_token: Any
) -> None:
    kept = add_lead(api, "Kept")
    token = make_token()
    emulator.advance_clock(600)
    emulator.pending_credits.flush()
    saved = dump(emulator)
    info = emulator.snapshot("before-changes")
    assert info.name == "before-changes" and info.size_bytes > 0

    api.delete(f"/crm/v8/Leads/{kept}")
    add_lead(api, "Later")
    make_token()
    emulator.advance_clock(3600)
    api.post("/_emulator/users", json={"email": "later@zylker.example", "last_name": "Later"})

    emulator.restore("before-changes")
    assert dump(emulator) == saved
    assert emulator.clock.offset_ms == 600_000  # at once, not at the next 100 ms re-read
    again = api.get(f"/crm/v8/Leads/{kept}", headers={"Authorization": f"Zoho-oauthtoken {token}"})
    assert again.status_code == 200 and again.json()["data"][0]["Last_Name"] == "Kept"


def test_snapshots_are_listed_deleted_and_outlive_the_process(settings: Settings, emulator: Emulator) -> None:
    emulator.snapshot("b")
    emulator.snapshot("a-1")
    assert [info.name for info in emulator.snapshots()] == ["a-1", "b"]
    emulator.close()

    later = Emulator(settings)
    try:
        assert [info.name for info in later.snapshots()] == ["a-1", "b"]
        later.delete_snapshot("a-1")
        assert [info.name for info in later.snapshots()] == ["b"]
        with pytest.raises(ZohoError) as unknown:
            later.delete_snapshot("a-1")
        assert refusal(unknown) == ("INVALID_DATA", 400, {"api_name": "name", "name": "a-1"})
    finally:
        later.close()


@pytest.mark.parametrize("name", ["", "A", "../etc", "a/b", "a b", "-dash-first", "x" * 41, "é", 7, None])
def test_bad_names_are_refused_before_anything_changes(emulator: Emulator, name: Any) -> None:
    before = dump(emulator)
    for act in (emulator.snapshot, emulator.restore, emulator.delete_snapshot):
        with pytest.raises(ZohoError) as bad:
            act(name)
        assert refusal(bad)[:3] == ("INVALID_DATA", 400, {"api_name": "name"})
    assert emulator.snapshots() == []
    assert dump(emulator) == before


def test_an_unknown_snapshot_is_refused_and_the_store_is_untouched(api: TestClient, emulator: Emulator) -> None:
    add_lead(api, "Stays")
    emulator.pending_credits.flush()
    before = dump(emulator)
    with pytest.raises(ZohoError) as unknown:
        emulator.restore("never-saved")
    assert refusal(unknown) == ("INVALID_DATA", 400, {"api_name": "name", "name": "never-saved"})
    assert dump(emulator) == before


def test_a_taken_name_is_refused_unless_replaced(api: TestClient, emulator: Emulator) -> None:
    emulator.snapshot("one")
    with pytest.raises(ZohoError) as taken:
        emulator.snapshot("one")
    assert refusal(taken) == ("DUPLICATE_DATA", 400, {"api_name": "name", "name": "one"})
    lead = add_lead(api, "Newer")
    emulator.snapshot("one", replace=True)
    api.delete(f"/crm/v8/Leads/{lead}")
    emulator.restore("one")
    assert api.get(f"/crm/v8/Leads/{lead}").status_code == 200


def test_a_snapshot_from_before_a_code_change_without_migration_restores(
    api: TestClient, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new package version (another template key, the same schema heads) restores older snapshots."""
    from zcrm_emulator.standard_org import template

    lead = add_lead(api, "Old")
    emulator.snapshot("old-version")
    monkeypatch.setattr(template, "_package_version", lambda: "99.0.0")
    api.delete(f"/crm/v8/Leads/{lead}")
    emulator.restore("old-version")
    assert api.get(f"/crm/v8/Leads/{lead}").status_code == 200


def test_a_snapshot_at_other_schema_revisions_is_refused(emulator: Emulator, both_backends: str) -> None:
    emulator.snapshot("other-schema")
    if both_backends == "sqlite":
        assert emulator.store.path is not None
        file = sqlite_snapshots.snapshot_folder(emulator.store.path) / "other-schema.sqlite3"
        with sqlite3.connect(file) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0006b' WHERE version_num = '0006'")
    else:
        with emulator.store.engine.begin() as conn:
            schema = postgres_snapshots.SCHEMA_PREFIX + "other-schema"
            conn.execute(
                text(f"UPDATE \"{schema}\".alembic_version SET version_num = '0006b' WHERE version_num = '0006'")
            )
    before = dump(emulator)
    with pytest.raises(ZohoError) as other:
        emulator.restore("other-schema")
    code, status, details = refusal(other)
    assert (code, status) == ("INVALID_DATA", 400)
    assert "0006b" in details["schema_revisions"]
    assert dump(emulator) == before


def test_reset_is_a_restore_of_the_fresh_template(api: TestClient, emulator: Emulator) -> None:
    as_made = dump(emulator)  # the test's database is a copy of the template (tests/conftest.py)
    with emulator.store.tx() as conn:
        state.put(conn, "accounts.public_url", "http://kept.example")
    add_lead(api, "Gone")
    emulator.advance_clock(60)
    org_id = emulator.reset()

    after = dump(emulator)
    assert org_id == emulator.default_org_id
    assert after["records"] == [] and after["access_tokens"] == [] and after["api_usage"] == []
    assert emulator.clock.offset_ms == 0
    with emulator.store.tx() as conn:
        assert state.get(conn, "accounts.public_url") == "http://kept.example"  # the server's, not the org's
    # The same org, row for row, as in the database made from the template (but the token the
    # test's client was given, and what this server published).
    assert without(as_made, "access_tokens", "emulator_state") == without(after, "access_tokens", "emulator_state")


def without(rows: Dump, *tables: str) -> Dump:
    return {name: found for name, found in rows.items() if name not in tables}


def test_what_the_process_holds_follows_a_restore(api: TestClient, emulator: Emulator) -> None:
    emulator.snapshot("quiet")
    org_id = emulator.default_org_id
    assert api.get("/crm/v8/settings/modules").status_code == 200  # fills the memo, holds a debit
    minute = emulator.clock.now_ms() // credits.MINUTE_MS
    assert len(emulator.memo) > 0 and emulator.pending_credits.held(org_id, minute) > 0

    emulator.restore("quiet")
    assert len(emulator.memo) == 0
    assert emulator.pending_credits.held(org_id, minute) == 0
    assert api.get("/_emulator/usage").json()["used"] == 0  # the snapshot's usage, nothing carried over


def test_another_worker_on_the_same_database_sees_the_restored_state(api: TestClient, emulator: Emulator) -> None:
    other = Emulator(emulator.settings)
    try:
        emulator.snapshot("shared")
        lead = add_lead(api, "Shared")
        with other.store.tx() as conn:  # the other worker has read (and pooled a connection) since
            assert conn.execute(text("SELECT count(*) FROM records")).scalar_one() == 1
        emulator.restore("shared")
        with other.store.tx() as conn:
            assert conn.execute(text("SELECT count(*) FROM records")).scalar_one() == 0
        other.advance_clock(30)  # and it writes on into the restored store
        with emulator.store.tx() as conn:
            assert state.get(conn, state.CLOCK_OFFSET) == "30000"
        assert api.get(f"/crm/v8/Leads/{lead}").status_code == 204
        if emulator.store.dialect == "sqlite":
            with other.store.tx() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    finally:
        other.close()


def test_sqlite_snapshots_are_private_files_and_the_store_stays_in_wal(emulator: Emulator, both_backends: str) -> None:
    if both_backends != "sqlite":
        pytest.skip("SQLite files only")
    assert emulator.store.path is not None
    emulator.snapshot("private")
    emulator.restore("private")
    file = sqlite_snapshots.snapshot_folder(emulator.store.path) / "private.sqlite3"
    assert file.stat().st_mode & 0o777 == 0o600
    with emulator.store.tx() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    with sqlite3.connect(emulator.store.path) as conn:  # a new connection (another process) too
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_another_workers_held_debits_of_an_org_a_restore_removed_are_dropped(emulator: Emulator) -> None:
    from zcrm_emulator import standard_org
    from zcrm_emulator.usage.pending import Debit

    emulator.snapshot("one-org")
    with emulator.store.tx() as conn:
        second = standard_org.create_org(conn, now_ms=emulator.clock.now_ms(), edition="enterprise", dc="us")
    other = Emulator(emulator.settings)
    try:
        minute = other.clock.now_ms() // credits.MINUTE_MS
        other.pending_credits.add(Debit(second, minute, "GET /org", 1))
        emulator.restore("one-org")
        other.pending_credits.flush()  # the org is gone: dropped, not failing every flush from now on
        assert other.pending_credits.held(second, minute) == 0
    finally:
        other.close()


def test_the_keys_a_restore_keeps_are_the_ones_their_owners_write() -> None:
    from zcrm_emulator.accounts import server_info
    from zcrm_emulator.connections import repo as connections_repo
    from zcrm_emulator.console.unsubscribe import repo as unsubscribe_repo

    owned = {server_info._PUBLIC_URL, server_info._DC, server_info._POLICY, unsubscribe_repo.SECRET_KEY}
    owned.add(connections_repo.KEY_NAME)
    assert set(state.KEPT_ON_RESTORE) == owned
