"""The delivery engine (delivery/): a stored request is sent to a real receiver on loopback exactly
as stored, every attempt is logged, failures are classified and retried under the policy, nothing is
sent for a rolled-back transaction, and a pending delivery outlives its process."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from tests.conftest import free_port
from tests.support.receiver import Receiver, receiver
from zcrm_emulator.config import Settings
from zcrm_emulator.delivery import Deliveries, DeliveryPolicy, Outbound
from zcrm_emulator.delivery import repo as delivery_repo
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        yield box


def engine(emulator: Emulator, **policy: object) -> Deliveries:
    return Deliveries(emulator.store, emulator.clock, DeliveryPolicy(**policy), mode="sync")  # type: ignore[arg-type]


def outbound(emulator: Emulator, url: str, **changes: object) -> Outbound:
    values: dict[str, object] = {
        "org_id": emulator.default_org_id,
        "source": "webhook",
        "source_id": "42",
        "method": "POST",
        "url": url,
        "headers": [("Content-Type", "application/json"), ("X-Token", "abc")],
        "body": json.dumps({"Email": "ada@zylker.example"}),
        "context": {"record": {"id": "7"}},
    }
    values.update(changes)
    return Outbound(**values)  # type: ignore[arg-type]


def stored(emulator: Emulator, sender: Deliveries, item: Outbound) -> str:
    with emulator.store.tx(writes=True) as conn:
        delivery_id = sender.enqueue(conn, item)
    return delivery_id


def logged(emulator: Emulator) -> list[dict[str, object]]:
    with emulator.store.tx() as conn:
        rows = delivery_repo.list_deliveries(conn, None, source=None, status=None, limit=100, offset=0)
        attempts = delivery_repo.attempts_of(conn, [r["id"] for r in rows])
    for row in rows:
        row["tries"] = [a for a in attempts if a["delivery_id"] == row["id"]]
    return rows


def test_a_stored_request_reaches_the_receiver_exactly_as_stored(emulator: Emulator, hook: Receiver) -> None:
    sender = engine(emulator)
    stored(emulator, sender, outbound(emulator, hook.url + "hooks/lead?x=1"))
    assert sender.deliver_due() == 1
    [got] = hook.wait_for(1)
    assert (got.method, got.path) == ("POST", "/hooks/lead?x=1")
    assert got.header("X-Token") == "abc"
    assert got.header("Content-Type") == "application/json"
    assert json.loads(got.body) == {"Email": "ada@zylker.example"}
    [row] = logged(emulator)
    assert (row["status"], row["attempts"], row["failure_reason"]) == ("delivered", 1, None)
    assert row["tries"][0]["status_code"] == 200


@pytest.mark.parametrize(
    ("status", "reason"), [(500, "server_error"), (404, "page_notfound"), (401, "authentication_failure")]
)
def test_a_non_2xx_answer_is_a_logged_failure(emulator: Emulator, hook: Receiver, status: int, reason: str) -> None:
    hook.status = status
    sender = engine(emulator)
    stored(emulator, sender, outbound(emulator, hook.url))
    sender.deliver_due()
    [row] = logged(emulator)
    assert (row["status"], row["failure_reason"]) == ("failed", reason)
    assert row["tries"][0]["status_code"] == status


def test_a_receiver_that_is_down_is_a_connection_failure(emulator: Emulator) -> None:
    sender = engine(emulator)
    stored(emulator, sender, outbound(emulator, f"http://127.0.0.1:{free_port()}/gone"))
    sender.deliver_due()
    [row] = logged(emulator)
    assert (row["status"], row["failure_reason"]) == ("failed", "connection_failure")
    assert "Connect" in str(row["tries"][0]["error"])


def test_failures_are_retried_under_the_policy_then_given_up(emulator: Emulator, hook: Receiver) -> None:
    hook.status = 503
    sender = engine(emulator, attempts=3, backoff_ms=10_000)
    stored(emulator, sender, outbound(emulator, hook.url))
    sender.deliver_due()
    assert logged(emulator)[0]["status"] == "pending"  # the retry waits for its time (emulator clock)
    emulator.advance_clock(10)
    sender.deliver_due()
    emulator.advance_clock(20)
    sender.deliver_due()
    [row] = logged(emulator)
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert [t["number"] for t in row["tries"]] == [1, 2, 3]
    assert len(hook.received) == 3


def test_a_retry_that_succeeds_is_delivered(emulator: Emulator, hook: Receiver) -> None:
    hook.status = 500
    sender = engine(emulator, attempts=2, backoff_ms=1000)
    stored(emulator, sender, outbound(emulator, hook.url))
    sender.deliver_due()
    hook.status = 200
    emulator.advance_clock(1)
    sender.deliver_due()
    assert logged(emulator)[0]["status"] == "delivered"


def test_the_strict_policy_refuses_loopback_and_private_hosts(emulator: Emulator, hook: Receiver) -> None:
    sender = engine(emulator, outbound="strict")
    stored(emulator, sender, outbound(emulator, hook.url))
    sender.deliver_due()
    assert hook.received == []
    [row] = logged(emulator)
    assert row["status"] == "failed"
    assert "refused" in str(row["tries"][0]["error"])


def test_a_rolled_back_transaction_sends_nothing(emulator: Emulator, hook: Receiver) -> None:
    sender = engine(emulator)
    with pytest.raises(RuntimeError), emulator.store.tx(writes=True) as conn:
        sender.enqueue(conn, outbound(emulator, hook.url))
        raise RuntimeError("the deciding call failed")
    assert sender.deliver_due() == 0
    assert hook.received == []


def test_a_pending_delivery_outlives_its_process(db_url: str, hook: Receiver) -> None:
    first = Emulator(Settings(db_url=db_url))
    stored(first, engine(first), outbound(first, hook.url))
    first.close()  # stopped before sending
    second = Emulator(Settings(db_url=db_url))
    try:
        assert engine(second).deliver_due() == 1
        assert len(hook.wait_for(1)) == 1
    finally:
        second.close()


def test_the_background_sender_delivers_and_flush_waits_for_it(emulator: Emulator, hook: Receiver) -> None:
    sender = Deliveries(emulator.store, emulator.clock, DeliveryPolicy(), mode="async")

    async def scenario() -> bool:
        running = asyncio.create_task(sender.run())
        await asyncio.sleep(0)
        stored(emulator, sender, outbound(emulator, hook.url))
        sender.kick()
        done = await sender.flush(timeout_s=10)
        running.cancel()
        return done

    assert asyncio.run(scenario()) is True
    assert len(hook.received) == 1


def test_two_workers_never_send_one_delivery_twice(db_url: str, hook: Receiver) -> None:
    emulators = [Emulator(Settings(db_url=db_url)) for _ in range(2)]
    try:
        senders = [engine(e) for e in emulators]
        for n in range(10):
            stored(emulators[0], senders[0], outbound(emulators[0], hook.url + str(n)))
        claims = [sender._claim() for sender in senders]
        first, second = ({c.id for c in batch} for batch in claims)
        assert len(first) == 10 and second == set()
    finally:
        for e in emulators:
            e.close()
