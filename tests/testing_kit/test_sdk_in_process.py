"""The official Python SDK against the emulator in-process, through the requests adapter, with no
socket at all: it signs in with a Self Client grant code (which it swaps for tokens itself), reads the
current user and org, and creates, reads, updates, upserts, searches, lists and deletes Leads (the
same steps as the live-server flow in tests/sdk/test_whole_flow.py)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.sdk.test_whole_flow import who_am_i, work_with_leads
from zcrm_emulator.testing.instances import SessionEmulator
from zcrm_emulator.testing.requests_adapter import InProcessAdapter
from zcrm_emulator.testing.sdk import initialize_sdk

pytestmark = pytest.mark.sdk

SCOPE = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ"


@pytest.fixture
def sent(zcrm_requests: InProcessAdapter, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(method, URL) of every request the adapter answers; any socket connected fails the test."""
    record: list[tuple[str, str]] = []
    answer = zcrm_requests.send

    def recording(request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        record.append((str(request.method), str(request.url)))
        return answer(request, *args, **kwargs)

    def refuse(self: socket.socket, *args: Any) -> None:
        raise AssertionError(f"a socket was connected to {args}")

    monkeypatch.setattr(zcrm_requests, "send", recording)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return record


def test_the_sdk_signs_in_and_works_with_records_in_process(
    zcrm: SessionEmulator, sent: list[tuple[str, str]], tmp_path: Path
) -> None:
    with zcrm.client() as control:
        grant = control.post("/_emulator/self-client", json={"scope": SCOPE}).json()
    token = initialize_sdk(zcrm.base_url, tmp_path, grant=grant)
    assert sent[0] == ("POST", f"{zcrm.base_url}/oauth/v2/token")
    assert token.get_refresh_token().startswith("1000.")

    user, org = who_am_i()
    assert user.get_email() == "admin@zylker.example"
    assert str(org.get_id()) == zcrm.emulator.default_org_id
    work_with_leads(int(user.get_id()))

    paths = {urlsplit(url).path for _, url in sent}
    assert {"/oauth/v2/token", "/crm/v8/users", "/crm/v8/org", "/crm/v8/Leads", "/crm/v8/Leads/search"} <= paths
    assert {urlsplit(url).netloc for _, url in sent} == {urlsplit(zcrm.base_url).netloc}


def test_the_zcrm_sdk_fixture_is_ready_in_process(
    zcrm: SessionEmulator, zcrm_sdk: Any, sent: list[tuple[str, str]]
) -> None:
    user, org = who_am_i()
    assert (user.get_email(), str(org.get_id())) == ("admin@zylker.example", zcrm.emulator.default_org_id)
    assert zcrm_sdk.get_access_token().startswith("1000.")
    assert sent == [("GET", f"{zcrm.base_url}/crm/v8/users?type=CurrentUser"), ("GET", f"{zcrm.base_url}/crm/v8/org")]
