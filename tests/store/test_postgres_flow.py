"""End to end over real loopback HTTP against PostgreSQL, as a client and as several workers."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import LiveServer
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.postgres


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {token}"}


def test_token_org_users_modules_over_http(live_server: LiveServer) -> None:
    assert live_server.emulator.store.dialect == "postgresql"
    with httpx.Client(base_url=f"{live_server.url}/crm/v8") as http:
        token = httpx.post(f"{live_server.url}/_emulator/tokens", json={}).json()["access_token"]
        headers = bearer(token)

        org = http.get("/org", headers=headers)
        assert org.status_code == 200
        assert org.headers["content-type"] == "application/json;charset=UTF-8"
        zgid = org.json()["org"][0]["zgid"]

        me = http.get("/users", params={"type": "CurrentUser"}, headers=headers).json()["users"][0]
        assert me["profile"]["name"] == "Administrator"
        assert me["email"] == org.json()["org"][0]["primary_email"]

        modules = http.get("/settings/modules", headers=headers).json()["modules"]
        leads = http.get("/settings/modules/Leads", headers=headers).json()["modules"][0]
        assert leads["id"] in {m["id"] for m in modules}
        assert http.get(f"/settings/modules/{leads['id']}", headers=headers).json()["modules"][0] == leads
        assert zgid.isdigit()

        missing = http.get("/settings/modules/Nope", headers=headers)
        assert (missing.status_code, missing.json()["code"]) == (400, "INVALID_MODULE")
        assert http.get("/org").json()["code"] == "AUTHENTICATION_FAILURE"


def test_two_workers_on_one_database_see_the_same_org(db_url: str) -> None:
    def worker() -> LiveServer:
        return LiveServer(lambda url: Emulator(Settings(db_url=db_url, public_url=url)))

    with worker() as first, worker() as second:
        token = httpx.post(f"{first.url}/_emulator/tokens", json={}).json()["access_token"]
        httpx.post(f"{first.url}/_emulator/users", json={"email": "shared@zylker.example", "last_name": "Shared"})
        users = httpx.get(f"{second.url}/crm/v8/users", headers=bearer(token)).json()["users"]
        assert "shared@zylker.example" in {u["email"] for u in users}

        new_org = httpx.post(f"{first.url}/_emulator/reset").json()["org_id"]
        assert httpx.get(f"{second.url}/crm/v8/org", headers=bearer(token)).json()["code"] == "INVALID_TOKEN"
        minted = httpx.post(f"{second.url}/_emulator/tokens", json={}).json()
        assert minted["org_id"] == new_org
        org = httpx.get(f"{second.url}/crm/v8/org", headers=bearer(minted["access_token"])).json()
        assert org["org"][0]["id"] == new_org
