"""Integer query params as Zoho's Java back end reads them: ASCII digits within a Java int, else
INVALID_DATA ``{param_name, expected_data_type: integer}`` — the one bound that keeps every
``page``/``per_page`` offset a number the store can take (params.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

pytestmark = pytest.mark.usefixtures("both_backends")

LISTS = [
    "/crm/v8/Leads/deleted",
    "/crm/v8/Leads?fields=Last_Name",
    "/crm/v8/Leads/search?email=a@zylker.example",
    "/crm/v8/users",
    "/crm/v8/settings/custom_links?module=Leads",
]
NOT_INTEGERS = ["46116860184273881", "2147483648", "-2147483649", "1e3", "1.0", "٣", " 2", "1_0", "0x10"]


def _with(path: str, param: str, value: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{param}={value}"


def _error(response: httpx.Response) -> dict[str, Any]:
    """The error object, bare or (deleted records, as at Zoho) inside the ``data`` array."""
    body: dict[str, Any] = response.json()
    return body["data"][0] if "data" in body else body


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_a_page_that_is_not_a_java_int_is_invalid_data(api: TestClient, path: str, value: str) -> None:
    response = api.get(_with(path, "page", value))
    assert response.status_code == 400
    assert _error(response) == {
        "code": "INVALID_DATA",
        "details": {"param_name": "page", "expected_data_type": "integer"},
        "message": "invalid data",
        "status": "error",
    }


@pytest.mark.parametrize("path", LISTS)
def test_per_page_past_its_maximum_says_the_maximum(api: TestClient, path: str) -> None:
    response = api.get(_with(path, "per_page", "2147483647"))
    assert response.status_code == 400
    assert _error(response)["details"] == {"param_name": "per_page", "maximum_value": 200}


def test_the_largest_java_int_page_is_answered_without_error(api: TestClient) -> None:
    assert api.get("/crm/v8/Leads/deleted?page=2147483647").status_code == 204
    assert api.get("/crm/v8/Leads/deleted?page=%2B1").status_code == 204
