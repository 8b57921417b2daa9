"""API credits (REFERENCE §6.1-§6.2): every CRM call debits its org's rolling 24-hour balance with
Zoho's weights; past the edition's daily credits the gateway answers 429 RATE_LIMIT_EXCEEDED."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.modules import create_module, created_id, module_item, set_edition
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.gateway import CrmGateway
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.store.schema import api_usage
from zcrm_emulator.usage import credits, repo, weights
from zcrm_emulator.wire import reply

TOO_MANY = {
    "code": "RATE_LIMIT_EXCEEDED",
    "details": {},
    "message": "Too many requests. Please try again later.",
    "status": "error",
}
DAY = 24 * 3600


def usage(client: TestClient) -> dict[str, Any]:
    response = client.get("/_emulator/usage")
    assert response.status_code == 200
    return dict(response.json())


def spend(emulator: Emulator, amount: int, *, minutes_ago: int = 0, endpoint: str = "GET /org") -> None:
    """Credits spent earlier, written straight into the usage buckets."""
    minute = emulator.clock.now_ms() // credits.MINUTE_MS - minutes_ago
    with emulator.store.tx() as conn:
        repo.add(conn, emulator.default_org_id, minute, endpoint, amount)


def start_of_a_minute(emulator: Emulator) -> None:
    """Move the clock to one second into a minute, so a test's calls share that minute."""
    now = emulator.clock.now_ms()
    emulator.advance_clock((credits.MINUTE_MS - now % credits.MINUTE_MS + 1000) / 1000)


def advance(api: TestClient, make_token: TokenFactory, seconds: int) -> None:
    """Advance the emulator clock; access tokens live an hour, so take a fresh one after."""
    assert api.post("/_emulator/clock/advance", json={"seconds": seconds}).status_code == 200
    api.headers["Authorization"] = f"Zoho-oauthtoken {make_token()}"


def test_each_call_debits_its_endpoints_weight(api: TestClient, emulator: Emulator) -> None:
    assert usage(api)["used"] == 0
    api.get("/crm/v8/org")
    api.get("/crm/v8/org")
    module_id = created_id(create_module(api, module_item(emulator)))
    api.put(f"/crm/v8/settings/modules/{module_id}", json={"modules": [{"plural_label": "Shares"}]})
    api.put("/crm/v8/settings/modules", json={"modules": [{"id": module_id}, {"id": module_id}]})
    summary = usage(api)
    assert summary["used"] == 2 + 500 + 5 + 10
    assert summary["endpoints"] == [
        {"method": "POST", "path": "/settings/modules", "calls": 1, "credits": 500},
        {"method": "PUT", "path": "/settings/modules", "calls": 1, "credits": 10},
        {"method": "PUT", "path": "/settings/modules/{module}", "calls": 1, "credits": 5},
        {"method": "GET", "path": "/org", "calls": 2, "credits": 2},
    ]


async def _ok(call: Call) -> Response:
    return reply({"ok": True})


@pytest.fixture
def weighted(emulator: Emulator) -> Iterator[TestClient]:
    """A gateway over endpoints declaring weights the way resources do."""
    endpoints = [
        Endpoint(
            "POST",
            "/things",
            _ok,
            "ZohoCRM.modules.things",
            credits=weights.per_items("data", weights.RECORDS_PER_CREDIT),
        ),
        Endpoint("GET", "/things", _ok, "ZohoCRM.modules.things", credits=weights.with_param("cvid", 3)),
        Endpoint("DELETE", "/things", _ok, "ZohoCRM.modules.things", credits=weights.WEIGHTS["deleted_records"]),
    ]
    app = Starlette(routes=[Route("/crm/{version}/{rest:path}", CrmGateway(emulator, endpoints))])
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("method", "records", "params", "cost"),
    [
        ("POST", 1, {}, 1),
        ("POST", 10, {}, 1),
        ("POST", 11, {}, 2),
        ("POST", 100, {}, 10),
        ("POST", None, {}, 1),
        ("GET", None, {}, 1),
        ("GET", None, {"cvid": "1234567000000087501"}, 3),
        ("DELETE", None, {}, 2),
    ],
)
def test_weights_endpoints_declare(
    weighted: TestClient,
    emulator: Emulator,
    make_token: TokenFactory,
    method: str,
    records: int | None,
    params: dict[str, str],
    cost: int,
) -> None:
    body = {"data": [{}] * records} if records is not None else None
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.modules.ALL'])}"}
    response = weighted.request(method, "/crm/v8/things", params=params, json=body, headers=headers)
    assert response.status_code == 200
    summary = credits.summary(
        emulator.store, emulator.pending_credits, emulator.default_org_id, emulator.clock.now_ms()
    )
    assert summary is not None
    assert summary.used == cost


@pytest.mark.parametrize(
    ("edition", "limit"),
    [("free", 5_000), ("standard", 52_500), ("professional", 55_000), ("enterprise", 60_000), ("ultimate", None)],
)
def test_the_daily_credits_follow_the_edition_and_user_licenses(
    api: TestClient, emulator: Emulator, edition: str, limit: int | None
) -> None:
    set_edition(api, emulator, edition)  # the fresh org has 10 user licenses
    summary = usage(api)
    assert (summary["edition"], summary["limit"], summary["window_hours"]) == (edition, limit, 24)
    assert summary["remaining"] == (None if limit is None else limit)


@pytest.mark.usefixtures("both_backends")
@pytest.mark.parametrize(("edition", "limit"), [("free", 5_000), ("enterprise", 60_000)])
def test_past_the_limit_calls_get_429_and_cost_nothing(
    api: TestClient, emulator: Emulator, edition: str, limit: int
) -> None:
    set_edition(api, emulator, edition)
    spend(emulator, limit - 1)
    assert api.get("/crm/v8/org").status_code == 200  # the limit-th credit
    refused = api.get("/crm/v8/org")
    assert (refused.status_code, refused.json()) == (429, TOO_MANY)
    assert refused.headers["content-type"].startswith("application/json")
    assert usage(api)["used"] == limit
    assert usage(api)["remaining"] == 0


def test_a_call_costing_more_than_what_is_left_is_refused(api: TestClient, emulator: Emulator) -> None:
    spend(emulator, 60_000 - 499)
    response = create_module(api, module_item(emulator))
    assert (response.status_code, response.json()) == (429, TOO_MANY)
    assert api.get("/crm/v8/settings/modules/Stocks").json()["code"] == "INVALID_MODULE"
    assert api.get("/crm/v8/org").status_code == 200


def test_an_unlimited_edition_is_never_refused(api: TestClient, emulator: Emulator) -> None:
    set_edition(api, emulator, "ultimate")
    spend(emulator, 50_000_000)
    assert api.get("/crm/v8/org").status_code == 200


@pytest.mark.usefixtures("both_backends")
def test_credits_come_back_24_hours_after_the_minute_they_were_spent(
    api: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    set_edition(api, emulator, "free")
    start_of_a_minute(emulator)
    spend(emulator, 5_000)
    assert api.get("/crm/v8/org").status_code == 429
    advance(api, make_token, DAY - 60)
    assert api.get("/crm/v8/org").status_code == 429  # 23 h 59 min later: still in the window
    advance(api, make_token, 60)
    assert api.get("/crm/v8/org").status_code == 200
    assert usage(api)["used"] == 1


def test_a_rolling_window_not_a_calendar_day(api: TestClient, emulator: Emulator, make_token: TokenFactory) -> None:
    set_edition(api, emulator, "free")
    spend(emulator, 3_000, minutes_ago=23 * 60)  # 23 hours ago
    spend(emulator, 2_000, minutes_ago=60)  # an hour ago
    assert api.get("/crm/v8/org").status_code == 429
    advance(api, make_token, 3600)
    assert usage(api)["used"] == 2_000
    assert api.get("/crm/v8/org").status_code == 200


def test_buckets_that_left_the_window_are_dropped(api: TestClient, emulator: Emulator) -> None:
    spend(emulator, 7, minutes_ago=3 * 24 * 60)
    spend(emulator, 5, minutes_ago=2)
    start_of_a_minute(emulator)
    api.get("/crm/v8/org")
    emulator.pending_credits.flush()
    with emulator.store.tx() as conn:
        rows = conn.execute(select(func.count()).select_from(api_usage)).scalar_one()
    assert rows == 2  # the bucket from 2 minutes ago and this minute's; the 3-day-old one is gone
    assert usage(api)["used"] == 6


def test_calls_refused_before_the_credit_check_cost_nothing(
    client: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    rep = add_standard_user(emulator)
    attempts: list[tuple[str, str, dict[str, str]]] = [
        ("GET", "/crm/v8/org", {}),
        ("GET", "/crm/v8/org", {"Authorization": "Zoho-oauthtoken 1000.nope.nope"}),
        ("GET", "/crm/v8/org", {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.users.READ'])}"}),
        ("POST", "/crm/v5/settings/modules", {"Authorization": f"Zoho-oauthtoken {make_token()}"}),
        ("POST", "/crm/v8/settings/modules", {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}),
        ("GET", "/crm/v8/nowhere/at/all", {"Authorization": f"Zoho-oauthtoken {make_token()}"}),
    ]
    statuses = [client.request(method, path, headers=headers).status_code for method, path, headers in attempts]
    assert statuses == [401, 401, 401, 400, 403, 404]
    assert usage(client)["used"] == 0


def test_the_permission_check_comes_before_the_credit_check(
    client: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    spend(emulator, 60_000)
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    response = client.post("/crm/v8/settings/modules", json={"modules": [module_item(emulator)]}, headers=headers)
    assert (response.status_code, response.json()["code"]) == (403, "NO_PERMISSION")


def test_calls_that_fail_validation_are_still_debited(api: TestClient, emulator: Emulator) -> None:
    response = api.post("/crm/v8/settings/modules", json={})
    assert response.status_code == 400
    assert usage(api)["used"] == 500


def test_each_org_has_its_own_balance(api: TestClient, emulator: Emulator) -> None:
    spend(emulator, 60_000)
    other = api.get("/_emulator/usage", params={"org_id": "1234567000000000000"})
    assert (other.status_code, other.json()["code"], other.json()["details"]) == (
        400,
        "INVALID_DATA",
        {"param_name": "org_id"},
    )
    assert usage(api)["used"] == 60_000


def test_the_usage_endpoint_is_served_over_real_http(live_server: Any) -> None:
    token = httpx.post(f"{live_server.url}/_emulator/tokens", json={}).json()["access_token"]
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    for _ in range(3):
        assert httpx.get(f"{live_server.url}/crm/v8/org", headers=headers).status_code == 200
    summary = httpx.get(f"{live_server.url}/_emulator/usage").json()
    assert summary["endpoints"] == [{"method": "GET", "path": "/org", "calls": 3, "credits": 3}]


def test_the_control_plane_gives_an_org_its_credits_back(api: TestClient, emulator: Emulator) -> None:
    set_edition(api, emulator, "free")
    spend(emulator, 5_000)
    assert api.get("/crm/v8/org").status_code == 429
    reset = api.delete("/_emulator/usage")
    assert (reset.status_code, reset.json()["used"], reset.json()["remaining"]) == (200, 0, 5_000)
    assert api.get("/crm/v8/org").status_code == 200
    assert usage(api)["used"] == 1
