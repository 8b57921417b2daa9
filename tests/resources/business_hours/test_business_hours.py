"""Business hours over HTTP: one object per org, its types and timings at each rule's edge, against
Zoho's business_hours.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import BUSINESS_HOURS_ALLOWANCES
from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

B = "/crm/v8/settings/business_hours"
OAS = "business_hours.json"
ALLOW = BUSINESS_HOURS_ALLOWANCES
CUSTOM = {
    "week_starts_on": "Monday",
    "type": "custom",
    "business_days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "same_as_everyday": True,
    "daily_timing": ["09:00", "18:00"],
}


def check(response: httpx.Response, method: str) -> None:
    validate_response(response, OAS, B, method, allow=ALLOW)


def create(api: TestClient, **item: Any) -> httpx.Response:
    response = api.post(B, json={"business_hours": item})
    check(response, "POST")
    return response


def update(api: TestClient, **item: Any) -> httpx.Response:
    response = api.put(B, json={"business_hours": item})
    check(response, "PUT")
    return response


def current(api: TestClient) -> dict[str, Any]:
    response = api.get(B)
    assert response.status_code == 200, response.text
    check(response, "GET")
    hours: dict[str, Any] = response.json()["business_hours"]
    return hours


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["business_hours"]
    return error


def test_a_fresh_org_has_no_business_hours_yet(api: TestClient) -> None:
    response = api.get(B)
    assert response.status_code == 204
    assert not response.content


def test_custom_hours_the_same_every_day_read_back_with_the_org_time_zone(api: TestClient) -> None:
    response = create(api, **CUSTOM)
    assert response.status_code == 201, response.text
    saved = response.json()["business_hours"]
    assert saved["message"] == "Business Hours saved successfully"
    hours = current(api)
    assert hours["id"] == saved["details"]["id"]
    assert hours["type"] == "custom"
    assert hours["daily_timing"] == ["09:00", "18:00"]
    assert hours["custom_timing"] == []
    assert hours["timezone"] == "America/Los_Angeles"


def test_a_24_by_7_org_works_every_day_all_day(api: TestClient) -> None:
    assert create(api, type="24_by_7", week_starts_on="Sunday").status_code == 201
    hours = current(api)
    assert hours["business_days"] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert hours["daily_timing"] == ["00:00", "23:59"]


def test_business_days_are_kept_in_the_weeks_order(api: TestClient) -> None:
    days = ["Friday", "Monday", "Wednesday", "Tuesday", "Thursday"]
    assert create(api, type="24_by_5", week_starts_on="Monday", business_days=days).status_code == 201
    assert current(api)["business_days"] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def test_custom_hours_per_day_need_a_timing_for_every_business_day(api: TestClient) -> None:
    item = {**CUSTOM, "business_days": ["Monday", "Tuesday"], "same_as_everyday": False}
    monday = {"days": "Monday", "business_timing": ["09:00", "17:00"]}
    missing = error_of(create(api, **item, custom_timing=[monday]))
    assert missing["code"] == "MANDATORY_NOT_FOUND"
    assert missing["details"] == {"api_name": "custom_timing", "json_path": "$.business_hours.custom_timing"}
    tuesday = {"days": "Tuesday", "business_timing": ["10:00", "16:00"]}
    assert create(api, **item, custom_timing=[tuesday, monday]).status_code == 201
    assert current(api)["custom_timing"] == [monday, tuesday]


@pytest.mark.parametrize(
    ("item", "code", "details"),
    [
        ({"type": "custom"}, "MANDATORY_NOT_FOUND", {"api_name": "week_starts_on"}),
        ({"week_starts_on": "Monday"}, "MANDATORY_NOT_FOUND", {"api_name": "type"}),
        ({**CUSTOM, "type": "24x7"}, "INVALID_DATA", {"supported_values": ["24_by_7", "24_by_5", "custom"]}),
        ({**CUSTOM, "week_starts_on": "monday"}, "INVALID_DATA", {"api_name": "week_starts_on"}),
        ({**CUSTOM, "week_starts_on": 1}, "INVALID_DATA", {"expected_data_type": "text"}),
        ({**CUSTOM, "business_days": None}, "MANDATORY_NOT_FOUND", {"api_name": "business_days"}),
        ({**CUSTOM, "business_days": []}, "MANDATORY_NOT_FOUND", {"api_name": "business_days"}),
        ({**CUSTOM, "business_days": "Monday"}, "INVALID_DATA", {"expected_data_type": "jsonarray"}),
        ({**CUSTOM, "business_days": ["Monday", "Monday"]}, "INVALID_DATA", {"api_name": "business_days"}),
        ({**CUSTOM, "business_days": ["Funday"]}, "INVALID_DATA", {"api_name": "business_days"}),
        ({**CUSTOM, "same_as_everyday": "yes"}, "INVALID_DATA", {"expected_data_type": "boolean"}),
        ({**CUSTOM, "daily_timing": None}, "MANDATORY_NOT_FOUND", {"api_name": "daily_timing"}),
        ({**CUSTOM, "daily_timing": ["09:00"]}, "INVALID_DATA", {"maximum_length": 2}),
        ({**CUSTOM, "daily_timing": ["9:00", "18:00"]}, "INVALID_DATA", {"regex": "^([0-1][0-9]|2[0-3]):[0-5][0-9]$"}),
        ({**CUSTOM, "daily_timing": ["09:00", "24:00"]}, "INVALID_DATA", {"api_name": "daily_timing"}),
        ({**CUSTOM, "daily_timing": ["18:00", "09:00"]}, "INVALID_DATA", {"api_name": "daily_timing"}),
        ({**CUSTOM, "daily_timing": ["09:00", "09:00"]}, "INVALID_DATA", {"api_name": "daily_timing"}),
        (
            {
                **CUSTOM,
                "same_as_everyday": False,
                "custom_timing": [{"days": "Sunday", "business_timing": ["09:00", "10:00"]}],
            },
            "INVALID_DATA",
            {"json_path": "$.business_hours.custom_timing[0].days"},
        ),
        (
            {**CUSTOM, "same_as_everyday": False, "custom_timing": [{"days": "Monday"}]},
            "MANDATORY_NOT_FOUND",
            {"json_path": "$.business_hours.custom_timing[0].business_timing"},
        ),
    ],
)
def test_a_create_is_refused_at_each_rules_edge(
    api: TestClient, item: dict[str, Any], code: str, details: dict[str, Any]
) -> None:
    error = error_of(create(api, **item))
    assert error["code"] == code
    assert details.items() <= error["details"].items()
    assert api.get(B).status_code == 204  # nothing saved


def test_a_body_without_business_hours_is_refused_bare(api: TestClient) -> None:
    response = api.post(B, json={"hours": {}})
    assert response.status_code == 400
    assert response.json() == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"api_name": "business_hours", "json_path": "$.business_hours"},
        "message": "required field not found",
        "status": "error",
    }
    check(response, "POST")


def test_an_org_has_only_one_business_hour(api: TestClient) -> None:
    assert create(api, **CUSTOM).status_code == 201
    second = create(api, type="24_by_7", week_starts_on="Monday")
    assert second.status_code == 400
    assert second.json()["code"] == "NOT_ALLOWED"
    assert second.json()["message"] == "Organization can have only one Business Hour"
    assert current(api)["type"] == "custom"


def test_an_update_before_any_business_hours_is_not_allowed(api: TestClient) -> None:
    error = error_of(update(api, type="24_by_7", week_starts_on="Monday"))
    assert (error["code"], error["message"]) == ("NOT_ALLOWED", "Cannot update business hours")


def test_an_update_changes_the_keys_it_names_and_keeps_the_id(api: TestClient) -> None:
    made = create(api, **CUSTOM).json()["business_hours"]["details"]["id"]
    response = update(api, daily_timing=["08:30", "17:30"])
    assert response.status_code == 200, response.text
    assert response.json()["business_hours"]["details"]["id"] == made
    hours = current(api)
    assert (hours["daily_timing"], hours["week_starts_on"]) == (["08:30", "17:30"], "Monday")


def test_an_update_to_per_day_hours_and_a_deleted_day(api: TestClient) -> None:
    create(api, **CUSTOM)
    per_day = [{"days": day, "business_timing": ["09:00", "17:00"]} for day in CUSTOM["business_days"]]
    assert update(api, same_as_everyday=False, custom_timing=per_day).status_code == 200
    assert len(current(api)["custom_timing"]) == 5
    dropped = update(
        api, business_days=CUSTOM["business_days"][:4], custom_timing=[{"days": "Friday", "_delete": True}]
    )
    assert dropped.status_code == 200, dropped.text
    assert [t["days"] for t in current(api)["custom_timing"]] == CUSTOM["business_days"][:4]


def test_an_update_naming_another_id_is_refused(api: TestClient) -> None:
    create(api, **CUSTOM)
    error = error_of(update(api, id="1234", type="24_by_7", week_starts_on="Monday"))
    assert error["details"] == {"api_name": "id", "json_path": "$.business_hours.id"}
    assert current(api)["type"] == "custom"


def test_an_update_to_custom_hours_needs_their_timings(api: TestClient) -> None:
    create(api, type="24_by_7", week_starts_on="Monday")
    error = error_of(update(api, type="custom"))  # a 24-hour day is not carried over as custom hours
    assert error["details"] == {"api_name": "daily_timing", "json_path": "$.business_hours.daily_timing"}
    assert update(api, type="custom", daily_timing=["10:00", "16:00"]).status_code == 200
    assert current(api)["business_days"][-1] == "Sunday"  # the days are kept


def test_writes_need_the_manage_users_permission_and_the_scope(
    api: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    rep = add_standard_user(emulator)
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=rep)}"}
    refused = api.post(B, json={"business_hours": CUSTOM}, headers=headers)
    assert refused.status_code == 403
    assert refused.json()["details"] == {"permissions": ["Crm_Implied_Manage_Users"]}
    assert api.get(B, headers=headers).status_code == 204  # reading needs no permission
    read_only = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.business_hours.READ'])}"}
    assert api.post(B, json={"business_hours": CUSTOM}, headers=read_only).status_code == 401
    assert api.get(B, headers=read_only).status_code == 204
