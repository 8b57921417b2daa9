"""Holidays over HTTP: business and shift holidays, the date range the fiscal year sets, the yearly
limit, duplicates, the lists' params, against Zoho's holidays.json."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import HOLIDAY_ALLOWANCES, HOLIDAY_LIMIT
from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

H = "/crm/v8/settings/holidays"
OAS = "holidays.json"
ALLOW = HOLIDAY_ALLOWANCES


def check(response: httpx.Response, method: str, path: str = H) -> None:
    validate_response(response, OAS, path, method, allow=ALLOW)


@pytest.fixture
def year(emulator: Emulator) -> int:
    """This calendar year on the emulator's clock (the default fiscal year starts in January)."""
    return datetime.fromtimestamp(emulator.clock.now_ms() / 1000, tz=UTC).year


def create(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    response = api.post(H, json={"holidays": list(items)})
    check(response, "POST")
    return response


def made(api: TestClient, name: str, day: str, **extra: Any) -> str:
    response = create(api, {"name": name, "date": day, "type": "business_holiday", **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["holidays"][0]["details"]["id"])


def listed(api: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = api.get(H, params=params)
    check(response, "GET")
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.text
    holidays: list[dict[str, Any]] = response.json()["holidays"]
    return holidays


def item_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["holidays"][0]
    return error


def new_shift(api: TestClient, name: str = "Night") -> str:
    shift = {"name": name, "timezone": "Asia/Kolkata", "same_as_everyday": True, "shift_days": ["Monday"]}
    shift["daily_timing"] = ["21:00", "23:00"]
    response = api.post("/crm/v8/settings/business_hours/shift_hours", json={"shift_hours": [shift]})
    assert response.status_code == 201, response.text
    return str(response.json()["shift_hours"][0]["details"]["id"])


def test_a_business_holiday_reads_back_with_its_year_and_no_shift(api: TestClient, year: int) -> None:
    holiday_id = made(api, "Founders Day", f"{year}-08-24")
    assert listed(api) == [
        {
            "id": holiday_id,
            "name": "Founders Day",
            "date": f"{year}-08-24",
            "year": year,
            "type": "business_holiday",
            "shift_hour": None,
        }
    ]
    one = api.get(f"{H}/{holiday_id}")
    check(one, "GET", f"{H}/{{holiday_id}}")
    assert one.json()["holidays"][0]["id"] == holiday_id


def test_the_list_is_by_date_and_filtered_by_year_and_type(api: TestClient, year: int) -> None:
    made(api, "Later", f"{year + 1}-01-02")
    made(api, "Sooner", f"{year}-03-01")
    assert [h["name"] for h in listed(api)] == ["Sooner", "Later"]
    assert [h["name"] for h in listed(api, year=year + 1)] == ["Later"]
    assert listed(api, type="shift_holiday") == []


def test_nothing_listed_or_an_unknown_id_is_204(api: TestClient) -> None:
    assert api.get(H).status_code == 204
    assert api.get(f"{H}/12345").status_code == 204


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"year": "1999"}, "year"),
        ({"year": "abc"}, "year"),
        ({"type": "national"}, "type"),
        ({"shift_id": "x1"}, "shift_id"),
    ],
)
def test_a_bad_list_param_is_pattern_not_matched(api: TestClient, params: dict[str, str], param: str) -> None:
    response = api.get(H, params=params)
    assert response.status_code == 400
    assert response.json()["code"] == "PATTERN_NOT_MATCHED"
    assert response.json()["details"] == {"param_name": param}
    check(response, "GET")


def test_shift_holidays_belong_to_a_shift_and_list_by_it(api: TestClient, year: int) -> None:
    night, day = new_shift(api), new_shift(api, "Day")
    made(api, "Night off", f"{year}-05-01", type="shift_holiday", shift_hour={"id": night})
    made(api, "Day off", f"{year}-05-01", type="shift_holiday", shift_hour={"id": day, "name": "Day"})
    made(api, "Everyone off", f"{year}-05-01")
    (night_off,) = listed(api, type="shift_holiday", shift_id=night)
    assert night_off["shift_hour"] == {"name": "Night", "id": night}
    assert {h["name"] for h in listed(api, type="shift_holiday")} == {"Night off", "Day off"}
    assert [h["name"] for h in listed(api, type="business_holiday")] == ["Everyone off"]


def test_a_shift_holiday_needs_a_shift_that_exists(api: TestClient, year: int) -> None:
    item = {"name": "Off", "date": f"{year}-05-01", "type": "shift_holiday"}
    missing = item_error(create(api, item))
    assert (missing["code"], missing["message"]) == (
        "DEPENDENT_FIELD_MISSING",
        "Shift id is required for shift holidays",
    )
    assert missing["details"] == {
        "api_name": "shift_hour",
        "json_path": "$.holidays[0].shift_hour",
        "dependee": {"api_name": "type", "json_path": "$.holidays[0].type"},
    }
    unknown = item_error(create(api, {**item, "shift_hour": {"id": "111"}}))
    assert unknown["message"] == "Invalid shift id"
    assert unknown["details"] == {"api_name": "id", "json_path": "$.holidays[0].shift_hour.id"}


@pytest.mark.parametrize(
    ("change", "code", "details", "message"),
    [
        ({"name": None}, "MANDATORY_NOT_FOUND", {"api_name": "name"}, "required field not found"),
        ({"date": None}, "MANDATORY_NOT_FOUND", {"api_name": "date"}, "required field not found"),
        ({"type": None}, "MANDATORY_NOT_FOUND", {"api_name": "type"}, "required field not found"),
        ({"name": "x" * 81}, "INVALID_DATA", {"maximum_length": 80}, "invalid data"),
        (
            {"name": "Fun & games"},
            "INVALID_DATA",
            {"api_name": "name"},
            "Holiday Name should not contain special characters:#, %, ^, &, *",
        ),
        ({"date": "24/08/2026"}, "INVALID_DATA", {"expected_data_type": "date"}, "invalid data"),
        ({"date": "2026-02-30"}, "INVALID_DATA", {"expected_data_type": "date"}, "invalid data"),
        (
            {"type": "national"},
            "INVALID_DATA",
            {"supported_values": ["business_holiday", "shift_holiday"]},
            "Invalid type",
        ),
    ],
)
def test_a_holiday_is_refused_at_each_rules_edge(
    api: TestClient, year: int, change: dict[str, Any], code: str, details: dict[str, Any], message: str
) -> None:
    item = {"name": "Founders Day", "date": f"{year}-08-24", "type": "business_holiday", **change}
    error = item_error(create(api, {k: v for k, v in item.items() if v is not None}))
    assert (error["code"], error["message"]) == (code, message)
    assert details.items() <= error["details"].items()
    assert listed(api) == []


def test_a_date_must_be_in_the_current_or_next_fiscal_year(api: TestClient, year: int) -> None:
    for outside in (f"{year - 1}-12-31", f"{year + 2}-01-01"):
        error = item_error(create(api, {"name": "Off", "date": outside, "type": "business_holiday"}))
        assert error["message"] == "Date Should be between current and next financial year"
    assert made(api, "First", f"{year}-01-01")
    assert made(api, "Last", f"{year + 1}-12-31")


def test_the_fiscal_year_moves_the_range(api: TestClient, year: int) -> None:
    assert api.put("/crm/v8/settings/fiscal_year", json={"fiscal_year": {"start_month": "January"}}).status_code == 200
    december = f"{year - 1}-12-15"
    assert (
        item_error(create(api, {"name": "Off", "date": december, "type": "business_holiday"}))["code"] == "INVALID_DATA"
    )


def test_a_name_is_taken_once_per_date_in_a_calendar(api: TestClient, year: int) -> None:
    made(api, "Founders Day", f"{year}-08-24")
    error = item_error(create(api, {"name": "founders day", "date": f"{year}-08-24", "type": "business_holiday"}))
    assert error == {
        "code": "DUPLICATE_DATA",
        "details": {"api_name": "name", "json_path": "$.holidays[0].name"},
        "message": "duplicate data",
        "status": "error",
    }
    made(api, "Founders Day", f"{year}-08-25")  # another date
    made(api, "Company Picnic", f"{year}-08-24")  # another name


def test_a_calendar_holds_52_holidays_a_year(api: TestClient, year: int) -> None:
    first = date(year, 1, 1).toordinal()
    items = [
        {"name": f"Day {n}", "date": date.fromordinal(first + n).isoformat(), "type": "business_holiday"}
        for n in range(52)
    ]
    assert create(api, *items).status_code == 201
    over = {"name": "One more", "date": f"{year}-12-30", "type": "business_holiday"}
    response = api.post(H, json={"holidays": [over]})
    validate_response(response, OAS, H, "POST", allow=[*ALLOW, HOLIDAY_LIMIT])
    error = item_error(response)
    assert (error["code"], error["message"]) == ("LIMIT_EXCEEDED", "Holidays limit exceeds")
    assert error["details"] == {"limit": 52, "limit_due_to": [{"api_name": "type", "json_path": "$.holidays[0].type"}]}
    assert made(api, "Next year", f"{year + 1}-01-01")  # another year's count


def test_a_mixed_create_is_207_and_keeps_the_good_ones(api: TestClient, year: int) -> None:
    good = {"name": "Good", "date": f"{year}-06-01", "type": "business_holiday"}
    response = api.post(H, json={"holidays": [good, {"name": "Bad"}]})
    assert response.status_code == 207
    assert [r["status"] for r in response.json()["holidays"]] == ["success", "error"]
    assert [h["name"] for h in listed(api)] == ["Good"]


def test_a_body_without_holidays_is_refused_bare(api: TestClient) -> None:
    response = api.post(H, json={"holiday": []})
    assert response.status_code == 400
    assert response.json()["details"] == {"api_name": "holidays", "json_path": "$.holidays"}
    check(response, "POST")


def test_updates_by_body_id_and_by_path(api: TestClient, year: int) -> None:
    first, second = made(api, "First", f"{year}-02-01"), made(api, "Second", f"{year}-02-02")
    response = api.put(
        H, json={"holidays": [{"id": first, "name": "First Renamed"}, {"id": second, "date": f"{year}-03-03"}]}
    )
    assert response.status_code == 200, response.text
    check(response, "PUT")
    assert response.json()["holidays"][0]["message"] == "Holidays updated successfully"
    one = api.put(f"{H}/{first}", json={"holidays": [{"date": f"{year}-04-04"}]})
    assert one.status_code == 200, one.text
    check(one, "PUT", f"{H}/{{holiday_id}}")
    assert [(h["name"], h["date"]) for h in listed(api)] == [
        ("Second", f"{year}-03-03"),
        ("First Renamed", f"{year}-04-04"),
    ]


def test_an_update_is_checked_like_a_create(api: TestClient, year: int) -> None:
    first = made(api, "First", f"{year}-02-01")
    made(api, "Second", f"{year}-02-02")
    duplicate = item_error(api.put(H, json={"holidays": [{"id": first, "name": "second", "date": f"{year}-02-02"}]}))
    assert duplicate["code"] == "DUPLICATE_DATA"
    unknown = item_error(api.put(H, json={"holidays": [{"id": "999"}]}))
    assert (unknown["message"], unknown["details"]["expected_data_type"]) == ("Invalid holiday id", "long")
    no_id = item_error(api.put(H, json={"holidays": [{"name": "x"}]}))
    assert (no_id["code"], no_id["details"]["api_name"]) == ("MANDATORY_NOT_FOUND", "id")
    to_shift = item_error(api.put(f"{H}/{first}", json={"holidays": [{"type": "shift_holiday"}]}))
    assert to_shift["code"] == "DEPENDENT_FIELD_MISSING"


def test_an_unknown_id_in_the_path_is_refused_in_the_envelope(api: TestClient) -> None:
    update = api.put(f"{H}/12345", json={"holidays": [{"name": "x"}]})
    assert item_error(update)["details"] == {"resource_path_index": 2}
    check(update, "PUT", f"{H}/{{holiday_id}}")
    delete = api.delete(f"{H}/12345")
    assert (item_error(delete)["message"], item_error(delete)["details"]) == ("Invalid ID", {"resource_path_index": 2})
    check(delete, "DELETE", f"{H}/{{holiday_id}}")


def test_a_deleted_holiday_is_gone(api: TestClient, year: int) -> None:
    holiday_id = made(api, "Gone", f"{year}-02-01")
    response = api.delete(f"{H}/{holiday_id}")
    assert response.status_code == 200
    assert response.json()["holidays"][0] == {
        "code": "SUCCESS",
        "details": {"id": holiday_id},
        "message": "Holidays deleted successfully",
        "status": "success",
    }
    check(response, "DELETE", f"{H}/{{holiday_id}}")
    assert api.get(f"{H}/{holiday_id}").status_code == 204


def test_writes_need_the_manage_users_permission(
    api: TestClient, emulator: Emulator, make_token: TokenFactory, year: int
) -> None:
    rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    item = {"name": "Off", "date": f"{year}-05-01", "type": "business_holiday"}
    refused = api.post(H, json={"holidays": [item]}, headers=rep)
    assert refused.status_code == 403
    assert refused.json()["message"] == "Permission to read holiday data is required"
    assert api.get(H, headers=rep).status_code == 204
