"""A person on the consent page in a real browser (Playwright driving Debian's chromium): sign in as
a chosen user, approve or deny, land on the application's callback (a tiny server on loopback), and
the application exchanges the code and calls the CRM API with the token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.conftest import LiveServer, free_port
from tests.support.people import add_standard_user

pytestmark = pytest.mark.browser

SCOPE = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ"


class Callback:
    """The application's redirect URI: records each query it receives and says so in a page."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != "/cb":
                    self.send_error(404)
                    return
                received.append({k: v[0] for k, v in parse_qs(parts.query).items()})
                body = b"<html><body><p id='done'>connected</p></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cb"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def callback() -> Iterator[Callback]:
    app = Callback()
    app.thread.start()
    yield app
    app.server.shutdown()
    app.server.server_close()


def auth_url(server: LiveServer, callback: Callback) -> tuple[str, dict[str, Any]]:
    app = httpx.post(
        f"{server.url}/_emulator/clients",
        json={
            "client_name": "Zylker Sync",
            "homepage_url": "https://sync.zylker.example",
            "redirect_uris": [callback.url],
        },
    ).json()["client"]
    query = {
        "client_id": app["client_id"],
        "response_type": "code",
        "redirect_uri": callback.url,
        "scope": SCOPE,
        "access_type": "offline",
        "state": "from-the-browser",
    }
    return f"{server.url}/oauth/v2/auth?{urlencode(query)}", app


def test_a_user_signs_in_approves_and_the_app_calls_the_api(
    live_server: LiveServer, callback: Callback, page: Any
) -> None:
    rep = add_standard_user(live_server.emulator, "rep@zylker.example")
    url, app = auth_url(live_server, callback)
    page.goto(url)
    assert page.text_content("h1") == "Zylker Sync would like to access your Zoho CRM data"
    assert "View the users of your organization" in page.text_content("#requested-scopes")
    page.check(f'input[name="user_id"][value="{rep}"]')
    page.click("#accept")
    page.wait_for_url(f"{callback.url}?*")
    assert page.text_content("#done") == "connected"

    (received,) = callback.received
    assert received["state"] == "from-the-browser"
    assert received["location"] == "us"
    assert received["accounts-server"] == live_server.url
    tokens = httpx.post(
        f"{received['accounts-server']}/oauth/v2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "redirect_uri": callback.url,
            "code": received["code"],
        },
    ).json()
    assert "refresh_token" in tokens
    headers = {"Authorization": f"Zoho-oauthtoken {tokens['access_token']}"}
    modules = httpx.get(f"{tokens['api_domain']}/crm/v8/settings/modules", headers=headers)
    assert modules.status_code == 200
    assert "Leads" in {m["api_name"] for m in modules.json()["modules"]}
    me = httpx.get(f"{tokens['api_domain']}/crm/v8/users", params={"type": "CurrentUser"}, headers=headers)
    assert me.json()["users"][0]["email"] == "rep@zylker.example"


def test_a_user_denies_and_the_app_is_told_so(live_server: LiveServer, callback: Callback, page: Any) -> None:
    url, _ = auth_url(live_server, callback)
    page.goto(url)
    page.click("#deny")
    page.wait_for_url(f"{callback.url}?*")
    assert callback.received == [{"error": "access_denied", "state": "from-the-browser"}]


def test_a_bad_link_shows_an_error_page_and_goes_nowhere(
    live_server: LiveServer, callback: Callback, page: Any
) -> None:
    url, _ = auth_url(live_server, callback)
    page.goto(url.replace("redirect_uri=", "redirect_uri=http%3A%2F%2Fevil.example%2F"))
    assert page.text_content("#error-title") == "Invalid Redirect URI"
    assert callback.received == []
