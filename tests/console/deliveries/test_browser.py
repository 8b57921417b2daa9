"""The deliveries' pages in a real browser (Playwright driving Debian's chromium) on a live server:
a webhook sent just before is listed with its attempt and opens with a click."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer
from tests.support.receiver import receiver
from zcrm_emulator.delivery import Outbound

pytestmark = pytest.mark.browser


def test_a_delivery_sent_just_before_is_listed_and_opens_with_its_attempt(live_server: LiveServer, page: Any) -> None:
    emulator = live_server.emulator
    with receiver() as hook:
        hook.status = 500
        item = Outbound(emulator.default_org_id, "webhook", "9", "POST", hook.url + "hook", [], '{"id": "1"}')
        with emulator.store.tx(writes=True) as conn:
            delivery_id = emulator.deliveries.enqueue(conn, item)
        emulator.deliveries.kick()
        flushed = httpx.post(f"{live_server.url}/_emulator/deliveries/flush", json={})
        assert flushed.json() == {"pending": 0}
    page.goto(f"{live_server.url}/console")
    page.click("#console-nav >> text=Deliveries")
    row = f'tr[data-delivery-id="{delivery_id}"]'
    assert page.text_content(f"{row} >> td.code") == "500"
    page.select_option("#status", "delivered")
    page.click("#filter")
    assert page.is_visible("#no-deliveries")
    page.select_option("#status", "failed")
    page.click("#filter")
    page.click(f"{row} >> a")
    assert page.text_content("#request-line") == f"POST {hook.url}hook"
    assert page.text_content("#status") == "failed (server_error)"
    assert page.text_content('section[data-attempt="1"] >> dd.code') == "500"
