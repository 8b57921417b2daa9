"""PUT /settings/modules/{id|api_name} and PUT /settings/modules: the seed "Update Custom Module"
rules at their edges, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.modules import (
    create_module,
    created_id,
    module_item,
    only_result,
    profile_ids,
    set_edition,
)
from tests.support.oas import Allowance, schema_errors
from tests.support.people import add_standard_user
from zcrm_emulator.clock import iso
from zcrm_emulator.emulator import Emulator

MODULES_PATH = "/crm/v8/settings/modules"
PATH0 = "$.modules[0]"


@pytest.fixture
def stocks(api: TestClient, emulator: Emulator) -> str:
    """A custom module "Stocks" visible to both profiles; returns its id."""
    ids = profile_ids(emulator)
    item = module_item(emulator, profiles=[{"id": ids["Administrator"]}, {"id": ids["Standard"]}])
    return created_id(create_module(api, item))


def update(api: TestClient, key: str, item: dict[str, Any], version: str = "v8") -> httpx.Response:
    return api.put(f"/crm/{version}/settings/modules/{key}", json={"modules": [item]})


def read(api: TestClient, key: str) -> dict[str, Any]:
    return dict(api.get(f"{MODULES_PATH}/{key}").json()["modules"][0])


def item_error(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    result = only_result(response, "modules")
    assert result["status"] == "error"
    return result


@pytest.mark.parametrize("by", ["id", "api_name"])
def test_an_update_renames_the_module_by_id_or_api_name(
    api: TestClient, emulator: Emulator, stocks: str, by: str
) -> None:
    emulator.advance_clock(60)
    response = update(api, stocks if by == "id" else "Stocks", {"plural_label": "Shares", "singular_label": "Share"})
    assert response.status_code == 200
    assert response.json() == {
        "modules": [
            {
                "code": "SUCCESS",
                "details": {"id": stocks},
                "message": "module updated successfully",
                "status": "success",
            }
        ]
    }
    module = read(api, stocks)
    assert (module["plural_label"], module["singular_label"], module["api_name"]) == ("Shares", "Share", "Stocks")
    assert module["modified_by"]["name"] == "Zylker Admin"
    # modules.json has one success message for every write ("module created"); the seed's is kept.
    pointer = "/components/responses/SuccessResponse/content/application~1json/schema"
    seed_message = Allowance("$.modules.*.message", "enum", "the seed's update message")
    assert schema_errors(response.json(), "modules.json", pointer, allow=[seed_message]) == []


def test_an_updated_module_is_in_the_modules_changed_since(api: TestClient, emulator: Emulator, stocks: str) -> None:
    emulator.advance_clock(60)
    since = api.get("/_emulator/clock").json()["now_ms"]
    emulator.advance_clock(60)
    assert update(api, stocks, {"plural_label": "Shares"}).status_code == 200
    stamp = httpx.Headers({"If-Modified-Since": iso(since)})
    changed = api.get(MODULES_PATH, headers=stamp)
    assert [m["api_name"] for m in changed.json()["modules"]] == ["Stocks"]


@pytest.mark.parametrize(
    ("item", "code", "details"),
    [
        ({"plural_label": "A" * 26}, "INVALID_DATA", {"api_name": "plural_label", "maximum_length": 25}),
        ({"singular_label": "Sh@re"}, "INVALID_DATA", {"api_name": "singular_label"}),
        ({"plural_label": None}, "MANDATORY_NOT_FOUND", {"api_name": "plural_label"}),
        ({"plural_label": ""}, "INVALID_DATA", {"api_name": "plural_label", "minimum_length": 1}),
        ({"singular_label": "Deal"}, "DUPLICATE_DATA", {"api_name": "singular_label"}),
        ({"plural_label": "Forecast Types"}, "INVALID_DATA", {"api_name": "plural_label"}),
        ({"api_name": "Shares"}, "NOT_ALLOWED", {"api_name": "api_name"}),
        ({"profiles": []}, "MINIMUM_DATA_NOT_FOUND", {"api_name": "profiles"}),
        ({"profiles": None}, "MINIMUM_DATA_NOT_FOUND", {"api_name": "profiles"}),
        ({"profiles": [{"id": "111111000000000497"}]}, "INVALID_DATA", {"api_name": "id"}),
    ],
)
def test_update_rules(api: TestClient, stocks: str, item: dict[str, Any], code: str, details: dict[str, Any]) -> None:
    result = item_error(update(api, stocks, item))
    assert result["code"] == code
    field = details["api_name"]
    path = f"{PATH0}.profiles[0].id" if field == "id" else f"{PATH0}.{field}"
    assert result["details"] == {"json_path": path, **details}
    if code == "NOT_ALLOWED":
        assert result["message"] == "API name cannot be updated for module"


@pytest.mark.parametrize(
    "item",
    [
        {"plural_label": "A" * 25},
        {"plural_label": "STOCKS"},  # its own labels, in another case
        {"singular_label": "Stock"},
        {"api_name": "Stocks"},  # unchanged api name
        {},
    ],
)
def test_updates_that_are_allowed(api: TestClient, stocks: str, item: dict[str, Any]) -> None:
    assert update(api, stocks, item).status_code == 200


def test_profiles_change_as_a_delta(api: TestClient, emulator: Emulator, stocks: str) -> None:
    ids = profile_ids(emulator)
    removed = update(api, stocks, {"profiles": [{"id": ids["Standard"], "_delete": None}]})
    assert removed.status_code == 200
    assert read(api, stocks)["profiles"] == [{"name": "Administrator", "id": ids["Administrator"]}]
    assert read(api, stocks)["profile_count"] == 1

    last = item_error(update(api, stocks, {"profiles": [{"id": ids["Administrator"], "_delete": None}]}))
    assert (last["code"], last["details"]) == (
        "MINIMUM_DATA_NOT_FOUND",
        {"api_name": "profiles", "json_path": f"{PATH0}.profiles"},
    )
    assert read(api, stocks)["profile_count"] == 1  # nothing half-written

    swapped = update(
        api, stocks, {"profiles": [{"id": ids["Administrator"], "_delete": None}, {"id": int(ids["Standard"])}]}
    )
    assert swapped.status_code == 200
    assert read(api, stocks)["profiles"] == [{"name": "Standard", "id": ids["Standard"]}]


def test_an_unknown_module_in_the_path_is_invalid_module(api: TestClient) -> None:
    for key in ("Nope", "1234567000000000001"):
        response = update(api, key, {"plural_label": "X"})
        assert response.status_code == 400
        assert response.json() == {
            "code": "INVALID_MODULE",
            "details": {"resource_path_index": 0},
            "message": "the module name given seems to be invalid",
            "status": "error",
        }


def test_the_path_form_takes_one_module(api: TestClient, stocks: str) -> None:
    response = api.put(f"{MODULES_PATH}/{stocks}", json={"modules": [{"plural_label": "A"}, {"plural_label": "B"}]})
    assert response.status_code == 400
    assert response.json()["details"] == {"maximum_length": 1, "api_name": "modules", "json_path": "$.modules"}


@pytest.mark.parametrize("module", ["Quoted_Items", "Home", "DealHistory"])
def test_modules_without_module_settings_cannot_be_renamed(api: TestClient, module: str) -> None:
    result = item_error(update(api, module, {"plural_label": "Renamed"}))
    assert (result["code"], result["message"], result["details"]) == (
        "INVALID_DATA",
        "Module rename not allowed",
        {"api_name": "id", "json_path": f"{PATH0}.id"},
    )


def test_a_standard_module_can_be_renamed(api: TestClient) -> None:
    assert update(api, "Deals", {"plural_label": "Opportunities", "singular_label": "Opportunity"}).status_code == 200
    assert (read(api, "Deals")["plural_label"], read(api, "Deals")["actual_plural_label"]) == ("Opportunities", "Deals")


@pytest.mark.usefixtures("both_backends")
def test_bulk_updates_answer_per_item_and_207_when_mixed(api: TestClient, emulator: Emulator, stocks: str) -> None:
    items = [
        {"id": stocks, "singular_label": "Share"},
        {"id": "1234567000000000001", "plural_label": "X"},
        {"plural_label": "Y"},
        {"id": int(stocks), "plural_label": "Shares"},
    ]
    response = api.put(MODULES_PATH, json={"modules": items})
    assert response.status_code == 207
    results = response.json()["modules"]
    assert [r["code"] for r in results] == ["SUCCESS", "INVALID_DATA", "MANDATORY_NOT_FOUND", "SUCCESS"]
    assert results[1]["details"] == {"api_name": "id", "json_path": "$.modules[1].id"}
    assert results[1]["message"] == "the module id given seems to be invalid"
    assert results[2]["details"] == {"api_name": "id", "json_path": "$.modules[2].id"}
    assert (read(api, stocks)["singular_label"], read(api, stocks)["plural_label"]) == ("Share", "Shares")


def test_a_bulk_update_where_every_item_fails_is_400(api: TestClient, stocks: str) -> None:
    response = api.put(MODULES_PATH, json={"modules": [{"plural_label": "Y"}, {"id": stocks, "plural_label": "L$"}]})
    assert response.status_code == 400
    assert [r["code"] for r in response.json()["modules"]] == ["MANDATORY_NOT_FOUND", "INVALID_DATA"]


def test_labels_stay_unique_within_one_bulk_update(api: TestClient, emulator: Emulator, stocks: str) -> None:
    bonds = created_id(create_module(api, module_item(emulator, plural_label="Bonds", singular_label="Bond")))
    items = [{"id": stocks, "plural_label": "Assets"}, {"id": bonds, "plural_label": "assets"}]
    results = api.put(MODULES_PATH, json={"modules": items}).json()["modules"]
    assert [r["code"] for r in results] == ["SUCCESS", "DUPLICATE_DATA"]


@pytest.mark.parametrize("version", ["v2", "v5"])
def test_updates_exist_from_v6(api: TestClient, stocks: str, version: str) -> None:
    for response in (
        update(api, stocks, {"plural_label": "X"}, version=version),
        api.put(f"/crm/{version}/settings/modules", json={"modules": [{"id": stocks}]}),
    ):
        assert response.status_code == 400
        assert response.json()["details"] == {"supported_version": 6}


@pytest.mark.parametrize("edition", ["free", "standard", "professional"])
def test_updates_need_the_enterprise_edition(api: TestClient, emulator: Emulator, stocks: str, edition: str) -> None:
    set_edition(api, emulator, edition)
    response = update(api, stocks, {"plural_label": "X"})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["message"]) == (
        "NOT_SUPPORTED",
        "Module update is not supported for the current edition",
    )


def test_only_the_customize_permission_updates_modules(
    client: TestClient, emulator: Emulator, make_token: TokenFactory, stocks: str
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    response = client.put(f"{MODULES_PATH}/{stocks}", json={"modules": [{"plural_label": "X"}]}, headers=headers)
    assert (response.status_code, response.json()["code"]) == (403, "NO_PERMISSION")


@pytest.mark.parametrize(
    ("scope", "status"),
    [("ZohoCRM.settings.modules.CREATE", 401), ("ZohoCRM.settings.modules.UPDATE", 200), ("ZohoCRM.settings.ALL", 200)],
)
def test_update_scopes(client: TestClient, make_token: TokenFactory, stocks: str, scope: str, status: int) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[scope])}"}
    response = client.put(f"{MODULES_PATH}/{stocks}", json={"modules": [{"plural_label": "X"}]}, headers=headers)
    assert response.status_code == status
