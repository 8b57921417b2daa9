"""One transaction per unit of work: a failure anywhere inside it leaves nothing half-written.

Checked on both backends, directly on the store and through the gateway: a CRM call is one
transaction (token, credit check, handler); a handler that writes and then fails answers Zoho's
INTERNAL_ERROR envelope and the database is as it was; one that writes and then refuses the call
leaves only the call's debit.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select, update
from sqlalchemy.exc import IntegrityError
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

import zcrm_emulator
from tests.conftest import TokenFactory
from zcrm_emulator import batch, ids
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.gateway import CrmGateway
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.store import id_counters
from zcrm_emulator.store.schema import orgs, users
from zcrm_emulator.usage import credits
from zcrm_emulator.wire import reply

pytestmark = pytest.mark.usefixtures("both_backends")


def snapshot(emulator: Emulator) -> tuple[int, int, int]:
    """(next id suffix, user rows, org modified_ms): what the failed units below must not change."""
    org_id = emulator.default_org_id
    with emulator.store.tx() as conn:
        return (
            id_counters.current(conn, org_id),
            conn.execute(select(func.count()).select_from(users)).scalar_one(),
            conn.execute(select(orgs.c.modified_ms).where(orgs.c.id == org_id)).scalar_one(),
        )


def insert_user(conn: Connection, emulator: Emulator, email: str) -> None:
    admin = users_repo.list_users(conn, emulator.default_org_id)[0]
    users_repo.create_user(
        conn,
        emulator.default_org_id,
        user_id=ids.allocate(conn, emulator.default_org_id)[0],
        email=email,
        first_name="",
        last_name="Twin",
        profile=admin["profile"],
        role=admin["role"],
        now_ms=emulator.clock.now_ms(),
        template=admin,
        created_by={"name": admin["full_name"], "id": admin["id"]},
        created_iso=admin["created_time"],
    )


def test_an_exception_rolls_the_whole_unit_back(emulator: Emulator) -> None:
    before = snapshot(emulator)
    with pytest.raises(RuntimeError), emulator.store.tx() as conn:
        insert_user(conn, emulator, "first@zylker.example")
        conn.execute(update(orgs).values(modified_ms=1))
        raise RuntimeError("failed after three writes")
    assert snapshot(emulator) == before


def test_a_constraint_failure_late_in_the_unit_undoes_its_earlier_writes(emulator: Emulator) -> None:
    before = snapshot(emulator)
    with pytest.raises(IntegrityError), emulator.store.tx() as conn:
        insert_user(conn, emulator, "twin@zylker.example")
        insert_user(conn, emulator, "twin@zylker.example")  # unique (org_id, email)
    assert snapshot(emulator) == before


def test_a_committed_unit_is_kept(emulator: Emulator) -> None:
    before = snapshot(emulator)
    with emulator.store.tx() as conn:
        insert_user(conn, emulator, "kept@zylker.example")
    suffix, people, _ = snapshot(emulator)
    assert (suffix, people) == (before[0] + 1, before[1] + 1)


async def writes_then_fails(call: Call) -> Response:
    with call.tx() as conn:
        ids.allocate(conn, call.org_id, 5)
        conn.execute(update(orgs).where(orgs.c.id == call.org_id).values(modified_ms=1))
        raise RuntimeError("secret internals")


async def writes_then_refuses(call: Call) -> Response:
    with call.tx() as conn:
        ids.allocate(conn, call.org_id, 5)
        conn.execute(update(orgs).where(orgs.c.id == call.org_id).values(modified_ms=1))
        raise ZohoError("INVALID_DATA", {"api_name": "name"})


def credits_used(emulator: Emulator) -> int:
    summary = credits.summary(
        emulator.store, emulator.pending_credits, emulator.default_org_id, emulator.clock.now_ms()
    )
    assert summary is not None
    return summary.used


def test_a_handler_failing_mid_write_answers_internal_error_and_writes_nothing(
    emulator: Emulator, make_token: TokenFactory
) -> None:
    endpoint = Endpoint("POST", "/things", writes_then_fails, "ZohoCRM.settings.things")
    app = Starlette(routes=[Route("/crm/{version}/{rest:path}", CrmGateway(emulator, [endpoint]))])
    before = snapshot(emulator)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/crm/v8/things", headers={"Authorization": f"Zoho-oauthtoken {make_token()}"})
    assert response.status_code == 500
    assert response.json() == {
        "code": "INTERNAL_ERROR",
        "details": {},
        "message": "Internal Server Error",
        "status": "error",
    }
    assert "secret" not in response.text
    assert snapshot(emulator) == before


async def writes_then_fails_after_its_block(call: Call) -> Response:
    with call.tx() as conn:
        ids.allocate(conn, call.org_id, 5)
        conn.execute(update(orgs).where(orgs.c.id == call.org_id).values(modified_ms=1))
    raise RuntimeError("while rendering the reply")


def test_a_handler_failing_after_its_write_block_still_writes_nothing(
    emulator: Emulator, make_token: TokenFactory
) -> None:
    """The handler's savepoint is nested in the call's transaction: releasing it commits nothing yet
    (on SQLite a savepoint opened outside a transaction would itself be the transaction)."""
    endpoints = [
        Endpoint("GET", "/things", writes_in_the_calls_transaction, "ZohoCRM.settings.things"),
        Endpoint("POST", "/things", writes_then_fails_after_its_block, "ZohoCRM.settings.things"),
    ]
    app = Starlette(routes=[Route("/crm/{version}/{rest:path}", CrmGateway(emulator, endpoints))])
    headers = {"Authorization": f"Zoho-oauthtoken {make_token()}"}
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/crm/v8/things", headers=headers).status_code == 200  # the minute's credit roll is done
        before = snapshot(emulator)
        response = client.post("/crm/v8/things", headers=headers)
    assert (response.status_code, response.json()["code"]) == (500, "INTERNAL_ERROR")
    assert snapshot(emulator) == before


def test_a_handler_refusing_after_writes_undoes_them_and_keeps_the_calls_debit(
    emulator: Emulator, make_token: TokenFactory
) -> None:
    endpoint = Endpoint("POST", "/things", writes_then_refuses, "ZohoCRM.settings.things", credits=3)
    app = Starlette(routes=[Route("/crm/{version}/{rest:path}", CrmGateway(emulator, [endpoint]))])
    before = snapshot(emulator)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/crm/v8/things", headers={"Authorization": f"Zoho-oauthtoken {make_token()}"})
    assert (response.status_code, response.json()["code"]) == (400, "INVALID_DATA")
    assert snapshot(emulator) == before
    assert credits_used(emulator) == 3  # the call was admitted: Zoho counts it


async def writes_in_the_calls_transaction(call: Call) -> Response:
    with call.tx() as conn:
        assert conn is call.conn
        conn.execute(update(orgs).where(orgs.c.id == call.org_id).values(modified_ms=7))
    return reply({"written": True})


def test_the_handler_writes_in_the_calls_transaction_and_the_call_is_debited(
    emulator: Emulator, make_token: TokenFactory
) -> None:
    endpoint = Endpoint("GET", "/things", writes_in_the_calls_transaction, "ZohoCRM.settings.things", credits=2)
    app = Starlette(routes=[Route("/crm/{version}/{rest:path}", CrmGateway(emulator, [endpoint]))])
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/crm/v8/things", headers={"Authorization": f"Zoho-oauthtoken {make_token()}"})
    assert response.json() == {"written": True}
    with emulator.store.tx() as conn:
        assert conn.execute(select(orgs.c.modified_ms).where(orgs.c.id == emulator.default_org_id)).scalar_one() == 7
    assert credits_used(emulator) == 2


def test_crm_handlers_open_no_transaction_of_their_own() -> None:
    """A second transaction beside the call's would wait on the call's own write lock on SQLite."""
    resources = Path(zcrm_emulator.__file__).parent / "resources"
    handlers = resources.rglob("*routes.py")
    offenders = [str(path.relative_to(resources)) for path in handlers if "store.tx(" in path.read_text()]
    assert offenders == []


def test_a_refused_item_leaves_nothing_of_itself_behind_and_the_next_item_is_kept(emulator: Emulator) -> None:
    before = snapshot(emulator)

    def refused(conn: Connection) -> str:
        insert_user(conn, emulator, "refused@zylker.example")
        raise ZohoError("INVALID_DATA", {"api_name": "email"})

    def accepted(conn: Connection) -> str:
        insert_user(conn, emulator, "accepted@zylker.example")
        return "1"

    with emulator.store.tx(writes=True) as conn:  # as a write call's: each item's savepoint nested in it
        results = [batch.attempt(conn, "added", partial(write, conn)) for write in (refused, accepted)]
    assert [item["status"] for item in results] == ["error", "success"]
    suffix, people, _ = snapshot(emulator)
    assert (suffix, people) == (before[0] + 1, before[1] + 1)  # only the accepted item's id and user


def test_the_outbox_is_handed_on_after_the_commit_without_what_a_rolled_back_savepoint_put(
    emulator: Emulator,
) -> None:
    from zcrm_emulator.store import outbox
    from zcrm_emulator.store.engine import savepoint

    handed: list[list[object]] = []
    emulator.store.on_commit = handed.append
    with emulator.store.tx(writes=True) as conn:
        outbox.put(conn, "kept")
        with pytest.raises(RuntimeError), savepoint(conn):
            outbox.put(conn, "undone")
            raise RuntimeError("the item failed")
        with savepoint(conn):
            outbox.put(conn, "released")
        assert handed == []  # nothing before the commit
    assert handed == [["kept", "released"]]
    with pytest.raises(RuntimeError), emulator.store.tx(writes=True) as conn:
        outbox.put(conn, "rolled back")
        raise RuntimeError("the call failed")
    assert handed == [["kept", "released"]]
