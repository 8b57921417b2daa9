"""Secrets at rest: the raw rows of services and connections hold no client secret, token, key
value or password, only Fernet tokens under the database's own key; a restarted emulator (or
another worker) on the same database opens them; on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.support.connections import seed
from zcrm_emulator.config import Settings
from zcrm_emulator.connections import credential_for
from zcrm_emulator.connections.repo import KEY_NAME
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store.schema import connection_services, connections, emulator_state

pytestmark = pytest.mark.usefixtures("both_backends")

SECRETS = ("client-secret-xyz", "access-token-xyz", "refresh-token-xyz", "api-key-value-xyz", "password-xyz")


def seed_every_kind(client: TestClient) -> None:
    seed(
        client,
        link_name="oauth",
        service_link_name="oauth_service",
        auth_type="oauth2",
        token_url="https://login.example/token",
        client_id="cid",
        client_secret="client-secret-xyz",
        access_token="access-token-xyz",
        refresh_token="refresh-token-xyz",
    )
    seed(
        client,
        link_name="keyed",
        service_link_name="key_service",
        auth_type="api_key",
        credentials={"apikey": "api-key-value-xyz"},
    )
    seed(
        client,
        link_name="basic",
        service_link_name="basic_service",
        auth_type="basic",
        credentials={"username": "ada", "password": "password-xyz"},
    )


def raw_rows(emulator: Emulator) -> str:
    with emulator.store.tx() as conn:
        rows = [
            dict(row._mapping) for table in (connection_services, connections) for row in conn.execute(select(table))
        ]
    return json.dumps(rows, default=str)


def test_the_raw_columns_hold_no_secret(client: TestClient, emulator: Emulator) -> None:
    seed_every_kind(client)
    raw = raw_rows(emulator)
    for secret in SECRETS:
        assert secret not in raw
    with emulator.store.tx() as conn:
        sealed = [row.secret for row in conn.execute(select(connections.c.secret))]
        key = conn.execute(select(emulator_state.c.value).where(emulator_state.c.key == KEY_NAME)).scalar_one()
    assert all(value.startswith("gAAAAA") for value in sealed)  # Fernet tokens (version byte 0x80)
    assert key not in raw


def test_another_emulator_on_the_same_database_opens_them(client: TestClient, emulator: Emulator, db_url: str) -> None:
    seed_every_kind(client)
    client.post("/_emulator/reset")  # the key outlives an org reset: it belongs to the database
    seed_every_kind(client)
    other = Emulator(Settings(db_url=db_url, public_url="http://testserver"))
    try:
        with other.store.tx(writes=True) as conn:
            found = credential_for(conn, other.clock, other.default_org_id, "basic")
            keyed = credential_for(conn, other.clock, other.default_org_id, "keyed")
    finally:
        other.close()
    assert found.headers[0][1].startswith("Basic ")
    assert keyed.headers == [("apikey", "api-key-value-xyz")]
