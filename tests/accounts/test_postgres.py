"""The accounts server on PostgreSQL: the whole authorization-code flow, the caps that delete rows,
and single use of codes and consent pages (``DELETE … RETURNING``) behave as on SQLite."""

from __future__ import annotations

import pytest

from tests.accounts.test_issuing import offline_grants
from tests.support.accounts import Flows, consent_token, user_ids
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.postgres


def test_consent_code_exchange_refresh_and_revoke(flows: Flows) -> None:
    tokens = flows.offline_tokens()
    assert flows.crm_status(tokens["access_token"]) == 200
    refreshed = flows.refresh(tokens["refresh_token"])["access_token"]
    assert flows.http.post("/oauth/v2/token/revoke", data={"token": tokens["refresh_token"]}).json() == {
        "status": "success"
    }
    assert flows.crm_status(refreshed) == 401
    assert flows.refresh(tokens["refresh_token"]) == {"error": "invalid_code"}


def test_codes_and_pages_are_used_once(flows: Flows) -> None:
    html = flows.open_consent()
    code = flows.answer(html).params["code"]
    form = {"consent_token": consent_token(html), "decision": "accept", "user_id": user_ids(html)[0]}
    assert flows.http.post("/oauth/v2/consent", data=form, follow_redirects=False).status_code == 400
    assert "access_token" in flows.exchange(code)
    assert flows.exchange(code) == {"error": "invalid_code"}


def test_the_twenty_first_refresh_token_evicts_the_oldest(flows: Flows, emulator: Emulator) -> None:
    grants = offline_grants(flows, emulator, 21)
    assert flows.refresh(grants[0]["refresh_token"]) == {"error": "invalid_code"}
    assert flows.crm_status(grants[0]["access_token"]) == 401
    assert "access_token" in flows.refresh(grants[1]["refresh_token"])


def test_the_eleventh_access_token_in_the_window_is_throttled(flows: Flows) -> None:
    refresh = flows.offline_tokens()["refresh_token"]
    for _ in range(9):
        assert "access_token" in flows.refresh(refresh)
    assert flows.refresh(refresh)["error"] == "Access Denied"
