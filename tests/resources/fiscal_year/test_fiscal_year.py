"""The fiscal year over HTTP: its defaults, an update at each rule's edge, who may change it, against
Zoho's fiscal_year.json (and, for the refusals the file leaves out, Zoho's per-operation examples)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import FISCAL_YEAR_ALLOWANCES
from tests.support.oas import validate_response
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

F = "/crm/v8/settings/fiscal_year"
OAS = "fiscal_year.json"


def current(api: TestClient) -> dict[str, Any]:
    response = api.get(F)
    assert response.status_code == 200, response.text
    validate_response(response, OAS, F, "GET", allow=FISCAL_YEAR_ALLOWANCES)
    year: dict[str, Any] = response.json()["fiscal_year"]
    return year


def put(api: TestClient, body: Any, **kwargs: Any) -> httpx.Response:
    return api.put(F, json=body, **kwargs)


def refusal(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    """A refused update: inside the envelope, as Zoho's updateFiscalYear examples show."""
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["fiscal_year"]
    return error


def test_a_fresh_org_counts_its_fiscal_year_from_january(api: TestClient, emulator: Emulator) -> None:
    year = current(api)
    assert (year["start_month"], year["display_based_on"]) == ("JANUARY", "start_month")
    assert year["id"].startswith(emulator.default_org_id[:-12])


def test_an_update_sets_the_keys_it_names_in_any_case(api: TestClient) -> None:
    before = current(api)["id"]
    response = put(api, {"fiscal_year": {"start_month": "April"}})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, F, "PUT")
    assert response.json()["fiscal_year"]["message"] == "The fiscal year configuration has been updated successfully"
    assert response.json()["fiscal_year"]["details"] == {"id": before}
    assert put(api, {"fiscal_year": {"display_based_on": "end_month"}}).status_code == 200
    assert current(api) == {"id": before, "start_month": "APRIL", "display_based_on": "end_month"}


@pytest.mark.parametrize(
    ("item", "message", "details"),
    [
        ({"start_month": "Apr"}, "Please give a valid month", {"api_name": "start_month"}),
        ({"start_month": 4}, "Please give a valid month", {"expected_data_type": "text"}),
        ({"display_based_on": "middle"}, "Please give a valid display based on", {"api_name": "display_based_on"}),
        ({"display_based_on": "END_MONTH"}, "Please give a valid display based on", {"api_name": "display_based_on"}),
        ({}, "Please give a valid data", {}),
        ({"calendar_type": "gregorian"}, "Please give a valid data", {}),
    ],
)
def test_an_update_is_refused_at_each_rules_edge(
    api: TestClient, item: dict[str, Any], message: str, details: dict[str, Any]
) -> None:
    error = refusal(put(api, {"fiscal_year": item}))
    assert (error["code"], error["message"]) == ("INVALID_DATA", message)
    assert details.items() <= error["details"].items()
    assert current(api)["start_month"] == "JANUARY"


def test_a_bad_month_names_the_supported_months(api: TestClient) -> None:
    error = refusal(put(api, {"fiscal_year": {"start_month": "Smarch", "display_based_on": "start_month"}}))
    assert error["details"]["supported_values"][0] == "JANUARY"
    assert len(error["details"]["supported_values"]) == 12
    assert error["details"]["json_path"] == "$.fiscal_year.start_month"


def test_a_body_without_fiscal_year_is_refused_bare(api: TestClient) -> None:
    response = put(api, {"year": {}})
    assert response.status_code == 400
    assert response.json()["details"] == {"api_name": "fiscal_year", "json_path": "$.fiscal_year"}
    validate_response(response, OAS, F, "PUT")


def test_only_administrators_change_the_fiscal_year(
    api: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    rep = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    error = refusal(put(api, {"fiscal_year": {"start_month": "July"}}, headers=rep), status=403)
    assert (error["code"], error["message"]) == (
        "NO_PERMISSION",
        "Only Admin Users can modify the fiscal year settings",
    )
    assert api.get(F, headers=rep).status_code == 200
    read_only = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=['ZohoCRM.settings.fiscal_year.READ'])}"}
    assert put(api, {"fiscal_year": {"start_month": "July"}}, headers=read_only).status_code == 401
    assert current(api)["start_month"] == "JANUARY"
