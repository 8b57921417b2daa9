"""Hot statements executed on the driver's cursor give what SQLAlchemy's own execution gives."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, insert, select

from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import emulator_state, orgs
from zcrm_emulator.usage import repo as usage_repo

pytestmark = pytest.mark.usefixtures("both_backends")

# A JSON path and a literal: bind parameters whose values are part of the statement.
LICENSES = select(
    orgs.c.id,
    orgs.c.data["license_details"]["users_license_purchased"].as_integer(),
    (orgs.c.modified_ms + 1).label("later"),
).where(orgs.c.id == bindparam("org_id"))


def test_a_prepared_select_returns_what_sqlalchemy_returns(emulator: Emulator) -> None:
    with emulator.store.tx() as conn:
        expected = tuple(conn.execute(LICENSES, {"org_id": emulator.default_org_id}).one())
        assert Prepared(LICENSES, name="test").first(conn, {"org_id": emulator.default_org_id}) == expected
        assert Prepared(LICENSES, name="test").rows(conn, {"org_id": "1"}) == []


def test_prepared_rows_are_named_and_decode_json_columns_as_core_does(emulator: Emulator) -> None:
    whole_org = select(orgs.c.id, orgs.c.data).where(orgs.c.id == bindparam("org_id"))
    with emulator.store.tx() as conn:
        expected = conn.execute(whole_org, {"org_id": emulator.default_org_id}).one()
        row = Prepared(whole_org, name="test").first(conn, {"org_id": emulator.default_org_id})
    assert row is not None
    assert (row.id, row.data) == (expected.id, expected.data)
    assert isinstance(row.data, dict) and row.data["license_details"]


def test_a_prepared_upsert_adds_up_in_the_callers_transaction(emulator: Emulator) -> None:
    org_id = emulator.default_org_id
    with emulator.store.tx() as conn:
        for _ in range(3):
            usage_repo.add(conn, org_id, 7, "GET /org", 2)  # insert, then two conflicts: credits + 2, calls + 1
    with emulator.store.tx() as conn:
        assert usage_repo.by_endpoint(conn, org_id, 7, 7) == [{"endpoint": "GET /org", "calls": 3, "credits": 6}]


def test_prepared_writes_roll_back_with_the_callers_transaction(emulator: Emulator) -> None:
    org_id = emulator.default_org_id
    with pytest.raises(RuntimeError), emulator.store.tx() as conn:
        usage_repo.add(conn, org_id, 7, "GET /org", 2)
        raise RuntimeError("after the write")
    with emulator.store.tx() as conn:
        assert usage_repo.by_endpoint(conn, org_id, 7, 7) == []


@pytest.mark.parametrize("names", [("key", "value"), ("value", "key")])
def test_rows_given_as_tuples_insert_what_mappings_insert(emulator: Emulator, names: tuple[str, str]) -> None:
    """``run_tuples`` hands tuples in placeholder order straight to the driver; any other order (or
    a named paramstyle) goes through mappings, with the same rows written."""
    rows = [{"key": f"t{n}", "value": f"v{n}"} for n in range(3)]
    with emulator.store.tx() as conn:
        Prepared(insert(emulator_state), name="test").run_tuples(
            conn, names, [tuple(row[n] for n in names) for row in rows]
        )
    with emulator.store.tx() as conn:
        stored = conn.execute(select(emulator_state).where(emulator_state.c.key.like("t%")).order_by("key"))
        assert [dict(row._mapping) for row in stored] == rows
