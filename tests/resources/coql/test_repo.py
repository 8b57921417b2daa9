"""The SQL a COQL query becomes: an equality on an email goes through the key index, never a scan of
the module (SQLite's query plan says which index answers)."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.records import add_rows
from zcrm_emulator import record_model
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.coql import grammar, repo, rules
from zcrm_emulator.resources.coql.service import TargetModules
from zcrm_emulator.store.schema import records


def plan(emulator: Emulator, query: str) -> str:
    org_id, now = emulator.default_org_id, emulator.clock.now_ms()
    with emulator.store.tx() as conn:
        meta = record_model.load_module(conn, org_id, "Leads", now)
        bound = rules.bind(grammar.parse(query), meta, TargetModules(conn, org_id, now, None))
        where = repo.live_matching(bound, repo.Scope(org_id, [0]))
        statement = select(records.c.id).where(*where).order_by(records.c.id).limit(bound.limit + 1)
        sql = str(statement.compile(conn, compile_kwargs={"literal_binds": True}))
        return "\n".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def test_an_email_equality_is_a_key_index_lookup(emulator: Emulator) -> None:
    add_rows(emulator, "Leads", 50)
    found = plan(emulator, "select Last_Name from Leads where Email = 'ann@zylker.com'")
    assert "ix_record_keys_lookup" in found
    assert "SCAN records" not in found


def test_a_user_path_condition_asks_the_users_table_beside_the_key_index(emulator: Emulator) -> None:
    found = plan(emulator, "select Last_Name from Leads where (Email in ('a@b.com') and Owner.email = 'x@y.z')")
    assert "ix_record_keys_lookup" in found
    assert "users" in found
