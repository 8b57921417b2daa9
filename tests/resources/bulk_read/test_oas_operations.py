"""The OAS coverage count sees the bulk APIs' endpoints under /crm/bulk/v8, and only there."""

from __future__ import annotations

from tests.support.oas_operations import Bulk, Operation, covers, served_endpoints
from zcrm_emulator.endpoints import BULK_ENDPOINTS


def test_a_bulk_endpoint_covers_the_bulk_path_and_not_the_same_path_under_crm_v8() -> None:
    status = next(endpoint for endpoint in BULK_ENDPOINTS if endpoint.path == "/read/{job_id}")
    assert covers(Operation("bulk_read.json", "/crm/bulk/v8/read/{job_id}", "GET"), Bulk(status))
    assert not covers(Operation("bulk_read.json", "/crm/v8/read/{job_id}", "GET"), Bulk(status))
    assert not covers(Operation("bulk_read.json", "/crm/bulk/v8/read/{job_id}", "GET"), status)


def test_every_bulk_read_operation_is_served() -> None:
    served = served_endpoints()
    for path, method in (("/crm/bulk/v8/read", "POST"), ("/crm/bulk/v8/read/{job_id}", "GET")):
        assert any(covers(Operation("bulk_read.json", path, method), endpoint) for endpoint in served)
    result = Operation("bulk_read.json", "/crm/bulk/v8/read/{job_id}/result", "GET")
    assert any(covers(result, endpoint) for endpoint in served)
