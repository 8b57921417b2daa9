"""The seed's steps in a real browser (Playwright driving Debian's chromium) on a live server:
Setup › Connections › Custom Service (OAuth 2) › Create and Connect through a third-party
provider's consent page on loopback › connected › Test connection against a receiver; and the
ready-made Zoho CRM service through the emulator's own consent page, tested against its own API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.support.oauth_provider import CLIENT_ID, CLIENT_SECRET, Provider, oauth_provider
from tests.support.receiver import receiver

pytestmark = pytest.mark.browser


@pytest.fixture
def provider() -> Iterator[Provider]:
    with oauth_provider() as running:
        yield running


def test_a_custom_oauth2_service_is_created_connected_and_tested(
    live_server: LiveServer, provider: Provider, page: Any
) -> None:
    page.goto(f"{live_server.url}/console/connections")
    assert page.text_content("h1") == "Connections"
    page.click("#new-custom-service")
    page.fill("#service_name", "Example Contacts")
    page.fill("#service_link_name", "example_contacts")
    page.select_option("#auth_type", "oauth2")
    page.select_option("#param_type", "header")
    page.fill("#client_id", CLIENT_ID)
    page.fill("#client_secret", CLIENT_SECRET)
    page.fill("#authorize_url", provider.authorize_url)
    page.fill("#token_url", provider.token_url)
    page.fill("#scopes", "contacts.read, contacts.write")
    page.click("#create-service")

    assert page.text_content("h1") == "Connect to Example Contacts"
    page.fill("#connection_name", "Contacts Sync")
    page.fill("#connection_link_name", "contacts_sync")
    page.click("#create-and-connect")

    page.wait_for_url(f"{provider.authorize_url}?*")
    assert page.text_content("#asked-scopes") == "contacts.read,contacts.write"
    page.click("#approve")
    page.wait_for_url(f"{live_server.url}/console/connections/contacts_sync?connected=1")
    assert page.text_content("#status") == "Connected"
    assert page.text_content("#notice") == "Connected."
    (exchange,) = provider.token_requests
    assert exchange["redirect_uri"] == f"{live_server.url}/console/connections/callback"

    with receiver() as target:
        page.fill("#url", target.url + "contacts?page=1")
        page.click("#test")
        page.wait_for_selector("#result")
        assert page.text_content("#result-status") == "200"
        (received,) = target.wait_for(1)
    assert received.header("Authorization") == "Bearer at-1"
    assert received.path == "/contacts?page=1"

    page.click("text=Connections")
    assert page.text_content('tr[data-link-name="contacts_sync"] .status-connected') == "Connected"


def test_the_zoho_crm_service_connects_through_the_emulators_own_consent_page(
    live_server: LiveServer, page: Any
) -> None:
    page.goto(f"{live_server.url}/console/connections")
    page.click("#connect-zohocrm")
    page.fill("#connection_name", "This CRM")
    page.fill("#connection_link_name", "this_crm")
    page.fill("#scopes", "ZohoCRM.org.READ")
    page.click("#create-and-connect")

    page.wait_for_url(f"{live_server.url}/oauth/v2/auth?*")
    assert page.text_content("h1") == "Zoho CRM Connections would like to access your Zoho CRM data"
    page.click("#accept")
    page.wait_for_url(f"{live_server.url}/console/connections/this_crm?connected=1")
    assert page.text_content("#status") == "Connected"
    assert page.text_content("#scopes") == "ZohoCRM.org.READ"

    page.fill("#url", f"{live_server.url}/crm/v8/org")
    page.click("#test")
    page.wait_for_selector("#result")
    assert page.text_content("#result-status") == "200"
    assert "Zoho-oauthtoken 1000." in page.text_content("#request-headers")
    assert '"org"' in page.text_content("#result-body")
