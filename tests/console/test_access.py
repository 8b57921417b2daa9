"""Every console page of home, API console, data and usage follows the control plane's access rule:
loopback under this server's names, or (with an admin key) the key's header or sign-in cookie; and
every form needs this browser's CSRF token and no foreign Origin."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.support.connections import csrf_of
from zcrm_emulator import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

PAGES = [
    "/console",
    "/console/api",
    "/console/usage",
    "/console/data",
    "/console/data/Leads",
    "/console/data/Leads/records",
]
FORMS = [
    ("/console/clock/advance", {"amount": "1", "unit": "hours"}),
    ("/console/reset", {}),
    ("/console/snapshots", {"name": "before"}),
    (
        "/console/api/clients",
        {"client_name": "A", "homepage_url": "https://a.example", "redirect_uris": "https://a.example/cb"},
    ),
    ("/console/api/self-client", {"scope:ZohoCRM.users": "READ", "minutes": "3"}),
]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_answers_loopback_under_its_own_name_only(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200
    refused = client.get(path, headers={"Host": "evil.example"})
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path, form", FORMS)
def test_a_form_needs_this_browsers_token_and_origin(client: TestClient, path: str, form: dict[str, str]) -> None:
    offset_before = client.get("/_emulator/clock").json()["offset_ms"]
    assert client.post(path, data=form).status_code == 403
    token = csrf_of(client.get("/console").text)
    foreign = client.post(path, data={"csrf_token": token, **form}, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    other_browser = TestClient(client.app, base_url="http://testserver")
    assert other_browser.post(path, data={"csrf_token": token, **form}).status_code == 403
    assert client.get("/_emulator/clock").json()["offset_ms"] == offset_before
    assert client.get("/_emulator/snapshots").json()["snapshots"] == []
    assert client.get("/_emulator/clients").json()["clients"] == []


def test_a_page_answers_other_methods_with_an_html_405(client: TestClient) -> None:
    wrong = client.put("/console")
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "GET")
    assert client.get("/console/reset").headers["allow"] == "POST"


def test_with_an_admin_key_the_pages_need_the_key_or_the_sign_in_cookie(db_url: str) -> None:
    emulator = Emulator(Settings(db_url=db_url, public_url="http://testserver", admin_key="k3y"))
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as http:
        for path in PAGES:
            assert http.get(path).status_code == 401
        assert http.get("/console", headers={"X-Emulator-Admin-Key": "k3y"}).status_code == 200
        sign_in = http.get("/console/sign-in")
        http.post("/console/sign-in", data={"csrf_token": csrf_of(sign_in.text), "admin_key": "k3y"})
        for path in PAGES:
            assert http.get(path).status_code == 200
    emulator.close()
