"""The request journal's pages in a real browser (Playwright driving Debian's chromium) on a live
server: a request made before the page opens is listed, one made while it is open shows up by
itself, and its detail opens with a click."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.support.console import admin_client

pytestmark = pytest.mark.browser


def test_requests_show_up_on_the_open_page_and_open_with_a_click(live_server: LiveServer, page: Any) -> None:
    with admin_client(live_server.url) as api:
        before = api.get("/crm/v8/org").headers["x-request-id"]
        page.goto(f"{live_server.url}/console")
        page.click("#console-nav >> text=Requests")
        assert page.is_visible(f'tr[data-request-id="{before}"]')
        assert page.is_visible("#live")

        made = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Lovelace"}]})
        assert made.status_code == 201
    row = f'tr[data-request-id="{made.headers["x-request-id"]}"]'
    page.wait_for_selector(row, timeout=10_000)  # the page reloaded itself; nothing was clicked
    page.click(f"{row} >> a")
    assert page.text_content("#request-line") == "POST /crm/v8/Leads"
    assert page.text_content("#status") == "201"
    assert "Lovelace" in (page.text_content("#request-body") or "")


def test_the_filters_narrow_the_list_and_pausing_stops_the_reloads(live_server: LiveServer, page: Any) -> None:
    with admin_client(live_server.url) as api:
        org = api.get("/crm/v8/org").headers["x-request-id"]
        users = api.get("/crm/v8/users").headers["x-request-id"]
    page.goto(f"{live_server.url}/console/requests")
    page.click("#pause")
    assert page.is_visible("#paused")
    page.fill("#path", "/crm/v8/users")
    page.select_option("#face", "crm")
    page.click("#filter")
    assert page.is_visible(f'tr[data-request-id="{users}"]')
    assert not page.is_visible(f'tr[data-request-id="{org}"]')
    assert page.is_visible("#paused")  # filtering keeps it paused
    with admin_client(live_server.url) as api:
        later = api.get("/crm/v8/users").headers["x-request-id"]
    page.wait_for_timeout(3_000)
    assert not page.is_visible(f'tr[data-request-id="{later}"]')
    page.click("#resume")
    assert page.is_visible(f'tr[data-request-id="{later}"]')
