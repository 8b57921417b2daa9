"""Shift hours over HTTP: shifts with their timings, breaks, users and holidays, the business hours
they must fall within, against Zoho's shift_hours.json."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import SHIFT_HOUR_ALLOWANCES
from tests.support.oas import validate_response
from tests.support.people import add_person, add_standard_user
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

S = "/crm/v8/settings/business_hours/shift_hours"
ONE = f"{S}/{{shift_id}}"
OAS = "shift_hours.json"
ALLOW = SHIFT_HOUR_ALLOWANCES
DAILY = {
    "name": "General Shift",
    "timezone": "Asia/Kolkata",
    "same_as_everyday": True,
    "shift_days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "daily_timing": ["09:00", "18:00"],
}


def check(response: httpx.Response, method: str, path: str = S) -> None:
    validate_response(response, OAS, path, method, allow=ALLOW)


def create(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    response = api.post(S, json={"shift_hours": list(items)})
    check(response, "POST")
    return response


def made(api: TestClient, **item: Any) -> str:
    response = create(api, {**DAILY, **item})
    assert response.status_code == 201, response.text
    assert response.json()["shift_hours"][0]["message"] == "Success"
    return str(response.json()["shift_hours"][0]["details"]["id"])


def shifts(api: TestClient) -> list[dict[str, Any]]:
    response = api.get(S)
    assert response.status_code == 200, response.text
    check(response, "GET")
    found: list[dict[str, Any]] = response.json()["shift_hours"]
    return found


def item_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["shift_hours"][0]
    return error


def test_no_shifts_is_an_empty_list_with_counts(api: TestClient) -> None:
    response = api.get(S)
    assert response.json() == {"shift_hours": [], "shift_count": {"total_shift_with_user": 0, "total_shift": 0}}


def test_a_daily_shift_reads_back_as_created(api: TestClient) -> None:
    shift_id = made(api)
    (shift,) = shifts(api)
    assert shift["id"] == shift_id
    assert (shift["name"], shift["timezone"], shift["daily_timing"]) == (
        "General Shift",
        "Asia/Kolkata",
        ["09:00", "18:00"],
    )
    assert (shift["users"], shift["users_count"], shift["holidays"], shift["break_hours"]) == ([], 0, [], [])
    one = api.get(f"{S}/{shift_id}")
    check(one, "GET", ONE)
    assert one.json()["shift_hours"][0]["id"] == shift_id
    assert api.get(f"{S}/123").status_code == 204


def test_per_day_timings_and_breaks_within_the_shift(api: TestClient) -> None:
    per_day = [
        {"days": "Monday", "shift_timing": ["08:00", "16:00"]},
        {"days": "Tuesday", "shift_timing": ["10:00", "19:00"]},
    ]
    lunch = {"break_days": ["Monday"], "same_as_everyday": True, "daily_timing": ["12:00", "12:30"]}
    shift_id = made(
        api, shift_days=["Monday", "Tuesday"], same_as_everyday=False, custom_timing=per_day, break_hours=[lunch]
    )
    (shift,) = shifts(api)
    assert shift["id"] == shift_id
    assert shift["custom_timing"] == per_day
    assert shift["break_hours"][0]["daily_timing"] == ["12:00", "12:30"]
    late = {**lunch, "daily_timing": ["07:00", "08:30"]}
    error = item_error(create(api, {**DAILY, "name": "Other", "break_hours": [late]}))
    assert error["details"]["json_path"] == "$.shift_hours[0].break_hours[0].daily_timing"
    error = item_error(create(api, {**DAILY, "name": "Other", "break_hours": [lunch] * 3}))
    assert error["details"]["maximum_length"] == 2


@pytest.mark.parametrize(
    ("change", "code", "details"),
    [
        ({"name": None}, "MANDATORY_NOT_FOUND", {"api_name": "name"}),
        ({"timezone": None}, "MANDATORY_NOT_FOUND", {"api_name": "timezone"}),
        ({"shift_days": None}, "MANDATORY_NOT_FOUND", {"api_name": "shift_days"}),
        ({"same_as_everyday": None}, "MANDATORY_NOT_FOUND", {"api_name": "same_as_everyday"}),
        ({"daily_timing": None}, "MANDATORY_NOT_FOUND", {"api_name": "daily_timing"}),
        ({"same_as_everyday": False}, "MANDATORY_NOT_FOUND", {"api_name": "custom_timing"}),
        ({"name": "A#B"}, "INVALID_DATA", {"api_name": "name"}),
        ({"name": "x" * 81}, "INVALID_DATA", {"maximum_length": 80}),
        ({"timezone": "Mars/Olympus"}, "INVALID_DATA", {"api_name": "timezone"}),
        ({"shift_days": ["Caturday"]}, "INVALID_DATA", {"api_name": "shift_days"}),
        ({"daily_timing": ["9am", "5pm"]}, "INVALID_DATA", {"api_name": "daily_timing"}),
        ({"users": [{"id": "123"}]}, "INVALID_DATA", {"json_path": "$.shift_hours[0].users[0].id"}),
    ],
)
def test_a_shift_is_refused_at_each_rules_edge(
    api: TestClient, change: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    item = {k: v for k, v in {**DAILY, **change}.items() if v is not None}
    error = item_error(create(api, item))
    assert error["code"] == code
    assert details.items() <= error["details"].items()
    assert shifts(api) == []


def test_shift_names_are_unique_regardless_of_case(api: TestClient) -> None:
    made(api)
    error = item_error(create(api, {**DAILY, "name": "general shift"}))
    assert (error["code"], error["message"]) == ("DUPLICATE_DATA", "Shift Name already exists")


def test_a_shift_falls_on_business_days_within_business_hours(api: TestClient) -> None:
    hours = {
        "type": "custom",
        "week_starts_on": "Monday",
        "business_days": DAILY["shift_days"],
        "daily_timing": ["08:00", "20:00"],
    }
    assert api.post("/crm/v8/settings/business_hours", json={"business_hours": hours}).status_code == 201
    weekend = item_error(create(api, {**DAILY, "shift_days": ["Saturday"]}))
    assert weekend["details"]["api_name"] == "shift_days"
    late = item_error(create(api, {**DAILY, "daily_timing": ["14:00", "22:00"]}))
    assert late["details"]["api_name"] == "daily_timing"
    assert made(api)


def test_a_user_works_one_shift_at_a_time(api: TestClient, emulator: Emulator) -> None:
    rep = add_person(emulator, "rep@zylker.example")["id"]
    first = made(api, users=[{"id": rep}])
    second = made(api, name="Night", users=[{"id": rep}])
    by_id = {s["id"]: s for s in shifts(api)}
    assert by_id[first]["users"] == []
    assert [u["id"] for u in by_id[second]["users"]] == [rep]
    assert by_id[second]["users"][0]["email"] == "rep@zylker.example"
    response = api.get(S)
    assert response.json()["shift_count"] == {"total_shift_with_user": 1, "total_shift": 2}


def test_a_shifts_holidays_are_its_shift_holidays(api: TestClient, emulator: Emulator) -> None:
    year = datetime.fromtimestamp(emulator.clock.now_ms() / 1000, tz=UTC).year
    shift_id = made(api, holidays=[{"name": "Diwali", "date": f"{year}-11-01"}])
    (shift,) = shifts(api)
    assert [(h["name"], h["year"]) for h in shift["holidays"]] == [("Diwali", year)]
    listed = api.get("/crm/v8/settings/holidays", params={"type": "shift_holiday", "shift_id": shift_id})
    assert listed.json()["holidays"][0]["shift_hour"] == {"name": "General Shift", "id": shift_id}
    assert api.put(f"{S}/{shift_id}", json={"shift_hours": [{"name": "Day Shift"}]}).status_code == 200
    listed = api.get("/crm/v8/settings/holidays", params={"shift_id": shift_id})
    assert listed.json()["holidays"][0]["shift_hour"] == {"name": "Day Shift", "id": shift_id}
    bad = item_error(
        create(api, {**DAILY, "name": "Other", "holidays": [{"name": "Old", "date": f"{year - 5}-01-01"}]})
    )
    assert bad["details"]["json_path"] == "$.shift_hours[0].holidays[0].date"
    deleted = api.delete(f"{S}/{shift_id}")
    assert deleted.status_code == 200
    check(deleted, "DELETE", ONE)
    assert api.get("/crm/v8/settings/holidays").status_code == 204  # the shift's holidays went with it


def test_updates_by_body_id_and_by_path(api: TestClient) -> None:
    shift_id = made(api)
    bulk = api.put(S, json={"shift_hours": [{"id": shift_id, "name": "Renamed"}]})
    assert bulk.status_code == 200, bulk.text
    check(bulk, "PUT")
    one = api.put(f"{S}/{shift_id}", json={"shift_hours": [{"daily_timing": ["10:00", "19:00"]}]})
    assert one.status_code == 200, one.text
    check(one, "PUT", ONE)
    (shift,) = shifts(api)
    assert (shift["name"], shift["daily_timing"]) == ("Renamed", ["10:00", "19:00"])
    unknown = item_error(api.put(S, json={"shift_hours": [{"id": "999", "name": "x"}]}))
    assert unknown["details"] == {"api_name": "id", "json_path": "$.shift_hours[0].id"}


def test_an_unknown_id_in_the_path_is_refused_bare(api: TestClient) -> None:
    for response in (api.delete(f"{S}/999"), api.put(f"{S}/999", json={"shift_hours": [{"name": "x"}]})):
        assert response.status_code == 400
        assert response.json() == {
            "code": "INVALID_DATA",
            "details": {"resource_path_index": 3},
            "message": "Invalid ID",
            "status": "error",
        }


def test_shift_hours_need_the_manage_users_permission(
    api: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    response = api.get(S, headers=rep)
    assert response.status_code == 403
    assert response.json()["details"] == {"permissions": ["Crm_Implied_Manage_Users"]}
