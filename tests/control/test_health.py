"""``GET /_emulator/health``: liveness for probes (and the benchmark's bare baseline)."""

from __future__ import annotations

from starlette.testclient import TestClient

from zcrm_emulator import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator


def test_health_answers_ok_as_json(client: TestClient) -> None:
    response = client.get("/_emulator/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=UTF-8"
    assert response.json() == {"status": "ok"}


def test_health_needs_no_admin_key_where_the_rest_of_the_control_plane_does(db_url: str) -> None:
    emulator = Emulator(Settings(db_url=db_url, admin_key="k3y"))
    with TestClient(create_app(emulator=emulator)) as client:
        assert client.get("/_emulator/health").json() == {"status": "ok"}
        assert client.get("/_emulator/clock").status_code == 401
        assert client.get("/_emulator/clock", headers={"X-Emulator-Admin-Key": "k3y"}).status_code == 200


def test_health_is_get_only_and_other_methods_get_the_zoho_envelope(client: TestClient) -> None:
    response = client.post("/_emulator/health")
    assert response.status_code == 404
    assert response.json()["code"] == "INVALID_URL_PATTERN"
