"""An API client whose token also carries ``ZohoCRM.coql.READ`` (COQL needs it beside the module's
read scope)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory

COQL_SCOPES = [*ALL_SCOPES, "ZohoCRM.coql.READ"]


@pytest.fixture
def api(client: TestClient, make_token: TokenFactory) -> Iterator[TestClient]:
    client.headers.update({"Authorization": f"Zoho-oauthtoken {make_token(COQL_SCOPES)}"})
    yield client
