"""The request journal: every request and answer on every face, secrets redacted, with timing, the
principal and the credits charged; read at ``/_emulator/requests`` with filters and by id, and in
tests with ``emulator.journal.entries``; bounded; emptied by a reset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.accounts import Flows, register
from zcrm_emulator import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.journal import redact
from zcrm_emulator.journal.redact import REDACTED

LEADS = "/crm/v8/Leads"


def listed(http: TestClient, **filters: str | int) -> list[dict[str, object]]:
    response = http.get("/_emulator/requests", params=filters)
    assert response.status_code == 200, response.text
    return list(response.json()["requests"])


def detail(http: TestClient, entry_id: object) -> dict[str, object]:
    response = http.get(f"/_emulator/requests/{entry_id}")
    assert response.status_code == 200, response.text
    return dict(response.json()["request"])


def test_a_crm_call_is_journaled_with_its_principal_credits_timing_and_request_id(
    api: TestClient, emulator: Emulator
) -> None:
    answer = api.post(LEADS, json={"data": [{"Last_Name": "Ng"}]})
    assert answer.status_code == 201
    [entry] = listed(api, path=LEADS)
    assert entry["id"] == answer.headers["x-request-id"]
    assert (entry["face"], entry["method"], entry["module"], entry["status"]) == ("crm", "POST", "Leads", 201)
    assert entry["credits"] == 1
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] > 0
    principal = entry["principal"]
    assert isinstance(principal, dict)
    assert principal["org_id"] == emulator.default_org_id
    assert principal["user_id"]
    full = detail(api, entry["id"])
    assert full["request_body"] == '{"data":[{"Last_Name":"Ng"}]}'
    assert '"status":"success"' in str(full["response_body"])
    assert full["request_headers"]["authorization"] == f"Zoho-oauthtoken {REDACTED}"  # type: ignore[index]


def test_a_call_refused_before_the_handler_has_no_principal_and_no_credits(client: TestClient) -> None:
    client.get(LEADS, headers={"Authorization": "Zoho-oauthtoken 1000.nope"})
    [entry] = listed(client, path=LEADS)
    assert entry["status"] == 401
    assert entry["credits"] is None
    assert entry["principal"] == {"org_id": None, "user_id": None, "client_id": None}


def test_secrets_in_oauth_forms_queries_redirects_and_json_bodies_are_redacted(
    client: TestClient, emulator: Emulator
) -> None:
    flows = Flows(client, register(emulator), emulator)
    code = flows.code(access_type="offline", prompt="consent")
    tokens = flows.exchange(code)
    client.post("/oauth/v2/token", params={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    text = str([detail(client, e["id"]) for e in listed(client)])
    for secret in (code, tokens["access_token"], tokens["refresh_token"], flows.app.client_secret):
        assert secret not in text
    [exchange, refresh] = listed(client, path="/oauth/v2/token")
    exchanged = detail(client, exchange["id"])
    assert f"client_secret={REDACTED}" in str(exchanged["request_body"])
    assert f"code={REDACTED}" in str(exchanged["request_body"])
    assert f'"access_token":"{REDACTED}"' in str(exchanged["response_body"])
    assert exchange["principal"] == {"org_id": None, "user_id": None, "client_id": flows.app.client_id}
    assert detail(client, refresh["id"])["query"] == f"grant_type=refresh_token&refresh_token={REDACTED}"
    [consent] = listed(client, path="/oauth/v2/consent")
    assert f"code={REDACTED}" in detail(client, consent["id"])["response_headers"]["location"]  # type: ignore[index]


def test_an_error_code_in_a_json_body_stays_readable(api: TestClient) -> None:
    api.get("/crm/v8/Nonexistent_Module")
    [entry] = listed(api, path="/crm/v8/Nonexistent_Module")
    assert '"code":"INVALID_MODULE"' in str(detail(api, entry["id"])["response_body"])


def test_filters_pick_by_method_path_status_module_face_and_since(api: TestClient, emulator: Emulator) -> None:
    api.get(LEADS, params={"fields": "Last_Name"})
    api.post("/crm/v8/Contacts", json={"data": [{"Last_Name": "Ng"}]})
    api.get("/crm/v8/settings/fields", params={"module": "Contacts"})
    middle = emulator.clock.now_ms()
    api.get("/crm/v8/Deals", params={"fields": "Deal_Name"})
    api.get("/_emulator/clock")
    assert [e["path"] for e in listed(api, method="post")] == ["/crm/v8/Contacts"]
    assert [e["status"] for e in listed(api, status=204)] == [204, 204]
    assert [e["path"] for e in listed(api, module="contacts")] == ["/crm/v8/Contacts", "/crm/v8/settings/fields"]
    assert [e["path"] for e in listed(api, path="/crm/v8/settings/*")] == ["/crm/v8/settings/fields"]
    assert [e["path"] for e in listed(api, since=middle, face="crm")] == ["/crm/v8/Deals"]
    assert [e["path"] for e in listed(api, face="control")] == ["/_emulator/clock"]
    assert [e["path"] for e in listed(api, face="crm", limit=1)] == ["/crm/v8/Deals"]


@pytest.mark.parametrize(("name", "value"), [("status", "abc"), ("since", "-1"), ("face", "web"), ("faulted", "1")])
def test_a_bad_filter_is_invalid_data_naming_it(client: TestClient, name: str, value: str) -> None:
    response = client.get("/_emulator/requests", params={name: value})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_DATA"
    assert response.json()["details"]["api_name"] == name


def test_an_id_not_kept_is_invalid_data(client: TestClient) -> None:
    response = client.get("/_emulator/requests/0123456789abcdef")
    assert response.status_code == 400
    assert response.json()["details"] == {"api_name": "id"}


def test_the_journals_own_reads_are_not_journaled(client: TestClient) -> None:
    listed(client)
    listed(client)
    assert listed(client) == []


@pytest.fixture
def small(settings: Settings) -> Iterator[tuple[Emulator, TestClient]]:
    settings.journal_size, settings.journal_body_bytes = 3, 40
    emulator = Emulator(settings)
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as http:
        yield emulator, http
    emulator.close()


def test_the_journal_keeps_the_last_n_entries_and_cuts_long_bodies(small: tuple[Emulator, TestClient]) -> None:
    emulator, http = small
    token = http.post("/_emulator/tokens", json={}).json()["access_token"]
    http.headers["Authorization"] = f"Zoho-oauthtoken {token}"
    names = [f"Name{i}" for i in range(4)]
    for name in names:
        http.post(LEADS, json={"data": [{"Last_Name": name, "Description": "x" * 100}]})
    kept = emulator.journal.entries()
    assert len(kept) == 3
    assert [e.request_body[:40] if e.request_body else None for e in kept] == [
        e.request_body for e in kept
    ]  # no body past the limit
    assert all(e.request_body_truncated for e in kept)
    assert kept[-1].request_body == '{"data":[{"Last_Name":"Name3","Descripti'


def test_reset_empties_the_journal(api: TestClient, emulator: Emulator) -> None:
    api.get(LEADS, params={"fields": "Last_Name"})
    api.post("/_emulator/reset")
    assert [(e.method, e.path) for e in emulator.journal.entries()] == [("POST", "/_emulator/reset")]


def test_delete_empties_the_journal(api: TestClient, emulator: Emulator) -> None:
    api.get(LEADS, params={"fields": "Last_Name"})
    assert api.delete("/_emulator/requests").json() == {"status": "success"}
    assert emulator.journal.entries() == []


def test_the_python_api_filters_entries_for_assertions(
    client: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token()}"
    client.post(LEADS, json={"data": [{"Last_Name": "Ng"}]})
    client.get(LEADS, params={"fields": "Last_Name"})
    [created] = emulator.journal.entries(method="POST", module="Leads")
    assert created.status == 201
    assert created.principal["org_id"] == emulator.default_org_id
    assert emulator.journal.get(created.id) == created
    assert [e.method for e in emulator.journal.entries(path=LEADS)] == ["POST", "GET"]


def test_console_pages_are_journaled(client: TestClient) -> None:
    client.get("/unsubscribe/nothing-here")
    [entry] = listed(client, face="console")
    assert entry["path"] == "/unsubscribe/nothing-here"


def test_a_body_with_a_lone_surrogate_escape_is_journaled_as_sent(api: TestClient) -> None:
    sent = '{"data": [{"Last_Name": "\\ud800"}]}'
    api.post(LEADS, content=sent.encode(), headers={"Content-Type": "application/json"})
    [entry] = listed(api, path=LEADS)
    assert detail(api, entry["id"])["request_body"] == sent


def test_a_secret_cut_short_at_the_end_of_the_kept_text_is_redacted_too() -> None:
    head = b'{"tokens": [{"note": "say \\"hi\\"", "Access_Token": "1000.abc\\"def", "refresh_token": "1000.xy'
    text, cut = redact.body(head, len(head) + 100, "application/json")
    assert cut is True
    assert text == f'{{"tokens": [{{"note": "say \\"hi\\"", "Access_Token": "{REDACTED}", "refresh_token": "{REDACTED}"'


def test_a_multibyte_character_cut_at_the_end_is_left_out_and_binary_is_described() -> None:
    assert redact.body("Zoë".encode()[:3], 4, "text/plain") == ("Zo", True)
    assert redact.body(b"\x89PNG\r\n", 6, "image/png") == ("<6 bytes of image/png>", False)
