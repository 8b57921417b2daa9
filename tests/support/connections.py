"""Helpers for the connection tests: seeding connections on the control plane, reading the
console's forms back from their HTML, and walking Create and Connect for the Zoho CRM service
through the emulator's own consent page with an in-process client."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

CONNECTIONS = "/_emulator/connections"
CONSOLE = "/console/connections"


def seed(client: TestClient, **body: Any) -> dict[str, Any]:
    """A connection made on the control plane (201 expected); its shown form."""
    response = client.post(CONNECTIONS, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json()["connection"])


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found is not None, f"no {name} in the page"
    return found.group(1)


def csrf_of(html: str) -> str:
    return hidden(html, "csrf_token")


def accept_consent(client: TestClient, consent_page_url: str) -> str:
    """Accept the emulator's consent page as its first user; the Location it redirects to."""
    page = client.get(consent_page_url)
    assert page.status_code == 200, page.text
    answer = client.post(
        "/oauth/v2/consent",
        data={
            "consent_token": hidden(page.text, "consent_token"),
            "user_id": hidden(page.text, "user_id"),
            "decision": "accept",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 302, answer.text
    return str(answer.headers["location"])


def connect_zoho_crm(client: TestClient, link_name: str, scopes: str = "ZohoCRM.modules.ALL,ZohoCRM.org.ALL") -> None:
    """Create and Connect a Zoho CRM connection in the console, consenting on the emulator's page."""
    form = client.get(f"{CONSOLE}/new", params={"service": "zohocrm"})
    started = client.post(
        CONSOLE,
        data={
            "csrf_token": csrf_of(form.text),
            "service_link_name": "zohocrm",
            "connection_name": link_name.title(),
            "connection_link_name": link_name,
            "scopes": scopes,
        },
        follow_redirects=False,
    )
    assert started.status_code == 302, started.text
    callback = accept_consent(client, started.headers["location"])
    finished = client.get(callback, follow_redirects=False)
    assert finished.status_code == 302, finished.text
    assert finished.headers["location"].endswith(f"/{link_name}?connected=1")
