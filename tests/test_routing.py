"""The endpoint table: a path is tried only against the templates that can match its first segment,
and the first declared template that matches still wins, exactly as a walk over all of them."""

from __future__ import annotations

import re

import pytest

from zcrm_emulator.endpoints import ENDPOINTS
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.routing import EndpointTable, compile_template

TABLE = EndpointTable(ENDPOINTS)
SAMPLE_VALUES = {"module": "Leads", "id": "1234567890123456789", "related": "Notes"}
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


def walk_all(method: str, path: str) -> str:
    """What the table answered before it was indexed: every template in declaration order."""
    matched = False
    for endpoint_path in dict.fromkeys(e.path for e in ENDPOINTS):
        if compile_template(endpoint_path).match(path) is None:
            continue
        matched = True
        for endpoint in ENDPOINTS:
            if endpoint.path == endpoint_path and endpoint.method == method:
                return f"{endpoint.method} {endpoint.path}"
    return "INVALID_REQUEST_METHOD" if matched else "INVALID_URL_PATTERN"


def indexed(method: str, path: str) -> str:
    try:
        endpoint, _ = TABLE.resolve(method, path)
    except ZohoError as error:
        return error.code
    return f"{endpoint.method} {endpoint.path}"


def sample_path(template: str) -> str:
    def value(match: re.Match[str]) -> str:
        kind = match.group(2) or ("module" if match.group(1) == "module" else "str")
        return SAMPLE_VALUES.get(kind, "9876543210987654321")

    return _PARAM.sub(value, template)


PATHS = [*sorted({sample_path(e.path) for e in ENDPOINTS}), "/", "/nothing/here", "/settings", "/Leads/x/y/z/w"]


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_every_endpoints_path_resolves_as_a_walk_over_every_template_would(method: str) -> None:
    differing = [(path, indexed(method, path), walk_all(method, path)) for path in PATHS]
    assert [d for d in differing if d[1] != d[2]] == []
