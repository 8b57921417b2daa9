"""The deliveries' pages over HTTP: every request the emulator sent out for the default org, newest
first, with its attempts (status, URL, source, times, response code), narrowed by source and status;
one delivery with the request as stored and every attempt's answer; the control plane's access rule."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.support.receiver import Receiver, receiver
from zcrm_emulator import ids
from zcrm_emulator.delivery import Outbound, repo
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

BASE = "/console/deliveries"


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        yield box


def send(emulator: Emulator, url: str, source: str = "webhook", body: str = '{"event": "create"}') -> str:
    item = Outbound(
        emulator.default_org_id,
        source,
        "77",
        "POST",
        url,
        [("Content-Type", "application/json")],
        body,
        {"module": "Leads", "record_id": "123"},
    )
    with emulator.store.tx(writes=True) as conn:
        delivery_id = emulator.deliveries.enqueue(conn, item)
    emulator.deliveries.kick()
    return delivery_id


def settle(client: TestClient) -> None:
    assert client.post("/_emulator/deliveries/flush", json={}).json() == {"pending": 0}


def listed(html: str) -> list[str]:
    return re.findall(r'<tr data-delivery-id="(\d+)">', html)


def row_of(html: str, delivery_id: str) -> str:
    found = re.search(rf'<tr data-delivery-id="{delivery_id}">(.*?)</tr>', html, re.S)
    assert found, html
    return found[1]


def test_a_delivery_is_listed_with_its_status_url_source_attempts_and_response_code(
    client: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    delivery_id = send(emulator, hook.url + "in")
    settle(client)
    page = client.get(BASE)
    assert page.status_code == 200 and listed(page.text) == [delivery_id]
    row = row_of(page.text, delivery_id)
    assert f"<code>{hook.url}in</code>" in row and "webhook" in row
    assert '<td class="status">delivered' in row and "<td>1 of 1</td>" in row and '<td class="code">200</td>' in row
    assert f'href="{BASE}/{delivery_id}"' in row
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}</td>", row)  # finished


def test_a_failed_delivery_shows_its_reason_and_the_code_that_came_back(
    client: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    hook.status = 404
    delivery_id = send(emulator, hook.url)
    settle(client)
    row = row_of(client.get(BASE).text, delivery_id)
    assert '<td class="status">failed <span class="muted">(page_notfound)</span>' in row
    assert '<td class="code">404</td>' in row


def test_the_list_is_newest_first_and_filters_by_source_and_status(
    client: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    delivered = send(emulator, hook.url)
    settle(client)
    hook.status = 500
    client.post("/_emulator/clock/advance", json={"seconds": 60})
    failed = send(emulator, hook.url, source="watch")
    settle(client)
    assert listed(client.get(BASE).text) == [failed, delivered]
    assert listed(client.get(BASE, params={"status": "failed"}).text) == [failed]
    assert listed(client.get(BASE, params={"source": "webhook"}).text) == [delivered]
    assert listed(client.get(BASE, params={"source": "webhook", "status": "failed"}).text) == []
    page = client.get(BASE, params={"source": "watch"}).text
    assert "<option selected>watch</option>" in page and "<option>webhook</option>" in page


def test_a_status_it_does_not_know_is_refused(client: TestClient) -> None:
    page = client.get(BASE, params={"status": "lost"})
    assert page.status_code == 400 and "The status must be one of: pending, delivered, failed." in page.text


def test_a_delivery_shows_the_request_as_stored_and_every_attempt(
    client: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    hook.answer = b'{"thanks": true}'
    delivery_id = send(emulator, hook.url + "in")
    settle(client)
    page = client.get(f"{BASE}/{delivery_id}")
    assert page.status_code == 200
    assert f'id="request-line">POST {hook.url}in<' in page.text
    assert 'id="source">webhook <code>77</code>' in page.text and 'id="attempts">1 of 1<' in page.text
    assert "&#34;record_id&#34;: &#34;123&#34;" in page.text  # the context
    assert '<pre class="body" id="request-body">{\n  &#34;event&#34;: &#34;create&#34;\n}</pre>' in page.text
    attempt = re.search(r'<section class="attempt" data-attempt="1">(.*?)</section>', page.text, re.S)
    assert attempt and '<dd class="code">200</dd>' in attempt[1]
    assert "<th>User-Agent</th>" in attempt[1]  # the headers as sent
    assert "&#34;thanks&#34;: true" in attempt[1]


def test_a_delivery_not_yet_attempted_says_so(client: TestClient, emulator: Emulator) -> None:
    now_ms = emulator.clock.now_ms()
    with emulator.store.tx(writes=True) as conn:  # due in an hour: the background sender leaves it
        delivery_id = ids.allocate(conn, emulator.default_org_id)[0]
        repo.insert_delivery(
            conn,
            id=delivery_id,
            org_id=emulator.default_org_id,
            source="webhook",
            source_id=None,
            context={},
            method="GET",
            url="http://127.0.0.1:9/",
            headers=[],
            body=None,
            max_attempts=1,
            next_attempt_ms=now_ms + 3_600_000,
            created_ms=now_ms,
        )
    row = row_of(client.get(BASE).text, delivery_id)
    assert '<td class="status">pending</td>' in row and "<td>0 of 1</td>" in row
    page = client.get(f"{BASE}/{delivery_id}").text
    assert "Not attempted yet: it is waiting to be sent." in page and 'id="request-no-body"' in page


@pytest.mark.parametrize("delivery_id", ["999999999", "abc"])
def test_a_delivery_that_does_not_exist_is_not_found(client: TestClient, delivery_id: str) -> None:
    page = client.get(f"{BASE}/{delivery_id}")
    assert page.status_code == 404 and f"There is no delivery with the id {delivery_id}." in page.text


def test_the_pages_follow_the_access_rule_and_are_in_the_navigation(client: TestClient) -> None:
    page = client.get(BASE)
    assert '<a href="/console/deliveries" class="current" aria-current="page">Deliveries</a>' in page.text
    assert client.get(BASE, headers={"Host": "evil.example"}).status_code == 403
    assert client.get(f"{BASE}/1", headers={"Host": "evil.example"}).status_code == 403
    assert client.delete(BASE).status_code == 405
