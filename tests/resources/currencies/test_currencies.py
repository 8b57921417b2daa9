"""/org/currencies over HTTP: enabling multi-currency with a home currency, adding and updating
currencies, their checks and the active-currency limit, the edition gate, and what ``GET /org``
shows of it, checked against Zoho's currencies.json and available_currencies.json; both stores."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import CURRENCY_RATE
from tests.support.modules import set_edition
from tests.support.oas import validate_response
from zcrm_emulator import editions
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

OAS = "currencies.json"
LIST = "/crm/v8/org/currencies"
ONE = "/crm/v8/org/currencies/{id}"
ENABLE = "/crm/v8/org/currencies/actions/enable"
AVAILABLE = "/crm/v8/org/currencies/actions/available_currencies"

HOME = {"name": "Algerian Dinar - DZD", "iso_code": "DZD", "exchange_rate": "1.0", "symbol": "DA"}
RIYAL = {"name": "Saudi Riyal - SAR", "iso_code": "SAR", "exchange_rate": "20"}
# Ten ISO codes besides the home currency's, for the active-currency limit.
OTHERS = [
    ("Euro", "EUR"),
    ("US Dollar", "USD"),
    ("British Pound", "GBP"),
    ("Indian Rupee", "INR"),
    ("Japanese Yen", "JPY"),
    ("Swiss Franc", "CHF"),
    ("Canadian Dollar", "CAD"),
    ("Australian Dollar", "AUD"),
    ("Singapore Dollar", "SGD"),
    ("Saudi Riyal", "SAR"),
]


def checked(response: httpx.Response, status: int, path: str, method: str = "GET") -> dict[str, Any]:
    assert response.status_code == status, response.text
    validate_response(response, OAS, path, method, allow=CURRENCY_RATE)
    return dict(response.json())


def enable(api: TestClient, **overrides: Any) -> httpx.Response:
    return api.post(ENABLE, json={"base_currency": {**HOME, **overrides}})


def add(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.post(LIST, json={"currencies": list(items)})


def currency(name: str, iso_code: str, **extra: Any) -> dict[str, Any]:
    return {"name": f"{name} - {iso_code}", "iso_code": iso_code, "exchange_rate": "2", **extra}


@pytest.fixture
def enabled(api: TestClient) -> str:
    """Multi-currency on with the Algerian Dinar as home currency; its id."""
    return str(enable(api).json()["base_currency"]["details"]["id"])


def org(api: TestClient) -> dict[str, Any]:
    return dict(api.get("/crm/v8/org").json()["org"][0])


def listed(api: TestClient) -> dict[str, dict[str, Any]]:
    return {c["iso_code"]: c for c in checked(api.get(LIST), 200, LIST)["currencies"]}


def test_a_fresh_org_has_multi_currency_off_and_every_currency_call_says_so(api: TestClient) -> None:
    assert org(api)["mc_status"] is False
    for response in (api.get(LIST), api.get(f"{LIST}/123"), add(api, RIYAL), api.put(LIST, json={"currencies": []})):
        assert response.status_code == 403
        assert response.json() == {
            "code": "CURRENCIES_NOT_ENABLED",
            "details": {},
            "message": "Multi currency is not enabled",
            "status": "error",
        }


def test_enabling_makes_the_currency_the_home_currency_and_the_org_follows(api: TestClient) -> None:
    body = checked(enable(api), 200, ENABLE, "POST")
    result = body["base_currency"]
    assert result["code"] == "SUCCESS" and result["status"] == "success"
    assert result["message"] == (
        "The multi-currency feature is enabled and given currency is created as the base currency."
    )
    home = listed(api)["DZD"]
    assert home["id"] == result["details"]["id"]
    assert home["is_base"] is True and home["is_active"] is True and home["exchange_rate"] == "1.000000000"
    assert home["symbol"] == "DA" and home["name"] == "Algerian Dinar - DZD"
    shown = org(api)
    assert (shown["mc_status"], shown["iso_code"], shown["currency"], shown["currency_symbol"]) == (
        True,
        "DZD",
        "Algerian Dinar - DZD",
        "DA",
    )


def test_enabling_twice_is_already_enabled_inside_base_currency(api: TestClient, enabled: str) -> None:
    body = checked(enable(api, iso_code="SAR", name="Saudi Riyal - SAR"), 400, ENABLE, "POST")
    assert body == {
        "base_currency": {
            "code": "ALREADY_ENABLED",
            "details": {},
            "message": "The multi-currency is already enabled",
            "status": "error",
        }
    }
    assert set(listed(api)) == {"DZD"}


@pytest.mark.parametrize("edition", ["free", "standard", "professional"])
def test_below_enterprise_multi_currency_is_feature_not_supported(
    api: TestClient, emulator: Emulator, edition: str
) -> None:
    set_edition(api, emulator, edition)
    for response in (enable(api), api.get(LIST), api.put(ENABLE, json={"base_currency": {"symbol": "x"}})):
        assert response.status_code == 403
        assert response.json() == {
            "code": "FEATURE_NOT_SUPPORTED",
            "details": {},
            "message": "The multi-currency feature is not available except the Enterprise and higher editions.",
            "status": "error",
        }
    assert org(api)["mc_status"] is False


def test_enabling_needs_base_currency_and_its_mandatory_keys(api: TestClient) -> None:
    bare = checked(api.post(ENABLE, json={}), 400, ENABLE, "POST")
    assert bare == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"api_name": "base_currency", "json_path": "$.base_currency"},
        "message": "required field not found",
        "status": "error",
    }
    body = checked(api.post(ENABLE, json={"base_currency": {"name": "Euro - EUR"}}), 400, ENABLE, "POST")
    assert body["base_currency"]["code"] == "MANDATORY_NOT_FOUND"
    assert body["base_currency"]["details"] == {"api_name": "iso_code", "json_path": "$.base_currency.iso_code"}
    assert org(api)["mc_status"] is False


def test_an_added_currency_takes_its_defaults_from_the_available_list(api: TestClient, enabled: str) -> None:
    body = checked(add(api, RIYAL), 200, LIST, "POST")
    assert body["currencies"][0]["message"] == "The currency created successfully."
    new_id = body["currencies"][0]["details"]["id"]
    one = checked(api.get(f"{LIST}/{new_id}"), 200, ONE)["currencies"][0]
    assert one["iso_code"] == "SAR" and one["symbol"] == "SR" and one["exchange_rate"] == "20.000000000"
    assert one["is_base"] is False and one["is_active"] is True and one["prefix_symbol"] is True
    assert one["format"] == {"decimal_separator": "Period", "thousand_separator": "Comma", "decimal_places": "2"}
    assert one["created_by"]["id"] == one["modified_by"]["id"]


def test_given_symbol_format_and_state_are_kept(api: TestClient, enabled: str) -> None:
    fmt = {"decimal_separator": "Comma", "thousand_separator": "Space", "decimal_places": "3"}
    item = {**RIYAL, "symbol": "ر.س", "format": fmt, "prefix_symbol": False, "is_active": False}
    checked(add(api, item), 200, LIST, "POST")
    sar = listed(api)["SAR"]
    assert (sar["symbol"], sar["format"], sar["prefix_symbol"], sar["is_active"]) == ("ر.س", fmt, False, False)


@pytest.mark.parametrize(
    ("item", "api_name", "message"),
    [
        ({**RIYAL, "iso_code": "XYZ"}, "iso_code", "ISO code is invalid."),
        ({**RIYAL, "name": "Saudi Dinar - SAR"}, "name", "Currency name is invalid."),
        ({**RIYAL, "symbol": " "}, "symbol", "Currency symbol is invalid."),
        ({**RIYAL, "exchange_rate": "0"}, "exchange_rate", "invalid data"),
        ({**RIYAL, "exchange_rate": "-2"}, "exchange_rate", "invalid data"),
        ({**RIYAL, "exchange_rate": "abc"}, "exchange_rate", "invalid data"),
        ({**RIYAL, "exchange_rate": "1234567890"}, "exchange_rate", "invalid data"),
        ({**RIYAL, "exchange_rate": "1.1234567891"}, "exchange_rate", "invalid data"),
    ],
    ids=["iso", "name", "symbol", "zero", "negative", "text", "ten-digits", "ten-decimals"],
)
def test_an_invalid_currency_is_refused_with_zohos_message(
    api: TestClient, enabled: str, item: dict[str, Any], api_name: str, message: str
) -> None:
    body = checked(add(api, item), 400, LIST, "POST")
    assert body["currencies"] == [
        {
            "code": "INVALID_DATA",
            "details": {"api_name": api_name, "json_path": f"$.currencies[0].{api_name}"},
            "message": message,
            "status": "error",
        }
    ]


def test_a_name_matches_in_any_case_and_spacing(api: TestClient, enabled: str) -> None:
    checked(add(api, {**RIYAL, "name": "saudi riyal-SAR"}), 200, LIST, "POST")
    assert listed(api)["SAR"]["name"] == "Saudi Riyal - SAR"


def test_a_format_outside_zohos_choices_is_invalid_data(api: TestClient, enabled: str) -> None:
    fmt = {"decimal_separator": "Dot", "thousand_separator": "Comma", "decimal_places": "2"}
    body = checked(add(api, {**RIYAL, "format": fmt}), 400, LIST, "POST")
    error = body["currencies"][0]
    assert error["code"] == "INVALID_DATA"
    assert error["details"]["api_name"] == "decimal_separator"
    assert error["details"]["supported_values"] == ["Comma", "Period"]


def test_an_iso_code_the_org_has_is_duplicate_data_and_a_mixed_batch_is_207(api: TestClient, enabled: str) -> None:
    response = add(api, RIYAL, currency("Euro", "EUR"), {**RIYAL, "exchange_rate": "3"})
    assert response.status_code == 207  # currencies.json documents no 207: each item is its 200's or 400's
    body = response.json()
    statuses = [item["status"] for item in body["currencies"]]
    assert statuses == ["success", "success", "error"]
    assert body["currencies"][2]["code"] == "DUPLICATE_DATA"
    assert body["currencies"][2]["details"] == {"api_name": "iso_code", "json_path": "$.currencies[2].iso_code"}
    home_again = checked(add(api, {**HOME}), 400, LIST, "POST")["currencies"][0]
    assert home_again["code"] == "DUPLICATE_DATA"


def test_at_most_ten_currencies_are_active_the_home_currency_among_them(api: TestClient, enabled: str) -> None:
    nine = [currency(name, iso) for name, iso in OTHERS[:9]]
    checked(add(api, *nine), 200, LIST, "POST")
    response = add(api, currency(*OTHERS[9]))
    body = response.json()
    assert response.status_code == 400
    assert body["currencies"][0] == {
        "code": "ACTIVE_STATE_LIMIT_EXCEEDED",
        "details": {"api_name": "is_active", "json_path": "$.currencies[0].is_active"},
        "message": "Allowed active currency limit 10 reached. Please deactivate any one of the existing active "
        "currencies to create this currency",
        "status": "error",
    }
    assert editions.ACTIVE_CURRENCIES == 10
    inactive = checked(add(api, currency(*OTHERS[9], is_active=False)), 200, LIST, "POST")
    sar_id = inactive["currencies"][0]["details"]["id"]
    again = api.put(f"{LIST}/{sar_id}", json={"currencies": [{"is_active": True}]})
    assert again.status_code == 400 and again.json()["currencies"][0]["code"] == "ACTIVE_STATE_LIMIT_EXCEEDED"
    euro_id = listed(api)["EUR"]["id"]
    checked(api.put(LIST, json={"currencies": [{"id": euro_id, "is_active": False}]}), 200, LIST, "PUT")
    checked(api.put(f"{LIST}/{sar_id}", json={"currencies": [{"is_active": True}]}), 200, ONE, "PUT")
    assert listed(api)["SAR"]["is_active"] is True and listed(api)["EUR"]["is_active"] is False


def test_an_update_changes_what_it_gives_and_stamps_the_change(api: TestClient, enabled: str) -> None:
    sar_id = add(api, RIYAL).json()["currencies"][0]["details"]["id"]
    update = {"id": sar_id, "exchange_rate": "3.75", "symbol": "SAR", "format": {"decimal_places": "0"}}
    body = checked(api.put(LIST, json={"currencies": [update]}), 200, LIST, "PUT")
    assert body["currencies"][0] == {
        "code": "SUCCESS",
        "details": {"id": sar_id},
        "message": "The currency updated successfully.",
        "status": "success",
    }
    sar = listed(api)["SAR"]
    assert (sar["exchange_rate"], sar["symbol"]) == ("3.750000000", "SAR")
    assert sar["format"] == {"decimal_separator": "Period", "thousand_separator": "Comma", "decimal_places": "0"}


def test_a_currency_cannot_become_another(api: TestClient, enabled: str) -> None:
    sar_id = add(api, RIYAL).json()["currencies"][0]["details"]["id"]
    body = checked(api.put(LIST, json={"currencies": [{"id": sar_id, "iso_code": "EUR"}]}), 400, LIST, "PUT")
    assert body["currencies"][0]["message"] == "ISO code is invalid."
    assert listed(api)["SAR"]["iso_code"] == "SAR"


def test_updates_name_their_currency_or_are_refused(api: TestClient, enabled: str) -> None:
    missing = checked(api.put(LIST, json={"currencies": [{"symbol": "x"}]}), 400, LIST, "PUT")["currencies"][0]
    assert missing["code"] == "MANDATORY_NOT_FOUND"
    assert missing["details"] == {"api_name": "id", "json_path": "$.currencies[0].id"}
    unknown = checked(api.put(LIST, json={"currencies": [{"id": "999", "symbol": "x"}]}), 400, LIST, "PUT")
    assert unknown["currencies"][0]["message"] == "Currency id is invalid."
    path = checked(api.put(f"{LIST}/999", json={"currencies": [{"symbol": "x"}]}), 400, ONE, "PUT")
    assert path == {
        "code": "INVALID_DATA",
        "details": {"resource_path_index": 2},
        "message": "Currency id is invalid.",
        "status": "error",
    }


def test_a_currency_the_org_does_not_have_reads_204(api: TestClient, enabled: str) -> None:
    for currency_id in ("999", "abc"):
        response = api.get(f"{LIST}/{currency_id}")
        assert response.status_code == 204 and not response.content


def test_the_home_currency_is_updated_on_enable_and_the_org_follows(api: TestClient, enabled: str) -> None:
    update = {"id": enabled, "symbol": "DZ", "exchange_rate": "1", "prefix_symbol": False}
    body = checked(api.put(ENABLE, json={"base_currency": update}), 200, ENABLE, "PUT")
    assert body == {
        "base_currency": {
            "code": "SUCCESS",
            "details": {"id": enabled},
            "message": "The currency updated successfully.",
            "status": "success",
        }
    }
    assert listed(api)["DZD"]["symbol"] == "DZ" and org(api)["currency_symbol"] == "DZ"


def test_the_home_currency_stays_active_and_stays_itself(api: TestClient, enabled: str) -> None:
    inactive = checked(api.put(ENABLE, json={"base_currency": {"is_active": False}}), 400, ENABLE, "PUT")
    assert inactive["base_currency"]["details"] == {"api_name": "is_active", "json_path": "$.base_currency.is_active"}
    other = checked(api.put(ENABLE, json={"base_currency": {"iso_code": "EUR"}}), 400, ENABLE, "PUT")
    assert other["base_currency"]["message"] == "ISO code is invalid."
    via_list = api.put(LIST, json={"currencies": [{"id": enabled, "is_active": False}]})
    assert via_list.status_code == 400
    assert listed(api)["DZD"]["is_active"] is True and org(api)["iso_code"] == "DZD"


def test_the_available_currencies_are_zohos_list_with_their_formats(api: TestClient) -> None:
    response = api.get(AVAILABLE)
    assert response.status_code == 200
    validate_response(response, "available_currencies.json", AVAILABLE)
    by_iso = {c["iso_code"]: c for c in response.json()["available_currencies"]}
    assert by_iso["USD"]["display_value"] == "US Dollar - USD" and by_iso["USD"]["symbol"] == "$"
    assert by_iso["KWD"]["decimal_places"] == "3" and by_iso["JPY"]["decimal_places"] == "0"


def test_a_read_scope_lists_but_does_not_add(
    client: TestClient, api: TestClient, enabled: str, make_token: TokenFactory
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(['ZohoCRM.settings.currencies.READ'])}"}
    assert client.get(LIST, headers=headers).status_code == 200
    refused = client.post(LIST, headers=headers, json={"currencies": [RIYAL]})
    assert refused.status_code == 401 and refused.json()["code"] == "OAUTH_SCOPE_MISMATCH"
