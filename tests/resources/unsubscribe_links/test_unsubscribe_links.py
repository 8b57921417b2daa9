"""/settings/unsubscribe_links: every rule of the seed "Create Unsubscribe Link" at its edges, over
HTTP, with bodies checked against Zoho's unsubscribe_links.json."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.modules import only_result, set_edition
from tests.support.oas import schema_errors, validate_response
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

LINKS = "/crm/v8/settings/unsubscribe_links"
OAS = "unsubscribe_links.json"
ONE = "/crm/v8/settings/unsubscribe_links/{id}"
P0 = "$.unsubscribe_links[0]"
WRITE_SUCCESS = "/components/responses/SuccessResponseBody/content/application~1json/schema"
WRITE_ERRORS = "/components/responses/ErrorResponses/content/application~1json/schema"


def unsubscribe(**overrides: Any) -> dict[str, Any]:
    """The seed's sample link, with keys replaced or (value None) removed."""
    item: dict[str, Any] = {
        "name": "Test",
        "page_type": "standard",
        "standard_page_message": "You will not be sent any more newsletter once you click the unsubscribe button.",
        "submission_action_type": "redirect",
        "submission_redirect_url": "https://redirecturl.com",
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def post(api: TestClient, *items: dict[str, Any]) -> httpx.Response:
    return api.post(LINKS, json={"unsubscribe_links": list(items)})


def created(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    validate_response(response, OAS, LINKS, "POST")
    return str(only_result(response, "unsubscribe_links")["details"]["id"])


def item_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    validate_response(response, OAS, LINKS, "POST")
    result = only_result(response, "unsubscribe_links")
    assert result["status"] == "error"
    return result


def url_of_length(n: int) -> str:
    base = "https://example.com/"
    return base + "u" * (n - len(base))


@pytest.mark.usefixtures("both_backends")
def test_a_link_is_created_with_201_and_read_back_in_zoho_shape(api: TestClient, emulator: Emulator) -> None:
    response = post(api, unsubscribe())
    link_id = created(response)
    assert response.json() == {
        "unsubscribe_links": [
            {
                "code": "SUCCESS",
                "details": {"id": link_id},
                "message": "Unsubscribe Link created successfully",
                "status": "success",
            }
        ]
    }
    listed = api.get(LINKS)
    validate_response(listed, OAS, LINKS, "GET")
    one = api.get(f"{LINKS}/{link_id}")
    validate_response(one, OAS, ONE, "GET")
    assert listed.json() == one.json()
    (link,) = one.json()["unsubscribe_links"]
    assert link == {
        **link,
        "id": link_id,
        "name": "Test",
        "page_type": "standard",
        "custom_location_url": None,
        "submission_action_type": "redirect",
        "submission_redirect_url": "https://redirecturl.com",
        "submission_message": None,
    }
    assert link["created_by"]["name"] == "Zylker Admin"
    assert link["created_time"] == link["modified_time"]


def test_reads_of_nothing_are_204(api: TestClient) -> None:
    for path, documented in ((LINKS, None), (f"{LINKS}/1234567000000000001", ONE), (f"{LINKS}/abc", ONE)):
        response = api.get(path)
        assert (response.status_code, response.content) == (204, b"")
        if documented:
            validate_response(response, OAS, documented, "GET")


@pytest.mark.parametrize("key", ["name", "page_type", "submission_action_type"])
@pytest.mark.parametrize("absent", ["missing", "empty", "null"])
def test_each_mandatory_key(api: TestClient, key: str, absent: str) -> None:
    item = unsubscribe()
    if absent == "missing":
        item.pop(key, None)
    else:
        item[key] = "" if absent == "empty" else None
    result = item_error(post(api, item))
    assert (result["code"], result["details"], result["message"]) == (
        "MANDATORY_NOT_FOUND",
        {"api_name": key, "json_path": f"{P0}.{key}"},
        "required field not found",
    )


@pytest.mark.parametrize(
    ("overrides", "missing", "dependee"),
    [
        ({"page_type": "custom"}, "custom_location_url", "page_type"),
        ({"page_type": "custom", "custom_location_url": ""}, "custom_location_url", "page_type"),
        ({"submission_redirect_url": None}, "submission_redirect_url", "submission_action_type"),
        ({"submission_action_type": "display_message"}, "submission_message", "submission_action_type"),
    ],
)
def test_each_dependent_key(api: TestClient, overrides: dict[str, Any], missing: str, dependee: str) -> None:
    result = item_error(post(api, unsubscribe(**overrides)))
    assert result["code"] == "DEPENDENT_FIELD_MISSING"
    assert result["details"] == {
        "api_name": missing,
        "json_path": f"{P0}.{missing}",
        "dependee": {"api_name": dependee, "json_path": f"{P0}.{dependee}"},
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"page_type": "custom", "custom_location_url": "https://zylker.example/unsubscribe"},
        {"submission_action_type": "display_message", "submission_message": "<b>Done.</b>"},
        {"standard_page_message": None},
        {"submission_redirect_url": url_of_length(250)},
    ],
)
def test_each_dependent_key_given(api: TestClient, overrides: dict[str, Any]) -> None:
    created(post(api, unsubscribe(**overrides)))


@pytest.mark.parametrize(
    ("key", "value", "details"),
    [
        ("name", "n" * 50, None),
        ("name", "n" * 51, {"maximum_length": 50}),
        ("name", "  ", {"minimum_length": 1}),
        ("name", 7, {"expected_data_type": "text"}),
        ("page_type", "customize", {"maximum_length": 8}),
        ("page_type", "hosted", {"supported_values": ["standard", "custom"]}),
        ("submission_action_type", "display_messages", {"maximum_length": 15}),
        ("submission_action_type", "close", {"supported_values": ["display_message", "redirect"]}),
        ("submission_redirect_url", url_of_length(251), {"maximum_length": 250}),
        ("submission_redirect_url", "redirecturl.com", {"expected_data_type": "website"}),
        ("submission_redirect_url", "mailto:x@zylker.example", {"expected_data_type": "website"}),
        ("standard_page_message", "m" * 2000, None),
        ("standard_page_message", "m" * 2001, {"maximum_length": 2000}),
        ("standard_page_message", ["m"], {"expected_data_type": "text"}),
    ],
)
def test_values_at_their_limits(api: TestClient, key: str, value: Any, details: dict[str, Any] | None) -> None:
    response = post(api, unsubscribe(**{key: value}))
    if details is None:
        created(response)
        return
    result = item_error(response)
    assert (result["code"], result["details"]) == (
        "INVALID_DATA",
        {"api_name": key, "json_path": f"{P0}.{key}", **details},
    )


@pytest.mark.parametrize(
    ("key", "value", "details"),
    [
        ("custom_location_url", url_of_length(250), None),
        ("custom_location_url", url_of_length(251), {"maximum_length": 250}),
        ("custom_location_url", "not a url", {"expected_data_type": "website"}),
        ("submission_message", "m" * 2000, None),
        ("submission_message", "m" * 2001, {"maximum_length": 2000}),
    ],
)
def test_values_of_the_dependent_keys_at_their_limits(
    api: TestClient, key: str, value: Any, details: dict[str, Any] | None
) -> None:
    base = unsubscribe(page_type="custom", custom_location_url="https://zylker.example/u")
    if key == "submission_message":
        base.update(submission_action_type="display_message")
    response = post(api, {**base, key: value})
    if details is None:
        created(response)
        return
    result = item_error(response)
    assert (result["code"], result["details"]) == (
        "INVALID_DATA",
        {"api_name": key, "json_path": f"{P0}.{key}", **details},
    )


def test_names_are_unique_regardless_of_case(api: TestClient) -> None:
    created(post(api, unsubscribe()))
    result = item_error(post(api, unsubscribe(name="TEST ")))
    assert (result["code"], result["details"], result["message"]) == (
        "DUPLICATE_DATA",
        {"api_name": "name", "json_path": f"{P0}.name"},
        "Unsubscribe Link name already exists",
    )


@pytest.mark.parametrize(("edition", "limit"), [("free", 1), ("standard", 10), ("enterprise", 10), ("ultimate", 10)])
def test_the_editions_link_limit(api: TestClient, emulator: Emulator, edition: str, limit: int) -> None:
    set_edition(api, emulator, edition)
    ids = [created(post(api, unsubscribe(name=f"Link {n}"))) for n in range(1, limit + 1)]
    result = item_error(post(api, unsubscribe(name="One too many")))
    assert result == {
        "code": "LIMIT_EXCEEDED",
        "details": {
            "limit": limit,
            "limit_due_to": [{"api_name": "unsubscribe_links", "json_path": "$.unsubscribe_links"}],
        },
        "message": "Unsubscribe Link limit exceeded",
        "status": "error",
    }
    assert api.delete(f"{LINKS}/{ids[0]}").status_code == 200
    created(post(api, unsubscribe(name="One too many")))


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        (
            {},
            400,
            {
                "unsubscribe_links": [
                    {
                        "code": "MANDATORY_NOT_FOUND",
                        "details": {"api_name": "unsubscribe_links", "json_path": "$.unsubscribe_links"},
                        "message": "required field not found",
                        "status": "error",
                    }
                ]
            },
        ),
        (
            {"unsubscribe_links": [unsubscribe(), unsubscribe(name="Second")]},
            400,
            {
                "code": "INVALID_DATA",
                "details": {"maximum_length": 1, "api_name": "unsubscribe_links", "json_path": "$.unsubscribe_links"},
                "message": "invalid data",
                "status": "error",
            },
        ),
    ],
)
def test_one_link_per_request(api: TestClient, body: dict[str, Any], status: int, expected: dict[str, Any]) -> None:
    response = api.post(LINKS, json=body)
    assert (response.status_code, response.json()) == (status, expected)


def test_a_body_that_is_not_a_json_object_is_invalid_data(api: TestClient) -> None:
    response = api.post(LINKS, content=b"unsubscribe me")
    assert response.json() == {
        "code": "INVALID_DATA",
        "details": {"expected_data_type": "jsonobject"},
        "message": "body",
        "status": "error",
    }


def put_one(api: TestClient, link_id: str, item: dict[str, Any]) -> httpx.Response:
    return api.put(f"{LINKS}/{link_id}", json={"unsubscribe_links": [item]})


def update_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    assert schema_errors(response.json(), OAS, WRITE_ERRORS) == []
    return only_result(response, "unsubscribe_links")


@pytest.mark.usefixtures("both_backends")
def test_an_update_changes_only_the_given_keys(api: TestClient, emulator: Emulator) -> None:
    link_id = created(post(api, unsubscribe()))
    emulator.advance_clock(120)
    response = put_one(
        api, link_id, {"name": "Renamed", "page_type": "custom", "custom_location_url": "https://z.example/u"}
    )
    assert response.status_code == 200
    assert response.json()["unsubscribe_links"][0]["message"] == "Unsubscribe Link updated successfully"
    # The OAS documents 201 for updates; the newer examples answer 200 (docs/decisions.md, §9 #16).
    assert schema_errors(response.json(), OAS, WRITE_SUCCESS) == []
    link = api.get(f"{LINKS}/{link_id}").json()["unsubscribe_links"][0]
    assert (link["name"], link["page_type"], link["custom_location_url"]) == (
        "Renamed",
        "custom",
        "https://z.example/u",
    )
    assert link["submission_redirect_url"] == "https://redirecturl.com"
    assert link["modified_time"] != link["created_time"]


@pytest.mark.parametrize(
    ("item", "code", "details"),
    [
        ({"name": None}, "MANDATORY_NOT_FOUND", {"api_name": "name"}),
        ({"name": ""}, "INVALID_DATA", {"api_name": "name", "minimum_length": 1}),
        ({"name": "Other"}, "DUPLICATE_DATA", {"api_name": "name"}),
        ({"page_type": "custom"}, "DEPENDENT_FIELD_MISSING", {"api_name": "custom_location_url"}),
        ({"submission_redirect_url": None}, "DEPENDENT_FIELD_MISSING", {"api_name": "submission_redirect_url"}),
        ({"submission_action_type": "display_message"}, "DEPENDENT_FIELD_MISSING", {"api_name": "submission_message"}),
        ({"page_type": "popup"}, "INVALID_DATA", {"api_name": "page_type", "supported_values": ["standard", "custom"]}),
    ],
)
def test_update_rules(api: TestClient, item: dict[str, Any], code: str, details: dict[str, Any]) -> None:
    link_id = created(post(api, unsubscribe()))
    created(post(api, unsubscribe(name="Other")))
    result = update_error(put_one(api, link_id, item))
    assert result["code"] == code
    assert details.items() <= result["details"].items()
    assert result["details"]["json_path"] == f"{P0}.{details['api_name']}"


def test_updating_an_unknown_link(api: TestClient) -> None:
    response = put_one(api, "1234567000000000001", {"name": "X"})
    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "INVALID_DATA",
            "details": {"resource_path_index": 0},
            "message": "The given Unsubscribe Link id is not part of Org",
            "status": "error",
        },
    )


def test_bulk_update_takes_one_link_with_its_id(api: TestClient) -> None:
    link_id = created(post(api, unsubscribe()))
    ok = api.put(LINKS, json={"unsubscribe_links": [{"id": int(link_id), "name": "Renamed"}]})
    assert ok.status_code == 200
    assert api.get(f"{LINKS}/{link_id}").json()["unsubscribe_links"][0]["name"] == "Renamed"
    no_id = update_error(api.put(LINKS, json={"unsubscribe_links": [{"name": "X"}]}))
    assert (no_id["code"], no_id["details"]) == ("MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": f"{P0}.id"})
    unknown = update_error(api.put(LINKS, json={"unsubscribe_links": [{"id": "1234567000000000001"}]}))
    assert (unknown["code"], unknown["details"]) == ("INVALID_DATA", {"api_name": "id", "json_path": f"{P0}.id"})
    two = api.put(LINKS, json={"unsubscribe_links": [{"id": link_id}, {"id": link_id}]})
    assert (two.status_code, two.json()["details"]["maximum_length"]) == (400, 1)


def test_delete(api: TestClient) -> None:
    link_id = created(post(api, unsubscribe()))
    response = api.delete(f"{LINKS}/{link_id}")
    assert response.status_code == 200
    assert response.json() == {
        "unsubscribe_links": [
            {
                "code": "SUCCESS",
                "details": {"id": link_id},
                "message": "Unsubscribe Link deleted successfully",
                "status": "success",
            }
        ]
    }
    assert schema_errors(response.json(), OAS, WRITE_SUCCESS) == []
    assert api.get(f"{LINKS}/{link_id}").status_code == 204
    again = api.delete(f"{LINKS}/{link_id}")
    assert (again.status_code, again.json()["code"], again.json()["details"]) == (
        400,
        "INVALID_DATA",
        {"resource_path_index": 0},
    )


def test_associations_live_at_the_singular_path(api: TestClient) -> None:
    created(post(api, unsubscribe()))
    response = api.get("/crm/v8/settings/unsubscribe_link/actions/associations")
    assert (response.status_code, response.content) == (204, b"")
    validate_response(response, OAS, "/crm/v8/settings/unsubscribe_link/actions/associations", "GET")
    plural = api.get(f"{LINKS}/actions/associations")
    assert (plural.status_code, plural.json()["code"]) == (404, "INVALID_URL_PATTERN")


def test_other_methods_are_invalid_request_method(api: TestClient) -> None:
    for method, path in (("DELETE", LINKS), ("PATCH", f"{LINKS}/1234567000000000001"), ("POST", f"{LINKS}/1")):
        response = api.request(method, path)
        assert (response.status_code, response.json()["code"]) == (400, "INVALID_REQUEST_METHOD")


@pytest.mark.parametrize(
    ("scope", "method", "status"),
    [
        ("ZohoCRM.settings.unsubscribe.READ", "GET", 204),
        ("ZohoCRM.settings.unsubscribe_links.READ", "GET", 204),
        ("ZohoCRM.settings.unsubscribe.READ", "POST", 401),
        ("ZohoCRM.settings.unsubscribe_links.ALL", "POST", 401),
        ("ZohoCRM.settings.unsubscribe.CREATE", "POST", 201),
        ("ZohoCRM.settings.unsubscribe.ALL", "POST", 201),
        ("ZohoCRM.settings.ALL", "POST", 201),
        ("ZohoCRM.settings.modules.ALL", "GET", 401),
    ],
)
def test_unsubscribe_scopes(client: TestClient, make_token: TokenFactory, scope: str, method: str, status: int) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[scope])}"}
    response = client.request(method, LINKS, json={"unsubscribe_links": [unsubscribe()]}, headers=headers)
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("scope", "status"), [("ZohoCRM.settings.unsubscribe.DELETE", 200), ("ZohoCRM.settings.unsubscribe.UPDATE", 401)]
)
def test_delete_scope(api: TestClient, client: TestClient, make_token: TokenFactory, scope: str, status: int) -> None:
    link_id = created(post(api, unsubscribe()))
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(scopes=[scope])}"}
    assert client.delete(f"{LINKS}/{link_id}", headers=headers).status_code == status


@pytest.mark.parametrize(("version", "status"), [("v5", 400), ("v6", 201)])
def test_unsubscribe_links_exist_from_v6(api: TestClient, version: str, status: int) -> None:
    response = api.post(f"/crm/{version}/settings/unsubscribe_links", json={"unsubscribe_links": [unsubscribe()]})
    assert response.status_code == status
    if status == 400:
        assert response.json()["details"] == {"supported_version": 6}


def test_only_the_unsubscribe_permission_manages_links(
    client: TestClient, emulator: Emulator, make_token: TokenFactory
) -> None:
    headers = {"Authorization": f"Zoho-oauthtoken {make_token(user_id=add_standard_user(emulator))}"}
    response = client.get(LINKS, headers=headers)
    assert (response.status_code, response.json()["details"]) == (
        403,
        {"permissions": ["Crm_Implied_Manage_Unsubscribe_Form"]},
    )
