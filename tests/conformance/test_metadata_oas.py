"""Org, users, profiles, roles and modules reads, validated against Zoho's v8 OAS files.

Every response of a fresh org (each list, and GET one for every profile, role, user and module) must
match org.json, users.json, profiles.json, roles.json and modules.json, errors included.

Deliberate deviations are the named allowances of tests/support/allowances.py (metadata part).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.allowances import (
    COUNT_ALLOWANCES,
    MODULE_LIST_ALLOWANCES,
    ONE_MODULE,
    ONE_USER_ALLOWANCES,
    PROFILE_ALLOWANCES,
    PROFILE_LIST_ALLOWANCES,
    ROLE_ALLOWANCES,
    USER_ALLOWANCES,
)
from tests.support.oas import Allowance, require_oas_dir, validate_response
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

# Every read is checked on SQLite and on PostgreSQL (JSONB keeps no key order and its own types).
pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture(autouse=True)
def _oas_files() -> None:
    require_oas_dir()


@pytest.fixture
def org_client(client: TestClient, emulator: Emulator, auth: dict[str, str]) -> Iterator[TestClient]:
    """The fresh org plus one Standard user, so user and role shapes beyond the admin are covered."""
    add_standard_user(emulator)
    client.headers.update(auth)
    yield client


def listed(client: TestClient, path: str, key: str) -> list[dict[str, Any]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()[key]


def test_the_org_matches_org_json(org_client: TestClient) -> None:
    validate_response(org_client.get("/crm/v8/org"), "org.json", "/crm/v8/org")


@pytest.mark.parametrize("user_type", ["AllUsers", "ActiveUsers", "AdminUsers", "CurrentUser"])
def test_the_user_list_matches_users_json(org_client: TestClient, user_type: str) -> None:
    response = org_client.get("/crm/v8/users", params={"type": user_type})
    validate_response(response, "users.json", "/crm/v8/users", allow=USER_ALLOWANCES)


def test_every_user_alone_matches_users_json(org_client: TestClient) -> None:
    for user in listed(org_client, "/crm/v8/users", "users"):
        response = org_client.get(f"/crm/v8/users/{user['id']}")
        validate_response(response, "users.json", "/crm/v8/users/{user}", allow=ONE_USER_ALLOWANCES)


def test_an_empty_user_selection_is_the_documented_204(org_client: TestClient) -> None:
    response = org_client.get("/crm/v8/users", params={"type": "DeletedUsers"})
    validate_response(response, "users.json", "/crm/v8/users")


def test_the_user_count_matches_users_json(org_client: TestClient) -> None:
    response = org_client.get("/crm/v8/users/actions/count")
    validate_response(response, "users.json", "/crm/v8/users/actions/count", allow=COUNT_ALLOWANCES)


def test_a_bad_user_type_is_a_documented_400(org_client: TestClient) -> None:
    response = org_client.get("/crm/v8/users", params={"type": "Everyone"})
    validate_response(response, "users.json", "/crm/v8/users")


def test_the_profile_list_matches_profiles_json(org_client: TestClient) -> None:
    response = org_client.get("/crm/v8/settings/profiles")
    validate_response(response, "profiles.json", "/crm/v8/settings/profiles", allow=PROFILE_LIST_ALLOWANCES)


def test_every_profile_alone_matches_profiles_json(org_client: TestClient) -> None:
    for profile in listed(org_client, "/crm/v8/settings/profiles", "profiles"):
        response = org_client.get(f"/crm/v8/settings/profiles/{profile['id']}")
        validate_response(response, "profiles.json", "/crm/v8/settings/profiles/{id}", allow=PROFILE_ALLOWANCES)


def test_an_unknown_profile_is_the_documented_204(org_client: TestClient) -> None:
    response = org_client.get("/crm/v8/settings/profiles/111111000000000001")
    validate_response(response, "profiles.json", "/crm/v8/settings/profiles/{id}")


def test_the_role_list_matches_roles_json(org_client: TestClient) -> None:
    response = org_client.get("/crm/v8/settings/roles")
    validate_response(response, "roles.json", "/crm/v8/settings/roles", allow=ROLE_ALLOWANCES)


def test_every_role_alone_matches_roles_json(org_client: TestClient) -> None:
    for role in listed(org_client, "/crm/v8/settings/roles", "roles"):
        response = org_client.get(f"/crm/v8/settings/roles/{role['id']}")
        validate_response(response, "roles.json", "/crm/v8/settings/roles/{role_id}", allow=ROLE_ALLOWANCES)


def test_an_unknown_role_is_the_documented_204(org_client: TestClient) -> None:
    response = org_client.get("/crm/v8/settings/roles/111111000000000001")
    validate_response(response, "roles.json", "/crm/v8/settings/roles/{role_id}")


@pytest.mark.parametrize("status", [None, "visible", "user_hidden,system_hidden"])
def test_the_module_list_matches_modules_json(org_client: TestClient, status: str | None) -> None:
    response = org_client.get("/crm/v8/settings/modules", params={"status": status} if status else {})
    validate_response(response, "modules.json", "/crm/v8/settings/modules", allow=MODULE_LIST_ALLOWANCES)


def test_every_module_alone_by_api_name_and_by_id_matches_modules_json(org_client: TestClient) -> None:
    for module in listed(org_client, "/crm/v8/settings/modules", "modules"):
        by_name = org_client.get(f"/crm/v8/settings/modules/{module['api_name']}")
        validate_response(by_name, "modules.json", "/crm/v8/settings/modules/{api_name}", allow=ONE_MODULE)
        by_id = org_client.get(f"/crm/v8/settings/modules/{module['id']}")
        validate_response(by_id, "modules.json", "/crm/v8/settings/modules/{id}", allow=ONE_MODULE)
        assert by_id.json() == by_name.json()


def test_an_unknown_module_is_a_documented_400(org_client: TestClient) -> None:
    response = org_client.get("/crm/v8/settings/modules/No_Such_Module")
    assert response.json()["code"] == "INVALID_MODULE"
    validate_response(response, "modules.json", "/crm/v8/settings/modules/{api_name}")


def test_a_bad_module_status_is_a_documented_400(org_client: TestClient) -> None:
    response = org_client.get("/crm/v8/settings/modules", params={"status": "archived"})
    validate_response(response, "modules.json", "/crm/v8/settings/modules")


def test_every_allowance_is_needed_by_some_response(org_client: TestClient) -> None:
    """No allowance is dead weight: each one excuses at least one real failure of a fresh org's reads."""
    user_id = listed(org_client, "/crm/v8/users", "users")[0]["id"]
    profile_id = listed(org_client, "/crm/v8/settings/profiles", "profiles")[0]["id"]
    role_id = listed(org_client, "/crm/v8/settings/roles", "roles")[0]["id"]
    reads = [
        ("/crm/v8/users", "users.json", "/crm/v8/users", USER_ALLOWANCES),
        (f"/crm/v8/users/{user_id}", "users.json", "/crm/v8/users/{user}", ONE_USER_ALLOWANCES),
        ("/crm/v8/users/actions/count", "users.json", "/crm/v8/users/actions/count", COUNT_ALLOWANCES),
        ("/crm/v8/settings/profiles", "profiles.json", "/crm/v8/settings/profiles", PROFILE_LIST_ALLOWANCES),
        (
            f"/crm/v8/settings/profiles/{profile_id}",
            "profiles.json",
            "/crm/v8/settings/profiles/{id}",
            PROFILE_ALLOWANCES,
        ),
        ("/crm/v8/settings/roles", "roles.json", "/crm/v8/settings/roles", ROLE_ALLOWANCES),
        (f"/crm/v8/settings/roles/{role_id}", "roles.json", "/crm/v8/settings/roles/{role_id}", ROLE_ALLOWANCES),
        ("/crm/v8/settings/modules", "modules.json", "/crm/v8/settings/modules", MODULE_LIST_ALLOWANCES),
        *(
            (f"/crm/v8/settings/modules/{name}", "modules.json", "/crm/v8/settings/modules/{api_name}", ONE_MODULE)
            for name in ("Leads", "DealHistory")
        ),
    ]
    used: set[Allowance] = set()
    for url, file, path, allowances in reads:
        used |= validate_response(org_client.get(url), file, path, allow=allowances)
    every = {a for _, _, _, allowances in reads for a in allowances}
    assert sorted(every - used, key=repr) == []
