"""A recipient in a real browser (Playwright driving Debian's chromium) on the hosted unsubscribe
page of a live server: the standard page with its message, the redirect after the button, and an
org's own (custom) page posting back to the emulator from another origin."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import LiveServer, free_port
from tests.support.console import admin_client, create_lead, create_link, read_record, recipient_url

pytestmark = pytest.mark.browser


class OrgSite:
    """The org's own web site on loopback: ``/goodbye`` (where a redirect lands) and
    ``/preferences`` (a custom unsubscribe page built from the query the emulator sends)."""

    def __init__(self) -> None:
        self.visits: list[tuple[str, dict[str, str]]] = []
        visits = self.visits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                if parts.path == "/goodbye":
                    body = "<p id='done'>Sorry to see you go</p>"
                elif parts.path == "/preferences":
                    body = (
                        f"<form method='post' action='{html.escape(query['submit_url'])}'>"
                        f"<input type='hidden' name='r' value='{html.escape(query['r'])}'>"
                        f"<input type='hidden' name='form_token' value='{html.escape(query['form_token'])}'>"
                        "<button id='leave'>Stop all emails</button></form>"
                    )
                else:  # the browser's /favicon.ico
                    self.send_error(404)
                    return
                visits.append((parts.path, query))
                payload = f"<html><body>{body}</body></html>".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def site() -> Iterator[OrgSite]:
    org_site = OrgSite()
    org_site.thread.start()
    yield org_site
    org_site.server.shutdown()
    org_site.server.server_close()


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[httpx.Client]:
    with admin_client(live_server.url) as client:
        yield client


def test_a_recipient_reads_the_message_unsubscribes_and_is_opted_out(
    live_server: LiveServer, api: httpx.Client, page: Any
) -> None:
    lead = create_lead(api)
    link = create_link(
        api,
        standard_page_message="You will not get our <b>newsletter</b> any more.",
        submission_message="You are unsubscribed. Goodbye!",
    )
    url = recipient_url(api, link, "Leads", lead)
    assert url.startswith(f"{live_server.url}/unsubscribe/{link}?r=")

    page.goto(url)
    assert page.text_content("#message") == "You will not get our newsletter any more."
    assert page.text_content("#message b") == "newsletter"
    assert page.text_content("#email") == "ada@example.com"
    assert read_record(api, "Leads", lead)["Email_Opt_Out"] is not True
    page.click("#unsubscribe")
    page.wait_for_selector("h1:has-text('Unsubscribed')")
    assert page.text_content("#message") == "You are unsubscribed. Goodbye!"
    assert page.url == f"{live_server.url}/unsubscribe/{link}"

    record = read_record(api, "Leads", lead)
    assert (record["Email_Opt_Out"], record["Unsubscribed_Mode"]) == (True, "Unsubscribe link")


def test_a_redirect_link_lands_the_recipient_on_the_orgs_page(api: httpx.Client, site: OrgSite, page: Any) -> None:
    lead = create_lead(api)
    goodbye = f"{site.url}/goodbye"
    link = create_link(api, submission_action_type="redirect", submission_message=None, submission_redirect_url=goodbye)
    page.goto(recipient_url(api, link, "Leads", lead))
    page.click("#unsubscribe")
    page.wait_for_url(goodbye)
    assert page.text_content("#done") == "Sorry to see you go"
    assert site.visits == [("/goodbye", {})]
    assert read_record(api, "Leads", lead)["Email_Opt_Out"] is True


def test_a_custom_page_posts_back_from_the_orgs_own_site(
    live_server: LiveServer, api: httpx.Client, site: OrgSite, page: Any
) -> None:
    lead = create_lead(api)
    link = create_link(
        api,
        page_type="custom",
        custom_location_url=f"{site.url}/preferences?lang=en",
        standard_page_message=None,
        submission_message="Done: no more emails.",
    )
    url = recipient_url(api, link, "Leads", lead)
    page.goto(url)
    assert page.url.startswith(f"{site.url}/preferences?lang=en&r=")
    ((path, query),) = site.visits
    assert (path, query["lang"], query["submit_url"]) == ("/preferences", "en", f"{live_server.url}/unsubscribe/{link}")
    assert query["r"] == parse_qs(urlsplit(url).query)["r"][0]

    page.click("#leave")
    page.wait_for_selector("h1:has-text('Unsubscribed')")
    assert page.text_content("#message") == "Done: no more emails."
    assert read_record(api, "Leads", lead)["Email_Opt_Out"] is True
