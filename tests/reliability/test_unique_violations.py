"""``batch.attempt`` when a write breaks a unique constraint (store/uniques.py), on both stores: the
race lost to another worker is simulated by a row the rule did not see, written inside the item."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Connection, insert
from sqlalchemy.exc import IntegrityError

from zcrm_emulator import batch, ids
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.custom_links import repo as links_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.store.engine import savepoint
from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import custom_links, emulator_state, users
from zcrm_emulator.store.uniques import Unique, violated

pytestmark = pytest.mark.usefixtures("both_backends")

PATH = "$.custom_links[0]"


@pytest.fixture
def conn(emulator: Emulator) -> Iterator[Connection]:
    """A write call's transaction, rolled back at the end."""
    with emulator.store.engine.connect() as connection:
        if emulator.store.dialect == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection
        connection.rollback()


def add_link(conn: Connection, org_id: str, name: str) -> str:
    """A Leads custom link written past the rules (as another worker's would be)."""
    module = modules_repo.find(conn, org_id, "Leads")
    assert module is not None
    link_id = ids.allocate(conn, org_id)[0]
    links_repo.LINKS.insert(conn, org_id, module.id, {"id": link_id, "name": name}, 0)
    return link_id


def link_names(conn: Connection) -> list[str]:
    return sorted(row.name_key for row in conn.execute(custom_links.select()))


def counted(write: Callable[[], str]) -> tuple[Callable[[], str], list[int]]:
    runs: list[int] = []

    def run() -> str:
        runs.append(len(runs) + 1)
        return write()

    return run, runs


def test_violated_names_the_constraint_of_core_and_prepared_writes(conn: Connection, emulator: Emulator) -> None:
    org_id = emulator.default_org_id
    taken = conn.execute(users.select().where(users.c.org_id == org_id)).first()
    assert taken is not None
    twin = {**taken._asdict(), "id": ids.allocate(conn, org_id)[0]}
    with pytest.raises(IntegrityError) as core, savepoint(conn):
        conn.execute(insert(users).values(**twin))
    assert violated(core.value) == Unique("users", ("org_id", "email"))
    assert violated(core.value).client_key == "email"  # type: ignore[union-attr]
    with pytest.raises(Exception) as bare, savepoint(conn):  # the driver's own error class
        Prepared(insert(emulator_state), name="test").run(conn, {"key": "default_org_id", "value": "x"})
    assert violated(bare.value) == Unique("emulator_state", ("key",))
    with pytest.raises(IntegrityError) as not_null, savepoint(conn):
        conn.execute(insert(emulator_state).values(key="k", value=None))
    assert violated(not_null.value) is None


def test_an_item_that_lost_a_race_runs_again(conn: Connection, emulator: Emulator) -> None:
    org_id = emulator.default_org_id
    add_link(conn, org_id, "Taken")

    def write() -> str:
        made = add_link(conn, org_id, f"Mine {len(runs)}")  # undone with the run that breaks
        if len(runs) == 1:
            add_link(conn, org_id, "taken")  # the rule had not seen the other worker's row
        return made

    run, runs = counted(write)
    result = batch.attempt(conn, "created", run, json_path=PATH)
    assert (result["status"], runs) == ("success", [1, 2])
    assert link_names(conn) == ["mine 2", "taken"]


def test_a_client_key_still_taken_after_every_run_is_duplicate_data(conn: Connection, emulator: Emulator) -> None:
    org_id = emulator.default_org_id
    add_link(conn, org_id, "Taken")
    run, runs = counted(lambda: add_link(conn, org_id, "TAKEN"))
    result = batch.attempt(conn, "created", run, json_path=PATH)
    expected = ZohoError("DUPLICATE_DATA", {"api_name": "name", "json_path": f"{PATH}.name"})
    assert result == batch.failure(expected)
    assert runs == list(range(1, batch.ATTEMPTS + 1))
    assert batch.attempt(conn, "created", lambda: add_link(conn, org_id, "taken"))["details"] == {"api_name": "name"}
    assert link_names(conn) == ["taken"]  # and the transaction goes on


def test_a_key_no_client_writes_is_not_a_duplicate(conn: Connection) -> None:
    run, runs = counted(lambda: str(conn.execute(insert(emulator_state).values(key="default_org_id", value="x"))))
    with pytest.raises(IntegrityError):
        batch.attempt(conn, "created", run, json_path=PATH)
    assert runs == list(range(1, batch.ATTEMPTS + 1))


def test_other_errors_are_not_run_again(conn: Connection) -> None:
    def broken() -> str:
        raise ValueError("a bug")

    run, runs = counted(broken)
    with pytest.raises(ValueError):
        batch.attempt(conn, "created", run)
    assert runs == [1]
