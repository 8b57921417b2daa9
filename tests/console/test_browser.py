"""The console's home, API console, data browser and usage pages in a real browser (Playwright
driving Debian's chromium) on a live server: every step a click or a typed value, no script on
the pages (their CSP runs none)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer
from tests.support.console import admin_client

pytestmark = pytest.mark.browser


def test_the_home_page_advances_the_clock_and_saves_and_restores_a_snapshot(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/console")
    assert page.text_content("#org-name") == "Zylker Emulated"
    page.fill("#amount", "2")
    page.select_option("#unit", "days")
    page.click("#advance")
    assert page.text_content("#notice") == "The clock moved 172800 seconds ahead."
    assert page.text_content("#offset") == "172800 s"

    page.fill("#snapshot-name", "two-days-on")
    page.click("#save-snapshot")
    assert page.text_content("#notice") == "Snapshot two-days-on saved."
    page.click("#reset")
    assert page.text_content("#offset") == "0 s"
    page.click("#restore-two-days-on")
    assert page.text_content("#notice") == "Snapshot two-days-on restored."
    assert page.text_content("#offset") == "172800 s"
    page.click("#delete-two-days-on")
    assert page.is_visible("#no-snapshots")


def test_the_api_console_makes_a_self_client_code_the_token_endpoint_takes(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/console")
    page.click("#console-nav >> text=API Console")
    page.select_option("#scope-ZohoCRM-org", "READ")
    page.select_option("#minutes", "10")
    page.click("#generate-code")
    assert page.text_content("#grant-scope") == "ZohoCRM.org.READ"
    assert page.text_content("#grant-expires-in") == "600 s"
    tokens = httpx.post(
        f"{live_server.url}/oauth/v2/token",
        data={
            "grant_type": "authorization_code",
            "code": page.text_content("#grant-code"),
            "client_id": page.text_content("#grant-client-id"),
            "client_secret": page.text_content("#grant-client-secret"),
        },
    )
    assert tokens.status_code == 200 and tokens.json()["scope"] == "ZohoCRM.org.READ"


def test_a_record_is_found_in_the_data_browser_and_its_calls_show_on_the_usage_chart(
    live_server: LiveServer, page: Any
) -> None:
    with admin_client(live_server.url) as api:
        made = api.post("/crm/v8/Accounts", json={"data": [{"Account_Name": "Umbrella Corp"}]})
        assert made.status_code == 201
    page.goto(f"{live_server.url}/console/data")
    page.click('tr[data-module="Accounts"] >> text=Accounts')
    page.fill("#word", "Umbrella")
    page.click("#search")
    page.click("text=Umbrella Corp")
    assert page.text_content("#record-name") == "Umbrella Corp"
    assert page.is_visible('section[data-related="Contacts"]')

    page.click("#console-nav >> text=Usage")
    assert page.text_content("#used") == "1"
    assert page.locator("svg#chart rect.bar").count() == 24
    assert page.get_attribute("svg#chart rect.bar >> nth=23", "data-credits") == "1"
