"""The delivery log and quiescence on the control plane: ``GET /_emulator/deliveries`` shows every
outbound request with its attempts; ``POST /_emulator/deliveries/flush`` answers once nothing is
pending; the server's own background sender does the sending."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.support.receiver import Receiver, receiver
from zcrm_emulator.delivery import Outbound
from zcrm_emulator.emulator import Emulator


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        yield box


def send(emulator: Emulator, url: str) -> str:
    item = Outbound(emulator.default_org_id, "webhook", "1", "POST", url, [("Content-Type", "text/plain")], "hi")
    with emulator.store.tx(writes=True) as conn:
        delivery_id = emulator.deliveries.enqueue(conn, item)
    emulator.deliveries.kick()
    return delivery_id


def test_flush_answers_once_the_background_sender_has_delivered(
    client: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    delivery_id = send(emulator, hook.url + "in")
    assert client.post("/_emulator/deliveries/flush", json={}).json() == {"pending": 0}
    assert [r.path for r in hook.received] == ["/in"]
    [shown] = client.get("/_emulator/deliveries").json()["deliveries"]
    assert (shown["id"], shown["status"], shown["source"]) == (delivery_id, "delivered", "webhook")
    [attempt] = shown["attempts_log"]
    assert attempt["status_code"] == 200
    assert ["Content-Type", "text/plain"] in attempt["request_headers"]


def test_the_log_filters_by_status_and_source(client: TestClient, emulator: Emulator, hook: Receiver) -> None:
    hook.status = 500
    send(emulator, hook.url)
    client.post("/_emulator/deliveries/flush", json={})
    assert len(client.get("/_emulator/deliveries", params={"status": "failed"}).json()["deliveries"]) == 1
    assert client.get("/_emulator/deliveries", params={"status": "delivered"}).json()["deliveries"] == []
    assert client.get("/_emulator/deliveries", params={"source": "watch"}).json()["deliveries"] == []


@pytest.mark.parametrize("body", [{"timeout_seconds": 0}, {"timeout_seconds": 121}, {"timeout_seconds": "x"}])
def test_a_flush_timeout_outside_its_range_is_invalid_data(client: TestClient, body: dict[str, object]) -> None:
    response = client.post("/_emulator/deliveries/flush", json=body)
    assert (response.status_code, response.json()["code"]) == (400, "INVALID_DATA")
