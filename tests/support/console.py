"""Helpers for the console tests: records and unsubscribe links made over the API, the control
plane's recipient URLs, and the hosted page's form read back from its HTML."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import httpx

LINKS = "/crm/v8/settings/unsubscribe_links"


def admin_client(base_url: str) -> httpx.Client:
    """A client of a live server with an all-scopes admin token from the control plane."""
    token = httpx.post(f"{base_url}/_emulator/tokens", json={}).json()["access_token"]
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Zoho-oauthtoken {token}"})


def create_record(api: httpx.Client, module: str, **values: Any) -> str:
    response = api.post(f"/crm/v8/{module}", json={"data": [values]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def create_lead(api: httpx.Client, email: str | None = "ada@example.com", **values: Any) -> str:
    fields = {"Last_Name": "Lovelace", "Company": "Analytical Engines", "Email": email, **values}
    return create_record(api, "Leads", **fields)


def read_record(api: httpx.Client, module: str, record_id: str) -> dict[str, Any]:
    response = api.get(f"/crm/v8/{module}/{record_id}")
    assert response.status_code == 200, response.text
    return dict(response.json()["data"][0])


def link_item(**overrides: Any) -> dict[str, Any]:
    """A standard-page link that shows a message, with keys replaced or (value None) removed."""
    item: dict[str, Any] = {
        "name": "Newsletter",
        "page_type": "standard",
        "standard_page_message": "You will not get our newsletter any more.",
        "submission_action_type": "display_message",
        "submission_message": "You are unsubscribed. Goodbye!",
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def create_link(api: httpx.Client, **overrides: Any) -> str:
    response = api.post(LINKS, json={"unsubscribe_links": [link_item(**overrides)]})
    assert response.status_code == 201, response.text
    return str(response.json()["unsubscribe_links"][0]["details"]["id"])


def recipient_url(client: httpx.Client, link_id: str, module: str, record_id: str) -> str:
    response = client.get(
        f"/_emulator/unsubscribe_links/{link_id}/url", params={"module": module, "record_id": record_id}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["url"])


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.action = found.get("action")
        elif tag == "input" and found.get("name"):
            self.fields[str(found["name"])] = found.get("value") or ""


def page_form(html: str) -> tuple[str, dict[str, str]]:
    """The hosted page's form: where it posts and its fields."""
    parser = _Form()
    parser.feed(html)
    assert parser.action is not None, html
    return parser.action, parser.fields


def open_page(api: httpx.Client, url: str) -> tuple[str, dict[str, str]]:
    page = api.get(url)
    assert page.status_code == 200, page.text
    return page_form(page.text)
