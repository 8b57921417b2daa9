"""Snapshots on the control plane (``/_emulator/snapshots`` …, ``/_emulator/reset``), on SQLite and
PostgreSQL: the calls, their Zoho envelopes for bad, unknown and taken names, and a restore refused
while another request of the server is in flight."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import LiveServer
from zcrm_emulator import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError

pytestmark = pytest.mark.usefixtures("both_backends")


def add_lead(api: TestClient, last_name: str) -> str:
    created = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": last_name}]})
    assert created.status_code == 201, created.text
    return str(created.json()["data"][0]["details"]["id"])


def test_save_list_restore_and_delete_over_http(api: TestClient) -> None:
    lead = add_lead(api, "Saved")
    saved = api.post("/_emulator/snapshots", json={"name": "with-lead"})
    assert saved.status_code == 201
    snapshot = saved.json()["snapshot"]
    assert snapshot["name"] == "with-lead" and snapshot["size_bytes"] > 0
    assert snapshot["created_time"].endswith("+00:00")
    assert api.get("/_emulator/snapshots").json() == {"snapshots": [snapshot]}

    api.delete(f"/crm/v8/Leads/{lead}")
    restored = api.post("/_emulator/snapshots/with-lead/restore")
    assert restored.status_code == 200
    assert restored.json()["status"] == "success" and restored.json()["snapshot"] == "with-lead"
    assert restored.json()["org_id"].isdigit()
    assert api.get(f"/crm/v8/Leads/{lead}").status_code == 200

    deleted = api.delete("/_emulator/snapshots/with-lead")
    assert deleted.json() == {"status": "success", "snapshot": "with-lead"}
    assert api.get("/_emulator/snapshots").json() == {"snapshots": []}


@pytest.mark.parametrize("name", ["Upper", "a.b", "x" * 41, "", 12, None, ["a"]])
def test_a_bad_name_is_invalid_data(client: TestClient, name: object) -> None:
    answer = client.post("/_emulator/snapshots", json={"name": name})
    assert answer.status_code == 400
    body = answer.json()
    assert set(body) == {"code", "details", "message", "status"}
    assert (body["code"], body["details"], body["status"]) == ("INVALID_DATA", {"api_name": "name"}, "error")
    assert "lower-case letters" in body["message"]


def test_unknown_taken_and_missing_names_are_refused_in_the_zoho_envelope(client: TestClient) -> None:
    for method, path in (("POST", "/_emulator/snapshots/nope/restore"), ("DELETE", "/_emulator/snapshots/nope")):
        unknown = client.request(method, path)
        assert unknown.status_code == 400
        assert unknown.json()["code"] == "INVALID_DATA"
        assert unknown.json()["details"] == {"api_name": "name", "name": "nope"}
    assert client.post("/_emulator/snapshots/Bad%20Name/restore").json()["details"] == {"api_name": "name"}

    assert client.post("/_emulator/snapshots", json={"name": "taken"}).status_code == 201
    taken = client.post("/_emulator/snapshots", json={"name": "taken"})
    assert (taken.status_code, taken.json()["code"]) == (400, "DUPLICATE_DATA")
    assert client.post("/_emulator/snapshots", json={"name": "taken", "replace": True}).status_code == 201
    not_bool = client.post("/_emulator/snapshots", json={"name": "taken", "replace": "yes"})
    assert not_bool.json()["details"] == {"api_name": "replace", "expected_data_type": "boolean"}
    missing = client.post("/_emulator/snapshots", json={})
    assert (missing.json()["code"], missing.json()["details"]) == ("MANDATORY_NOT_FOUND", {"api_name": "name"})


def test_reset_over_http_is_a_restore_of_the_fresh_org(api: TestClient, emulator: Emulator) -> None:
    org_id = emulator.default_org_id
    lead = add_lead(api, "Gone")
    reset = api.post("/_emulator/reset")
    assert reset.json() == {"status": "success", "org_id": org_id}  # the template's org, the same ids
    assert api.get(f"/crm/v8/Leads/{lead}").json()["code"] == "INVALID_TOKEN"  # tokens went with it


class StalledRequest:
    """A record insert whose body stops half-way until ``finish``: in flight on the server meanwhile."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.sending = threading.Event()
        self.release = threading.Event()
        self.status: int | None = None
        self.thread = threading.Thread(target=self._send, daemon=True)

    def _body(self) -> Iterator[bytes]:
        yield b'{"data": [{"Last_Name": '
        self.sending.set()
        self.release.wait(timeout=30)
        yield b'"Stalled"}]}'

    def _send(self) -> None:
        headers = {"Authorization": f"Zoho-oauthtoken {self.token}", "Content-Type": "application/json"}
        self.status = httpx.post(
            f"{self.url}/crm/v8/Leads", content=self._body(), headers=headers, timeout=30
        ).status_code

    def __enter__(self) -> StalledRequest:
        self.thread.start()
        assert self.sending.wait(timeout=10)
        return self

    def finish(self) -> int | None:
        self.release.set()
        self.thread.join(timeout=30)
        return self.status

    def __exit__(self, *exc: object) -> None:
        self.finish()


def test_a_restore_while_another_request_is_in_flight_is_refused_with_409(live_server: LiveServer) -> None:
    url = live_server.url
    token = httpx.post(f"{url}/_emulator/tokens", json={}, timeout=10).json()["access_token"]
    assert httpx.post(f"{url}/_emulator/snapshots", json={"name": "calm"}, timeout=10).status_code == 201

    with StalledRequest(url, token) as stalled:
        for attempt in (f"{url}/_emulator/snapshots/calm/restore", f"{url}/_emulator/reset"):
            refused = None
            for _ in range(100):  # the stalled request reaches the server a moment after its first bytes
                refused = httpx.post(attempt, timeout=10)
                if refused.status_code == 409:
                    break
            assert refused is not None and refused.status_code == 409, refused.text if refused else None
            assert refused.json()["code"] == "NOT_ALLOWED"
            assert refused.json()["details"] == {"requests_in_flight": 1}
        with pytest.raises(ZohoError) as in_process:
            live_server.emulator.restore("calm")
        assert (in_process.value.code, in_process.value.status) == ("NOT_ALLOWED", 409)
        assert stalled.finish() == 201  # the stalled call was never disturbed

    count = httpx.get(f"{url}/crm/v8/Leads/actions/count", headers={"Authorization": f"Zoho-oauthtoken {token}"})
    assert count.json() == {"count": 1}
    assert httpx.post(f"{url}/_emulator/snapshots/calm/restore", timeout=10).status_code == 200
    fresh_token = httpx.post(f"{url}/_emulator/tokens", json={}, timeout=10).json()["access_token"]
    count = httpx.get(f"{url}/crm/v8/Leads/actions/count", headers={"Authorization": f"Zoho-oauthtoken {fresh_token}"})
    assert count.json() == {"count": 0}


def test_snapshots_need_the_admin_key_like_the_rest_of_the_control_plane(db_url: str) -> None:
    keyed = Settings(db_url=db_url, public_url="http://testserver", admin_key="k3y")
    with TestClient(create_app(keyed), base_url="http://testserver") as http:
        assert http.get("/_emulator/snapshots").status_code == 401
        assert http.get("/_emulator/snapshots", headers={"X-Emulator-Admin-Key": "k3y"}).status_code == 200
