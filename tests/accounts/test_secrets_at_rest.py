"""Token, code and secret values are stored only as SHA-256 hashes and never logged."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from tests.accounts.test_scope_enhance import enhance
from tests.support.accounts import Flows
from zcrm_emulator.accounts.tokens import digest
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store.schema import metadata


def every_flow(flows: Flows) -> list[str]:
    """Run each flow once; every secret value it showed."""
    app = flows.http.post("/_emulator/self-client", json={"scope": "ZohoCRM.org.READ"}).json()
    self_tokens = flows.http.post(
        "/oauth/v2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "code": app["code"],
        },
    ).json()
    html = flows.open_consent(access_type="offline")
    consent_token = html.split('name="consent_token" value="')[1].split('"')[0]
    code = flows.answer(html).params["code"]
    tokens = flows.exchange(code)
    refreshed = flows.refresh(tokens["refresh_token"])["access_token"]
    enhance_token = enhance(flows, tokens["refresh_token"])["access_token"]
    return [
        flows.app.client_secret,
        app["client_secret"],
        app["code"],
        self_tokens["access_token"],
        self_tokens["refresh_token"],
        consent_token,
        code,
        tokens["access_token"],
        tokens["refresh_token"],
        refreshed,
        enhance_token,
    ]


def test_the_database_holds_hashes_only(flows: Flows, emulator: Emulator) -> None:
    values = every_flow(flows)
    with emulator.store.tx() as conn:
        stored = "\n".join(repr(tuple(row)) for table in metadata.sorted_tables for row in conn.execute(select(table)))
    leaked = [value for value in values if value in stored]
    assert leaked == []
    # ... and the hashes are what is kept (so this test would see a value stored in clear).
    assert digest(values[8]) in stored
    assert digest(values[1]) in stored


def test_nothing_secret_reaches_the_logs(flows: Flows, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        values = every_flow(flows)
        flows.http.post("/oauth/v2/token/revoke", params={"token": values[8]})
    # The test's own HTTP client logs its URLs (query strings included): only the server's lines count.
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert any(r.name == "zcrm_emulator.access" for r in server), "the access log wrote lines"
    text = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in server)
    assert [value for value in values if value in text] == []
