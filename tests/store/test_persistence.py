"""State lives in the database, not the process: a restart keeps everything, ``reset`` drops it.

Each test runs a real server on loopback (uvicorn in a thread), stops it, and starts a new one on
the same database, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.conftest import LiveServer
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")


@contextmanager
def server(db_url: str) -> Iterator[httpx.Client]:
    with (
        LiveServer(lambda url: Emulator(Settings(db_url=db_url, public_url=url))) as live,
        httpx.Client(base_url=live.url) as http,
    ):
        yield http


def crm(http: httpx.Client, token: str, path: str, **params: str) -> httpx.Response:
    return http.get(f"/crm/v8{path}", params=params, headers={"Authorization": f"Zoho-oauthtoken {token}"})


def test_users_tokens_clock_and_org_survive_a_restart(db_url: str) -> None:
    with server(db_url) as http:
        token = http.post("/_emulator/tokens", json={}).json()["access_token"]
        added = http.post("/_emulator/users", json={"email": "kept@zylker.example", "last_name": "Kept"})
        assert added.status_code == 201
        clock = http.post("/_emulator/clock/advance", json={"seconds": 600}).json()
        org = crm(http, token, "/org").json()
        users = crm(http, token, "/users").json()["users"]

    with server(db_url) as http:
        assert http.get("/_emulator/clock").json()["offset_ms"] == clock["offset_ms"]
        assert crm(http, token, "/org").json() == org
        assert crm(http, token, "/users").json()["users"] == users
        assert "kept@zylker.example" in {u["email"] for u in users}
        # The persisted clock still counts: 600 s already passed, 3000 more end the token's hour.
        http.post("/_emulator/clock/advance", json={"seconds": 3000})
        assert crm(http, token, "/org").json()["code"] == "INVALID_TOKEN"


def test_reset_gives_the_fresh_org_back_and_forgets_what_was_done(db_url: str) -> None:
    with server(db_url) as http:
        token = http.post("/_emulator/tokens", json={}).json()["access_token"]
        old_org = crm(http, token, "/org").json()["org"][0]
        http.post("/_emulator/users", json={"email": "gone@zylker.example", "last_name": "Gone"})
        http.post("/_emulator/clock/advance", json={"seconds": 120})

        reset = http.post("/_emulator/reset")
        assert reset.status_code == 200
        new_org_id = reset.json()["org_id"]

        assert new_org_id == old_org["id"]  # the fresh org is the template's, same id every time
        assert http.get("/_emulator/clock").json()["offset_ms"] == 0
        stale = crm(http, token, "/org")
        assert stale.status_code == 401 and stale.json()["code"] == "INVALID_TOKEN"

        fresh = http.post("/_emulator/tokens", json={}).json()["access_token"]
        assert crm(http, fresh, "/org").json()["org"][0]["id"] == new_org_id
        people = crm(http, fresh, "/users").json()["users"]
        assert [u["email"] for u in people] == [old_org["primary_email"]]
        assert crm(http, fresh, "/users/actions/count").json() == {"count": 1}

    with server(db_url) as http:  # and the reset itself is what a restart finds
        fresh_again = http.post("/_emulator/tokens", json={}).json()
        assert fresh_again["org_id"] == new_org_id
