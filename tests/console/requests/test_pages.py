"""The request journal's pages over HTTP: the newest requests first, narrowed by method, path,
status, module, face and time; one request with its headers and bodies as the journal keeps them;
the list reloading itself unless paused; the control plane's access rule."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from zcrm_emulator import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

BASE = "/console/requests"


def listed(html: str) -> list[str]:
    return re.findall(r'<tr data-request-id="([^"]+)">', html)


def call(client: TestClient, auth: dict[str, str], method: str, path: str, **kwargs: Any) -> str:
    """The request id of one call, as its X-Request-Id header says."""
    return str(client.request(method, path, headers=auth, **kwargs).headers["x-request-id"])


def test_the_newest_request_is_listed_first_and_links_to_its_detail(client: TestClient, auth: dict[str, str]) -> None:
    first = call(client, auth, "GET", "/crm/v8/org")
    second = call(client, auth, "GET", "/crm/v8/Leads", params={"fields": "Last_Name"})
    page = client.get(BASE)
    assert page.status_code == 200
    assert listed(page.text)[:2] == [second, first]
    assert f'<a href="{BASE}/{second}">' in page.text
    row = re.search(rf'<tr data-request-id="{second}">(.*?)</tr>', page.text, re.S)
    assert row and "<td>crm</td>" in row[1] and "<td>Leads</td>" in row[1] and '<td class="status">204<' in row[1]


def test_the_list_reloads_itself_every_two_seconds_until_paused(client: TestClient) -> None:
    live = client.get(BASE, params={"face": "crm"}).text
    assert '<meta http-equiv="refresh" content="2">' in live and "<script" not in live
    assert 'href="/console/requests?face=crm&amp;live=off" id="pause"' in live
    paused = client.get(BASE, params={"face": "crm", "live": "off"}).text
    assert "http-equiv" not in paused
    assert 'href="/console/requests?face=crm" id="resume"' in paused
    assert '<input type="hidden" name="live" value="off">' in paused  # filtering keeps it paused


def test_the_journal_pages_are_not_journaled_so_reloading_keeps_the_ring_for_real_calls(
    client: TestClient, emulator: Emulator
) -> None:
    client.get("/console/usage")
    request_id = str(client.get("/_emulator/clock").headers["x-request-id"])
    for _ in range(3):
        client.get(BASE)
    client.get(f"{BASE}/{request_id}")
    assert [entry.path for entry in emulator.journal.entries()] == ["/console/usage", "/_emulator/clock"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"method": "post"}, ["made"]),
        ({"path": "/crm/v8/Lea*"}, ["made", "listed"]),
        ({"path": "/crm/v8/org"}, ["org"]),
        ({"status": "201"}, ["made"]),
        ({"module": "leads"}, ["made", "listed"]),
        ({"face": "control"}, ["clock"]),
        ({"method": "GET", "module": "Leads"}, ["listed"]),
    ],
)
def test_each_filter_narrows_the_list(
    client: TestClient, auth: dict[str, str], query: dict[str, str], expected: list[str]
) -> None:
    made = {
        "org": call(client, auth, "GET", "/crm/v8/org"),
        "listed": call(client, auth, "GET", "/crm/v8/Leads", params={"fields": "Last_Name"}),
        "made": call(client, auth, "POST", "/crm/v8/Leads", json={"data": [{"Last_Name": "Ada"}]}),
        "clock": str(client.get("/_emulator/clock").headers["x-request-id"]),
    }
    names = {request_id: name for name, request_id in made.items()}
    page = client.get(BASE, params=query)
    assert page.status_code == 200
    assert [names[request_id] for request_id in listed(page.text)] == expected


def test_the_form_shows_the_filters_given(client: TestClient) -> None:
    query = {"method": "POST", "path": "/crm/*", "status": "201", "module": "Leads", "face": "crm", "since": "5"}
    page = client.get(BASE, params=query).text
    for name in ("path", "status", "module", "since"):
        assert f'name="{name}" id="{name}" value="{query[name]}"' in page
    assert "<option selected>POST</option>" in page and "<option selected>crm</option>" in page


def test_since_takes_an_iso_time_or_epoch_milliseconds(client: TestClient, auth: dict[str, str]) -> None:
    before = call(client, auth, "GET", "/crm/v8/org")
    client.post("/_emulator/clock/advance", json={"seconds": 3600})
    now_ms = client.get("/_emulator/clock").json()["now_ms"]
    after = call(client, auth, "GET", "/crm/v8/org")
    for since in (str(now_ms), "2099-01-01T00:00:00Z"):
        ids = listed(client.get(BASE, params={"since": since, "face": "crm"}).text)
        assert ids == ([after] if since.isdigit() else [])
    assert set(listed(client.get(BASE, params={"face": "crm"}).text)) == {before, after}


@pytest.mark.parametrize(
    "query, problem",
    [
        ({"status": "abc"}, "The status must be an HTTP status code"),
        ({"status": "99"}, "The status must be an HTTP status code"),
        ({"face": "admin"}, "The face must be one of: crm, accounts, control, console."),
        ({"method": "FETCH"}, "The method must be one of"),
        ({"since": "yesterday"}, "Since must be a date and time"),
    ],
)
def test_a_filter_it_cannot_use_is_said_on_the_page(client: TestClient, query: dict[str, str], problem: str) -> None:
    client.get("/_emulator/clock")
    page = client.get(BASE, params=query)
    assert page.status_code == 400 and problem in page.text
    assert listed(page.text) == [] and 'id="no-requests"' not in page.text


def test_a_request_shows_its_headers_and_bodies_with_secrets_redacted(client: TestClient, auth: dict[str, str]) -> None:
    request_id = call(client, auth, "POST", "/crm/v8/Leads", json={"data": [{"Last_Name": "Lovelace"}]})
    page = client.get(f"{BASE}/{request_id}")
    assert page.status_code == 200
    assert 'id="request-line">POST /crm/v8/Leads<' in page.text
    assert 'id="status">201<' in page.text and 'id="module">Leads<' in page.text
    assert "<th>authorization</th><td><code>Zoho-oauthtoken [redacted]</code>" in page.text
    assert auth["Authorization"].split()[1] not in page.text
    response_body = re.search(r'<pre class="body" id="response-body">(.*?)</pre>', page.text, re.S)
    assert response_body and "\n  &#34;data&#34;: [" in response_body[1]  # whole JSON is laid out to be read
    assert "Lovelace" in page.text


def test_a_request_the_journal_no_longer_keeps_is_not_found(client: TestClient) -> None:
    request_id = str(client.get("/_emulator/clock").headers["x-request-id"])
    client.delete("/_emulator/requests")
    page = client.get(f"{BASE}/{request_id}")
    assert page.status_code == 404 and "keeps no request with the id" in page.text


def test_the_pages_are_in_the_navigation(client: TestClient) -> None:
    page = client.get(BASE).text
    assert '<a href="/console/requests" class="current" aria-current="page">Requests</a>' in page
    assert '<a href="/console/deliveries">Deliveries</a>' in page


@pytest.mark.parametrize("path", [BASE, f"{BASE}/abc"])
def test_the_pages_answer_loopback_under_their_own_name_only(client: TestClient, path: str) -> None:
    refused = client.get(path, headers={"Host": "evil.example"})
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    assert client.post(path).status_code == 405


def test_with_an_admin_key_the_pages_need_the_key(db_url: str) -> None:
    emulator = Emulator(Settings(db_url=db_url, public_url="http://testserver", admin_key="k3y"))
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as http:
        assert http.get(BASE).status_code == 401
        assert http.get(BASE, headers={"X-Emulator-Admin-Key": "k3y"}).status_code == 200
    emulator.close()
