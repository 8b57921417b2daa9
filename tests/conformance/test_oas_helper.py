"""The OAS helper itself (oas.py) fails where it should: a helper that passes everything proves nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.support.oas import Allowance, require_oas_dir, validate_response

ORG = {"org": [{"id": "4150868000000000000", "company_name": "Zylker", "zgid": "4150868"}]}


@pytest.fixture(autouse=True)
def _oas_files() -> None:
    require_oas_dir()


def response(status: int, body: object = None, content_type: str = "application/json;charset=UTF-8") -> httpx.Response:
    if body is None:
        return httpx.Response(status)
    return httpx.Response(status, json=body, headers={"Content-Type": content_type})


def role(**changes: object) -> dict[str, object]:
    return {"roles": [{"id": "4150868000000026005", "name": "CEO", "display_label": "CEO", **changes}]}


def test_a_conforming_body_passes() -> None:
    assert validate_response(response(200, role()), "roles.json", "/crm/v8/settings/roles") == set()


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"role": role()["roles"]}, "wrong envelope key"),
        (role(name=None), "null where not nullable"),
        (role(share_with_peers="yes"), "wrong type"),
        ({"roles": [{"id": "1"}]}, "a required key missing"),
    ],
)
def test_a_broken_body_fails(body: object, why: str) -> None:
    with pytest.raises(AssertionError):
        validate_response(response(200, body), "roles.json", "/crm/v8/settings/roles")


def test_an_undocumented_status_fails_unless_named() -> None:
    with pytest.raises(AssertionError, match="documents"):
        validate_response(response(304), "roles.json", "/crm/v8/settings/roles")
    validate_response(response(304), "roles.json", "/crm/v8/settings/roles", undocumented_ok=[304])


def test_a_documented_204_must_be_empty() -> None:
    validate_response(response(204), "roles.json", "/crm/v8/settings/roles/{role_id}")
    with pytest.raises(AssertionError, match="without a body"):
        validate_response(response(204, role()), "roles.json", "/crm/v8/settings/roles/{role_id}")


def test_the_content_type_must_be_documented() -> None:
    with pytest.raises(AssertionError, match="Content-Type"):
        validate_response(response(200, ORG, "text/plain"), "org.json", "/crm/v8/org")


def test_an_unknown_path_or_method_is_reported_not_skipped() -> None:
    with pytest.raises(AssertionError, match="no path"):
        validate_response(response(200, ORG), "org.json", "/crm/v8/organisation")
    with pytest.raises(AssertionError, match="documents no PATCH"):
        validate_response(response(200, ORG), "org.json", "/crm/v8/org", "PATCH")


def test_an_allowance_excuses_exactly_its_path_and_rule() -> None:
    body = role(reporting_to=None)
    path = "/crm/v8/settings/roles"
    nullable = Allowance("$.roles.*.reporting_to", "null", "the top role reports to no one")
    assert validate_response(response(200, body), "roles.json", path, allow=[nullable]) == {nullable}
    for wrong in (
        Allowance("$.roles.*.forecast_manager", "null", "another key"),
        Allowance("$.roles.*.reporting_to", "type", "another rule"),
        Allowance("$.roles.reporting_to", "null", "another depth"),
    ):
        with pytest.raises(AssertionError):
            validate_response(response(200, body), "roles.json", path, allow=[wrong])
